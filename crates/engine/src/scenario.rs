//! What a resident enters: identities, tier, and the year's visits in order.

use crate::dec::Dec;
use crate::ids::{Identity, Place, Scheme, VisitKind};
use crate::policy::Policy;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use crate::json::Value;
use std::fmt;

/// Bounds that keep a scenario sane (and arithmetic far from overflow).
pub const MAX_VISITS: usize = 400;
/// The largest amount of one visit: 100 million yuan.
pub const MAX_VISIT_AMOUNT: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "default_scheme")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub scheme: Scheme,
    /// 缴费档次; the policy's default tier when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution_tier: Option<String>,
    /// 参保身份 held; none means an ordinary resident.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub identities: Vec<Identity>,
    /// 人群 (a group of the policy's `populations`); the policy's default when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// The year's visits, in the order they happen.
    pub visits: Vec<Visit>,
}

pub(crate) fn default_scheme() -> Scheme {
    Scheme::Resident
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub kind: VisitKind,
    /// 医疗机构类别: one of the policy's facility classes (by default the 医院等级
    /// `grassroots`, `level1`, `level2`, `level3`).
    pub level: String,
    /// 医疗总费用.
    #[cfg_attr(feature = "ts", ts(type = "DecimalInput"))]
    pub total: Dec,
    /// 政策范围内费用, at most `total`.
    #[cfg_attr(feature = "ts", ts(type = "DecimalInput"))]
    pub in_scope: Dec,
    /// 乙类先行自付 / 部分政策自付: the part of `in_scope` the resident pays first (on the
    /// 结算单); 0 when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "DecimalInput"))]
    pub partial_self_pay: Option<Dec>,
    /// What basic insurance already paid, from the 结算单: the later layers are computed from
    /// it and basic insurance is not recomputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "DecimalInput"))]
    pub basic_paid: Option<Dec>,
    /// What 大病保险 already paid, from the same 结算单 (it requires `basic_paid`): the layer
    /// is not recomputed for this visit, and its burden still counts toward the year's
    /// cumulative base of later visits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "DecimalInput"))]
    pub critical_illness_paid: Option<Dec>,
    /// 规范转诊 and treated inside the region.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub referred: bool,
    /// 就医地; `local` when omitted.
    #[serde(default, skip_serializing_if = "Place::is_local")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub place: Place,
}

impl Visit {
    /// A visit at home with no partial self-pay and no known payout.
    pub fn new(kind: VisitKind, level: &str, total: Decimal, in_scope: Decimal) -> Visit {
        Visit { kind, level: level.to_string(), total: Dec(total), in_scope: Dec(in_scope), partial_self_pay: None, basic_paid: None, critical_illness_paid: None, referred: false, place: Place::Local }
    }

    /// 乙类先行自付, 0 when not given.
    pub fn partial(&self) -> Decimal {
        self.partial_self_pay.map_or(Decimal::ZERO, |d| d.0)
    }
}

/// A bad scenario: the field, what kind of problem it is, and what is wrong, in words.
/// Callers decide by `kind` and `field`, never by the words of `message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// JSON path of the field, e.g. `visits[1].in_scope`; `(root)` for the whole input.
    pub field: String,
    pub kind: ScenarioErrorKind,
    /// What is wrong, in Chinese with a short English gloss.
    pub message: String,
}

/// What kind of problem a scenario has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ScenarioErrorKind {
    /// The text is not JSON; the message gives the line and column.
    NotJson,
    /// A field is missing, unknown, repeated, or of the wrong type or value.
    Shape,
    /// An amount is not a number of yuan, is negative, above 100 million, or finer than a fen.
    Amount,
    /// 政策范围内费用 is above 医疗总费用.
    InScopeAboveTotal,
    /// The policy has no such 缴费档次.
    UnknownTier,
    /// The same identity is listed twice.
    DuplicateIdentity,
    /// No visit, or more than the engine takes.
    VisitCount,
    /// The policy is for another scheme.
    WrongScheme,
    /// A line of a batch is not text in the chosen encoding.
    Encoding,
    /// The policy has no such 人群.
    UnknownPopulation,
    /// The policy has no such 医疗机构类别.
    UnknownFacility,
    /// 乙类先行自付, or a payout from a 结算单 (basic, 大病), is above what 政策范围内费用 leaves for it.
    AboveInScope,
    /// An argument of the call other than the scenario (e.g. a curve's points, or a bill too
    /// large to double for a curve).
    Argument,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    pub fn new(field: impl Into<String>, kind: ScenarioErrorKind, message: impl Into<String>) -> Self {
        ScenarioError { field: field.into(), kind, message: message.into() }
    }
}

