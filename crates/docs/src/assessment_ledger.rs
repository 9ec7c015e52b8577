//! 考核评分表 of a unit and year (every item with its automatic score and
//! each deduction's reason, the self-assessment and the review) and the
//! superior's 考核排名, as .xlsx ledgers.

use taizhang_core::assessment::{Score, Scorecard, Standing};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};

fn points(s: Score) -> Cell {
    Cell::Number(s.as_f64())
}

fn maybe(s: Option<Score>) -> Cell {
    s.map(points).unwrap_or(Cell::Empty)
}

fn wide(header: &str, width: f64) -> Column {
    Column { width: Some(width), ..Column::new(header, ColumnKind::LongText) }
}

/// The scorecard of `unit_name`, with a 合计 row; `full_marks` converts
/// the totals to 百分制 in the title.
pub fn scorecard_ledger(unit_name: &str, card: &Scorecard, full_marks: u32) -> Ledger {
    let columns = vec![
        Column::new("序号", ColumnKind::Int),
        Column::new("类别", ColumnKind::Text),
        wide("考核事项", 28.0),
        Column::new("分值", ColumnKind::Decimal),
        Column::new("自动得分", ColumnKind::Decimal),
        wide("扣分说明", 60.0),
        Column::new("自评调整", ColumnKind::Decimal),
        wide("调整理由及佐证材料", 36.0),
        Column::new("自评得分", ColumnKind::Decimal),
        Column::new("审核得分", ColumnKind::Decimal),
        wide("审核意见", 24.0),
    ];
    let mut rows: Vec<Vec<Cell>> = card
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut reasons: Vec<String> =
                l.item.deductions.iter().map(|d| format!("扣{}分：{}（{}）", d.points, d.reason, d.how)).collect();
            if !l.item.note.is_empty() {
                reasons.push(l.item.note.clone());
            }
            let adjustment = l.adjustment.map(|a| format!("理由：{}\n佐证：{}", a.reason, a.evidence));
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(l.item.category.clone()),
                Cell::Text(l.item.title.clone()),
                points(l.item.points),
                points(l.item.auto),
                Cell::Text(reasons.join("\n")),
                maybe(l.adjustment.map(|a| a.delta)),
                adjustment.map(Cell::Text).unwrap_or(Cell::Empty),
                points(l.self_score),
                maybe(l.review.map(|r| r.score)),
                Cell::Text(l.review.map(|r| r.opinion.clone()).unwrap_or_default()),
            ]
        })
        .collect();
    let adjusted: Score = card.lines.iter().filter_map(|l| l.adjustment.map(|a| a.delta)).sum();
    rows.push(vec![
        Cell::Empty,
        Cell::Text("合计".into()),
        Cell::Empty,
        points(card.max()),
        points(card.auto()),
        Cell::Empty,
        points(adjusted),
        Cell::Empty,
        points(card.self_total()),
        maybe(card.review_total()),
        Cell::Text(card.assessment.opinion.clone()),
    ]);
    let a = card.assessment;
    let best = card.final_total().unwrap_or(card.self_total());
    let title = format!(
        "{unit_name}{}年度意识形态工作责任制考核评分表（{}，折合百分制{}分）",
        a.year,
        a.state.label(),
        best.scaled(card.max(), full_marks)
    );
    Ledger { title, sheet_name: format!("{}年度考核评分表", a.year), columns, rows }
}

/// The ranking of the units under `root_name` for `year`.
pub fn ranking_ledger(root_name: &str, year: i32, rows: &[Standing]) -> Ledger {
    let columns = vec![
        Column::new("名次", ColumnKind::Int),
        Column { width: Some(24.0), ..Column::new("单位", ColumnKind::Text) },
        Column::new("状态", ColumnKind::Text),
        Column::new("满分", ColumnKind::Decimal),
        Column::new("自动得分", ColumnKind::Decimal),
        Column::new("自评得分", ColumnKind::Decimal),
        Column::new("审定得分", ColumnKind::Decimal),
        Column::new("排名得分（百分制）", ColumnKind::Decimal),
        Column { width: Some(20.0), ..Column::new("排名依据", ColumnKind::Text) },
    ];
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Int(r.rank as i64),
                Cell::Text(r.unit_name.clone()),
                Cell::Text(r.state_label.into()),
                points(r.max),
                points(r.auto),
                maybe(r.self_total),
                maybe(r.final_total),
                points(r.score),
                Cell::Text(r.basis_label.into()),
            ]
        })
        .collect();
    Ledger {
        title: format!("{root_name}{year}年度意识形态工作责任制考核排名"),
        sheet_name: format!("{year}年度考核排名"),
        columns,
        rows,
    }
}
