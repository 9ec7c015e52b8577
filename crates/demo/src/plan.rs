//! The records of one Party group's year, planned from the static specs:
//! pure, so the same demo comes out every time. The seeded gaps are made
//! here, each marked `GAP`.

use crate::org::{BranchSpec, GroupSpec, CANLIAN, MINZHENG, MINZHENG_FORUM, SHUILI};
use crate::text::{self, StudySpec};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use taizhang_core::period::{Cadence, Period};
use taizhang_core::record::*;
use taizhang_store::NewRecord;

/// The ids the records refer to, in the order of the spec.
pub(crate) struct Ids {
    pub group: i64,
    pub branches: Vec<i64>,
    pub channels: Vec<i64>,
}

impl Ids {
    pub fn of(g: &crate::group::Group) -> Ids {
        Ids { group: g.group, branches: g.branches.clone(), channels: g.channels.clone() }
    }
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid demo date")
}

/// The month of index `i`: 0 is December 2025, 1–11 are January–November 2026.
fn ym(i: usize) -> (i32, u32) {
    if i == 0 {
        (2025, 12)
    } else {
        (2026, i as u32)
    }
}

/// Public holidays around the demo year, roughly as the calendar has them
/// (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆): meetings are not held on them.
const HOLIDAYS: [((u32, u32), (u32, u32)); 7] = [
    ((1, 1), (1, 3)),
    ((2, 15), (2, 23)),
    ((4, 4), (4, 6)),
    ((5, 1), (5, 5)),
    ((6, 19), (6, 21)),
    ((9, 25), (9, 27)),
    ((10, 1), (10, 7)),
];

fn is_holiday(date: NaiveDate) -> bool {
    let md = (date.month(), date.day());
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || HOLIDAYS.iter().any(|(from, to)| *from <= md && md <= *to)
}

/// A working day: the date, or the next working day after it.
fn wd(y: i32, m: u32, day: u32) -> NaiveDate {
    let mut date = d(y, m, day);
    while is_holiday(date) {
        date = date + Days::new(1);
    }
    date
}

/// The last day channel updates run to (the demo's data ends here).
pub(crate) fn last_entry_day() -> NaiveDate {
    d(2026, 11, 20)
}

/// How many were absent, in a fixed irregular pattern.
fn absent_count(seed: usize) -> usize {
    [0, 1, 0, 2, 1, 0, 1][seed % 7]
}

fn absentees(pool: &[&str], reasons: &[&str], n: usize, seed: usize) -> Vec<Absence> {
    (0..n.min(pool.len()))
        .map(|k| Absence {
            name: pool[(seed + k * 3) % pool.len()].into(),
            reason: reasons[(seed + k) % reasons.len()].into(),
        })
        .collect()
}

/// ，何佳（出差）、马俊（病假）请假 — or nothing when all came.
fn absence_phrase(absent: &[Absence]) -> String {
    if absent.is_empty() {
        return String::new();
    }
    let names: Vec<String> = absent.iter().map(|a| format!("{}（{}）", a.name, a.reason)).collect();
    format!("，{}请假", names.join("、"))
}

fn fill(template: &str, y: i32, m: u32) -> String {
    template.replace("{y}", &y.to_string()).replace("{m}", &m.to_string())
}

struct Plan<'a> {
    g: &'a GroupSpec,
    /// The group's position in the spec, used to spread dates a little.
    gi: usize,
    ids: &'a Ids,
    out: Vec<NewRecord>,
}

impl Plan<'_> {
    fn add(&mut self, unit_id: i64, occurred_on: NaiveDate, data: RecordData) {
        self.out.push(NewRecord { unit_id, occurred_on, data });
    }

    fn is(&self, name: &str) -> bool {
        self.g.name == name
    }
}

/// Every record of one Party group from December 2025 to 20 November 2026.
pub(crate) fn plan(g: &GroupSpec, gi: usize, ids: &Ids) -> Vec<NewRecord> {
    let mut p = Plan { g, gi, ids, out: Vec::new() };
    party_group_meetings(&mut p);
    for s in g.texts.studies {
        study(&mut p, s);
    }
    analyses(&mut p);
    risk_reviews(&mut p);
    reports(&mut p);
    life_meeting(&mut p);
    for (bi, b) in g.branches.iter().enumerate() {
        branch_year(&mut p, bi, b);
    }
    for (ci, c) in g.channels.iter().enumerate() {
        if c.kind == "event" {
            events(&mut p, ci);
        } else {
            channel_updates(&mut p, ci);
            channel_checks(&mut p, ci);
        }
    }
    p.out
}

