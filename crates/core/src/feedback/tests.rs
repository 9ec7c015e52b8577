use super::*;

/// 2026-11-20 09:30 Beijing plus `minutes`.
fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 30, 0).unwrap() + Duration::minutes(minutes)
}

const H: i64 = 60;

fn staff(id: i64, name: &str) -> Person {
    Person { id, name: name.into() }
}

fn item(level: Level) -> Feedback {
    let new = NewFeedback {
        source: Source::checked(SourceKind::Online, "微博", Some("https://weibo.com/1/abc")).unwrap(),
        summary: "网民反映低保审批办理时间过长".into(),
        category: "民生诉求".into(),
        level,
        owner: staff(2, "李红梅"),
        discovered: Step::new(StepKind::Discover, t(0), staff(1, "刘晓雯"), ""),
    };
    Feedback::new(new, t(0)).unwrap()
}

fn step(kind: StepKind, at: i64) -> Step {
    let mut s = Step::new(kind, t(at), staff(3, "陈静"), "已办理");
    if kind == StepKind::Report {
        s.to = Some("县委宣传部".into());
    }
    if kind == StepKind::Respond {
        s.form = Some(ResponseForm::Reply);
    }
    s
}

fn respond(at: i64, form: ResponseForm) -> Step {
    Step { form: Some(form), ..step(StepKind::Respond, at) }
}

/// An entry taken through 核实 and 处置 at minutes 10 and 20.
fn handled(level: Level) -> Feedback {
    let mut f = item(level);
    f.record(step(StepKind::Verify, 10), t(10)).unwrap();
    f.record(step(StepKind::Handle, 20), t(20)).unwrap();
    f
}

fn states(f: &Feedback, now: i64) -> Vec<(&'static str, DeadlineState)> {
    let limits = Box::leak(Box::new(Limits::default()));
    deadlines(f, limits, t(now)).into_iter().map(|d| (d.deadline.code, d.state)).collect()
}

#[test]
fn steps_go_in_order_and_report_any_time_after_verification() {
    let mut f = item(Level::Larger);
    assert_eq!(f.status(), FeedbackStatus::Awaiting(StepKind::Verify));
    assert_eq!(f.allowed_next(), [StepKind::Verify]);
    let err = f.record(step(StepKind::Handle, 5), t(60)).unwrap_err();
    assert_eq!(err.to_string(), "应先完成“核实”，才能登记“处置”");
    let err = f.record(step(StepKind::Report, 5), t(60)).unwrap_err();
    assert_eq!(err.to_string(), "应先完成“核实”，才能登记“报告”");
    assert_eq!(f.record(step(StepKind::Discover, 5), t(60)), Err(FeedbackError::Discover));

    f.record(step(StepKind::Verify, 10), t(60)).unwrap();
    assert_eq!(f.record(step(StepKind::Verify, 11), t(60)), Err(FeedbackError::Repeated("核实")));
    assert_eq!(f.allowed_next(), [StepKind::Handle, StepKind::Report]);
    f.record(step(StepKind::Report, 12), t(60)).unwrap();
    f.record(step(StepKind::Handle, 20), t(60)).unwrap();
    assert!(f.record(step(StepKind::Close, 30), t(60)).unwrap_err().to_string().contains("应先完成“回应”"));
    f.record(step(StepKind::Respond, 30), t(60)).unwrap();
    // 回应 and 报告 may repeat before 办结.
    assert_eq!(f.allowed_next(), [StepKind::Respond, StepKind::Close, StepKind::Report]);
    f.record(step(StepKind::Respond, 40), t(60)).unwrap();
    f.record(step(StepKind::Report, 41), t(60)).unwrap();
    f.record(step(StepKind::Close, 50), t(60)).unwrap();
    assert_eq!(f.status(), FeedbackStatus::Closed);
    assert!(f.allowed_next().is_empty());
    assert_eq!(f.record(step(StepKind::Report, 55), t(60)), Err(FeedbackError::Closed));
    assert_eq!(f.closed_at(), Some(t(50)));
}

