//! Building a `Policy` from a JSON value, by hand: a few shared helpers instead of generated
//! code per type (see `json.rs` for why). Errors name the JSON path and what is wrong;
//! unknown and repeated fields are refused, as a misspelt field must not pass unnoticed.
//! Adding a field to a policy type means adding it to that type's `read_struct!` line too:
//! the compiler refuses a struct literal that misses one.
//!
//! Readers return `Option` and the reader keeps the problems, rather than returning
//! `Result` through `?`: each `?` in a struct literal needs its own code to drop the fields
//! already read, which grew quadratically with the fields and was a third of the wasm
//! package. Reading goes on after a problem, so every problem of shape is reported at once,
//! in reading order (a scenario reports its first).

use super::*;
use crate::dec::Dec;
use crate::ids::Place;
use crate::json::Value;
use rust_decimal::Decimal;

/// A problem's words: formatted with the `messages` feature, a fixed phrase without it (the
/// page, whose policy files were validated when published, keeps only the path).
#[cfg(feature = "messages")]
macro_rules! words {
    ($($t:tt)*) => { format!($($t)*) };
}
#[cfg(not(feature = "messages"))]
macro_rules! words {
    // The arguments are named in a closure never called: no code, and no unused bindings.
    ($fmt:literal $(, $arg:expr)* $(,)?) => {{
        $(let _ = || { let _ = &$arg; };)*
        String::from("政策文件格式错误 (shape)")
    }};
}

type R<T> = Option<T>;

/// Where the reader is, for error paths like `basic.benefits[0].ratio`, and the problems.
pub(super) struct Reader {
    path: Vec<Seg>,
    problems: Vec<Problem>,
    /// Whether the first problem is with an amount of money (scenarios only).
    amount_problem: bool,
    /// Whether an unknown field is named in the path (scenarios) or only in the message.
    key_in_path: bool,
    /// The dimensions of the tables read (`Policy::dimensions`).
    pub(super) dimensions: u8,
}

enum Seg {
    /// A field of a struct: its name is in the program, nothing to allocate.
    Field(&'static str),
    /// A key of a map, from the file.
    Key(String),
    Index(usize),
}

/// An object being read.
struct Obj<'v> {
    members: &'v [(String, Value)],
}

impl Reader {
    pub(super) fn new() -> Reader {
        Reader { path: Vec::new(), problems: Vec::new(), amount_problem: false, key_in_path: false, dimensions: 0 }
    }

    /// The value read, or the problems met (at least one).
    pub(super) fn finish<T>(mut self, read: Option<T>) -> Result<T, Vec<Problem>> {
        match read {
            Some(t) if self.problems.is_empty() => Ok(t),
            _ => {
                // Every `None` records a problem first; this keeps the function total.
                if self.problems.is_empty() {
                    self.problems.push(Problem { path: "(root)".into(), message: "无法读取 (unreadable)".into() });
                }
                Err(self.problems)
            }
        }
    }

