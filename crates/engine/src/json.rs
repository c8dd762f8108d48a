//! A JSON value as the policy and scenario readers see it, and [`parse`], which reads JSON
//! text into one exactly (numbers kept as decimals, nesting limited). Reading a policy goes through this one small
//! type instead of serde-generated code for each policy type: in WebAssembly that generated
//! code was most of the binary.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use rust_decimal::Decimal;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer, kept exact.
    Integer(i128),
    /// Any other number as serde readers deliver it, through f64.
    Float(f64),
    /// Any other number read exactly from JSON text ([`parse`]).
    Decimal(Decimal),
    String(String),
    Array(Vec<Value>),
    /// Members in the order written; duplicates are kept so the reader can refuse them.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A number that arrived as f64. JavaScript hands every number over as f64: whole ones
    /// it holds exactly (below 2^53) are integers, the rest stay floats.
    pub fn number(v: f64) -> Value {
        if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
            Value::Integer(v as i128)
        } else {
            Value::Float(v)
        }
    }

    /// What kind of value this is, for error messages.
    pub fn kind_zh(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "布尔值 (boolean)",
            Value::Integer(_) | Value::Float(_) | Value::Decimal(_) => "数字 (number)",
            Value::String(_) => "字符串 (string)",
            Value::Array(_) => "数组 (array)",
            Value::Object(_) => "对象 (object)",
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Integer(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Integer(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            members.push((k, v));
        }
        Ok(Value::Object(members))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

// ---------------------------------------------------------------- reading JSON text

/// How deep arrays and objects may nest, as serde_json allows: deeper input is refused
/// before it is read, so no reader recurses on it and no value is too deep to drop.
pub const MAX_DEPTH: usize = 128;

/// How much of a bad string or token an error message repeats.
const SHOWN_CHARS: usize = 40;

/// JSON text that could not be read: where (1-based line and column, in characters) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第 {} 行第 {} 列：{} (line {}, column {})", self.line, self.column, self.message, self.line, self.column)
    }
}

impl std::error::Error for ParseError {}

/// Reads JSON text into a [`Value`]. Numbers are kept exact: a whole number is an
/// `Integer`, any other a `Decimal` (`1e-400`, which no decimal holds exactly, is refused
/// rather than read as 0). A UTF-8 byte order mark at the start is skipped; nesting deeper
/// than [`MAX_DEPTH`] is refused.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser { s: text.as_bytes(), text, i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.error("JSON 值之后还有多余内容 (trailing characters after the value)"));
    }
    Ok(v)
}

