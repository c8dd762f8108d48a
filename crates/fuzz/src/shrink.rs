//! Shrinking a failing input before it is saved, while the case still fails with the same
//! invariant: first whole-policy simplifications (provenance reduced to `assumed` with a
//! short note, each layer in turn replaced by a `not_covered` reason), then members and
//! elements removed one at a time, largest first. A saved case then holds little more than
//! what makes it fail.

use crate::panics;
use crate::targets::{Counts, Kind};
use crate::tree::{at, places, remove, Seg};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Whether `input` still fails with `invariant` (a panic counts as the invariant `panic`).
fn still_fails(kind: Kind, input: &Value, invariant: &str) -> bool {
    let mut counts = Counts::default();
    match panics::catch(|| kind.check(input, &mut counts)) {
        Ok(Err(f)) => f.violations.first().is_some_and(|v| v.invariant == invariant),
        Ok(Ok(())) => false,
        Err(_) => invariant == "panic",
    }
}

/// Every parameter and rule choice (an object with a `status` and a `value` or `derived`)
/// as an assumed one with a one-letter note: the same numbers, a fraction of the text.
fn bare_provenance(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("status") && (m.contains_key("value") || m.contains_key("derived")) {
                m.insert("status".into(), json!("assumed"));
                m.insert("note".into(), json!("n"));
                m.remove("source");
            }
            m.values_mut().for_each(bare_provenance);
        }
        Value::Array(items) => items.iter_mut().for_each(bare_provenance),
        _ => {}
    }
}

/// The policies inside an input (objects with a `format_version`), by path.
fn policies(v: &Value) -> Vec<Vec<Seg>> {
    places(v).into_iter().filter(|p| v.pointer(&pointer(p)).is_some_and(|x| x.get("format_version").is_some())).collect()
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

const LAYERS: [&str; 4] = ["basic", "critical_illness", "assistance", "tilted_assistance"];

/// Whole-policy simplification number `step` of `v`: 0 bares the provenance, 1 to 4 replace
/// a layer of every policy inside by a `not_covered` reason. `None` when it changes nothing.
fn rewrite(v: &Value, step: usize) -> Option<Value> {
    let mut w = v.clone();
    if step == 0 {
        bare_provenance(&mut w);
    } else {
        let layer = LAYERS[step - 1];
        for path in policies(v) {
            let p = at(&mut w, &path);
            if let Some(m) = p.as_object_mut() {
                if m.remove(layer).is_some() {
                    let reasons = m.entry("not_covered").or_insert_with(|| json!({}));
                    if !reasons.is_object() {
                        *reasons = json!({});
                    }
                    reasons[layer] = json!("n");
                }
            }
        }
    }
    (w != *v).then_some(w)
}

/// `v` with the tier `id` dropped from every policy inside (tier list, default, ratio
/// tables, contributions) and from scenarios that name it.
fn without_tier(v: &Value, id: &str) -> Value {
    let mut w = v.clone();
    for path in policies(v) {
        let p = at(&mut w, &path);
        let Some(tiers) = p["tiers"].as_array_mut() else { continue };
        tiers.retain(|t| t["id"] != id);
        let Some(other) = tiers.first().map(|t| t["id"].clone()) else { continue };
        if p["default_tier"] == id {
            p["default_tier"] = other;
        }
        for b in p["basic"]["benefits"].as_array_mut().into_iter().flatten() {
            b["ratio"].as_object_mut().map(|m| m.remove(id));
        }
        if p["contribution"]["individual"].is_object() {
            p["contribution"]["individual"].as_object_mut().map(|m| m.remove(id));
        }
    }
    for place in places(&w) {
        let x = at(&mut w, &place);
        if x.get("visits").is_some() && x["contribution_tier"] == id {
            x.as_object_mut().map(|m| m.remove("contribution_tier"));
        }
    }
    w
}

/// The tier ids of the policies inside `v`.
fn tier_ids(v: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for path in policies(v) {
        let p = v.pointer(&pointer(&path)).unwrap_or(&Value::Null);
        ids.extend(p["tiers"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_str().map(String::from)));
    }
    ids
}

/// The smallest input found within `budget` that fails as `input` does.
pub fn shrink(kind: Kind, input: &Value, invariant: &str, budget: Duration) -> Value {
    let started = Instant::now();
    let mut best = input.clone();
    if budget.is_zero() || invariant == "hang" {
        return best;
    }
    for step in 0..=LAYERS.len() {
        if let Some(candidate) = rewrite(&best, step) {
            if still_fails(kind, &candidate, invariant) {
                best = candidate;
            }
        }
    }
    for id in tier_ids(&best) {
        let candidate = without_tier(&best, &id);
        if candidate != best && still_fails(kind, &candidate, invariant) {
            best = candidate;
        }
    }
    let mut i = 1; // place 0 is the root
    loop {
        let all = places(&best);
        if i >= all.len() || started.elapsed() > budget {
            return best;
        }
        let mut smaller = best.clone();
        remove(&mut smaller, &all[i]);
        if still_fails(kind, &smaller, invariant) {
            // The places after `i` moved; look at the same position again.
            best = smaller;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_failing_link_shrinks_to_the_pair_that_fails() {
        // A canonical visit whose amount keeps a leading space breaks the round trip; the
        // other visits and fields go.
        let visit = |total: &str| json!({ "kind": "inpatient", "level": "level3", "total": total, "in_scope": "", "estimate": true, "referred": false });
        let input = json!({ "canonical": { "policy": "p", "tier": null, "identities": ["orphan"], "visits": [visit("1"), visit(" 2"), visit("3")], "compare": null, "data_date": "d" } });
        assert!(still_fails(Kind::Link, &input, "link_round_trip"));
        let small = shrink(Kind::Link, &input, "link_round_trip", Duration::from_secs(5));
        assert_eq!(small["canonical"]["visits"].as_array().map(Vec::len), Some(1), "{small}");
        assert_eq!(small["canonical"]["visits"][0]["total"], " 2");
    }
}