fn party_group_meetings(p: &mut Plan) {
    let g = p.g;
    let team = g.team();
    for i in 0..12 {
        let (y, m) = ym(i);
        let date = if i == 0 { wd(2025, 12, 22) } else { wd(y, m, 8 + ((i + p.gi) % 4) as u32) };
        let first = AgendaItem { title: g.texts.first_topics[i].into(), first_topic: true, ideology: false };
        let business = AgendaItem { title: g.texts.business[i].into(), first_topic: false, ideology: false };
        // GAP (县残联党组): in May the urgent 助残日 item was put before the 第一议题.
        let mut agenda = if p.is(CANLIAN) && i == 5 { vec![business, first] } else { vec![first, business] };
        match i {
            2 => agenda.push(AgendaItem { title: text::IDEOLOGY_ITEM_FEB.into(), first_topic: false, ideology: true }),
            8 => agenda.push(AgendaItem { title: text::IDEOLOGY_ITEM_AUG.into(), first_topic: false, ideology: true }),
            _ => {}
        }
        let absent: Vec<Absence> = if i % 4 == 3 {
            let leader = g.leaders[(i / 4) % g.leaders.len()].person.name;
            vec![Absence { name: leader.into(), reason: text::ABSENCE_REASONS[i % 6].into() }]
        } else {
            vec![]
        };
        let attendees: Vec<String> =
            team.iter().filter(|n| !absent.iter().any(|a| a.name == **n)).map(|n| n.to_string()).collect();
        let attendance = if absent.is_empty() {
            format!("班子成员{}人全部出席", team.len())
        } else {
            format!("应出席{}人，实出席{}人{}", team.len(), attendees.len(), absence_phrase(&absent))
        };
        let studied = agenda.iter().find(|a| a.first_topic).map(|a| a.title.clone()).unwrap_or_default();
        let others: Vec<&str> = agenda.iter().filter(|a| !a.first_topic).map(|a| a.title.as_str()).collect();
        let studied = studied.strip_prefix("学习").unwrap_or(&studied);
        let closing = text::MEETING_CLOSINGS[(i + p.gi) % text::MEETING_CLOSINGS.len()];
        let body = if agenda[0].first_topic {
            format!(
                "会议首先学习了{}（第一议题），班子成员结合分管工作谈了贯彻落实意见。会议还{}",
                studied,
                others.join("；")
            )
        } else {
            format!("会议首先{}，随后学习了{}（第一议题）", others.join("；"), studied)
        };
        let minutes = format!("会议由{}同志主持，{attendance}。{body}。{closing}。", g.secretary.name);
        let data = RecordData::PartyGroupMeeting(PartyGroupMeeting {
            title: format!("{}{}年第{}次{}会议", g.short, y, m, g.body),
            host: g.secretary.name.into(),
            attendees,
            absentees: absent,
            agenda,
            minutes,
        });
        p.add(p.ids.group, date, data);
    }
}

fn study(p: &mut Plan, s: &StudySpec) {
    let g = p.g;
    let date = d(s.date.0, s.date.1, s.date.2);
    let heads = g.department_heads();
    let seed = date.ordinal() as usize;
    let absent: Vec<Absence> = if seed % 3 == 1 {
        vec![Absence { name: heads[seed % heads.len()].into(), reason: text::ABSENCE_REASONS[seed % 6].into() }]
    } else {
        vec![]
    };
    let attendees: Vec<String> = g
        .team()
        .into_iter()
        .chain(heads.iter().copied())
        .filter(|n| !absent.iter().any(|a| a.name == *n))
        .map(Into::into)
        .collect();
    let discussion = match s.discussion {
        Some([a, b]) => {
            let second = g.leaders.get(1).map(|l| l.person.name).unwrap_or(g.secretary.name);
            format!(
                "{}同志结合分管工作交流发言，认为{a}；{second}同志交流发言，提出{b}；其他同志也结合各自工作谈了认识和打算。",
                g.leaders[0].person.name
            )
        }
        // GAP (县民政局党组): three sessions were read-only, with no 研讨.
        None => String::new(),
    };
    let data = RecordData::Study(StudySession {
        title: s.title.into(),
        plan_item: s.plan_item.into(),
        notice_date: Some(date - Days::new(3)),
        host: g.secretary.name.into(),
        attendees,
        absentees: absent,
        topics: s.topics.iter().map(|t| t.to_string()).collect(),
        on_ideology: s.on_ideology,
        discussion,
        summary: format!("{}同志作总结讲话，强调{}。", g.secretary.name, s.summary),
    });
    p.add(p.ids.group, date, data);
}

