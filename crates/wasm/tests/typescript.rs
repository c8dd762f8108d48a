//! The TypeScript declarations of `src/types.d.ts` against the engine, so they cannot drift:
//! - every input type (`Policy`, `Scenario` and what they contain) has exactly the fields of
//!   the engine's JSON Schema, optional exactly where the schema does not require them;
//! - real results (`CalcResult`, `CurvePoint`, `Problem`) of every policy, serialized as the
//!   package serializes them, have exactly the declared fields, each of the declared type.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const TYPES: &str = include_str!("../src/types.d.ts");

struct Field {
    optional: bool,
    ty: String,
}

/// `interface Name { field?: type; … }` blocks and `type Name = "a" | "b";` unions.
struct Decls {
    interfaces: BTreeMap<String, BTreeMap<String, Field>>,
    unions: BTreeMap<String, Vec<String>>,
}

fn parse() -> Decls {
    let mut interfaces = BTreeMap::new();
    let mut unions = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, Field>)> = None;
    let mut union: Option<(String, String)> = None;
    for raw in TYPES.lines() {
        let line = raw.trim();
        if line.starts_with("//") || line.starts_with("/**") || line.starts_with('*') || line.is_empty() {
            continue;
        }
        if let Some((name, text)) = union.as_mut() {
            text.push_str(line);
            if line.ends_with(';') {
                unions.insert(name.clone(), literals(text));
                union = None;
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("export interface ") {
            let name = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap().to_string();
            current = Some((name, BTreeMap::new()));
        } else if let Some(rest) = line.strip_prefix("export type ") {
            let (name, def) = rest.split_once('=').expect("type alias");
            let (name, def) = (name.trim().to_string(), def.trim());
            if def.ends_with(';') {
                unions.insert(name, literals(def));
            } else {
                union = Some((name, def.to_string()));
            }
        } else if line == "}" {
            let (name, fields) = current.take().expect("closing brace of an interface");
            interfaces.insert(name, fields);
        } else if let Some((_, fields)) = current.as_mut() {
            let (name, ty) = line.trim_end_matches(';').split_once(": ").unwrap_or_else(|| panic!("field line: {line}"));
            let optional = name.ends_with('?');
            fields.insert(name.trim_end_matches('?').to_string(), Field { optional, ty: ty.to_string() });
        }
    }
    Decls { interfaces, unions }
}

/// `"a" | "b"` → [a, b]; other aliases (`string`) → [].
fn literals(def: &str) -> Vec<String> {
    def.trim_end_matches(';')
        .split('|')
        .map(str::trim)
        .filter(|s| s.starts_with('"'))
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// The TypeScript name of a schema definition.
fn ts_name(def: &str) -> String {
    match def {
        "Document" => "PolicyDocument".into(),
        d if d.starts_with("Sourced") => "Sourced".into(),
        d => d.into(),
    }
}

fn check_schema(decls: &Decls, schema: &Value, failures: &mut Vec<String>) {
    let mut defs: Vec<(String, &Value)> = vec![(schema["title"].as_str().unwrap().to_string(), schema)];
    if let Some(map) = schema.get("$defs").and_then(Value::as_object) {
        defs.extend(map.iter().map(|(k, v)| (k.clone(), v)));
    }
    for (def, s) in defs {
        let Some(props) = s.get("properties").and_then(Value::as_object) else { continue };
        let name = ts_name(&def);
        let Some(fields) = decls.interfaces.get(&name) else {
            failures.push(format!("types.d.ts has no interface {name} (schema {def})"));
            continue;
        };
        let required: Vec<&str> = s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        for key in props.keys() {
            match fields.get(key) {
                None => failures.push(format!("{name}.{key}: in the engine's schema, not in types.d.ts")),
                Some(f) if f.optional == required.contains(&key.as_str()) => {
                    failures.push(format!("{name}.{key}: optional in one of types.d.ts and the schema only"))
                }
                Some(_) => {}
            }
        }
        for key in fields.keys() {
            if !props.contains_key(key) {
                failures.push(format!("{name}.{key}: in types.d.ts, not in the engine's schema"));
            }
        }
    }
}

/// Checks a serialized value against a TypeScript type.
fn check_value(decls: &Decls, ty: &str, v: &Value, path: &str, failures: &mut Vec<String>) {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_suffix(" | null") {
        if !v.is_null() {
            check_value(decls, inner, v, path, failures);
        }
        return;
    }
    if let Some(inner) = ty.strip_suffix("[]") {
        match v.as_array() {
            Some(items) => items.iter().enumerate().for_each(|(i, x)| check_value(decls, inner, x, &format!("{path}[{i}]"), failures)),
            None => failures.push(format!("{path}: expected an array ({ty}), got {v}")),
        }
        return;
    }
    let ok = match ty {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "Amount" => v.as_str().is_some_and(|s| {
            let (i, f) = s.trim_start_matches('-').split_once('.').unwrap_or(("", ""));
            !i.is_empty() && f.len() == 2 && s.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.')
        }),
        _ => {
            if let Some(values) = decls.unions.get(ty) {
                v.as_str().is_some_and(|s| values.iter().any(|x| x == s))
            } else if let Some(fields) = decls.interfaces.get(ty) {
                let Some(obj) = v.as_object() else {
                    failures.push(format!("{path}: expected an object ({ty}), got {v}"));
                    return;
                };
                for key in obj.keys() {
                    if !fields.contains_key(key) {
                        failures.push(format!("{path}.{key}: written by the engine, not declared in {ty}"));
                    }
                }
                for (key, f) in fields {
                    match obj.get(key) {
                        Some(x) => check_value(decls, &f.ty, x, &format!("{path}.{key}"), failures),
                        None if f.optional => {}
                        None => failures.push(format!("{path}.{key}: declared in {ty}, not written by the engine")),
                    }
                }
                true
            } else {
                failures.push(format!("{path}: types.d.ts does not declare {ty}"));
                true
            }
        }
    };
    if !ok {
        failures.push(format!("{path}: {v} is not a {ty}"));
    }
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn input_types_match_the_engine_schema() {
    let decls = parse();
    let mut failures = Vec::new();
    check_schema(&decls, &serde_json::to_value(schemars::schema_for!(yibao_engine::Policy)).unwrap(), &mut failures);
    check_schema(&decls, &serde_json::to_value(schemars::schema_for!(yibao_engine::Scenario)).unwrap(), &mut failures);
    assert!(failures.is_empty(), "types.d.ts and the engine differ:\n  {}", failures.join("\n  "));
}

#[test]
fn results_of_every_policy_match_the_declared_types() {
    let decls = parse();
    let index: Value = serde_json::from_str(&std::fs::read_to_string(root().join("policies/index.json")).unwrap()).unwrap();
    let scenarios = [
        r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "300000", "in_scope": "250000", "referred": true},
                       {"kind": "outpatient", "level": "grassroots", "total": "900", "in_scope": "700"},
                       {"kind": "chronic_outpatient", "level": "level2", "total": "20000", "in_scope": "18000"}]}"#,
        r#"{"identities": ["subsistence_allowance", "extreme_poverty", "orphan", "low_income_margin", "lifted_out_of_poverty"],
            "visits": [{"kind": "inpatient", "level": "level2", "total": "80000", "in_scope": "70000", "referred": true}]}"#,
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in index["policies"].as_array().unwrap() {
        let text = std::fs::read_to_string(root().join("policies").join(entry["path"].as_str().unwrap())).unwrap();
        let policy = yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap();
        for s in scenarios {
            let scenario = yibao_engine::scenario::read(&mut serde_json::Deserializer::from_str(s)).unwrap();
            let result = yibao_engine::calculate(&policy, &scenario).unwrap();
            check_value(&decls, "CalcResult", &serde_json::to_value(&result).unwrap(), "result", &mut failures);
            let curve = yibao_engine::curve(&policy, &scenario, 4).unwrap();
            check_value(&decls, "CurvePoint[]", &serde_json::to_value(&curve).unwrap(), "curve", &mut failures);
            let (identity, totals) = yibao_engine::totals_only(&policy, &scenario).unwrap();
            let t = serde_json::json!({"identity": identity, "totals": totals});
            check_value(&decls, "TotalsResult", &t, "totals", &mut failures);
            checked += 1;
        }
    }
    let problems = yibao_engine::PolicyError::Invalid(vec![yibao_engine::Problem { path: "id".into(), message: "x".into() }]).problems();
    check_value(&decls, "Problem[]", &serde_json::to_value(&problems).unwrap(), "problems", &mut failures);
    assert!(checked >= 8, "only {checked} results checked");
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "results and types.d.ts differ:\n  {}", failures.join("\n  "));
}
