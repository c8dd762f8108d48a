//! The policy format: one JSON file per region and year (see docs/policy-format.md).
//!
//! A policy is data: the engine knows the *shapes* of rules (deductible once a year,
//! segments on cumulative burden, shared caps …); the file chooses shapes and numbers.

mod map;
mod param;
mod provenance;
pub(crate) mod read;
mod table;
mod validate;
mod walk;

pub use map::Map;
pub use param::{Derivation, Param, Source, Status, Sourced};
pub use validate::{check_value, from_value, load, parse, read, read_trusted, read_value, resolve, validate, PolicyError, Problem, MAX_POLICY_AMOUNT};
pub use provenance::Entry;
pub use table::{admission_matches, Dimension, Row, Situation, Table, ORDINARY};
pub use walk::{Decl, ParamId, ParamKind};

use crate::ids::{HospitalLevel, Identity, Layer, Scheme, VisitKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The version of the policy format this engine reads.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Must equal the engine's `FORMAT_VERSION`.
    pub format_version: u32,
    /// Stable id, e.g. `tianjin-2023`.
    pub id: String,
    /// 地区, e.g. `天津市`.
    pub region: String,
    /// The policy year.
    pub year: u16,
    /// The title residents see, e.g. `天津市 2023 年城乡居民医保`.
    pub title: String,
    pub scheme: Scheme,
    /// The date (YYYY-MM-DD) the figures were last checked against their documents.
    pub checked_on: String,
    /// A short note to readers about what this file covers and what it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The documents that figures cite by `id`.
    pub documents: Vec<Document>,
    /// Named statistics (per-capita income …) that derived parameters use.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<std::collections::BTreeMap<String, Statistic>>", optional))]
    pub statistics: Map<String, Statistic>,
    /// 缴费档次. A policy without tiers lists one.
    pub tiers: Vec<Tier>,
    /// The tier used when a scenario names none.
    pub default_tier: String,
    /// 人群 the policy treats differently (成年居民, 学生儿童 …); none means one group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub populations: Vec<Tier>,
    /// The group used when a scenario names none; required when `populations` is not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_population: Option<String>,
    /// 医疗机构类别 (乡镇卫生院, 县级 …); none means the four 医院等级
    /// (`grassroots`, `level1`, `level2`, `level3`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub facility_classes: Vec<Tier>,
    /// The identities this policy gives distinct treatment, in order of precedence for ties.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub identities: Vec<Identity>,
    /// Layers the documents do not define, with the reason (never shown as a plain 0).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<std::collections::BTreeMap<Layer, String>>", optional))]
    pub not_covered: Map<Layer, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<Basic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_illness: Option<CriticalIllness>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistance: Option<Assistance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tilted_assistance: Option<TiltedAssistance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<Monitoring>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<Contribution>,
    /// What to do after the number: how the money is paid (一站式结算 at discharge) or where to
    /// apply, each from its document. Only real clauses: a region without one has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub next_steps: Vec<NextStep>,
    /// Every figure's path, label, status and source, one entry each (`provenance.rs`):
    /// built when the policy is read, not part of the file.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub provenance: Vec<Entry>,
    /// The dimensions the policy's tables are keyed by (bit `1 << Dimension as u8`), noted when
    /// the file is read: the page asks only for what the policy uses.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub dimensions: u8,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// Not `Document` in TypeScript, where that is the DOM's.
#[cfg_attr(feature = "ts", ts(rename = "PolicyDocument"))]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub issuer: String,
    /// Date of issue, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD).
    pub date: String,
    /// 文号, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The seed file name, for the project's seed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Grade of published material (A, A−, B, C) as in policy-research.md.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Statistic {
    /// What it is, e.g. `2022 年天津市居民人均可支配收入`.
    pub label: String,
    pub value: Param,
    /// What the figure stands for in the norms that `yibao lint` checks; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StatisticRole>,
}

/// The meaning of a statistic for the higher-level norms (docs/policy-format.md, “统计数字的用途”).
/// At most one statistic of a policy has each role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StatisticRole {
    /// 上年度（城乡）居民人均可支配收入 of the region: the income the critical illness norms
    /// refer to (threshold at most this income, basic + critical illness cap about 6 × it).
    DisposableIncome,
    /// 上年度农村常住居民人均可支配收入: the income of the 因病致贫/返贫 monitoring lines.
    RuralDisposableIncome,
}

