//! Shared steps of the review pages and API: loading a draft with the
//! caller's access checked, running the proofreader on it, and applying a
//! review step. The rules themselves are `taizhang_core::drafts`, applied
//! by the store inside one audited transaction.

use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use taizhang_core::drafts::{check_acknowledged, OpenError, Reviewers, Stage};
use taizhang_core::engine::Channel;
use taizhang_core::record::RecordKind;
use taizhang_proof::{Config, Finding, Severity};
use taizhang_store::{Draft, NewDraft, ReviewStep};

/// The proofreader's findings on a draft's title and body: run on every
/// view, so what the reviewer sees matches the current version. The check
/// (and, the first time, loading its models) runs on a blocking thread so
/// it never stalls the server's request workers.
pub async fn proofread(title: &str, body: &str) -> (Vec<Finding>, Vec<Finding>) {
    let (title, body) = (title.to_string(), body.to_string());
    let config = Config::default();
    tokio::task::spawn_blocking(move || (taizhang_proof::check(&title, &config), taizhang_proof::check(&body, &config)))
        .await
        .unwrap_or_default()
}

/// The proofreader's error-severity findings on a draft's current title
/// and body: what a signer must fix or acknowledge.
pub async fn open_errors(draft: &Draft) -> Vec<OpenError> {
    let (title, body) = proofread(&draft.title, &draft.body).await;
    open_errors_in(&title, &body)
}

/// [`open_errors`] from findings already computed (the draft page has them).
pub fn open_errors_in(title: &[Finding], body: &[Finding]) -> Vec<OpenError> {
    let parts = [("title", title), ("body", body)];
    parts
        .into_iter()
        .flat_map(|(part, findings)| findings.iter().map(move |f| (part, f)))
        .filter(|(_, f)| f.severity == Severity::Error)
        .map(|(part, f)| OpenError {
            part,
            start: f.start,
            original: f.original.clone(),
            suggestion: f.suggestions.first().cloned().unwrap_or_default(),
        })
        .collect()
}

/// A channel the caller may see.
pub fn channel<'a>(view: &'a View, caller: &Caller, id: i64) -> Result<&'a Channel, Error> {
    let channel = view
        .org
        .channels
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::NotFound(format!("没有编号为{id}的宣传阵地")))?;
    view.access(caller).require_view(channel.unit_id)?;
    Ok(channel)
}

/// Channels of a Party group and the units under it.
pub fn channels_of(view: &View, group: i64) -> Vec<&Channel> {
    view.org.channels.iter().filter(|c| view.tree.is_within(c.unit_id, group)).collect()
}

/// The channels drafts are published on: all but event channels (报告会,
/// 讲座, 论坛), whose events are filed instead.
pub fn publishing_channels_of(view: &View, group: i64) -> Vec<&Channel> {
    channels_of(view, group).into_iter().filter(|c| RecordKind::ChannelUpdate.suits_channel(&c.kind)).collect()
}

/// The longest a publishing channel may go without an update, as the
/// group's duty list sets it (its `channel-freshness` rule); `None` when
/// the list has no such duty.
pub async fn update_limit(app: &App, group: i64) -> Result<Option<u32>, Error> {
    let items = app.store.duty_items_for(group).await?;
    Ok(taizhang_core::duty::freshness_limit(&items, RecordKind::ChannelUpdate))
}

/// Loads a draft the caller may see (or, with `write`, change).
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64, write: bool) -> Result<Draft, Error> {
    let draft = app.store.draft(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的稿件")))?;
    let access = view.access(caller);
    if write {
        access.require_write(draft.unit_id)?;
    } else {
        access.require_view(draft.unit_id)?;
    }
    Ok(draft)
}

pub async fn create(app: &App, view: &View, caller: &Caller, new: NewDraft) -> Result<Draft, Error> {
    let channel = channel(view, caller, new.channel_id)?;
    view.access(caller).require_write(channel.unit_id)?;
    if !RecordKind::ChannelUpdate.suits_channel(&channel.kind) {
        return Err(Error::Invalid(format!(
            "“{}”是报告会、讲座、论坛等活动阵地，不发布稿件；请在宣传阵地台账中登记活动报备",
            channel.name
        )));
    }
    let mut w = app.store.begin_write().await?;
    let draft = w.create_draft(&caller.actor(), &new).await?;
    w.commit().await?;
    Ok(draft)
}

/// Applies a step. Every step needs write access to the unit (inspectors
/// are read-only); the reviewer lists then decide who signs which stage.
pub async fn apply(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    version: Option<u32>,
    mut step: ReviewStep,
) -> Result<(Draft, Vec<Stage>), Error> {
    let draft = load(app, view, caller, id, true).await?;
    if let ReviewStep::Approve { stage, acknowledged, .. } = &mut step {
        // Signing honours the proofreader: every error in the version
        // signed is fixed or left with a reason. Checked once the caller
        // may sign at all, so that who may sign is said first; a version
        // newer than the one read is refused as a conflict by the store.
        let me = taizhang_core::drafts::Person { id: caller.person.id, name: caller.person.name.clone() };
        let reviewers = app.store.channel_reviewers(draft.channel_id).await?;
        if version.is_none_or(|v| v == draft.review.version) && draft.review.may_sign(*stage, &me, &reviewers) {
            let open = open_errors(&draft).await;
            *acknowledged = check_acknowledged(&open, acknowledged).map_err(|e| Error::Invalid(e.to_string()))?;
        }
    }
    let mut w = app.store.begin_write().await?;
    let done = w.review_draft(&caller.actor(), id, version, step).await?;
    w.commit().await?;
    Ok(done)
}

/// Sets a channel's reviewers after checking the caller may and that each
/// person works in the channel's Party group.
pub async fn set_reviewers(
    app: &App,
    view: &View,
    caller: &Caller,
    channel_id: i64,
    reviewers: Reviewers,
) -> Result<(), Error> {
    let channel = channel(view, caller, channel_id)?;
    if !view.access(caller).can_assign_reviewers(channel.unit_id) {
        return Err(Error::Forbidden);
    }
    let group = view.group_of(channel.unit_id)?.id;
    for id in reviewers.first.iter().chain(&reviewers.second).chain(&reviewers.last) {
        // Neither a name nor whether the id exists leaks from another unit.
        if !view.org.person(*id).is_some_and(|p| view.tree.is_within(p.unit_id, group)) {
            return Err(Error::Invalid("所选审核人不属于本单位".into()));
        }
    }
    if reviewers.first.is_empty() || reviewers.second.is_empty() || reviewers.last.is_empty() {
        return Err(Error::Invalid("三个审校环节都须至少指定一名审核人".into()));
    }
    if !taizhang_core::drafts::reviewers_can_finish(&reviewers) {
        return Err(Error::Invalid(
            "这样安排无法完成三审：同一人不得担任同一稿件的两个环节，三个环节须能由三位不同的人分别签署".into(),
        ));
    }
    let mut w = app.store.begin_write().await?;
    w.set_channel_reviewers(&caller.actor(), channel_id, &reviewers).await?;
    w.commit().await?;
    Ok(())
}