struct Parser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        self.error_at(self.i, message)
    }

    fn error_at(&self, at: usize, message: impl Into<String>) -> ParseError {
        let at = at.min(self.s.len());
        let before = &self.s[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        // Columns count characters, not bytes; `at` may sit inside a character on bad input.
        let column = self.text.get(line_start..at).map_or(at - line_start, |l| l.chars().count()) + 1;
        ParseError { line, column, message: message.into() }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn end(&self) -> ParseError {
        self.error("JSON 不完整，意外结束 (unexpected end of input)")
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.s.get(self.i) {
            None => Err(self.end()),
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                Err(self.error(format!("嵌套过深，最多 {MAX_DEPTH} 层 (nested deeper than {MAX_DEPTH} levels)")))
            }
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, v) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
                    if self.s[self.i..].starts_with(word.as_bytes()) {
                        self.i += word.len();
                        return Ok(v);
                    }
                }
                Err(self.error(format!("此处应为 JSON 值，实为“{}” (expected a value)", self.token())))
            }
        }
    }

    /// The text from here to the next delimiter, cut short, for messages.
    fn token(&self) -> String {
        let rest = self.text.get(self.i..).unwrap_or("");
        let end = rest.find(|c: char| c.is_whitespace() || ",:[]{}\"".contains(c)).unwrap_or(rest.len()).max(rest.chars().next().map_or(0, char::len_utf8));
        shorten(&rest[..end])
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), ParseError> {
        self.ws();
        match self.s.get(self.i) {
            Some(c) if *c == b => {
                self.i += 1;
                Ok(())
            }
            None => Err(self.end()),
            Some(_) => Err(self.error(format!("此处应为{what}，实为“{}” (expected '{}')", self.token(), b as char))),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.end()),
                Some(_) => return Err(self.error(format!("数组中此处应为“,”或“]”，实为“{}” (expected ',' or ']')", self.token()))),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'"') => {}
                None => return Err(self.end()),
                Some(_) => return Err(self.error(format!("此处应为带引号的字段名，实为“{}” (expected a quoted key)", self.token()))),
            }
            let key = self.string()?;
            self.expect(b':', "“:”")?;
            self.ws();
            let v = self.value(depth)?;
            members.push((key, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(members));
                }
                None => return Err(self.end()),
                Some(_) => return Err(self.error(format!("对象中此处应为“,”或“}}”，实为“{}” (expected ',' or '}}')", self.token()))),
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run_start = self.i;
            self.i += self.s[self.i..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(self.s.len() - self.i);
            // The text is a &str and runs end at ASCII bytes, so this slice is whole characters.
            out.push_str(self.text.get(run_start..self.i).unwrap_or(""));
            match self.s.get(self.i) {
                None => return Err(self.error_at(start, "字符串没有结束引号 (unterminated string)")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        None => return Err(self.end()),
                        Some(_) => return Err(self.error("无效的转义字符 (invalid escape)")),
                    };
                    self.i += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.error("字符串中不能有未转义的控制字符 (control character in string)")),
            }
        }
    }

    /// `\uXXXX` (with `self.i` on the `u`), surrogate pairs joined; leaves `self.i` on the
    /// last hex digit.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4(self.i + 1)?;
        self.i += 4;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.s.get(self.i + 1) != Some(&b'\\') || self.s.get(self.i + 2) != Some(&b'u') {
                return Err(self.error("不成对的 UTF-16 代理项 (unpaired surrogate in \\u escape)"));
            }
            let second = self.hex4(self.i + 3)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("不成对的 UTF-16 代理项 (unpaired surrogate in \\u escape)"));
            }
            self.i += 6;
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("不成对的 UTF-16 代理项 (unpaired surrogate in \\u escape)"))
    }

    fn hex4(&self, at: usize) -> Result<u32, ParseError> {
        let digits = self.s.get(at..at + 4).ok_or_else(|| self.end())?;
        let mut n = 0;
        for d in digits {
            let v = (*d as char).to_digit(16).ok_or_else(|| self.error_at(at, "\\u 后应为 4 位十六进制数 (expected 4 hex digits)"))?;
            n = n * 16 + v;
        }
        Ok(n)
    }

    /// A number as JSON writes it, kept exact.
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        let negative = self.s.get(self.i) == Some(&b'-');
        if negative {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.s.get(p.i) {
                p.i += 1;
            }
            p.i - from
        };
        let int_start = self.i;
        let int_len = digits(self);
        let bad = |p: &Self| p.error_at(start, format!("“{}”不是有效的 JSON 数字 (invalid number)", shorten(p.text.get(start..p.i.max(start + 1)).unwrap_or(""))));
        if int_len == 0 || (int_len > 1 && self.s[int_start] == b'0') {
            return Err(bad(self));
        }
        let mut frac: &[u8] = &[];
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            let from = self.i;
            if digits(self) == 0 {
                return Err(bad(self));
            }
            frac = &self.s[from..self.i];
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            let sign = match self.s.get(self.i) {
                Some(b'-') => {
                    self.i += 1;
                    -1
                }
                Some(b'+') => {
                    self.i += 1;
                    1
                }
                _ => 1,
            };
            let from = self.i;
            if digits(self) == 0 {
                return Err(bad(self));
            }
            for d in &self.s[from..self.i] {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(10_000);
            }
            exponent *= sign;
        }
        // Significant digits into a mantissa, then the decimal point moved by the exponent.
        let int = &self.s[int_start..int_start + int_len];
        let mut mantissa: i128 = 0;
        let mut scale: i64 = frac.len() as i64 - exponent;
        let all = int.iter().chain(frac.iter());
        let mut significant = 0;
        for d in all {
            if significant > 0 || *d != b'0' {
                significant += 1;
            }
            if significant > 28 {
                return Err(self.error_at(start, format!("“{}”的位数过多，最多 28 位有效数字 (too many digits to be exact)", shorten(self.text.get(start..self.i).unwrap_or("")))));
            }
            mantissa = mantissa * 10 + i128::from(d - b'0');
        }
        if mantissa == 0 {
            return Ok(Value::Integer(0));
        }
        // Trailing zeros of the mantissa may be dropped to bring a large scale into range.
        while scale > 28 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        while scale < 0 {
            mantissa = match mantissa.checked_mul(10) {
                Some(m) if significant < 28 => m,
                _ => return Err(self.out_of_range(start)),
            };
            significant += 1;
            scale += 1;
        }
        if scale > 28 {
            return Err(self.out_of_range(start));
        }
        let mantissa = if negative { -mantissa } else { mantissa };
        match Decimal::try_from_i128_with_scale(mantissa, scale as u32) {
            Ok(d) => {
                let d = d.normalize();
                Ok(if d.scale() == 0 { Value::Integer(d.mantissa()) } else { Value::Decimal(d) })
            }
            Err(_) => Err(self.out_of_range(start)),
        }
    }

    fn out_of_range(&self, start: usize) -> ParseError {
        self.error_at(
            start,
            format!("数字“{}”超出可精确表示的范围（最多 28 位有效数字、28 位小数） (number cannot be held exactly)", shorten(self.text.get(start..self.i).unwrap_or(""))),
        )
    }
}

