//! Money: the one place where amounts are rounded and formatted.
//!
//! Every payout is rounded to the fen (0.01 yuan) with 四舍五入, half away from zero.
//! `Decimal::round_dp` alone is banker's rounding and must not be used for money.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds an amount to the fen, half away from zero (四舍五入), with exactly two decimals.
pub fn round_fen(amount: Decimal) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// Rounds to the fen only when the amount has more than two decimals (payouts already do not).
fn fen_mantissa(amount: Decimal) -> i128 {
    match amount.scale() {
        2 => amount.mantissa(),
        0 => amount.mantissa() * 100,
        1 => amount.mantissa() * 10,
        _ => round_fen(amount).mantissa(),
    }
}

/// An amount displayed in the contract's form: exactly two decimals, no separators. Writes
/// digits straight from the mantissa, without an intermediate string.
pub struct Fen(pub Decimal);

impl Fen {
    /// Writes the digits into `buf` from the end; returns the text. Amounts are bounded far
    /// below 10^38 fen, so 48 bytes always suffice.
    fn write<'b>(&self, buf: &'b mut [u8; 48]) -> &'b str {
        let m = fen_mantissa(self.0);
        // Amounts are bounded far below 2^64 fen, where digits are cheap; the same loop on
        // u128 stays as the fallback so no value is ever mis-written.
        let wide = m.unsigned_abs();
        let mut i = match u64::try_from(wide) {
            Ok(n) => write_fen_digits(buf, n),
            Err(_) => write_fen_digits(buf, wide),
        };
        if m < 0 {
            i -= 1;
            buf[i] = b'-';
        }
        // Only ASCII digits, '.' and '-' were written.
        std::str::from_utf8(&buf[i..]).unwrap_or_default()
    }
}

/// Writes `n` fen as `yuan.ff` at the end of `buf`; returns where the text starts. Generic so
/// that the usual u64 and the rare u128 share one loop.
fn write_fen_digits<T>(buf: &mut [u8; 48], mut n: T) -> usize
where
    T: Copy + PartialEq + From<u8> + TryInto<u8> + std::ops::Div<Output = T> + std::ops::Rem<Output = T>,
{
    let (ten, zero) = (T::from(10), T::from(0));
    let mut i = buf.len();
    let mut digits = 0;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % ten).try_into().unwrap_or(0);
        n = n / ten;
        digits += 1;
        if digits == 2 {
            i -= 1;
            buf[i] = b'.';
        }
        if n == zero && digits > 2 {
            return i;
        }
    }
}

impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.write(&mut [0; 48]))
    }
}

/// The contract's form of an amount: a string with exactly two decimals, no separators.
pub fn to_contract(amount: Decimal) -> String {
    Fen(amount).to_string()
}

/// The reader's form of an amount: thousands separators and two decimals, e.g. `24,488.00`.
pub fn format_yuan(amount: Decimal) -> String {
    let plain = to_contract(amount);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac_part}")
}

/// A ratio in percent for readers: `0.65` → `65%`, `0.055` → `5.5%`.
pub fn format_percent(ratio: Decimal) -> String {
    let percent = (ratio * Decimal::ONE_HUNDRED).normalize();
    format!("{percent}%")
}

/// An amount in a sentence, as `format_yuan` writes it: `format!("{}", Yuan(x))` costs a
/// call site less code than formatting a `format_yuan(x)` string and dropping it.
pub struct Yuan(pub Decimal);

impl std::fmt::Display for Yuan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_yuan(self.0))
    }
}

/// A ratio in a sentence, as `format_percent` writes it.
pub struct Pct(pub Decimal);

impl std::fmt::Display for Pct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_percent(self.0))
    }
}

/// Serde helper: amounts in results are two-decimal strings.
pub(crate) fn serialize<S: serde::Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(Fen(*amount).write(&mut [0; 48]))
}

pub(crate) fn serialize_opt<S: serde::Serializer>(
    amount: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match amount {
        Some(a) => s.serialize_str(Fen(*a).write(&mut [0; 48])),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_not_to_even() {
        assert_eq!(to_contract(d("0.125")), "0.13");
        assert_eq!(to_contract(d("0.135")), "0.14");
        assert_eq!(to_contract(d("2.345")), "2.35");
        assert_eq!(to_contract(d("2.3449")), "2.34");
        assert_eq!(to_contract(d("7")), "7.00");
        assert_eq!(to_contract(d("-0.005")), "-0.01");
        assert_eq!(to_contract(d("0.00")), "0.00");
        assert_eq!(to_contract(d("0.05")), "0.05");
        assert_eq!(to_contract(d("-0.5")), "-0.50");
        assert_eq!(to_contract(d("123456789012.34")), "123456789012.34");
        assert_eq!(to_contract(d("-123456789012345678901234.56")), "-123456789012345678901234.56");
    }

    #[test]
    fn formats_with_thousands_separators() {
        assert_eq!(format_yuan(d("24488")), "24,488.00");
        assert_eq!(format_yuan(d("1234567.891")), "1,234,567.89");
        assert_eq!(format_yuan(d("999.5")), "999.50");
        assert_eq!(format_yuan(d("0")), "0.00");
    }

    #[test]
    fn formats_percent() {
        assert_eq!(format_percent(d("0.65")), "65%");
        assert_eq!(format_percent(d("0.055")), "5.5%");
        assert_eq!(format_percent(d("1")), "100%");
    }
}
