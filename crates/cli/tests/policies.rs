//! Every policy file listed in policies/index.json validates, every file in policies/ is
//! listed, and policies/schema.json is what the types generate today.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn index() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("policies/index.json")).expect("policies/index.json");
    serde_json::from_str(&text).expect("index.json parses")
}

#[test]
fn every_listed_policy_validates_and_matches_its_index_entry() {
    let index = index();
    let entries = index["policies"].as_array().expect("policies array");
    assert!(entries.len() >= 5, "expected the five seed policies, found {}", entries.len());
    for e in entries {
        let path = root().join("policies").join(e["path"].as_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let mut de = serde_json::Deserializer::from_str(&text);
        let policy = yibao_engine::policy::load(&mut de).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        assert_eq!(policy.id, e["id"].as_str().unwrap(), "{}: id differs from index.json", path.display());
        assert_eq!(policy.region, e["region"].as_str().unwrap());
        assert_eq!(u64::from(policy.year), e["year"].as_u64().unwrap());
        assert_eq!(policy.title, e["title"].as_str().unwrap());
    }
}

#[test]
fn every_policy_file_is_listed_in_the_index() {
    let index = index();
    let listed: Vec<&str> = index["policies"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    for entry in std::fs::read_dir(root().join("policies")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") && name != "index.json" && name != "schema.json" {
            assert!(listed.contains(&name.as_str()), "policies/{name} is not listed in index.json");
        }
    }
}

#[test]
fn schema_file_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao")).arg("schema").output().unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("policies/schema.json")).unwrap();
    assert!(
        generated.trim() == committed.trim(),
        "policies/schema.json is out of date: run `cargo run -p yibao-cli -- schema > policies/schema.json`"
    );
}

#[test]
fn validate_reports_every_problem_with_its_path() {
    let text = std::fs::read_to_string(root().join("policies/tianjin-2023.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Four independent mistakes; all must be reported at once.
    v["identities"][0] = serde_json::json!("subsistence_allowance"); // duplicate identity
    v["basic"]["benefits"][0]["ratio"]["high"]["level3"]["value"] = serde_json::json!("175%");
    v["critical_illness"]["segments"][1]["up_to"]["value"] = serde_json::json!("50000");
    v["basic"]["benefits"][0]["deductible"]["level2"]["source"]["document"] = serde_json::json!("no-such-doc");
    v["tilted_assistance"]["cap"]["source"] = serde_json::Value::Null;
    let dir = std::env::temp_dir().join(format!("yibao-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yibao")).arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "validate must fail on a broken policy");
    let text = String::from_utf8(out.stdout).unwrap();
    for path in [
        "identities[1]",
        "basic.benefits[0].ratio.high.level3",
        "critical_illness.segments[1].up_to",
        "basic.benefits[0].deductible.level2",
        "tilted_assistance.cap",
    ] {
        assert!(text.contains(path), "validate output lacks {path}:\n{text}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_misspelled_field_is_named() {
    let text = std::fs::read_to_string(root().join("policies/jiamusi-2021.json")).unwrap();
    let broken = text.replacen("\"deductible_pool\"", "\"deductable_pool\"", 1);
    let mut de = serde_json::Deserializer::from_str(&broken);
    let err = yibao_engine::policy::load(&mut de).unwrap_err().to_string();
    assert!(err.contains("basic.benefits[0]") && err.contains("deductable_pool"), "{err}");
}
