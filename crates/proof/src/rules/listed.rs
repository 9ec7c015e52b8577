//! Rules that are lists of "wrong → right": 规范提法 (formulation) and 用语
//! (wording), each a built-in list plus the unit's own.

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::RuleSet;

/// Reports every hit of `sets` as a finding of `category`.
pub fn check(
    doc: &Doc,
    sets: &[&RuleSet],
    category: Category,
    severity: Severity,
    default_reason: &str,
    out: &mut Vec<Finding>,
) {
    for set in sets {
        for hit in set.find(doc.text, &doc.chars, &doc.index) {
            let reason = match &hit.rule.reason {
                Some(r) => r.clone(),
                None => format!("{default_reason}：“{}”应为“{}”", hit.rule.wrong, hit.rule.right),
            };
            out.push(Finding::new(
                &doc.chars,
                hit.start,
                hit.end,
                category,
                severity,
                vec![hit.rule.right.clone()],
                reason,
            ));
        }
    }
}
