//! The golden cases of `tests/golden/*.json` (format in `tests/golden/README.md`), computed by
//! hand from the seed clauses, run against the native engine.
//!
//! Every case runs; every mismatch is reported (case, field, expected, actual) before the test
//! fails. The explanation a resident reads (steps with their lines and parameters, layers,
//! alerts, assumed figures) is compared with the case's reference text in
//! `tests/golden/explanations/`, like typst's reference outputs: a change shows as a line diff,
//! and `cargo xtask bless` (`YIBAO_BLESS=1`) rewrites the references after an intended change. The test also fails when fewer than `MIN_CASES` cases are found, so a runner that
//! finds nothing cannot pass.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use yibao_engine::{calculate, policy, scenario, Policy};

/// The golden set must never shrink below this many cases.
const MIN_CASES: usize = 45;

/// The layers and the out-of-pocket that must add up to the total, in the result's totals and visits.
const SUM_PARTS: [&str; 5] = ["basic", "critical_illness", "assistance", "tilted_assistance", "out_of_pocket"];

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

/// One case's mismatches, collected instead of stopping at the first.
struct Report<'a> {
    case: &'a str,
    failures: &'a mut Vec<String>,
}

impl Report<'_> {
    fn fail(&mut self, field: &str, expected: impl std::fmt::Display, actual: impl std::fmt::Display) {
        self.failures.push(format!("{}: {field}: expected {expected}, actual {actual}", self.case));
    }

    fn problem(&mut self, what: impl std::fmt::Display) {
        self.failures.push(format!("{}: {what}", self.case));
    }
}

/// An amount of the result contract ("123.45", exactly two decimals) in fen.
fn fen(text: &str) -> Option<i128> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (int, frac) = digits.split_once('.')?;
    if frac.len() != 2 || int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(sign * (int.parse::<i128>().ok()? * 100 + frac.parse::<i128>().ok()?))
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "(missing)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `parts` must add up to `total` in `obj` (an actual totals or visit object).
fn check_sum(r: &mut Report, label: &str, obj: &Value) {
    let mut sum = 0i128;
    let mut terms = Vec::new();
    for key in SUM_PARTS {
        match obj.get(key).and_then(Value::as_str).and_then(fen) {
            Some(v) => {
                sum += v;
                terms.push(format!("{key} {}", show(obj.get(key))));
            }
            None => return r.problem(format!("{label}.{key}: not a two-decimal amount in the result: {}", show(obj.get(key)))),
        }
    }
    match obj.get("total").and_then(Value::as_str).and_then(fen) {
        Some(total) if total == sum => {}
        Some(_) => r.fail(
            &format!("{label}: basic + critical_illness + assistance + tilted_assistance + out_of_pocket"),
            show(obj.get("total")),
            format!("{:.2} ({})", sum as f64 / 100.0, terms.join(" + ")),
        ),
        None => r.problem(format!("{label}.total: not a two-decimal amount in the result: {}", show(obj.get("total")))),
    }
}

/// Compares every field the case gives in `expected` (an object of amounts) with `actual`.
fn compare_fields(r: &mut Report, label: &str, expected: &Value, actual: &Value) {
    let Some(fields) = expected.as_object() else {
        return r.problem(format!("{label}: the case must give an object"));
    };
    for (key, want) in fields {
        let got = actual.get(key);
        if got != Some(want) {
            r.fail(&format!("{label}.{key}"), show(Some(want)), show(got));
        }
    }
}

fn load_policy(id: &str) -> Result<Policy, String> {
    let path = repo_path(&format!("policies/{id}.json"));
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read policy {}: {e}", path.display()))?;
    policy::load(&mut serde_json::Deserializer::from_str(&text)).map_err(|e| format!("policy {id} does not load: {e:?}"))
}

