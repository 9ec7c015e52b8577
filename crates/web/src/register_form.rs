//! A register's form fields, rendered from its field schema
//! (`taizhang_core::register`): a label (with * when required), the input
//! its kind calls for, the value typed so far and the help text. A new
//! field of a register appears on its form with nothing written here.
//!
//! The risk, 整改, 信息报送, 定额 and 舆情与诉求 登记 forms use it
//! (docs/registers.md).

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
    /// Whether a required field's label ends with “ *” (forms whose labels
    /// people and tests know without it set `false`).
    pub star_required: bool,
    /// The values a number field may take (field name, (id, name)), shown
    /// as a `<select>` (a department among the unit's).
    pub options: &'a [(&'a str, &'a [(i64, String)])],
    /// Whether a required choice without a default starts with an empty
    /// “（请选择）” option, so that nobody saves the first by accident.
    pub choose_first: bool,
    /// The wording of a `<select>`'s empty first option (field name,
    /// wording) where it means something (全单位 for a quota's
    /// department); “（请选择）” otherwise.
    pub blank: &'a [(&'a str, &'a str)],
    /// Whether the fields' help texts show under them (forms whose labels
    /// already carry the hint set `false`).
    pub help: bool,
    /// Text fields that take a web address: `type="url"`, “https://”
    /// shown while empty.
    pub urls: &'a [&'a str],
}

impl<'a> FormValues<'a> {
    /// The values and people of a form with the usual settings: stars on
    /// required labels, no suggestions or options.
    pub fn new(values: &'a Values, people: &'a [(i64, String)]) -> Self {
        FormValues {
            values,
            people,
            suggestions: &[],
            star_required: true,
            options: &[],
            choose_first: false,
            blank: &[],
            help: true,
            urls: &[],
        }
    }
}

/// Every field of register `T`, in schema order.
pub(crate) fn fields<T: Register>(form: &FormValues) -> Markup {
    fields_except::<T>(form, &[])
}

/// The fields of register `T` not named in `except` (a form that places
/// those itself, with [`field`]), in schema order.
pub(crate) fn fields_except<T: Register>(form: &FormValues, except: &[&str]) -> Markup {
    html! { @for f in T::FIELDS.iter().filter(|f| !except.contains(&f.name)) { (one(f, form)) } }
}

/// The field `name` of register `T` (nothing if there is none).
pub(crate) fn field<T: Register>(form: &FormValues, name: &str) -> Markup {
    html! { @if let Some(f) = T::field(name) { (one(f, form)) } }
}

fn one(f: &RegisterField, form: &FormValues) -> Markup {
    html! {
        label for=(f.name) { (f.form_label()) @if f.must_be_given() && form.star_required { " *" } }
        @match form.suggestions.iter().find(|(name, _)| *name == f.name) {
            Some((name, offered)) => {
                @let list = format!("{name}-offered");
                input type="text" id=(name) name=(name) value=(form.values.get(name)) list=(list)
                    maxlength=[(f.max_chars > 0).then_some(f.max_chars)] required[f.must_be_given()];
                datalist id=(list) { @for o in offered.iter() { option value=(o) {} } }
            }
            None => @match form.options.iter().find(|(name, _)| *name == f.name) {
                Some((_, options)) => (select_of(f, form.values.get(f.name), options, blank_of(f, form))),
                None => (input(f, form.values.get(f.name), form.people, form.choose_first, form.urls.contains(&f.name))),
            },
        }
        @if form.help && !f.help.is_empty() { div.help { (f.help) } }
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

fn input(f: &RegisterField, value: &str, people: &[(i64, String)], choose_first: bool, url: bool) -> Markup {
    let (name, required) = (f.name, f.must_be_given());
    let max = (f.max_chars > 0).then_some(f.max_chars);
    match f.kind {
        FieldKind::Text if url => html! {
            input type="url" id=(name) name=(name) value=(value) maxlength=[max] required[required] placeholder="https://";
        },
        FieldKind::Text => {
            html! { input type="text" id=(name) name=(name) value=(value) maxlength=[max] required[required]; }
        }
        FieldKind::LongText => html! { textarea id=(name) name=(name) maxlength=[max] required[required] { (value) } },
        FieldKind::Date => {
            let iso = parse_date(value).map(|d| d.to_string()).unwrap_or_default();
            html! { input type="date" id=(name) name=(name) value=(iso) required[required]; }
        }
        FieldKind::Number => {
            let (min, max) = (f.range.map(|r| r.0), f.range.map(|r| r.1));
            html! { input type="number" id=(name) name=(name) min=[min] max=[max] required[required] value=(value); }
        }
        FieldKind::Choice(_) => {
            let chosen = if value.is_empty() { default_code(f) } else { value };
            html! {
                select id=(name) name=(name) required[required] {
                    @if !required && f.default == Fallback::None { option value="" { "（不填）" } }
                    @if required && choose_first && f.default == Fallback::None { option value="" { "（请选择）" } }
                    @for (code, label) in f.choices() {
                        option value=(code) selected[chosen == code || chosen == label] { (label) }
                    }
                }
            }
        }
        FieldKind::Person => select_of(f, value, people, "（请选择）"),
    }
}

/// The wording of field `f`'s empty option on this form.
fn blank_of<'a>(f: &RegisterField, form: &FormValues<'a>) -> &'a str {
    form.blank.iter().find(|(name, _)| *name == f.name).map_or("（请选择）", |(_, wording)| *wording)
}

