//! Building a `Policy` from a JSON value, by hand: a few shared helpers instead of generated
//! code per type (see `json.rs` for why). Errors name the JSON path and what is wrong;
//! unknown and repeated fields are refused, as a misspelt field must not pass unnoticed.
//! Adding a field to a policy type means adding it to that type's `read_struct!` line too:
//! the compiler refuses a struct literal that misses one.

use super::*;
use crate::dec::Dec;
use crate::json::Value;
use rust_decimal::Decimal;

type R<T> = Result<T, Problem>;

/// Where the reader is, for error paths like `basic.benefits[0].ratio`.
pub(super) struct Reader {
    path: Vec<Seg>,
}

enum Seg {
    Key(String),
    Index(usize),
}

/// An object being read.
struct Obj<'v> {
    members: &'v [(String, Value)],
}

impl Reader {
    pub(super) fn new() -> Reader {
        Reader { path: Vec::new() }
    }

    fn path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) if s.is_empty() => s.push_str(k),
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
            }
        }
        if s.is_empty() {
            s.push_str("(root)");
        }
        s
    }

    fn fail<T>(&self, message: impl Into<String>) -> R<T> {
        Err(Problem { path: self.path(), message: message.into() })
    }

    fn obj<'v>(&self, v: &'v Value) -> R<Obj<'v>> {
        match v {
            Value::Object(members) => Ok(Obj { members }),
            other => self.fail(format!("应为对象，实为{} (expected an object)", other.kind_zh())),
        }
    }

    /// An object of a struct with these fields; a member of another name is refused first,
    /// so a misspelt field is named as such rather than reported as the correct one missing.
    fn fields<'v>(&self, v: &'v Value, fields: &[&str]) -> R<Obj<'v>> {
        let o = self.obj(v)?;
        if let Some((k, _)) = o.members.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            return self.fail(format!("未知字段“{k}”，可用字段：{} (unknown field)", fields.join(", ")));
        }
        Ok(o)
    }

    /// The member `key`; a repeated key is refused.
    fn member<'v>(&self, o: &Obj<'v>, key: &str) -> R<Option<&'v Value>> {
        let mut found = None;
        for (k, v) in o.members {
            if k == key {
                if found.is_some() {
                    return self.fail(format!("字段“{key}”重复 (duplicate field)"));
                }
                found = Some(v);
            }
        }
        Ok(found)
    }

    fn at<T>(&mut self, seg: Seg, f: impl FnOnce(&mut Reader) -> R<T>) -> R<T> {
        self.path.push(seg);
        let out = f(self);
        self.path.pop();
        out
    }

    /// A required member.
    fn req<T: Read>(&mut self, o: &Obj, key: &str) -> R<T> {
        match self.member(o, key)? {
            Some(v) => self.at(Seg::Key(key.to_string()), |r| T::read(v, r)),
            None => self.fail(format!("缺少字段“{key}” (missing field)")),
        }
    }

    /// An optional member: absent or null is `None`.
    fn opt<T: Read>(&mut self, o: &Obj, key: &str) -> R<Option<T>> {
        match self.member(o, key)? {
            None | Some(Value::Null) => Ok(None),
            Some(v) => self.at(Seg::Key(key.to_string()), |r| T::read(v, r)).map(Some),
        }
    }

    /// A member with a default when absent (a list, a map, `false`).
    fn or_default<T: Read + Default>(&mut self, o: &Obj, key: &str) -> R<T> {
        Ok(self.opt(o, key)?.unwrap_or_default())
    }

}

pub(super) trait Read: Sized {
    fn read(v: &Value, r: &mut Reader) -> R<Self>;
}

impl Read for String {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => r.fail(format!("应为字符串，实为{} (expected a string)", other.kind_zh())),
        }
    }
}

impl Read for bool {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::Bool(b) => Ok(*b),
            other => r.fail(format!("应为 true 或 false，实为{} (expected a boolean)", other.kind_zh())),
        }
    }
}

