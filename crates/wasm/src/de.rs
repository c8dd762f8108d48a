//! A small serde deserializer over JavaScript values that tracks the JSON path of errors.
//!
//! It reads exactly what `JSON.parse` can produce (objects, arrays, strings, numbers,
//! booleans, null) and behaves like `serde_json` plus `serde_path_to_error`, as the CLI does:
//! - errors carry the path of the innermost value they concern, `visits[0].in_scope`, or
//!   `(root)`, in the format of `serde_path_to_error`;
//! - an object is read from its own keys, so the engine's reader sees, and refuses, a key
//!   the format does not know (serde-wasm-bindgen looks up a struct's declared fields only
//!   and would silently ignore a misspelt optional field); keys whose value is `undefined`
//!   are skipped, as `JSON.stringify` skips them;
//! - a number that is not a safe integer reaches the visitor as its shortest decimal text
//!   (the engine's decimals take text exactly, and serde_json's numbers are read the same
//!   way), so no float formatting is compiled in;
//! - arrays and objects nest at most [`MAX_DEPTH`] deep, as serde_json allows: the depth is
//!   checked before descending, so no input (however deep, even a cycle) can overflow the
//!   stack. An overflow in wasm leaves the module's stack pointer wrong, and every later call
//!   of the instance would fail.
//!
//! Why not serde-wasm-bindgen plus serde_path_to_error: together they cost about 30 KB of
//! the package (gzipped), mostly wrappers around every type's generated code, and code for
//! inputs (sequences as structs, Maps, iterables, BigInts, bytes) that policies never use.

use serde::de::{self, DeserializeSeed, Unexpected, Visitor};
use std::fmt;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// The JavaScript calls that can throw on a caller's value (a Proxy's traps, a revoked Proxy, a
// getter), declared with `catch`: an exception that unwinds through wasm frames skips
// restoring the wasm stack pointer, so every such call would leak stack until the instance
// overflowed and broke for good (found by the fuzz harness after a few thousand calls).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_or_throw(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn keys_or_throw(value: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// `Array.isArray`, false where even asking throws (a revoked Proxy).
fn is_array(value: &JsValue) -> bool {
    is_array_or_throw(value).unwrap_or(false)
}

/// The error for a value whose reading threw in JavaScript.
const THREW: &str = "读取这个值时出错（例如 Proxy 或 getter 抛出异常）(reading the value threw)";

/// An error and the path to the value it concerns.
#[derive(Debug)]
pub struct Error {
    /// Path segments from the innermost outwards: `in_scope`, `[0]`, `visits`.
    segments: Vec<String>,
    pub message: String,
}

impl Error {
    fn within(mut self, segment: String) -> Self {
        self.segments.push(segment);
        self
    }

    /// `visits[0].in_scope`, or `(root)` for the value itself.
    pub fn path(&self) -> String {
        if self.segments.is_empty() {
            return "(root)".into();
        }
        let mut path = String::new();
        for s in self.segments.iter().rev() {
            if !path.is_empty() && !s.starts_with('[') {
                path.push('.');
            }
            path.push_str(s);
        }
        path
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error { segments: Vec::new(), message: msg.to_string() }
    }

    // serde's own wording, but without `Unexpected`'s Display, which would compile in float
    // formatting (about 4 KB of the gzipped package) for values this reader never produces.
    #[cold]
    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!("invalid type: {}, expected {exp}", describe(unexp)))
    }

    #[cold]
    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!("invalid value: {}, expected {exp}", describe(unexp)))
    }
}

/// As serde_json words it (serde's words, `null` for unit), strings quoted as Rust's `{:?}`.
fn describe(unexp: Unexpected) -> String {
    use Unexpected::*;
    match unexp {
        Bool(b) => format!("boolean `{b}`"),
        Unsigned(i) => format!("integer `{i}`"),
        Signed(i) => format!("integer `{i}`"),
        Float(_) => "floating point".into(),
        Char(c) => format!("character `{c}`"),
        Str(s) => {
            let mut out = String::from("string \"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Bytes(_) => "byte array".into(),
        Unit => "null".into(),
        Option => "Option value".into(),
        NewtypeStruct => "newtype struct".into(),
        Seq => "sequence".into(),
        Map => "map".into(),
        Enum => "enum".into(),
        UnitVariant => "unit variant".into(),
        NewtypeVariant => "newtype variant".into(),
        TupleVariant => "tuple variant".into(),
        StructVariant => "struct variant".into(),
        Other(other) => other.into(),
    }
}

/// The most arrays and objects that may enclose one another (serde_json's limit).
pub const MAX_DEPTH: u32 = 128;
/// The error past it (a constant: formatting it took code in every build of the package).
const TOO_DEEP: &str = "嵌套过深，最多 128 层 (nested deeper than 128 levels)";

/// Reads a value of type `T` from a JavaScript value.
pub fn from_js<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Deserializer(value, 0))
}

