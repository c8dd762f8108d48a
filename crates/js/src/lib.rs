//! JavaScript values into the engine's JSON value (`yibao_engine::json::Value`): the one
//! reader the wasm package (objects callers pass) and the web app (what `JSON.parse` returns)
//! share. The engine then reads policies and scenarios from the value, with the same reader
//! and the same messages as the command line.
//!
//! - Only what JSON can hold: objects, arrays, strings, finite numbers, booleans, null. Keys
//!   whose value is `undefined` are left out (as `JSON.stringify` leaves them out).
//! - Numbers as the command line reads them from text: a safe integer is an integer, any
//!   other finite number the decimal of its shortest text (`0.1` is 0.1), so no float
//!   formatting is compiled in.
//! - Arrays and objects nest at most [`MAX_DEPTH`] deep, checked before descending: a stack
//!   overflow in wasm leaves the instance broken for every later call.
//! - Every JavaScript call that can throw on a caller's value (a Proxy's traps, a revoked
//!   Proxy, a getter) is made with `catch`: an exception unwinding through wasm frames skips
//!   restoring the wasm stack pointer, and a few thousand of them broke an instance.
//!
//! Not serde: a deserializer over JS values was most of this reader's code in the package.

#[cfg(target_arch = "wasm32")]
pub mod alloc;

/// The allocator's size classes (`alloc.rs`): 16 B (`1 << 4`) to 128 KB.
pub const SIZE_CLASSES: usize = 14;

/// The size class of a layout and its block size, or `None` above 128 KB. A block of a class is
/// aligned to its size, so any alignment up to the size is met. Native, so that it is tested.
pub fn size_class(layout: core::alloc::Layout) -> Option<(usize, usize)> {
    let size = layout.size().max(layout.align()).max(16).next_power_of_two();
    let class = (size.trailing_zeros() - 4) as usize;
    (class < SIZE_CLASSES).then_some((class, size))
}

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use yibao_engine::dec::Dec;
use yibao_engine::json::Value;

/// The most arrays and objects that may enclose one another (serde_json's limit, and the
/// engine's own JSON reader's).
pub const MAX_DEPTH: u32 = yibao_engine::json::MAX_DEPTH as u32;

/// Past [`MAX_DEPTH`] (a constant: formatting it cost code in every build).
pub const TOO_DEEP: &str = "嵌套过深，最多 128 层 (nested deeper than 128 levels)";
const THREW: &str = "读取这个值时出错（例如 Proxy 或 getter 抛出异常）(reading the value threw)";
const NOT_JSON: &str = "不是 JSON 能表示的值（函数、undefined、Symbol、BigInt 等）(not a value JSON can hold)";
const NOT_FINITE: &str = "不是有限的数字 (not a finite number)";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_or_throw(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn keys_or_throw(value: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// What could not be read, and where.
#[derive(Debug, PartialEq)]
pub struct Error {
    /// Path segments from the innermost outwards: `total`, `[0]`, `visits`.
    segments: Vec<String>,
    pub message: &'static str,
}

impl Error {
    /// `visits[0].total`, or `(root)` for the value itself.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for s in self.segments.iter().rev() {
            if !path.is_empty() && !s.starts_with('[') {
                path.push('.');
            }
            path.push_str(s);
        }
        if path.is_empty() {
            path.push_str("(root)");
        }
        path
    }

    fn within(mut self, segment: String) -> Self {
        self.segments.push(segment);
        self
    }
}

fn fail(message: &'static str) -> Error {
    Error { segments: Vec::new(), message }
}

/// A JavaScript value as the engine's JSON value.
pub fn to_value(v: &JsValue) -> Result<Value, Error> {
    read(v, 0)
}

