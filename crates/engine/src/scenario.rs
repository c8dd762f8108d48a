//! What a resident enters: identities, tier, and the year's visits in order.

use crate::dec::Dec;
use crate::ids::{HospitalLevel, Identity, Scheme, VisitKind};
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
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "default_scheme")]
    pub scheme: Scheme,
    /// 缴费档次; the policy's default tier when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution_tier: Option<String>,
    /// 参保身份 held; none means an ordinary resident.
    #[serde(default)]
    pub identities: Vec<Identity>,
    /// The year's visits, in the order they happen.
    pub visits: Vec<Visit>,
}

pub(crate) fn default_scheme() -> Scheme {
    Scheme::Resident
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub kind: VisitKind,
    pub level: HospitalLevel,
    /// 医疗总费用.
    pub total: Dec,
    /// 政策范围内费用, at most `total`.
    pub in_scope: Dec,
    /// 规范转诊 and treated inside the region.
    #[serde(default)]
    pub referred: bool,
}

/// A bad scenario: the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// JSON path of the field, e.g. `visits[1].in_scope`.
    pub field: String,
    /// What is wrong, in Chinese with a short English gloss.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError { field: field.into(), message: message.into() }
    }
}

/// Reads a scenario from any serde deserializer, naming the field of the first problem.
/// The deserializer only builds a JSON value; the scenario is read from it as a policy is.
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Scenario, ScenarioError> {
    let value = Value::deserialize(deserializer).map_err(|e| ScenarioError::new("(root)", crate::json::shorten(&e.to_string())))?;
    from_value(&value)
}

/// Reads a scenario from JSON text (the command line, files), naming the field of the first
/// problem; a text that is not JSON is named by line and column.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let value = crate::json::parse(text).map_err(|e| ScenarioError::new("(root)", e.to_string()))?;
    from_value(&value)
}

/// Reads a scenario from a JSON value, naming the field of the first problem.
pub fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
    crate::policy::read::scenario(value).map_err(|p| ScenarioError::new(p.path, p.message))
}

impl Scenario {
    /// Checks the scenario against itself and the policy; returns the tier to use.
    pub fn check<'p>(&self, policy: &'p Policy) -> Result<&'p str, ScenarioError> {
        if self.scheme != policy.scheme {
            return Err(ScenarioError::new("scheme", format!("本政策只适用于{} (this policy is for scheme '{}')", policy.scheme.name_zh(), policy.scheme.id())));
        }
        let tier = match &self.contribution_tier {
            None => policy.default_tier.as_str(),
            Some(t) => match policy.tier(t) {
                Some(tier) => tier.id.as_str(),
                None => {
                    let known: Vec<&str> = policy.tiers.iter().map(|t| t.id.as_str()).collect();
                    return Err(ScenarioError::new("contribution_tier", format!("本政策没有缴费档次“{t}”，可选: {} (unknown tier)", known.join(", "))));
                }
            },
        };
        for (i, id) in self.identities.iter().enumerate() {
            if self.identities[..i].contains(id) {
                return Err(ScenarioError::new(format!("identities[{i}]"), format!("身份“{}”重复 (listed twice)", id.name_zh())));
            }
        }
        if self.visits.is_empty() {
            return Err(ScenarioError::new("visits", "请至少填写一次就诊 (at least one visit)"));
        }
        if self.visits.len() > MAX_VISITS {
            return Err(ScenarioError::new("visits", format!("就诊次数过多，最多 {MAX_VISITS} 次 (at most {MAX_VISITS} visits)")));
        }
        for (i, v) in self.visits.iter().enumerate() {
            for (name, zh, amount) in [("total", "医疗总费用", v.total.0), ("in_scope", "政策范围内费用", v.in_scope.0)] {
                let field = format!("visits[{i}].{name}");
                if amount.is_sign_negative() && !amount.is_zero() {
                    return Err(ScenarioError::new(field, format!("{zh}不能为负数 (must not be negative)")));
                }
                if amount > MAX_VISIT_AMOUNT {
                    return Err(ScenarioError::new(field, format!("{zh}超过 1 亿元，请核对 (above 100,000,000)")));
                }
                if amount.normalize().scale() > 2 {
                    return Err(ScenarioError::new(field, format!("{zh}最多精确到分（两位小数） (at most two decimals)")));
                }
            }
            if v.in_scope.0 > v.total.0 {
                return Err(ScenarioError::new(
                    format!("visits[{i}].in_scope"),
                    "政策范围内费用不能大于医疗总费用：政策范围内费用是总费用中医保目录覆盖的部分 (in_scope must not exceed total)",
                ));
            }
        }
        Ok(tier)
    }
}
