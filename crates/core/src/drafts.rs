//! The rules of pre-publication review (三审三校): 初审一校 → 复审二校 →
//! 终审三校 → 发布. Pure: the store keeps a [`Review`] and its history; the
//! web layer calls these methods and shows their errors as they are.
//!
//! Rules (../shared/reference/duty-rules.md §1E, row 25):
//! - stages are signed in order, each by a person listed for that stage;
//! - nobody holds two stages of the same draft, in any version of it;
//! - a rejection returns the draft to its author and clears every sign-off;
//! - an edit clears the sign-offs of the editor's stage and every later
//!   one (the author's edit clears them all);
//! - only a draft with all three stages signed on its current version is
//!   published (先审后发).

use crate::org::PersonId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    First,
    Second,
    Final,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::First, Stage::Second, Stage::Final];

    /// As forms, the API and the stored status write it (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Stage::First => "first",
            Stage::Second => "second",
            Stage::Final => "final",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::First => "初审一校",
            Stage::Second => "复审二校",
            Stage::Final => "终审三校",
        }
    }
}

/// Who may sign each stage of a channel's drafts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewers {
    pub first: Vec<PersonId>,
    pub second: Vec<PersonId>,
    pub last: Vec<PersonId>,
}

impl Reviewers {
    pub fn for_stage(&self, stage: Stage) -> &[PersonId] {
        match stage {
            Stage::First => &self.first,
            Stage::Second => &self.second,
            Stage::Final => &self.last,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub stage: Stage,
    pub by: Person,
    pub at: DateTime<Utc>,
    pub opinion: String,
    /// The draft version signed.
    pub version: u32,
    /// The proofreader's errors the signer left as written, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Acknowledgement>,
}

/// A proofreader error a reviewer leaves as written (a proper name, a
/// quotation), with the reason; shown to the later stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// `title` or `body`.
    pub part: String,
    /// Where the finding starts, in characters of that part.
    pub start: usize,
    pub original: String,
    pub reason: String,
}

/// An error-severity finding of the proofreader on the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError {
    pub part: &'static str,
    pub start: usize,
    pub original: String,
    pub suggestion: String,
}

/// Whether three different people can sign the three stages: the lists
/// must allow a distinct person per stage, or a draft could never be
/// finished (the same person may not hold two stages).
pub fn reviewers_can_finish(r: &Reviewers) -> bool {
    r.first.iter().any(|a| r.second.iter().any(|b| b != a && r.last.iter().any(|c| c != a && c != b)))
}

/// Why a draft cannot go on, when nobody listed for its next stage may
/// sign it (each already holds another stage of this draft).
pub fn stuck_reason(review: &Review, reviewers: &Reviewers) -> Option<String> {
    let stage = review.next_stage().filter(|_| review.published.is_none())?;
    let listed = reviewers.for_stage(stage);
    let holds_another = |id: &PersonId| {
        review
            .history
            .iter()
            .any(|e| matches!(e, Event::Approved(s) | Event::Rejected(s) if s.by.id == *id && s.stage != stage))
    };
    listed.iter().all(holds_another).then(|| {
        format!(
            "本稿件无法继续：“{}”的审核人都已担任本稿件的其他审校环节。请本单位书记或班子成员在“宣传阵地台账”中为该环节增加审核人",
            stage.label()
        )
    })
}

/// A stage is signed only when every error the proofreader finds in the
/// current version is fixed or acknowledged one by one with a reason.
/// Returns the acknowledgements that match an open error (by part, start
/// and text), with the finding's text; others (stale ones) are dropped.
pub fn check_acknowledged(open: &[OpenError], given: &[Acknowledgement]) -> Result<Vec<Acknowledgement>, ReviewError> {
    let mut kept = Vec::new();
    let mut unresolved = Vec::new();
    for e in open {
        let ack = given.iter().find(|a| a.part == e.part && a.start == e.start && !a.reason.trim().is_empty());
        match ack {
            Some(a) => kept.push(Acknowledgement {
                part: e.part.to_string(),
                start: e.start,
                original: e.original.clone(),
                reason: a.reason.trim().chars().take(200).collect(),
            }),
            None => unresolved.push(e),
        }
    }
    match unresolved.first() {
        None => Ok(kept),
        Some(first) => Err(ReviewError::UnresolvedFindings { count: unresolved.len(), first: first.original.clone() }),
    }
}

