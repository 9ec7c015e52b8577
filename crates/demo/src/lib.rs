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
mod news;
mod org;
mod plan;
mod rectifications;
mod risks;
mod text;

pub use assessments::{
    RETURNED_UNIT as ASSESSMENT_RETURNED_UNIT, RETURN_OPINION as ASSESSMENT_RETURN_OPINION, YEAR as ASSESSED_YEAR,
};
pub use feedback::OVERDUE_SUMMARY as FEEDBACK_OVERDUE_SUMMARY;

use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt;
use taizhang_core::duty::DEFAULT_LIST_TOML;
use taizhang_core::org::{Role, RoleKind, Unit, UnitKind, UnitTree};
use taizhang_store::password::hash_password;
use taizhang_store::{Actor, NewChannel, NewPerson, NewUnit, Org, Store, StoreError, WriteTx};

use org::{ChannelOwner, PersonSpec, GROUPS, ROOT_NAME, ROOT_PEOPLE};

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

struct Writer<'w, 's> {
    w: &'w mut WriteTx<'s>,
    actor: Actor,
    hash: &'w str,
    units: Vec<Unit>,
    people: usize,
    accounts: usize,
}

impl Writer<'_, '_> {
    async fn unit(&mut self, name: &str, parent_id: Option<i64>, kind: UnitKind) -> Result<i64, StoreError> {
        let unit = self.w.create_unit(&self.actor, &NewUnit { name: name.into(), parent_id, kind }).await?;
        let id = unit.id;
        self.units.push(unit);
        Ok(id)
    }

    /// Creates a person holding one role; returns the person's id.
    async fn person(
        &mut self,
        spec: &PersonSpec,
        unit_id: i64,
        kind: RoleKind,
        scope: i64,
        in_charge_of: Vec<i64>,
    ) -> Result<i64, StoreError> {
        let new = NewPerson {
            unit_id,
            name: spec.name.into(),
            title: spec.title.into(),
            username: spec.username.map(Into::into),
            password_hash: spec.username.map(|_| self.hash.to_string()),
        };
        let person = self.w.create_person(&self.actor, &new).await?;
        self.w.add_role(&self.actor, &Role { person_id: person.id, kind, scope, in_charge_of }).await?;
        self.people += 1;
        self.accounts += usize::from(spec.username.is_some());
        Ok(person.id)
    }
}

