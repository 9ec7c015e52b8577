//! What the documents of one Party group and period are made from, as
//! plain data: the engine's evaluation, the records of the period, the
//! unit's branches and channels, its superior and the audit-chain head.
//!
//! The CLI and the web server each load these with a few lines (store →
//! [`Source::assemble`]); everything after that is shared and pure, so a
//! report downloaded from the web and one written by `taizhang report` are
//! the same bytes for the same data and date.

use chrono::NaiveDate;
use taizhang_core::duty::DutyItem;
use taizhang_core::engine::{evaluate, Channel, Evaluation, UnitContext};
use taizhang_core::news::stats::{statistics, Statistics};
use taizhang_core::org::{PersonId, Unit, UnitId, UnitKind};
use taizhang_core::period::Period;
use taizhang_core::record::{Record, RecordKind};
use taizhang_core::rectification::Rectification;

/// The head of the audit chain when the data was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// Hash of the last audit entry (lower-case hex).
    pub head: String,
    /// Number of entries in the chain.
    pub entries: u64,
}

/// Everything the report composer, the ledgers and the bundle need about
/// one Party group and one period.
#[derive(Debug, Clone)]
pub struct Source {
    /// The Party group (党组/党委).
    pub unit: Unit,
    /// The superior the report goes to (主送机关), e.g. 县委宣传部.
    pub superior: Option<String>,
    pub period: Period,
    /// The date the documents are made: the report's 成文日期, and the
    /// "today" the engine evaluated with.
    pub today: NaiveDate,
    pub evaluation: Evaluation,
    /// The duty items the evaluation used (for rule details and evidence).
    pub items: Vec<DutyItem>,
    pub branches: Vec<Unit>,
    pub channels: Vec<Channel>,
    /// Records of the unit and its branches dated within the period,
    /// sorted by date then id.
    pub records: Vec<Record>,
    /// 信息报送 in the period, when the unit keeps it (submissions or quotas).
    pub news: Option<Statistics>,
    /// Problems of inspections that concern the period: found by its end
    /// and not closed (销号) before it began.
    pub rectifications: Vec<Rectification>,
    /// The names of the people the rectifications name as owners.
    pub owners: Vec<(PersonId, String)>,
    pub audit: AuditHead,
    /// Records of the period voided (作废): counted nowhere, listed in the
    /// ledger's own sheet so an inspector sees what was taken out and why.
    pub voided: Vec<VoidedRecord>,
    /// 三审三校 of the drafts published in the period, when the unit has
    /// publishing channels.
    pub publishing: Option<taizhang_core::drafts::PublishingFacts>,
    /// The evidence files (not voided) of the period's records and of its
    /// rectification problems, by owner and time: the ledgers list them,
    /// the bundle carries them.
    pub evidence: Vec<EvidenceFile>,
}

/// What an evidence file in the documents belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceOwner {
    /// A record of the period (a risk review's files are those of the
    /// `risk_review` record it wrote).
    Record(i64),
    /// A problem of the rectification ledger (the proof of its 销号).
    Rectification(i64),
}

/// An evidence file of a record or a problem, as documents list and carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub owner: EvidenceOwner,
    pub kind: taizhang_core::attachment::FileKind,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// The file's bytes, when the caller loaded them (for the bundle only).
    pub content: Option<Vec<u8>>,
}

/// A record voided, with who, when and why.
#[derive(Debug, Clone, PartialEq)]
pub struct VoidedRecord {
    pub record: Record,
    pub by: String,
    pub on: NaiveDate,
    pub reason: String,
}

