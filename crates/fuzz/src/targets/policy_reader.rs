//! The policy reader on mutations of the real files and of generated policies, on random
//! JSON, and on cut or corrupted text. It must refuse with a path and a message, never panic;
//! what validation accepts, resolution (the web app's reader) accepts too; and an accepted
//! mutant is just another policy, held to every invariant of the pipeline.

use super::calc::{axes, check_scenario, scenario_for};
use super::{engine_value, violation, Checked, Counts, Failure};
use crate::gen::{json as random, policy};
use crate::rng::Rng;
use crate::{corpus, mutate};
use serde_json::{json, Value};
use yibao_engine::policy::{from_value, load, read_value, PolicyError};
use yibao_engine::Policy;

pub fn input(rng: &mut Rng) -> Value {
    let base = if rng.chance(55) { corpus::json(rng.index(corpus::POLICIES.len())) } else { policy::generate(rng).json };
    let (value, text) = match rng.weighted(&[70, 10, 20]) {
        0 => {
            let mut v = base;
            mutate::value(rng, &mut v);
            (Some(v), None)
        }
        1 => (Some(random::value(rng, 4)), None),
        _ => {
            let pretty = if rng.chance(50) { serde_json::to_string_pretty(&base) } else { serde_json::to_string(&base) };
            (None, Some(mutate::text(rng, &pretty.expect("JSON writes"))))
        }
    };
    // A scenario for the mutant, in case it is accepted.
    let axes = value.as_ref().map(axes).unwrap_or_default();
    let scenario = scenario_for(rng, &axes, &[]);
    match (value, text) {
        (Some(v), _) => json!({ "value": v, "scenario": scenario }),
        (_, text) => json!({ "text": text, "scenario": scenario }),
    }
}

/// A refusal must say where and what.
fn check_error(e: &PolicyError) -> Result<(), String> {
    let problems = e.problems();
    if problems.is_empty() {
        return Err("a refusal without any problem".into());
    }
    match problems.iter().find(|p| p.path.is_empty() || p.message.trim().is_empty()) {
        Some(p) => Err(format!("a problem without a path or a message: {p:?}")),
        None => Ok(()),
    }
}

fn accepted(policy: &Policy, input: &Value, counts: &mut Counts) -> Checked {
    counts.add("mutants accepted", 1);
    let Ok(scenario) = yibao_engine::scenario::parse(&input["scenario"].to_string()) else { return Ok(()) };
    // Its tier may not be the policy's (the mutant's tiers changed): then it is refused.
    if scenario.check(policy).is_err() {
        return Ok(());
    }
    counts.add("mutant scenarios", 1);
    check_scenario(policy, &scenario).map_err(|violations| Failure { violations, input: input.clone() })
}

pub fn check(input: &Value, counts: &mut Counts) -> Checked {
    let fail = |invariant, detail: String| Err(Failure { violations: vec![violation(invariant, detail)], input: input.clone() });
    if let Some(text) = input["text"].as_str() {
        counts.add("policy texts", 1);
        return match load(&mut serde_json::Deserializer::from_str(text)) {
            Ok(p) => accepted(&p, input, counts),
            Err(e) => check_error(&e).or_else(|m| fail("refusal", m)),
        };
    }
    counts.add("policy values", 1);
    let value = engine_value(&input["value"]);
    let validated = from_value(&value);
    let resolved = read_value(&value);
    match (&validated, &resolved) {
        (Ok(p), Ok(_)) => accepted(p, input, counts),
        (Ok(_), Err(e)) => fail("readers_disagree", format!("validation accepts what the web app's reader refuses: {e}")),
        (Err(e), Ok(p)) => {
            check_error(e).or_else(|m| fail("refusal", m))?;
            // Structurally broken but readable (what the web app would compute with): the
            // pipeline must answer or refuse, never panic.
            counts.add("unvalidated policies computed", 1);
            if let Ok(s) = yibao_engine::scenario::parse(&input["scenario"].to_string()) {
                let _ = yibao_engine::calculate(p, &s);
                let _ = yibao_engine::totals_only(p, &s);
            }
            Ok(())
        }
        (Err(a), Err(b)) => check_error(a).and_then(|_| check_error(b)).or_else(|m| fail("refusal", m)),
    }
}