async fn write_demo(w: &mut WriteTx<'_>, hash: &str) -> Result<DemoSummary, StoreError> {
    let mut x = Writer { w, actor: Actor::system("演示数据"), hash, units: Vec::new(), people: 0, accounts: 0 };
    let root = x.unit(ROOT_NAME, None, UnitKind::Superior).await?;
    x.person(&ROOT_PEOPLE[0], root, RoleKind::Admin, root, vec![]).await?;
    x.person(&ROOT_PEOPLE[1], root, RoleKind::Inspector, root, vec![]).await?;
    x.person(&ROOT_PEOPLE[2], root, RoleKind::Leader, root, vec![]).await?;

    let mut planned = Vec::new();
    let mut channels = 0;
    let mut review_cast = None;
    let mut owners = None;
    let mut risk_cast = None;
    let mut feedback_cast = None;
    let mut news_cast = None;
    for (gi, g) in GROUPS.iter().enumerate() {
        let group = x.unit(g.name, Some(root), UnitKind::PartyGroup).await?;
        let mut departments: HashMap<&str, i64> = HashMap::new();
        for dept in g.departments {
            departments.insert(dept.name, x.unit(dept.name, Some(group), UnitKind::Department).await?);
        }
        let mut branches = Vec::new();
        for b in g.branches {
            branches.push(x.unit(b.name, Some(group), UnitKind::Branch).await?);
        }
        let dept = |name: &str| {
            departments.get(name).copied().ok_or_else(|| StoreError::Invalid(format!("演示数据缺少科室：{name}")))
        };

        let secretary = x.person(&g.secretary, group, RoleKind::Secretary, group, vec![]).await?;
        let mut leader_ids = Vec::new();
        for l in g.leaders {
            let in_charge = l.in_charge_of.iter().map(|n| dept(n)).collect::<Result<Vec<_>, _>>()?;
            leader_ids.push(x.person(&l.person, group, RoleKind::Leader, group, in_charge).await?);
        }
        let mut heads = HashMap::new();
        for d in g.departments {
            let id = dept(d.name)?;
            heads.insert(d.name, x.person(&d.head, id, RoleKind::DepartmentHead, id, vec![]).await?);
        }
        let staff = x.person(&g.staff, dept("办公室")?, RoleKind::Staff, group, vec![]).await?;
        for (b, id) in g.branches.iter().zip(&branches) {
            x.person(&b.secretary, *id, RoleKind::Secretary, *id, vec![]).await?;
        }

        let mut channel_ids = Vec::new();
        for c in g.channels {
            let owner = match c.owner {
                ChannelOwner::Head(name) => heads.get(name).copied(),
                ChannelOwner::Staff => Some(staff),
            };
            let new = NewChannel {
                unit_id: group,
                name: c.name.into(),
                kind: c.kind.into(),
                account: c.account.into(),
                owner,
            };
            let channel = x.w.create_channel(&x.actor, &new).await?.id;
            x.w.set_channel_reviewers(&x.actor, channel, &drafts::reviewers(&heads, &leader_ids, secretary)?).await?;
            channel_ids.push(channel);
            channels += 1;
        }
        if g.name == org::MINZHENG {
            owners = Some(rectifications::Owners { group, secretary, leader: leader_ids[0] });
            let actor = |id: i64, name: &str| Actor { person_id: Some(id), name: name.into() };
            let office = g.departments.iter().find(|d| d.name == "办公室").map(|d| d.head.name).unwrap_or_default();
            review_cast = Some(drafts::Cast {
                author: actor(staff, g.staff.name),
                first: actor(heads["办公室"], office),
                second: actor(leader_ids[0], g.leaders[0].person.name),
                last: actor(secretary, g.secretary.name),
                website: channel_ids[0],
                wechat: channel_ids[1],
            });
            let mut people: HashMap<&'static str, i64> = HashMap::new();
            for (l, id) in g.leaders.iter().zip(&leader_ids) {
                people.insert(l.person.name, *id);
            }
            for d in g.departments {
                people.insert(d.head.name, heads[d.name]);
            }
            risk_cast = Some(risks::Cast { group, people, reviewer: g.office_leader() });
            let person = |id: i64, name: &str| taizhang_core::drafts::Person { id, name: name.into() };
            let desks = g
                .departments
                .iter()
                .map(|d| {
                    let (officer, co_author) =
                        if d.name == "办公室" { (staff, Some(heads[d.name])) } else { (heads[d.name], None) };
                    Ok(news::Desk { name: d.name, id: dept(d.name)?, officer, co_author })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            news_cast = Some(news::Cast { group, desks });
            feedback_cast = Some(feedback::Cast {
                group,
                staff: person(staff, g.staff.name),
                office: person(heads["办公室"], office),
                leader: person(leader_ids[0], g.leaders[0].person.name),
                secretary: person(secretary, g.secretary.name),
            });
        }
        planned.push(plan::plan(g, gi, &plan::Ids { group, branches, channels: channel_ids }));
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
    if let Some(cast) = review_cast {
        records += drafts::seed(x.w, &cast).await?;
    }
    if let Some(owners) = owners {
        rectifications::seed(x.w, &x.actor, &owners).await?;
    }
    if let Some(cast) = risk_cast {
        records += risks::seed(x.w, &x.actor, &cast).await?;
    }
    if let Some(cast) = feedback_cast {
        feedback::seed(x.w, &cast).await?;
    }
    if let Some(cast) = news_cast {
        news::seed(x.w, &x.actor, &cast).await?;
    }
    Ok(DemoSummary { reused: false, units: x.units.len(), people: x.people, channels, accounts: x.accounts, records })
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