fn integer(v: &Value, r: &Reader, max: i128) -> R<i128> {
    match v {
        Value::Integer(i) if (0..=max).contains(i) => Ok(*i),
        _ => r.fail(format!("应为 0 至 {max} 之间的整数 (expected a whole number)")),
    }
}

impl Read for u16 {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        integer(v, r, u16::MAX.into()).map(|i| i as u16)
    }
}

impl Read for u32 {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        integer(v, r, u32::MAX.into()).map(|i| i as u32)
    }
}

impl Read for Dec {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let parsed = match v {
            Value::String(s) => Dec::parse(s),
            Value::Integer(i) => Decimal::try_from_i128_with_scale(*i, 0).map(Dec).map_err(|_| "数字超出范围 (out of range)".to_string()),
            Value::Float(f) if f.is_finite() => Dec::parse(&format!("{f}")),
            other => Err(format!("应为数字或数字字符串，实为{} (expected a number)", other.kind_zh())),
        };
        parsed.or_else(|m| r.fail(m))
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::Array(items) => items.iter().enumerate().map(|(i, item)| r.at(Seg::Index(i), |r| T::read(item, r))).collect(),
            other => r.fail(format!("应为数组，实为{} (expected an array)", other.kind_zh())),
        }
    }
}

/// Map keys: free text, or one of a vocabulary.
pub(super) trait Key: Sized + Ord {
    fn key(k: &str) -> Option<Self>;
}

impl Key for String {
    fn key(k: &str) -> Option<Self> {
        Some(k.to_string())
    }
}

impl<K: Key, V: Read> Read for BTreeMap<K, V> {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let o = r.obj(v)?;
        let mut map = BTreeMap::new();
        for (k, item) in o.members {
            let Some(key) = K::key(k) else {
                return r.at(Seg::Key(k.clone()), |r| r.fail(format!("“{k}”不是有效的键 (unknown key)")));
            };
            let value = r.at(Seg::Key(k.clone()), |r| V::read(item, r))?;
            if map.insert(key, value).is_some() {
                return r.at(Seg::Key(k.clone()), |r| r.fail("键重复 (duplicate key)"));
            }
        }
        Ok(map)
    }
}

/// A string that must be one of a vocabulary's ids.
fn one_of<T>(v: &Value, r: &Reader, from: impl Fn(&str) -> Option<T>, ids: &[&str]) -> R<T> {
    match v {
        Value::String(s) => match from(s) {
            Some(t) => Ok(t),
            None => r.fail(format!("“{s}”不是可选值之一：{} (unknown value)", ids.join(", "))),
        },
        other => r.fail(format!("应为字符串，实为{} (expected a string)", other.kind_zh())),
    }
}

macro_rules! vocabulary_read {
    ($($t:ty),*) => {$(
        impl Read for $t {
            fn read(v: &Value, r: &mut Reader) -> R<Self> {
                let ids: Vec<&str> = <$t>::ALL.iter().map(|x| x.id()).collect();
                one_of(v, r, <$t>::from_id, &ids)
            }
        }
        impl Key for $t {
            fn key(k: &str) -> Option<Self> {
                <$t>::from_id(k)
            }
        }
    )*};
}
vocabulary_read!(Identity, VisitKind, HospitalLevel, Layer, Scheme);

macro_rules! enum_read {
    ($t:ty { $($id:literal => $v:expr),+ $(,)? }) => {
        impl Read for $t {
            fn read(v: &Value, r: &mut Reader) -> R<Self> {
                one_of(v, r, |s| match s { $($id => Some($v),)+ _ => None }, &[$($id),+])
            }
        }
    };
}
enum_read!(Status { "stated" => Status::Stated, "published" => Status::Published, "derived" => Status::Derived, "assumed" => Status::Assumed });
enum_read!(DeductibleRule { "per_visit" => DeductibleRule::PerVisit, "first_visit_in_year" => DeductibleRule::FirstVisitInYear, "yearly_amount" => DeductibleRule::YearlyAmount });
enum_read!(SegmentBasis { "cumulative_burden" => SegmentBasis::CumulativeBurden, "excess_over_threshold" => SegmentBasis::ExcessOverThreshold });
enum_read!(StatisticRole { "disposable_income" => StatisticRole::DisposableIncome, "rural_disposable_income" => StatisticRole::RuralDisposableIncome });

