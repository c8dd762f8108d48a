//! `Dec`: an exact decimal read from JSON.
//!
//! Accepts a JSON string (`"48976"`, `"0.65"`, or a percentage `"65%"`) or a JSON number.
//! Numbers arrive through f64 in most JSON readers, so they are taken by their shortest
//! round-trip text (`0.1` stays `0.1`); strings are exact and recommended in files.

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

impl Dec {
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn get(self) -> Decimal {
        self.0
    }

    /// Parses `"123.45"`, `"65%"` (→ 0.65), with surrounding spaces allowed. Plain digits
    /// only (no `1_000`, no `1e5`), at most 28 of them.
    pub fn parse(text: &str) -> Result<Dec, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err(zh_en!("空值不是数字", "empty string is not a number").into());
        }
        let (body, percent) = match t.strip_suffix('%') {
            Some(b) => (b.trim(), true),
            None => (t, false),
        };
        let not_a_number = || format!(zh_en!("“{}”不是有效的数字", "not a number"), crate::json::shorten(t));
        let (negative, digits) = match body.as_bytes().first() {
            Some(b'-') => (true, &body[1..]),
            Some(b'+') => (false, &body[1..]),
            _ => (false, body),
        };
        // Digits into an integer and a scale, by hand: `Decimal::from_str` also reads forms
        // money should not have, and its parser was 8 KB of the wasm. A Decimal holds 28
        // significant digits and 28 decimal places; more is refused rather than rounded.
        let too_many = || format!(zh_en!("“{}”的位数过多，最多 28 位有效数字、28 位小数", "too many digits"), crate::json::shorten(t));
        let mut mantissa: i128 = 0;
        let (mut any, mut significant, mut scale, mut point) = (false, 0u32, 0u32, false);
        for b in digits.bytes() {
            match b {
                b'0'..=b'9' => {
                    any = true;
                    if mantissa != 0 || b != b'0' {
                        significant += 1;
                    }
                    if point {
                        scale += 1;
                    }
                    if significant > 28 || scale > 28 {
                        return Err(too_many());
                    }
                    mantissa = mantissa * 10 + i128::from(b - b'0');
                }
                b'.' if !point => point = true,
                _ => return Err(not_a_number()),
            }
        }
        if !any {
            return Err(not_a_number());
        }
        let value = Decimal::from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale);
        Ok(Dec(if percent { value / Decimal::ONE_HUNDRED } else { value }))
    }

    /// A JSON number that arrived as f64: the decimal with the fewest decimal places that
    /// the f64 stands for (`0.1` stays `0.1`, `60000.15` stays `60000.15`), which is what the
    /// writer of the JSON typed. Found by arithmetic rather than float formatting, which
    /// would add about 12 KB to the wasm: `n / 10^s` is exact in f64 while `n < 2^53` and
    /// `s <= 22`, so a match is the decimal itself. Every number written with at most 15
    /// significant digits and 22 decimal places is found. Others (`0.30000000000000004`,
    /// `1e23`) are not known exactly from the f64 and are refused, with a request to write
    /// them as strings: a calculator of money must not guess digits.
    pub fn from_f64(v: f64) -> Result<Dec, String> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if !v.is_finite() {
            return Err(zh_en!("不是有限的数字", "not a finite number").into());
        }
        let mut power = 1.0f64;
        for scale in 0..=22u32 {
            let n = (v * power).round();
            if n.abs() >= EXACT {
                break;
            }
            if n / power == v {
                return Ok(Dec(Decimal::from_i128_with_scale(n as i128, scale)));
            }
            power *= 10.0;
        }
        // The number itself is not shown: printing an f64 is the float formatting avoided here.
        Err("这个 JSON 数字的精确值无法确定（超过 15 位有效数字或 22 位小数），请写成字符串，如 \"0.65\" (a JSON number beyond 15 significant digits is not exact: write it as a string)".into())
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
        Dec::from_f64(v).map_err(E::custom)
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
        assert_eq!(Dec::parse("65%").unwrap().0, Decimal::new(65, 2));
        assert_eq!(Dec::parse(" 48976 ").unwrap().0, Decimal::from(48976));
        assert!(Dec::parse("abc").is_err());
        assert!(Dec::parse("1_000").is_err());
        assert!(Dec::parse("").is_err());
        assert!(Dec::parse("1.2.3").is_err());
        assert!(Dec::parse("1e5").is_err());
    }

    #[test]
    fn plain_digits_only() {
        assert_eq!(Dec::parse("-12.50").unwrap().0.to_string(), "-12.50");
        assert_eq!(Dec::parse("+.5").unwrap().0.to_string(), "0.5");
        assert_eq!(Dec::parse("7.").unwrap().0.to_string(), "7");
        assert_eq!(Dec::parse("12.5 %").unwrap().0.to_string(), "0.125");
        for junk in ["-", ".", "1.2.3", "--1", "1-", "1 2", "0x10", "١٢"] {
            assert!(Dec::parse(junk).is_err(), "{junk}");
        }
        // 28 significant digits and 28 places fit a Decimal; leading zeros do not count.
        assert!(Dec::parse(&"9".repeat(28)).is_ok());
        assert!(Dec::parse(&"9".repeat(29)).is_err());
        assert_eq!(Dec::parse(&format!("{}1", "0".repeat(28))).unwrap().0.to_string(), "1");
        assert_eq!(Dec::parse("0.0000000000000000000000000001").unwrap().0.to_string(), "0.0000000000000000000000000001");
        assert!(Dec::parse("0.00000000000000000000000000015").is_err());
        assert!(Dec::parse("1.2345678901234567890123456789").is_err());
    }

    #[test]
    fn f64_is_taken_as_the_decimal_it_stands_for() {
        for (v, text) in [
            (0.65, "0.65"),
            (-0.07, "-0.07"),
            (-0.0, "0"),
            (123456789.12345, "123456789.12345"),
            (1e-7, "0.0000001"),
            (0.000123456789012345, "0.000123456789012345"),
            (1e-18, "0.000000000000000001"),
            (4503599627370495.0, "4503599627370495"),
        ] {
            assert_eq!(Dec::from_f64(v).map(|d| d.0.to_string()), Ok(text.to_string()), "{v}");
        }
        // Not known exactly from the f64: refused, never guessed.
        for v in [0.1 + 0.2, 12345.678901234567, 4503599627370495.5, 1e23, 9007199254740993.0, 5e-324, 1e-23, f64::NAN, f64::INFINITY] {
            assert!(Dec::from_f64(v).is_err(), "{v}");
        }
        // Agrees with the shortest round-trip text for every decimal of up to 15 digits and up
        // to 22 places tried.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = x % 1_000_000_000_000_000;
            let scale = (x >> 50) as u32 % 23;
            let v = format!("{digits}e-{scale}").parse::<f64>().unwrap();
            let want = Decimal::from_i128_with_scale(digits.into(), scale).normalize();
            assert_eq!(Dec::from_f64(v).unwrap().0.normalize(), want, "{digits} scale {scale}");
        }
    }

    #[test]
    fn f64_is_taken_by_its_shortest_text() {
        let v: Dec = DecVisitor.visit_f64::<de::value::Error>(0.1).unwrap();
        assert_eq!(v.0.to_string(), "0.1");
        let v: Dec = DecVisitor.visit_f64::<de::value::Error>(60000.15).unwrap();
        assert_eq!(v.0.to_string(), "60000.15");
    }
}
