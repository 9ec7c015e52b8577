//! Downloads of a Party group's documents for a period: the 报告 or
//! 自查报告 (.docx), the ledgers (.xlsx) and the inspection bundle (.zip).
//! Same access rule as the dashboard: whoever may view the unit may
//! download its documents. The files are built by `taizhang_docs` from the
//! same inputs and the same engine call as the dashboard, so a report says
//! what the dashboard shows.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::state::AppState;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::documents;
use taizhang_app::view::PeriodQuery;
use taizhang_docs::compose::{report_docx, ReportKind};
use taizhang_docs::inspection::{bundle_file_name, inspection_bundle, ledger_file_name, report_file_name};
use taizhang_docs::record_ledgers::{ledger_workbook, parse_kind};
use taizhang_docs::source::Source;
use taizhang_docs::DocsError;

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const ZIP: &str = "application/zip";

/// `?period=2026H1&kind=self-inspection` (`year=` works too, as on the dashboard).
#[derive(Debug, Default, Deserialize)]
pub struct DocQuery {
    pub period: Option<String>,
    pub year: Option<String>,
    pub kind: Option<String>,
}

impl DocQuery {
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty())
    }
}

/// The download links for a unit and period, for the dashboard and the
/// record list.
pub fn download_buttons(unit_id: i64, period_code: &str, kind: Option<&str>) -> Markup {
    let base = format!("/units/{unit_id}");
    let p = period_code;
    // The ledger follows the record kind chosen on the page, if any.
    let ledger_kind = kind.filter(|k| !k.is_empty()).map(|k| format!("&kind={k}")).unwrap_or_default();
    html! {
        div.toolbar.downloads {
            span.muted { "下载：" }
            a.btn.plain href=(format!("{base}/report.docx?period={p}&kind=half-year")) download { "情况报告（Word）" }
            a.btn.plain href=(format!("{base}/report.docx?period={p}&kind=self-inspection")) download { "自查报告（Word）" }
            a.btn.plain href=(format!("{base}/ledger.xlsx?period={p}{ledger_kind}")) download { "台账（Excel）" }
            a.btn.plain href=(format!("{base}/bundle.zip?period={p}")) download { "检查材料包（含校验清单）" }
        }
    }
}

/// GET /units/{id}/report.docx?period=&kind=half-year|self-inspection
pub async fn report(c: Ctx, Query(q): Query<DocQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view: _, id } = c;
    let source = load(&state, &user, id, &q).await?;
    let kind = match q.kind() {
        None => ReportKind::Report,
        Some(k) => ReportKind::parse(k)
            .ok_or_else(|| AppError::BadRequest(format!("报告类型“{k}”无法识别，应为 half-year 或 self-inspection")))?,
    };
    let name = report_file_name(&source, kind);
    let bytes = blocking(move || report_docx(&source, kind)).await?;
    Ok(download(bytes, DOCX, &name, &format!("report-{id}.docx")))
}

/// GET /units/{id}/ledger.xlsx?period=&kind=study|… (all ledgers and the
/// evaluation sheet without `kind`)
pub async fn ledger(c: Ctx, Query(q): Query<DocQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view: _, id } = c;
    let source = load(&state, &user, id, &q).await?;
    let kind = match q.kind() {
        None => None,
        Some(k) => Some(parse_kind(k).ok_or_else(|| AppError::BadRequest(format!("台账类别“{k}”无法识别")))?),
    };
    let name = ledger_file_name(&source, kind);
    let bytes = blocking(move || ledger_workbook(&source, kind)).await?;
    Ok(download(bytes, XLSX, &name, &format!("ledger-{id}.xlsx")))
}

/// GET /units/{id}/bundle.zip?period=
pub async fn bundle(c: Ctx, Query(q): Query<DocQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view: _, id } = c;
    let mut source = load(&state, &user, id, &q).await?;
    documents::load_evidence(&state, &mut source).await?;
    let name = bundle_file_name(&source);
    let now = chrono::Utc::now();
    let bytes = blocking(move || inspection_bundle(&source, now)).await?;
    Ok(download(bytes, ZIP, &name, &format!("bundle-{id}.zip")))
}

/// The unit's documents source, with the dashboard's access rule.
async fn load(state: &AppState, user: &CurrentUser, id: i64, q: &DocQuery) -> Result<Source, AppError> {
    let period = PeriodQuery { period: q.period.clone(), year: q.year.clone() }.resolve(state)?;
    Ok(documents::source_for(state, user, id, period).await?)
}

/// Builds a document off the async threads: a bundle takes tens of
/// milliseconds of CPU.
async fn blocking(f: impl FnOnce() -> Result<Vec<u8>, DocsError> + Send + 'static) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("生成文件的任务失败：{e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A register exported as .xlsx (`name` in Chinese, `ascii_name` for old
/// clients), or the error page when the workbook could not be written.
pub fn xlsx(workbook: Result<Vec<u8>, DocsError>, name: &str, ascii_name: &str) -> Result<Response, AppError> {
    let bytes = workbook.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, XLSX, name, ascii_name))
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: &str, ascii_name: &str) -> Response {
    let disposition = content_disposition(name, ascii_name);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Working records of a Party group: not for shared caches.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// `attachment; filename="report-3.docx"; filename*=UTF-8''%E5%8E%BF…`:
/// browsers use the RFC 5987 name (Chinese), old clients the ASCII one.
pub fn content_disposition(name: &str, ascii_fallback: &str) -> String {
    let fallback: String = ascii_fallback.chars().filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\').collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{}", rfc5987(name))
}

/// Percent-encodes everything but RFC 5987's attr-char.
fn rfc5987(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_carries_the_chinese_name_encoded() {
        let d = content_disposition("县民政局党组2026年上半年自查报告.docx", "report-2.docx");
        assert!(d.starts_with("attachment; filename=\"report-2.docx\"; filename*=UTF-8''"), "{d}");
        assert!(d.ends_with("%E5%8E%BF%E6%B0%91%E6%94%BF%E5%B1%80%E5%85%9A%E7%BB%842026%E5%B9%B4%E4%B8%8A%E5%8D%8A%E5%B9%B4%E8%87%AA%E6%9F%A5%E6%8A%A5%E5%91%8A.docx"), "{d}");
        assert!(d.is_ascii());
    }

    #[test]
    fn buttons_link_every_download() {
        let html = download_buttons(7, "2026H1", None).into_string();
        for href in [
            "/units/7/report.docx?period=2026H1&amp;kind=self-inspection",
            "/units/7/ledger.xlsx?period=2026H1",
            "/units/7/bundle.zip?period=2026H1",
        ] {
            assert!(html.contains(href), "{href} in {html}");
        }
        let filtered = download_buttons(7, "2026H1", Some("study")).into_string();
        assert!(filtered.contains("/units/7/ledger.xlsx?period=2026H1&amp;kind=study"), "{filtered}");
    }
}
