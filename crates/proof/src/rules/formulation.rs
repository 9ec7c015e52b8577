//! 规范提法: full and correct names of congresses, plenums, the guiding
//! thought and key documents (a built-in list plus the unit's rules), and
//! the 〔〕 brackets of document numbers (GB/T 9704: 国办发〔2023〕5号).

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::RuleSet;
use crate::rules::listed;
use crate::text::is_han;
use std::sync::OnceLock;

static BUILTIN: OnceLock<RuleSet> = OnceLock::new();

fn builtin() -> &'static RuleSet {
    BUILTIN.get_or_init(|| RuleSet::parse_tsv(include_str!("../../data/formulation.tsv"), false))
}

pub fn check(doc: &Doc, config: &Config, out: &mut Vec<Finding>) {
    listed::check(
        doc,
        &[builtin(), &config.lexicon.formulation],
        Category::Formulation,
        Severity::Warning,
        "规范提法",
        out,
    );
    document_numbers(doc, out);
}

/// 发文字号 whose year sits in (), （）, [] or 【】 instead of 〔〕.
fn document_numbers(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    for i in 1..c.len() {
        let close = match c[i] {
            '(' => ')',
            '（' => '）',
            '[' => ']',
            '【' => '】',
            '［' => '］',
            _ => continue,
        };
        // 机关代字 before, four-digit year inside, a number and 号 after.
        if !is_han(c[i - 1]) || i + 6 >= c.len() {
            continue;
        }
        let year = &c[i + 1..i + 5];
        if !year.iter().all(char::is_ascii_digit) || !(year[0] == '1' || year[0] == '2') || c[i + 5] != close {
            continue;
        }
        let mut j = i + 6;
        while j < c.len() && c[j].is_ascii_digit() {
            j += 1;
        }
        if j == i + 6 || c.get(j) != Some(&'号') {
            continue;
        }
        let year: String = year.iter().collect();
        let original: String = c[i..i + 6].iter().collect();
        out.push(Finding::new(
            c,
            i,
            i + 6,
            Category::Formulation,
            Severity::Error,
            vec![format!("〔{year}〕")],
            format!("发文字号的年份应使用六角括号“〔〕”，不应写作“{original}”（GB/T 9704）"),
        ));
    }
}
