//! A register's form fields, rendered from its field schema
//! (`taizhang_core::register`): a label (with * when required), the input
//! its kind calls for, the value typed so far and the help text. A new
//! field of a register appears on its form with nothing written here.
//!
//! The risk ledger's form uses it; the other registers' forms move to it
//! as their schemas are completed (docs/registers.md).

use maud::{html, Markup};
use taizhang_core::fields::parse_date;
use taizhang_core::register::{Fallback, FieldKind, Register, RegisterField, Values};

/// What the form needs besides the schema: the values to show (typed so
/// far, or the entry's), and the people a person field may name.
pub(crate) struct FormValues<'a> {
    pub values: &'a Values,
    /// (id, name) of the people of the unit.
    pub people: &'a [(i64, String)],
    /// Values offered for free-text fields (field name, suggestions): any
    /// other value may still be typed.
    pub suggestions: &'a [(&'a str, &'a [&'a str])],
}

/// Every field of register `T`, in schema order.
pub(crate) fn fields<T: Register>(form: &FormValues) -> Markup {
    html! {
        @for f in T::FIELDS {
            label for=(f.name) { (f.label) @if f.must_be_given() { " *" } }
            @match form.suggestions.iter().find(|(name, _)| *name == f.name) {
                Some((name, offered)) => {
                    @let list = format!("{name}-offered");
                    input type="text" id=(name) name=(name) value=(form.values.get(name)) list=(list)
                        maxlength=[(f.max_chars > 0).then_some(f.max_chars)] required[f.must_be_given()];
                    datalist id=(list) { @for o in offered.iter() { option value=(o) {} } }
                }
                None => (input(f, form.values.get(f.name), form.people)),
            }
            @if !f.help.is_empty() { div.help { (f.help) } }
        }
    }
}

/// The entry as people read it, field by field: a choice by its label, a
/// person by name. For the saved version beside a form refused for a
/// conflict, and for detail pages.
pub(crate) fn readable<T: Register>(entry: &T, person: impl Fn(i64) -> String) -> Vec<(&'static str, String)> {
    let values = entry.to_values();
    T::FIELDS
        .iter()
        .map(|f| {
            let raw = values.get(f.name);
            let text = match f.kind {
                FieldKind::Choice(_) => {
                    f.choices().into_iter().find(|(code, _)| *code == raw).map_or(raw.to_string(), |(_, l)| l.into())
                }
                FieldKind::Person => raw.parse().map(&person).unwrap_or_default(),
                _ => raw.to_string(),
            };
            (f.label, text)
        })
        .collect()
}

fn input(f: &RegisterField, value: &str, people: &[(i64, String)]) -> Markup {
    let (name, required) = (f.name, f.must_be_given());
    let max = (f.max_chars > 0).then_some(f.max_chars);
    match f.kind {
        FieldKind::Text => {
            html! { input type="text" id=(name) name=(name) value=(value) maxlength=[max] required[required]; }
        }
        FieldKind::LongText => html! { textarea id=(name) name=(name) maxlength=[max] required[required] { (value) } },
        FieldKind::Date => {
            let iso = parse_date(value).map(|d| d.to_string()).unwrap_or_default();
            html! { input type="date" id=(name) name=(name) value=(iso) required[required]; }
        }
        FieldKind::Number => html! { input type="number" id=(name) name=(name) value=(value) required[required]; },
        FieldKind::Choice(_) => {
            let chosen = if value.is_empty() { default_code(f) } else { value };
            html! {
                select id=(name) name=(name) required[required] {
                    @if !required && f.default == Fallback::None { option value="" { "（不填）" } }
                    @for (code, label) in f.choices() {
                        option value=(code) selected[chosen == code || chosen == label] { (label) }
                    }
                }
            }
        }
        FieldKind::Person => html! {
            select id=(name) name=(name) required[required] {
                option value="" { "（请选择）" }
                @for (id, person) in people {
                    option value=(id) selected[value == id.to_string()] { (person) }
                }
            }
        },
    }
}

fn default_code(f: &RegisterField) -> &'static str {
    match f.default {
        Fallback::Value(code) => code,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_core::risk::{RiskInput, FIELDS};

    #[test]
    fn every_risk_field_is_on_the_form_with_its_value() {
        let mut values = Values::default();
        values.set("title", "清明祭扫舆情风险");
        values.set("level", "medium");
        values.set("owner_id", "7");
        values.set("identified_on", "2026-03-01");
        let people = [(3, "孙卫东".to_string()), (7, "刘晓雯".to_string())];
        let form = FormValues { values: &values, people: &people, suggestions: &[("domain", &["殡葬改革"])] };
        let html = fields::<RiskInput>(&form).into_string();
        for f in FIELDS {
            assert!(html.contains(&format!("name=\"{}\"", f.name)), "the form lacks {}", f.name);
            assert!(html.contains(f.label), "the form lacks {}", f.label);
        }
        assert!(html.contains(r#"value="清明祭扫舆情风险""#), "{html}");
        assert!(html.contains(r#"<option value="medium" selected>中</option>"#), "{html}");
        assert!(html.contains(r#"<option value="7" selected>刘晓雯</option>"#), "{html}");
        assert!(html.contains(r#"<option value="controlled" selected>在控</option>"#), "a default is preselected");
        assert!(html.contains(r#"value="2026-03-01""#) && html.contains(r#"maxlength="100""#), "{html}");
        assert!(html.contains("风险领域 *") && !html.contains("风险描述 *"), "{html}");
        assert!(html.contains(r#"list="domain-offered""#) && html.contains(r#"<option value="殡葬改革">"#), "{html}");
    }

    #[test]
    fn an_entry_reads_by_labels_and_names() {
        let mut values = Values::default();
        for (k, v) in [("domain", "殡葬改革"), ("title", "祭扫"), ("level", "high"), ("measures", "值守")] {
            values.set(k, v);
        }
        values.set("owner_id", "7");
        let entry =
            RiskInput::from_values(&values, Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())).unwrap();
        let rows = readable(&entry, |id| format!("人员{id}"));
        assert!(rows.contains(&("风险等级", "高".to_string())), "{rows:?}");
        assert!(rows.contains(&("责任人", "人员7".to_string())), "{rows:?}");
        assert!(rows.contains(&("状态", "在控".to_string())), "{rows:?}");
    }
}
