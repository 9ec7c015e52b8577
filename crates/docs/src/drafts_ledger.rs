//! 三审三校记录清单: one row per draft of a period, with who signed each
//! stage, when and with what opinion, how often it was returned or
//! revised, and where it was published. Inspectors ask for this list to
//! see that nothing went out unreviewed (先审后发).

use chrono::{DateTime, Utc};
use taizhang_core::drafts::{Event, Review, SignOff, Stage};
use taizhang_core::period::{shanghai_date, shanghai_minute};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};

/// A draft as the list shows it: names already resolved by the caller.
pub struct ReviewedDraft<'a> {
    pub title: &'a str,
    pub channel: &'a str,
    pub author: &'a str,
    pub submitted_at: DateTime<Utc>,
    pub review: &'a Review,
}

/// "陈静 2026-11-20 10:05 同意"; empty when the stage is not signed.
fn sign_off_text(sign: Option<&SignOff>) -> Cell {
    match sign {
        None => Cell::Empty,
        Some(s) => {
            let at = shanghai_minute(s.at);
            let opinion = if s.opinion.is_empty() { String::new() } else { format!(" {}", s.opinion) };
            Cell::Text(format!("{} {at}{opinion}", s.by.name))
        }
    }
}

fn returns(review: &Review) -> i64 {
    review.history.iter().filter(|e| matches!(e, Event::Rejected(_))).count() as i64
}

/// The list for `unit_name` and a period label such as "2026年".
pub fn drafts_ledger(unit_name: &str, period_label: &str, drafts: &[ReviewedDraft]) -> Ledger {
    let text = |h: &str| Column::new(h, ColumnKind::Text);
    let mut columns = vec![
        Column::new("序号", ColumnKind::Int),
        Column { width: Some(36.0), ..text("稿件标题") },
        Column { width: Some(24.0), ..text("发布阵地") },
        text("撰稿人"),
        Column::new("提交日期", ColumnKind::Date),
    ];
    for stage in Stage::ALL {
        columns.push(Column { width: Some(30.0), ..text(stage.label()) });
    }
    columns.extend([
        Column::new("修改稿次", ColumnKind::Int),
        Column::new("退回次数", ColumnKind::Int),
        Column::new("发布日期", ColumnKind::Date),
        Column { width: Some(36.0), ..text("发布链接") },
        text("状态"),
    ]);
    let rows = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut row = vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(d.title.into()),
                Cell::Text(d.channel.into()),
                Cell::Text(d.author.into()),
                Cell::Date(shanghai_date(d.submitted_at)),
            ];
            row.extend(Stage::ALL.map(|s| sign_off_text(d.review.signed_for(s))));
            let (published_on, url) = match &d.review.published {
                Some((at, url)) => (Cell::Date(shanghai_date(*at)), Cell::Text(url.clone())),
                None => (Cell::Empty, Cell::Empty),
            };
            row.extend([
                Cell::Int(d.review.version as i64),
                Cell::Int(returns(d.review)),
                published_on,
                url,
                Cell::Text(d.review.status().label().into()),
            ]);
            row
        })
        .collect();
    Ledger {
        title: format!("{unit_name}{period_label}三审三校记录清单"),
        sheet_name: "三审三校记录清单".into(),
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use taizhang_core::drafts::{Person, Reviewers};

    #[test]
    fn a_published_draft_lists_every_stage_and_its_link() {
        let r = Reviewers { first: vec![1], second: vec![2], last: vec![3] };
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 20, h, 5, 0).unwrap();
        let mut review = Review::default();
        let p = |id, name: &str| Person { id, name: name.into() };
        review.reject(Stage::First, p(1, "陈静"), &r, "数据需核实", at(1)).unwrap();
        review.edit(p(9, "刘晓雯"), &r, at(2)).unwrap();
        review.approve(Stage::First, p(1, "陈静"), &r, "同意", vec![], at(3)).unwrap();
        review.approve(Stage::Second, p(2, "李红梅"), &r, "", vec![], at(4)).unwrap();
        review.approve(Stage::Final, p(3, "王建国"), &r, "同意发布", vec![], at(5)).unwrap();
        review.publish(p(9, "刘晓雯"), "https://mzj.example.gov.cn/1", at(16)).unwrap();
        let draft = ReviewedDraft {
            title: "标题",
            channel: "微信公众号",
            author: "刘晓雯",
            submitted_at: at(0),
            review: &review,
        };
        let ledger = drafts_ledger("县民政局党组", "2026年", &[draft]);
        assert_eq!(ledger.title, "县民政局党组2026年三审三校记录清单");
        let row = &ledger.rows[0];
        assert_eq!(row.len(), ledger.columns.len());
        assert_eq!(row[5], Cell::Text("陈静 2026-11-20 11:05 同意".into()));
        assert_eq!(row[6], Cell::Text("李红梅 2026-11-20 12:05".into()));
        assert_eq!((&row[8], &row[9]), (&Cell::Int(2), &Cell::Int(1)));
        // Published at 16:05 UTC: the next day in Beijing.
        assert_eq!(row[10], Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()));
        assert_eq!(row[12], Cell::Text("已发布".into()));
    }
}
