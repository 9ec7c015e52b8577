//! A synthetic province for `taizhang seed` and the benchmarks: 省委宣传部
//! → cities (市委宣传部) → counties (县委宣传部) → N Party groups. Each
//! group is written from one of the demo's three group specs, renamed
//! after its county and bureau, with the demo's year of records varied by
//! a generator seeded from the group's index (records left out, a channel
//! gone quiet, a quarter's analysis skipped, a late report, a study without
//! 研讨), so no two groups are alike and the same N gives the same province.
//! Groups made from 县民政局党组's spec also get its registers (risks,
//! feedback, news, drafts, rectifications). Every group submits its 2025
//! self-assessment; most are finalised, some returned, some still waiting.
//!
//! One transaction for the superiors, then one per Party group; records go
//! in through the store's bulk path (a few hundred rows per statement, the
//! same audit entries), and the password is hashed once for every account.

use crate::assessments::{self, Outcome};
use crate::group::{self, Logins, Naming, Writer};
use crate::org::{PersonSpec, GROUPS, MINZHENG};
use crate::{evidence, plan, DEMO_PASSWORD};
use chrono::{Datelike, Days};
use std::fmt;
use taizhang_core::assessment::{auto_score, Rules};
use taizhang_core::duty::{load_duty_list, merge_assessment_rules, merge_lists, DutyItem, DEFAULT_LIST_TOML};
use taizhang_core::engine::{self, evaluate, UnitContext};
use taizhang_core::org::{RoleKind, Unit, UnitKind};
use taizhang_core::record::{Record, RecordData};
use taizhang_core::Period;
use taizhang_store::password::hash_password;
use taizhang_store::{Actor, NewRecord, Store, StoreError};

/// The most Party groups `taizhang seed` writes.
pub const MAX_UNITS: usize = 100_000;

/// The province's logins; all use [`DEMO_PASSWORD`]. `N` runs from 1 to
/// the number of Party groups.
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("seed-admin", "系统管理员（省委宣传部）"),
    ("seed-ducha", "省委宣传部督查室主任：上级督查，只读查看全省各单位"),
    ("seed-kaohe", "省委宣传部副部长：审核全省各单位年度考核"),
    ("seed-shi-ducha-1", "第一个市委宣传部的督查科科长：只读查看该市各单位"),
    ("seed-xian-ducha-1", "第一个县委宣传部的督查室主任：只读查看该县各单位"),
    ("seed-shuji-N", "第N个党组（党委）的书记（第一责任人），N 从1到单位数"),
    ("seed-fuju-1", "第一个党组的班子成员（分管办公室）"),
    ("seed-bgs-1", "第一个党组的办公室主任"),
    ("seed-keyuan-1", "第一个党组的办公室科员（录入台账）"),
];

const fn login(name: &'static str, title: &'static str, username: &'static str) -> PersonSpec {
    PersonSpec { name, title, username: Some(username) }
}

const ADMIN: PersonSpec = login("系统管理员", "系统管理员", "seed-admin");
const DUCHA: PersonSpec = login("郭志远", "省委宣传部督查室主任", "seed-ducha");
const KAOHE: PersonSpec = login("沈国栋", "省委宣传部副部长", "seed-kaohe");
const CITY_DUCHA: PersonSpec = login("林海涛", "市委宣传部督查科科长", "seed-shi-ducha-1");
const COUNTY_DUCHA: PersonSpec = login("何文斌", "县委宣传部督查室主任", "seed-xian-ducha-1");

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvinceOptions {
    /// Party groups (党组、党委).
    pub units: usize,
    /// Attach the demo's evidence files (签到表 and others, made per
    /// record): realistic, but slow and large at scale.
    pub evidence: bool,
}

/// What [`seed_province`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvinceSummary {
    pub cities: usize,
    pub counties: usize,
    pub groups: usize,
    /// Every unit: superiors, Party groups, departments, branches.
    pub units: usize,
    pub people: usize,
    pub accounts: usize,
    pub channels: usize,
    pub records: usize,
}

impl fmt::Display for ProvinceSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "已写入模拟省份：{}个市、{}个县（区）、{}个党组（党委），共{}个单位、{}名人员（其中{}个账号）、{}个宣传阵地、{}条工作记录",
            self.cities, self.counties, self.groups, self.units, self.people, self.accounts, self.channels, self.records
        )
    }
}

