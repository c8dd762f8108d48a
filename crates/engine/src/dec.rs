//! `Dec`: an exact decimal read from JSON.
//!
//! Accepts a JSON string (`"48976"`, `"0.65"`, or a percentage `"65%"`) or a JSON number.
//! Numbers arrive through f64 in most JSON readers, so they are taken by their shortest
//! round-trip text (`0.1` stays `0.1`); strings are exact and recommended in files.

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

impl Dec {
    pub fn get(self) -> Decimal {
        self.0
    }

    /// Parses `"123.45"`, `"65%"` (→ 0.65), with surrounding spaces allowed.
    pub fn parse(text: &str) -> Result<Dec, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("空值不是数字 (empty string is not a number)".into());
        }
        let (body, percent) = match t.strip_suffix('%') {
            Some(b) => (b.trim(), true),
            None => (t, false),
        };
        // Decimal::from_str accepts forms like "1_000"; money and ratios should be plain.
        let plain = body.bytes().enumerate().all(|(i, b)| {
            b.is_ascii_digit() || b == b'.' || (i == 0 && (b == b'-' || b == b'+'))
        });
        if !plain || body.matches('.').count() > 1 || !body.bytes().any(|b| b.is_ascii_digit()) {
            return Err(format!("“{t}”不是有效的数字 (not a number)"));
        }
        let value = Decimal::from_str(body).map_err(|_| format!("“{t}”不是有效的数字或超出范围 (not a number or out of range)"))?;
        Ok(Dec(if percent { value / Decimal::ONE_HUNDRED } else { value }))
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Dec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number as a string (\"123.45\", \"65%\") or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dec, E> {
        Dec::parse(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
        if !v.is_finite() {
            return Err(E::custom("不是有限的数字 (not a finite number)"));
        }
        // Shortest round-trip text of the f64: what the writer of the JSON typed.
        Dec::parse(&format!("{v}")).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Dec, D::Error> {
        d.deserialize_any(DecVisitor)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Dec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal: a string such as \"48976\", \"0.65\" or \"65%\" (percent), or a JSON number. Strings are exact and recommended.",
            "anyOf": [
                { "type": "string", "pattern": "^\\s*[-+]?[0-9]*\\.?[0-9]+\\s*%?\\s*$" },
                { "type": "number" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strings_percent_and_rejects_junk() {
        assert_eq!(Dec::parse("65%").unwrap().0, Decimal::from_str("0.65").unwrap());
        assert_eq!(Dec::parse(" 48976 ").unwrap().0, Decimal::from(48976));
        assert!(Dec::parse("abc").is_err());
        assert!(Dec::parse("1_000").is_err());
        assert!(Dec::parse("").is_err());
        assert!(Dec::parse("1.2.3").is_err());
        assert!(Dec::parse("1e5").is_err());
    }

    #[test]
    fn f64_is_taken_by_its_shortest_text() {
        let v: Dec = DecVisitor.visit_f64::<de::value::Error>(0.1).unwrap();
        assert_eq!(v.0.to_string(), "0.1");
        let v: Dec = DecVisitor.visit_f64::<de::value::Error>(60000.15).unwrap();
        assert_eq!(v.0.to_string(), "60000.15");
    }
}
