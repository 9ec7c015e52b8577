//! 缺漏: fixed patterns of official writing with a piece left out
//! (现将有关情况如下 → 现将有关情况报告如下; 特此通 → 特此通知).

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::phrases::{Phrases, Slip};
use crate::text::{ends_with_at, starts_with_at};

/// Verbs that may stand between 现将…… and 如下.
const REPORT_VERBS: [&str; 16] = [
    "报告", "通知", "通报", "说明", "汇报", "公布", "公告", "明确", "规定", "安排", "答复", "函复", "批复", "介绍",
    "部署", "提出",
];

/// Closing formulas cut short: (what was written, what it should be).
const TRUNCATED: [(&str, &str); 6] = [
    ("特此通", "特此通知"),
    ("特此报", "特此报告"),
    ("特此函", "特此函告"),
    ("贯彻落", "贯彻落实"),
    ("请予批", "请予批准"),
    ("妥否，请批", "妥否，请批示"),
];

/// The first characters of `TRUNCATED`'s cut forms: most characters start
/// none of them.
const TRUNCATED_FIRST: [char; 4] = ['特', '贯', '请', '妥'];

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    for &(line_start, line_end) in &doc.lines {
        report_as_follows(doc, line_start, line_end, out);
    }
    phrases_cut_short(doc, out);
    for i in 0..c.len() {
        if !TRUNCATED_FIRST.contains(&c[i]) {
            continue;
        }
        for (cut, full) in TRUNCATED {
            if starts_with_at(c, i, cut) && !starts_with_at(c, i, full) && !continues(c, i, cut, full) {
                let end = i + cut.chars().count();
                out.push(Finding::new(
                    c,
                    i,
                    end,
                    Category::Missing,
                    Severity::Error,
                    vec![full.to_string()],
                    format!("固定用语缺字：应为“{full}”"),
                ));
            }
        }
    }
}

/// `cut` may be the start of another legitimate phrase (特此函复, 特此报请).
fn continues(c: &[char], i: usize, cut: &str, full: &str) -> bool {
    let end = i + cut.chars().count();
    let next = c.get(end).copied();
    match full {
        "特此函告" => matches!(next, Some('复' | '告' | '达')),
        "特此报告" => matches!(next, Some('请' | '送' | '备')),
        "请予批准" => matches!(next, Some('复' | '示')),
        _ => false,
    }
}

/// 现将…如下 without the verb that says what is being done.
fn report_as_follows(doc: &Doc, start: usize, end: usize, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let Some(open) = (start..end).find(|&i| c[i] == '现' && starts_with_at(c, i, "现将")) else {
        return;
    };
    let Some(close) = (open + 2..end).find(|&i| c[i] == '如' && starts_with_at(c, i, "如下")) else {
        return;
    };
    if close - open > 40 || REPORT_VERBS.iter().any(|v| ends_with_at(c, close, v)) {
        return;
    }
    let from = close.saturating_sub(2).max(open + 2);
    let written: String = c[from..close + 2].iter().collect();
    let before: String = c[from..close].iter().collect();
    out.push(Finding::new(
        c,
        from,
        close + 2,
        Category::Missing,
        Severity::Error,
        vec![format!("{before}报告如下")],
        format!("“现将……如下”句式缺少动词：“{written}”应为“{before}报告如下”（或通知、通报等）"),
    ));
}

/// A long fixed phrase with an inner character left out (全面从治党主体责任),
/// unless the characters belong to another phrase written in full.
fn phrases_cut_short(doc: &Doc, out: &mut Vec<Finding>) {
    let phrases = Phrases::get();
    let exact = phrases.exact(doc);
    let mut reported = 0;
    // Near misses come by start, longest first: of overlapping ones, the
    // longest phrase is reported.
    for miss in phrases.near_misses(doc, |_, _| false) {
        if miss.slip != Slip::Dropped
            || miss.start < reported
            || exact.iter().any(|r| r.start <= miss.start && miss.end <= r.end)
        {
            continue;
        }
        reported = miss.end;
        out.push(Finding::new(
            &doc.chars,
            miss.start,
            miss.end,
            Category::Missing,
            Severity::Error,
            vec![miss.phrase.to_string()],
            format!("固定用语缺字：应为“{}”", miss.phrase),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_characters_cover_every_cut_form() {
        for (cut, _) in TRUNCATED {
            assert!(TRUNCATED_FIRST.contains(&cut.chars().next().unwrap()), "{cut}");
        }
    }
}