fn analyses(p: &mut Plan) {
    let g = p.g;
    let gi = p.gi as u32;
    let dates = [wd(2025, 12, 26 + gi), wd(2026, 3, 26 + gi), wd(2026, 6, 25 + gi), wd(2026, 9, 24 + gi)];
    for (k, date) in dates.into_iter().enumerate() {
        // GAP (县水利局党委): no 分析研判 in the second quarter of 2026.
        if p.is(SHUILI) && k == 2 {
            continue;
        }
        let label = Period::containing(date, Cadence::Quarter).label();
        let risks: Vec<String> = (0..3).map(|j| g.texts.risks[(k + j) % g.texts.risks.len()].to_string()).collect();
        let data = RecordData::Analysis(Analysis {
            topic: format!("{label}意识形态领域情况分析研判"),
            host: g.secretary.name.into(),
            attendees: g.team().into_iter().map(Into::into).collect(),
            conclusion: format!("{}。下一步重点防范{}，由分管领导牵头落实。", g.texts.analysis[k], risks[0]),
            risks_reviewed: risks,
            report: format!("《{}{}关于{label}意识形态领域情况的分析研判报告》，已报县委宣传部", g.short, g.body),
        });
        p.add(p.ids.group, date, data);
    }
}

fn risk_reviews(p: &mut Plan) {
    let g = p.g;
    // 县民政局党组 keeps a risk ledger in the demo: its reviews (and the
    // records they write, with the seeded gap) come from `crate::risks`.
    if p.is(MINZHENG) {
        return;
    }
    let dates: &[(i32, u32, u32)] = if p.is(SHUILI) {
        &[(2025, 12, 19), (2026, 3, 18), (2026, 6, 16), (2026, 9, 14)]
    } else {
        &[(2025, 12, 23), (2026, 3, 20), (2026, 6, 17), (2026, 9, 16)]
    };
    for (k, &(y, m, day)) in dates.iter().enumerate() {
        let date = d(y, m, day);
        let count = 5 + (k as u32 % 2);
        let closed = 1 + (k as u32 % 2);
        let data = RecordData::RiskReview(RiskReview {
            reviewer: g.office_leader().into(),
            risks_count: count,
            conclusion: format!(
                "逐项复核台账所列风险隐患{count}项，其中{closed}项已化解销号，{}项落实专人跟踪管控，未发现新的重大风险隐患。",
                count - closed
            ),
            next_review: Some(date + Days::new(90)),
        });
        p.add(p.ids.group, date, data);
    }
}

fn reports(p: &mut Plan) {
    let g = p.g;
    // (period, drafted, due, submitted)
    let plan: [(&str, NaiveDate, NaiveDate, NaiveDate); 2] = if p.is(MINZHENG) {
        // GAP (县民政局党组): the 2026H1 report went in 12 days late.
        [
            ("2025H2", d(2025, 12, 12), d(2025, 12, 20), d(2025, 12, 16)),
            ("2026H1", d(2026, 6, 30), d(2026, 6, 20), d(2026, 7, 2)),
        ]
    } else if p.is(SHUILI) {
        [
            ("2025H2", d(2025, 12, 10), d(2025, 12, 20), d(2025, 12, 15)),
            ("2026H1", d(2026, 6, 12), d(2026, 6, 20), d(2026, 6, 17)),
        ]
    } else {
        [
            ("2025H2", d(2025, 12, 11), d(2025, 12, 20), d(2025, 12, 18)),
            ("2026H1", d(2026, 6, 10), d(2026, 6, 20), d(2026, 6, 16)),
        ]
    };
    for (k, (period, drafted, due, submitted)) in plan.into_iter().enumerate() {
        let label = Period::parse(period).expect("valid period").label();
        let data = RecordData::Report(Report {
            report_type: "ideology".into(),
            period: period.into(),
            title: format!("{}关于{label}意识形态工作责任制落实情况的报告", g.name),
            due_on: Some(due),
            submitted_on: Some(submitted),
            receipt: format!("县委宣传部办公室签收（宣收〔{}〕{}号）", submitted.year(), 40 + 17 * k + 3 * p.gi),
        });
        p.add(p.ids.group, drafted, data);
    }
}