/// The text of a non-integer number, without exponent: what `serde_json` would hand to the
/// engine's decimal reader (Rust prints f64 in the same shortest form, never with `e`).
fn number_text(value: &JsValue) -> String {
    let js: String = value.unchecked_ref::<js_sys::Number>().to_string_with_radix(10).map(String::from).unwrap_or_default();
    expand_exponent(&js).unwrap_or(js)
}

/// `1e-7` → `0.0000001`, `-1.5e+21` → `-1500000000000000000000`; `None` without exponent.
fn expand_exponent(text: &str) -> Option<String> {
    let (mantissa, exp) = text.split_once('e')?;
    let exp: i32 = exp.trim_start_matches('+').parse().ok()?;
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    // Position of the decimal point within `digits` after shifting.
    let point = int.len() as i32 + exp;
    let out = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    Some(format!("{sign}{out}"))
}

/// A value, and how many arrays and objects enclose it.
struct Deserializer(JsValue, u32);

/// 2^53 − 1: larger integers are not exact in JavaScript.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// An integer JavaScript can hold exactly, or `None`.
fn safe_integer(n: f64) -> Option<f64> {
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE).then_some(n)
}

// Code size matters here: the methods below are generic over serde's visitor and compiled once
// per type read. Today that is one, the engine's `json::Value` (object keys go through serde's
// `StringDeserializer`); the generic parts still only dispatch and the work is in plain
// functions, so reading a typed value again would not multiply the code.

impl Deserializer {
    /// "invalid type: …, expected …", naming the value as serde_json would.
    #[inline(never)]
    fn invalid(&self, expected: &dyn de::Expected) -> Error {
        let v = &self.0;
        let text;
        let unexpected = if v.is_null() || v.is_undefined() {
            Unexpected::Unit
        } else if let Some(b) = v.as_bool() {
            Unexpected::Bool(b)
        } else if let Some(n) = v.as_f64() {
            match safe_integer(n) {
                Some(i) if i < 0.0 => Unexpected::Signed(i as i64),
                Some(i) => Unexpected::Unsigned(i as u64),
                None => {
                    text = format!("floating point `{}`", number_text(v));
                    Unexpected::Other(&text)
                }
            }
        } else if let Some(s) = v.as_string() {
            text = s;
            Unexpected::Str(&text)
        } else if is_array(v) {
            Unexpected::Seq
        } else if v.is_object() {
            Unexpected::Map
        } else {
            Unexpected::Other("a value JSON cannot hold")
        };
        de::Error::invalid_type(unexpected, expected)
    }

    fn object(&self) -> Option<js_sys::Object> {
        (self.0.is_object() && !is_array(&self.0)).then(|| self.0.clone().unchecked_into())
    }

    /// The depth of this array's or object's members; an error past [`MAX_DEPTH`], before
    /// any of them is read.
    fn inner_depth(&self) -> Result<u32, Error> {
        if self.1 < MAX_DEPTH {
            Ok(self.1 + 1)
        } else {
            Err(de::Error::custom(TOO_DEEP))
        }
    }

    /// The elements of an array, or the error for a value that is not one or is too deep.
    /// Not generic (one error path for every type read), so each type's code stays small.
    #[inline(never)]
    fn seq(&self, expected: &dyn de::Expected) -> Result<SeqAccess, Error> {
        if !is_array(&self.0) {
            return Err(self.invalid(expected));
        }
        let depth = self.inner_depth()?;
        // `length` through Reflect, which catches: an array may be a Proxy.
        let len = js_sys::Reflect::get(&self.0, &JsValue::from_str("length")).map_err(|_| de::Error::custom(THREW))?.as_f64().unwrap_or(0.0);
        Ok(SeqAccess { array: self.0.clone(), len: len.clamp(0.0, f64::from(u32::MAX)) as u32, index: 0, depth })
    }

    /// The members of an object, as `seq`.
    #[inline(never)]
    fn map(&self, expected: &dyn de::Expected) -> Result<MapAccess, Error> {
        match self.object() {
            Some(object) => {
                let depth = self.inner_depth()?;
                let keys = keys_or_throw(&object).map_err(|_| de::Error::custom(THREW))?;
                Ok(MapAccess { object, keys, index: 0, depth, key: String::new(), value: JsValue::UNDEFINED })
            }
            None => Err(self.invalid(expected)),
        }
    }
}

macro_rules! forward_to_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_any(visitor)
        })*
    };
}