/// Everything that happened to a draft, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Edited { by: Person, at: DateTime<Utc>, version: u32, cleared: Vec<Stage> },
    Approved(SignOff),
    Rejected(SignOff),
    Published { by: Person, at: DateTime<Utc>, url: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("{who}不是本阵地“{stage}”的审核人，不能签署")]
    NotReviewer { who: String, stage: &'static str },
    #[error("应先完成“{expected}”")]
    OutOfOrder { expected: &'static str },
    #[error("该稿件已完成三审三校，等待发布")]
    AllSigned,
    #[error("{who}已签署本稿件的“{held}”，同一人不得担任两个审校环节")]
    SamePerson { who: String, held: &'static str },
    #[error("退回稿件须写明意见")]
    EmptyOpinion,
    #[error("稿件尚未完成“{missing}”，不得发布（先审后发）")]
    NotApproved { missing: &'static str },
    #[error("请填写发布链接")]
    NoUrl,
    #[error("发布链接须以 http:// 或 https:// 开头")]
    BadUrl,
    #[error("该稿件已发布，不能再修改或签署")]
    Published,
    #[error("自动校对还有{count}处错误（如“{first}”）未改正：请修改稿件，或逐条写明不改的理由后再签署")]
    UnresolvedFindings { count: usize, first: String },
}

/// Where a draft stands, for lists and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    Awaiting(Stage),
    /// All three stages signed on the current version.
    Approved,
    Published,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 5] = [
        ReviewStatus::Awaiting(Stage::First),
        ReviewStatus::Awaiting(Stage::Second),
        ReviewStatus::Awaiting(Stage::Final),
        ReviewStatus::Approved,
        ReviewStatus::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Awaiting(stage) => stage.code(),
            ReviewStatus::Approved => "approved",
            ReviewStatus::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Awaiting(Stage::First) => "待初审一校",
            ReviewStatus::Awaiting(Stage::Second) => "待复审二校",
            ReviewStatus::Awaiting(Stage::Final) => "待终审三校",
            ReviewStatus::Approved => "待发布",
            ReviewStatus::Published => "已发布",
        }
    }
}

/// A draft's review state; rebuildable from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub version: u32,
    /// Sign-offs valid for the current version, in stage order.
    pub signed: Vec<SignOff>,
    pub published: Option<(DateTime<Utc>, String)>,
    pub history: Vec<Event>,
}

impl Default for Review {
    fn default() -> Self {
        Review { version: 1, signed: Vec::new(), published: None, history: Vec::new() }
    }
}

impl Review {
    pub fn status(&self) -> ReviewStatus {
        match (&self.published, self.next_stage()) {
            (Some(_), _) => ReviewStatus::Published,
            (None, Some(stage)) => ReviewStatus::Awaiting(stage),
            (None, None) => ReviewStatus::Approved,
        }
    }

    /// The sign-off of a stage on the current version, if given.
    pub fn signed_for(&self, stage: Stage) -> Option<&SignOff> {
        self.signed.iter().find(|s| s.stage == stage)
    }

