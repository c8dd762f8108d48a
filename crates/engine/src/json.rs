//! A JSON value as the policy reader sees it. Reading a policy goes through this one small
//! type instead of serde-generated code for each policy type: in WebAssembly that generated
//! code was most of the binary.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer, kept exact.
    Integer(i128),
    /// Any other number (JSON readers deliver these through f64).
    Float(f64),
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
            Value::Integer(_) | Value::Float(_) => "数字 (number)",
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
