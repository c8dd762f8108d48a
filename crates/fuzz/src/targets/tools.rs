//! The officials' checks on generated policies: `lint`, and the diff of a policy with itself
//! (nothing changed) and with another or a nudged copy (`diff_params`, `compare`, `effects`).
//! Each side of a comparison gives what `totals_only` gives for that policy.

use super::calc::{axes, read_policy, scenario_for};
use super::{violation, Checked, Counts, Failure};
use crate::gen::{policy, scenario};
use crate::mutate;
use crate::rng::Rng;
use serde_json::{json, Value};
use yibao_engine::compare::{compare, diff_params, Side};
use yibao_engine::{totals_only, Policy};

pub fn input(rng: &mut Rng) -> Value {
    let before = policy::generate(rng).json;
    let after = if rng.chance(50) {
        policy::generate(rng).json
    } else {
        // A nudged copy: the diff then has few changes, and they line up by path.
        let mut v = before.clone();
        mutate::value(rng, &mut v);
        v
    };
    // Of the first policy's facility classes and populations, with any tier (`compare` uses defaults).
    let scenario = scenario_for(rng, &scenario::Axes { tiers: vec![], ..axes(&before) }, &[]);
    json!({ "before": before, "after": after, "scenario": scenario, "effects": rng.chance(25) })
}

fn lint(p: &Policy) -> Result<(), String> {
    let report = yibao_tools::lint(p);
    if report.errors + report.warnings > report.findings.len() {
        return Err("lint counts more errors and warnings than findings".into());
    }
    serde_json::to_string(&report).map(|_| ()).map_err(|e| format!("the lint report does not serialize: {e}"))
}

pub fn check(input: &Value, counts: &mut Counts) -> Checked {
    let fail = |invariant, detail: String| Err(Failure { violations: vec![violation(invariant, detail)], input: input.clone() });
    let Some(before) = read_policy(&input["before"], counts) else { return Ok(()) };
    counts.add("lint", 1);
    if let Err(m) = lint(&before) {
        return fail("lint", m);
    }
    let same = diff_params(&before, &before);
    if !same.changes.is_empty() || !same.coverage.is_empty() {
        return fail("diff_self", format!("a policy differs from itself: {:?}", same.changes.first().map(|c| &c.path)));
    }
    let Some(after) = read_policy(&input["after"], counts) else { return Ok(()) };
    counts.add("diffs", 1);
    if let Err(m) = lint(&after) {
        return fail("lint", m);
    }
    let diff = diff_params(&before, &after);
    if let Err(e) = serde_json::to_string(&diff) {
        return fail("diff", format!("the diff does not serialize: {e}"));
    }
    let Ok(mut scenario) = yibao_engine::scenario::parse(&input["scenario"].to_string()) else {
        return fail("harness", "the generated scenario does not read".into());
    };
    // `compare` uses each policy's default tier.
    scenario.contribution_tier = None;
    if let Ok(c) = compare(Side::new(&before), Side::new(&after), &scenario) {
        counts.add("comparisons", 1);
        let from = before.facilities();
        for (side, p, got) in [("before", &before, &c.before), ("after", &after, &c.after)] {
            // Each side computes the visits as its own policy names them.
            match totals_only(p, &yibao_engine::compare::scenario_for(p, &scenario, &from)) {
                Ok((identity, totals)) if identity == got.identity && totals == got.totals => {}
                other => return fail("compare", format!("{side}: compare gives {:?} {:?}, totals_only {other:?}", got.identity, got.totals)),
            }
        }
        if c.out_of_pocket.difference != c.after.totals.out_of_pocket - c.before.totals.out_of_pocket {
            return fail("compare", "the out-of-pocket difference is not after − before".into());
        }
    }
    if input["effects"].as_bool() == Some(true) {
        counts.add("diff effects", 1);
        if let Err(e) = yibao_tools::effects(&before, &after) {
            // The representative bills are valid under any policy: a refusal is a defect.
            return fail("effects", format!("the representative residents were refused: {e}"));
        }
    }
    Ok(())
}