fn life_meeting(p: &mut Plan) {
    let g = p.g;
    let date = d(2026, 1, 27 + p.gi as u32);
    let team = g.team().len() as u32;
    let minutes = format!(
        "会前，{body}通过座谈会、发放征求意见表等方式征求意见建议{n}条，班子成员之间、班子成员与分管股室负责人之间普遍开展谈心谈话。\
会上，{sec}同志代表{body}班子作对照检查，班子成员逐一作个人对照检查发言，开展批评和自我批评，县委督导组到会指导。\
会后，{body}制定整改措施{k}项，明确责任人和完成时限。",
        body = g.body,
        n = 18 + 5 * p.gi,
        sec = g.secretary.name,
        k = 9 + p.gi,
    );
    let data = RecordData::LifeMeeting(LifeMeeting {
        topic: format!("{}2025年度民主生活会", g.name),
        due: team,
        present: team,
        absentees: vec![],
        minutes,
        reported_on: Some(date + Days::new(9)),
    });
    p.add(p.ids.group, date, data);
}

/// 三会一课, 主题党日, 组织生活会 and 民主评议党员 of one branch.
fn branch_year(p: &mut Plan, bi: usize, b: &BranchSpec) {
    let g = p.g;
    let branch = p.ids.branches[bi];
    let off = (bi + p.gi) as u32;
    let retirees = b.name.contains("离退休");
    let reasons: &[&str] = if retirees { &text::RETIREE_ABSENCE_REASONS } else { &text::ABSENCE_REASONS };
    let committee_pool = &b.member_names[..(b.committee as usize - 1).min(b.member_names.len())];
    let group_leader = b.member_names[0];
    let group_size = b.members / 2;
    let meeting = |t: BranchMeetingType, topic: String, host: &str, due: u32, absent: Vec<Absence>, minutes: String| {
        let present = due - absent.len() as u32;
        RecordData::BranchMeeting(BranchMeeting {
            meeting_type: t,
            topic,
            host: host.into(),
            due,
            present,
            absentees: absent,
            minutes,
        })
    };
    for i in 0..12 {
        let (y, m) = ym(i);
        let seed = i * 3 + bi + p.gi;

        // GAP (县民政局机关第一党支部): no 支委会 in April or August 2026.
        let skip_committee = g.name == MINZHENG && bi == 0 && (i == 4 || i == 8);
        if !skip_committee {
            let topic = text::COMMITTEE_TOPICS[i];
            let absent = absentees(committee_pool, reasons, [0, 0, 1, 0, 0, 0, 1][seed % 7], seed);
            let present = b.committee - absent.len() as u32;
            let minutes = format!(
                "{}同志主持，支委{present}人参加{}。会议{topic}，经讨论形成一致意见，明确了责任人和完成时限。",
                b.secretary.name,
                absence_phrase(&absent)
            );
            let data =
                meeting(BranchMeetingType::Committee, topic.into(), b.secretary.name, b.committee, absent, minutes);
            p.add(branch, wd(y, m, 3 + off), data);
        }

        let topic = text::THEME_DAYS[i];
        let absent = absentees(b.member_names, reasons, absent_count(seed + 1), seed + 1);
        let activity = match topic.split_once('：') {
            Some((theme, content)) => format!("开展{theme}活动，{content}"),
            None => topic.to_string(),
        };
        let minutes = format!(
            "{}同志带领{}名党员参加{}。{activity}。活动结束后，支部对议定事项进行了跟踪落实。",
            b.secretary.name,
            b.members - absent.len() as u32,
            absence_phrase(&absent)
        );
        let data = meeting(BranchMeetingType::ThemeDay, topic.into(), b.secretary.name, b.members, absent, minutes);
        p.add(branch, wd(y, m, 9 + off), data);

        let topic = text::GROUP_TOPICS[i];
        let absent = absentees(&b.member_names[1..], reasons, absent_count(seed + 2).min(1), seed + 2);
        let minutes = format!(
            "党小组长{group_leader}同志组织，{}名党员参加{}。{topic}，党员逐一交流发言，互相提出意见建议。",
            group_size - absent.len() as u32,
            absence_phrase(&absent)
        );
        let data = meeting(BranchMeetingType::Group, topic.into(), group_leader, group_size, absent, minutes);
        p.add(branch, wd(y, m, 15 + off), data);

        if let Some((_, topic)) = text::MEMBERS_MEETINGS.iter().find(|(at, _)| *at == i) {
            let date = if i == 11 { d(2026, 11, 18 + p.gi as u32) } else { wd(y, m, 24 + p.gi as u32) };
            let absent = absentees(b.member_names, reasons, absent_count(seed + 3), seed + 3);
            let minutes = format!(
                "{}同志主持，应到{}人，实到{}人{}，超过应到会人数的半数。会议{topic}，与会党员进行了讨论。",
                b.secretary.name,
                b.members,
                b.members - absent.len() as u32,
                absence_phrase(&absent)
            );
            let data = meeting(
                BranchMeetingType::MembersMeeting,
                (*topic).into(),
                b.secretary.name,
                b.members,
                absent,
                minutes,
            );
            p.add(branch, date, data);
        }

        if let Some((_, topic)) = text::LECTURES.iter().find(|(at, _)| *at == i) {
            let topic = topic.replace("{field}", g.field);
            // The Party group's secretary gives June's lecture in the first branch.
            let host = match i {
                6 if bi == 0 => g.secretary.name,
                3 | 11 => g.leaders[(bi + i) % g.leaders.len()].person.name,
                _ => b.secretary.name,
            };
            let date = if i == 11 { wd(2026, 11, 12 + p.gi as u32) } else { wd(y, m, 20 + p.gi as u32) };
            let absent = absentees(b.member_names, reasons, absent_count(seed + 4), seed + 4);
            let (kind, title) = topic.split_once('：').unwrap_or(("党课", topic.as_str()));
            let minutes = format!(
                "{host}同志以“{title}”为题讲授{kind}，{}名党员参加{}。党员结合党课内容交流了学习体会。",
                b.members - absent.len() as u32,
                absence_phrase(&absent)
            );
            let data = meeting(BranchMeetingType::Lecture, topic, host, b.members, absent, minutes);
            p.add(branch, date, data);
        }

        if i == 1 {
            let absent = absentees(b.member_names, reasons, absent_count(seed + 5), seed + 5);
            let present = b.members - absent.len() as u32;
            let minutes = format!(
                "会前，支部通过谈心谈话、征求意见等方式广泛听取意见；会上，{}同志代表支委会作对照检查，{present}名党员逐一发言，开展批评和自我批评{}；会后，支部制定了整改清单。",
                b.secretary.name,
                absence_phrase(&absent)
            );
            let topic = "2025年度组织生活会：以学习贯彻党的二十届四中全会精神为主题，查摆问题、开展批评和自我批评";
            let data = meeting(BranchMeetingType::OrgLife, topic.into(), b.secretary.name, b.members, absent, minutes);
            p.add(branch, wd(2026, 1, 20 + bi as u32), data);

            let absent = absentees(b.member_names, reasons, absent_count(seed + 6), seed + 6);
            let present = b.members - absent.len() as u32;
            let excellent = present / 4;
            let minutes = format!(
                "按照个人自评、党员互评、民主测评、支部评定的程序进行{}。参加评议党员{present}名，评定优秀等次{excellent}名、合格等次{}名，评议结果已向党员本人反馈。",
                absence_phrase(&absent),
                present - excellent
            );
            let data = meeting(
                BranchMeetingType::MemberReview,
                "2025年度民主评议党员".into(),
                b.secretary.name,
                b.members,
                absent,
                minutes,
            );
            p.add(branch, wd(2026, 1, 22 + bi as u32), data);
        }
    }
}

