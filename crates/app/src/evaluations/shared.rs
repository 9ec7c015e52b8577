//! Roll-up rows shared between app servers through the database
//! (`evaluation_rows`): a server that finds no current entry of its own
//! takes the row another server (or itself before a restart) kept, when it
//! was computed at the same stamp by the same program. A province's
//! roll-up is then one read of ten thousand small rows instead of
//! evaluating every group from its records.
//!
//! The rows are an optimisation: when they cannot be read or kept, the
//! server evaluates as if there were none and says so in its log.

use super::{Evaluations, Kept, Stamp, Summary};
use crate::App;
use std::collections::HashMap;
use std::sync::OnceLock;
use taizhang_core::assessment::AutoCard;
use taizhang_core::engine::RollupRow;
use taizhang_core::period::Period;
use taizhang_store::StoredEvaluation;

/// The program that computes the rows: a row computed by another build
/// (another engine) is not used. The digest of the running executable, so
/// that copies of one build on several servers share; a program that cannot
/// read itself shares with nobody.
fn program() -> &'static str {
    static PROGRAM: OnceLock<String> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let digest = std::env::current_exe().and_then(std::fs::read).map(|bytes| hex::encode(Sha256::digest(bytes)));
        match digest {
            Ok(d) => format!("{}-{}", env!("CARGO_PKG_VERSION"), &d[..16]),
            Err(e) => {
                tracing::warn!("读取程序文件失败，评估结果不与其他服务器共享：{e}");
                format!("unshared-{}-{}", std::process::id(), rand::random::<u64>())
            }
        }
    })
}

/// The stamp as kept: everything but the hour and the instant.
fn stamp_text(s: &Stamp) -> String {
    format!("{}|{}|{}|{}", s.today, s.organisation, s.data, program())
}

/// Takes the kept rows of `stale` groups that hold at their stamps into
/// this server's cache and `found`; returns the groups still stale.
pub(super) async fn take_kept(
    app: &App,
    period: Period,
    stale: Vec<i64>,
    stamps: &HashMap<i64, Stamp>,
    with_card: bool,
    found: &mut HashMap<i64, Summary>,
) -> Vec<i64> {
    if stale.is_empty() {
        return stale;
    }
    // Hashing the program reads the executable once per process.
    let _ = tokio::task::spawn_blocking(program).await;
    let cache = &app.evaluations;
    let mut taken = std::collections::HashSet::new();
    // As many groups at a time as the store names in one query: a
    // province's rows with their cards are 80 MB of text, read whole they
    // raised a server's peak memory by 60 MB.
    for chunk in stale.chunks(taizhang_store::EVALUATION_ROWS_NAMED) {
        let rows = match app.store.evaluation_rows(&period.code(), chunk, with_card).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!("读取共享的评估结果失败，改为重新评估：{e}");
                continue;
            }
        };
        for row in rows {
            let Some(stamp) = stamps.get(&row.group_id) else { continue };
            let Some(kept) = holding(&row, stamp, with_card) else { continue };
            let key = (row.group_id, period);
            cache.put_kept(key, *stamp, kept);
            if let Some(s) = cache.summary(key, *stamp, with_card) {
                found.insert(row.group_id, s);
                taken.insert(row.group_id);
            }
        }
    }
    stale.into_iter().filter(|g| !taken.contains(g)).collect()
}

/// The kept row, if it holds at `stamp` (and has a card when one is asked for).
fn holding(row: &StoredEvaluation, stamp: &Stamp, with_card: bool) -> Option<Kept> {
    let holds = row.stamp == stamp_text(stamp)
        && row.hour.is_none_or(|h| h == stamp.hour)
        && row.expires_at.is_none_or(|t| stamp.now < t)
        && (!with_card || row.card_json.is_some());
    if !holds {
        return None;
    }
    let parsed: Option<RollupRow> = serde_json::from_str(&row.row_json).ok();
    let card: Option<AutoCard> = row.card_json.as_deref().and_then(|c| serde_json::from_str(c).ok());
    if with_card && card.is_none() {
        return None;
    }
    Some(Kept { row: parsed?, card, expires: row.expires_at, hourly: row.hour.is_some() })
}

/// Keeps in the database the current rows of `groups`, just computed.
pub(super) async fn share(app: &App, period: Period, groups: &[i64], stamps: &HashMap<i64, Stamp>) {
    let rows: Vec<StoredEvaluation> =
        groups.iter().filter_map(|g| stored(&app.evaluations, *g, period, &stamps[g])).collect();
    if rows.is_empty() {
        return;
    }
    if let Err(e) = app.store.save_evaluation_rows(&period.code(), &rows).await {
        tracing::warn!("保存共享的评估结果失败（不影响本次结果）：{e}");
    }
}

fn stored(cache: &Evaluations, group: i64, period: Period, stamp: &Stamp) -> Option<StoredEvaluation> {
    let kept = cache.kept((group, period), *stamp)?;
    Some(StoredEvaluation {
        group_id: group,
        stamp: stamp_text(stamp),
        hour: kept.hourly.then_some(stamp.hour),
        expires_at: kept.expires,
        row_json: serde_json::to_string(&kept.row).ok()?,
        card_json: kept.card.as_ref().and_then(|c| serde_json::to_string(c).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn stamp(hour: i64) -> Stamp {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 30, 0).unwrap() + chrono::Duration::hours(hour);
        Stamp {
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            hour: now.timestamp().div_euclid(3600),
            organisation: 7,
            data: 42,
            now,
        }
    }

    fn kept_at(s: &Stamp, hourly: bool) -> StoredEvaluation {
        let row = RollupRow { unit_id: 5, unit_name: "县民政局党组".into(), cells: vec![], total: empty_cell() };
        StoredEvaluation {
            group_id: 5,
            stamp: stamp_text(s),
            hour: hourly.then_some(s.hour),
            expires_at: None,
            row_json: serde_json::to_string(&row).unwrap(),
            card_json: None,
        }
    }

    fn empty_cell() -> taizhang_core::engine::CategoryCell {
        taizhang_core::engine::CategoryCell { category: "合计".into(), counts: [0; 6], worst: None }
    }

    #[test]
    fn a_kept_row_holds_only_at_its_own_stamp() {
        let at = stamp(0);
        assert!(holding(&kept_at(&at, false), &at, false).is_some());
        // Another hour: only a row that changes with the hour goes stale.
        assert!(holding(&kept_at(&at, false), &stamp(1), false).is_some());
        assert!(holding(&kept_at(&at, true), &stamp(1), false).is_none());
        // Another data version, organisation version or day.
        for other in [
            Stamp { data: 43, ..at },
            Stamp { organisation: 8, ..at },
            Stamp { today: at.today.succ_opt().unwrap(), ..at },
        ] {
            assert!(holding(&kept_at(&at, false), &other, false).is_none());
        }
        // A time limit falls due.
        let expiring =
            StoredEvaluation { expires_at: Some(at.now + chrono::Duration::minutes(10)), ..kept_at(&at, false) };
        assert!(holding(&expiring, &at, false).is_some());
        assert!(holding(&expiring, &Stamp { now: at.now + chrono::Duration::minutes(10), ..at }, false).is_none());
        // Another program.
        let other_program = StoredEvaluation {
            stamp: format!("{}|{}|{}|other", at.today, at.organisation, at.data),
            ..kept_at(&at, false)
        };
        assert!(holding(&other_program, &at, false).is_none());
        // A ranking needs the card.
        assert!(holding(&kept_at(&at, false), &at, true).is_none());
    }
}
