//! What files are attached to, and the one way they are: a record, a
//! review of a risk, a rectification problem (the proof of its 销号
//! request), a step of a feedback entry, or a published draft. Rights are
//! always the owner's: who may change it may attach and void, who may see
//! it may list and read. Every owner goes through [`store_files`], so
//! there is one upload path whatever the page.

use super::{io, may_void, Staged, MB};
use crate::view::View;
use crate::{App, Caller, Error, Result};
use taizhang_core::attachment::FileKind;
use taizhang_store::{
    Attachment, NewAttachment, WriteTx, OWNER_DRAFT, OWNER_FEEDBACK, OWNER_RECORD, OWNER_RECTIFICATION,
    OWNER_RISK_REVIEW,
};

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Record(i64),
    /// The review `review` of the risk `risk`.
    RiskReview {
        risk: i64,
        review: i64,
    },
    /// A rectification problem: the proof of its 销号 request.
    Rectification(i64),
    /// The step `step` (1 = the first) of the feedback entry `item`.
    FeedbackStep {
        item: i64,
        step: i64,
    },
    /// A published draft: the published version (screenshot, PDF).
    Draft(i64),
}

/// The page whose files are listed together: a risk's lists the files of
/// all its reviews, a feedback entry's those of all its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Record(i64),
    Risk(i64),
    Rectification(i64),
    Feedback(i64),
    Draft(i64),
}

/// Where a checked target's files go.
pub(crate) struct Resolved {
    owner: &'static str,
    owner_id: i64,
    unit_id: i64,
    /// The feedback step, for a feedback entry's files.
    step: Option<i64>,
}

impl Resolved {
    /// A new record's own files (it is written in the same transaction).
    pub(crate) fn record(record: &taizhang_core::record::Record) -> Resolved {
        Resolved { owner: OWNER_RECORD, owner_id: record.id, unit_id: record.unit_id, step: None }
    }

    /// A problem being reported rectified in the same transaction.
    pub(crate) fn rectification(id: i64, unit_id: i64) -> Resolved {
        Resolved { owner: OWNER_RECTIFICATION, owner_id: id, unit_id, step: None }
    }

    /// A feedback step being recorded in the same transaction.
    pub(crate) fn feedback_step(item: i64, unit_id: i64, step: i64) -> Resolved {
        Resolved { owner: OWNER_FEEDBACK, owner_id: item, unit_id, step: Some(step) }
    }
}

/// A file as the owner's page and the API list it.
pub struct Listed {
    pub file: Attachment,
    /// Whether the caller may void it now.
    pub can_void: bool,
    /// The feedback step it came with (1 = the first).
    pub step: Option<i64>,
}

fn refused(message: &str) -> Error {
    Error::Invalid(message.into())
}

/// Finds the target, checks the caller may change it and that it takes
/// files now.
async fn resolve(app: &App, view: &View, caller: &Caller, target: Target) -> Result<Resolved> {
    let (owner, owner_id, unit_id, step) = match target {
        Target::Record(id) => {
            let shown = crate::records::load_with_void(app, view, caller, id).await?;
            view.access(caller).require_write(shown.record.unit_id)?;
            if shown.void.is_some() {
                return Err(refused("该记录已作废，不能再上传文件"));
            }
            (OWNER_RECORD, id, shown.record.unit_id, None)
        }
        Target::RiskReview { risk, review } => {
            let risk = crate::risks::load(app, view, caller, risk, true).await?;
            if !app.store.risk_reviews(risk.id).await?.iter().any(|r| r.id == review) {
                return Err(Error::NotFound(format!("该风险点没有编号为{review}的复核记录")));
            }
            (OWNER_RISK_REVIEW, review, risk.unit_id, None)
        }
        Target::Rectification(id) => {
            let (problem, _) = crate::rectifications::load(app, view, caller, id).await?;
            view.access(caller).require_write(problem.unit_id)?;
            if problem.closed_on.is_some() {
                return Err(refused("该问题已销号，不能再上传文件"));
            }
            (OWNER_RECTIFICATION, id, problem.unit_id, None)
        }
        Target::FeedbackStep { item, step } => {
            let entry = crate::feedback::load(app, view, caller, item, true).await?;
            if step < 1 || step as usize > entry.feedback.steps.len() {
                return Err(Error::NotFound(format!("该事项没有第{step}步处置记录")));
            }
            (OWNER_FEEDBACK, item, entry.unit_id, Some(step))
        }
        Target::Draft(id) => {
            let draft = crate::drafts::load(app, view, caller, id, true).await?;
            if draft.review.published.is_none() {
                return Err(refused("稿件登记发布后，才能上传发布版本的截图或PDF"));
            }
            (OWNER_DRAFT, id, draft.unit_id, None)
        }
    };
    Ok(Resolved { owner, owner_id, unit_id, step })
}

/// Why a file's owner no longer takes changes to its files, if it does not.
pub(super) async fn closed_reason(app: &App, file: &Attachment) -> Result<Option<&'static str>> {
    Ok(match file.owner.as_str() {
        OWNER_RECORD => match app.store.record_with_void(file.owner_id).await? {
            Some((_, _, Some(_))) => Some("该记录已作废，其文件不能再作废"),
            _ => None,
        },
        OWNER_RECTIFICATION => match app.store.rectification(file.owner_id).await? {
            Some((p, _)) if p.closed_on.is_some() => Some("该问题已销号，其佐证材料不能再作废"),
            _ => None,
        },
        _ => None,
    })
}