    /// The stage to sign next, or `None` when all three are signed.
    pub fn next_stage(&self) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| !self.signed.iter().any(|x| x.stage == *s))
    }

    fn check_open(&self) -> Result<(), ReviewError> {
        if self.published.is_some() {
            Err(ReviewError::Published)
        } else {
            Ok(())
        }
    }

    /// Whether `by` may sign `stage` now: what a page offers.
    pub fn may_sign(&self, stage: Stage, by: &Person, reviewers: &Reviewers) -> bool {
        self.check_signer(stage, by, reviewers).is_ok()
    }

    /// Checks that `by` may sign `stage` now.
    fn check_signer(&self, stage: Stage, by: &Person, reviewers: &Reviewers) -> Result<(), ReviewError> {
        self.check_open()?;
        let expected = self.next_stage().ok_or(ReviewError::AllSigned)?;
        if stage != expected {
            return Err(ReviewError::OutOfOrder { expected: expected.label() });
        }
        if !reviewers.for_stage(stage).contains(&by.id) {
            return Err(ReviewError::NotReviewer { who: by.name.clone(), stage: stage.label() });
        }
        let held = self.history.iter().find_map(|e| match e {
            Event::Approved(s) | Event::Rejected(s) if s.by.id == by.id && s.stage != stage => Some(s.stage),
            _ => None,
        });
        match held {
            Some(h) => Err(ReviewError::SamePerson { who: by.name.clone(), held: h.label() }),
            None => Ok(()),
        }
    }

    /// Signs `stage`; `acknowledged` are the proofreader's errors the
    /// signer leaves as written (see [`check_acknowledged`]).
    pub fn approve(
        &mut self,
        stage: Stage,
        by: Person,
        reviewers: &Reviewers,
        opinion: &str,
        acknowledged: Vec<Acknowledgement>,
        at: DateTime<Utc>,
    ) -> Result<(), ReviewError> {
        self.check_signer(stage, &by, reviewers)?;
        let opinion = opinion.trim().to_string();
        let sign = SignOff { stage, by, at, opinion, version: self.version, acknowledged };
        self.signed.push(sign.clone());
        self.history.push(Event::Approved(sign));
        Ok(())
    }

    /// Returns the draft to its author: every sign-off is cleared.
    pub fn reject(
        &mut self,
        stage: Stage,
        by: Person,
        reviewers: &Reviewers,
        opinion: &str,
        at: DateTime<Utc>,
    ) -> Result<(), ReviewError> {
        self.check_signer(stage, &by, reviewers)?;
        if opinion.trim().is_empty() {
            return Err(ReviewError::EmptyOpinion);
        }
        self.signed.clear();
        let opinion = opinion.trim().to_string();
        let sign = SignOff { stage, by, at, opinion, version: self.version, acknowledged: Vec::new() };
        self.history.push(Event::Rejected(sign));
        Ok(())
    }

    /// Records an edit: a new version, and the sign-offs it clears. An
    /// edit clears the editor's own stage and every later one: a reviewer
    /// correcting the text in his or her stage (二校 corrects what 一校
    /// passed) keeps the earlier sign-offs; anyone else (the author) clears
    /// them all. Returns the cleared stages so the page can say so.
    pub fn edit(&mut self, by: Person, reviewers: &Reviewers, at: DateTime<Utc>) -> Result<Vec<Stage>, ReviewError> {
        self.check_open()?;
        let from = self.editor_stage(&by, reviewers).unwrap_or(Stage::First);
        let cleared: Vec<Stage> = self.signed.iter().map(|s| s.stage).filter(|s| *s >= from).collect();
        self.signed.retain(|s| s.stage < from);
        self.version += 1;
        self.history.push(Event::Edited { by, at, version: self.version, cleared: cleared.clone() });
        Ok(cleared)
    }

    /// The stage an editor works in: the pending stage if he or she may
    /// sign it, else a stage he or she signed on the current version.
    fn editor_stage(&self, by: &Person, reviewers: &Reviewers) -> Option<Stage> {
        let pending = self.next_stage().filter(|s| self.check_signer(*s, by, reviewers).is_ok());
        pending.or_else(|| self.signed.iter().find(|s| s.by.id == by.id).map(|s| s.stage))
    }

    pub fn publish(&mut self, by: Person, url: &str, at: DateTime<Utc>) -> Result<(), ReviewError> {
        self.check_open()?;
        if let Some(missing) = self.next_stage() {
            return Err(ReviewError::NotApproved { missing: missing.label() });
        }
        if url.trim().is_empty() {
            return Err(ReviewError::NoUrl);
        }
        if !is_web_address(url) {
            return Err(ReviewError::BadUrl);
        }
        self.published = Some((at, url.trim().to_string()));
        self.history.push(Event::Published { by, at, url: url.trim().to_string() });
        Ok(())
    }
}

/// What a report states of 三审三校 for a period: the drafts published in
/// it and how they were reviewed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishingFacts {
    /// Drafts published in the period.
    pub published: usize,
    /// Of those, published after all three stages were signed by three
    /// different people on the version published.
    pub fully_reviewed: usize,
    /// Of those, with proofreader errors a reviewer left as written, with
    /// the reason recorded.
    pub acknowledged: usize,
}

