//! Demo data for taizhang: 县委宣传部 with three Party groups under it
//! (县民政局党组, 县水利局党委, 县残联党组), their departments, branches,
//! people, accounts and channels, the default duty list issued to them, and
//! a year of records (2025-12-01 to 2026-11-20) with a few deliberate gaps
//! ([`SEEDED_GAPS`]) for the dashboard and the self-inspection report to
//! find, and the 2025 annual assessment (one returned to its unit).
//!
//! Dates are fixed, so the engine's findings are the same on every run when
//! evaluated for [`DEMO_YEAR`] on [`demo_today`].

mod assessments;
mod drafts;
mod evidence;
mod feedback;
mod group;
mod news;
mod org;
mod plan;
mod province;
mod rectifications;
mod risks;
mod text;

pub use assessments::{
    RETURNED_UNIT as ASSESSMENT_RETURNED_UNIT, RETURN_OPINION as ASSESSMENT_RETURN_OPINION, YEAR as ASSESSED_YEAR,
};
pub use feedback::OVERDUE_SUMMARY as FEEDBACK_OVERDUE_SUMMARY;
pub use province::{seed_province, ProvinceOptions, ProvinceSummary, ACCOUNTS as PROVINCE_ACCOUNTS, MAX_UNITS};

use chrono::NaiveDate;
use std::fmt;
use taizhang_core::duty::DEFAULT_LIST_TOML;
use taizhang_core::org::{RoleKind, UnitKind, UnitTree};
use taizhang_store::password::hash_password;
use taizhang_store::{Actor, Org, Store, StoreError, WriteTx};

use group::{Naming, Writer};
use org::{GROUPS, ROOT_NAME, ROOT_PEOPLE};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "taizhang-demo";

/// The year the demo records cover (with December 2025 before it).
pub const DEMO_YEAR: i32 = 2026;

/// The date the demo is meant to be looked at: three days after the last
/// record. [`SEEDED_GAPS`] describe the engine's findings on this date.
pub fn demo_today() -> NaiveDate {
    plan::d(2026, 11, 23)
}

/// A demo login, for the CLI to print and the README to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    /// The person's name as stored.
    pub name: &'static str,
    /// The unit whose data the account works on.
    pub unit: &'static str,
    /// The role, in Chinese.
    pub role: &'static str,
}

const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin",
        name: "系统管理员",
        unit: "县委宣传部",
        role: "系统管理员（管理全部单位、人员和账号）",
    },
    DemoAccount {
        username: "xcb-ducha",
        name: "周建平",
        unit: "县委宣传部",
        role: "上级督查（县委宣传部督查室，只读查看所属各单位）",
    },
    DemoAccount {
        username: "xcb-kaohe",
        name: "吴振华",
        unit: "县委宣传部",
        role: "县委宣传部副部长（审核各单位年度考核）",
    },
    DemoAccount {
        username: "mz-shuji", name: "王建国", unit: "县民政局党组", role: "党组书记、局长（第一责任人）"
    },
    DemoAccount {
        username: "mz-fuju",
        name: "李红梅",
        unit: "县民政局党组",
        role: "党组成员、副局长（分管办公室、社会事务股）",
    },
    DemoAccount {
        username: "mz-keyuan",
        name: "刘晓雯",
        unit: "县民政局党组",
        role: "办公室科员（工作人员，录入台账，负责微信公众号）",
    },
    DemoAccount {
        username: "mz-bgs",
        name: "陈静",
        unit: "县民政局党组",
        role: "办公室主任（科室负责人，稿件初审一校）",
    },
    DemoAccount {
        username: "mz-zhibu1", name: "郑国华", unit: "县民政局机关第一党支部", role: "支部书记"
    },
    DemoAccount {
        username: "sl-shuji", name: "刘志强", unit: "县水利局党委", role: "党委书记、局长（第一责任人）"
    },
    DemoAccount {
        username: "cl-shuji", name: "张慧敏", unit: "县残联党组", role: "党组书记、理事长（第一责任人）"
    },
];