/// Reads a scenario from any serde deserializer, naming the field of the first problem.
/// The deserializer only builds a JSON value; the scenario is read from it as a policy is.
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Scenario, ScenarioError> {
    let value = Value::deserialize(deserializer).map_err(|e| ScenarioError::new("(root)", ScenarioErrorKind::Shape, crate::json::shorten(&e.to_string())))?;
    from_value(&value)
}

/// Reads a scenario from JSON text (the command line, files), naming the field of the first
/// problem; a text that is not JSON is named by line and column.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    // The plain common case in one pass; anything else, good or bad, the general way.
    if let Some(s) = crate::scenario_text::scenario(text) {
        return Ok(s);
    }
    let value = crate::json::parse(text).map_err(|e| ScenarioError::new("(root)", ScenarioErrorKind::NotJson, e.to_string()))?;
    from_value(&value)
}

/// Reads a scenario from a JSON value, naming the field of the first problem.
pub fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
    crate::policy::read::scenario(value).map_err(|(p, amount)| {
        ScenarioError::new(p.path, if amount { ScenarioErrorKind::Amount } else { ScenarioErrorKind::Shape }, p.message)
    })
}

/// A visit's amounts as `check` reads them: the field, and its name in messages.
const AMOUNTS: [(&str, &str); 5] = [
    ("total", "医疗总费用"),
    ("in_scope", "政策范围内费用"),
    ("partial_self_pay", "乙类先行自付"),
    ("basic_paid", "基本医保已支付"),
    ("critical_illness_paid", "大病保险已支付"),
];

