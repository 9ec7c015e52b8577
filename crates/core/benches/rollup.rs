//! The engine over a synthetic province: 10,000 Party groups, the default
//! duty list and a year of records (over 3 million), evaluated and rolled up;
//! then every unit's annual assessment scored and the units ranked.
//!
//! Run: `cargo bench -p taizhang-core --bench rollup` (optional argument:
//! the number of units, default 10000). Prints the best of three runs.

use chrono::{NaiveDate, TimeZone, Utc};

// The same allocator as the `taizhang` binary: the engine allocates many
// small strings (reasons) and glibc's malloc dominated the profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;
use taizhang_core::assessment::{auto_score, rank, Rules, StandingInput, State};
use taizhang_core::duty::{load_duty_list, DEFAULT_LIST_TOML};
use taizhang_core::engine::{evaluate_many, rollup, Channel, UnitContext};
use taizhang_core::org::{Person, Role, RoleKind, Unit, UnitKind};
use taizhang_core::period::Period;
use taizhang_core::record::*;

/// A tiny deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Province {
    units: Vec<Unit>,
    branches: Vec<Vec<Unit>>,
    departments: Vec<Vec<Unit>>,
    channels: Vec<Vec<Channel>>,
    people: Vec<Vec<Person>>,
    roles: Vec<Vec<Role>>,
    records: Vec<Vec<Record>>,
}

fn day(year: i32, ordinal: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, ordinal.clamp(1, 365)).unwrap()
}

fn records_for(rng: &mut Lcg, unit: i64, branches: &[Unit], channels: &[Channel], next_id: &mut i64) -> Vec<Record> {
    let mut out = Vec::with_capacity(340);
    let mut push = |unit_id: i64, on: NaiveDate, data: RecordData| {
        *next_id += 1;
        let entered_at = Utc.from_utc_datetime(&on.and_hms_opt(1, 0, 0).unwrap());
        out.push(Record {
            id: *next_id,
            unit_id,
            occurred_on: on,
            entered_at,
            revision: 1,
            data,
            files: Default::default(),
        });
    };
    for b in branches {
        for month in 0..12u32 {
            for t in [BranchMeetingType::Committee, BranchMeetingType::Group, BranchMeetingType::ThemeDay] {
                if rng.chance(92) {
                    let m = BranchMeeting {
                        meeting_type: t,
                        topic: "学习".into(),
                        due: 9,
                        present: 9,
                        ..Default::default()
                    };
                    push(b.id, day(2026, month * 30 + 5 + (rng.next() % 20) as u32), RecordData::BranchMeeting(m));
                }
            }
        }
        for q in 0..4u32 {
            for t in [BranchMeetingType::MembersMeeting, BranchMeetingType::Lecture] {
                let m =
                    BranchMeeting { meeting_type: t, topic: "学习".into(), due: 9, present: 8, ..Default::default() };
                push(b.id, day(2026, q * 91 + 20), RecordData::BranchMeeting(m));
            }
        }
    }
    for i in 0..7u32 {
        let s = StudySession {
            title: "学习".into(),
            on_ideology: i < 2,
            discussion: if rng.chance(80) { "研讨".into() } else { String::new() },
            attendees: vec!["甲".into()],
            ..Default::default()
        };
        push(unit, day(2026, i * 50 + 10), RecordData::Study(s));
    }
    for month in 0..12u32 {
        let agenda =
            vec![AgendaItem { title: "第一议题".into(), first_topic: rng.chance(95), ideology: month % 6 == 0 }];
        push(
            unit,
            day(2026, month * 30 + 3),
            RecordData::PartyGroupMeeting(PartyGroupMeeting {
                title: "党组会".into(), agenda, ..Default::default()
            }),
        );
    }
    for q in 0..4u32 {
        push(
            unit,
            day(2026, q * 91 + 80),
            RecordData::Analysis(Analysis { topic: "研判".into(), report: "报告".into(), ..Default::default() }),
        );
        if rng.chance(85) {
            push(
                unit,
                day(2026, q * 91 + 85),
                RecordData::RiskReview(RiskReview { reviewer: "乙".into(), ..Default::default() }),
            );
        }
    }
    for (h, due) in [(1, 171u32), (2, 354)] {
        let submitted = day(2026, due - 10 + (rng.next() % 20) as u32);
        let r = Report {
            report_type: "ideology".into(),
            period: format!("2026H{h}"),
            title: "报告".into(),
            submitted_on: Some(submitted),
            receipt: "收".into(),
            ..Default::default()
        };
        push(unit, submitted, RecordData::Report(r));
    }
    for c in channels {
        for week in 0..52u32 {
            if rng.chance(93) {
                let u = ChannelUpdate { channel_id: c.id, title: "动态".into(), url: String::new() };
                push(unit, day(2026, week * 7 + 1 + (rng.next() % 5) as u32), RecordData::ChannelUpdate(u));
            }
        }
    }
    out
}

