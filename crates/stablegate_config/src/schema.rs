//! The JSON Schema of the configuration (`stablegate schema`, SPEC §12.5).
//!
//! Derived by schemars from the `Raw*` types serde reads ([`crate::raw`] and
//! the table modules), so every key, type and `deny_unknown_fields` in the
//! schema is the loader's own; the descriptions are the types' doc comments.
//! What the schema cannot say — exactly one finding source per gate, names
//! that refer to other tables, globs and regexes that compile, paths inside
//! the root — is checked by the validators, with the file and line. The
//! schema is written in JSON Schema draft 7, the draft editors' TOML support
//! (taplo / Even Better TOML) reads. TOML has no null: an optional key is
//! left out, never set to nothing, so `null` is taken out of every type
//! schemars gives an `Option`.

use serde_json::{json, Map, Value};

use crate::raw::RawConfig;

/// The schema of `stablegate.toml` (and of the `[tool.stablegate]` table).
pub fn schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawConfig>().to_value();
    drop_null(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".to_owned(), json!("stablegate configuration"));
    }
    schema
}

/// The schema of a `pyproject.toml` whose `[tool.stablegate]` table is
/// stablegate's configuration; every other key is left to other tools.
pub fn pyproject_schema() -> Value {
    let mut config = schema();
    let (meta, definitions) = match config.as_object_mut() {
        Some(object) => (object.remove("$schema"), object.remove("definitions")),
        None => (None, None),
    };
    let mut root = Map::new();
    root.extend(meta.map(|meta| ("$schema".to_owned(), meta)));
    root.insert(
        "title".to_owned(),
        json!("pyproject.toml with stablegate's [tool.stablegate]"),
    );
    root.insert("type".to_owned(), json!("object"));
    root.insert(
        "properties".to_owned(),
        json!({ "tool": { "type": "object", "properties": { "stablegate": config } } }),
    );
    // The configuration's references are `#/definitions/…`: they resolve
    // against this document's root, so the definitions move up with them.
    root.extend(definitions.map(|definitions| ("definitions".to_owned(), definitions)));
    Value::Object(root)
}

/// Removes `null` from every `type` list and every `anyOf` alternative.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|kind| kind != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    object.insert("type".to_owned(), only);
                }
            }
            if let Some(Value::Array(alternatives)) = object.get_mut("anyOf") {
                alternatives.retain(|alternative| alternative != &json!({ "type": "null" }));
                if alternatives.len() == 1 {
                    // One alternative left: `allOf` keeps it beside the
                    // description (draft 7 ignores the siblings of `$ref`).
                    if let Some(alternatives) = object.remove("anyOf") {
                        object.insert("allOf".to_owned(), alternatives);
                    }
                }
            }
            object.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_level_lists_every_table_kind_and_nothing_else() {
        let schema = schema();
        let properties = schema["properties"].as_object().unwrap();
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["audit", "check", "detector", "fresh", "gate", "marker", "release", "scope"]
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            schema["$schema"],
            json!("http://json-schema.org/draft-07/schema#")
        );
    }

    #[test]
    fn a_gate_is_closed_and_requires_its_name() {
        let schema = schema();
        let gate = &schema["definitions"]["RawGate"];
        assert_eq!(gate["additionalProperties"], json!(false));
        assert_eq!(gate["required"], json!(["name"]));
        assert_eq!(gate["properties"]["paths"]["type"], json!("array"));
        let theater = &gate["properties"]["theater"];
        assert_eq!(
            theater["allOf"],
            json!([{ "$ref": "#/definitions/RawTheater" }])
        );
        assert!(!schema.to_string().contains("\"null\""), "TOML has no null");
        assert_eq!(
            gate["properties"]["paths"]["items"]["type"],
            json!("string")
        );
    }

    #[test]
    fn a_release_requires_its_evidence_directory() {
        let schema = schema();
        let release = &schema["definitions"]["RawRelease"];
        assert_eq!(release["required"], json!(["evidence_dir"]));
        assert_eq!(
            release["properties"]["evidence_dir"]["type"],
            json!("string")
        );
    }

    #[test]
    fn the_pyproject_schema_nests_the_configuration_under_tool_stablegate() {
        let schema = pyproject_schema();
        let table = &schema["properties"]["tool"]["properties"]["stablegate"];
        assert_eq!(
            table["properties"]["gate"]["items"]["$ref"],
            json!("#/definitions/RawGate")
        );
        assert!(schema["definitions"]["RawGate"].is_object());
        assert!(table.get("definitions").is_none() && table.get("$schema").is_none());
    }
}
