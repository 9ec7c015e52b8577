//! The automatic score through the real engine: one test per rule type and
//! status, on the engine's test unit (one branch, one channel).

use super::*;
use crate::duty::{load_duty_list, DEFAULT_LIST_TOML};
use crate::engine::evaluate;
use crate::engine::tests::{branch_meeting, problem, report, study, Fixture, BRANCH, CHANNEL, UNIT};
use crate::record::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn card_with(f: &Fixture, year: i32, today: NaiveDate, rules: &Rules) -> AutoCard {
    let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
    let e = evaluate(&list.items, &f.ctx(), Period::year(year), today);
    auto_score(&list.items, &e, rules)
}

fn item(f: &Fixture, id: &str, year: i32, today: NaiveDate) -> ItemScore {
    let card = card_with(f, year, today, &Rules::default());
    card.item(id).unwrap_or_else(|| panic!("no {id}")).clone()
}

fn s(text: &str) -> Score {
    Score::parse(text).unwrap()
}

fn party_meeting(ideology: bool, first_topic: bool, minutes: &str) -> RecordData {
    RecordData::PartyGroupMeeting(PartyGroupMeeting {
        title: "党组会".into(),
        attendees: vec!["王书记".into()],
        minutes: minutes.into(),
        agenda: vec![
            AgendaItem { title: "学习讲话".into(), first_topic, ideology: false },
            AgendaItem { title: "研究意识形态工作".into(), first_topic: false, ideology },
        ],
        ..Default::default()
    })
}

#[test]
fn a_report_done_late_keeps_its_deduction() {
    let mut f = Fixture::new();
    // Not yet done after its deadline: the half-year's whole share.
    let open = item(&f, "half-year-report", 2026, d(2026, 6, 25));
    assert_eq!(open.deductions.len(), 1, "{open:?}");
    assert_eq!((open.deductions[0].status, open.deductions[0].points), (Status::Overdue, s("5")));
    assert!(open.running, "the second half-year is still to come");
    // Done twelve days late: half the share stays lost, now and after the year.
    f.add_filed(UNIT, d(2026, 7, 2), report("2026H1", Some(d(2026, 7, 2))));
    f.add_filed(UNIT, d(2026, 12, 10), report("2026H2", Some(d(2026, 12, 10))));
    for today in [d(2026, 11, 23), d(2027, 1, 10)] {
        let late = item(&f, "half-year-report", 2026, today);
        assert_eq!(late.auto, s("7.5"), "{late:?}");
        let lost = &late.deductions[0];
        assert_eq!((lost.status, lost.points, lost.period.as_deref()), (Status::Late, s("2.5"), Some("2026H1")));
        assert!(lost.reason.contains("逾期12天报送"), "{}", lost.reason);
        assert_eq!(lost.how, "该期分值5分，逾期完成扣50%");
    }
}

#[test]
fn missed_months_cost_their_share_and_running_months_nothing() {
    let mut f = Fixture::new();
    for m in [1, 2, 3, 5, 6, 7, 9, 10, 11, 12] {
        f.add(BRANCH, d(2026, m, 10), branch_meeting(BranchMeetingType::Committee));
    }
    let year_end = item(&f, "branch-committee", 2026, d(2027, 1, 5));
    let reasons: Vec<&str> = year_end.deductions.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(reasons, ["机关第一党支部2026年4月未召开支部委员会会议", "机关第一党支部2026年8月未召开支部委员会会议"]);
    assert!(year_end.deductions.iter().all(|x| x.points == s("0.33") && x.how == "该期分值0.33分，已逾期扣100%"));
    assert_eq!((year_end.auto, year_end.running), (s("3.34"), false));
    // In the year: December is not over, and is not deducted.
    let mut f = Fixture::new();
    f.add(BRANCH, d(2026, 11, 5), branch_meeting(BranchMeetingType::Committee));
    let running = item(&f, "branch-committee", 2026, d(2026, 11, 23));
    assert_eq!(running.deductions.len(), 10, "January to October: {running:?}");
    assert!(running.running);
    assert!(running.deductions.iter().all(|x| !x.reason.contains("12月") && !x.reason.contains("11月")));
}

