//! 舆情与诉求处置台账: one row per entry, with the time, person and
//! particulars of every step and where each time limit stands.

use chrono::{DateTime, Utc};
use taizhang_core::feedback::{deadlines, Feedback, Limits, Step, StepKind};
use taizhang_core::period::shanghai_minute;

use crate::ledger::{Cell, Column, ColumnKind, Ledger};

/// "陈静 2026-11-20 10:00 情况属实"; several steps of a kind joined by "；".
fn steps_text(f: &Feedback, kind: StepKind) -> Cell {
    let parts: Vec<String> = f.steps_of(kind).map(step_text).collect();
    if parts.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(parts.join("；"))
    }
}

fn step_text(s: &Step) -> String {
    let mut text = format!("{} {}", s.by.name, shanghai_minute(s.at));
    if let Some(to) = &s.to {
        text.push_str(&format!(" 报{to}"));
    }
    if let Some(form) = s.form {
        text.push_str(&format!(" {}", form.label()));
    }
    if !s.note.is_empty() {
        text.push_str(&format!(" {}", s.note));
    }
    text
}

/// The register of `unit_name` for a period label such as "2026年", as it
/// stands at `now`.
pub fn feedback_ledger(
    unit_name: &str,
    period_label: &str,
    entries: &[&Feedback],
    limits: &Limits,
    now: DateTime<Utc>,
) -> Ledger {
    let text = |h: &str| Column::new(h, ColumnKind::Text);
    let wide = |h: &str| Column { width: Some(30.0), ..text(h) };
    let mut columns = vec![
        Column::new("序号", ColumnKind::Int),
        text("发现时间"),
        text("来源"),
        wide("链接"),
        Column::new("内容摘要", ColumnKind::LongText),
        text("类别"),
        text("等级"),
        text("责任人"),
    ];
    let kinds =
        [StepKind::Discover, StepKind::Verify, StepKind::Report, StepKind::Handle, StepKind::Respond, StepKind::Close];
    columns.extend(kinds.iter().map(|k| wide(k.label())));
    columns.extend([wide("时限情况"), text("状态")]);
    let rows = entries
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut row = vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(shanghai_minute(f.discovered_at())),
                Cell::Text(f.source.label()),
                f.source.url.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(f.summary.clone()),
                Cell::Text(f.category.clone()),
                Cell::Text(f.level.label().into()),
                Cell::Text(f.owner.name.clone()),
            ];
            row.extend(kinds.iter().map(|k| steps_text(f, *k)));
            let limits_text: Vec<String> = deadlines(f, limits, now).iter().map(|d| d.label()).collect();
            row.extend([Cell::Text(limits_text.join("；")), Cell::Text(f.status().label().into())]);
            row
        })
        .collect();
    Ledger {
        title: format!("{unit_name}{period_label}舆情与诉求处置台账"),
        sheet_name: "舆情与诉求处置台账".into(),
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use taizhang_core::drafts::Person;
    use taizhang_core::feedback::{Level, NewFeedback, ResponseForm, Source, SourceKind};

    #[test]
    fn a_row_carries_every_step_and_the_time_limits() {
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
        let p = |id, name: &str| Person { id, name: name.into() };
        let new = NewFeedback {
            source: Source::checked(SourceKind::Online, "微博", Some("https://weibo.com/1/a")).unwrap(),
            summary: "反映救助金发放慢".into(),
            category: "民生诉求".into(),
            level: Level::Larger,
            owner: p(2, "李红梅"),
            discovered: Step::new(StepKind::Discover, at(1), p(1, "刘晓雯"), ""),
        };
        let mut f = Feedback::new(new, at(1)).unwrap();
        f.record(Step::new(StepKind::Verify, at(2), p(3, "陈静"), "属实"), at(9)).unwrap();
        let report =
            Step { to: Some("县委宣传部".into()), ..Step::new(StepKind::Report, at(3), p(3, "陈静"), "") };
        f.record(report, at(9)).unwrap();
        f.record(Step::new(StepKind::Handle, at(4), p(2, "李红梅"), "督促发放"), at(9)).unwrap();
        let reply = Step {
            form: Some(ResponseForm::Reply),
            ..Step::new(StepKind::Respond, at(5), p(2, "李红梅"), "已回复")
        };
        f.record(reply, at(9)).unwrap();
        let ledger = feedback_ledger("县民政局党组", "2026年", &[&f], &Limits::default(), at(9));
        assert_eq!(ledger.title, "县民政局党组2026年舆情与诉求处置台账");
        let row = &ledger.rows[0];
        assert_eq!(row.len(), ledger.columns.len());
        assert_eq!(row[1], Cell::Text("2026-11-20 09:00".into()));
        assert_eq!(row[9], Cell::Text("陈静 2026-11-20 10:00 属实".into()));
        assert_eq!(row[10], Cell::Text("陈静 2026-11-20 11:00 报县委宣传部".into()));
        assert_eq!(row[12], Cell::Text("李红梅 2026-11-20 13:00 答复诉求人 已回复".into()));
        assert_eq!(row[13], Cell::Empty);
        assert_eq!(row[14], Cell::Text("已按时回应".into()));
        assert_eq!(row[15], Cell::Text("待办结".into()));
    }
}