    fn path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            let name: &str = match seg {
                Seg::Field(k) => k,
                Seg::Key(k) => k,
                Seg::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                    continue;
                }
            };
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(name);
        }
        if s.is_empty() {
            s.push_str("(root)");
        }
        s
    }

    fn fail<T>(&mut self, message: impl Into<String>) -> R<T> {
        self.record(message.into());
        None
    }

    // Not generic, so that `fail` stays a few instructions per type.
    fn record(&mut self, message: String) {
        self.problems.push(Problem { path: self.path(), message });
    }

    fn obj<'v>(&mut self, v: &'v Value) -> R<Obj<'v>> {
        match v {
            Value::Object(members) => Some(Obj { members }),
            other => self.fail(words!("应为对象，实为{} (expected an object)", other.kind_zh())),
        }
    }

    /// An object of a struct with these fields; a member of another name is refused first,
    /// so a misspelt field is named as such rather than reported as the correct one missing.
    fn fields<'v>(&mut self, v: &'v Value, fields: &[&str]) -> R<Obj<'v>> {
        let o = self.obj(v)?;
        if let Some((k, _)) = o.members.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            let message = words!("未知字段“{}”，可用字段：{} (unknown field)", crate::json::shorten(k), fields.join(", "));
            // A scenario's error names the unknown field itself (`visits[0].refered`), as
            // programs that build scenarios expect; a policy's names the object it is in.
            return if self.key_in_path { self.at(Seg::Key(crate::json::shorten(k)), |r| r.fail(message)) } else { self.fail(message) };
        }
        Some(o)
    }

    /// Finds the member `key` and steps into it; the caller steps out with `leave`. A
    /// repeated key is refused, and so is a missing one when `required`. Not inlined: it is
    /// the part of reading a field that does not depend on the field's type.
    #[inline(never)]
    fn enter<'v>(&mut self, o: &Obj<'v>, key: &'static str, required: bool) -> Member<'v> {
        let mut found = None;
        for (k, v) in o.members {
            if k == key {
                if found.is_some() {
                    self.record(words!("字段“{key}”重复 (duplicate field)"));
                    return Member::Refused;
                }
                found = Some(v);
            }
        }
        match found {
            Some(Value::Null) | None if !required => Member::Absent,
            None => {
                self.record(words!("缺少字段“{key}” (missing field)"));
                Member::Refused
            }
            Some(v) => {
                self.path.push(Seg::Field(key));
                Member::Entered(v)
            }
        }
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    fn at<T>(&mut self, seg: Seg, f: impl FnOnce(&mut Reader) -> R<T>) -> R<T> {
        self.path.push(seg);
        let out = f(self);
        self.path.pop();
        out
    }

    /// A required member.
    fn req<T: Read>(&mut self, o: &Obj, key: &'static str) -> R<T> {
        match self.enter(o, key, true) {
            Member::Entered(v) => {
                let out = T::read(v, self);
                self.leave();
                out
            }
            _ => None,
        }
    }

    /// An optional member: absent or null is `None`.
    fn opt<T: Read>(&mut self, o: &Obj, key: &'static str) -> R<Option<T>> {
        match self.enter(o, key, false) {
            Member::Entered(v) => {
                let out = T::read(v, self);
                self.leave();
                out.map(Some)
            }
            Member::Absent => Some(None),
            Member::Refused => None,
        }
    }

    /// A member with a default when absent (a list, a map, `false`).
    fn or_default<T: Read + Default>(&mut self, o: &Obj, key: &'static str) -> R<T> {
        Some(self.opt(o, key)?.unwrap_or_default())
    }
}

enum Member<'v> {
    Entered(&'v Value),
    Absent,
    Refused,
}

pub(super) trait Read: Sized {
    fn read(v: &Value, r: &mut Reader) -> R<Self>;
}

impl Read for String {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => r.fail(words!("应为字符串，实为{} (expected a string)", other.kind_zh())),
        }
    }
}

impl Read for bool {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            other => r.fail(words!("应为 true 或 false，实为{} (expected a boolean)", other.kind_zh())),
        }
    }
}

// `max` as u32: formatting it as i128 would bring i128's Display into the wasm.
fn integer(v: &Value, r: &mut Reader, max: u32) -> R<i128> {
    match v {
        Value::Integer(i) if (0..=i128::from(max)).contains(i) => Some(*i),
        _ => r.fail(words!("应为 0 至 {max} 之间的整数 (expected a whole number)")),
    }
}

impl Read for u16 {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        integer(v, r, u16::MAX.into()).map(|i| i as u16)
    }
}

impl Read for u32 {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        integer(v, r, u32::MAX).map(|i| i as u32)
    }
}