#[test]
fn a_short_count_loses_its_shortfall() {
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 3, 5), party_meeting(true, true, "纪要"));
    let one_of_two = item(&f, "ideology-research", 2026, d(2027, 1, 5));
    assert_eq!(one_of_two.auto, s("5"), "{one_of_two:?}");
    assert_eq!(one_of_two.deductions[0].how, "该期分值10分，已逾期扣100%，按比例（应2次，少1次）");
    // Before the year ends it is due, not yet lost.
    assert!(item(&f, "ideology-research", 2026, d(2026, 11, 23)).deductions.is_empty());
}

#[test]
fn two_findings_about_one_period_never_cost_more_than_its_share() {
    let mut f = Fixture::new();
    // One of two meetings, and that one without minutes.
    f.add(UNIT, d(2026, 3, 5), party_meeting(true, true, ""));
    let rules = Rules { missing_evidence: 1.0, ..Rules::default() };
    let card = card_with(&f, 2026, d(2027, 1, 5), &rules);
    let both = card.item("ideology-research").unwrap();
    let lost: Vec<(Status, Score)> = both.deductions.iter().map(|x| (x.status, x.points)).collect();
    assert_eq!(lost, [(Status::Overdue, s("5")), (Status::MissingEvidence, s("5"))]);
    assert_eq!(both.auto, Score::ZERO);
}

#[test]
fn missing_evidence_costs_the_share_of_records_lacking_it() {
    let mut f = Fixture::new();
    for (i, m) in [1, 3, 4, 5, 7, 9, 10].into_iter().enumerate() {
        let discussion = if [2, 4, 6].contains(&i) { "" } else { "研讨发言" };
        f.add_filed(UNIT, d(2026, m, 15), study(false, discussion));
    }
    // Counted and met, but 3 of the 7 lack a 研讨 record: lost even while the year runs.
    let it = item(&f, "study-sessions", 2026, d(2026, 11, 23));
    assert_eq!(it.deductions.len(), 1, "{it:?}");
    assert_eq!((it.deductions[0].status, it.deductions[0].points), (Status::MissingEvidence, s("2.14")));
    assert!(it.deductions[0].reason.contains("3次缺少研讨记录"), "{}", it.deductions[0].reason);
    assert!(it.deductions[0].how.ends_with("缺少佐证扣50%，按比例（7次中3次缺佐证）"), "{}", it.deductions[0].how);
    assert_eq!(it.auto, s("7.86"));
}

#[test]
fn every_meeting_without_the_first_topic_costs_its_part() {
    let mut f = Fixture::new();
    for (m, first) in [(2, true), (5, false), (8, true), (11, true)] {
        f.add(UNIT, d(2026, m, 5), party_meeting(false, first, "纪要"));
    }
    let it = item(&f, "first-topic", 2026, d(2026, 11, 23));
    assert_eq!(it.deductions[0].points, s("0.63"), "5 × 50% × 1/4: {it:?}");
}

#[test]
fn a_stale_ledger_costs_every_quarter_it_was_stale_in() {
    let review = || RecordData::RiskReview(RiskReview { reviewer: "李副局长".into(), ..Default::default() });
    let mut f = Fixture::new();
    f.add(UNIT, d(2025, 12, 18), review());
    f.add(UNIT, d(2026, 7, 10), review());
    let it = item(&f, "risk-ledger", 2026, d(2026, 11, 23));
    let lost: Vec<(Status, Score, &str)> = it.deductions.iter().map(|x| (x.status, x.points, x.how.as_str())).collect();
    assert_eq!(
        lost,
        [
            // Stale from 21 March to 10 July: the first three quarters, done late.
            (Status::Late, s("1.88"), "3个期间各1.25分，逾期完成扣50%"),
            // Stale again since 11 October and still open.
            (Status::Overdue, s("1.25"), "该期分值1.25分，已逾期扣100%"),
        ],
        "{it:?}"
    );
    assert_eq!(it.auto, s("1.87"));
}

