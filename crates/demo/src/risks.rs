//! The risk ledger (风险隐患台账) of 县民政局党组: six risk points in five
//! domains, reviewed through the ledger on 18 December 2025 and 10 July
//! 2026, which writes the group's `risk_review` records.
//!
//! GAP (县民政局党组): reviewed in December 2025, then not until 10 July
//! 2026 (the first two quarters missed), and not since: every risk still
//! 在控 is overdue for review, among them the high-level 养老机构 risk whose
//! measures were due for review on 25 September 2026.

use chrono::NaiveDate;
use std::collections::HashMap;
use taizhang_core::risk::{ReviewSchedule, RiskInput, RiskLevel, RiskStatus};
use taizhang_store::{Actor, LedgerReview, StoreError, WriteTx};

/// The ledger's unit and its people by name.
pub(crate) struct Cast {
    pub group: i64,
    pub people: HashMap<&'static str, i64>,
    /// Who reviews the ledger: the leader in charge of 办公室.
    pub reviewer: &'static str,
}

struct Spec {
    domain: &'static str,
    title: &'static str,
    level: RiskLevel,
    description: &'static str,
    measures: &'static str,
    owner: &'static str,
    identified_on: (i32, u32, u32),
    /// Closed (已化解) at the July 2026 review.
    resolved_in_july: bool,
}

const RISKS: &[Spec] = &[
    Spec {
        domain: "养老服务",
        title: "养老机构安全事故引发的网络舆情风险",
        level: RiskLevel::High,
        description:
            "全县养老机构14家，入住老人较多；一旦发生消防、食品安全等事故，易被网上炒作，引发对民政监管的质疑。",
        measures: "每月开展养老机构安全检查，汛期和冬季加密检查；建立突发事件信息报告和舆情应对预案，指定专人监测。",
        owner: "孙卫东",
        identified_on: (2025, 12, 1),
        resolved_in_july: false,
    },
    Spec {
        domain: "社会救助",
        title: "社会救助政策解读不到位引发误解的舆情风险",
        level: RiskLevel::Medium,
        description: "低保、特困供养等政策调整后，个别群众对认定标准有误解，可能在网上发帖质疑。",
        measures: "政策调整时同步在门户网站和公众号发布解读，乡镇经办人员统一培训，群众咨询当日答复。",
        owner: "赵志刚",
        identified_on: (2025, 12, 1),
        resolved_in_july: false,
    },
    Spec {
        domain: "殡葬改革",
        title: "殡葬改革推进中的群众情绪风险",
        level: RiskLevel::Medium,
        description: "清明、中元节前后移风易俗和公益性公墓建设推进中，部分群众对治理措施有抵触情绪。",
        measures: "节前开展文明祭扫宣传，先宣传后治理；重点村组由乡镇包保干部上门做工作；设立咨询电话。",
        owner: "吴海燕",
        identified_on: (2025, 12, 1),
        resolved_in_july: false,
    },
    Spec {
        domain: "网络阵地",
        title: "政务新媒体内容发布差错风险",
        level: RiskLevel::Medium,
        description: "门户网站和微信公众号发布量大，存在错字、数据差错和表述不规范的风险。",
        measures: "严格执行三审三校，发布前使用校对工具检查；每月自查一次已发布内容。",
        owner: "陈静",
        identified_on: (2025, 12, 1),
        resolved_in_july: false,
    },
    Spec {
        domain: "社会组织",
        title: "社会组织活动中的不当言论风险",
        level: RiskLevel::Low,
        description: "个别社会组织举办讲座、论坛时邀请人员把关不严。",
        measures: "社会组织年检时开展意识形态工作提醒，重大活动实行报告制度。",
        owner: "吴海燕",
        identified_on: (2025, 12, 1),
        resolved_in_july: true,
    },
    Spec {
        domain: "社会救助",
        title: "低保动态管理核查中群众信访风险",
        level: RiskLevel::Medium,
        description: "低保动态管理核查期间，部分退保对象可能集中信访。",
        measures: "核查结果公示前逐户告知，设立复核渠道，乡镇民政办专人接待。",
        owner: "杨帆",
        identified_on: (2026, 4, 15),
        resolved_in_july: true,
    },
];

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid demo date")
}

/// Writes the ledger and its two reviews; returns how many records the
/// reviews wrote.
pub(crate) async fn seed(w: &mut WriteTx<'_>, actor: &Actor, cast: &Cast) -> Result<usize, StoreError> {
    let schedule = ReviewSchedule::default();
    let mut ids = Vec::new();
    for s in RISKS {
        let owner = cast.people.get(s.owner).copied();
        let owner_id = Some(owner.ok_or_else(|| StoreError::Invalid(format!("演示数据缺少人员：{}", s.owner)))?);
        // `..Default::default()` so a field added to the ledger needs no edit here.
        #[allow(clippy::needless_update)]
        let input = RiskInput {
            domain: s.domain.into(),
            title: s.title.into(),
            level: s.level,
            description: s.description.into(),
            measures: s.measures.into(),
            owner_id,
            status: RiskStatus::Controlled,
            identified_on: date(s.identified_on),
            ..Default::default()
        };
        ids.push((w.create_risk(actor, cast.group, &input).await?.id, s));
    }
    let december = date((2025, 12, 18));
    let first: Vec<(i64, RiskStatus)> = ids
        .iter()
        .filter(|(_, s)| date(s.identified_on) <= december)
        .map(|(id, _)| (*id, RiskStatus::Controlled))
        .collect();
    let review = LedgerReview {
        reviewed_on: december,
        reviewer: cast.reviewer.into(),
        conclusion: format!(
            "逐项复核台账所列风险隐患{}项，防范化解措施均已落实到人，未发现新的重大风险隐患。",
            first.len()
        ),
        next_review: schedule.next_after(december),
        outcomes: first,
    };
    w.review_risks(actor, cast.group, &review).await?;

    let july = date((2026, 7, 10));
    let all: Vec<(i64, RiskStatus)> = ids
        .iter()
        .map(|(id, s)| (*id, if s.resolved_in_july { RiskStatus::Resolved } else { RiskStatus::Controlled }))
        .collect();
    let closed = all.iter().filter(|(_, s)| *s == RiskStatus::Resolved).count();
    let review = LedgerReview {
        reviewed_on: july,
        reviewer: cast.reviewer.into(),
        conclusion: format!(
            "上次复核为2025年12月18日，一、二季度未按期复核，本次补充复核。{}项已化解销号，{}项落实专人跟踪管控；养老机构安全风险等级高，汛期后须加密复核。",
            closed,
            all.len() - closed
        ),
        next_review: schedule.next_after(july),
        outcomes: all,
    };
    w.review_risks(actor, cast.group, &review).await?;
    Ok(2)
}