/// Refuses files that would take the unit over its quota.
pub(crate) async fn check_quota(app: &App, unit_id: i64, staged: &[Staged]) -> Result<()> {
    let Some(quota) = app.attachment_limits.unit_quota else { return Ok(()) };
    let used = app.store.unit_attachment_bytes(unit_id).await?;
    let adding: u64 = staged.iter().map(|s| s.size).sum();
    if used + adding > quota {
        return Err(Error::TooLarge(format!(
            "本单位佐证材料已用{:.1}MB，再上传将超过{}MB的限额；请作废不需要的文件或联系管理员",
            used as f64 / MB as f64,
            quota.div_ceil(MB)
        )));
    }
    Ok(())
}

/// Writes received files to their owner inside the caller's transaction
/// (content a chunk at a time, then each audited row). The owner must
/// have been checked ([`Resolved`]) and the quota too ([`check_quota`]).
pub(crate) async fn store_files(
    w: &mut WriteTx<'_>,
    caller: &Caller,
    to: &Resolved,
    kind: FileKind,
    staged: Vec<Staged>,
) -> Result<Vec<Attachment>> {
    let mut files = Vec::with_capacity(staged.len());
    for s in staged {
        let content = tokio::fs::File::open(&s.path).await.map_err(io)?;
        w.put_blob(&s.sha256, s.size, tokio::io::BufReader::new(content)).await?;
        let new = NewAttachment {
            owner: to.owner,
            owner_id: to.owner_id,
            unit_id: to.unit_id,
            kind,
            name: s.name,
            file_type: s.file_type,
            size: s.size,
            sha256: s.sha256,
        };
        let file = w.create_attachment(&caller.actor(), &new).await?;
        if let Some(step) = to.step {
            w.link_feedback_step(&caller.actor(), file.id, step).await?;
        }
        files.push(file);
    }
    Ok(files)
}

/// Attaches several received files to a target in one transaction: all
/// of them or, when one is refused (the quota), none.
pub async fn attach_all(
    app: &App,
    view: &View,
    caller: &Caller,
    target: Target,
    kind: FileKind,
    staged: Vec<Staged>,
) -> Result<Vec<Attachment>> {
    let to = resolve(app, view, caller, target).await?;
    check_quota(app, to.unit_id, &staged).await?;
    let mut w = app.store.begin_write().await?;
    let files = store_files(&mut w, caller, &to, kind, staged).await?;
    w.commit().await?;
    Ok(files)
}

/// Attaches one received file to a target.
pub async fn attach(
    app: &App,
    view: &View,
    caller: &Caller,
    target: Target,
    kind: FileKind,
    staged: Staged,
) -> Result<Attachment> {
    Ok(attach_all(app, view, caller, target, kind, vec![staged]).await?.remove(0))
}

/// Attaches one received file to a record.
pub async fn attach_to_record(
    app: &App,
    view: &View,
    caller: &Caller,
    record_id: i64,
    kind: FileKind,
    staged: Staged,
) -> Result<Attachment> {
    attach(app, view, caller, Target::Record(record_id), kind, staged).await
}

/// The files of a page the caller may see, voided ones last; with the
/// feedback step of each feedback file.
pub async fn of(app: &App, view: &View, caller: &Caller, parent: Parent) -> Result<Vec<Listed>> {
    let (owner, ids, open) = match parent {
        Parent::Record(id) => {
            let shown = crate::records::load_with_void(app, view, caller, id).await?;
            (OWNER_RECORD, vec![id], shown.void.is_none())
        }
        Parent::Risk(id) => {
            crate::risks::load(app, view, caller, id, false).await?;
            let reviews: Vec<i64> = app.store.risk_reviews(id).await?.iter().map(|r| r.id).collect();
            (OWNER_RISK_REVIEW, reviews, true)
        }
        Parent::Rectification(id) => {
            let (problem, _) = crate::rectifications::load(app, view, caller, id).await?;
            (OWNER_RECTIFICATION, vec![id], problem.closed_on.is_none())
        }
        Parent::Feedback(id) => {
            crate::feedback::load(app, view, caller, id, false).await?;
            (OWNER_FEEDBACK, vec![id], true)
        }
        Parent::Draft(id) => {
            crate::drafts::load(app, view, caller, id, false).await?;
            (OWNER_DRAFT, vec![id], true)
        }
    };
    let mut files = app.store.attachments_of(owner, &ids).await?;
    files.sort_by_key(|f| (f.void.is_some(), f.id));
    let steps = if owner == OWNER_FEEDBACK {
        let ids: Vec<i64> = files.iter().map(|f| f.id).collect();
        app.store.feedback_file_steps(&ids).await?
    } else {
        Vec::new()
    };
    Ok(files
        .into_iter()
        .map(|file| {
            let can_void = open && file.void.is_none() && may_void(view, caller, &file);
            let step = steps.iter().find(|(a, _)| *a == file.id).map(|(_, s)| *s);
            Listed { file, can_void, step }
        })
        .collect())
}