macro_rules! integer {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.as_f64().and_then(safe_integer) {
                Some(n) if n < 0.0 => visitor.visit_i64(n as i64),
                Some(n) => visitor.visit_u64(n as u64),
                None => Err(self.invalid(&visitor)),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for Deserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let v = &self.0;
        if v.is_null() || v.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = v.as_f64() {
            match safe_integer(n) {
                Some(i) if i < 0.0 => visitor.visit_i64(i as i64),
                Some(i) => visitor.visit_u64(i as u64),
                None if n.is_finite() => visitor.visit_string(number_text(v)),
                None => Err(de::Error::custom("不是有限的数字 (not a finite number)")),
            }
        } else if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if is_array(v) {
            // The engine reads a policy as a generic JSON value (yibao_engine::json::Value).
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    integer! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    forward_to_any! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_unit()
        } else {
            Err(self.invalid(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let seq = self.seq(&visitor)?;
        visitor.visit_seq(seq)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let map = self.map(&visitor)?;
        visitor.visit_map(map)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // The engine's enums are unit variants, written as strings.
        match self.0.as_string() {
            Some(s) => visitor.visit_enum(de::value::StringDeserializer::<Error>::new(s)),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct SeqAccess {
    array: JsValue,
    len: u32,
    index: u32,
    /// The depth of the elements.
    depth: u32,
}

impl SeqAccess {
    /// The next element, `None` at the end, or the error when reading it threw.
    #[inline(never)]
    fn next(&mut self) -> Result<Option<JsValue>, Error> {
        if self.index >= self.len {
            return Ok(None);
        }
        self.index += 1;
        match js_sys::Reflect::get_u32(&self.array, self.index - 1) {
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(self.locate(de::Error::custom(THREW))),
        }
    }

    /// Adds the index of the element just read to an error's path.
    #[inline(never)]
    fn locate(&self, e: Error) -> Error {
        e.within(format!("[{}]", self.index - 1))
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.next()? else { return Ok(None) };
        match seed.deserialize(Deserializer(value, self.depth)) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(self.locate(e)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len.saturating_sub(self.index) as usize)
    }
}

struct MapAccess {
    object: js_sys::Object,
    keys: js_sys::Array,
    index: u32,
    /// The depth of the values.
    depth: u32,
    /// The key last read, and its value until `next_value_seed` takes it.
    key: String,
    value: JsValue,
}

impl MapAccess {
    /// Moves to the next key whose value is not `undefined` (as `JSON.stringify`, which
    /// leaves such keys out); returns the key.
    #[inline(never)]
    fn advance(&mut self) -> Option<String> {
        while self.index < self.keys.length() {
            let key = self.keys.get(self.index);
            self.index += 1;
            let value = js_sys::Reflect::get(&self.object, &key).unwrap_or(JsValue::UNDEFINED);
            if !value.is_undefined() {
                self.key = key.as_string().unwrap_or_default();
                self.value = value;
                return Some(self.key.clone());
            }
        }
        None
    }

    #[inline(never)]
    fn take_value(&mut self) -> JsValue {
        std::mem::replace(&mut self.value, JsValue::UNDEFINED)
    }

    /// Adds the key just read to an error's path.
    #[inline(never)]
    fn locate(&self, e: Error) -> Error {
        e.within(self.key.clone())
    }
}

impl<'de> de::MapAccess<'de> for MapAccess {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some(key) = self.advance() else { return Ok(None) };
        match seed.deserialize(de::value::StringDeserializer::<Error>::new(key)) {
            Ok(k) => Ok(Some(k)),
            Err(e) => Err(self.locate(e)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match seed.deserialize(Deserializer(self.take_value(), self.depth)) {
            Ok(v) => Ok(v),
            Err(e) => Err(self.locate(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_become_plain_decimals() {
        assert_eq!(expand_exponent("1e-7").as_deref(), Some("0.0000001"));
        assert_eq!(expand_exponent("1.25e-7").as_deref(), Some("0.000000125"));
        assert_eq!(expand_exponent("-1.5e+21").as_deref(), Some("-1500000000000000000000"));
        assert_eq!(expand_exponent("1e+21").as_deref(), Some("1000000000000000000000"));
        assert_eq!(expand_exponent("1.2345e+2").as_deref(), Some("123.45"));
        assert_eq!(expand_exponent("0.1"), None);
    }

    #[test]
    fn unexpected_values_are_described_in_serde_words() {
        for (u, serde_words) in [
            (Unexpected::Str("a\"b\\c\nd"), format!("{}", Unexpected::Str("a\"b\\c\nd"))),
            (Unexpected::Str("低保"), format!("{}", Unexpected::Str("低保"))),
            (Unexpected::Signed(-3), format!("{}", Unexpected::Signed(-3))),
            (Unexpected::Bool(true), format!("{}", Unexpected::Bool(true))),
            (Unexpected::Seq, format!("{}", Unexpected::Seq)),
            (Unexpected::Unit, "null".to_string()),
        ] {
            assert_eq!(describe(u), serde_words);
        }
    }

    #[test]
    fn the_depth_error_names_the_limit() {
        assert_eq!(TOO_DEEP.matches(&MAX_DEPTH.to_string()).count(), 2);
    }

    #[test]
    fn paths_read_like_serde_path_to_error() {
        let e = <Error as de::Error>::custom("x");
        assert_eq!(e.path(), "(root)");
        let e = <Error as de::Error>::custom("x").within("in_scope".into()).within("[0]".into()).within("visits".into());
        assert_eq!(e.path(), "visits[0].in_scope");
        let e = <Error as de::Error>::custom("x").within("level3".into()).within("high".into()).within("ratio".into());
        assert_eq!(e.path(), "ratio.high.level3");
    }
}