impl Read for Dec {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let parsed = match v {
            Value::String(s) => Dec::parse(s),
            Value::Integer(i) => Decimal::try_from_i128_with_scale(*i, 0).map(Dec).map_err(|_| "数字超出范围 (out of range)".to_string()),
            Value::Float(f) => Dec::from_f64(*f),
            Value::Decimal(d) => Ok(Dec(*d)),
            other => Err(words!("应为数字或数字字符串，实为{} (expected a number)", other.kind_zh())),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(m) => r.fail(m),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::Array(items) => {
                // A loop, not `collect` into `Option<Vec<_>>`: that adapter was many KB of wasm.
                let mut out = Vec::with_capacity(items.len());
                let mut whole = true;
                for (i, item) in items.iter().enumerate() {
                    match r.at(Seg::Index(i), |r| T::read(item, r)) {
                        Some(t) => out.push(t),
                        None => whole = false,
                    }
                }
                whole.then_some(out)
            }
            other => r.fail(words!("应为数组，实为{} (expected an array)", other.kind_zh())),
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

impl<K: Key, V: Read> Read for Map<K, V> {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let o = r.obj(v)?;
        let mut map = Map::new();
        let mut whole = true;
        for (k, item) in o.members {
            let Some(key) = K::key(k) else {
                r.at(Seg::Key(crate::json::shorten(k)), |r| r.fail::<()>(words!("“{}”不是有效的键 (unknown key)", crate::json::shorten(k))));
                whole = false;
                continue;
            };
            let Some(value) = r.at(Seg::Key(k.clone()), |r| V::read(item, r)) else {
                whole = false;
                continue;
            };
            if map.insert(key, value).is_some() {
                r.at(Seg::Key(k.clone()), |r| r.fail::<()>("键重复 (duplicate key)"));
                whole = false;
            }
        }
        whole.then_some(map)
    }
}

/// A string that must be one of a vocabulary's ids.
fn one_of<T>(v: &Value, r: &mut Reader, from: impl Fn(&str) -> Option<T>, ids: &[&str]) -> R<T> {
    match v {
        Value::String(s) => match from(s) {
            Some(t) => Some(t),
            None => r.fail(words!("“{}”不是可选值之一：{} (unknown value)", crate::json::shorten(s), ids.join(", "))),
        },
        other => r.fail(words!("应为字符串，实为{} (expected a string)", other.kind_zh())),
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
vocabulary_read!(Identity, VisitKind, Place, Layer, Scheme);

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
enum_read!(SegmentBasis { "cumulative_burden" => SegmentBasis::CumulativeBurden, "excess_over_threshold" => SegmentBasis::ExcessOverThreshold, "admission" => SegmentBasis::Admission });
enum_read!(StatisticRole { "disposable_income" => StatisticRole::DisposableIncome, "rural_disposable_income" => StatisticRole::RuralDisposableIncome });

/// Structs: `read_struct!(Type { field: req|opt|or_default, ... })`.
macro_rules! read_struct {
    ($t:ident $(<$g:ident>)? { $($field:ident: $how:ident),+ $(,)? } $(, rest: { $($extra:ident: $val:expr),* })?) => {
        impl$(<$g: Read>)? Read for $t$(<$g>)? {
            fn read(v: &Value, r: &mut Reader) -> R<Self> {
                let o = r.fields(v, &[$(stringify!($field)),+])?;
                // Every field is read before any is unwrapped: one drop of the tuple on failure.
                let ($($field,)+) = ($(r.$how(&o, stringify!($field)),)+);
                match ($($field,)+) {
                    ($(Some($field),)+) => Some($t { $($field,)+ $($($extra: $val,)*)? }),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}

read_struct!(Policy {
    format_version: req, id: req, region: req, year: req, title: req, scheme: req, checked_on: req,
    summary: opt, documents: req, statistics: or_default, tiers: req, default_tier: req,
    populations: or_default, default_population: opt, facility_classes: or_default, identities: or_default, not_covered: or_default, basic: opt, critical_illness: opt,
    assistance: opt, tilted_assistance: opt, monitoring: opt, contribution: opt, next_steps: or_default,
}, rest: { provenance: Vec::new(), dimensions: 0 });
read_struct!(Document { id: req, title: req, issuer: req, date: req, number: opt, url: opt, seed: opt, grade: opt });
read_struct!(Statistic { label: req, value: req, role: opt });
read_struct!(Tier { id: req, name: req });
read_struct!(CapPool { label: req, amount: opt });
read_struct!(Basic { benefits: req, caps: or_default, not_covered: or_default });
read_struct!(Benefit {
    name: req, kinds: req, deductible: req, deductible_rule: req, deductible_pool: req,
    deductible_ceiling: opt, ratio: opt, segments: or_default, segment_basis: opt,
    eligible_ceiling: opt, partial_self_pay_in_base: opt, ratio_bonus: or_default, cap_pool: opt,
});
read_struct!(RatioBonus { identities: req, points: req });
read_struct!(CriticalIllness {
    base_kinds: req, threshold: req, segment_basis: opt, segments: req, cap: opt,
    partial_self_pay_in_base: opt, above_last_segment: opt, tilts: or_default,
});
read_struct!(Segment { up_to: opt, ratio: req });
read_struct!(CriticalIllnessTilt {
    identities: req, threshold: opt, threshold_factor: opt, ratio_points: opt,
    cap_removed: req, last_segment_unbounded: opt,
});
read_struct!(Assistance { categories: req });
read_struct!(AssistanceCategory { identities: req, rules: req, caps: or_default });
read_struct!(AssistanceRule {
    name: req, kinds: req, threshold: opt, admission_threshold: opt, ratio: opt, segments: or_default,
    segment_basis: opt, admission_cap: opt, cap_pool: opt, partial_self_pay_in_base: opt,
});
read_struct!(TiltedAssistance {
    name: req, identities: req, kinds: req, requires_referral: req, threshold: opt, admission_threshold: opt, ratio: req,
    cap: opt, partial_self_pay_in_base: opt,
});
read_struct!(Monitoring { income: req, lines: req, where_to_apply: req });
read_struct!(NextStep { identities: opt, text: req });
read_struct!(MonitoringLine { name: req, factor: req, identities: opt });
read_struct!(Contribution { individual: req, government_subsidy: opt, subsidised_enrolment: or_default, fiscal_split: or_default });
read_struct!(EnrolmentSubsidy { identities: req, share: req, at_least: or_default });
read_struct!(FiscalSplit { name: req, parts: req });
read_struct!(FiscalPart { payer: req, amount: opt, share: opt, share_of_rest: opt, rest: or_default });
read_struct!(Source { document: req, clause: req });
read_struct!(Derivation { statistic: req, factor: req });
read_struct!(Param { value: opt, derived: opt, status: req, source: opt, note: opt }, rest: { resolved: Decimal::ZERO, effective_status: None, id: ParamId::default() });
read_struct!(Sourced<T> { value: req, status: req, source: opt, note: opt }, rest: { id: ParamId::default() });

/// A table: a figure, or `{"by": dimension, key: table, …}`.
impl Read for Table {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let Value::Object(members) = v else { return Param::read(v, r).map(Table::Figure) };
        let Some((_, by)) = members.iter().find(|(k, _)| k == "by") else { return Param::read(v, r).map(Table::Figure) };
        let ids: Vec<&str> = Dimension::ALL.iter().map(|d| d.id()).collect();
        let by = r.at(Seg::Field("by"), |r| one_of(by, r, Dimension::from_id, &ids));
        if let Some(d) = by {
            r.dimensions |= 1 << d as u8;
        }
        let mut rows = Vec::with_capacity(members.len());
        let mut whole = true;
        for (k, item) in members.iter().filter(|(k, _)| k != "by") {
            if rows.iter().any(|row: &Row| row.key == *k) {
                r.at(Seg::Key(k.clone()), |r| r.fail::<()>("键重复 (duplicate key)"));
                whole = false;
            }
            match r.at(Seg::Key(k.clone()), |r| Table::read(item, r)) {
                Some(table) => rows.push(Row { key: k.clone(), table }),
                None => whole = false,
            }
        }
        if rows.is_empty() {
            return r.fail("按维度区分的表至少要有一个键 (a table needs at least one key)");
        }
        Some(Table::By { by: by?, rows }).filter(|_| whole)
    }
}

/// A cap: `{"value": "none", …}` where the documents say there is none, else an amount table.
impl Read for Cap {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        if let Value::Object(members) = v {
            if members.iter().any(|(k, x)| k == "value" && matches!(x, Value::String(s) if s == "none")) {
                return Sourced::<String>::read(v, r).map(Cap::NoCap);
            }
        }
        Table::read(v, r).map(Cap::Limit)
    }
}

// ---------------------------------------------------------------- the scenario

/// Reads a scenario with the policy's reader, so both refuse the same things the same way:
/// unknown and repeated fields, a positional array for an object, text for a number. The
/// flag says whether the problem is with an amount of money.
pub(crate) fn scenario(v: &Value) -> Result<crate::scenario::Scenario, (Problem, bool)> {
    let mut reader = Reader::new();
    reader.key_in_path = true;
    let read = read_scenario(v, &mut reader);
    let amount = reader.amount_problem;
    reader.finish(read).map_err(|mut p| (p.remove(0), amount))
}

fn read_scenario(v: &Value, r: &mut Reader) -> R<crate::scenario::Scenario> {
    let o = r.fields(v, &["scheme", "contribution_tier", "identities", "population", "visits"])?;
    let (scheme, contribution_tier, identities, population, visits) =
        (r.opt(&o, "scheme"), r.opt(&o, "contribution_tier"), r.or_default(&o, "identities"), r.opt(&o, "population"), r.req::<Visits>(&o, "visits"));
    Some(crate::scenario::Scenario {
        scheme: scheme?.unwrap_or_else(crate::scenario::default_scheme),
        contribution_tier: contribution_tier?,
        identities: identities?,
        population: population?,
        visits: visits?.0,
    })
}

struct Visits(Vec<crate::scenario::Visit>);

impl Read for Visits {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        match v {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len().min(crate::scenario::MAX_VISITS + 1));
                for (i, item) in items.iter().enumerate() {
                    out.push(r.at(Seg::Index(i), |r| read_visit(item, r))?);
                }
                Some(Visits(out))
            }
            other => r.fail(words!("应为数组，实为{} (expected an array)", other.kind_zh())),
        }
    }
}

fn read_visit(v: &Value, r: &mut Reader) -> R<crate::scenario::Visit> {
    let o = r.fields(v, &["kind", "level", "total", "in_scope", "partial_self_pay", "basic_paid", "critical_illness_paid", "referred", "place"])?;
    let (kind, level, total, in_scope, partial, paid, ci_paid, referred, place) = (
        r.req(&o, "kind"),
        r.req(&o, "level"),
        r.req::<Money>(&o, "total"),
        r.req::<Money>(&o, "in_scope"),
        r.opt::<Money>(&o, "partial_self_pay"),
        r.opt::<Money>(&o, "basic_paid"),
        r.opt::<Money>(&o, "critical_illness_paid"),
        r.or_default(&o, "referred"),
        r.or_default(&o, "place"),
    );
    Some(crate::scenario::Visit {
        kind: kind?,
        level: level?,
        total: total?.0,
        in_scope: in_scope?.0,
        partial_self_pay: partial?.map(|m| m.0),
        basic_paid: paid?.map(|m| m.0),
        critical_illness_paid: ci_paid?.map(|m| m.0),
        referred: referred?,
        place: place?,
    })
}

/// An amount of money a resident enters: a number of yuan. `"50%"` is a ratio, not money.
struct Money(Dec);

impl Read for Money {
    fn read(v: &Value, r: &mut Reader) -> R<Self> {
        let first = r.problems.is_empty();
        let out = match v {
            Value::String(s) if s.trim_end().ends_with('%') => {
                r.fail(words!("金额不能写成百分数：“{}” (an amount of money, not a percentage)", crate::json::shorten(s)))
            }
            _ => Dec::read(v, r).map(Money),
        };
        if out.is_none() && first {
            r.amount_problem = true;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::json::Value;
    use crate::policy::{from_value, PolicyError};

    fn tianjin() -> serde_json::Value {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/tianjin-2023.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Every problem of shape, path and message, as `yibao validate` shows them.
    fn shape_problems(policy: &serde_json::Value) -> Vec<(String, String)> {
        let value: Value = serde_json::from_value(policy.clone()).unwrap();
        match from_value(&value) {
            Err(PolicyError::Shape(problems)) => problems.into_iter().map(|p| (p.path, p.message)).collect(),
            other => panic!("expected problems of shape, got {:?}", other.map(|p| p.id)),
        }
    }

    /// The first of them.
    fn shape_problem(policy: &serde_json::Value) -> (String, String) {
        shape_problems(policy).remove(0)
    }

    #[test]
    fn a_real_policy_reads_and_numbers_may_be_json_numbers() {
        let mut p = tianjin();
        assert!(from_value(&serde_json::from_value(p.clone()).unwrap()).is_ok());
        // 0.65 as a JSON number is the decimal 0.65, as the string "0.65" would be.
        p["basic"]["benefits"][0]["ratio"]["high"]["level1"]["value"] = serde_json::json!(0.65);
        let policy = from_value(&serde_json::from_value(p).unwrap()).unwrap();
        let e = policy.provenance().iter().find(|e| e.decl.path == "basic.benefits[0].ratio.high.level1").unwrap();
        assert_eq!(e.value.unwrap().to_string(), "0.65");
    }

    #[test]
    fn problems_name_the_path_and_what_is_wrong() {
        let mut p = tianjin();
        p["basic"]["benefits"][0]["ratioo"] = serde_json::json!("1");
        let (path, message) = shape_problem(&p);
        assert_eq!(path, "basic.benefits[0]");
        assert!(message.contains("未知字段“ratioo”") && message.contains("unknown field"), "{message}");

        let mut p = tianjin();
        p["basic"]["benefits"][0].as_object_mut().unwrap().remove("deductible_rule");
        let (path, message) = shape_problem(&p);
        assert_eq!(path, "basic.benefits[0]");
        assert!(message.contains("缺少字段“deductible_rule”"), "{message}");

        let mut p = tianjin();
        p["documents"][0]["title"] = serde_json::json!(7);
        let (path, message) = shape_problem(&p);
        assert_eq!(path, "documents[0].title");
        assert!(message.contains("expected a string"), "{message}");

        let mut p = tianjin();
        p["identities"] = serde_json::json!(["no_such_identity"]);
        let (path, message) = shape_problem(&p);
        assert_eq!(path, "identities[0]");
        assert!(message.contains("unknown value"), "{message}");

        let mut p = tianjin();
        p["basic"]["benefits"][0]["kinds"] = serde_json::json!("inpatient");
        assert_eq!(shape_problem(&p).0, "basic.benefits[0].kinds");
    }

    #[test]
    fn a_repeated_field_is_refused() {
        // serde_json keeps the last of two equal keys, so build the value by hand.
        let Value::Object(mut members) = serde_json::from_value::<Value>(tianjin()).unwrap() else { panic!() };
        members.push(("year".into(), Value::Integer(2024)));
        match from_value(&Value::Object(members)) {
            Err(PolicyError::Shape(problems)) => {
                assert_eq!(problems[0].path, "(root)");
                assert!(problems[0].message.contains("字段“year”重复"), "{}", problems[0].message);
            }
            other => panic!("expected a repeated field, got {:?}", other.map(|p| p.id)),
        }
    }

    #[test]
    fn every_problem_of_shape_is_reported_in_reading_order() {
        let mut p = tianjin();
        p["title"] = serde_json::json!(false);
        p["documents"][0]["issuer"] = serde_json::json!(null);
        let paths: Vec<String> = shape_problems(&p).into_iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["title", "documents[0].issuer"]);
        // A missing level does not hide a missing pool.
        let mut p = tianjin();
        p["basic"]["benefits"][0]["deductible"].as_object_mut().unwrap().remove("level1");
        p["basic"]["benefits"][0].as_object_mut().unwrap().remove("deductible_pool");
        p["basic"]["benefits"][1]["ratio"] = serde_json::json!("65%");
        let found = shape_problems(&p);
        assert!(found.iter().any(|(path, m)| path == "basic.benefits[0]" && m.contains("deductible_pool")), "{found:?}");
        assert!(found.iter().any(|(path, _)| path == "basic.benefits[1].ratio"), "{found:?}");
    }

    #[test]
    fn a_format_1_file_gets_one_clear_message() {
        let mut p = tianjin();
        p["format_version"] = serde_json::json!(1);
        match from_value(&serde_json::from_value(p).unwrap()) {
            Err(PolicyError::Parse { path, message }) => {
                assert_eq!(path, "format_version");
                assert!(message.contains("第 1 版") && message.contains("迁移"), "{message}");
            }
            other => panic!("expected the format message, got {:?}", other.map(|p| p.id)),
        }
    }
}
