//! A 研判 (分析研判) naming the risks it reviewed: saved as an `analysis`
//! record, listed on each risk's page.

use super::{back_to_ledger, level_badge};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{invalid, respond, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::records;
use taizhang_app::risks::{self as risking, ledger_unit};
use taizhang_core::fields::{parse_date, parse_record};
use taizhang_core::record::{RecordData, RecordKind};
use taizhang_core::risk::RiskStatus;
use taizhang_store::NewRecord;

/// The 研判 form as typed; the risks ticked come as repeated `risk`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnalysisForm {
    occurred_on: String,
    topic: String,
    host: String,
    attendees: String,
    conclusion: String,
    report: String,
}

impl AnalysisForm {
    fn get(&self, name: &str) -> Option<String> {
        let v = match name {
            "topic" => &self.topic,
            "host" => &self.host,
            "attendees" => &self.attendees,
            "conclusion" => &self.conclusion,
            "report" => &self.report,
            _ => return None,
        };
        Some(v.clone())
    }
}

/// GET /units/{id}/risks/analysis: a 研判 naming risks from the ledger.
pub async fn analysis_form(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let typed = AnalysisForm { occurred_on: state.today().to_string(), ..Default::default() };
    Ok(analysis_page(&state, &user, group, &typed, &[], html! {}).await?.into_response())
}

async fn analysis_page(
    state: &AppState,
    user: &CurrentUser,
    group: i64,
    t: &AnalysisForm,
    chosen: &[i64],
    flash: Markup,
) -> Result<Markup, AppError> {
    let listed = risking::ledger(state, group).await?;
    let body = html! {
        (back_to_ledger(group))
        h1 { "意识形态领域情况分析研判" }
        p.muted { "勾选本次研判的风险点；保存为“分析研判”记录（研判报告），各风险点页面列出涉及它的研判。" }
        (flash)
        form.record method="post" action=(format!("/units/{group}/risks/analysis")) {
            (csrf_field(user))
            label for="occurred_on" { "研判日期" }
            input #occurred_on type="date" name="occurred_on" value=(t.occurred_on) required;
            label for="topic" { "研判主题 *" }
            input #topic type="text" name="topic" value=(t.topic) required;
            label for="host" { "主持人" }
            input #host type="text" name="host" value=(t.host);
            label for="attendees" { "参加人员" }
            textarea #attendees name="attendees" { (t.attendees) }
            fieldset {
                legend { "研判的风险点" }
                @for l in listed.iter().filter(|l| l.risk.entry.status == RiskStatus::Controlled) {
                    label.check { input type="checkbox" name="risk" value=(l.risk.id) checked[chosen.contains(&l.risk.id)]; " " (l.risk.entry.title) " " (level_badge(l.risk.entry.level)) }
                }
            }
            label for="conclusion" { "研判结论" }
            textarea #conclusion name="conclusion" { (t.conclusion) }
            label for="report" { "研判报告" }
            textarea #report name="report" { (t.report) }
            div.help { "报告正文或文件名" }
            p { button.btn type="submit" { "保存研判" } }
        }
    };
    Ok(page("分析研判", Some(user), body))
}

/// POST /units/{id}/risks/analysis
pub async fn analysis(c: Ctx, submitted: Submitted<AnalysisForm>) -> Result<Response, AppError> {
    let Ctx { state, view, id, .. } = c;
    let (user, form) = (&submitted.user, &submitted.form);
    let group = ledger_unit(&view, user, id, true)?.id;
    let chosen = submitted.ids("risk");
    let ledger = state.store.risks(group).await?;
    let risks_reviewed = ledger.iter().filter(|r| chosen.contains(&r.id)).map(|r| r.entry.title.clone()).collect();
    // The record's fields as the records' schema parses them; the risks as chosen.
    let data = parse_record(RecordKind::Analysis, |name| form.get(name)).map(|mut data| {
        if let RecordData::Analysis(a) = &mut data {
            a.risks_reviewed = risks_reviewed;
        }
        data
    });
    let outcome = match (parse_date(&form.occurred_on), data) {
        (Some(occurred_on), Ok(data)) => {
            records::create(&state, &view, user, &NewRecord { unit_id: group, occurred_on, data }).await
        }
        (None, _) => Err(invalid("请填写研判日期")),
        (_, Err(fields)) => Err(taizhang_app::Error::Fields(fields)),
    };
    respond(
        outcome,
        |record| format!("/records/{}", record.id),
        async |refusal| analysis_page(&state, user, group, form, &chosen, refusal.flash()).await,
    )
    .await
}