impl StatisticRole {
    pub const ALL: &'static [StatisticRole] = &[StatisticRole::DisposableIncome, StatisticRole::RuralDisposableIncome];

    /// The id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            StatisticRole::DisposableIncome => "disposable_income",
            StatisticRole::RuralDisposableIncome => "rural_disposable_income",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            StatisticRole::DisposableIncome => "上年度居民人均可支配收入",
            StatisticRole::RuralDisposableIncome => "上年度农村常住居民人均可支配收入",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    /// e.g. `高档`.
    pub name: String,
}

/// What a table may depend on: a yearly figure only on the resident (tier, population,
/// identity); a rule's tables only on the visit kinds and identities it is for (`None`: every
/// identity of the policy, and `ordinary`).
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub yearly: bool,
    pub kinds: &'a [VisitKind],
    pub identities: Option<&'a [Identity]>,
}

/// A cap: an amount (a table), or `{"value": "none", …}` where the documents state there is
/// none (不设封顶线). A cap left out of the file is one the documents do not state: the
/// engine computes without one and says so.
#[derive(Clone, Debug, PartialEq)]
pub enum Cap {
    Limit(Table),
    NoCap(Sourced<String>),
}

impl Cap {
    pub fn limit(&self) -> Option<&Table> {
        match self {
            Cap::Limit(t) => Some(t),
            Cap::NoCap(_) => None,
        }
    }
}

impl Serialize for Cap {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self {
            Cap::Limit(t) => t.serialize(ser),
            Cap::NoCap(s) => s.serialize(ser),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Cap {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cap".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let table = generator.subschema_for::<Table>();
        let none = generator.subschema_for::<Sourced<String>>();
        schemars::json_schema!({
            "description": "封顶线：一个金额（可按维度区分），或文件明确不设封顶时 {\"value\": \"none\", …}；文件未说明时省略。",
            "anyOf": [table, none]
        })
    }
}

/// A yearly cap shared by the rules that name it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CapPool {
    /// e.g. `住院和门诊慢特病共用年度最高支付限额`.
    pub label: String,
    /// The yearly cap; left out when the documents do not state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Cap"))]
    pub amount: Option<Cap>,
}

// ---------------------------------------------------------------- basic insurance

/// 基本医保: benefits by visit kind, caps that benefits may share.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Basic {
    pub benefits: Vec<Benefit>,
    /// Yearly caps by pool id.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<std::collections::BTreeMap<String, CapPool>>", optional))]
    pub caps: Map<String, CapPool>,
    /// Visit kinds the documents give no basic-insurance rule for, with the reason.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<std::collections::BTreeMap<VisitKind, String>>", optional))]
    pub not_covered: Map<VisitKind, String>,
}

/// How the deductible (起付线) is charged over a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeductibleRule {
    /// Charged in full at every visit (每次住院).
    PerVisit,
    /// Charged at the first visit of the pool in a year only; none from the second.
    FirstVisitInYear,
    /// One yearly amount, consumed across the pool's visits until used up (年度起付线).
    YearlyAmount,
}

impl DeductibleRule {
    /// What the rule means, for readers.
    pub fn name_zh(self) -> &'static str {
        match self {
            DeductibleRule::PerVisit => "每次就诊都扣",
            DeductibleRule::FirstVisitInYear => "一年内只在首次扣",
            DeductibleRule::YearlyAmount => "年度累计扣满为止",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    /// e.g. `住院`, `普通门诊统筹`.
    pub name: String,
    pub kinds: Vec<VisitKind>,
    /// 起付线, e.g. by facility class or by admission of the year.
    #[cfg_attr(feature = "ts", ts(type = "Table"))]
    pub deductible: Table,
    pub deductible_rule: Sourced<DeductibleRule>,
    /// Benefits naming the same pool share one deductible (e.g. inpatient and 门特), and one
    /// count of the year's cost for `segments` and `eligible_ceiling`.
    pub deductible_pool: String,
    /// A yearly ceiling on the sum of deductibles charged in the pool (起付线累计不超过).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub deductible_ceiling: Option<Table>,
    /// 报销比例, e.g. by tier, then by facility class. Exactly one of `ratio` and `segments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub ratio: Option<Table>,
    /// Or ratios in bands of the year's cumulative in-scope cost of the pool (分段报销).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub segments: Vec<Segment>,
    /// What the bands' bounds are measured on; `cumulative_burden` (the year's in-scope cost)
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_basis: Option<Sourced<SegmentBasis>>,
    /// 政策范围内费用封顶: basic insurance pays nothing on the pool's in-scope cost of the
    /// year above this; that cost goes in full to the later layers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub eligible_ceiling: Option<Table>,
    /// Whether 乙类先行自付 (a visit's `partial_self_pay`) is in this layer's base; no when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_self_pay_in_base: Option<Sourced<bool>>,
    /// Extra percentage points for some identities (e.g. +5 points for 特困).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub ratio_bonus: Vec<RatioBonus>,
    /// The id of a cap in `basic.caps`; none means no yearly cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_pool: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RatioBonus {
    pub identities: Vec<Identity>,
    /// Added to the ratio, e.g. `"5%"`; the sum is limited to 100%.
    pub points: Param,
}

// ---------------------------------------------------------------- critical illness

/// What segment bounds are measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SegmentBasis {
    /// "起付线至10万元(含)": bounds are amounts of the cumulative in-scope burden.
    CumulativeBurden,
    /// Bounds are amounts of the burden above the threshold.
    ExcessOverThreshold,
    /// 医疗救助 only: bounds are amounts of one visit's base after thresholds
    /// (单次…1万元以内50%，1万元以上70%); the bands start again at each visit, and their
    /// ratios may differ by the visit (e.g. by facility).
    Admission,
}

