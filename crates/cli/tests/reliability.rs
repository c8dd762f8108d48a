//! Issue 9's findings, each reproduced through the real `yibao` binary: whatever `validate`
//! accepts must give figures that reconcile to the fen, holding an identity must never cost
//! more than holding none, and no input may be taken for something it is not.

mod common;

use common::root;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Output;

/// Runs `yibao` with `stdin` as standard input.
fn yibao(args: &[&str], stdin: &[u8]) -> Output {
    common::yibao_with_input(args, stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A seed policy with one edit, written to a temporary file.
fn edited(id: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let source = std::fs::read_to_string(root().join(format!("policies/{id}.json"))).unwrap();
    let mut v: Value = serde_json::from_str(&source).unwrap();
    edit(&mut v);
    let dir = std::env::temp_dir().join(format!("yibao-reliability-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{id}-{:x}.json", fxhash(&v.to_string())));
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn calc(policy: &str, scenario: &Value) -> Value {
    let out = yibao(&["calc", "--policy", policy, "--scenario", "-", "--json"], scenario.to_string().as_bytes());
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fen(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not an amount: {v}"));
    let (yuan, cents) = s.split_once('.').unwrap_or_else(|| panic!("not two decimals: {s}"));
    assert_eq!(cents.len(), 2, "{s}");
    let sign = if yuan.starts_with('-') { -1 } else { 1 };
    sign * (yuan.trim_start_matches('-').parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap())
}

/// The contract's sums, per visit and in the totals, and nothing negative or above the bill.
fn assert_reconciles(r: &Value) {
    let t = &r["totals"];
    let layers = ["basic", "critical_illness", "assistance", "tilted_assistance"];
    let paid: i64 = layers.iter().map(|l| fen(&t[l])).sum();
    assert_eq!(paid + fen(&t["out_of_pocket"]), fen(&t["total"]), "totals: {t}");
    assert_eq!(paid, fen(&t["reimbursed"]), "reimbursed: {t}");
    assert!(fen(&t["out_of_pocket"]) >= 0 && paid <= fen(&t["in_scope"]), "{t}");
    for v in r["visits"].as_array().unwrap() {
        let paid: i64 = layers.iter().map(|l| fen(&v[l])).sum();
        assert!(layers.iter().all(|l| fen(&v[l]) >= 0), "{v}");
        assert_eq!(paid + fen(&v["out_of_pocket"]), fen(&v["total"]), "visit: {v}");
        assert!(paid <= fen(&v["in_scope"]), "{v}");
    }
}

#[test]
fn a_derived_cap_of_a_fraction_of_a_fen_is_rounded_and_the_result_adds_up() {
    // Issue 9.1: 6 → 5.995 made the inpatient cap 38,130 × 5.995 = 228,589.35 … of a fen
    // more, and an orphan's 400,000 admission came out at 400,000.01 reimbursed.
    let path = edited("hohhot-2023", |p| p["basic"]["caps"]["inpatient"]["amount"]["derived"]["factor"] = json!("5.995"));
    let path = path.to_str().unwrap();
    let valid = yibao(&["validate", path], b"");
    assert!(valid.status.success(), "{}", text(&valid.stdout));
    let visit = json!({"kind": "inpatient", "level": "level2", "total": "400000", "in_scope": "400000"});
    for identities in [json!(["orphan"]), json!([])] {
        let r = calc(path, &json!({"identities": identities, "visits": [visit]}));
        assert_reconciles(&r);
    }
    // The explanation says the derived cap was rounded.
    let r = calc(path, &json!({"visits": [visit]}));
    let shown: Vec<&str> = r["steps"].as_array().unwrap().iter().flat_map(|s| s["params"].as_array().unwrap()).filter(|p| p["path"] == "basic.caps.inpatient.amount").map(|p| p["display"].as_str().unwrap()).collect();
    assert!(shown.iter().any(|d| d.contains("四舍五入到分")), "{shown:?}");
}

#[test]
fn a_literal_amount_finer_than_a_fen_is_refused_by_validate() {
    // Issue 9.1: a cap of 80,000.005 gave a 200,000 admission a result that did not add up.
    let source: Value = serde_json::from_str(&std::fs::read_to_string(root().join("policies/jiamusi-2022.json")).unwrap()).unwrap();
    let key = source["basic"]["caps"].as_object().unwrap().iter().find(|(_, c)| c["amount"]["value"].is_string()).map(|(k, _)| k.clone()).unwrap();
    let path = edited("jiamusi-2022", |p| p["basic"]["caps"][&key]["amount"]["value"] = json!("80000.005"));
    let out = yibao(&["validate", path.to_str().unwrap()], b"");
    let said = text(&out.stdout) + &text(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains(&format!("basic.caps.{key}.amount")) && said.contains("at most two decimals"), "{said}");
}

#[test]
fn an_identity_never_costs_more_than_none() {
    // Issue 9.3: with the ordinary threshold lowered to 5,000 below the 脱贫人口 tilt's own
    // 6,000, a 20,000 level-3 admission cost the 脱贫人口 6,171.50 against 5,982.00 for an
    // ordinary resident. 就高不就低: the higher of the two critical illness payouts applies.
    let path = edited("jiamusi-2021", |p| p["critical_illness"]["threshold"]["value"] = json!("5000"));
    let path = path.to_str().unwrap();
    let visit = json!({"kind": "inpatient", "level": "level3", "total": "20000", "in_scope": "20000"});
    let ordinary = calc(path, &json!({"visits": [visit]}));
    let lifted = calc(path, &json!({"identities": ["lifted_out_of_poverty"], "visits": [visit]}));
    assert_reconciles(&ordinary);
    assert_reconciles(&lifted);
    assert_eq!(ordinary["totals"]["out_of_pocket"], "5982.00");
    assert!(fen(&lifted["totals"]["out_of_pocket"]) <= fen(&ordinary["totals"]["out_of_pocket"]), "{} > {}", lifted["totals"], ordinary["totals"]);
    let ci = lifted["steps"].as_array().unwrap().iter().find(|s| s["layer"] == "critical_illness").unwrap();
    assert!(ci["lines"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().contains("就高不就低")), "{ci}");
    // Where the tilt is the better rule (the seed file as it is), it is still what applies.
    let seed = calc("jiamusi-2021", &json!({"identities": ["lifted_out_of_poverty"], "visits": [visit]}));
    let ci = seed["steps"].as_array().unwrap().iter().find(|s| s["layer"] == "critical_illness").unwrap();
    assert!(!ci["lines"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().contains("取普通标准")), "{ci}");
}

/// `yibao calc` on a scenario text: (success, stdout + stderr).
fn calc_text(scenario: &[u8]) -> (bool, String) {
    let out = yibao(&["calc", "--policy", "tianjin-2023", "--scenario", "-", "--json"], scenario);
    (out.status.success(), text(&out.stdout) + &text(&out.stderr))
}

#[test]
fn a_percentage_is_not_an_amount_of_money() {
    let (ok, said) = calc_text(br#"{"visits":[{"kind":"inpatient","level":"level2","total":"50%","in_scope":"0"}]}"#);
    assert!(!ok && said.contains("visits[0].total") && said.contains("not a percentage"), "{said}");
}

#[test]
fn a_number_no_decimal_holds_is_refused_not_read_as_zero() {
    let (ok, said) = calc_text(br#"{"visits":[{"kind":"inpatient","level":"level2","total":1e-400,"in_scope":0}]}"#);
    assert!(!ok && said.contains("cannot be held exactly") && said.contains("column"), "{said}");
    // An exponent that lands on a plain amount is that amount.
    let (ok, said) = calc_text(br#"{"visits":[{"kind":"inpatient","level":"level2","total":2e4,"in_scope":1.5e4}]}"#);
    assert!(ok, "{said}");
    assert!(said.contains("\"total\": \"20000.00\"") && said.contains("\"in_scope\": \"15000.00\""), "{said}");
}

#[test]
fn a_positional_array_is_not_a_scenario() {
    let (ok, said) = calc_text(br#"["resident", null, [], [["inpatient","level2","20000","18000",false]]]"#);
    assert!(!ok && said.contains("expected an object"), "{said}");
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let mut input = "\u{feff}".as_bytes().to_vec();
    input.extend_from_slice(br#"{"visits":[{"kind":"inpatient","level":"level2","total":"20000","in_scope":"18000"}]}"#);
    let (ok, said) = calc_text(&input);
    assert!(ok, "{said}");
    // And in a policy file.
    let source = std::fs::read(root().join("policies/tianjin-2023.json")).unwrap();
    let path = std::env::temp_dir().join(format!("yibao-bom-{}.json", std::process::id()));
    std::fs::write(&path, ["\u{feff}".as_bytes(), &source].concat()).unwrap();
    let out = yibao(&["validate", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", text(&out.stdout) + &text(&out.stderr));
}

#[test]
fn a_huge_string_is_not_echoed_whole() {
    let huge = "x".repeat(20_000_000);
    for scenario in [
        format!(r#"{{"identities":["{huge}"],"visits":[]}}"#),
        format!(r#"{{"visits":[{{"kind":"inpatient","level":"level2","total":"{huge}","in_scope":"0"}}]}}"#),
        format!(r#"{{"{huge}":1}}"#),
    ] {
        let (ok, said) = calc_text(scenario.as_bytes());
        assert!(!ok, "accepted");
        assert!(said.len() < 2_000, "the message is {} bytes long", said.len());
        assert!(said.contains("20000000"), "the message should say how long the value was: {said}");
    }
}

#[test]
fn truncated_input_is_named_by_line_and_column() {
    let whole = br#"{"visits":[{"kind":"inpatient","level":"level2","total":"20000","in_scope":"18000"}]}"#;
    for cut in [1, 12, 30, whole.len() - 1] {
        let (ok, said) = calc_text(&whole[..cut]);
        assert!(!ok, "accepted {cut}");
        assert!(said.contains("unexpected end of input") && said.contains("column") && !said.contains(".?"), "cut at {cut}: {said}");
    }
}

#[test]
fn nesting_deeper_than_128_is_refused_with_a_clear_message() {
    for depth in [129, 100_000] {
        let input = format!(r#"{{"identities":{}0{},"visits":[]}}"#, "[".repeat(depth), "]".repeat(depth));
        let (ok, said) = calc_text(input.as_bytes());
        assert!(!ok && said.contains("nested deeper than 128"), "{depth}: {said}");
    }
}
