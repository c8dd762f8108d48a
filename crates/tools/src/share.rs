//! The in-scope inpatient payout share (住院政策范围内基金支付比例) of basic insurance, estimated
//! over a fixed set of typical admissions, to set beside the norm of “about 70%”
//! (seed 000 二(四), seed 003 三(三)).
//!
//! # The typical admissions (assumed)
//!
//! Eight admissions by hospital level and in-scope amount, with weights (relative numbers of
//! admissions, summing to 100). **They are assumed, not taken from statistics**: no published
//! distribution of resident admissions by level and bill size was found for the seed regions.
//! They follow the usual pattern: most admissions in 二级 and 三级 hospitals, bills of a few
//! thousand yuan at 基层, larger ones at 三级, a thin tail of large bills.
//!
//! | level | in-scope amount | weight |
//! | --- | ---: | ---: |
//! | 基层 grassroots | 2,000 | 15 |
//! | 一级 level 1 | 3,000 | 10 |
//! | 二级 level 2 | 4,000 | 20 |
//! | 二级 level 2 | 10,000 | 10 |
//! | 三级 level 3 | 5,000 | 15 |
//! | 三级 level 3 | 10,000 | 18 |
//! | 三级 level 3 | 25,000 | 9 |
//! | 三级 level 3 | 80,000 | 3 |
//!
//! Weighted in-scope total: 960,000.
//!
//! # The estimate
//!
//! Each admission is computed on its own (the resident's first admission of the year, so the
//! deductible applies), for an ordinary resident at the policy's default tier:
//! `share = Σ weight × basic payout / Σ weight × in-scope amount` (basic insurance only;
//! `share_with_critical_illness` adds 大病保险 for context). Out-of-scope costs do not enter.

use rust_decimal::Decimal;
use serde::Serialize;
use yibao_engine::{calculate, HospitalLevel, Layer, Policy, Scenario, ScenarioError, Scheme, Visit, VisitKind};

/// (level, in-scope amount in yuan, weight). See the module documentation.
pub const TYPICAL_ADMISSIONS: [(HospitalLevel, u32, u32); 8] = [
    (HospitalLevel::Grassroots, 2_000, 15),
    (HospitalLevel::Level1, 3_000, 10),
    (HospitalLevel::Level2, 4_000, 20),
    (HospitalLevel::Level2, 10_000, 10),
    (HospitalLevel::Level3, 5_000, 15),
    (HospitalLevel::Level3, 10_000, 18),
    (HospitalLevel::Level3, 25_000, 9),
    (HospitalLevel::Level3, 80_000, 3),
];

/// The norm: about 70% (seed 000 二(四)).
pub const NORM: Decimal = Decimal::from_parts(70, 0, 0, false, 2);
/// Within this many percentage points of the norm counts as “about 70%”.
pub const TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

/// One typical admission and what the policy pays on it.
#[derive(Clone, Debug, Serialize)]
pub struct AdmissionEstimate {
    pub level: HospitalLevel,
    /// The 医院等级's name, or for a policy with its own facility classes the class the
    /// admission was taken at (the same place in the list, as `yibao diff` does) and the level.
    pub level_name: String,
    #[serde(serialize_with = "yuan")]
    pub in_scope: Decimal,
    pub weight: u32,
    #[serde(serialize_with = "yuan")]
    pub basic: Decimal,
    #[serde(serialize_with = "yuan")]
    pub critical_illness: Decimal,
}

/// The estimate for one policy.
#[derive(Clone, Debug, Serialize)]
pub struct ShareEstimate {
    /// The default tier used.
    pub tier: String,
    pub tier_name: String,
    pub admissions: Vec<AdmissionEstimate>,
    /// Σ weight × in-scope amount.
    #[serde(serialize_with = "yuan")]
    pub weighted_in_scope: Decimal,
    /// Σ weight × basic payout.
    #[serde(serialize_with = "yuan")]
    pub weighted_basic: Decimal,
    /// Basic insurance's share, unrounded (`0.7244791…`).
    #[serde(serialize_with = "ratio")]
    pub share: Decimal,
    /// Basic and critical illness insurance together, for context.
    #[serde(serialize_with = "ratio")]
    pub share_with_critical_illness: Decimal,
    #[serde(serialize_with = "ratio")]
    pub norm: Decimal,
    /// Whether the estimate is within ±5 points of the norm.
    pub near_norm: bool,
    /// Assumed (参考值) parameters the estimate relied on.
    pub assumptions: Vec<String>,
}