/// Roughly weekly updates: one on a varying weekday of every week.
fn channel_updates(p: &mut Plan, ci: usize) {
    let g = p.g;
    let spec = &g.channels[ci];
    let channel_id = p.ids.channels[ci];
    // GAP (县民政局微信公众号): nothing after 30 October 2026.
    let stale = g.name == MINZHENG && spec.kind == "wechat";
    let to = if stale { d(2026, 10, 30) } else { last_entry_day() };
    let start = d(2025, 12, 1); // a Monday
    let mut dates = Vec::new();
    for week in 0u64.. {
        let date = start + Days::new(week * 7 + (week * 3 + (p.gi * 2 + ci) as u64) % 5);
        if date > to {
            break;
        }
        dates.push(date);
    }
    // The stale channel's last update is exactly on its last day.
    if stale {
        match dates.last_mut() {
            Some(last) if last.iso_week() == to.iso_week() => *last = to,
            _ => dates.push(to),
        }
    }
    let mut slot = 0;
    let mut month = 0;
    for date in dates {
        if date.month() != month {
            month = date.month();
            slot = 0;
        }
        let i = if date.year() == 2025 { 0 } else { date.month() as usize };
        let (y, m) = (date.year(), date.month());
        let t = g.texts;
        let website = !spec.url_base.is_empty();
        let title = match (website, slot) {
            (true, 0) => t.news[i][0].to_string(),
            (true, 1) => fill(t.website_monthly[0], y, m),
            (true, 2) => t.news[i][1].to_string(),
            (true, 3) => fill(t.website_monthly[1], y, m),
            (true, _) => fill(t.website_monthly[2], y, m),
            (false, 0) => t.news[i][1].to_string(),
            (false, 1) => fill(t.social_monthly[0], y, m),
            (false, 2) => t.news[i][0].to_string(),
            (false, 3) => fill(t.social_monthly[1], y, m),
            (false, _) => fill(t.social_monthly[2], y, m),
        };
        let title = if spec.kind == "video" && matches!(slot, 0 | 2) { format!("【视频】{title}") } else { title };
        let url = if website {
            format!("{}/{}/t{}_{}.html", spec.url_base, date.format("%Y%m"), date.format("%Y%m%d"), 100 + slot)
        } else {
            String::new()
        };
        p.add(p.ids.group, date, RecordData::ChannelUpdate(ChannelUpdate { channel_id, title, url }));
        slot += 1;
    }
}