/// A small deterministic generator (SplitMix64): the same seed, the same
/// province, with no dependency for it.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x7461_697A_6861_6E67)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct County {
    name: String,
    groups: usize,
}

struct City {
    name: String,
    counties: Vec<County>,
}

const CITY_FIRST: [char; 24] = [
    '青', '安', '临', '平', '清', '永', '长', '兴', '东', '西', '南', '北', '宁', '和', '宜', '泰', '丰', '建', '新',
    '昌', '德', '嘉', '华', '云',
];
const CITY_SECOND: [char; 20] = [
    '州', '阳', '川', '江', '山', '原', '城', '河', '源', '峰', '林', '溪', '岭', '湖', '桥', '台', '水', '田', '陵',
    '门',
];
const COUNTY_FIRST: [char; 30] = [
    '柳', '桃', '石', '白', '金', '凤', '龙', '松', '梅', '杨', '柏', '桂', '荷', '兰', '竹', '玉', '银', '紫', '翠',
    '碧', '红', '黄', '绿', '苍', '明', '光', '太', '大', '小', '高',
];
const COUNTY_SECOND: [char; 30] = [
    '溪', '坪', '塘', '湾', '坝', '岗', '坡', '营', '集', '庄', '店', '铺', '桥', '河', '口', '沟', '湖', '泉', '洲',
    '滩', '港', '浦', '堡', '寨', '岭', '峪', '台', '垣', '冈', '川',
];

/// The bureaus of a county, in order; the first three match the demo's
/// three group specs, and group `k` of a county is written from spec `k % 3`.
const BUREAUS: [&str; 25] = [
    "民政局",
    "水利局",
    "残联",
    "教育局",
    "财政局",
    "交通运输局",
    "农业农村局",
    "卫生健康局",
    "文化和旅游局",
    "自然资源局",
    "住房和城乡建设局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "生态环境局",
    "应急管理局",
    "统计局",
    "审计局",
    "司法局",
    "商务局",
    "科学技术局",
    "退役军人事务局",
    "医疗保障局",
    "林业局",
    "供销合作社",
    "妇联",
];

/// Distinct for the first 480 cities, numbered after that.
fn city_name(i: usize) -> String {
    let name = format!("{}{}", CITY_FIRST[i % 24], CITY_SECOND[(i / 24 + 7 * i) % 20]);
    if i < 480 {
        name
    } else {
        format!("{name}{}", i / 480 + 1)
    }
}

/// Distinct for the first 900 counties; every fifth is a 区.
fn county_name(i: usize) -> String {
    let stem = format!("{}{}", COUNTY_FIRST[i % 30], COUNTY_SECOND[(i / 30 + 11 * i) % 30]);
    let stem = if i < 900 { stem } else { format!("{stem}{}", i / 900 + 1) };
    format!("{stem}{}", if i.is_multiple_of(5) { "区" } else { "县" })
}

/// Counties of 10–25 groups, ten or so to a city.
fn layout(units: usize) -> Vec<City> {
    let mut rng = Rng::new(0x5eed);
    let mut counties = Vec::new();
    let mut left = units;
    while left > 0 {
        let groups = (10 + rng.below(16) as usize).min(left);
        counties.push(County { name: county_name(counties.len()), groups });
        left -= groups;
    }
    let mut cities = Vec::new();
    let mut counties = counties.into_iter().peekable();
    while counties.peek().is_some() {
        let take = 8 + rng.below(5) as usize;
        cities.push(City { name: city_name(cities.len()), counties: counties.by_ref().take(take).collect() });
    }
    cities
}

/// Everything a group's transaction shares with the others.
struct Shared {
    hash: String,
    actor: Actor,
    reviewer: Actor,
    list_id: i64,
    items: Vec<DutyItem>,
    rules: Rules,
    evidence: bool,
}