#[test]
fn times_never_go_backwards_or_into_the_future() {
    let mut f = item(Level::General);
    let err = f.record(step(StepKind::Verify, -1), t(60)).unwrap_err();
    assert_eq!(err.to_string(), "“核实”的时间不能早于“发现”的时间（2026-11-20 09:30）");
    // The same minute is fine.
    f.record(step(StepKind::Verify, 0), t(60)).unwrap();
    assert_eq!(f.record(step(StepKind::Handle, 61), t(60)), Err(FeedbackError::InFuture("处置")));
    f.record(step(StepKind::Handle, 60), t(60)).unwrap();
    // A report follows 核实, not the latest step; 办结 follows every step.
    f.record(step(StepKind::Report, 5), t(60)).unwrap();
    f.record(step(StepKind::Respond, 70), t(90)).unwrap();
    f.record(step(StepKind::Report, 80), t(90)).unwrap();
    assert!(matches!(
        f.record(step(StepKind::Close, 75), t(90)),
        Err(FeedbackError::BeforePrevious { before: "报告", .. })
    ));
    let new = NewFeedback { discovered: Step::new(StepKind::Discover, t(1), staff(1, "刘晓雯"), ""), ..new_of(&f) };
    assert_eq!(Feedback::new(new, t(0)), Err(FeedbackError::InFuture("发现")));
}

fn new_of(f: &Feedback) -> NewFeedback {
    NewFeedback {
        source: f.source.clone(),
        summary: f.summary.clone(),
        category: f.category.clone(),
        level: f.level,
        owner: f.owner.clone(),
        discovered: f.steps[0].clone(),
    }
}

#[test]
fn each_step_needs_its_particulars() {
    let mut f = item(Level::General);
    let blank = Step::new(StepKind::Verify, t(1), staff(3, "陈静"), "  ");
    assert_eq!(f.record(blank, t(60)), Err(FeedbackError::Missing("核实情况")));
    f.record(step(StepKind::Verify, 1), t(60)).unwrap();
    let no_one = Step { to: None, ..step(StepKind::Report, 2) };
    assert_eq!(f.record(no_one, t(60)), Err(FeedbackError::Missing("报告对象")));
    f.record(step(StepKind::Handle, 3), t(60)).unwrap();
    let no_form = Step { form: None, ..step(StepKind::Respond, 4) };
    assert_eq!(f.record(no_form, t(60)), Err(FeedbackError::Missing("回应方式")));

    assert_eq!(Source::checked(SourceKind::Online, "微博", None), Err(FeedbackError::NoUrl));
    assert_eq!(Source::checked(SourceKind::Online, "", Some("weibo.com/x")), Err(FeedbackError::BadUrl));
    let hotline = Source::checked(SourceKind::Hotline, " 12345 ", Some(" ")).unwrap();
    assert_eq!((hotline.label(), hotline.url), ("热线电话（12345）".to_string(), None));
    let new = NewFeedback { summary: " ".into(), ..new_of(&f) };
    assert_eq!(Feedback::new(new, t(60)), Err(FeedbackError::Missing("内容摘要")));
}

#[test]
fn an_ordinary_entry_must_be_answered_within_48_hours() {
    let f = handled(Level::General);
    assert_eq!(states(&f, 0), [("respond", DeadlineState::Due { left_minutes: 48 * H })]);
    // At the due instant it is still due; a minute later it is overdue.
    assert_eq!(states(&f, 48 * H), [("respond", DeadlineState::Due { left_minutes: 0 })]);
    assert_eq!(states(&f, 48 * H + 1), [("respond", DeadlineState::Overdue { by_minutes: 1 })]);
    // A response at the due instant is on time; one minute later is late.
    let mut on_time = f.clone();
    on_time.record(respond(48 * H, ResponseForm::Reply), t(48 * H)).unwrap();
    assert_eq!(states(&on_time, 100 * H), [("respond", DeadlineState::Met { at: t(48 * H), late_minutes: 0 })]);
    let mut late = f.clone();
    late.record(respond(48 * H + 1, ResponseForm::Reply), t(49 * H)).unwrap();
    assert_eq!(states(&late, 100 * H), [("respond", DeadlineState::Met { at: t(48 * H + 1), late_minutes: 1 })]);
}

#[test]
fn major_entries_also_need_authoritative_information_and_a_press_conference() {
    let f = handled(Level::Major);
    let codes: Vec<_> = states(&f, 0).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["authoritative", "press_conference", "respond"]);
    assert_eq!(states(&f, 5 * H)[0].1, DeadlineState::Due { left_minutes: 0 });
    assert_eq!(states(&f, 5 * H + 1)[0].1, DeadlineState::Overdue { by_minutes: 1 });

    // A reply meets the 48-hour limit only; authoritative information the 5-hour one too.
    let mut g = f.clone();
    g.record(respond(4 * H, ResponseForm::Reply), t(4 * H)).unwrap();
    let s = states(&g, 6 * H);
    assert_eq!(s[0].1, DeadlineState::Overdue { by_minutes: H });
    assert!(matches!(s[2].1, DeadlineState::Met { late_minutes: 0, .. }));
    g.record(respond(5 * H, ResponseForm::Authoritative), t(6 * H)).unwrap();
    assert_eq!(states(&g, 6 * H)[0].1, DeadlineState::Met { at: t(5 * H), late_minutes: 0 });
    assert_eq!(states(&g, 24 * H + 1)[1].1, DeadlineState::Overdue { by_minutes: 1 });
    // A press conference meets both of its limits; closing without one marks it missed.
    let mut p = f.clone();
    p.record(respond(3 * H, ResponseForm::PressConference), t(3 * H)).unwrap();
    assert!(states(&p, 30 * H).iter().all(|(_, s)| matches!(s, DeadlineState::Met { late_minutes: 0, .. })));
    g.record(step(StepKind::Close, 30 * H), t(30 * H)).unwrap();
    assert_eq!(states(&g, 40 * H)[1].1, DeadlineState::Missed);
    // 特别重大 likewise; 较大 has the 48-hour limit only.
    assert_eq!(states(&handled(Level::Grave), 0).len(), 3);
    assert_eq!(states(&handled(Level::Larger), 0).len(), 1);
}