impl ShareEstimate {
    /// The share as a percentage with one decimal, e.g. `72.4%`.
    pub fn percent(&self) -> String {
        percent1(self.share)
    }
}

/// A ratio as a percentage with one decimal (四舍五入); `—` for a ratio beyond what a
/// percentage can be computed for (never a share of a bill, which is at most a few times 1).
pub fn percent1(r: Decimal) -> String {
    checked_percent1(r).unwrap_or_else(|| "—".into())
}

/// As [`percent1`], `None` when `r × 100` is beyond a `Decimal`.
pub fn checked_percent1(r: Decimal) -> Option<String> {
    let p = r.checked_mul(Decimal::ONE_HUNDRED)?.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Some(format!("{p:.1}%"))
}

/// Why there is no estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Basic insurance has no inpatient rule (or no basic insurance at all).
    NoInpatientRule,
    /// A typical admission could not be computed (the engine refused it).
    Calculation(ScenarioError),
    /// A weighted sum went beyond a `Decimal` (28 significant digits).
    OutOfRange,
}

/// The estimate, or why there is none.
pub fn in_scope_share(policy: &Policy) -> Result<ShareEstimate, ShareError> {
    let basic = policy.basic.as_ref().ok_or(ShareError::NoInpatientRule)?;
    if !basic.benefits.iter().any(|b| b.kinds.contains(&VisitKind::Inpatient)) {
        return Err(ShareError::NoInpatientRule);
    }
    let mut admissions = Vec::new();
    let mut assumptions: Vec<String> = Vec::new();
    let (mut w_in, mut w_basic, mut w_ci) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (level, amount, weight) in TYPICAL_ADMISSIONS {
        let in_scope = Decimal::from(amount);
        let scenario = Scenario {
            scheme: Scheme::Resident,
            contribution_tier: None,
            identities: vec![],
            population: None,
            // 规范转诊, as a typical admission is where a policy's figures differ by it.
            visits: vec![Visit { referred: true, ..Visit::new(VisitKind::Inpatient, level.id(), in_scope, in_scope) }],
        };
        // A policy with its own classes: the class in the same place of its list.
        let scenario = yibao_engine::compare::scenario_for(policy, &scenario, &[]);
        let class = scenario.visits[0].level.as_str();
        let level_name = match class == level.id() {
            true => level.name_zh().to_string(),
            false => format!("{}（按{}估算）", policy.facility_name(class), level.name_zh()),
        };
        let r = calculate(policy, &scenario).map_err(ShareError::Calculation)?;
        let basic = r.totals.layer(Layer::Basic);
        let ci = r.totals.layer(Layer::CriticalIllness);
        let w = Decimal::from(weight);
        // Payouts never exceed the bill, so these fit; checked so that no policy can stop lint.
        let add = |sum: Decimal, x: Decimal| w.checked_mul(x).and_then(|wx| sum.checked_add(wx)).ok_or(ShareError::OutOfRange);
        w_in = add(w_in, in_scope)?;
        w_basic = add(w_basic, basic)?;
        w_ci = add(w_ci, ci)?;
        for a in r.assumptions {
            let relevant = ["basic.", "critical_illness.", "statistics."].iter().any(|p| a.path.starts_with(p));
            if relevant && !assumptions.contains(&a.path) {
                assumptions.push(a.path);
            }
        }
        admissions.push(AdmissionEstimate { level, level_name, in_scope, weight, basic, critical_illness: ci });
    }
    // w_in is the fixed 960,000 of the typical admissions.
    let share = w_basic.checked_div(w_in).ok_or(ShareError::OutOfRange)?;
    let with_ci = w_basic.checked_add(w_ci).and_then(|x| x.checked_div(w_in)).ok_or(ShareError::OutOfRange)?;
    let near_norm = share.checked_sub(NORM).ok_or(ShareError::OutOfRange)?.abs() <= TOLERANCE;
    let tier = policy.tier(&policy.default_tier).expect("validated policy");
    Ok(ShareEstimate {
        tier: tier.id.clone(),
        tier_name: tier.name.clone(),
        admissions,
        weighted_in_scope: w_in,
        weighted_basic: w_basic,
        share,
        share_with_critical_illness: with_ci,
        norm: NORM,
        near_norm,
        assumptions,
    })
}

