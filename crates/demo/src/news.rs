//! Demo 信息报送 for 县民政局党组: an information officer in each of its
//! four departments, quotas (each department's adoptions per quarter, the
//! unit's submissions per year) and one submission a month per department
//! from December 2025 to November 2026, most of them adopted.
//!
//! The seeded gap: 养老服务股 had only its July item adopted in the third
//! quarter of 2026, one short of its quarterly quota of two, so 信息报送 is
//! overdue on the dashboard. In the fourth quarter, still running on
//! [`crate::demo_today`], 办公室 has two of its three adoptions.

use chrono::{Datelike, Days, NaiveDate};
use taizhang_core::news::{Level, Measure, Quota, Submission};
use taizhang_core::period::Cadence;
use taizhang_store::{Actor, StoreError, WriteTx};

/// A department of the demo unit, its officer and its co-author (if any).
pub(crate) struct Desk {
    pub name: &'static str,
    pub id: i64,
    pub officer: i64,
    pub co_author: Option<i64>,
}

pub(crate) struct Cast {
    pub group: i64,
    pub desks: Vec<Desk>,
}

/// What each department sent, one a month from December 2025: title and
/// the level of the outlet it went to.
const ITEMS: &[(&str, [(&str, Level); 12])] = {
    use Level::{County as C, Municipal as M, National as N, Provincial as P};
    &[
        (
            "办公室",
            [
                ("县民政局扎实开展“转作风、优服务”专项行动", C),
                ("县民政局召开2026年全县民政工作会议", C),
                ("县民政局党组理论学习中心组开展专题学习研讨", M),
                ("县民政局多措并举推进政务公开", C),
                ("县民政局开展民政领域安全生产大检查", M),
                ("县民政局推进“互联网+民政服务”便民利民", P),
                ("县民政局举办全县民政系统业务能力培训班", C),
                ("县民政局开展意识形态工作专题调研", M),
                ("县民政局扎实推进清廉机关建设", C),
                ("县民政局主题党日活动走进养老机构", C),
                ("县民政局“民政服务进万家”活动覆盖全部乡镇", M),
                ("县民政局完成全县民政服务事项清单梳理", C),
            ],
        ),
        (
            "社会救助股",
            [
                ("县民政局开展冬春救助排查 确保困难群众温暖过冬", M),
                ("我县困难群众春节慰问金发放到位", N),
                ("我县提高城乡低保标准 惠及困难群众", P),
                ("县民政局开展低保专项治理 推进精准救助", C),
                ("我县建立防止返贫动态监测与社会救助衔接机制", M),
                ("县民政局开展临时救助“先行救助”", C),
                ("我县推行社会救助“一门受理、协同办理”", P),
                ("县民政局组织开展低收入人口动态监测", C),
                ("我县困难群众价格临时补贴及时足额发放", M),
                ("县民政局开展社会救助政策进村入户宣传", C),
                ("我县特困人员供养服务质量稳步提升", M),
                ("我县启动今冬明春困难群众救助工作", C),
            ],
        ),
        (
            "养老服务股",
            [
                ("县民政局开展养老机构冬季安全检查", C),
                ("我县新建5个农村互助幸福院", M),
                ("县民政局开展养老机构消防安全专项整治", C),
                ("我县推进居家和社区养老服务改革", P),
                ("县社会福利中心完成适老化改造", C),
                ("我县为80岁以上老人发放高龄津贴", M),
                ("我县探索“党建+养老”服务新模式", M),
                ("县民政局开展养老服务领域非法集资风险排查", C),
                ("我县养老护理员职业技能竞赛举行", C),
                ("我县老年助餐服务覆盖城区社区", M),
                ("县民政局开展“敬老月”系列活动", N),
                ("县民政局开展养老机构服务质量评估", C),
            ],
        ),
        (
            "社会事务股",
            [
                ("县民政局开展流浪乞讨人员“寒冬送温暖”专项救助", C),
                ("县民政局推进婚俗改革 倡导移风易俗", M),
                ("我县推进殡葬领域突出问题专项整治", P),
                ("县民政局开展清明节文明祭扫宣传", C),
                ("我县规范地名管理 开展地名文化保护", C),
                ("县民政局开展未成年人保护专项行动", M),
                ("我县落实残疾人两项补贴“跨省通办”", C),
                ("县婚姻登记处开展婚姻家庭辅导服务", C),
                ("县民政局开展儿童福利机构安全检查", M),
                ("我县农村留守儿童关爱服务全覆盖", P),
                ("县民政局开展社会组织年检", C),
                ("我县慈善超市为困难群众提供帮扶", M),
            ],
        ),
    ]
};