/// Writes the province into an empty database; `progress` hears (groups
/// written, groups in all) after each group.
pub async fn seed_province(
    store: &Store,
    options: ProvinceOptions,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ProvinceSummary, StoreError> {
    if options.units == 0 || options.units > MAX_UNITS {
        return Err(StoreError::Invalid(format!("单位数应在1到{MAX_UNITS}之间")));
    }
    if !store.units().await?.is_empty() {
        return Err(StoreError::Invalid("数据库中已有数据：模拟省份只能写入空数据库".into()));
    }
    // Hash once: argon2 is slow on purpose, and every account shares the password.
    let hash = hash_password(DEMO_PASSWORD);
    let cities = layout(options.units);
    let (shared, counties, mut summary) = superiors(store, &cities, hash, options.evidence).await?;
    let mut n = 0;
    for (county_id, county) in counties.iter().zip(cities.iter().flat_map(|c| &c.counties)) {
        for k in 0..county.groups {
            n += 1;
            let spot = Spot { n, county_id: *county_id, county: &county.name, k };
            let written = write_group(store, &shared, &spot).await?;
            summary.units += written.units;
            summary.people += written.people;
            summary.accounts += written.accounts;
            summary.channels += written.channels;
            summary.records += written.records;
            summary.groups += 1;
            progress(n, options.units);
        }
    }
    Ok(summary)
}

/// The provincial, city and county departments with their people, and the
/// default duty list issued by the province.
async fn superiors(
    store: &Store,
    cities: &[City],
    hash: String,
    evidence: bool,
) -> Result<(Shared, Vec<i64>, ProvinceSummary), StoreError> {
    let actor = Actor::system("模拟省份");
    let mut w = store.begin_write().await?;
    let mut x = Writer::new(&mut w, actor.clone(), &hash);
    let root = x.unit("省委宣传部", None, UnitKind::Superior).await?;
    let named = |p: &PersonSpec| p.username.map(String::from);
    x.person(&ADMIN, named(&ADMIN), root, RoleKind::Admin, root, vec![]).await?;
    x.person(&DUCHA, named(&DUCHA), root, RoleKind::Inspector, root, vec![]).await?;
    let kaohe = x.person(&KAOHE, named(&KAOHE), root, RoleKind::Leader, root, vec![]).await?;
    let mut counties = Vec::new();
    for (ci, city) in cities.iter().enumerate() {
        let city_id = x.unit(&format!("{}市委宣传部", city.name), Some(root), UnitKind::Superior).await?;
        if ci == 0 {
            x.person(&CITY_DUCHA, named(&CITY_DUCHA), city_id, RoleKind::Inspector, city_id, vec![]).await?;
        }
        for county in &city.counties {
            let id = x.unit(&format!("{}委宣传部", county.name), Some(city_id), UnitKind::Superior).await?;
            if counties.is_empty() {
                x.person(&COUNTY_DUCHA, named(&COUNTY_DUCHA), id, RoleKind::Inspector, id, vec![]).await?;
            }
            counties.push(id);
        }
    }
    let (list_id, _) = x.w.save_duty_list(&x.actor, DEFAULT_LIST_TOML, Some(root)).await?;
    let summary = ProvinceSummary {
        cities: cities.len(),
        counties: counties.len(),
        units: x.units.len(),
        people: x.people,
        accounts: x.accounts,
        ..ProvinceSummary::default()
    };
    w.commit().await?;
    let list = load_duty_list(DEFAULT_LIST_TOML).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let shared = Shared {
        hash,
        actor,
        reviewer: Actor { person_id: Some(kaohe), name: KAOHE.name.into() },
        list_id,
        items: merge_lists([&list]),
        rules: merge_assessment_rules([&list]),
        evidence,
    };
    Ok((shared, counties, summary))
}

/// Where a group goes: the `n`-th of the province (from 1), the `k`-th of
/// its county.
struct Spot<'a> {
    n: usize,
    county_id: i64,
    county: &'a str,
    k: usize,
}

struct Written {
    units: usize,
    people: usize,
    accounts: usize,
    channels: usize,
    records: usize,
}