/// The explanation of a result as reference text: one line per fact, in the result's order.
fn explanation_text(name: &str, result: &Value) -> String {
    let s = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    };
    let list = |v: &Value| v.as_array().map(|a| a.iter().map(s).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    let mut out = format!("# {name}\nidentity: {}\n", s(&result["identity"]));
    for (i, step) in result["steps"].as_array().into_iter().flatten().enumerate() {
        let visit = step["visit"].as_u64().map_or("-".to_string(), |v| (v + 1).to_string());
        out.push_str(&format!(
            "## step {} | {} | layer {} | visit {} | amount {} | flags [{}]\n",
            i + 1,
            s(&step["title"]),
            s(&step["layer"]),
            visit,
            s(&step["amount"]),
            list(&step["flags"])
        ));
        for line in step["lines"].as_array().into_iter().flatten() {
            out.push_str(&format!("  {}\n", s(line)));
        }
        for p in step["params"].as_array().into_iter().flatten() {
            out.push_str(&format!("  param {} | {} | {} | {}\n", s(&p["path"]), s(&p["label"]), s(&p["display"]), s(&p["status"])));
        }
    }
    out.push_str("## layers\n");
    for l in result["layers"].as_array().into_iter().flatten() {
        out.push_str(&format!("  {} | {} | {} | {} | {}\n", s(&l["layer"]), s(&l["title"]), s(&l["coverage"]), s(&l["amount"]), s(&l["reason"])));
    }
    out.push_str("## alerts\n");
    for a in result["alerts"].as_array().into_iter().flatten() {
        out.push_str(&format!("  {} | {} | {}\n", s(&a["kind"]), s(&a["title"]), s(&a["message"])));
    }
    out.push_str("## assumptions\n");
    for p in result["assumptions"].as_array().into_iter().flatten() {
        out.push_str(&format!("  {} | {} | {}\n", s(&p["path"]), s(&p["label"]), s(&p["display"])));
    }
    out
}

/// A line diff of two texts (longest common subsequence; reference files are small), with
/// two lines of context around each change.
fn line_diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near = |k: usize| ops[k.saturating_sub(2)..(k + 3).min(ops.len())].iter().any(|(c, _)| *c != ' ');
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, line)) in ops.iter().enumerate() {
        if near(k) {
            out.push_str(&format!("      {c} {line}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("      …\n");
            skipped = true;
        }
    }
    out
}

/// Compares the explanation with the case's reference, or writes it when blessing.
fn check_explanation(r: &mut Report, stem: &str, name: &str, result: &Value) {
    let path = repo_path(&format!("tests/golden/explanations/{stem}.txt"));
    let actual = explanation_text(name, result);
    if std::env::var_os("YIBAO_BLESS").is_some() {
        if let Err(e) = fs::create_dir_all(path.parent().unwrap()).and_then(|_| fs::write(&path, &actual)) {
            r.problem(format!("cannot write {}: {e}", path.display()));
        }
        return;
    }
    match fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => r.problem(format!(
            "the explanation differs from {} (− reference, + now; `cargo xtask bless` accepts an intended change):\n{}",
            path.display(),
            line_diff(&expected, &actual)
        )),
        Err(_) => r.problem(format!("no reference explanation {} (`cargo xtask bless` writes it)", path.display())),
    }
}

/// Every parameter path a step cites must be a parameter or rule of the policy.
fn check_param_paths(r: &mut Report, policy: &Policy, result: &Value) {
    let known: Vec<String> = yibao_engine::compare::parameters(policy).into_iter().map(|v| v.shown.path).collect();
    let cited = result["steps"].as_array().into_iter().flatten().flat_map(|s| s["params"].as_array().into_iter().flatten());
    let in_contribution = result["contribution"]["params"].as_array().into_iter().flatten();
    for p in cited.chain(in_contribution) {
        let path = p["path"].as_str().unwrap_or_default();
        if !known.iter().any(|k| k == path) {
            r.problem(format!("a step cites `{path}`, which is not a parameter of the policy"));
        }
    }
}

