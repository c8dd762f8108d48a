//! Random JSON values and text: what a reader may be handed by mistake or by malice.

use crate::rng::Rng;
use serde_json::{json, Map, Value};

/// Field names of the formats, so that random objects sometimes look almost right.
pub const FIELDS: &[&str] = &[
    "format_version", "id", "value", "status", "source", "document", "clause", "derived", "statistic", "factor",
    "kinds", "level3", "ratio", "threshold", "segments", "up_to", "cap", "identities", "visits", "kind", "level",
    "total", "in_scope", "referred", "contribution_tier", "scheme", "__proto__", "", "x",
];

/// Strings a reader may choke on: numbers in odd forms, ids, separators, control and
/// astral characters.
pub const STRINGS: &[&str] = &[
    "", " ", "0", "-0", "65%", "1e5", "1E-7", "NaN", "Infinity", "-1", "0.005", "100000000.01", "99999999999999999999999999999",
    "0.00000000000000000000000000001", "1,000", "１２", "inpatient", "level3", "stated", "assumed", "resident", "tianjin-2023",
    "subsistence_allowance", "\u{0}", "\u{feff}", "😀", "\\", "\"", "a.b", "[0]", "%", "+", ".", "7.",
];

pub fn number(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(i64::MIN),
        3 => json!(u64::MAX),
        4 => json!(rng.next_u64() as i64 % 1_000_000_000),
        5 => json!(1e300),
        6 => json!(-0.0),
        7 => json!(0.1 + 0.2),
        8 => json!(5e-324),
        _ => json!((rng.next_u64() % 1_000_000) as f64 / 1000.0),
    }
}

pub fn string(rng: &mut Rng) -> String {
    if rng.chance(70) {
        rng.pick(STRINGS).to_string()
    } else {
        text(rng, 12)
    }
}

/// Up to `max` random characters from a mix of ASCII, CJK, full-width and odd code points.
pub fn text(rng: &mut Rng, max: u64) -> String {
    const CHARS: &[char] = &['a', 'z', '0', '9', '.', '_', '~', '-', '+', ',', '%', ' ', '\t', '元', '万', '１', '．', '，', '　', 'é', '\u{7f}', '\u{2028}', '𝟘', 'e', 'r', 'i', '3'];
    (0..rng.below(max + 1)).map(|_| *rng.pick(CHARS)).collect()
}

/// A random value up to `depth` levels deep.
pub fn value(rng: &mut Rng, depth: u32) -> Value {
    let container = depth > 0 && rng.chance(35);
    if container && rng.chance(50) {
        Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect())
    } else if container {
        let mut m = Map::new();
        for _ in 0..rng.below(5) {
            m.insert(rng.pick(FIELDS).to_string(), value(rng, depth - 1));
        }
        Value::Object(m)
    } else {
        match rng.below(5) {
            0 => Value::Null,
            1 => json!(rng.chance(50)),
            2 => number(rng),
            _ => json!(string(rng)),
        }
    }
}

/// Random bytes, not necessarily UTF-8, with newlines, for line-based readers.
pub fn bytes(rng: &mut Rng, max: u64) -> Vec<u8> {
    const SNIPPETS: &[&[u8]] = &[b"{", b"}", b"[", b"]", b"\"", b":", b",", b"\n", b"\r\n", b" ", b"null", b"1e999", b"\xff", b"\xe5\x85", b"\xc3\x28", b"\x00", b"\"visits\"", b"{\"visits\":[]}"];
    let mut out = Vec::new();
    for _ in 0..rng.below(max + 1) {
        if rng.chance(50) {
            out.extend_from_slice(rng.pick::<&[u8]>(SNIPPETS));
        } else {
            out.push(rng.below(256) as u8);
        }
    }
    out
}