/// A `<select>` of (id, name), with an empty option (`blank`) first.
fn select_of(f: &RegisterField, value: &str, options: &[(i64, String)], blank: &str) -> Markup {
    html! {
        select id=(f.name) name=(f.name) required[f.must_be_given()] {
            option value="" { (blank) }
            @for (id, name) in options {
                option value=(id) selected[value == id.to_string()] { (name) }
            }
        }
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
        let form = FormValues { suggestions: &[("domain", &["殡葬改革"])], ..FormValues::new(&values, &people) };
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

    #[test]
    fn the_rectification_form_keeps_its_labels() {
        use taizhang_core::rectification::RectificationInput;
        let mut values = Values::default();
        values.set("source", "patrol");
        let people = [(7, "刘晓雯（科员）".to_string())];
        let form = FormValues { star_required: false, ..FormValues::new(&values, &people) };
        let html = fields::<RectificationInput>(&form).into_string();
        for f in RectificationInput::FIELDS {
            assert!(html.contains(&format!(r#"<label for="{}">{}</label>"#, f.name, f.label)), "{html}");
        }
        assert!(html.contains(r#"<option value="patrol" selected>巡察反馈</option>"#), "{html}");
        assert!(!html.contains("（请选择）</option><option value=\"inspection\""), "no empty source: {html}");
        assert!(!html.contains("rectified_on") && !html.contains("evidence"), "no workflow field: {html}");
    }

    #[test]
    fn prompts_options_and_a_first_choice_to_make() {
        use taizhang_core::news::SubmissionInput;
        let mut values = Values::default();
        values.set("department_id", "4");
        let departments = [(3, "办公室".to_string()), (4, "养老服务股".to_string())];
        let form = FormValues {
            options: &[("department_id", &departments)],
            star_required: false,
            choose_first: true,
            ..FormValues::new(&values, &[])
        };
        let html = fields_except::<SubmissionInput>(&form, &["issue"]).into_string();
        assert!(html.contains(r#"<label for="title">信息标题</label>"#), "{html}");
        assert!(html.contains(r#"<option value="4" selected>养老服务股</option>"#), "{html}");
        assert!(
            html.contains(r#"<select id="level" name="level" required><option value="">（请选择）</option>"#),
            "{html}"
        );
        assert!(!html.contains(r#"name="issue""#), "{html}");
        assert!(field::<SubmissionInput>(&form, "issue").into_string().contains("期号或链接（录用后填写）"));
    }

    #[test]
    fn the_quota_form_keeps_its_labels_and_whole_unit_first() {
        use taizhang_core::news::QuotaInput;
        let mut values = Values::default();
        values.set("cadence", "quarter");
        values.set("target", "0");
        let departments = [(3, "办公室".to_string())];
        let form = FormValues {
            options: &[("department_id", &departments)],
            blank: &[("department_id", "全单位")],
            star_required: false,
            ..FormValues::new(&values, &[])
        };
        let html = fields::<QuotaInput>(&form).into_string();
        assert!(html.contains(r#"<option value="">全单位</option><option value="3">办公室</option>"#), "{html}");
        assert!(html.contains(r#"<option value="quarter" selected>每季度</option>"#), "{html}");
        assert!(html.contains(r#"<label for="target">定额（篇）</label>"#), "{html}");
        assert!(html.contains(r#"min="1" max="1000" required value="0""#), "{html}");
        assert!(!html.contains("（请选择）") && !html.contains(" *"), "{html}");
    }

    #[test]
    fn the_feedback_form_keeps_its_labels_without_help() {
        use taizhang_core::feedback::FeedbackInput;
        let mut values = Values::default();
        values.set("owner_id", "7");
        let people = [(7, "刘晓雯".to_string())];
        let form = FormValues {
            star_required: false,
            help: false,
            urls: &["source_url"],
            ..FormValues::new(&values, &people)
        };
        let html = fields::<FeedbackInput>(&form).into_string();
        assert!(html.contains(r#"<label for="source_detail">平台或来源说明（如 微博、12345热线）</label>"#), "{html}");
        assert!(
            html.contains(r#"<label for="source_url">公开链接（网络平台必填）</label><input type="url""#),
            "{html}"
        );
        assert!(html.contains(r#"placeholder="https://""#) && !html.contains("class=\"help\""), "{html}");
        assert!(html.contains(r#"<option value="7" selected>刘晓雯</option>"#), "{html}");
    }
}
