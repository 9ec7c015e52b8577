//! A server-rendered chart: one stacked bar per category, by status.

use maud::{html, Markup};
use taizhang_core::engine::{CategoryCell, Status};

const COLORS: [(Status, &str); 6] = [
    (Status::Overdue, "#c5221f"),
    (Status::MissingEvidence, "#e37400"),
    (Status::DueSoon, "#b58100"),
    (Status::Late, "#8430ce"),
    (Status::Met, "#137333"),
    (Status::Pending, "#80868b"),
];

const LABEL_WIDTH: u32 = 110;
const BAR_WIDTH: u32 = 460;
const ROW: u32 = 26;

struct Segment {
    x: u32,
    width: u32,
    count: usize,
    status: Status,
    color: &'static str,
}

fn segments(cell: &CategoryCell, max: usize) -> Vec<Segment> {
    let mut x = LABEL_WIDTH;
    let mut out = Vec::new();
    for (status, color) in COLORS {
        let count = cell.count(status);
        if count > 0 {
            let width = ((count as u32 * BAR_WIDTH) / max as u32).max(2);
            out.push(Segment { x, width, count, status, color });
            x += width;
        }
    }
    out
}

pub fn status_bars(cells: &[CategoryCell]) -> Markup {
    let max = cells.iter().map(|c| c.counts.iter().sum::<usize>()).max().unwrap_or(1).max(1);
    let height = ROW * cells.len() as u32 + 34;
    let width = LABEL_WIDTH + BAR_WIDTH + 40;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) role="img" aria-label="各类事项完成情况" {
            @for (row, cell) in cells.iter().enumerate() {
                @let y = row as u32 * ROW + 4;
                text x="0" y=(y + 15) { (cell.category) }
                @for seg in segments(cell, max) {
                    rect x=(seg.x) y=(y) width=(seg.width) height="18" fill=(seg.color) { title { (seg.status.label()) "：" (seg.count) } }
                    @if seg.width >= 16 { text x=(seg.x + seg.width / 2) y=(y + 14) text-anchor="middle" style="fill:#fff" { (seg.count) } }
                }
            }
            @let legend_y = ROW * cells.len() as u32 + 22;
            @for (i, (status, color)) in COLORS.iter().enumerate() {
                rect x=(i as u32 * 95) y=(legend_y - 10) width="10" height="10" fill=(color) {}
                text x=(i as u32 * 95 + 14) y=(legend_y) { (status.label()) }
            }
        }
    }
}
