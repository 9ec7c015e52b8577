//! Demo drafts under 三审三校 for 县民政局党组: one article published after
//! all three stages, and one held at 复审二校 whose text still carries the
//! typo 意思形态 that the proofreader flags. Reviewers are named for every
//! channel of every unit: 初审一校 the office head or the leader in charge,
//! 复审二校 that leader, 终审三校 the secretary.

use chrono::NaiveDate;
use std::collections::HashMap;
use taizhang_core::drafts::{Reviewers, Stage};
use taizhang_store::{Actor, NewDraft, ReviewStep, StoreError, WriteTx};

/// Who writes and reviews the demo drafts, and where they go.
pub(crate) struct Cast {
    pub author: Actor,
    pub first: Actor,
    pub second: Actor,
    pub last: Actor,
    pub website: i64,
    pub wechat: i64,
}

pub(crate) fn reviewers(heads: &HashMap<&str, i64>, leaders: &[i64], secretary: i64) -> Result<Reviewers, StoreError> {
    let office = *heads.get("办公室").ok_or_else(|| StoreError::Invalid("演示数据缺少办公室主任".into()))?;
    let leader = *leaders.first().ok_or_else(|| StoreError::Invalid("演示数据缺少班子成员".into()))?;
    Ok(Reviewers { first: vec![office, leader], second: vec![leader], last: vec![secretary] })
}

const PUBLISHED_TITLE: &str = "县民政局开展冬季社会救助政策宣讲活动";
const PUBLISHED_BODY: &str = "为切实做好今冬明春困难群众基本生活保障工作，11月中旬，县民政局组织社会救助股工作人员深入各乡镇开展社会救助政策宣讲活动。\n\
宣讲围绕最低生活保障、特困人员救助供养、临时救助等政策，现场解答群众咨询，发放宣传资料。\n\
下一步，县民政局将持续做好政策宣传和困难群众排查工作，确保困难群众温暖过冬。";
const PUBLISHED_URL: &str = "https://mzj.example.gov.cn/mzdt/202611/t20261118_1.html";
const PUBLISHED_ON: (i32, u32, u32) = (2026, 11, 18);

const HELD_TITLE: &str = "县民政局党组理论学习中心组开展专题学习";
const HELD_BODY: &str = "11月20日，县民政局党组理论学习中心组召开专题学习会，围绕意思形态工作责任制开展学习研讨。\n\
会议强调，要进一步压实意识形态工作责任，加强对局属宣传阵地的管理，严格落实三审三校制度。";

/// Writes the two demo drafts; returns how many records publishing added.
pub(crate) async fn seed(w: &mut WriteTx<'_>, cast: &Cast) -> Result<usize, StoreError> {
    let approve = |stage| ReviewStep::Approve { stage, opinion: "同意".into(), acknowledged: vec![] };
    let new = NewDraft { channel_id: cast.website, title: PUBLISHED_TITLE.into(), body: PUBLISHED_BODY.into() };
    let published = w.create_draft(&cast.author, &new).await?.id;
    w.review_draft(&cast.first, published, None, approve(Stage::First)).await?;
    w.review_draft(&cast.second, published, None, approve(Stage::Second)).await?;
    w.review_draft(
        &cast.last,
        published,
        None,
        ReviewStep::Approve { stage: Stage::Final, opinion: "同意发布".into(), acknowledged: vec![] },
    )
    .await?;
    let (y, m, d) = PUBLISHED_ON;
    let on = NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    w.review_draft(&cast.author, published, None, ReviewStep::Publish { url: PUBLISHED_URL.into(), on }).await?;

    let new = NewDraft { channel_id: cast.wechat, title: HELD_TITLE.into(), body: HELD_BODY.into() };
    let held = w.create_draft(&cast.author, &new).await?.id;
    w.review_draft(&cast.first, held, None, approve(Stage::First)).await?;
    Ok(1)
}
