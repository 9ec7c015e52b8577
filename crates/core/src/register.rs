//! The field schema of the registers (risks, feedback entries,
//! rectifications, news submissions, quotas): what `fields.rs` is for
//! records. One static list of [`RegisterField`]s per register drives the
//! form, the import columns, the export columns, the JSON, the OpenAPI
//! component and the store's plain columns, so none of them can disagree.
//!
//! Text goes in as [`Values`] (field name → text, as a form, a CSV row, a
//! JSON body or a database row has them); a typed entry comes out, or
//! errors naming the fields. An entry goes back out as the same values.

use crate::record::FieldError;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    Text,
    LongText,
    /// `YYYY-MM-DD` (also 2026/3/5, 2026年3月5日 on input).
    Date,
    /// One of a [`crate::coded::Coded`] enum's values: (code, label).
    Choice(fn() -> Vec<(&'static str, &'static str)>),
    /// A person's id; an import names the person instead, and the caller
    /// resolves the name among the unit's people.
    Person,
    /// A whole number.
    Number,
}

/// What an empty value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Nothing: an error if the field is required.
    None,
    /// Today's date.
    Today,
    /// This code (a choice) or text.
    Value(&'static str),
}

/// One field of a register.
#[derive(Debug, Clone, Copy)]
pub struct RegisterField {
    /// The form field, the JSON key and, unless `column` says otherwise,
    /// the SQL column.
    pub name: &'static str,
    /// The import header, the export header and, unless `prompt` says
    /// otherwise, the form label.
    pub label: &'static str,
    /// The form label where the form words it longer than the header
    /// (信息标题 for 标题); empty for `label`.
    pub prompt: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Longest text accepted, in characters; 0 for no limit.
    pub max_chars: usize,
    pub help: &'static str,
    pub default: Fallback,
    /// The SQL column: `Some(name)` normally, another name, or `None` for
    /// a field the store keeps some other way (JSON, a join table).
    pub column: Option<&'static str>,
    /// The smallest and largest value of a number field; `None` for any.
    pub range: Option<(i64, i64)>,
}

/// A field with the usual settings; refine it with the `const` methods.
pub const fn field(name: &'static str, label: &'static str, kind: FieldKind) -> RegisterField {
    RegisterField {
        name,
        label,
        prompt: "",
        kind,
        required: false,
        max_chars: 0,
        help: "",
        default: Fallback::None,
        column: Some(name),
        range: None,
    }
}

impl RegisterField {
    pub const fn required(self) -> Self {
        RegisterField { required: true, ..self }
    }
    pub const fn max(self, max_chars: usize) -> Self {
        RegisterField { max_chars, ..self }
    }
    pub const fn help(self, help: &'static str) -> Self {
        RegisterField { help, ..self }
    }
    pub const fn or(self, default: Fallback) -> Self {
        RegisterField { default, ..self }
    }
    pub const fn column(self, column: &'static str) -> Self {
        RegisterField { column: Some(column), ..self }
    }
    pub const fn not_stored(self) -> Self {
        RegisterField { column: None, ..self }
    }
    pub const fn prompt(self, prompt: &'static str) -> Self {
        RegisterField { prompt, ..self }
    }
    /// The values a number field may take, `min..=max`.
    pub const fn range(self, min: i64, max: i64) -> Self {
        RegisterField { range: Some((min, max)), ..self }
    }

    /// The form label: the prompt, or the label.
    pub fn form_label(&self) -> &'static str {
        if self.prompt.is_empty() {
            self.label
        } else {
            self.prompt
        }
    }

    /// The choices of a choice field, (code, label); empty otherwise.
    pub fn choices(&self) -> Vec<(&'static str, &'static str)> {
        match self.kind {
            FieldKind::Choice(choices) => choices(),
            _ => Vec::new(),
        }
    }

    /// Whether the store keeps the value as a number (BIGINT).
    pub fn is_integer(&self) -> bool {
        matches!(self.kind, FieldKind::Person | FieldKind::Number)
    }

    /// Whether a value must be given (required, and nothing fills it in).
    pub fn must_be_given(&self) -> bool {
        self.required && self.default == Fallback::None
    }
}

/// Field name → text. A missing name reads as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Values(pub BTreeMap<String, String>);

