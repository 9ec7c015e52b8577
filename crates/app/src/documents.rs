//! The one loader behind every document: reports (报告、自查报告), ledgers
//! (台账) and the inspection bundle, for the web's downloads and the CLI's
//! commands alike. The inputs and the engine call are the dashboard's, so a
//! document says what the dashboard shows.

use crate::view::View;
use crate::{App, Caller, Error, Result};
use taizhang_core::drafts::PublishingFacts;
use taizhang_core::period::Period;
use taizhang_docs::source::{AuditHead, EvidenceFile, EvidenceOwner, Source, VoidedRecord};

/// A Party group's documents source for a period: its inputs, evaluated
/// on the app's today, plus the records and the audit head, read after the
/// records so the head covers everything the documents show. No access
/// check: for callers that have made theirs (or the console).
pub async fn source(app: &App, group: i64, period: Period) -> Result<Source> {
    let inputs = crate::view::load_inputs(app, &[group], period).await?;
    let g = inputs.groups.first().ok_or_else(|| Error::NotFound("该单位不是党组（党委），没有责任清单".into()))?;
    let audit = app.store.audit_head().await?;
    let head = AuditHead { head: audit.head, entries: audit.entries };
    let mut source = Source::assemble(&inputs.org.units, &g.items, &g.context(), period, app.today(), head);
    let units: Vec<i64> = std::iter::once(source.unit.id).chain(source.branches.iter().map(|b| b.id)).collect();
    source.voided = app
        .store
        .voided_records(&units, period.first_day(), period.last_day())
        .await?
        .into_iter()
        .map(|(record, void)| VoidedRecord {
            record,
            by: void.by_name,
            on: taizhang_core::period::shanghai_date(void.at),
            reason: void.reason,
        })
        .collect();
    if !source.channels.is_empty() {
        source.publishing = Some(publishing_facts(app, group, period).await?);
    }
    source.evidence = evidence_of(app, &source.records, &source.rectifications).await?;
    Ok(source)
}

/// 三审三校 of the group's drafts published in the period. Drafts are read
/// from a year before the period, so one written earlier and published in
/// it is counted.
async fn publishing_facts(app: &App, group: i64, period: Period) -> Result<PublishingFacts> {
    use taizhang_core::period::shanghai_day_start;
    let from = shanghai_day_start(period.first_day());
    let to = shanghai_day_start(period.last_day() + chrono::Days::new(1));
    let drafts = app.store.drafts(&[group], from - chrono::Duration::days(366), to).await?;
    Ok(PublishingFacts::of(drafts.iter().map(|d| &d.review), from, to))
}

/// The evidence files (not voided) of some records (their own, and for a
/// `risk_review` record those of the reviews it wrote) and of some
/// rectification problems, without their bytes.
async fn evidence_of(
    app: &App,
    records: &[taizhang_core::record::Record],
    problems: &[taizhang_core::rectification::Rectification],
) -> Result<Vec<EvidenceFile>> {
    use taizhang_store::{OWNER_RECORD, OWNER_RECTIFICATION};
    let record_ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let problem_ids: Vec<i64> = problems.iter().map(|p| p.id).collect();
    let mut found = Vec::new();
    // Bound the number of parameters of one query.
    for chunk in record_ids.chunks(500) {
        let own = app.store.attachments_of(OWNER_RECORD, chunk).await?;
        found.extend(own.into_iter().map(|a| (EvidenceOwner::Record(a.owner_id), a)));
        let reviews = app.store.risk_review_files_of_records(chunk).await?;
        found.extend(reviews.into_iter().map(|(record, a)| (EvidenceOwner::Record(record), a)));
    }
    for chunk in problem_ids.chunks(500) {
        let own = app.store.attachments_of(OWNER_RECTIFICATION, chunk).await?;
        found.extend(own.into_iter().map(|a| (EvidenceOwner::Rectification(a.owner_id), a)));
    }
    Ok(found
        .into_iter()
        .filter(|(_, a)| a.void.is_none())
        .map(|(owner, a)| EvidenceFile {
            owner,
            kind: a.kind,
            name: a.name,
            size: a.size,
            sha256: a.sha256,
            content: None,
        })
        .collect())
}

/// Reads the bytes of the source's evidence files, for the inspection
/// bundle (which is built in memory: see docs/attachments.md).
pub async fn load_evidence(app: &App, source: &mut Source) -> Result<()> {
    for file in &mut source.evidence {
        let mut reader = app.store.open_blob(&file.sha256).await?;
        let mut bytes = Vec::with_capacity(file.size as usize);
        while let Some(chunk) = reader.next_chunk().await? {
            bytes.extend(chunk);
        }
        file.content = Some(bytes);
    }
    Ok(())
}

/// The source of the Party group a unit belongs to, for a caller who may
/// view the unit (the dashboard's rule: whoever sees it may download it).
pub async fn source_for(app: &App, caller: &Caller, unit: i64, period: Period) -> Result<Source> {
    let view = View::load(app).await?;
    view.access(caller).require_view(unit)?;
    let group = view.group_of(unit)?.id;
    source(app, group, period).await
}