/// At most [`SHOWN_CHARS`] characters of a text, for an error message: a 100 MB value must
/// not be echoed whole.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…（共 {} 个字符）", &text[..cut], text.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Value {
        parse(text).unwrap()
    }

    #[test]
    fn numbers_are_exact() {
        assert_eq!(num("2023"), Value::Integer(2023));
        assert_eq!(num("-0"), Value::Integer(0));
        assert_eq!(num("2e4"), Value::Integer(20000));
        assert_eq!(num("2023.0"), Value::Integer(2023));
        assert_eq!(num("0.1"), Value::Decimal(Decimal::new(1, 1)));
        assert_eq!(num("1.5E-2"), Value::Decimal(Decimal::new(15, 3)));
        assert_eq!(num("0.30000000000000004"), Value::Decimal(Decimal::new(30000000000000004, 17)));
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "1e-400", "1e40", "12345678901234567890123456789"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(parse(r#""a\"b\\c\/\n\u00e9\u4f4f\ud83d\ude00""#).unwrap(), Value::String("a\"b\\c/\né住😀".into()));
        for bad in [r#""\ud83d""#, r#""\x""#, "\"a\nb\"", r#""abc"#, r#""\u12"#] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn structure_positions_and_limits() {
        assert_eq!(
            parse("\u{feff} {\"a\": [1, true, null], \"a\": {}} ").unwrap(),
            Value::Object(vec![("a".into(), Value::Array(vec![Value::Integer(1), Value::Bool(true), Value::Null])), ("a".into(), Value::Object(vec![]))])
        );
        let e = parse("{\n  \"住院\": [1,\n  2,,]}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 5), "{e}");
        let e = parse("{\"a\": 1").unwrap_err();
        assert!(e.message.contains("unexpected end"), "{e}");
        assert!(parse("[1] 2").is_err());
        assert!(parse(&format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH))).is_ok());
        let e = parse(&format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1))).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");
    }

    #[test]
    fn long_text_is_shortened_in_messages() {
        let long = "数".repeat(1000);
        let short = shorten(&long);
        assert!(short.chars().count() < 60 && short.contains("1000"), "{short}");
        let e = parse(&format!("[{}]", "x".repeat(100_000))).unwrap_err();
        assert!(e.to_string().len() < 300, "{e}");
    }
}