#[test]
fn limits_are_data() {
    let limits = Limits { deadlines: vec![Deadline { hours: 24, ..DEFAULT_DEADLINES[2].clone() }] };
    let f = item(Level::General);
    let s = deadlines(&f, &limits, t(25 * H));
    assert_eq!(s[0].state, DeadlineState::Overdue { by_minutes: H });
    assert_eq!(s[0].label(), "超过24小时未回应（已逾期1小时）");
}

#[test]
fn reasons_read_as_sentences() {
    let f = item(Level::Larger);
    let limits = Limits::default();
    let s = &deadlines(&f, &limits, t(54 * H + 20))[0];
    assert_eq!(
        overdue_reason(&f, s),
        "“网民反映低保审批办理时间过长”2026年11月20日发现，超过48小时未回应（已逾期6小时）"
    );
    let s = &deadlines(&f, &limits, t(78 * H))[0];
    assert!(overdue_reason(&f, s).ends_with("（已逾期1天6小时）"));
    assert_eq!(duration_text(45), "45分钟");
    assert_eq!(duration_text(48 * H), "2天");
    assert_eq!(short_summary(&"长".repeat(30)).chars().count(), 25);
}

#[test]
fn weeks_and_pinned_now() {
    assert_eq!(parse_week("2026-W47"), NaiveDate::from_ymd_opt(2026, 11, 16));
    assert_eq!(parse_week("2026-W54"), None);
    assert_eq!(parse_week("第47周"), None);
    assert_eq!(week_code(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), "2026-W47");
    assert_eq!(week_code(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()), "2026-W53");
    // A pinned today keeps the real Beijing time of day.
    let real = Utc.with_ymd_and_hms(2030, 1, 1, 17, 15, 0).unwrap(); // 01:15 on 1/2 in Beijing
    let pinned = now_on(NaiveDate::from_ymd_opt(2026, 11, 23), real);
    assert_eq!(shanghai_minute(pinned), "2026-11-23 01:15");
    assert_eq!(now_on(None, real), real);
}

#[test]
fn a_week_counts_what_was_open_in_it() {
    // Week 47 of 2026: Monday 11-16 to Sunday 11-22, Beijing.
    let monday = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let open = item(Level::Larger); // 11-20, overdue from 11-22 09:30
    let mut closed_before = handled(Level::General);
    closed_before.steps.iter_mut().for_each(|s| s.at -= Duration::days(10));
    closed_before.record(respond(-10 * 24 * H + 30, ResponseForm::Reply), t(0)).unwrap();
    closed_before.record(step(StepKind::Close, -10 * 24 * H + 40), t(0)).unwrap();
    let mut closed_in = handled(Level::Major);
    closed_in.record(respond(60, ResponseForm::PressConference), t(60)).unwrap();
    closed_in.record(step(StepKind::Close, 70), t(70)).unwrap();
    let mut other = item(Level::General);
    other.category = "意见建议".into();
    other.steps[0].at = t(4 * 24 * H); // discovered in the next week
    let items = [&open, &closed_before, &closed_in, &other];
    let now = t(3 * 24 * H); // 11-23 09:30
    let w = weekly(&items, &Limits::default(), monday, now);
    assert_eq!(w.items, [0, 2]);
    assert_eq!((w.new, w.closed, w.overdue), (2, 1, 1));
    assert_eq!(w.by_level, [(Level::General, 0), (Level::Larger, 1), (Level::Major, 1), (Level::Grave, 0)]);
    assert_eq!(w.by_category, [("民生诉求".to_string(), 2)]);
    // Seen from before the due time, nothing was overdue yet.
    assert_eq!(weekly(&items, &Limits::default(), monday, t(47 * H)).overdue, 0);
}