fn run_case(r: &mut Report, stem: &str, case: &Value, policies: &mut BTreeMap<String, Result<Policy, String>>) {
    // The case's own shape first: a malformed case must fail loudly, not pass quietly.
    for key in ["name", "policy"] {
        if case.get(key).and_then(Value::as_str).is_none() {
            return r.problem(format!("case format: `{key}` (a string) is missing"));
        }
    }
    if case.get("checks").and_then(Value::as_array).is_none_or(|c| c.is_empty()) {
        return r.problem("case format: `checks` must name the seed clauses exercised");
    }
    let (expected, expected_error) = (case.get("expected"), case.get("expected_error"));
    if expected.is_some() == expected_error.is_some() {
        return r.problem("case format: give exactly one of `expected` and `expected_error`");
    }
    if expected.is_some() && case.get("hand_calculation").and_then(Value::as_array).is_none_or(|c| c.is_empty()) {
        return r.problem("case format: `hand_calculation` must show the arithmetic");
    }
    let Some(scenario_json) = case.get("scenario") else {
        return r.problem("case format: `scenario` is missing");
    };
    let policy_id = case["policy"].as_str().unwrap_or_default();
    let policy = match policies.entry(policy_id.to_string()).or_insert_with(|| load_policy(policy_id)) {
        Ok(p) => p,
        Err(e) => return r.problem(e.clone()),
    };

    // Read the scenario as the CLI does: from JSON text.
    let scenario_text = scenario_json.to_string();
    let outcome = scenario::read(&mut serde_json::Deserializer::from_str(&scenario_text))
        .and_then(|s| calculate(policy, &s));

    if let Some(want) = expected_error {
        let Some(want_field) = want.get("field").and_then(Value::as_str) else {
            return r.problem("case format: `expected_error.field` (a string) is missing");
        };
        match outcome {
            Err(e) if e.field == want_field => {}
            Err(e) => r.fail("error.field", want_field, format!("{} ({})", e.field, e.message)),
            Ok(res) => r.fail(
                "error.field",
                want_field,
                format!("no error (identity {}, totals {})", show(serde_json::to_value(res.identity).ok().as_ref()),
                    serde_json::to_value(&res.totals).map(|t| t.to_string()).unwrap_or_default()),
            ),
        }
        return;
    }

    let expected = expected.expect("checked above");
    let result = match outcome {
        Ok(res) => res,
        Err(e) => return r.fail("result", "a result", format!("error on {}: {}", e.field, e.message)),
    };
    let actual = match serde_json::to_value(&result) {
        Ok(v) => v,
        Err(e) => return r.problem(format!("the result does not serialize: {e}")),
    };

    // The applied identity (就高不就低), null for an ordinary resident.
    match expected.get("identity") {
        None => r.problem("case format: `expected.identity` is missing (null for an ordinary resident)"),
        Some(want) => {
            if actual.get("identity") != Some(want) {
                r.fail("identity", show(Some(want)), show(actual.get("identity")));
            }
        }
    }

    match expected.get("totals") {
        None => r.problem("case format: `expected.totals` is missing"),
        Some(want) => compare_fields(r, "totals", want, &actual["totals"]),
    }

    if let Some(want_visits) = expected.get("visits") {
        let want_visits = want_visits.as_array().map(Vec::as_slice).unwrap_or_default();
        let got_visits = actual["visits"].as_array().map(Vec::as_slice).unwrap_or_default();
        if want_visits.len() != got_visits.len() {
            r.fail("visits (count)", want_visits.len(), got_visits.len());
        }
        for (i, (want, got)) in want_visits.iter().zip(got_visits).enumerate() {
            compare_fields(r, &format!("visits[{i}]"), want, got);
        }
    }

    if let Some(want_alerts) = expected.get("alerts") {
        let got: Vec<&str> =
            actual["alerts"].as_array().into_iter().flatten().filter_map(|a| a.get("kind").and_then(Value::as_str)).collect();
        for kind in want_alerts.as_array().into_iter().flatten() {
            let kind = kind.as_str().unwrap_or_default();
            if !got.contains(&kind) {
                r.fail("alerts", format!("an alert of kind `{kind}`"), format!("kinds [{}]", got.join(", ")));
            }
        }
    }

    check_explanation(r, stem, case["name"].as_str().unwrap_or_default(), &actual);
    check_param_paths(r, policy, &actual);

    // The result contract: the layers and what is left add up to the total, overall and per visit.
    check_sum(r, "totals", &actual["totals"]);
    for (i, v) in actual["visits"].as_array().into_iter().flatten().enumerate() {
        check_sum(r, &format!("visits[{i}]"), v);
    }
}

#[test]
fn golden_cases() {
    let dir = repo_path("tests/golden");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();

    let mut failures = Vec::new();
    let mut failed_cases = 0;
    let mut policies = BTreeMap::new();
    for file in &files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let before = failures.len();
        match fs::read_to_string(file).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string())) {
            Ok(case) => {
                let label = match case.get("name").and_then(Value::as_str) {
                    Some(name) => format!("{stem} ({name})"),
                    None => stem.clone(),
                };
                run_case(&mut Report { case: &label, failures: &mut failures }, &stem, &case, &mut policies);
            }
            Err(e) => failures.push(format!("{stem}: not a readable JSON case: {e}")),
        }
        if failures.len() > before {
            failed_cases += 1;
        }
    }

    println!("golden: {} cases, {} passed, {} failed", files.len(), files.len() - failed_cases, failed_cases);
    let mut problems = failures;
    if files.len() < MIN_CASES {
        problems.push(format!("only {} golden cases found in {} (at least {MIN_CASES} required)", files.len(), dir.display()));
    }
    if !problems.is_empty() {
        panic!(
            "golden: {} of {} cases failed; {} problem(s):\n  {}\n",
            failed_cases,
            files.len(),
            problems.len(),
            problems.join("\n  ")
        );
    }
}
