//! Issue #9: lint and diff never stop on a policy that validates. Every number of every
//! policy in `policies/` is set in turn to each extreme below; each copy that the engine's
//! validation accepts is linted and compared with the original (parameters and the
//! representative residents). A panic anywhere fails the test and names the copy.

use serde::Deserialize;
use yibao_engine::json::Value;
use yibao_engine::policy::from_value;

/// The smallest and largest figures a policy may hold, and values that are wrong for one
/// kind of number but valid for another (a ratio where an amount belongs and back).
const EXTREMES: [&str; 5] = ["0", "0.0000000000000000000000000001", "10000000000", "100%", "9999999999.99"];

const POLICIES: [&str; 5] = ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"];

fn original(id: &str) -> serde_json::Value {
    let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// JSON pointers of every number in a policy: a parameter's `value` (an object with a
/// `status` whose value is a number, not a rule choice such as `"cumulative_burden"`) and a
/// derived parameter's `factor`.
fn numbers(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if map.contains_key("status") {
                if let Some(x) = map.get("value") {
                    let numeric = x.is_number() || x.as_str().is_some_and(|s| yibao_engine::dec::Dec::parse(s).is_ok());
                    if numeric {
                        out.push(format!("{at}/value"));
                    }
                }
            }
            if map.contains_key("statistic") && map.contains_key("factor") {
                out.push(format!("{at}/factor"));
            }
            for (k, x) in map {
                numbers(x, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                numbers(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn lint_and_diff_finish_on_every_extreme_figure_that_validates() {
    let (mut tried, mut accepted) = (0, 0);
    for id in POLICIES {
        let json = original(id);
        let base = from_value(&Value::deserialize(json.clone()).unwrap()).unwrap();
        let mut pointers = Vec::new();
        numbers(&json, "", &mut pointers);
        assert!(pointers.len() > 20, "{id}: only {} numbers found", pointers.len());
        for pointer in &pointers {
            for extreme in EXTREMES {
                let mut copy = json.clone();
                *copy.pointer_mut(pointer).unwrap() = extreme.into();
                tried += 1;
                let Ok(policy) = from_value(&Value::deserialize(copy).unwrap()) else { continue };
                accepted += 1;
                let what = format!("{id} with {pointer} = {extreme}");
                let outcome = std::panic::catch_unwind(|| {
                    let report = yibao_tools::lint(&policy);
                    serde_json::to_string(&report).unwrap();
                    yibao_engine::compare::diff_params(&base, &policy);
                    yibao_engine::compare::diff_params(&policy, &base);
                    yibao_tools::effects(&base, &policy).unwrap();
                });
                assert!(outcome.is_ok(), "lint or diff panicked on {what}");
            }
        }
    }
    eprintln!("{accepted} of {tried} extreme copies validate; lint and diff finished on each");
    assert!(accepted > 500, "only {accepted} of {tried} copies validate: the extremes test little");
}