fn yuan<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&yibao_engine::money::to_contract(*d))
}

fn ratio<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.round_dp(4).normalize().to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::str::FromStr;

    pub(crate) fn policy(id: &str) -> Policy {
        let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap()
    }

    #[test]
    fn the_typical_admissions_weigh_100_and_960000_in_scope() {
        assert_eq!(TYPICAL_ADMISSIONS.iter().map(|a| a.2).sum::<u32>(), 100);
        assert_eq!(TYPICAL_ADMISSIONS.iter().map(|a| a.1 * a.2).sum::<u32>(), 960_000);
    }

    /// Tianjin 2023, 高档 (default), inpatient deductible 500 at every level, first admission;
    /// ratios 基层 85% (assumed: as level 1), 一级 85%, 二级 80%, 三级 75%; cap 250,000 not reached.
    ///
    /// | admission | basic payout | × weight |
    /// | --- | ---: | ---: |
    /// | 基层 2,000 | (2,000 − 500) × 85% = 1,275 | × 15 = 19,125 |
    /// | 一级 3,000 | 2,500 × 85% = 2,125 | × 10 = 21,250 |
    /// | 二级 4,000 | 3,500 × 80% = 2,800 | × 20 = 56,000 |
    /// | 二级 10,000 | 9,500 × 80% = 7,600 | × 10 = 76,000 |
    /// | 三级 5,000 | 4,500 × 75% = 3,375 | × 15 = 50,625 |
    /// | 三级 10,000 | 9,500 × 75% = 7,125 | × 18 = 128,250 |
    /// | 三级 25,000 | 24,500 × 75% = 18,375 | × 9 = 165,375 |
    /// | 三级 80,000 | 79,500 × 75% = 59,625 | × 3 = 178,875 |
    ///
    /// Σ = 695,500; 695,500 / 960,000 = 0.72447916… ≈ 72.4%.
    #[test]
    fn tianjin_estimate_checked_by_hand() {
        let e = in_scope_share(&policy("tianjin-2023")).unwrap();
        assert_eq!(e.tier, "high");
        assert_eq!(e.weighted_in_scope, Decimal::from(960_000));
        assert_eq!(e.weighted_basic, Decimal::from(695_500));
        assert_eq!(e.share, Decimal::from(695_500) / Decimal::from(960_000));
        assert_eq!(e.percent(), "72.4%");
        assert!(e.near_norm);
        let basics: Vec<Decimal> = e.admissions.iter().map(|a| a.basic).collect();
        let expected: Vec<Decimal> = ["1275", "2125", "2800", "7600", "3375", "7125", "18375", "59625"].iter().map(|s| Decimal::from_str(s).unwrap()).collect();
        assert_eq!(basics, expected);
        // The 基层 column is assumed in the Tianjin file: the estimate says so.
        assert!(e.assumptions.iter().any(|p| p == "basic.benefits[0].ratio.high.grassroots"));
    }

    #[test]
    fn estimates_of_the_seed_policies() {
        let pct = |id: &str| in_scope_share(&policy(id)).unwrap().percent();
        // Jiamusi (2018 tariff, assumed): Σ = 619,425 → 64.5%, below the ±5 points band.
        assert_eq!(pct("jiamusi-2021"), "64.5%");
        assert_eq!(pct("jiamusi-2022"), "64.5%");
        // Hohhot (assumed flat 70%, no deductible) is 70% by construction.
        assert_eq!(pct("hohhot-2024"), "70.0%");
        assert!(!in_scope_share(&policy("jiamusi-2021")).unwrap().near_norm);
    }
}