/// 大病保险.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CriticalIllness {
    /// Visit kinds whose in-scope burden after basic insurance counts.
    pub base_kinds: Sourced<Vec<VisitKind>>,
    /// Yearly threshold (起付线); by the resident's dimensions only.
    #[cfg_attr(feature = "ts", ts(type = "Table"))]
    pub threshold: Table,
    /// What segment bounds are measured on. Required when it matters: with more than one
    /// segment or a bounded last one; `cumulative_burden` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_basis: Option<Sourced<SegmentBasis>>,
    /// In rising order; the last may have no upper bound.
    pub segments: Vec<Segment>,
    /// Yearly cap; left out when the documents do not state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Cap"))]
    pub cap: Option<Cap>,
    /// Whether 乙类先行自付 is in this layer's base; no when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_self_pay_in_base: Option<Sourced<bool>>,
    /// What happens to burden above a bounded last segment (e.g. `不支付`), with provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above_last_segment: Option<Sourced<String>>,
    /// 倾斜支付 for poor groups.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub tilts: Vec<CriticalIllnessTilt>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Upper bound of the segment (inclusive); `null` for an open last segment.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub up_to: Option<Param>,
    #[cfg_attr(feature = "ts", ts(type = "Table"))]
    pub ratio: Table,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CriticalIllnessTilt {
    pub identities: Vec<Identity>,
    /// An own threshold, replacing the ordinary one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Param>,
    /// Or the ordinary threshold times this factor (e.g. `"50%"` for 降低50%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_factor: Option<Param>,
    /// Points added to every segment's ratio (e.g. `"5%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio_points: Option<Param>,
    /// Whether the yearly cap is removed (取消封顶线).
    pub cap_removed: Sourced<bool>,
    /// Whether the last segment's upper bound is dropped too. Only meaningful when the last
    /// segment is bounded; absent means no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_segment_unbounded: Option<Sourced<bool>>,
}

impl SegmentBasis {
    /// What the basis means, for readers.
    pub fn name_zh(self) -> &'static str {
        match self {
            SegmentBasis::CumulativeBurden => "分段按年度累计个人负担计",
            SegmentBasis::ExcessOverThreshold => "分段按超过起付线的部分计",
            SegmentBasis::Admission => "分段按每次就诊计",
        }
    }
}

impl CriticalIllness {
    pub fn basis(&self) -> SegmentBasis {
        self.segment_basis.as_ref().map_or(SegmentBasis::CumulativeBurden, |b| b.value)
    }

    /// Whether the rule's shape depends on what segment bounds are measured on.
    pub fn basis_matters(&self) -> bool {
        self.segments.len() > 1 || self.segments.last().is_some_and(|s| s.up_to.is_some())
    }
}

impl CriticalIllnessTilt {
    pub fn extends_last_segment(&self) -> bool {
        self.last_segment_unbounded.as_ref().is_some_and(|s| s.value)
    }
}

// ---------------------------------------------------------------- medical assistance