/// The demo accounts; all use [`DEMO_PASSWORD`].
pub fn accounts() -> &'static [DemoAccount] {
    ACCOUNTS
}

/// The gaps seeded on purpose: (Party group, duty item id from
/// `duty-lists/default.toml`, what is wrong). Evaluated for 2026 on
/// [`demo_today`], each shows as overdue, late, missing evidence or due
/// soon. For duties of a branch or a channel the description starts with
/// that branch's or channel's name; everything else of 县民政局党组 in 2026
/// is in order.
pub const SEEDED_GAPS: &[(&str, &str, &str)] = &[
    (
        "县民政局党组",
        "risk-ledger",
        "风险隐患台账2025年12月18日复核后至2026年7月10日才再次复核（一、二季度未复核），此后再未复核",
    ),
    ("县民政局党组", "half-year-report", "2026年上半年意识形态工作专题报告7月2日才报送，逾期12天"),
    ("县民政局党组", "study-sessions", "2026年7次中心组学习中有3次没有研讨记录"),
    ("县民政局党组", "branch-committee", "县民政局机关第一党支部2026年4月、8月未召开支委会"),
    ("县民政局党组", "channel-freshness", "县民政局微信公众号2026年10月30日后未更新"),
    (
        "县民政局党组",
        "rectification",
        "上级督查问题“门户网站部分稿件三审三校记录不完整，缺少审核人签字”整改期限为2026年10月31日，已逾期23天仍未整改到位",
    ),
    ("县民政局党组", "news-quota", "养老服务股2026年第3季度录用信息1篇，少于定额2篇"),
    ("县民政局党组", "feedback-response", "网民发帖反映低保审批办理时间过长，发现后超过48小时未回应"),
    (
        "县民政局党组",
        "event-filing",
        "县民政局“民政大讲堂”“殡葬改革与移风易俗专题讲座”（2026年9月16日）举办后3天才完成审核报备",
    ),
    ("县水利局党委", "quarterly-analysis", "2026年第二季度未开展意识形态领域情况分析研判"),
    ("县水利局党委", "study-sessions", "9月22日中心组学习未上传签到表（缺少佐证）"),
    ("县残联党组", "study-sessions", "2026年中心组学习仅4次，其中意识形态专题仅1次"),
    ("县残联党组", "first-topic", "5月党组会议第一项议题不是“第一议题”"),
    ("县残联党组", "channel-check", "县残联微信视频号2026年第2季度未开展宣传阵地季度检查"),
];

/// What [`seed`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// The database already had units: nothing was written.
    pub reused: bool,
    /// Units, people and channels in the database afterwards.
    pub units: usize,
    pub people: usize,
    pub channels: usize,
    /// Accounts and records written by this call (0 when reused).
    pub accounts: usize,
    pub records: usize,
}

impl DemoSummary {
    fn reused(org: &Org) -> Self {
        DemoSummary {
            reused: true,
            units: org.units.len(),
            people: org.people.len(),
            channels: org.channels.len(),
            accounts: 0,
            records: 0,
        }
    }
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reused {
            write!(f, "数据库中已有数据（{}个单位、{}名人员），沿用现有数据，未写入演示数据", self.units, self.people)
        } else {
            write!(
                f,
                "已写入演示数据：{}个单位、{}名人员（其中{}个演示账号）、{}个宣传阵地、{}条工作记录",
                self.units, self.people, self.accounts, self.channels, self.records
            )
        }
    }
}