impl Values {
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn set(&mut self, name: &str, text: impl Into<String>) {
        self.0.insert(name.to_string(), text.into());
    }
    pub fn from_fn(fields: &[RegisterField], get: &dyn Fn(&str) -> String) -> Values {
        Values(fields.iter().map(|f| (f.name.to_string(), get(f.name))).collect())
    }
    /// A JSON object's fields as text: strings as they are, numbers and
    /// booleans printed, null and missing empty.
    pub fn from_json(fields: &[RegisterField], body: &Value) -> Values {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        Values(fields.iter().map(|f| (f.name.to_string(), body.get(f.name).map(text).unwrap_or_default())).collect())
    }
}

/// A typed register entry described by a schema: every register's input
/// struct implements it.
pub trait Register: Sized {
    /// The register's name, as pages and the OpenAPI document call it.
    const NAME: &'static str;
    const FIELDS: &'static [RegisterField];

    /// Builds the entry through the reader, which records every problem.
    fn read(r: &mut Reader) -> Self;

    /// The entry as text, one value per field.
    fn write(&self, w: &mut Writer);

    /// An entry from text values, or every problem, each naming its field.
    /// `today` fills a [`Fallback::Today`]; without it (a stored row) the
    /// date must be there.
    fn from_values(values: &Values, today: Option<NaiveDate>) -> Result<Self, Vec<FieldError>> {
        let mut r = Reader { fields: Self::FIELDS, values, today, unreadable: Vec::new(), invalid: Vec::new() };
        let entry = Self::read(&mut r);
        r.finish(entry)
    }

    /// The entry of empty values, problems ignored: empty texts, `None`,
    /// a choice's default or first value, 1970-01-01.
    fn blank() -> Self {
        let values = Values::default();
        let mut r =
            Reader { fields: Self::FIELDS, values: &values, today: None, unreadable: Vec::new(), invalid: Vec::new() };
        Self::read(&mut r)
    }

    fn to_values(&self) -> Values {
        let mut w = Writer(Values::default());
        self.write(&mut w);
        w.0
    }

    /// The entry trimmed and checked as if typed in again.
    fn revalidated(&self) -> Result<Self, Vec<FieldError>> {
        Self::from_values(&self.to_values(), None)
    }

    fn field(name: &str) -> Option<&'static RegisterField> {
        Self::FIELDS.iter().find(|f| f.name == name)
    }
}

/// A value a field can hold.
pub trait FieldValue: Sized {
    /// From trimmed, non-empty text.
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String>;
    /// The value of an empty field that needs none; `None` if it needs one.
    fn empty() -> Option<Self> {
        None
    }
    /// What the reader returns after an error (never stored: the entry is refused).
    fn placeholder() -> Self;
    fn to_text(&self) -> String;
}

fn unreadable(field: &RegisterField, text: &str, expected: &str) -> String {
    format!("{}“{text}”无法识别，{expected}", field.label)
}

impl FieldValue for String {
    fn from_text(text: &str, _: &RegisterField) -> Result<Self, String> {
        Ok(text.to_string())
    }
    fn empty() -> Option<Self> {
        Some(String::new())
    }
    fn placeholder() -> Self {
        String::new()
    }
    fn to_text(&self) -> String {
        self.clone()
    }
}

impl FieldValue for NaiveDate {
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String> {
        crate::fields::parse_date(text).ok_or_else(|| unreadable(field, text, "应如 2026-03-05"))
    }
    fn placeholder() -> Self {
        NaiveDate::default()
    }
    fn to_text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl FieldValue for i64 {
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String> {
        text.parse().map_err(|_| unreadable(field, text, "应为整数"))
    }
    fn placeholder() -> Self {
        0
    }
    fn to_text(&self) -> String {
        self.to_string()
    }
}

impl FieldValue for u32 {
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String> {
        text.parse().map_err(|_| unreadable(field, text, "应为整数"))
    }
    fn placeholder() -> Self {
        0
    }
    fn to_text(&self) -> String {
        self.to_string()
    }
}

impl<T: FieldValue> FieldValue for Option<T> {
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String> {
        T::from_text(text, field).map(Some)
    }
    fn empty() -> Option<Self> {
        Some(None)
    }
    fn placeholder() -> Self {
        None
    }
    fn to_text(&self) -> String {
        self.as_ref().map(T::to_text).unwrap_or_default()
    }
}

impl<T: crate::coded::Coded> FieldValue for T {
    fn from_text(text: &str, field: &RegisterField) -> Result<Self, String> {
        T::parse(text).ok_or_else(|| {
            let labels: Vec<&str> = T::all().iter().map(|v| v.label()).collect();
            let expected = match labels.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("应填{}或{last}", rest.join("、")),
                _ => format!("应填{}", labels.join("")),
            };
            unreadable(field, text, &expected)
        })
    }
    fn placeholder() -> Self {
        T::all()[0]
    }
    fn to_text(&self) -> String {
        self.code().to_string()
    }
}

