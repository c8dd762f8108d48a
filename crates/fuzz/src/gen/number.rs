//! Numbers as a policy file may write them: exact decimals with 0, 1, 2 or more places,
//! from 0 to the format's limit, written as strings, percentages or JSON numbers.

use crate::rng::Rng;
use rust_decimal::Decimal;
use serde_json::Value;
use yibao_engine::policy::MAX_POLICY_AMOUNT;

/// `n / 10^scale`.
pub fn dec(n: i128, scale: u32) -> Decimal {
    Decimal::from_i128_with_scale(n, scale)
}

/// How many decimal places a generated amount gets: 0 to 2. An amount finer than a fen is
/// not a valid file (validation refuses it; the policy-reader target's mutations try such
/// amounts), while a derived amount (statistic × any factor) is rounded to the fen.
fn places(rng: &mut Rng) -> u32 {
    match rng.weighted(&[45, 15, 40]) {
        0 => 0,
        1 => 1,
        _ => 2,
    }
}

/// A number of `digits` integer digits (at least 1), then `places` decimals.
fn with_digits(rng: &mut Rng, digits: u32, places: u32) -> Decimal {
    let low = if digits <= 1 { 0 } else { 10u64.pow(digits - 1) };
    let int = rng.range(low, 10u64.pow(digits) - 1) as i128;
    let frac = if places == 0 { 0 } else { rng.below(10u64.pow(places)) as i128 };
    dec(int * 10i128.pow(places) + frac, places)
}

/// An amount of yuan for a policy: 0, tiny, typical, large, up to the limit of 10 billion.
pub fn policy_amount(rng: &mut Rng) -> Decimal {
    let p = places(rng);
    let (low, high, places) = match rng.weighted(&[6, 10, 60, 15, 8, 1]) {
        0 => return Decimal::ZERO,
        1 => (1, 2, p.max(1)),
        2 => (3, 6, p),
        3 => (7, 8, p),
        4 => (9, 10, p),
        _ => return MAX_POLICY_AMOUNT,
    };
    let digits = rng.range(low, high) as u32;
    with_digits(rng, digits, places).min(MAX_POLICY_AMOUNT)
}

/// A ratio from 0 to 1: whole percents mostly, and the edges, and odd fractions.
pub fn ratio(rng: &mut Rng) -> Decimal {
    match rng.weighted(&[5, 8, 50, 15, 22]) {
        0 => Decimal::ZERO,
        1 => Decimal::ONE,
        2 => dec(rng.range(1, 99) as i128, 2),
        3 => dec(rng.range(1, 999) as i128, 3),
        _ => {
            let p = rng.range(1, 8) as u32;
            dec(rng.below(10u64.pow(p) + 1) as i128, p)
        }
    }
}

/// A ratio at most `max`.
pub fn ratio_at_most(rng: &mut Rng, max: Decimal) -> Decimal {
    let r = ratio(rng);
    if r <= max {
        r
    } else {
        // Scale into range, keeping the ratio's places so that odd fractions survive.
        (r * max).round_dp(8).min(max)
    }
}

/// Decimal digits, not counting leading zeros.
fn significant_digits(d: Decimal) -> u32 {
    let m = d.mantissa().unsigned_abs();
    if m == 0 {
        1
    } else {
        m.ilog10() + 1
    }
}

/// How the file writes `d`: a plain string mostly, else a JSON number (when an f64 holds it
/// exactly as the reader requires), a percentage (for ratios), or a string with the
/// decorations the reader accepts (spaces, `+`, leading or trailing zeros, `7.`).
pub fn write(rng: &mut Rng, d: Decimal, percent_ok: bool) -> Value {
    let text = d.to_string();
    match rng.weighted(&[62, 14, if percent_ok { 14 } else { 0 }, 10]) {
        0 => Value::String(text),
        1 if d.scale() == 0 && d.abs() < Decimal::from(i64::MAX) => Value::from(i64::try_from(d.mantissa()).unwrap_or(0)),
        1 if significant_digits(d) <= 15 && d.scale() <= 22 => {
            // Shortest round-trip text of the f64 is the decimal itself (15 digits or fewer).
            text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::String(text), Value::Number)
        }
        2 => {
            let percent = (d * Decimal::ONE_HUNDRED).normalize();
            let space = if rng.chance(20) { " " } else { "" };
            Value::String(format!("{percent}{space}%"))
        }
        3 => Value::String(match rng.below(5) {
            0 => format!(" {text} "),
            1 => format!("+{text}"),
            2 => format!("0{text}"),
            3 if text.contains('.') => format!("{text}0"),
            _ if !text.contains('.') => format!("{text}."),
            _ => text,
        }),
        _ => Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yibao_engine::dec::Dec;

    /// Every written form reads back as the same decimal, through the engine's own reader.
    #[test]
    fn written_numbers_read_back_exactly() {
        let mut rng = Rng::new(3);
        for i in 0..5000 {
            let (d, percent_ok) = if i % 2 == 0 { (policy_amount(&mut rng), false) } else { (ratio(&mut rng), true) };
            let json = write(&mut rng, d, percent_ok);
            let back: Dec = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back.0, d, "{json}");
            assert!(d >= Decimal::ZERO && d <= MAX_POLICY_AMOUNT);
        }
    }
}
