//! docs/policy-format.md stays in step with the types: every field name and every enum value
//! of the JSON Schema (`yibao schema`, generated from the same types as policies/schema.json),
//! every lint check and every typical admission and representative bill are described in it.

use std::path::PathBuf;
use std::process::Command;

fn doc() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/policy-format.md");
    std::fs::read_to_string(path).expect("docs/policy-format.md")
}

fn collect(v: &serde_json::Value, fields: &mut Vec<String>, values: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("properties", serde_json::Value::Object(props)) => fields.extend(props.keys().cloned()),
                    ("enum", serde_json::Value::Array(items)) => values.extend(items.iter().filter_map(|i| i.as_str().map(String::from))),
                    ("const", serde_json::Value::String(s)) => values.push(s.clone()),
                    _ => {}
                }
                collect(child, fields, values);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, fields, values)),
        _ => {}
    }
}

#[test]
fn every_schema_field_and_value_is_in_the_doc() {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao")).arg("schema").output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (mut fields, mut values) = (Vec::new(), Vec::new());
    collect(&schema, &mut fields, &mut values);
    assert!(fields.len() > 50 && values.len() > 15, "the schema walk found too little: {fields:?} {values:?}");
    let doc = doc();
    let missing: Vec<String> = fields.iter().chain(&values).filter(|f| !doc.contains(&format!("`{f}`"))).cloned().collect();
    assert!(missing.is_empty(), "docs/policy-format.md does not describe: {missing:?}");
}

#[test]
fn the_doc_describes_the_checks_and_the_fixed_sets() {
    let doc = doc();
    for check in yibao_tools::Check::ALL {
        assert!(doc.contains(&format!("`{}`", check.id())), "lint check {} is not in the doc", check.id());
    }
    for cmd in ["yibao validate", "yibao lint", "yibao diff"] {
        assert!(doc.contains(cmd), "{cmd}");
    }
    let grouped = |n: u32| {
        let s = n.to_string();
        if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { s }
    };
    for (_, amount, weight) in yibao_tools::TYPICAL_ADMISSIONS {
        assert!(doc.contains(&format!("| {} | {weight} |", grouped(amount))), "typical admission {amount}/{weight} not in the doc");
    }
    for bill in yibao_tools::BILLS {
        assert!(doc.contains(&format!("| {} | {} |", grouped(bill.total), grouped(bill.in_scope))), "bill {} not in the doc", bill.id);
    }
}
