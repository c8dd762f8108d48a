//! The command line's readers: `parse_scenario` on good, cut, corrupted and random scenario
//! text, and `batch::run` on random lines of bytes. A bad line is an error naming a field;
//! the batch answers every line.

use super::calc::{check_scenario, scenario_json};
use super::{violation, Checked, Counts, Failure};
use crate::gen::json as random;
use crate::rng::Rng;
use crate::{corpus, mutate};
use serde_json::{json, Value};
use std::io::Cursor;
use yibao_cli::batch::{parse_scenario, run, Detail};
use yibao_engine::Scenario;

const TIERS: &[&str] = &["high", "low", "standard", "gold"];

/// Scenario text as a person or a program may send it: good, mutated, or random.
fn scenario_text(rng: &mut Rng) -> String {
    let tiers: Vec<String> = TIERS.iter().map(|t| t.to_string()).collect();
    let mut v = scenario_json(rng, &tiers, &[]);
    if rng.chance(30) {
        // Amounts as JSON numbers, as many programs write them.
        for visit in v["visits"].as_array_mut().into_iter().flatten() {
            for field in ["total", "in_scope"] {
                if let Some(n) = visit[field].as_str().and_then(|s| s.parse::<f64>().ok()) {
                    visit[field] = json!(n);
                }
            }
        }
    }
    let text = v.to_string();
    match rng.weighted(&[20, 65, 15]) {
        0 => text,
        1 => mutate::text(rng, &text),
        _ => {
            let mut v = v;
            crate::mutate::value(rng, &mut v);
            if rng.chance(30) {
                random::value(rng, 3).to_string()
            } else {
                v.to_string()
            }
        }
    }
}

pub fn scenario_input(rng: &mut Rng) -> Value {
    json!({ "text": scenario_text(rng), "policy": rng.index(corpus::POLICIES.len()) })
}

/// The general reader alone (what `parse_scenario` falls back to when the one-pass reader
/// gives up): JSON text to a value, the value to a scenario.
fn read_with_paths(text: &str) -> Result<Scenario, yibao_engine::ScenarioError> {
    let value = yibao_engine::json::parse(text)
        .map_err(|e| yibao_engine::ScenarioError::new("(root)", yibao_engine::scenario::ScenarioErrorKind::NotJson, e.to_string()))?;
    yibao_engine::scenario::from_value(&value)
}

pub fn check_text(input: &Value, counts: &mut Counts) -> Checked {
    let fail = |invariant, detail: String| Err(Failure { violations: vec![violation(invariant, detail)], input: input.clone() });
    let text = input["text"].as_str().unwrap_or_default();
    counts.add("scenario texts", 1);
    let parsed = parse_scenario(text);
    // The fast path (no paths) and the path-tracking one must read the same scenarios.
    let slow = read_with_paths(text);
    match (&parsed, &slow) {
        (Ok(a), Ok(b)) if serde_json::to_value(a).ok() != serde_json::to_value(b).ok() => {
            return fail("readers_disagree", "the fast and the path-tracking readers read different scenarios".into());
        }
        (Ok(_), Err(e)) => return fail("readers_disagree", format!("the fast reader accepts what the path-tracking one refuses: {e}")),
        (Err(e), _) if e.field.is_empty() || e.message.trim().is_empty() => return fail("refusal", format!("an error without a field or message: {e:?}")),
        _ => {}
    }
    let Ok(scenario) = parsed else { return Ok(()) };
    counts.add("scenario texts read", 1);
    let policy_index = input["policy"].as_u64().unwrap_or(0) as usize;
    corpus::with_policy(policy_index, |policy| {
        if scenario.check(policy).is_err() {
            return Ok(());
        }
        counts.add("scenario texts computed", 1);
        check_scenario(policy, &scenario).map_err(|violations| Failure { violations, input: input.clone() })
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

pub fn batch_input(rng: &mut Rng) -> Value {
    let mut bytes = Vec::new();
    for _ in 0..rng.range(0, 12) {
        match rng.weighted(&[40, 30, 15, 15]) {
            0 | 1 => bytes.extend_from_slice(scenario_text(rng).as_bytes()),
            2 => bytes.extend(random::bytes(rng, 30)),
            _ => bytes.extend_from_slice(rng.pick::<&[u8]>(&[b"", b"   ", b"\t", b"\r"])),
        }
        bytes.extend_from_slice(rng.pick::<&[u8]>(&[b"\n", b"\r\n", b"\n\n"]));
    }
    json!({ "hex": hex(&bytes), "detail": rng.below(3), "policy": rng.index(corpus::POLICIES.len()) })
}

pub fn check_batch(input: &Value, counts: &mut Counts) -> Checked {
    let fail = |invariant, detail: String| Err(Failure { violations: vec![violation(invariant, detail)], input: input.clone() });
    let bytes = unhex(input["hex"].as_str().unwrap_or_default());
    let detail = [Detail::Settlement, Detail::Totals, Detail::Explained][input["detail"].as_u64().unwrap_or(0) as usize % 3];
    counts.add("batch inputs", 1);
    let mut out = Vec::new();
    let result = corpus::with_policy(input["policy"].as_u64().unwrap_or(0) as usize, |policy| run(policy, Cursor::new(&bytes), &mut out, detail, yibao_cli::batch::Encoding::Utf8));
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            // Not UTF-8: `lines()` stops with an I/O error (the CLI reports it); counted.
            counts.add(if result.is_err() { "batch inputs not UTF-8 (stopped)" } else { "batch inputs not UTF-8" }, 1);
            return Ok(());
        }
    };
    let summary = match result {
        Ok(s) => s,
        Err(e) => return fail("batch", format!("the batch stopped on UTF-8 input: {e}")),
    };
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    counts.add("batch lines", lines as u64);
    let Ok(out) = String::from_utf8(out) else { return fail("batch", "the output is not UTF-8".into()) };
    let answers: Vec<&str> = out.lines().collect();
    if summary.lines != lines || answers.len() != lines {
        return fail("batch", format!("{lines} lines in, summary says {}, {} lines out", summary.lines, answers.len()));
    }
    let mut errors = 0;
    for (i, a) in answers.iter().enumerate() {
        match serde_json::from_str::<Value>(a) {
            Ok(v) if v.get("error").is_some() => {
                errors += 1;
                if v["error"]["field"].as_str().is_none_or(str::is_empty) || v["line"].as_u64().is_none() {
                    return fail("batch", format!("answer {i} is an error without a line or field: {a}"));
                }
            }
            Ok(v) if v.get("totals").is_some() => {}
            _ => return fail("batch", format!("answer {i} is neither a result nor an error: {a}")),
        }
    }
    if errors != summary.failed {
        return fail("batch", format!("{errors} error lines, summary says {} failed", summary.failed));
    }
    Ok(())
}
