//! The pipeline on generated policies: one policy and a few scenarios per case, every
//! invariant of `invariants.rs` on each, and the curve through the bill at factor 1.

use super::{engine_value, path_pattern, violation, Checked, Counts, Failure};
use crate::gen::{policy, scenario};
use crate::invariants;
use crate::rng::Rng;
use serde_json::{json, Value};
use yibao_engine::{Policy, Scenario};

/// Tier ids as the policy JSON lists them (scenarios pick one).
pub fn tiers(policy: &Value) -> Vec<String> {
    policy["tiers"].as_array().map_or_else(Vec::new, |ts| ts.iter().filter_map(|t| t["id"].as_str().map(String::from)).collect())
}

/// The ids of a list of `{"id": …}` objects of the policy JSON.
fn ids(policy: &Value, field: &str) -> Vec<String> {
    policy[field].as_array().map_or_else(Vec::new, |xs| xs.iter().filter_map(|x| x["id"].as_str().map(String::from)).collect())
}

/// What a scenario may name of a policy given as JSON: its tiers, populations, facility classes.
pub fn axes(policy: &Value) -> scenario::Axes {
    scenario::Axes { tiers: tiers(policy), populations: ids(policy, "populations"), facilities: ids(policy, "facility_classes") }
}

pub fn input(rng: &mut Rng) -> Value {
    let g = policy::generate(rng);
    let axes = axes(&g.json);
    let scenarios: Vec<Value> = (0..3).map(|_| scenario_for(rng, &axes, &g.landmarks)).collect();
    json!({ "policy": g.json, "scenarios": scenarios })
}

pub fn scenario_json(rng: &mut Rng, tiers: &[String], landmarks: &[rust_decimal::Decimal]) -> Value {
    scenario_for(rng, &scenario::Axes::tiers(tiers), landmarks)
}

pub fn scenario_for(rng: &mut Rng, axes: &scenario::Axes, landmarks: &[rust_decimal::Decimal]) -> Value {
    serde_json::to_value(scenario::generate(rng, axes, landmarks)).expect("a scenario serializes")
}

/// Reads a policy as `yibao validate` does; a refusal is counted with where it happened.
pub fn read_policy(v: &Value, counts: &mut Counts) -> Option<Policy> {
    match yibao_engine::policy::from_value(&engine_value(v)) {
        Ok(p) => {
            counts.add("policies accepted", 1);
            Some(p)
        }
        Err(e) => {
            counts.add("policies refused", 1);
            let first = e.problems().into_iter().next().map_or_else(String::new, |p| path_pattern(&p.path));
            counts.add(&format!("refused at {first}"), 1);
            None
        }
    }
}

/// Every invariant, plus the curve: its point at factor 1 is the bill itself.
pub fn check_scenario(policy: &Policy, s: &Scenario) -> Result<(), Vec<invariants::Violation>> {
    let mut found = invariants::check(policy, s).err().unwrap_or_default();
    match (yibao_engine::curve(policy, s, 4), yibao_engine::totals_only(policy, s)) {
        (Ok(points), Ok((identity, totals))) => {
            if points.len() != 5 || points[2].identity != identity || points[2].totals != totals {
                found.push(violation("curve", "the curve's point at factor 1 is not the bill's totals"));
            }
        }
        // Doubling a bill may pass the 100-million limit: an error, never a panic.
        (Err(_), Ok(_)) => {}
        (_, Err(e)) => found.push(violation("refused", format!("totals_only refused a valid scenario: {e}"))),
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(found)
    }
}

pub fn check(input: &Value, counts: &mut Counts) -> Checked {
    counts.add("policies generated", 1);
    let Some(policy) = read_policy(&input["policy"], counts) else {
        counts.add("generated policies refused", 1);
        return Ok(());
    };
    for shape in crate::shapes::shapes(&policy) {
        counts.add(&format!("shape: {shape}"), 1);
    }
    for s in input["scenarios"].as_array().into_iter().flatten() {
        let scenario: Scenario = match yibao_engine::scenario::parse(&s.to_string()) {
            Ok(scenario) => scenario,
            Err(e) => return Err(Failure { violations: vec![violation("harness", format!("a generated scenario does not read: {e}"))], input: input.clone() }),
        };
        // A population or facility class the policy does not have, or a 结算单's 大病 payout
        // without its basic payout or above what is left (the generator makes a few): every
        // entry point refuses it, naming the field.
        if let Err(e) = scenario.check(&policy) {
            use yibao_engine::scenario::ScenarioErrorKind::{AboveInScope, Amount, Shape, UnknownFacility, UnknownPopulation};
            let expected = matches!(e.kind, UnknownPopulation | UnknownFacility) && (e.field == "population" || e.field.ends_with(".level"))
                || matches!(e.kind, Shape | AboveInScope | Amount) && e.field.ends_with(".critical_illness_paid");
            let same = [yibao_engine::calculate(&policy, &scenario).err(), yibao_engine::settle(&policy, &scenario).err(), yibao_engine::totals_only(&policy, &scenario).err()].iter().all(|x| x.as_ref() == Some(&e));
            if expected && same {
                counts.add("scenarios refused (unknown population or facility class, bad 大病 slip)", 1);
                continue;
            }
            return Err(Failure { violations: vec![violation("refused", format!("a generated scenario was refused: {e}"))], input: json!({ "policy": input["policy"], "scenarios": [s] }) });
        }
        counts.add("scenarios", 1);
        if let Err(violations) = check_scenario(&policy, &scenario) {
            return Err(Failure { violations, input: json!({ "policy": input["policy"], "scenarios": [s] }) });
        }
    }
    Ok(())
}

/// `n` generated (policy, scenario, native result) triples from `seed`, for the Node
/// harness to compare the wasm package with: the same engine must give the same JSON.
pub fn corpus(seed: u64, n: u64) -> Value {
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for index in 0..n.saturating_mul(3) {
        if out.len() as u64 >= n {
            break;
        }
        let case = input(&mut Rng::for_case(seed, "corpus", index));
        let Some(policy) = read_policy(&case["policy"], &mut counts) else { continue };
        let s = &case["scenarios"][0];
        let Ok(scenario) = yibao_engine::scenario::parse(&s.to_string()) else { continue };
        let result = match yibao_engine::calculate(&policy, &scenario) {
            Ok(r) => json!({ "ok": r }),
            Err(e) => json!({ "error": { "field": e.field, "message": e.message } }),
        };
        out.push(json!({ "policy": case["policy"], "scenario": s, "result": result }));
    }
    Value::Array(out)
}