impl PublishingFacts {
    /// Counts the reviews of drafts published in `[from, to)`.
    pub fn of<'a>(reviews: impl IntoIterator<Item = &'a Review>, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        let mut facts = PublishingFacts::default();
        for review in reviews {
            if !review.published.as_ref().is_some_and(|(at, _)| *at >= from && *at < to) {
                continue;
            }
            facts.published += 1;
            if review.fully_reviewed() {
                facts.fully_reviewed += 1;
            }
            if review.signed.iter().any(|s| !s.acknowledged.is_empty()) {
                facts.acknowledged += 1;
            }
        }
        facts
    }

    /// The report's sentence: "2026年上半年，各宣传阵地通过三审三校发布稿件12篇，…。"
    pub fn sentence(&self, period_label: &str) -> String {
        let n = self.published;
        if n == 0 {
            return format!("{period_label}，未通过本系统审核发布稿件。");
        }
        let mut text = if self.fully_reviewed == n {
            format!("{period_label}，各宣传阵地发布稿件{n}篇，均经初审一校、复审二校、终审三校后发布")
        } else {
            format!(
                "{period_label}，各宣传阵地发布稿件{n}篇，其中{}篇经初审一校、复审二校、终审三校后发布，{}篇审核记录不完整",
                self.fully_reviewed,
                n - self.fully_reviewed
            )
        };
        if self.acknowledged > 0 {
            text.push_str(&format!("；{}篇中的校对提示经审核人逐条说明理由后保留原文", self.acknowledged));
        }
        text.push('。');
        text
    }
}

impl Review {
    /// Whether the three stages are signed, on the current version, by three
    /// different people.
    pub fn fully_reviewed(&self) -> bool {
        let on_version: Vec<&SignOff> = self.signed.iter().filter(|s| s.version == self.version).collect();
        let mut people: Vec<PersonId> = on_version.iter().map(|s| s.by.id).collect();
        people.sort_unstable();
        people.dedup();
        Stage::ALL.iter().all(|stage| on_version.iter().any(|s| s.stage == *stage)) && people.len() == Stage::ALL.len()
    }
}

/// Whether `url` is a web address (http or https): the only links pages
/// may render, so a `javascript:` link can never reach a reviewer.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && !lower.contains(char::is_whitespace)
}

