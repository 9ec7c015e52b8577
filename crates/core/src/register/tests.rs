use super::*;
use crate::risk::{self, RiskInput, RiskLevel, RiskStatus};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// `..Default::default()` so a field added to the ledger needs no edit here.
#[allow(clippy::needless_update)]
fn risk() -> RiskInput {
    RiskInput {
        domain: "殡葬改革".into(),
        title: "清明祭扫舆情风险".into(),
        level: RiskLevel::High,
        description: String::new(),
        measures: "加强政策解读".into(),
        owner_id: Some(7),
        identified_on: d(2026, 3, 1),
        status: RiskStatus::Controlled,
        ..Default::default()
    }
}

/// Every register's schema, with one valid entry's values.
fn registers() -> Vec<(&'static str, &'static [RegisterField], Values)> {
    vec![(RiskInput::NAME, RiskInput::FIELDS, risk().to_values())]
}

#[test]
fn every_register_builds_its_entry_and_round_trips() {
    let entry = risk();
    assert_eq!(RiskInput::from_values(&entry.to_values(), None), Ok(entry.clone()));
    assert_eq!(serde_json::from_value::<RiskInput>(Value::Object(to_json(&entry))).unwrap(), entry);
    for (name, fields, values) in registers() {
        let names: Vec<&str> = values.0.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = fields.iter().map(|f| f.name).collect();
        expected.sort();
        assert_eq!(names, expected, "{name}: to_values writes every field, and only those");
        let mut labels: Vec<&str> = fields.iter().map(|f| f.label).collect();
        labels.dedup();
        assert_eq!(labels.len(), fields.len(), "{name}: labels are distinct (they head import columns)");
    }
}

#[test]
fn a_bad_value_names_its_field() {
    let mut values = risk().to_values();
    values.set("level", "极高");
    values.set("identified_on", "2026-02-30");
    values.set("title", "");
    values.set("domain", "很".repeat(101));
    let errors = RiskInput::from_values(&values, None).unwrap_err();
    let named: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.message.as_str())).collect();
    assert_eq!(
        named,
        [
            ("level", "风险等级“极高”无法识别，应填高、中或低"),
            ("identified_on", "登记日期“2026-02-30”无法识别，应如 2026-03-05"),
            ("domain", "风险领域不能超过100字"),
            ("title", "请填写风险点"),
        ]
    );
}

#[test]
fn empty_values_take_their_defaults_and_texts_are_trimmed() {
    let mut values = risk().to_values();
    values.set("status", "");
    values.set("identified_on", " ");
    values.set("measures", "  专人值守 ");
    let entry = RiskInput::from_values(&values, Some(d(2026, 11, 23))).unwrap();
    assert_eq!((entry.status, entry.identified_on), (RiskStatus::Controlled, d(2026, 11, 23)));
    assert_eq!(entry.measures, "专人值守");
    // A stored row has no today: the date must be there.
    assert!(RiskInput::from_values(&values, None).is_err());
}

#[test]
fn import_headers_come_from_the_schema() {
    let headers = import_headers(risk::FIELDS);
    assert!(headers.starts_with(&[
        "风险领域",
        "风险点",
        "风险等级",
        "风险描述",
        "防范化解措施",
        "责任人",
        "登记日期",
        "状态"
    ]));
    assert_eq!(headers.len(), risk::FIELDS.len());
    assert_eq!(risk::IMPORT_COLUMNS[5], ("owner_id", "责任人", true));
    // A file may use labels or names, in any order; a person column keeps the name.
    let csv = "状态,title,风险等级,风险领域,防范化解措施,责任人\n已化解,A,低,网络阵地,专人值守,刘晓雯\n";
    let rows = read_sheet(risk::FIELDS, &crate::sheet::Sheet::from_csv(csv).unwrap()).unwrap();
    assert_eq!((rows[0].line, rows[0].values.get("title"), rows[0].values.get("status")), (2, "A", "已化解"));
    assert_eq!(rows[0].names.get("owner_id").map(String::as_str), Some("刘晓雯"));
    let errors = read_sheet(risk::FIELDS, &crate::sheet::Sheet::from_csv("风险点,颜色\n").unwrap()).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages[0], "无法识别的列“颜色”");
    assert!(messages.contains(&"表头缺少“风险领域”列") && !messages.iter().any(|m| m.contains("状态")));
}

#[test]
fn the_json_schema_lists_every_field_and_the_required_ones() {
    let schema = json_schema(risk::FIELDS);
    assert_eq!(schema["required"], json!(["domain", "title", "level", "measures", "owner_id"]));
    assert_eq!(schema["properties"]["identified_on"]["format"], "date");
    assert_eq!(schema["properties"]["status"]["description"], "状态：在控、已化解，默认 controlled（在控）");
    assert_eq!(schema["properties"]["owner_id"]["type"], "integer");
    let json = to_json(&risk());
    assert_eq!((json["level"].as_str(), json["level_label"].as_str()), (Some("high"), Some("高")));
}
