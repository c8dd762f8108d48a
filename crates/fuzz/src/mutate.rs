//! Mutations of good input: a JSON value changed at a random place, or JSON text cut,
//! spliced or corrupted. Readers must refuse the results with a message, never panic.

use crate::gen::json as random;
use crate::rng::Rng;
use crate::tree::{at, places, remove};
use serde_json::{json, Value};

/// A value near `old`: the same figure in another form, an edge, a neighbour of its type.
fn near(rng: &mut Rng, old: &Value) -> Value {
    match old {
        Value::String(s) => match rng.below(6) {
            0 => json!(""),
            1 => json!(format!("{s}0")),
            2 => json!(format!("-{s}")),
            3 => json!(format!("{s}.005")),
            4 => s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(json!(null), Value::Number),
            _ => json!(s.to_uppercase()),
        },
        Value::Number(n) => match rng.below(5) {
            0 => json!(n.to_string()),
            1 => json!(-n.as_f64().unwrap_or(0.0)),
            2 => json!(n.as_f64().unwrap_or(0.0) * 1e12),
            3 => json!(n.as_f64().unwrap_or(0.0) + 0.001),
            _ => json!(null),
        },
        Value::Bool(b) => json!(!b),
        Value::Array(items) => match rng.below(3) {
            0 => json!([]),
            1 if !items.is_empty() => {
                let mut more = items.clone();
                more.push(items[rng.index(items.len())].clone());
                Value::Array(more)
            }
            _ => Value::Array(items.iter().rev().cloned().collect()),
        },
        Value::Object(m) => match rng.below(2) {
            0 => json!({}),
            _ => {
                let mut more = m.clone();
                more.insert(rng.pick(random::FIELDS).to_string(), random::value(rng, 2));
                Value::Object(more)
            }
        },
        Value::Null => random::value(rng, 1),
    }
}

/// One to four changes at random places: delete, replace, nudge, or copy another subtree.
pub fn value(rng: &mut Rng, v: &mut Value) {
    for _ in 0..rng.range(1, 4) {
        let all = places(v);
        let path = rng.pick(&all).clone();
        match rng.weighted(&[25, 20, 40, 15]) {
            0 => {
                if !remove(v, &path) {
                    *v = random::value(rng, 3);
                }
            }
            1 => *at(v, &path) = random::value(rng, 2),
            2 => {
                let place = at(v, &path);
                *place = near(rng, place);
            }
            _ => {
                let from = rng.pick(&all).clone();
                let donor = at(v, &from).clone();
                // A subtree moved into itself could grow without bound: only leaves or small ones.
                if donor.to_string().len() < 4_000 {
                    *at(v, &path) = donor;
                }
            }
        }
    }
}

/// `text` cut, spliced or corrupted, one to three times; may leave UTF-8 (then lossily read).
pub fn text(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.range(1, 3) {
        let at = if bytes.is_empty() { 0 } else { rng.index(bytes.len() + 1) };
        match rng.below(7) {
            0 => bytes.truncate(at),
            1 => {
                let end = (at + rng.index(16) + 1).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            2 => {
                let snippet = random::bytes(rng, 3);
                bytes.splice(at..at, snippet);
            }
            3 if !bytes.is_empty() => {
                let i = rng.index(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            4 => {
                let end = (at + rng.index(40)).min(bytes.len());
                let span = bytes[at.min(end)..end].to_vec();
                bytes.splice(at..at, span);
            }
            5 => {
                // Deep nesting: readers must stop at a depth limit, not overflow the stack.
                let depth = rng.range(100, 5_000) as usize;
                let open = if rng.chance(50) { b'[' } else { b'{' };
                let nest: Vec<u8> = std::iter::repeat_n(open, depth).collect();
                bytes.splice(at..at, nest);
            }
            _ => {
                let s = random::string(rng);
                bytes.splice(at..at, s.into_bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_change_the_value_and_stay_json() {
        let original = json!({"a": [1, "2", {"b": true}], "c": null});
        let mut changed = 0;
        for seed in 0..200 {
            let mut rng = Rng::new(seed);
            let mut v = original.clone();
            value(&mut rng, &mut v);
            changed += usize::from(v != original);
            serde_json::to_string(&v).unwrap();
            let t = text(&mut rng, &original.to_string());
            assert!(t.len() < 20_000);
        }
        assert!(changed > 150, "only {changed} of 200 mutations changed the value");
    }
}