#[test]
fn a_channel_lapse_costs_its_months() {
    let update =
        || RecordData::ChannelUpdate(ChannelUpdate { channel_id: CHANNEL, title: "动态".into(), url: String::new() });
    let mut f = Fixture::new();
    let mut day = d(2026, 1, 2);
    while day <= d(2026, 10, 30) {
        f.add(UNIT, day, update());
        day = day + chrono::Days::new(10);
    }
    let it = item(&f, "channel-freshness", 2026, d(2026, 11, 23));
    assert_eq!(it.deductions.len(), 1, "{it:?}");
    assert!(it.deductions[0].reason.starts_with("政务微信公众号"), "{}", it.deductions[0].reason);
    assert_eq!(it.deductions[0].points, s("0.42"), "one month of 5 ÷ 12");
    // A unit without channels loses nothing on them, and says why.
    f.channels.clear();
    let none = item(&f, "channel-freshness", 2026, d(2026, 11, 23));
    assert_eq!((none.auto, none.deductions.len()), (s("5"), 0));
    assert!(none.note.contains("没有该事项适用的对象"));
}

#[test]
fn problems_share_the_rectification_points() {
    let mut f = Fixture::new();
    f.rectifications.push(problem(d(2026, 10, 31), Some(d(2026, 11, 5))));
    f.rectifications.push(crate::rectification::Rectification { id: 2, ..problem(d(2026, 10, 31), None) });
    let it = item(&f, "rectification", 2026, d(2026, 11, 23));
    let lost: Vec<(Status, Score)> = it.deductions.iter().map(|x| (x.status, x.points)).collect();
    assert_eq!(lost, [(Status::Late, s("2.5")), (Status::Overdue, s("5"))]);
    assert!(it.deductions[0].how.starts_with("每个问题分值5分"), "{}", it.deductions[0].how);
    assert_eq!(it.auto, s("2.5"));
}

#[test]
fn the_shares_lost_are_parameters() {
    let mut f = Fixture::new();
    f.add_filed(UNIT, d(2026, 7, 2), report("2026H1", Some(d(2026, 7, 2))));
    let rules = Rules { late: 0.2, ..Rules::default() };
    let card = card_with(&f, 2026, d(2026, 11, 23), &rules);
    assert_eq!(card.item("half-year-report").unwrap().deductions[0].points, s("1"));
    let lenient = Rules { late: 0.0, ..Rules::default() };
    let card = card_with(&f, 2026, d(2026, 11, 23), &lenient);
    assert!(card.item("half-year-report").unwrap().deductions.is_empty(), "a zero share deducts nothing");
}

#[test]
fn the_card_keeps_the_list_order_and_adds_up() {
    let f = Fixture::new();
    let card = card_with(&f, 2026, d(2026, 1, 5), &Rules::default());
    let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
    let ids: Vec<&str> = card.items.iter().map(|i| i.item_id.as_str()).collect();
    let want: Vec<&str> = list.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, want);
    assert_eq!(card.max(), Score::points(list.items.iter().map(|i| i.points).sum()));
    let lost: Score = card.items.iter().flat_map(|i| &i.deductions).map(|x| x.points).sum();
    assert_eq!(card.total(), card.max() - lost);
    // On 5 January nothing but the never-kept ledgers is lost yet.
    let losing: Vec<&str> =
        card.items.iter().filter(|i| !i.deductions.is_empty()).map(|i| i.item_id.as_str()).collect();
    assert_eq!(losing, ["risk-ledger", "channel-freshness"]);
}

#[test]
fn a_cards_scores_only_keep_every_total_and_drop_the_reasons() {
    let mut f = Fixture::new();
    f.add(BRANCH, d(2026, 3, 10), branch_meeting(BranchMeetingType::Committee));
    let card = card_with(&f, 2026, d(2027, 1, 5), &Rules::default());
    assert!(card.items.iter().any(|i| !i.deductions.is_empty()), "a year with gaps has deductions");
    let scores = card.clone().scores_only();
    assert_eq!((scores.total(), scores.max()), (card.total(), card.max()));
    assert!(scores.items.iter().all(|i| i.deductions.is_empty()));
    let autos = |c: &AutoCard| c.items.iter().map(|i| (i.item_id.clone(), i.auto, i.running)).collect::<Vec<_>>();
    assert_eq!(autos(&scores), autos(&card));
}