/// The quarterly check of a publishing channel, by the leader in charge
/// of the office, late in each quarter.
fn channel_checks(p: &mut Plan, ci: usize) {
    let g = p.g;
    let spec = &g.channels[ci];
    let channel_id = p.ids.channels[ci];
    for (q, (m, day)) in [(3, 24), (6, 23), (9, 22)].into_iter().enumerate() {
        // GAP (县残联微信视频号): not checked in the second quarter.
        if g.name == CANLIAN && spec.kind == "video" && q == 1 {
            continue;
        }
        let date = wd(2026, m, day + p.gi as u32);
        let result = format!(
            "检查{}{}年第{}季度发布内容：更新及时，稿件均经三审三校并留存记录，未发现错误表述和不当内容",
            spec.name,
            date.year(),
            q + 1
        );
        let check = ChannelCheck {
            channel_id,
            checker: g.office_leader().into(),
            result,
            problems: String::new(),
            measures: String::new(),
        };
        p.add(p.ids.group, date, RecordData::ChannelCheck(check));
    }
}

/// An event held on an event channel: (date held, topic, speaker, reviewed
/// on, filed on). `None` is a step not yet taken.
type EventSpec = (NaiveDate, &'static str, &'static str, Option<NaiveDate>, Option<NaiveDate>);