/// Quarterly adoptions each department owes, and the unit's yearly submissions.
const QUARTERLY_ADOPTIONS: &[(&str, u32)] = &[("办公室", 3), ("社会救助股", 2), ("养老服务股", 2), ("社会事务股", 2)];
const YEARLY_SUBMISSIONS: u32 = 40;

fn outlet(level: Level, n: usize) -> &'static str {
    let pick = |options: &[&'static str]| options[n % options.len()];
    match level {
        Level::National => pick(&["《中国社会报》", "民政部门户网站"]),
        Level::Provincial => pick(&["省民政厅《民政工作简报》", "省民政厅门户网站"]),
        Level::Municipal => pick(&["市委办《信息快报》", "市民政局《民政信息》", "市政府办《政务信息》"]),
        Level::County => pick(&["县委办《每日要情》", "县政府办《政务信息》", "县融媒体中心"]),
    }
}

/// 期号 for periodicals, the column for websites and media.
fn issue(outlet: &str, n: usize) -> String {
    if outlet.ends_with('》') {
        format!("2026年第{}期", 10 + n * 3)
    } else {
        "“工作动态”栏目".into()
    }
}

/// Whether an item is adopted: 办公室's always; the others' in the first
/// two months of a quarter, except 养老服务股's August item (the gap).
fn adopted(department: &str, sent: NaiveDate) -> bool {
    let month_in_quarter = (sent.month() - 1) % 3;
    match department {
        "办公室" => true,
        "养老服务股" if sent.year() == 2026 && sent.month() == 8 => false,
        _ => month_in_quarter < 2,
    }
}

pub(crate) async fn seed(w: &mut WriteTx<'_>, actor: &Actor, cast: &Cast) -> Result<(), StoreError> {
    let desk = |name: &str| {
        cast.desks
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| StoreError::Invalid(format!("演示数据缺少科室：{name}")))
    };
    for d in &cast.desks {
        w.set_news_officers(actor, cast.group, d.id, &[d.officer]).await?;
    }
    for (name, target) in QUARTERLY_ADOPTIONS {
        let quota = Quota {
            id: 0,
            unit_id: cast.group,
            department_id: Some(desk(name)?.id),
            cadence: Cadence::Quarter,
            measure: Measure::Adopted,
            target: *target,
        };
        w.set_news_quota(actor, &quota).await?;
    }
    let yearly = Quota {
        id: 0,
        unit_id: cast.group,
        department_id: None,
        cadence: Cadence::Year,
        measure: Measure::Submitted,
        target: YEARLY_SUBMISSIONS,
    };
    w.set_news_quota(actor, &yearly).await?;
    let today = crate::demo_today();
    for (di, (name, items)) in ITEMS.iter().enumerate() {
        let d = desk(name)?;
        for (n, (title, level)) in items.iter().enumerate() {
            // December 2025, then January to November 2026.
            let first = crate::plan::d(2025, 12, 1);
            let month = first.checked_add_months(chrono::Months::new(n as u32)).expect("a demo month");
            let sent = month + Days::new(4 + 3 * di as u64);
            let outlet = outlet(*level, n + di);
            let adopted_on = adopted(name, sent).then(|| sent + Days::new(4));
            let authors = match (d.co_author, n % 2) {
                (Some(co), 1) => vec![d.officer, co],
                _ => vec![d.officer],
            };
            let s = Submission {
                id: 0,
                unit_id: cast.group,
                department_id: d.id,
                title: (*title).into(),
                authors,
                outlet: outlet.into(),
                level: *level,
                submitted_on: sent,
                adopted_on,
                issue: adopted_on.map(|_| issue(outlet, n)).unwrap_or_default(),
            };
            w.create_news(actor, &s, today).await?;
        }
    }
    Ok(())
}