fn province(units: usize) -> Province {
    let mut rng = Lcg(2026);
    let mut next_id = 0i64;
    let mut p = Province {
        units: vec![],
        branches: vec![],
        departments: vec![],
        channels: vec![],
        people: vec![],
        roles: vec![],
        records: vec![],
    };
    for i in 0..units as i64 {
        let id = 1_000 + i * 10;
        let unit = Unit { id, name: format!("单位{i}党组"), parent_id: Some(1), kind: UnitKind::PartyGroup };
        let child = |k: i64, name: &str, kind| Unit { id: id + k, name: name.into(), parent_id: Some(id), kind };
        let branches = vec![child(1, "第一党支部", UnitKind::Branch), child(2, "第二党支部", UnitKind::Branch)];
        let departments = vec![child(3, "办公室", UnitKind::Department), child(4, "业务科", UnitKind::Department)];
        let channels: Vec<Channel> = (0..4)
            .map(|k| Channel {
                id: id * 10 + k,
                unit_id: id,
                name: format!("阵地{k}"),
                kind: "wechat".into(),
                owner: Some(id * 10 + 3),
            })
            .collect();
        let person =
            |k: i64, name: &str| Person { id: id * 10 + k, unit_id: id, name: name.into(), title: String::new() };
        let people = vec![person(1, "书记"), person(2, "副局长"), person(3, "编辑")];
        let roles = vec![
            Role { person_id: id * 10 + 1, kind: RoleKind::Secretary, scope: id, in_charge_of: vec![] },
            Role { person_id: id * 10 + 2, kind: RoleKind::Leader, scope: id, in_charge_of: vec![id + 3] },
        ];
        p.records.push(records_for(&mut rng, id, &branches, &channels, &mut next_id));
        p.units.push(unit);
        p.branches.push(branches);
        p.departments.push(departments);
        p.channels.push(channels);
        p.people.push(people);
        p.roles.push(roles);
    }
    p
}

fn main() {
    let units: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let list = load_duty_list(DEFAULT_LIST_TOML).expect("default list");
    let built = Instant::now();
    let p = province(units);
    let records: usize = p.records.iter().map(Vec::len).sum();
    println!("province: {units} units, {records} records (generated in {:.2?})", built.elapsed());
    let no_news = taizhang_core::news::NewsData::default();
    let no_feedback = taizhang_core::feedback::FeedbackData::default();
    let contexts: Vec<UnitContext> = (0..units)
        .map(|i| UnitContext {
            rectifications: &[],
            news: &no_news,
            feedback: &no_feedback,
            unit: &p.units[i],
            branches: &p.branches[i],
            departments: &p.departments[i],
            channels: &p.channels[i],
            people: &p.people[i],
            roles: &p.roles[i],
            records: &p.records[i],
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (mut best, mut best_scoring) = (f64::MAX, f64::MAX);
    for run in 1..=3 {
        let start = Instant::now();
        let evaluations = evaluate_many(&list.items, &contexts, Period::year(2026), today);
        let (_, rows) = rollup(&evaluations);
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        let duties: usize = evaluations.iter().map(|e| e.duties.len()).sum();
        println!("run {run}: evaluated {duties} duty statuses, {} roll-up rows in {secs:.3} s", rows.len());
        // The assessment on top of the same evaluation: one thread.
        let start = Instant::now();
        let rules = Rules::default();
        let standings: Vec<StandingInput> = evaluations
            .iter()
            .map(|e| {
                let card = auto_score(&list.items, e, &rules);
                StandingInput {
                    unit_id: e.unit_id,
                    unit_name: e.unit_name.clone(),
                    state: State::Draft,
                    full_marks: rules.full_marks,
                    max: card.max(),
                    auto: card.total(),
                    self_total: None,
                    final_total: None,
                }
            })
            .collect();
        let ranked = rank(standings);
        let scoring = start.elapsed().as_secs_f64();
        best_scoring = best_scoring.min(scoring);
        println!("run {run}: scored and ranked {} units in {scoring:.3} s", ranked.len());
    }
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("best: {best:.3} s for the full roll-up ({threads} threads)");
    println!("best: {best_scoring:.3} s to score and rank every unit's assessment (1 thread)");
}
