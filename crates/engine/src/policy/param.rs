//! Parameters and their provenance: every figure of a policy says where it comes from.

use crate::dec::Dec;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How far a figure can be trusted (domain.md section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A seed document says it.
    Stated,
    /// Found in public material (graded in the document entry).
    Published,
    /// Computed from a stated rule and a published statistic.
    Derived,
    /// No source found: a placeholder, shown to residents as 参考值.
    Assumed,
}

impl Status {
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Stated => "文件明确规定",
            Status::Published => "公开资料",
            Status::Derived => "按规定推算",
            Status::Assumed => "参考值（未经核实）",
        }
    }

    /// The weaker of two statuses: a derived figure is only as good as its inputs.
    pub fn weakest(self, other: Status) -> Status {
        self.max(other)
    }
}

/// Where a figure comes from: a document listed in the policy's `documents`, and the clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The `id` of an entry in the policy's `documents`.
    pub document: String,
    /// The clause, table row or passage, e.g. `二(二)4`.
    pub clause: String,
}

/// A figure computed from a statistic: `statistic × factor`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// The key of an entry in the policy's `statistics`.
    pub statistic: String,
    /// The multiplier, e.g. `"50%"`.
    #[cfg_attr(feature = "ts", ts(type = "DecimalInput"))]
    pub factor: Dec,
}

/// A number of the policy (an amount in yuan, or a ratio as a fraction or `"65%"`).
/// Exactly one of `value` and `derived`. `source` is required unless the status is
/// `assumed`, which requires a `note` saying why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Param {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "DecimalInput | null"))]
    pub value: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derivation>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Filled by validation: the value, derived ones computed.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub resolved: Decimal,
    /// Filled by validation: the status after taking the statistic's into account.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub effective_status: Option<Status>,
    /// Filled by validation: the entry in the policy's provenance table.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub id: super::ParamId,
}

impl Param {
    /// The value, after validation.
    pub fn get(&self) -> Decimal {
        self.resolved
    }

    pub fn status(&self) -> Status {
        self.effective_status.unwrap_or(self.status)
    }

    /// A literal parameter (used by tests and tools).
    pub fn literal(value: Decimal, status: Status, source: Option<Source>) -> Param {
        Param {
            value: Some(Dec(value)),
            derived: None,
            status,
            source,
            note: None,
            resolved: value,
            effective_status: Some(status),
            id: super::ParamId::default(),
        }
    }
}

/// A choice of rule or shape (which visit kinds count, whether referral is needed …) with
/// its provenance, so that assumed interpretations are as visible as assumed numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    pub value: T,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Filled by validation: the entry in the policy's provenance table.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub id: super::ParamId,
}
