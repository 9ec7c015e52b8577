//! The .xlsx import templates of the register pages, with the unit's
//! people, departments and units in their lists and example row.

use crate::context::Ctx;
use crate::error::AppError;
use crate::pages::downloads::xlsx;
use axum::response::Response;
use taizhang_app::templates;
use taizhang_core::template::ImportKind;

fn download(c: Ctx, kind: ImportKind) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let file = templates::for_unit(&state, &view, &user, id, kind)?;
    xlsx(Ok(file.bytes), &file.name, &format!("{}-template.xlsx", kind.code()))
}

/// GET /units/{id}/risks/template.xlsx
pub async fn risks(c: Ctx) -> Result<Response, AppError> {
    download(c, ImportKind::Risks)
}

/// GET /units/{id}/feedback/template.xlsx
pub async fn feedback(c: Ctx) -> Result<Response, AppError> {
    download(c, ImportKind::Feedback)
}

/// GET /units/{id}/rectifications/template.xlsx
pub async fn rectifications(c: Ctx) -> Result<Response, AppError> {
    download(c, ImportKind::Rectifications)
}

/// GET /units/{id}/news/template.xlsx
pub async fn news(c: Ctx) -> Result<Response, AppError> {
    download(c, ImportKind::News)
}