fn event_specs(channel: &str) -> Vec<EventSpec> {
    if channel == MINZHENG_FORUM {
        vec![
            (
                d(2026, 3, 18),
                "学习贯彻全国两会精神专题讲座",
                "县委党校 周明远副教授",
                Some(d(2026, 3, 9)),
                Some(d(2026, 3, 10)),
            ),
            (
                d(2026, 6, 24),
                "社会救助政策解读报告会",
                "市民政局社会救助处 许文华",
                Some(d(2026, 6, 15)),
                Some(d(2026, 6, 16)),
            ),
            // GAP: reviewed in time, but filed with 县委宣传部 three days after the event.
            (
                d(2026, 9, 16),
                "殡葬改革与移风易俗专题讲座",
                "县殡仪馆 钟国庆馆长",
                Some(d(2026, 9, 8)),
                Some(d(2026, 9, 19)),
            ),
            // Ahead: reviewed, not yet filed (due soon on the demo's today).
            (
                d(2026, 11, 27),
                "学习贯彻党的二十届四中全会精神宣讲报告会",
                "县委宣讲团 谭立群",
                Some(d(2026, 11, 19)),
                None,
            ),
        ]
    } else {
        vec![
            (d(2026, 4, 22), "水资源管理政策讲座", "市水利局水资源处 卢嘉", Some(d(2026, 4, 13)), Some(d(2026, 4, 14))),
            (
                d(2026, 10, 21),
                "防汛抗旱工作经验交流会",
                "县防汛抗旱指挥部办公室 任志刚",
                Some(d(2026, 10, 12)),
                Some(d(2026, 10, 13)),
            ),
        ]
    }
}

fn events(p: &mut Plan, ci: usize) {
    let g = p.g;
    let spec = &g.channels[ci];
    for (held, topic, speaker, reviewed_on, filed_on) in event_specs(spec.name) {
        let filing = EventFiling {
            channel_id: p.ids.channels[ci],
            topic: topic.into(),
            speaker: speaker.into(),
            reviewer: reviewed_on.map(|_| g.secretary.name.to_string()).unwrap_or_default(),
            reviewed_on,
            filed_to: filed_on.map(|_| crate::org::ROOT_NAME.to_string()).unwrap_or_default(),
            filed_on,
        };
        p.add(p.ids.group, held, RecordData::EventFiling(filing));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::GROUPS;

    fn all() -> Vec<(usize, Vec<NewRecord>)> {
        GROUPS
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let base = 100 * (gi as i64 + 1);
                let ids = Ids {
                    group: base,
                    branches: (0..g.branches.len() as i64).map(|b| base + 10 + b).collect(),
                    channels: (0..g.channels.len() as i64).map(|c| base + 20 + c).collect(),
                };
                (gi, plan(g, gi, &ids))
            })
            .collect()
    }

    #[test]
    fn every_record_is_valid_and_within_the_demo_span() {
        for (_, records) in all() {
            for r in &records {
                assert!(r.data.validate().is_ok(), "{:?}", r.data);
                // An event is on the books before it is held.
                let last =
                    if matches!(r.data, RecordData::EventFiling(_)) { d(2026, 12, 31) } else { last_entry_day() };
                assert!(
                    d(2025, 12, 1) <= r.occurred_on && r.occurred_on <= last,
                    "{} {}",
                    r.occurred_on,
                    r.data.title()
                );
            }
        }
    }

    #[test]
    fn meetings_fall_on_working_days() {
        for (_, records) in all() {
            for r in records.iter().filter(|r| !matches!(r.data, RecordData::ChannelUpdate(_))) {
                assert!(!is_holiday(r.occurred_on), "{} {}", r.occurred_on, r.data.title());
            }
        }
    }

    #[test]
    fn channels_update_at_most_fortnightly_until_their_last_day() {
        for (gi, records) in all() {
            for (ci, spec) in GROUPS[gi].channels.iter().enumerate().filter(|(_, c)| c.kind != "event") {
                let id = 100 * (gi as i64 + 1) + 20 + ci as i64;
                let dates: Vec<NaiveDate> = records
                    .iter()
                    .filter(|r| matches!(&r.data, RecordData::ChannelUpdate(c) if c.channel_id == id))
                    .map(|r| r.occurred_on)
                    .collect();
                assert!(dates.windows(2).all(|w| w[0] < w[1] && (w[1] - w[0]).num_days() <= 14), "{}", spec.name);
                let last = *dates.last().unwrap();
                let want = if spec.name == crate::org::MINZHENG_WECHAT { d(2026, 10, 30) } else { d(2026, 11, 16) };
                assert!(
                    last >= want && (spec.name != crate::org::MINZHENG_WECHAT || last == want),
                    "{}: {last}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn planning_is_deterministic() {
        let a: Vec<_> = all().into_iter().flat_map(|(_, r)| r).collect();
        let b: Vec<_> = all().into_iter().flat_map(|(_, r)| r).collect();
        assert_eq!(a, b);
    }
}