/// Reads an entry's fields from text, collecting every problem: values
/// that cannot be read first, then missing or too long ones.
pub struct Reader<'a> {
    fields: &'static [RegisterField],
    values: &'a Values,
    today: Option<NaiveDate>,
    unreadable: Vec<FieldError>,
    invalid: Vec<FieldError>,
}

impl Reader<'_> {
    /// The value of field `name`, parsed as its type.
    pub fn get<T: FieldValue>(&mut self, name: &'static str) -> T {
        let Some(field) = self.fields.iter().find(|f| f.name == name) else {
            let message = format!("字段“{name}”不在登记簿中");
            self.invalid.push(FieldError { field: name, message });
            return T::placeholder();
        };
        let raw = self.values.get(name).trim();
        let text = match (raw, field.default) {
            ("", Fallback::Today) => self.today.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            ("", Fallback::Value(v)) => v.to_string(),
            _ => raw.to_string(),
        };
        if text.is_empty() {
            let needed = field.required && !matches!(field.kind, FieldKind::Person);
            return match T::empty() {
                Some(v) if !needed => v,
                _ => {
                    let verb = if matches!(field.kind, FieldKind::Choice(_) | FieldKind::Person) {
                        "选择"
                    } else {
                        "填写"
                    };
                    self.invalid.push(FieldError { field: field.name, message: format!("请{verb}{}", field.label) });
                    T::placeholder()
                }
            };
        }
        if field.max_chars > 0 && text.chars().count() > field.max_chars {
            let message = format!("{}不能超过{}字", field.label, field.max_chars);
            self.invalid.push(FieldError { field: field.name, message });
        }
        if let (Some((min, max)), Ok(n)) = (field.range, text.parse::<i64>()) {
            if !(min..=max).contains(&n) {
                let message = format!("{}应为{min}至{max}", field.label);
                self.invalid.push(FieldError { field: field.name, message });
            }
        }
        T::from_text(&text, field).unwrap_or_else(|message| {
            self.unreadable.push(FieldError { field: field.name, message });
            T::placeholder()
        })
    }

    fn finish<T>(mut self, entry: T) -> Result<T, Vec<FieldError>> {
        if self.unreadable.is_empty() && self.invalid.is_empty() {
            Ok(entry)
        } else {
            self.unreadable.append(&mut self.invalid);
            Err(self.unreadable)
        }
    }
}

/// Writes an entry's fields as text.
pub struct Writer(Values);

impl Writer {
    pub fn put<T: FieldValue>(&mut self, name: &'static str, value: &T) {
        self.0.set(name, value.to_text());
    }
}

/// The fields an import file has columns for, by header (the label).
pub fn import_headers(fields: &[RegisterField]) -> Vec<&'static str> {
    fields.iter().map(|f| f.label).collect()
}

/// The `(field, header, required)` columns of an import, in a `const`,
/// for pages that list them.
pub const fn import_columns<const N: usize>(fields: &[RegisterField]) -> [(&'static str, &'static str, bool); N] {
    let mut out = [("", "", false); N];
    let mut i = 0;
    while i < N {
        let f = &fields[i];
        out[i] = (f.name, f.label, f.required && matches!(f.default, Fallback::None));
        i += 1;
    }
    out
}

/// One data row of an import: its line in the file, the values by field
/// and, for person fields, the name written (the value itself left empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub values: Values,
    pub names: BTreeMap<&'static str, String>,
}