/// Fills an empty database with the demo, in one transaction, then the
/// 2025 assessments in a second (the engine they start from reads
/// committed records); a database that already has units is left as it
/// is (the summary says so).
pub async fn seed(store: &Store) -> Result<DemoSummary, StoreError> {
    let org = store.org().await?;
    if !org.units.is_empty() {
        return Ok(DemoSummary::reused(&org));
    }
    // Hash once: argon2 is slow on purpose, and every account shares the password.
    let hash = hash_password(DEMO_PASSWORD);
    let mut w = store.begin_write().await?;
    // Look again under the write lock: another writer may have seeded meanwhile.
    let org = store.org().await?;
    if !org.units.is_empty() {
        return Ok(DemoSummary::reused(&org));
    }
    let summary = write_demo(&mut w, &hash).await?;
    w.commit().await?;
    assessments::seed(store).await?;
    Ok(summary)
}

async fn write_demo(w: &mut WriteTx<'_>, hash: &str) -> Result<DemoSummary, StoreError> {
    let mut x = Writer::new(w, Actor::system("演示数据"), hash);
    let root = x.unit(ROOT_NAME, None, UnitKind::Superior).await?;
    let login = |spec: &org::PersonSpec| spec.username.map(String::from);
    x.person(&ROOT_PEOPLE[0], login(&ROOT_PEOPLE[0]), root, RoleKind::Admin, root, vec![]).await?;
    x.person(&ROOT_PEOPLE[1], login(&ROOT_PEOPLE[1]), root, RoleKind::Inspector, root, vec![]).await?;
    x.person(&ROOT_PEOPLE[2], login(&ROOT_PEOPLE[2]), root, RoleKind::Leader, root, vec![]).await?;

    let mut planned = Vec::new();
    let mut minzheng = None;
    for (gi, g) in GROUPS.iter().enumerate() {
        let ids = group::create(&mut x, g, root, &Naming::demo()).await?;
        planned.push(plan::plan(g, gi, &plan::Ids::of(&ids)));
        if g.name == org::MINZHENG {
            minzheng = Some((g, ids));
        }
    }

    let (list_id, _) = x.w.save_duty_list(&x.actor, DEFAULT_LIST_TOML, Some(root)).await?;
    let tree = UnitTree::new(x.units.iter().cloned());
    x.w.issue_to_subtree(&x.actor, &tree, root, list_id).await?;

    let mut records = 0;
    for (gi, group_records) in planned.iter().enumerate() {
        for new in group_records {
            let record = x.w.create_record(&x.actor, new).await?;
            evidence::attach(x.w, &x.actor, GROUPS[gi].name, &record).await?;
            records += 1;
        }
    }
    if let Some((g, ids)) = minzheng {
        records += group::registers(x.w, &x.actor, g, &ids).await?;
    }
    Ok(DemoSummary {
        reused: false,
        units: x.units.len(),
        people: x.people,
        channels: x.channels,
        accounts: x.accounts,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_match_the_people_with_logins() {
        let people = ROOT_PEOPLE.iter().chain(GROUPS.iter().flat_map(|g| {
            std::iter::once(&g.secretary)
                .chain(g.leaders.iter().map(|l| &l.person))
                .chain(g.departments.iter().map(|d| &d.head))
                .chain(std::iter::once(&g.staff))
                .chain(g.branches.iter().map(|b| &b.secretary))
        }));
        let mut logins: Vec<(&str, &str)> = people.filter_map(|p| p.username.map(|u| (u, p.name))).collect();
        let mut listed: Vec<(&str, &str)> = accounts().iter().map(|a| (a.username, a.name)).collect();
        logins.sort();
        listed.sort();
        assert_eq!(logins, listed);
        for required in ["admin", "xcb-ducha", "mz-shuji", "mz-fuju", "mz-keyuan", "sl-shuji", "cl-shuji"] {
            assert!(listed.iter().any(|(u, _)| *u == required), "{required}");
        }
    }

    #[test]
    fn seeded_gaps_name_real_units_and_duties() {
        let list = taizhang_core::load_duty_list(DEFAULT_LIST_TOML).unwrap();
        for (unit, item, description) in SEEDED_GAPS {
            assert!(GROUPS.iter().any(|g| g.name == *unit), "{unit}");
            assert!(list.items.iter().any(|i| i.id == *item), "{item}");
            assert!(!description.is_empty());
        }
    }
}