/// What an edit message says: 已清除“复审二校”“初审一校”签署.
pub fn cleared_message(cleared: &[Stage]) -> Option<String> {
    if cleared.is_empty() {
        return None;
    }
    let names: Vec<String> = cleared.iter().map(|s| format!("“{}”", s.label())).collect();
    Some(format!("稿件已修改，原有的{}签署已失效，须重新审校", names.join("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewer_lists_that_cannot_finish_a_draft_are_recognised() {
        let r = |first: Vec<i64>, second: Vec<i64>, last: Vec<i64>| Reviewers { first, second, last };
        assert!(reviewers_can_finish(&r(vec![1, 2], vec![2], vec![3])));
        assert!(!reviewers_can_finish(&r(vec![2], vec![2], vec![3])), "one person for two stages");
        assert!(!reviewers_can_finish(&r(vec![1, 2], vec![1, 2], vec![1, 2][..1].to_vec())));
        assert!(!reviewers_can_finish(&r(vec![1], vec![], vec![3])));
        // Valid lists, but the only 复审 reviewer signed 初审 of this draft.
        let lists = r(vec![1, 2], vec![2], vec![3]);
        let mut d = Review::default();
        assert_eq!(stuck_reason(&d, &lists), None);
        d.approve(Stage::First, Person { id: 2, name: "乙".into() }, &lists, "同意", vec![], Utc::now()).unwrap();
        assert!(stuck_reason(&d, &lists).unwrap().contains("“复审二校”的审核人都已担任本稿件的其他审校环节"));
    }

    #[test]
    fn every_open_error_is_fixed_or_acknowledged_with_a_reason() {
        let open =
            |start| OpenError {
                part: "body", start, original: "意思形态".into(), suggestion: "意识形态".into()
            };
        let ack = |start, reason: &str| Acknowledgement {
            part: "body".into(),
            start,
            original: String::new(),
            reason: reason.into(),
        };
        assert_eq!(check_acknowledged(&[], &[ack(3, "旧的")]), Ok(vec![]), "stale acknowledgements are dropped");
        let err = check_acknowledged(&[open(3), open(9)], &[ack(3, "引文原文")]).unwrap_err();
        assert_eq!(err, ReviewError::UnresolvedFindings { count: 1, first: "意思形态".into() });
        assert!(err.to_string().contains("逐条写明不改的理由"));
        assert!(check_acknowledged(&[open(3)], &[ack(3, "  ")]).is_err(), "a reason is required");
        let kept = check_acknowledged(&[open(3)], &[ack(3, "引文原文")]).unwrap();
        assert_eq!((kept[0].original.as_str(), kept[0].reason.as_str()), ("意思形态", "引文原文"));
    }
    use chrono::TimeZone;

    fn p(id: PersonId, name: &str) -> Person {
        Person { id, name: name.into() }
    }

    fn t(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 2, minute, 0).unwrap()
    }

    fn reviewers() -> Reviewers {
        Reviewers { first: vec![1, 4], second: vec![2, 4], last: vec![3] }
    }

    #[test]
    fn publishing_facts_count_the_period_s_published_drafts_and_how_they_were_reviewed() {
        let lists = reviewers();
        let published = |acknowledged: Vec<Acknowledgement>, at: DateTime<Utc>| {
            let mut r = Review::default();
            r.approve(Stage::First, p(1, "甲"), &lists, "同意", acknowledged, t(1)).unwrap();
            r.approve(Stage::Second, p(2, "乙"), &lists, "同意", vec![], t(2)).unwrap();
            r.approve(Stage::Final, p(3, "丙"), &lists, "同意", vec![], t(3)).unwrap();
            r.publish(p(3, "丙"), "https://example.gov.cn/a", at).unwrap();
            r
        };
        let ack =
            Acknowledgement { part: "body".into(), start: 0, original: "张三丰".into(), reason: "人名".into() };
        let (from, to) = (t(0), t(30));
        let plain = published(vec![], t(10));
        let kept = published(vec![ack], t(11));
        let later = published(vec![], t(40));
        let waiting = Review::default();
        // A review rebuilt from an old import: published with two stages only.
        let mut partial = published(vec![], t(12));
        partial.signed.retain(|s| s.stage != Stage::Second);
        let all = PublishingFacts::of([&plain, &kept, &later, &waiting], from, to);
        assert_eq!(all, PublishingFacts { published: 2, fully_reviewed: 2, acknowledged: 1 });
        assert_eq!(
            all.sentence("2026年第4季度"),
            "2026年第4季度，各宣传阵地发布稿件2篇，均经初审一校、复审二校、终审三校后发布；1篇中的校对提示经审核人逐条说明理由后保留原文。"
        );
        let mixed = PublishingFacts::of([&plain, &partial], from, to);
        assert_eq!(
            mixed.sentence("2026年"),
            "2026年，各宣传阵地发布稿件2篇，其中1篇经初审一校、复审二校、终审三校后发布，1篇审核记录不完整。"
        );
        assert_eq!(PublishingFacts::default().sentence("2026年"), "2026年，未通过本系统审核发布稿件。");
    }

    #[test]
    fn stage_codes_are_the_serde_names() {
        for stage in Stage::ALL {
            assert_eq!(serde_json::to_string(&stage).unwrap(), format!("\"{}\"", stage.code()));
            assert_eq!(Stage::parse(stage.code()), Some(stage));
        }
        assert_eq!(Stage::parse("last"), None);
    }

    #[test]
    fn three_stages_in_order_then_publish() {
        let r = reviewers();
        let mut d = Review::default();
        assert_eq!(d.publish(p(9, "编辑"), "https://x", t(0)), Err(ReviewError::NotApproved { missing: "初审一校" }));
        assert_eq!(
            d.approve(Stage::Second, p(2, "乙"), &r, "", vec![], t(1)),
            Err(ReviewError::OutOfOrder { expected: "初审一校" })
        );
        d.approve(Stage::First, p(1, "甲"), &r, "同意", vec![], t(2)).unwrap();
        d.approve(Stage::Second, p(2, "乙"), &r, "同意", vec![], t(3)).unwrap();
        assert_eq!(d.publish(p(9, "编辑"), "https://x", t(4)), Err(ReviewError::NotApproved { missing: "终审三校" }));
        d.approve(Stage::Final, p(3, "丙"), &r, "同意发布", vec![], t(5)).unwrap();
        assert_eq!(d.approve(Stage::Final, p(3, "丙"), &r, "", vec![], t(6)), Err(ReviewError::AllSigned));
        assert_eq!(d.publish(p(9, "编辑"), " ", t(6)), Err(ReviewError::NoUrl));
        assert_eq!(d.publish(p(9, "编辑"), "javascript:alert(1)", t(6)), Err(ReviewError::BadUrl));
        assert_eq!(d.publish(p(9, "编辑"), "https://a b", t(6)), Err(ReviewError::BadUrl));
        d.publish(p(9, "编辑"), "https://mz.example/1", t(7)).unwrap();
        assert_eq!(d.edit(p(9, "编辑"), &r, t(8)), Err(ReviewError::Published));
        assert_eq!(d.history.len(), 4);
    }

    #[test]
    fn only_listed_reviewers_sign_their_stage() {
        let r = reviewers();
        let mut d = Review::default();
        let err = d.approve(Stage::First, p(3, "丙"), &r, "", vec![], t(1)).unwrap_err();
        assert_eq!(err.to_string(), "丙不是本阵地“初审一校”的审核人，不能签署");
        assert!(d.signed.is_empty() && d.history.is_empty(), "a refused signature leaves no trace");
    }

    #[test]
    fn nobody_holds_two_stages_even_across_versions() {
        let r = reviewers();
        let mut d = Review::default();
        d.approve(Stage::First, p(4, "丁"), &r, "同意", vec![], t(1)).unwrap();
        let err = d.approve(Stage::Second, p(4, "丁"), &r, "同意", vec![], t(2)).unwrap_err();
        assert_eq!(err, ReviewError::SamePerson { who: "丁".into(), held: "初审一校" });
        // After an edit the old sign-off is gone, but the person still held
        // 初审一校 of this draft: 复审二校 stays closed to them.
        d.edit(p(9, "编辑"), &r, t(3)).unwrap();
        d.approve(Stage::First, p(1, "甲"), &r, "同意", vec![], t(4)).unwrap();
        assert!(matches!(
            d.approve(Stage::Second, p(4, "丁"), &r, "", vec![], t(5)),
            Err(ReviewError::SamePerson { .. })
        ));
        d.approve(Stage::Second, p(2, "乙"), &r, "同意", vec![], t(6)).unwrap();
    }

    #[test]
    fn an_edit_clears_sign_offs_and_says_so() {
        let r = reviewers();
        let mut d = Review::default();
        d.approve(Stage::First, p(1, "甲"), &r, "同意", vec![], t(1)).unwrap();
        d.approve(Stage::Second, p(2, "乙"), &r, "同意", vec![], t(2)).unwrap();
        let cleared = d.edit(p(9, "编辑"), &r, t(3)).unwrap();
        assert_eq!(cleared, [Stage::First, Stage::Second]);
        assert_eq!(d.version, 2);
        assert_eq!(d.next_stage(), Some(Stage::First));
        assert_eq!(cleared_message(&cleared).unwrap(), "稿件已修改，原有的“初审一校”“复审二校”签署已失效，须重新审校");
        assert_eq!(cleared_message(&d.edit(p(9, "编辑"), &r, t(4)).unwrap()), None, "nothing signed, nothing cleared");
    }

    #[test]
    fn a_reviewer_editing_in_his_stage_keeps_the_earlier_sign_offs() {
        let r = reviewers();
        let mut d = Review::default();
        d.approve(Stage::First, p(1, "甲"), &r, "同意", vec![], t(1)).unwrap();
        // 乙 corrects the text before signing 复审二校: 初审一校 stands.
        assert_eq!(d.edit(p(2, "乙"), &r, t(2)).unwrap(), []);
        d.approve(Stage::Second, p(2, "乙"), &r, "同意", vec![], t(3)).unwrap();
        // 乙 corrects again after signing: his own and later stages go.
        assert_eq!(d.edit(p(2, "乙"), &r, t(4)).unwrap(), [Stage::Second]);
        assert_eq!(d.next_stage(), Some(Stage::Second));
        assert_eq!(d.signed.len(), 1);
        d.approve(Stage::Second, p(2, "乙"), &r, "同意", vec![], t(5)).unwrap();
        d.approve(Stage::Final, p(3, "丙"), &r, "同意", vec![], t(6)).unwrap();
        // A reviewer who cannot sign the pending stage (乙 held 复审二校)
        // edits as in the stage he signed.
        assert!(!d.may_sign(Stage::Final, &p(2, "乙"), &Reviewers { last: vec![2, 3], ..r.clone() }));
        // 甲 edits after everything was signed: 甲's stage and all later.
        assert_eq!(d.edit(p(1, "甲"), &r, t(7)).unwrap(), Stage::ALL);
    }

    #[test]
    fn a_rejection_needs_an_opinion_and_returns_the_draft() {
        let r = reviewers();
        let mut d = Review::default();
        d.approve(Stage::First, p(1, "甲"), &r, "同意", vec![], t(1)).unwrap();
        assert_eq!(d.reject(Stage::Second, p(2, "乙"), &r, "  ", t(2)), Err(ReviewError::EmptyOpinion));
        d.reject(Stage::Second, p(2, "乙"), &r, "数据需核实", t(3)).unwrap();
        assert!(d.signed.is_empty());
        assert_eq!(d.next_stage(), Some(Stage::First));
        assert!(matches!(d.history.last(), Some(Event::Rejected(s)) if s.opinion == "数据需核实"));
    }
}