/// One Party group in one transaction: its organisation, a varied year of
/// records, the registers (for 县民政局党组's spec) and its 2025 assessment.
async fn write_group(store: &Store, shared: &Shared, spot: &Spot<'_>) -> Result<Written, StoreError> {
    let spec_index = spot.k % GROUPS.len();
    let g = &GROUPS[spec_index];
    let naming = Naming {
        swaps: vec![
            (g.short.to_string(), format!("{}{}", spot.county, BUREAUS[spot.k % BUREAUS.len()])),
            ("县委宣传部".to_string(), format!("{}委宣传部", spot.county)),
        ],
        logins: Logins::Province(spot.n),
    };
    let mut rng = Rng::new(spot.n as u64);
    let mut w = store.begin_write().await?;
    let mut x = Writer::new(&mut w, shared.actor.clone(), &shared.hash);
    let ids = group::create(&mut x, g, spot.county_id, &naming).await?;
    x.w.adopt(&x.actor, ids.group, shared.list_id).await?;
    let planned = plan::plan(g, spec_index, &plan::Ids::of(&ids));
    let renamed = planned.into_iter().map(|r| rename(r, &naming)).collect::<Result<Vec<_>, _>>()?;
    let records = vary(renamed, &mut rng);
    let record_ids = x.w.create_records(&x.actor, &records).await?;
    let now = chrono::Utc::now();
    let records: Vec<Record> = records
        .into_iter()
        .zip(record_ids)
        .map(|(r, id)| Record {
            id,
            unit_id: r.unit_id,
            occurred_on: r.occurred_on,
            entered_at: now,
            revision: 1,
            data: r.data,
            files: Default::default(),
        })
        .collect();
    if shared.evidence {
        for record in &records {
            evidence::attach(x.w, &x.actor, g.name, record).await?;
        }
    }
    let mut written = records.len();
    if g.name == MINZHENG {
        written += group::registers(x.w, &x.actor, g, &ids).await?;
    }
    let channels: Vec<engine::Channel> = g
        .channels
        .iter()
        .zip(&ids.channels)
        .map(|(c, id)| engine::Channel {
            id: *id,
            unit_id: ids.group,
            name: naming.name(c.name),
            kind: c.kind.into(),
            owner: None,
        })
        .collect();
    let secretary = Actor { person_id: Some(ids.secretary), name: g.secretary.name.into() };
    let short = naming.name(g.short);
    let cast = assessments::Cast { unit: ids.group, short: &short, secretary, reviewer: shared.reviewer.clone() };
    assess(x.w, shared, &cast, &x.units, &channels, &records, &mut rng).await?;
    let out = Written {
        units: x.units.len(),
        people: x.people,
        accounts: x.accounts,
        channels: x.channels,
        records: written,
    };
    w.commit().await?;
    Ok(out)
}

/// The group's template names replaced by its own in every text of a record.
fn rename(record: NewRecord, naming: &Naming) -> Result<NewRecord, StoreError> {
    let json = serde_json::to_string(&record.data).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let data: RecordData = serde_json::from_str(&naming.name(&json)).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(NewRecord { data, ..record })
}

/// The demo's gaps of the spec, and more of the group's own: a few records
/// left out, a channel that went quiet, a quarter's analysis skipped, the
/// 2026H1 report late, a study without 研讨.
fn vary(records: Vec<NewRecord>, rng: &mut Rng) -> Vec<NewRecord> {
    let drop_percent = [0, 0, 1, 2, 4][rng.below(5) as usize];
    let channels: Vec<i64> = records
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::ChannelUpdate(u) => Some(u.channel_id),
            _ => None,
        })
        .collect();
    let quiet = (!channels.is_empty() && rng.chance(15)).then(|| {
        let channel = channels[rng.below(channels.len() as u64) as usize];
        (channel, plan::d(2026, 8, 1) + Days::new(rng.below(110)))
    });
    let skipped_quarter = rng.chance(12).then(|| rng.below(4) as u32 + 1);
    let late_days = rng.chance(10).then(|| 1 + rng.below(20));
    let mut undiscussed = rng.chance(15).then(|| rng.below(4));
    let mut out = Vec::with_capacity(records.len());
    for mut r in records {
        if rng.chance(drop_percent) {
            continue;
        }
        match &mut r.data {
            RecordData::ChannelUpdate(u)
                if quiet.is_some_and(|(c, after)| c == u.channel_id && r.occurred_on > after) =>
            {
                continue
            }
            RecordData::Analysis(_)
                if r.occurred_on.year() == 2026 && skipped_quarter == Some(r.occurred_on.month().div_ceil(3)) =>
            {
                continue
            }
            RecordData::Report(report) if report.period == "2026H1" => {
                if let (Some(days), Some(due)) = (late_days, report.due_on) {
                    report.submitted_on = Some(due + Days::new(days));
                }
            }
            RecordData::Study(s) if !s.discussion.is_empty() => {
                if undiscussed == Some(0) {
                    s.discussion.clear();
                }
                undiscussed = undiscussed.and_then(|k| k.checked_sub(1));
            }
            _ => {}
        }
        out.push(r);
    }
    out
}

