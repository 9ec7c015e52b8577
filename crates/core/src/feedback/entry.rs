//! The plain fields of a feedback entry (舆情与诉求) as a register schema
//! (`crate::register`): what the import columns, the stored columns and
//! the OpenAPI component take from one list. The steps (发现 → 办结) are
//! not plain fields: they stay in the entry's JSON, checked by
//! [`super::Feedback::record`].

use super::{Feedback, FeedbackError, Level, SourceKind, SHORT_MAX_CHARS, TEXT_MAX_CHARS};
use crate::coded::Coded;
use crate::record::FieldError;
use crate::register::{field, FieldKind::*, Reader, Register, RegisterField, Writer};
use serde::{Deserialize, Serialize};

/// An entry's plain fields as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackInput {
    pub source_kind: SourceKind,
    pub summary: String,
    pub category: String,
    pub level: Level,
    /// 责任人: a person id; an import names the person.
    pub owner_id: Option<i64>,
    /// 来源说明: the platform (微博, 12345热线…).
    #[serde(default)]
    pub source_detail: String,
    /// 链接: the public link, required for online sources.
    #[serde(default)]
    pub source_url: String,
}

/// The register's plain fields, in the order of the import's columns:
/// the required ones first. Only 类别, 等级 and 责任人 have columns of
/// their own (for filters); the rest live in the entry's JSON.
pub const FIELDS: &[RegisterField] = &[
    field("source_kind", "来源", Choice(SourceKind::choices)).required().not_stored(),
    field("summary", "内容摘要", LongText).required().max(TEXT_MAX_CHARS).not_stored(),
    field("category", "类别", Text).required().max(SHORT_MAX_CHARS).help("如 民生诉求、政策咨询"),
    field("level", "等级", Choice(Level::choices)).required(),
    field("owner_id", "责任人", Person).required().help("本单位人员"),
    field("source_detail", "来源说明", Text)
        .max(SHORT_MAX_CHARS)
        .not_stored()
        .help("如 微博、12345热线")
        .prompt("平台或来源说明（如 微博、12345热线）"),
    field("source_url", "链接", Text)
        .max(TEXT_MAX_CHARS)
        .not_stored()
        .help("网络平台来源须填写公开链接")
        .prompt("公开链接（网络平台必填）"),
];

impl Register for FeedbackInput {
    const NAME: &'static str = "FeedbackInput";
    const FIELDS: &'static [RegisterField] = FIELDS;

    fn read(r: &mut Reader) -> Self {
        FeedbackInput {
            source_kind: r.get("source_kind"),
            summary: r.get("summary"),
            category: r.get("category"),
            level: r.get("level"),
            owner_id: r.get("owner_id"),
            source_detail: r.get("source_detail"),
            source_url: r.get("source_url"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.put("source_kind", &self.source_kind);
        w.put("summary", &self.summary);
        w.put("category", &self.category);
        w.put("level", &self.level);
        w.put("owner_id", &self.owner_id);
        w.put("source_detail", &self.source_detail);
        w.put("source_url", &self.source_url);
    }
}

impl Default for FeedbackInput {
    fn default() -> Self {
        FeedbackInput::blank()
    }
}

impl Feedback {
    /// The entry's plain fields, as the schema has them.
    pub fn input(&self) -> FeedbackInput {
        FeedbackInput {
            source_kind: self.source.kind,
            summary: self.summary.clone(),
            category: self.category.clone(),
            level: self.level,
            owner_id: Some(self.owner.id),
            source_detail: self.source.detail.clone(),
            source_url: self.source.url.clone().unwrap_or_default(),
        }
    }
}

/// A problem with a field as the import has always worded it: an
/// unreadable choice “等级“很大”无法识别（可填：一般、较大、重大、特别重大）”,
/// a text “内容摘要过长（不超过2000字）”; other problems as the schema says.
pub(super) fn import_message(e: &FieldError, text: &str) -> String {
    let Some(f) = FIELDS.iter().find(|f| f.name == e.field) else { return e.message.clone() };
    let choices = f.choices();
    if !choices.is_empty() {
        let labels: Vec<&str> = choices.iter().map(|c| c.1).collect();
        return format!("{}“{}”无法识别（可填：{}）", f.label, text.trim(), labels.join("、"));
    }
    if f.max_chars > 0 && text.trim().chars().count() > f.max_chars {
        return FeedbackError::TooLong(f.label, f.max_chars).to_string();
    }
    e.message.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::Values;

    fn values(pairs: &[(&str, &str)]) -> Values {
        let mut v = Values::default();
        for (k, t) in pairs {
            v.set(k, *t);
        }
        v
    }

    #[test]
    fn an_entry_round_trips_through_its_values() {
        let input = FeedbackInput {
            source_kind: SourceKind::Online,
            summary: "反映救助金发放慢".into(),
            category: "民生诉求".into(),
            level: Level::Major,
            owner_id: Some(7),
            source_detail: "微博".into(),
            source_url: "https://weibo.com/1/a".into(),
        };
        assert_eq!(FeedbackInput::from_values(&input.to_values(), None), Ok(input.clone()));
        assert_eq!(input.to_values().get("level"), "major");
        let parsed = FeedbackInput::from_values(
            &values(&[("source_kind", "热线电话"), ("summary", "咨询"), ("category", "政策咨询"), ("level", "一般")]),
            None,
        )
        .unwrap();
        assert_eq!((parsed.source_kind, parsed.level, parsed.owner_id), (SourceKind::Hotline, Level::General, None));
    }

    #[test]
    fn a_bad_value_names_its_field() {
        let errors = FeedbackInput::from_values(
            &values(&[("source_kind", "网络"), ("summary", ""), ("category", "民生"), ("level", "很大")]),
            None,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["source_kind", "level", "summary"]);
        assert!(errors[1].message.starts_with("等级“很大”无法识别"), "{errors:?}");
        assert_eq!(errors[2].message, "请填写内容摘要");
    }

    #[test]
    fn the_import_headers_are_the_schema_labels() {
        let columns = super::super::import::columns();
        for f in FIELDS {
            assert!(columns.contains(&f.label), "{} is not a column", f.label);
        }
        let today = "来源 内容摘要 类别 等级 责任人 发现时间 发现人 来源说明 链接 发现情况 核实时间 核实人 核实情况 \
            报告时间 报告人 报告对象 报告情况 处置时间 处置人 处置情况 回应时间 回应人 回应方式 回应情况 办结时间 办结人 办结情况";
        assert_eq!(columns, today.split_whitespace().collect::<Vec<_>>());
        let bad = FieldError { field: "level", message: String::new() };
        assert_eq!(import_message(&bad, "很大"), "等级“很大”无法识别（可填：一般、较大、重大、特别重大）");
        let long = FieldError { field: "category", message: String::new() };
        assert_eq!(import_message(&long, &"长".repeat(201)), "类别过长（不超过200字）");
    }
}
