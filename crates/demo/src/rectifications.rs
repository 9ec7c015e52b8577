//! Demo problems for 县民政局党组 from the county 宣传部's 2026 inspection
//! of the 意识形态工作责任制, and one from its own self-inspection: one
//! rectified and closed, one past its deadline (a seeded gap), one in
//! progress.

use chrono::NaiveDate;
use taizhang_core::rectification::{FindingSource, Rectification};
use taizhang_store::{Actor, StoreError, WriteTx};

/// Who answers for the demo problems.
pub(crate) struct Owners {
    pub group: i64,
    pub secretary: i64,
    pub leader: i64,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).expect("a valid demo date")
}

pub(crate) async fn seed(w: &mut WriteTx<'_>, actor: &Actor, o: &Owners) -> Result<(), StoreError> {
    let problem = |source, found_on, problem: &str, measures: &str, owner, deadline| Rectification {
        id: 0,
        unit_id: o.group,
        source,
        found_on,
        problem: problem.into(),
        measures: measures.into(),
        owner: Some(owner),
        deadline,
        evidence: String::new(),
        rectified_on: None,
        closed_on: None,
        opinion: String::new(),
    };
    let done = w
        .create_rectification(
            actor,
            &problem(
                FindingSource::Inspection,
                d(9, 10),
                "意识形态工作责任清单未细化到班子成员，“一岗双责”落实不够具体",
                "制定班子成员意识形态工作责任清单，明确分管领域的具体任务",
                o.secretary,
                d(10, 31),
            ),
        )
        .await?;
    w.change_rectification(actor, done.id, None, |r| {
        r.report_rectified(d(10, 28), d(10, 28), "印发《班子成员意识形态工作责任清单》（民党组〔2026〕21号）")?;
        r.close(d(11, 5), "整改到位，同意销号")
    })
    .await?;
    w.create_rectification(
        actor,
        &problem(
            FindingSource::Inspection,
            d(9, 10),
            "门户网站部分稿件三审三校记录不完整，缺少审核人签字",
            "补齐2026年以来稿件审核记录，此后全部稿件通过系统走三审三校流程",
            o.leader,
            d(10, 31),
        ),
    )
    .await?;
    w.create_rectification(
        actor,
        &problem(
            FindingSource::SelfInspection,
            d(11, 12),
            "部分党支部主题党日活动记录过于简单，未体现学习研讨内容",
            "规范主题党日记录格式，由机关党委每月抽查",
            o.leader,
            d(12, 31),
        ),
    )
    .await?;
    Ok(())
}