/// Reads a sheet (CSV or .xlsx) whose header row names the register's
/// fields by label (or name), in any order. Unknown or missing required
/// columns are reported on line 1; rows keep the file's own line numbers.
pub fn read_sheet(
    fields: &'static [RegisterField],
    sheet: &crate::sheet::Sheet,
) -> Result<Vec<ImportRow>, Vec<crate::import::ImportError>> {
    use crate::import::ImportError;
    let mut errors = Vec::new();
    for h in sheet.headers() {
        if !fields.iter().any(|f| f.name == h || f.label == h) {
            errors.push(ImportError { line: 1, message: format!("无法识别的列“{h}”") });
        }
    }
    let position = |f: &RegisterField| sheet.column(&[f.name, f.label]);
    for f in fields.iter().filter(|f| f.must_be_given() && position(f).is_none()) {
        errors.push(ImportError { line: 1, message: format!("表头缺少“{}”列", f.label) });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for record in &sheet.rows {
        let line = record.line;
        if let Err(message) = &record.cells {
            errors.push(ImportError { line, message: message.clone() });
            continue;
        }
        let mut row = ImportRow { line, values: Values::default(), names: BTreeMap::new() };
        for f in fields {
            let cell = record.cell(position(f));
            match f.kind {
                FieldKind::Person => {
                    row.names.insert(f.name, cell);
                }
                _ => row.values.set(f.name, cell),
            }
        }
        rows.push(row);
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError { line: 1, message: "文件中没有数据行".into() });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The JSON schema of one field, for the OpenAPI document.
pub fn json_schema_of(f: &RegisterField) -> Value {
    let mut description = f.label.to_string();
    let choices = f.choices();
    if !choices.is_empty() {
        let labels: Vec<&str> = choices.iter().map(|c| c.1).collect();
        description.push_str(&format!("：{}", labels.join("、")));
    }
    if !f.help.is_empty() {
        description.push_str(&format!("（{}）", f.help));
    }
    match f.default {
        Fallback::Today => description.push_str("，默认今天"),
        Fallback::Value(code) => {
            let label = choices.iter().find(|c| c.0 == code).map(|c| format!("（{}）", c.1)).unwrap_or_default();
            description.push_str(&format!("，默认 {code}{label}"));
        }
        Fallback::None => {}
    }
    let mut s = match f.kind {
        FieldKind::Text | FieldKind::LongText => json!({ "type": "string" }),
        FieldKind::Date => json!({ "type": "string", "format": "date" }),
        FieldKind::Choice(_) => json!({ "type": "string", "enum": choices.iter().map(|c| c.0).collect::<Vec<_>>() }),
        FieldKind::Person => json!({ "type": "integer" }),
        FieldKind::Number => json!({ "type": "integer" }),
    };
    if matches!(f.kind, FieldKind::Person) {
        description.push_str("：人员编号");
    }
    if f.max_chars > 0 {
        s["maxLength"] = json!(f.max_chars);
    }
    if let Some((min, max)) = f.range {
        s["minimum"] = json!(min);
        s["maximum"] = json!(max);
    }
    if !f.must_be_given() && !matches!(f.kind, FieldKind::Text | FieldKind::LongText) {
        s["nullable"] = json!(true);
    }
    s["description"] = json!(description);
    s
}

/// The OpenAPI component of a register's input: every field, the required
/// ones listed.
pub fn json_schema(fields: &[RegisterField]) -> Value {
    let properties: Map<String, Value> = fields.iter().map(|f| (f.name.to_string(), json_schema_of(f))).collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.must_be_given()).map(|f| f.name).collect();
    json!({ "type": "object", "required": required, "properties": properties })
}

/// An entry as JSON: its serde form (typed) plus, for each choice field,
/// `<name>_label` with the Chinese label.
pub fn to_json<T: Register + serde::Serialize>(entry: &T) -> Map<String, Value> {
    let mut out = match serde_json::to_value(entry) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let values = entry.to_values();
    for f in T::FIELDS {
        if let Some((_, label)) = f.choices().into_iter().find(|c| c.0 == values.get(f.name)) {
            out.insert(format!("{}_label", f.name), json!(label));
        }
    }
    out
}

#[cfg(test)]
mod tests;