/// `depth`: how many arrays and objects enclose `v`.
fn read(v: &JsValue, depth: u32) -> Result<Value, Error> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(n) = v.as_f64() {
        return number(v, n);
    }
    if !v.is_object() {
        return Err(fail(NOT_JSON));
    }
    if depth >= MAX_DEPTH {
        return Err(fail(TOO_DEEP));
    }
    if is_array_or_throw(v).unwrap_or(false) {
        // `length` and items through Reflect, which catches: an array may be a Proxy.
        let len = js_sys::Reflect::get(v, &JsValue::from_str("length")).map_err(|_| fail(THREW))?.as_f64().unwrap_or(0.0);
        let len = len.clamp(0.0, f64::from(u32::MAX)) as u32;
        let mut items = Vec::with_capacity(len.min(1024) as usize);
        for i in 0..len {
            let item = js_sys::Reflect::get_u32(v, i).map_err(|_| fail(THREW).within(format!("[{i}]")))?;
            items.push(read(&item, depth + 1).map_err(|e| e.within(format!("[{i}]")))?);
        }
        return Ok(Value::Array(items));
    }
    let keys = keys_or_throw(v).map_err(|_| fail(THREW))?;
    let mut members = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let item = js_sys::Reflect::get(v, &key).map_err(|_| fail(THREW).within(name.clone()))?;
        if item.is_undefined() {
            continue;
        }
        match read(&item, depth + 1) {
            Ok(value) => members.push((name, value)),
            Err(e) => return Err(e.within(name)),
        }
    }
    Ok(Value::Object(members))
}

/// 2^53 − 1: larger integers are not exact in JavaScript.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn number(v: &JsValue, n: f64) -> Result<Value, Error> {
    if !n.is_finite() {
        return Err(fail(NOT_FINITE));
    }
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        return Ok(Value::Integer(n as i128));
    }
    // The shortest text JavaScript writes for the number, read as a decimal: what the same
    // number in a file gives the command line.
    let text = number_text(v);
    Ok(match Dec::parse(&text) {
        Ok(d) => Value::Decimal(d.0),
        // Beyond 28 digits: the engine's reader says why it cannot take the number.
        Err(_) => Value::Float(n),
    })
}

/// The shortest decimal text of a number, without exponent (`1e-7` → `0.0000001`).
fn number_text(v: &JsValue) -> String {
    let js: String = v.unchecked_ref::<js_sys::Number>().to_string_with_radix(10).map(String::from).unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_expand_to_plain_decimals() {
        assert_eq!(expand_exponent("1e-7").as_deref(), Some("0.0000001"));
        assert_eq!(expand_exponent("-1.5e+21").as_deref(), Some("-1500000000000000000000"));
        assert_eq!(expand_exponent("1.25e2").as_deref(), Some("125"));
        assert_eq!(expand_exponent("123.4"), None);
    }

    #[test]
    fn paths_read_outwards() {
        let e = fail(TOO_DEEP).within("total".into()).within("[0]".into()).within("visits".into());
        assert_eq!(e.path(), "visits[0].total");
        assert_eq!(fail(NOT_JSON).path(), "(root)");
        assert!(TOO_DEEP.contains(&MAX_DEPTH.to_string()));
    }
}

#[cfg(test)]
mod size_class_tests {
    use super::size_class;
    use core::alloc::Layout;

    #[test]
    fn classes_cover_sizes_and_alignments() {
        let class = |size, align| size_class(Layout::from_size_align(size, align).unwrap());
        assert_eq!(class(0, 1), Some((0, 16)));
        assert_eq!(class(1, 1), Some((0, 16)));
        assert_eq!(class(16, 8), Some((0, 16)));
        assert_eq!(class(17, 1), Some((1, 32)));
        assert_eq!(class(24, 32), Some((1, 32)));
        assert_eq!(class(4096, 8), Some((8, 4096)));
        assert_eq!(class(4097, 8), Some((9, 8192)));
        assert_eq!(class(128 * 1024, 8), Some((13, 128 * 1024)));
        assert_eq!(class(128 * 1024 + 1, 8), None);
        assert_eq!(class(8, 256 * 1024), None);
    }
}
