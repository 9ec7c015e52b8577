//! Register entries over the API, by their field schema
//! (`taizhang_core::register`): the JSON body read into the typed entry,
//! the entry written back as JSON, and the OpenAPI components generated
//! from the same schema at run time, so that none of them can disagree.

use super::Body;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;
use taizhang_core::feedback::FeedbackInput;
use taizhang_core::news::SubmissionInput;
use taizhang_core::rectification::RectificationInput;
use taizhang_core::register::{self, Register, Values};
use taizhang_core::risk::RiskInput;

/// A register entry from a JSON body, with the revision the client last
/// read (for updates). An empty field takes its default (today, a code);
/// problems come back as a 422 naming each field.
pub(crate) struct Entry<T> {
    pub entry: T,
    pub revision: Option<i64>,
}

impl<T: Register> FromRequest<AppState> for Entry<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Body(body) = Body::<Value>::from_request(req, state).await?;
        let values = Values::from_json(T::FIELDS, &body);
        let entry = T::from_values(&values, Some(state.today())).map_err(AppError::Fields)?;
        Ok(Entry { entry, revision: body.get("revision").and_then(Value::as_i64) })
    }
}

/// The entry's fields as JSON (with `<choice>_label`s), then `more`.
pub(crate) fn entry_json<T: Register + Serialize>(entry: &T, more: Value) -> Value {
    let mut out = register::to_json(entry);
    if let Value::Object(more) = more {
        out.extend(more);
    }
    Value::Object(out)
}

/// Each register: its input component, generated whole, and the output
/// component whose field properties are generated.
fn add_register<T: Register>(schemas: &mut Map<String, Value>, output: &str) {
    let mut input = register::json_schema(T::FIELDS);
    input["properties"]["revision"] =
        json!({ "type": "integer", "description": "修改时：所读到的版本；已被他人修改则返回 409" });
    let mut fields = input["properties"].as_object().cloned().unwrap_or_default();
    fields.remove("revision");
    for f in T::FIELDS.iter().filter(|f| !f.choices().is_empty()) {
        fields.insert(format!("{}_label", f.name), json!({ "type": "string", "description": f.label }));
    }
    schemas.insert(T::NAME.to_string(), input);
    let out = schemas.entry(output).or_insert_with(|| json!({ "type": "object", "properties": {} }));
    if let Some(properties) = out["properties"].as_object_mut() {
        properties.extend(fields);
    }
}

/// A register whose input component is partly hand-written (fields that
/// are not plain, such as a first step): the plain fields' properties
/// generated into it; `required` stays as written, since the API may fill
/// a field the schema requires (the caller as 责任人).
fn add_plain_fields<T: Register>(schemas: &mut Map<String, Value>) {
    let generated = register::json_schema(T::FIELDS);
    let input = schemas.entry(T::NAME).or_insert_with(|| json!({ "type": "object", "properties": {} }));
    if let (Some(properties), Some(fields)) = (input["properties"].as_object_mut(), generated["properties"].as_object())
    {
        properties.extend(fields.clone());
    }
}

/// The plain fields' properties (with `<choice>_label`s) merged into an
/// output component whose other properties stay as written.
fn add_output_fields<T: Register>(schemas: &mut Map<String, Value>, output: &str) {
    let generated = register::json_schema(T::FIELDS);
    let mut fields = generated["properties"].as_object().cloned().unwrap_or_default();
    for f in T::FIELDS.iter().filter(|f| !f.choices().is_empty()) {
        fields.insert(format!("{}_label", f.name), json!({ "type": "string", "description": f.label }));
    }
    let out = schemas.entry(output).or_insert_with(|| json!({ "type": "object", "properties": {} }));
    if let Some(properties) = out["properties"].as_object_mut() {
        properties.extend(fields);
    }
}

/// The OpenAPI document: the static one with the registers' components.
pub(crate) fn openapi_document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc: Value = serde_json::from_str(super::OPENAPI).expect("openapi.json is valid JSON (tested)");
        if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
            add_register::<RiskInput>(schemas, "Risk");
            add_register::<RectificationInput>(schemas, "Rectification");
            add_plain_fields::<FeedbackInput>(schemas);
            add_plain_fields::<SubmissionInput>(schemas);
            add_output_fields::<SubmissionInput>(schemas, "NewsSubmission");
        }
        doc.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_has_every_register_field() {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for f in RiskInput::FIELDS {
            assert!(schemas["RiskInput"]["properties"][f.name].is_object(), "RiskInput lacks {}", f.name);
            assert!(schemas["Risk"]["properties"][f.name].is_object(), "Risk lacks {}", f.name);
        }
        assert_eq!(schemas["RiskInput"]["required"], json!(["domain", "title", "level", "measures", "owner_id"]));
        assert_eq!(schemas["RiskInput"]["properties"]["level"]["enum"], json!(["high", "medium", "low"]));
        assert!(schemas["Risk"]["properties"]["review_overdue"].is_object());
    }

    #[test]
    fn the_rectification_components_have_every_entered_field() {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for f in RectificationInput::FIELDS {
            assert_eq!(schemas["RectificationInput"]["properties"][f.name], register::json_schema_of(f));
            assert!(schemas["Rectification"]["properties"][f.name].is_object(), "Rectification lacks {}", f.name);
        }
        assert_eq!(schemas["RectificationInput"]["required"], json!(["source", "found_on", "problem", "deadline"]));
        assert!(schemas["Rectification"]["properties"]["closed_on"].is_object());
        assert!(schemas["Rectification"]["properties"]["source_label"].is_object());
    }

    #[test]
    fn the_news_components_have_the_plain_fields_from_the_schema() {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for f in SubmissionInput::FIELDS {
            assert_eq!(schemas["NewsSubmissionInput"]["properties"][f.name], register::json_schema_of(f));
            assert_eq!(schemas["NewsSubmission"]["properties"][f.name], register::json_schema_of(f));
        }
        let input = &schemas["NewsSubmissionInput"];
        assert!(input["properties"]["author_ids"].is_object() && input["properties"]["revision"].is_object());
        assert_eq!(input["required"], json!(["department_id", "title", "outlet", "level", "submitted_on"]));
        assert!(schemas["NewsSubmission"]["properties"]["authors"].is_object());
    }

    #[test]
    fn the_feedback_input_has_its_plain_fields_from_the_schema() {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap();
        let input = &doc["components"]["schemas"]["FeedbackInput"];
        for f in FeedbackInput::FIELDS {
            let generated = register::json_schema_of(f);
            assert_eq!(input["properties"][f.name], generated, "FeedbackInput.{}", f.name);
        }
        assert!(input["properties"]["discovered_at"].is_object());
        assert_eq!(input["properties"]["level"]["enum"], json!(["general", "larger", "major", "grave"]));
        assert_eq!(input["required"], json!(["source_kind", "summary", "category", "level", "discovered_at"]));
    }
}