impl Source {
    /// Evaluates the unit (the same call the dashboard makes) and keeps
    /// what the documents need. `all_units` is the organisation, used to
    /// find the superior; `ctx.records` may reach back before the period
    /// (the engine needs that for freshness rules): only the period's
    /// records are kept for counting.
    pub fn assemble(
        all_units: &[Unit],
        items: &[DutyItem],
        ctx: &UnitContext,
        period: Period,
        today: NaiveDate,
        audit: AuditHead,
    ) -> Source {
        let evaluation = evaluate(items, ctx, period, today);
        let mut records: Vec<Record> = ctx.records.iter().filter(|r| period.contains(r.occurred_on)).cloned().collect();
        records.sort_by_key(|r| (r.occurred_on, r.id));
        let keeps_news = !ctx.news.submissions.is_empty() || !ctx.news.quotas.is_empty();
        let departments: Vec<(UnitId, String)> = ctx.departments.iter().map(|d| (d.id, d.name.clone())).collect();
        let news = keeps_news
            .then(|| statistics(&ctx.news.submissions, &departments, period, today, |_| ctx.unit.name.clone()));
        let rectifications: Vec<Rectification> = ctx
            .rectifications
            .iter()
            .filter(|p| p.found_on <= period.last_day() && p.closed_on.is_none_or(|c| c >= period.first_day()))
            .cloned()
            .collect();
        let owners = ctx
            .people
            .iter()
            .filter(|p| rectifications.iter().any(|r| r.owner == Some(p.id)))
            .map(|p| (p.id, p.name.clone()))
            .collect();
        Source {
            unit: ctx.unit.clone(),
            superior: superior_of(all_units, ctx.unit),
            period,
            today,
            evaluation,
            items: items.to_vec(),
            branches: ctx.branches.to_vec(),
            channels: ctx.channels.to_vec(),
            records,
            news,
            rectifications,
            owners,
            audit,
            voided: Vec::new(),
            publishing: None,
            evidence: Vec::new(),
        }
    }

    /// The unit as an organ that signs: "县民政局党组" → "中共县民政局党组".
    pub fn organ(&self) -> String {
        organ_name(&self.unit.name)
    }

    /// 党组 or 党委, as the unit calls its own body.
    pub fn body(&self) -> &'static str {
        if self.unit.name.trim_end().ends_with("党委") {
            "党委"
        } else {
            "党组"
        }
    }

    /// A rectification owner's name, or 未指定.
    pub fn owner_name(&self, id: Option<PersonId>) -> String {
        id.and_then(|id| self.owners.iter().find(|(p, _)| *p == id)).map_or_else(|| "未指定".into(), |(_, n)| n.clone())
    }

    /// The period's records of one kind, by date.
    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.kind() == kind)
    }

    /// The name of the unit or one of its branches.
    pub fn unit_name(&self, id: UnitId) -> Option<&str> {
        std::iter::once(&self.unit).chain(&self.branches).find(|u| u.id == id).map(|u| u.name.as_str())
    }

    pub fn channel_name(&self, id: i64) -> Option<&str> {
        self.channels.iter().find(|c| c.id == id).map(|c| c.name.as_str())
    }

    pub fn item(&self, id: &str) -> Option<&DutyItem> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn record(&self, id: i64) -> Option<&Record> {
        self.records.iter().find(|r| r.id == id)
    }
}

/// "县民政局党组" → "中共县民政局党组"; a name that already says 中共 or
/// 中国共产党 is kept.
pub fn organ_name(unit_name: &str) -> String {
    let name = unit_name.trim();
    if name.starts_with("中共") || name.starts_with("中国共产党") {
        name.to_string()
    } else {
        format!("中共{name}")
    }
}

/// The nearest superior body above the unit (kind `Superior`), or failing
/// that its parent.
fn superior_of(all_units: &[Unit], unit: &Unit) -> Option<String> {
    let find = |id: UnitId| all_units.iter().find(|u| u.id == id);
    let parent = unit.parent_id.and_then(find)?;
    let mut current = Some(parent);
    // The depth bound guards against a cycle in bad data.
    for _ in 0..64 {
        match current {
            Some(u) if u.kind == UnitKind::Superior => return Some(u.name.clone()),
            Some(u) => current = u.parent_id.and_then(find),
            None => break,
        }
    }
    Some(parent.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organ_names() {
        assert_eq!(organ_name("县民政局党组"), "中共县民政局党组");
        assert_eq!(organ_name("中共县水利局党委"), "中共县水利局党委");
        assert_eq!(organ_name("中国共产党某县委员会"), "中国共产党某县委员会");
    }

    #[test]
    fn superior_is_the_nearest_superior_body() {
        let u = |id, parent, kind| Unit { id, name: format!("u{id}"), parent_id: parent, kind };
        let units =
            [u(1, None, UnitKind::Superior), u(2, Some(1), UnitKind::PartyGroup), u(3, Some(2), UnitKind::PartyGroup)];
        assert_eq!(superior_of(&units, &units[1]).as_deref(), Some("u1"));
        assert_eq!(superior_of(&units, &units[2]).as_deref(), Some("u1"));
        assert_eq!(superior_of(&units, &units[0]), None);
    }
}
