//! The result contract: the same JSON for `yibao calc --json`, the wasm package and the web app.
//! Every amount is a string with exactly two decimals; the totals satisfy
//! `basic + critical_illness + assistance + tilted_assistance + out_of_pocket == total`.

use crate::ids::{Identity, Layer, VisitKind};
use crate::money;
use crate::policy::Status;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalcResult {
    pub policy: PolicyRef,
    pub tier: TierRef,
    /// The identity applied (就高不就低), or null for an ordinary resident.
    pub identity: Option<Identity>,
    pub identity_name: Option<&'static str>,
    /// Each identity tried, with the out-of-pocket it would give, in the policy's order.
    pub identities_considered: Vec<IdentityOutcome>,
    pub totals: Totals,
    /// One entry per layer, in paying order, with whether the documents cover it.
    pub layers: Vec<LayerSummary>,
    pub visits: Vec<VisitResult>,
    /// The explanation: how each amount was reached.
    pub steps: Vec<Step>,
    pub alerts: Vec<Alert>,
    pub contribution: Option<ContributionResult>,
    /// Every assumed (参考值) parameter this result relied on.
    pub assumptions: Vec<ParamUse>,
    /// What to do after the number (how it is paid, where to apply), for the identities
    /// held: `display` is the text, `source` its document and clause.
    pub next_steps: Vec<ParamUse>,
}

/// Payouts without the explanation (see `calc::settle`).
#[derive(Clone, Debug, Serialize)]
pub struct Settlement {
    pub identity: Option<Identity>,
    pub totals: Totals,
    pub visits: Vec<VisitResult>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyRef {
    pub id: String,
    pub title: String,
    pub region: String,
    pub year: u16,
    pub format_version: u32,
    pub checked_on: String,
}

impl PolicyRef {
    pub fn of(policy: &crate::policy::Policy) -> PolicyRef {
        PolicyRef {
            id: policy.id.clone(),
            title: policy.title.clone(),
            region: policy.region.clone(),
            year: policy.year,
            format_version: policy.format_version,
            checked_on: policy.checked_on.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TierRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityOutcome {
    pub identity: Identity,
    pub name: &'static str,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_pocket: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Totals {
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub in_scope: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_scope: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub basic: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub critical_illness: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub assistance: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub tilted_assistance: Decimal,
    /// 个人自付: out_of_pocket_in_scope + out_of_scope.
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_pocket: Decimal,
    /// The in-scope part of what the resident pays.
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_pocket_in_scope: Decimal,
    /// Everything the layers pay together (预计可报销).
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub reimbursed: Decimal,
}

impl Totals {
    pub fn layer(&self, layer: Layer) -> Decimal {
        match layer {
            Layer::Basic => self.basic,
            Layer::CriticalIllness => self.critical_illness,
            Layer::Assistance => self.assistance,
            Layer::TiltedAssistance => self.tilted_assistance,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The documents define this layer for every visit entered.
    Covered,
    /// The documents define it for some of the visits entered only.
    PartlyCovered,
    /// The documents do not define this layer: shown as such, never as 0.
    NotCovered,
    /// Defined, but not for this resident (e.g. assistance for an ordinary resident).
    NotApplicable,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LayerSummary {
    pub layer: Layer,
    pub name: &'static str,
    /// The rule's own name where the policy gives one (e.g. 重特大疾病医疗救助).
    pub title: String,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub coverage: Coverage,
    /// Why a layer is not (fully) covered or not applicable.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VisitResult {
    pub index: usize,
    pub kind: VisitKind,
    /// The facility class id, and its name.
    pub level: String,
    pub level_name: String,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub in_scope: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_scope: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub basic: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub critical_illness: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub assistance: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub tilted_assistance: Decimal,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub out_of_pocket: Decimal,
    /// Layers the documents do not define for this visit (their 0.00 only keeps sums whole).
    pub not_covered: Vec<Layer>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    DeductibleApplied,
    BelowThreshold,
    CapReached,
    TiltApplied,
    IdentityApplied,
    NotCovered,
    NotApplicable,
    ReferralRequired,
    BeyondLastSegment,
}

/// One step of the explanation.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Step {
    /// Null for steps about the whole result (identity, contribution).
    pub layer: Option<Layer>,
    /// The visit (0-based), or null for yearly steps.
    pub visit: Option<usize>,
    pub title: String,
    /// The formula lines with the actual numbers, in Chinese.
    pub lines: Vec<String>,
    #[serde(serialize_with = "money::serialize_opt")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub amount: Option<Decimal>,
    pub params: Vec<ParamUse>,
    pub flags: Vec<Flag>,
}

/// A parameter as used in a step: value, where it comes from, how far to trust it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ParamUse {
    /// JSON path in the policy file.
    pub path: String,
    /// What it is, in Chinese.
    pub label: String,
    /// The value as shown, e.g. `65%` or `24,488.00 = 48,976.00 × 50%`.
    pub display: String,
    pub status: Status,
    pub status_name: &'static str,
    pub source: Option<SourceRef>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SourceRef {
    pub document: String,
    pub title: String,
    pub issuer: String,
    pub date: String,
    pub clause: String,
    pub url: Option<String>,
    pub seed: Option<String>,
    pub grade: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Burden above the 因病致贫 or 因病返贫 monitoring line.
    Monitoring,
    /// A layer the documents do not define.
    NotCovered,
    /// The result relies on assumed (参考值) parameters.
    AssumedParameters,
    /// An identity the resident holds has no distinct treatment in this policy.
    IdentityWithoutTreatment,
    /// An inpatient visit not referred did not count toward 倾斜救助.
    ReferralRequired,
    /// A yearly cap was reached.
    CapReached,
    /// A payout counted no yearly cap because the documents do not state one.
    CapUnstated,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Alert {
    pub kind: AlertKind,
    pub title: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContributionResult {
    /// 个人缴费 of the tier, or null when the documents give none.
    #[serde(serialize_with = "money::serialize_opt")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub individual: Option<Decimal>,
    /// 财政补助 per person.
    #[serde(serialize_with = "money::serialize_opt")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub government_subsidy: Option<Decimal>,
    /// Paid for the resident by 资助参保, by the identity that gives the most.
    #[serde(serialize_with = "money::serialize_opt")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub enrolment_subsidy: Option<Decimal>,
    pub enrolment_identity: Option<Identity>,
    /// Whether the subsidy share is a minimum (不低于).
    pub enrolment_at_least: bool,
    /// What the resident pays after 资助参保 (at most this much when the share is a minimum).
    #[serde(serialize_with = "money::serialize_opt")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub resident_pays: Option<Decimal>,
    pub fiscal_split: Vec<FiscalSplitResult>,
    pub params: Vec<ParamUse>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FiscalSplitResult {
    pub name: String,
    pub parts: Vec<FiscalPartResult>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FiscalPartResult {
    pub payer: String,
    #[serde(serialize_with = "money::serialize")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub formula: String,
}