/// The group's 2025 self-assessment, scored by the engine from the records
/// just written (kept in memory: reading the province back per group would
/// cost more than writing it), then reviewed: most finalised, some
/// returned, some not yet reviewed.
async fn assess(
    w: &mut taizhang_store::WriteTx<'_>,
    shared: &Shared,
    cast: &assessments::Cast<'_>,
    units: &[Unit],
    channels: &[engine::Channel],
    records: &[Record],
    rng: &mut Rng,
) -> Result<(), StoreError> {
    let unit = units.iter().find(|u| u.id == cast.unit).ok_or_else(|| StoreError::Invalid("单位缺失".into()))?;
    let of_kind = |k: UnitKind| units.iter().filter(|u| u.kind == k).cloned().collect::<Vec<_>>();
    let (branches, departments) = (of_kind(UnitKind::Branch), of_kind(UnitKind::Department));
    let (news, feedback) = (Default::default(), Default::default());
    let context = UnitContext {
        unit,
        branches: &branches,
        departments: &departments,
        channels,
        people: &[],
        roles: &[],
        records,
        rectifications: &[],
        news: &news,
        feedback: &feedback,
    };
    let submitted_on = plan::d(2026, 1, 5 + rng.below(10) as u32);
    let period = Period::year(assessments::YEAR);
    let evaluation = evaluate(&shared.items, &context, period, submitted_on);
    let card = auto_score(&shared.items, &evaluation, &shared.rules);
    let outcome = match rng.below(10) {
        0 => Outcome::Returned,
        1 | 2 => Outcome::Submitted,
        _ => Outcome::Finalised(plan::d(2026, 1, 20 + rng.below(8) as u32)),
    };
    let course = assessments::Course {
        submitted_on,
        ledgers: outcome != Outcome::Returned,
        cuts: assessments::CUTS[rng.below(3) as usize],
        outcome,
    };
    assessments::assess(w, cast, &card, &shared.rules, &course).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_where_the_layout_needs_them() {
        let cities: std::collections::HashSet<String> = (0..480).map(city_name).collect();
        assert_eq!(cities.len(), 480);
        let counties: std::collections::HashSet<String> = (0..900).map(county_name).collect();
        assert_eq!(counties.len(), 900);
    }

    #[test]
    fn layout_places_every_group_in_counties_of_ten_to_twenty_five() {
        for units in [1, 30, 1000, 10_000] {
            let cities = layout(units);
            let counties: Vec<&County> = cities.iter().flat_map(|c| &c.counties).collect();
            assert_eq!(counties.iter().map(|c| c.groups).sum::<usize>(), units);
            assert!(counties.iter().all(|c| c.groups <= BUREAUS.len()));
            assert!(counties.iter().rev().skip(1).all(|c| c.groups >= 10), "{units}");
            assert!(cities.iter().all(|c| !c.counties.is_empty() && c.counties.len() <= 12));
        }
    }

    #[test]
    fn variation_differs_between_groups_and_repeats_for_the_same_one() {
        let g = &GROUPS[1];
        let ids = plan::Ids { group: 1, branches: vec![2, 3], channels: vec![4, 5, 6] };
        let planned = plan::plan(g, 1, &ids);
        let varied: Vec<Vec<NewRecord>> = (1..=20).map(|n| vary(planned.clone(), &mut Rng::new(n))).collect();
        assert_eq!(varied[3], vary(planned.clone(), &mut Rng::new(4)));
        let distinct: std::collections::HashSet<String> = varied.iter().map(|v| format!("{v:?}")).collect();
        assert!(distinct.len() >= 15, "{}", distinct.len());
        assert!(varied.iter().all(|v| v.len() > planned.len() * 9 / 10));
    }
}