/// Structs: `read_struct!(Type { field: req|opt|or_default, ... })`.
macro_rules! read_struct {
    ($t:ident $(<$g:ident>)? { $($field:ident: $how:ident),+ $(,)? } $(, rest: { $($extra:ident: $val:expr),* })?) => {
        impl$(<$g: Read>)? Read for $t$(<$g>)? {
            fn read(v: &Value, r: &mut Reader) -> R<Self> {
                let o = r.fields(v, &[$(stringify!($field)),+])?;
                Ok($t { $($field: r.$how(&o, stringify!($field))?,)+ $($($extra: $val,)*)? })
            }
        }
    };
}

read_struct!(Policy {
    format_version: req, id: req, region: req, year: req, title: req, scheme: req, checked_on: req,
    summary: opt, documents: req, statistics: or_default, tiers: req, default_tier: req,
    identities: or_default, not_covered: or_default, basic: opt, critical_illness: opt,
    assistance: opt, tilted_assistance: opt, monitoring: opt, contribution: opt,
});
read_struct!(Document { id: req, title: req, issuer: req, date: req, number: opt, url: opt, seed: opt, grade: opt });
read_struct!(Statistic { label: req, value: req, role: opt });
read_struct!(Tier { id: req, name: req });
read_struct!(LevelTable { grassroots: req, level1: req, level2: req, level3: req });
read_struct!(CapPool { label: req, amount: opt });
read_struct!(Basic { benefits: req, caps: or_default, not_covered: or_default });
read_struct!(Benefit {
    name: req, kinds: req, deductible: req, deductible_rule: req, deductible_pool: req,
    ratio: req, ratio_bonus: or_default, cap_pool: opt,
});
read_struct!(RatioBonus { identities: req, points: req });
read_struct!(CriticalIllness {
    base_kinds: req, threshold: req, segment_basis: opt, segments: req, cap: opt,
    above_last_segment: opt, tilts: or_default,
});
read_struct!(Segment { up_to: opt, ratio: req });
read_struct!(CriticalIllnessTilt {
    identities: req, threshold: opt, threshold_factor: opt, ratio_points: opt,
    cap_removed: req, last_segment_unbounded: opt,
});
read_struct!(Assistance { categories: req });
read_struct!(AssistanceCategory { identities: req, rules: req, caps: or_default });
read_struct!(AssistanceRule { name: req, kinds: req, threshold: opt, ratio: req, cap_pool: opt });
read_struct!(TiltedAssistance { name: req, identities: req, kinds: req, requires_referral: req, threshold: req, ratio: req, cap: opt });
read_struct!(Monitoring { income: req, lines: req, where_to_apply: req });
read_struct!(MonitoringLine { name: req, factor: req, identities: opt });
read_struct!(Contribution { individual: req, government_subsidy: opt, subsidised_enrolment: or_default, fiscal_split: or_default });
read_struct!(EnrolmentSubsidy { identities: req, share: req, at_least: or_default });
read_struct!(FiscalSplit { name: req, parts: req });
read_struct!(FiscalPart { payer: req, amount: opt, share: opt, share_of_rest: opt, rest: or_default });
read_struct!(Source { document: req, clause: req });
read_struct!(Derivation { statistic: req, factor: req });
read_struct!(Param { value: opt, derived: opt, status: req, source: opt, note: opt }, rest: { resolved: Decimal::ZERO, effective_status: None });
read_struct!(Sourced<T> { value: req, status: req, source: opt, note: opt });
