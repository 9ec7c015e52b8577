//! `taizhang seed`: a synthetic province for trying taizhang at scale and
//! for the benchmarks (docs/performance.md).

use crate::db_args::DbArgs;
use anyhow::Result;
use std::process::ExitCode;
use std::time::Instant;
use taizhang_demo::{ProvinceOptions, DEMO_PASSWORD, MAX_UNITS, PROVINCE_ACCOUNTS};

#[derive(clap::Args)]
#[command(after_long_help = ACCOUNTS_HELP)]
pub struct SeedArgs {
    /// 党组（党委）数量：每县10—25个，约10个县一个市
    #[arg(long, value_name = "N")]
    units: usize,
    #[command(flatten)]
    db: DbArgs,
    /// 把哪一天当作“今天”写入（默认为演示数据对应的2026-11-23）
    #[arg(long, env = "TAIZHANG_TODAY")]
    today: Option<chrono::NaiveDate>,
    /// 为每条记录附上佐证材料（签到表等 PDF）；默认不附，以免单位多时数据库过大、写入过慢
    #[arg(long)]
    evidence: bool,
}

const ACCOUNTS_HELP: &str = "\
模拟省份：省委宣传部 → 市委宣传部 → 县委宣传部 → N 个党组（党委），\
每个党组有科室、支部、班子成员、工作人员、宣传阵地和一年的工作记录（各单位的缺漏各不相同），\
约三分之一的党组另有风险隐患台账、舆情与诉求、信息报送、稿件和问题整改，各党组均有2025年度考核。
只能写入空数据库；同样的 N 得到同样的数据。默认不附佐证材料（--evidence 可附）。

账号（密码均为 taizhang-demo）：
  seed-admin          系统管理员（省委宣传部）
  seed-ducha          省委宣传部督查室主任：上级督查，只读查看全省各单位
  seed-kaohe          省委宣传部副部长：审核全省各单位年度考核
  seed-shi-ducha-1    第一个市委宣传部的督查科科长：只读查看该市各单位
  seed-xian-ducha-1   第一个县委宣传部的督查室主任：只读查看该县各单位
  seed-shuji-N        第N个党组（党委）的书记（第一责任人），N 从1到单位数
  seed-fuju-1         第一个党组的班子成员（分管办公室）
  seed-bgs-1          第一个党组的办公室主任
  seed-keyuan-1       第一个党组的办公室科员（录入台账）";

pub async fn run(args: SeedArgs) -> Result<ExitCode> {
    if args.units == 0 || args.units > MAX_UNITS {
        return Err(taizhang_app::Error::Invalid(format!("--units 应在1到{MAX_UNITS}之间")).into());
    }
    let today = args.today.unwrap_or_else(taizhang_demo::demo_today);
    taizhang_store::pin_today(today);
    let store = args.db.open().await?;
    let started = Instant::now();
    let step = (args.units / 20).max(1);
    let mut progress = |done: usize, total: usize| {
        if done.is_multiple_of(step) || done == total {
            eprintln!("已写入 {done}/{total} 个党组（{:.0} 秒）", started.elapsed().as_secs_f64());
        }
    };
    let options = ProvinceOptions { units: args.units, evidence: args.evidence };
    let summary =
        taizhang_demo::seed_province(&store, options, &mut progress).await.map_err(taizhang_app::Error::from)?;
    // Fresh statistics, or the first queries plan for empty tables.
    store.analyze().await.map_err(taizhang_app::Error::from)?;
    println!("{summary}，用时 {:.1} 秒", started.elapsed().as_secs_f64());
    println!("账号（密码均为 {DEMO_PASSWORD}）：");
    for (username, role) in PROVINCE_ACCOUNTS {
        println!("  {username:<18} {role}");
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_help_lists_every_account() {
        for (username, _) in taizhang_demo::PROVINCE_ACCOUNTS {
            assert!(super::ACCOUNTS_HELP.contains(username), "{username}");
        }
    }
}