impl Scenario {
    /// Checks the scenario against itself and the policy; returns the tier and the
    /// population group to use.
    pub fn check<'p>(&self, policy: &'p Policy) -> Result<(&'p str, &'p str), ScenarioError> {
        if self.scheme != policy.scheme {
            return Err(ScenarioError::new("scheme", ScenarioErrorKind::WrongScheme, format!(zh_en!("本政策只适用于{}", "wrong scheme"), policy.scheme.name_zh())));
        }
        let tier = match &self.contribution_tier {
            None => policy.default_tier.as_str(),
            Some(t) => match policy.tier(t) {
                Some(tier) => tier.id.as_str(),
                None => {
                    let known: Vec<&str> = policy.tiers.iter().map(|t| t.id.as_str()).collect();
                    return Err(ScenarioError::new("contribution_tier", ScenarioErrorKind::UnknownTier, format!(zh_en!("本政策没有缴费档次“{}”，可选: {}", "unknown tier"), t, known.join(", "))));
                }
            },
        };
        let population = match &self.population {
            None => policy.population(None),
            Some(p) => match policy.populations.iter().find(|g| g.id == *p) {
                Some(g) => g.id.as_str(),
                None => {
                    let known: Vec<&str> = policy.populations.iter().map(|g| g.id.as_str()).collect();
                    let known = if known.is_empty() { "（本政策不分人群）".to_string() } else { known.join(", ") };
                    return Err(ScenarioError::new("population", ScenarioErrorKind::UnknownPopulation, format!(zh_en!("本政策没有人群“{}”，可选: {}", "unknown population"), crate::json::shorten(p), known)));
                }
            },
        };
        for (i, id) in self.identities.iter().enumerate() {
            if self.identities[..i].contains(id) {
                return Err(ScenarioError::new(format!("identities[{i}]"), ScenarioErrorKind::DuplicateIdentity, format!(zh_en!("身份“{}”重复", "listed twice"), id.name_zh())));
            }
        }
        if self.visits.is_empty() {
            return Err(ScenarioError::new("visits", ScenarioErrorKind::VisitCount, zh_en!("请至少填写一次就诊", "at least one visit")));
        }
        if self.visits.len() > MAX_VISITS {
            return Err(ScenarioError::new("visits", ScenarioErrorKind::VisitCount, format!(zh_en!("就诊次数过多，最多 {} 次", "too many visits"), MAX_VISITS)));
        }
        for (i, v) in self.visits.iter().enumerate() {
            if !policy.facilities().iter().any(|(id, _)| *id == v.level) {
                let known: Vec<&str> = policy.facilities().iter().map(|(id, _)| *id).collect();
                return Err(ScenarioError::new(format!("visits[{i}].level"), ScenarioErrorKind::UnknownFacility, format!(zh_en!("本政策没有医疗机构类别“{}”，可选: {}", "unknown facility class"), crate::json::shorten(&v.level), known.join(", "))));
            }
            let paid = v.basic_paid.map_or(Decimal::ZERO, |d| d.0);
            let ci_paid = v.critical_illness_paid.map_or(Decimal::ZERO, |d| d.0);
            let amounts = [v.total.0, v.in_scope.0, v.partial(), paid, ci_paid];
            for (k, (name, zh)) in AMOUNTS.iter().enumerate() {
                let amount = amounts[k];
                let field = format!("visits[{i}].{name}");
                if amount.is_sign_negative() && !amount.is_zero() {
                    return Err(ScenarioError::new(field, ScenarioErrorKind::Amount, format!(zh_en!("{}不能为负数", "must not be negative"), zh)));
                }
                if amount > MAX_VISIT_AMOUNT {
                    return Err(ScenarioError::new(field, ScenarioErrorKind::Amount, format!(zh_en!("{}超过 1 亿元，请核对", "above 100,000,000"), zh)));
                }
                if amount.normalize().scale() > 2 {
                    return Err(ScenarioError::new(field, ScenarioErrorKind::Amount, format!(zh_en!("{}最多精确到分（两位小数）", "at most two decimals"), zh)));
                }
            }
            if v.in_scope.0 > v.total.0 {
                return Err(ScenarioError::new(
                    format!("visits[{i}].in_scope"),
                    ScenarioErrorKind::InScopeAboveTotal,
                    zh_en!("政策范围内费用不能大于医疗总费用：政策范围内费用是总费用中医保目录覆盖的部分", "in_scope must not exceed total"),
                ));
            }
            if v.partial() > v.in_scope.0 {
                return Err(ScenarioError::new(format!("visits[{i}].partial_self_pay"), ScenarioErrorKind::AboveInScope, zh_en!("乙类先行自付是政策范围内费用的一部分，不能大于政策范围内费用", "partial_self_pay must not exceed in_scope")));
            }
            if paid > v.in_scope.0 - v.partial() {
                return Err(ScenarioError::new(format!("visits[{i}].basic_paid"), ScenarioErrorKind::AboveInScope, zh_en!("基本医保已支付的金额不能大于政策范围内费用减去乙类先行自付", "basic_paid must not exceed in_scope − partial_self_pay")));
            }
            if v.critical_illness_paid.is_some() {
                let field = format!("visits[{i}].critical_illness_paid");
                // One 结算单 states both payouts: 大病 alone would leave basic insurance to be
                // recomputed under a 大病 payout settled after the real basic one.
                if v.basic_paid.is_none() {
                    return Err(ScenarioError::new(field, ScenarioErrorKind::Shape, zh_en!("须同时填写同一张结算单的基本医保已支付（统筹基金支付）", "critical_illness_paid requires basic_paid")));
                }
                if ci_paid > v.in_scope.0 - v.partial() - paid {
                    return Err(ScenarioError::new(field, ScenarioErrorKind::AboveInScope, zh_en!("大病保险已支付的金额不能大于政策范围内费用减去乙类先行自付和基本医保已支付", "critical_illness_paid must not exceed in_scope − partial_self_pay − basic_paid")));
                }
            }
        }
        Ok((tier, population))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(text: &str) -> (String, ScenarioErrorKind) {
        let policy = crate::policy::parse(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/tianjin-2023.json")).unwrap()).unwrap();
        let e = parse(text).and_then(|s| s.check(&policy).map(|_| ())).unwrap_err();
        (e.field, e.kind)
    }

    /// The one-pass reader gives what the general reader gives, or gives up.
    #[test]
    fn the_one_pass_reader_agrees_with_the_general_one() {
        let general = |text: &str| crate::json::parse(text).map_err(|_| ()).and_then(|v| from_value(&v).map_err(|_| ()));
        let base = [
            r#"{"identities":["subsistence_allowance","low_income_margin"],"visits":[{"kind":"inpatient","level":"level3","total":"100000.5","in_scope":"90000"},{"kind":"outpatient","level":"grassroots","total":"300","in_scope":"300","referred":true}]}"#,
            "\u{feff} { \"scheme\" : \"resident\", \"contribution_tier\": \"low\", \"visits\": [ {\"referred\": false, \"in_scope\": \" 12.5 \", \"total\": \"13\", \"level\": \"level1\", \"kind\": \"chronic_outpatient\"} ] }\n",
            r#"{"visits":[{"kind":"inpatient","level":"level2","total":"50%","in_scope":"0"}]}"#,
        ];
        let mut tried = 0;
        let mut agreed = 0;
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for text in base {
            let bytes = text.as_bytes();
            // Every cut, and many one-byte changes, of each text.
            let mut texts: Vec<Vec<u8>> = (0..=bytes.len()).map(|n| bytes[..n].to_vec()).collect();
            for _ in 0..3000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let mut t = bytes.to_vec();
                let at = (x as usize) % t.len();
                const BYTES: &[u8] = b"{}[]\",: 0179.%-eatrunlx\\";
                let b = BYTES[(x >> 32) as usize % BYTES.len()];
                match (x >> 40) % 3 {
                    0 => t[at] = b,
                    1 => t.insert(at, b),
                    _ => {
                        t.remove(at);
                    }
                }
                texts.push(t);
            }
            for t in texts {
                let Ok(text) = std::str::from_utf8(&t) else { continue };
                tried += 1;
                if let Some(fast) = crate::scenario_text::scenario(text) {
                    agreed += 1;
                    let slow = general(text).unwrap_or_else(|_| panic!("the one-pass reader took what the general one refuses: {text}"));
                    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
                }
            }
        }
        assert!(agreed > 100 && tried > agreed, "{agreed} of {tried}");
    }

    #[test]
    fn every_error_says_what_kind_it_is() {
        use ScenarioErrorKind::*;
        let visit = |total: &str, in_scope: &str| format!(r#"{{"visits":[{{"kind":"inpatient","level":"level2","total":{total},"in_scope":{in_scope}}}]}}"#);
        assert_eq!(kind_of("{"), ("(root)".into(), NotJson));
        assert_eq!(kind_of(r#"{"visits":[],"x":1}"#), ("x".into(), Shape));
        assert_eq!(kind_of(r#"{"visits":[{"kind":"ward","level":"level2","total":"1","in_scope":"1"}]}"#), ("visits[0].kind".into(), Shape));
        assert_eq!(kind_of(&visit(r#""50%""#, r#""0""#)), ("visits[0].total".into(), Amount));
        assert_eq!(kind_of(&visit(r#""abc""#, r#""0""#)), ("visits[0].total".into(), Amount));
        assert_eq!(kind_of(&visit(r#""-1""#, r#""0""#)), ("visits[0].total".into(), Amount));
        assert_eq!(kind_of(&visit(r#""1.005""#, r#""0""#)), ("visits[0].total".into(), Amount));
        assert_eq!(kind_of(&visit(r#""100""#, r#""200""#)), ("visits[0].in_scope".into(), InScopeAboveTotal));
        assert_eq!(kind_of(r#"{"contribution_tier":"gold","visits":[]}"#), ("contribution_tier".into(), UnknownTier));
        assert_eq!(kind_of(r#"{"identities":["orphan","orphan"],"visits":[]}"#), ("identities[1]".into(), DuplicateIdentity));
        assert_eq!(kind_of(r#"{"visits":[]}"#), ("visits".into(), VisitCount));
        let slip = |paid: &str| format!(r#"{{"visits":[{{"kind":"inpatient","level":"level2","total":"100","in_scope":"90",{paid}"critical_illness_paid":"30"}}]}}"#);
        assert_eq!(kind_of(&slip("")), ("visits[0].critical_illness_paid".into(), Shape));
        assert_eq!(kind_of(&slip(r#""basic_paid":"61","#)), ("visits[0].critical_illness_paid".into(), AboveInScope));
    }
}