/// 医疗救助, by category of identities.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Assistance {
    pub categories: Vec<AssistanceCategory>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AssistanceCategory {
    pub identities: Vec<Identity>,
    pub rules: Vec<AssistanceRule>,
    /// Yearly caps by pool id, shared by the rules that name them.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<std::collections::BTreeMap<String, CapPool>>", optional))]
    pub caps: Map<String, CapPool>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AssistanceRule {
    /// e.g. `住院救助`.
    pub name: String,
    pub kinds: Sourced<Vec<VisitKind>>,
    /// Yearly threshold on the burden left after insurance; `null` means none (不设起付线).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable, type = "Table"))]
    pub threshold: Option<Table>,
    /// A threshold for each visit (每次住院起付线), in addition to or instead of the yearly one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub admission_threshold: Option<Table>,
    /// 救助比例. Exactly one of `ratio` and `segments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub ratio: Option<Table>,
    /// Or ratios in bands of the year's cumulative burden of this rule (分段救助).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub segments: Vec<Segment>,
    /// What the bands' bounds are measured on; required with bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_basis: Option<Sourced<SegmentBasis>>,
    /// A cap for each visit (每次最高救助), in addition to yearly caps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub admission_cap: Option<Table>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_pool: Option<String>,
    /// Whether 乙类先行自付 is in this rule's base; no when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_self_pay_in_base: Option<Sourced<bool>>,
}

/// 倾斜救助 / 重特大疾病医疗救助: after the three layers, above a yearly threshold.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TiltedAssistance {
    /// e.g. `重特大疾病医疗救助`.
    pub name: String,
    pub identities: Vec<Identity>,
    pub kinds: Sourced<Vec<VisitKind>>,
    /// Only visits marked `referred` (规范转诊, treated inside the region) count.
    pub requires_referral: Sourced<bool>,
    /// Yearly threshold on the year's burden; may be keyed by the resident's dimensions
    /// (e.g. by identity). `null` or absent: none, and then `admission_threshold` is required.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable, type = "Table"))]
    pub threshold: Option<Table>,
    /// A threshold on each visit's burden (单次住院…个人自付超过 X 元的部分): only the part of
    /// a visit's burden above it counts towards the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Table"))]
    pub admission_threshold: Option<Table>,
    #[cfg_attr(feature = "ts", ts(type = "Table"))]
    pub ratio: Table,
    /// Yearly cap; left out when the documents do not state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Cap"))]
    pub cap: Option<Cap>,
    /// Whether 乙类先行自付 is in this layer's base; no when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_self_pay_in_base: Option<Sourced<bool>>,
}

// ---------------------------------------------------------------- alerts and contributions

/// 因病致贫/返贫 monitoring lines.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// The reference income (e.g. last year's rural per-capita disposable income).
    pub income: Param,
    pub lines: Vec<MonitoringLine>,
    /// Where to apply, e.g. `户籍所在地乡镇（街道）社会救助服务窗口`.
    pub where_to_apply: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MonitoringLine {
    /// e.g. `因病致贫监测`.
    pub name: String,
    pub factor: Param,
    /// Who the line is for; `null` means every resident.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub identities: Option<Vec<Identity>>,
}

/// One line on how the money is actually paid or applied for, with its source.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct NextStep {
    /// Who it is for (one of these identities held); `null` means every resident.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub identities: Option<Vec<Identity>>,
    /// What to do, in the document's words as far as possible.
    pub text: Sourced<String>,
}

/// 筹资: the yearly contribution and its subsidies.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// 个人缴费 by tier id.
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, Param>"))]
    pub individual: Map<String, Param>,
    /// 财政补助 per person per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub government_subsidy: Option<Param>,
    /// 资助参保 by identity: the share of the individual contribution paid for them.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub subsidised_enrolment: Vec<EnrolmentSubsidy>,
    /// Who pays the government subsidy, in variants (e.g. by area class).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub fiscal_split: Vec<FiscalSplit>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EnrolmentSubsidy {
    pub identities: Vec<Identity>,
    /// Share of the individual contribution paid by assistance (`"100%"` = 全额资助).
    pub share: Param,
    /// Whether the share is a minimum (不低于).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub at_least: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FiscalSplit {
    /// e.g. `一类地区`, `享受均衡性转移支付市县`.
    pub name: String,
    pub parts: Vec<FiscalPart>,
}

/// One payer's part: exactly one of `amount`, `share` (of the subsidy), `share_of_rest`
/// (of what the parts before it leave), or `rest: true` (whatever is left).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FiscalPart {
    pub payer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_of_rest: Option<Param>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub rest: bool,
}

impl Policy {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// The facility classes: the file's, or the four 医院等级 by default.
    pub fn facilities(&self) -> Vec<(&str, &str)> {
        if self.facility_classes.is_empty() {
            HospitalLevel::ALL.iter().map(|l| (l.id(), l.name_zh())).collect()
        } else {
            self.facility_classes.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect()
        }
    }

    /// The name of a facility class, or the id itself.
    pub fn facility_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.facilities().into_iter().find(|(i, _)| *i == id).map_or(id, |(_, n)| n)
    }

    /// The population group of a scenario: its own, or the default.
    pub fn population<'a>(&'a self, named: Option<&'a str>) -> &'a str {
        named.or(self.default_population.as_deref()).unwrap_or("")
    }

    /// Whether any figure of the policy differs by `dim`: the page asks only for those.
    pub fn uses(&self, dim: Dimension) -> bool {
        self.dimensions & (1 << dim as u8) != 0
    }

    /// Every table of the policy, with what it may depend on (`Scope`).
    pub fn each_table<'a>(&'a self, f: &mut dyn FnMut(&'a Table, Scope<'a>)) {
        let all = VisitKind::ALL;
        let caps = |caps: &'a Map<String, CapPool>, ids, f: &mut dyn FnMut(&'a Table, Scope<'a>)| {
            caps.values().filter_map(|c| c.amount.as_ref().and_then(Cap::limit)).for_each(|t| f(t, Scope { yearly: true, kinds: all, identities: ids }));
        };
        if let Some(b) = &self.basic {
            for benefit in &b.benefits {
                let (kinds, identities) = (benefit.kinds.as_slice(), None);
                f(&benefit.deductible, Scope { yearly: false, kinds, identities });
                benefit.deductible_ceiling.iter().for_each(|t| f(t, Scope { yearly: true, kinds, identities }));
                benefit.ratio.iter().for_each(|t| f(t, Scope { yearly: false, kinds, identities }));
                benefit.segments.iter().for_each(|s| f(&s.ratio, Scope { yearly: false, kinds, identities }));
                benefit.eligible_ceiling.iter().for_each(|t| f(t, Scope { yearly: true, kinds, identities }));
            }
            caps(&b.caps, None, f);
        }
        if let Some(ci) = &self.critical_illness {
            let scope = Scope { yearly: true, kinds: &ci.base_kinds.value, identities: None };
            f(&ci.threshold, scope);
            ci.segments.iter().for_each(|s| f(&s.ratio, scope));
            ci.cap.iter().filter_map(Cap::limit).for_each(|t| f(t, scope));
        }
        if let Some(a) = &self.assistance {
            for c in &a.categories {
                let identities = Some(c.identities.as_slice());
                for r in &c.rules {
                    let (yearly, visit) = (Scope { yearly: true, kinds: &r.kinds.value, identities }, Scope { yearly: false, kinds: &r.kinds.value, identities });
                    r.threshold.iter().for_each(|t| f(t, yearly));
                    r.admission_threshold.iter().chain(&r.ratio).chain(&r.admission_cap).for_each(|t| f(t, visit));
                    // Bands of one visit may depend on the visit.
                    let per_visit = r.segment_basis.as_ref().is_some_and(|b| b.value == SegmentBasis::Admission);
                    r.segments.iter().for_each(|s| f(&s.ratio, if per_visit { visit } else { yearly }));
                }
                caps(&c.caps, identities, f);
            }
        }
        if let Some(t) = &self.tilted_assistance {
            let scope = Scope { yearly: true, kinds: &t.kinds.value, identities: Some(&t.identities) };
            t.threshold.iter().for_each(|x| f(x, scope));
            t.admission_threshold.iter().for_each(|x| f(x, Scope { yearly: false, ..scope }));
            f(&t.ratio, scope);
            t.cap.iter().filter_map(Cap::limit).for_each(|c| f(c, scope));
        }
    }

    /// The statistic with a role, with its key (the first, if a file wrongly gives two).
    pub fn statistic_with_role(&self, role: StatisticRole) -> Option<(&str, &Statistic)> {
        self.statistics.iter().find(|(_, s)| s.role == Some(role)).map(|(k, s)| (k.as_str(), s))
    }

    /// Every number with its JSON path, kind and value (for lint and listings).
    pub fn params(&self) -> impl Iterator<Item = (&str, ParamKind, Decimal)> {
        self.provenance.iter().filter_map(|e| Some((e.decl.path.as_str(), e.decl.kind?, e.value?)))
    }
}
