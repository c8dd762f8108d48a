//! Curves for charts: the year's totals as the bill of every visit is scaled from 0 to 2×.
//!
//! Point `k` of `points` scales each visit's `total` and `in_scope` by `2k / points`,
//! rounded to the fen (四舍五入), and runs [`totals_only`]: no explanation is built, so a
//! curve of 200 points costs about as much as a few full calculations.

use crate::calc::totals_only;
use crate::dec::Dec;
use crate::ids::Identity;
use crate::money;
use crate::policy::Policy;
use crate::result::Totals;
use crate::scenario::{Scenario, ScenarioError, MAX_VISIT_AMOUNT};
use rust_decimal::Decimal;
use serde::Serialize;

/// The most points a curve may have (201 runs, from 0× to 2×).
pub const MAX_CURVE_POINTS: u32 = 200;

/// The largest factor a curve scales by.
const MAX_FACTOR: u32 = 2;

/// One point of a curve.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurvePoint {
    /// The point's number, 0 to `points`.
    pub k: u32,
    /// The scale factor `2k / points` as a decimal string with at most 4 decimals
    /// (`"0"`, `"0.6667"`, `"1"`, `"2"`); the bill actually used is `totals.total`.
    pub factor: String,
    /// The identity applied at this point (就高不就低 may choose another one as bills grow).
    pub identity: Option<Identity>,
    pub totals: Totals,
}

/// The scenario with every visit's `total` and `in_scope` multiplied by `num / den`,
/// each rounded to the fen. `in_scope <= total` is kept, since rounding is monotone.
pub fn scale(scenario: &Scenario, num: u32, den: u32) -> Scenario {
    let (num, den) = (Decimal::from(num), Decimal::from(den.max(1)));
    let scaled = |d: Dec| Dec(money::round_fen(d.get() * num / den));
    let mut out = scenario.clone();
    for v in &mut out.visits {
        v.total = scaled(v.total);
        v.in_scope = scaled(v.in_scope);
    }
    out
}

/// `points + 1` points from 0× to 2× the scenario's bills, in one call.
///
/// Errors name the field: `points` when it is outside `1..=200`, the visit's field when the
/// scenario is bad, or when a bill doubled would pass the largest amount a visit may have.
pub fn curve(policy: &Policy, scenario: &Scenario, points: u32) -> Result<Vec<CurvePoint>, ScenarioError> {
    if points == 0 || points > MAX_CURVE_POINTS {
        return Err(ScenarioError::new(
            "points",
            crate::scenario::ScenarioErrorKind::Argument,
            format!(zh_en!("曲线点数应在 1 到 {} 之间，实为 {}", "points out of range"), MAX_CURVE_POINTS, points),
        ));
    }
    scenario.check(policy)?;
    let limit = MAX_VISIT_AMOUNT / Decimal::from(MAX_FACTOR);
    for (i, v) in scenario.visits.iter().enumerate() {
        if v.total.get() > limit {
            return Err(ScenarioError::new(
                format!("visits[{i}].total"),
                crate::scenario::ScenarioErrorKind::Argument,
                format!(zh_en!("画曲线时费用要放大到 2 倍，单次费用不能超过 {} 元", "too large for a curve"), money::format_yuan(limit)),
            ));
        }
    }
    let den = Decimal::from(points);
    (0..=points)
        .map(|k| {
            let num = MAX_FACTOR * k;
            let (identity, totals) = totals_only(policy, &scale(scenario, num, points))?;
            let factor = (Decimal::from(num) / den)
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize()
                .to_string();
            Ok(CurvePoint { k, factor, identity, totals })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{HospitalLevel, VisitKind};
    use crate::scenario::Visit;
    use std::str::FromStr;

    fn d(s: &str) -> Dec {
        Dec(Decimal::from_str(s).unwrap())
    }

    fn scenario(visits: &[(&str, &str)]) -> Scenario {
        Scenario {
            scheme: crate::ids::Scheme::Resident,
            contribution_tier: None,
            identities: vec![],
            population: None,
            visits: visits.iter().map(|(t, s)| Visit::new(VisitKind::Inpatient, HospitalLevel::Level3.id(), d(t).0, d(s).0)).collect(),
        }
    }

    #[test]
    fn scales_every_visit_and_rounds_to_the_fen_half_away_from_zero() {
        let s = scenario(&[("100.01", "0.03"), ("999.99", "999.99")]);
        // × 1/3: 33.336666… → 33.34; 0.01 → 0.01; 333.33
        let third = scale(&s, 1, 3);
        assert_eq!(third.visits[0].total.get().to_string(), "33.34");
        assert_eq!(third.visits[0].in_scope.get().to_string(), "0.01");
        assert_eq!(third.visits[1].total.get().to_string(), "333.33");
        // × 1/2 of 0.01 is 0.005: half away from zero gives 0.01, not banker's 0.00.
        let half = scale(&scenario(&[("0.01", "0.01")]), 1, 2);
        assert_eq!(half.visits[0].total.get().to_string(), "0.01");
        // × 0 and × 2.
        assert!(scale(&s, 0, 4).visits.iter().all(|v| v.total.get().is_zero() && v.in_scope.get().is_zero()));
        assert_eq!(scale(&s, 8, 4).visits[1].total.get().to_string(), "1999.98");
        // The input is left alone.
        assert_eq!(s.visits[0].total.get().to_string(), "100.01");
    }

    fn tianjin() -> Policy {
        let text = include_str!("../../../policies/tianjin-2023.json");
        crate::policy::load(&mut serde_json::Deserializer::from_str(text)).expect("tianjin-2023 is valid")
    }

    fn read(json: &str) -> Scenario {
        crate::scenario::read(&mut serde_json::Deserializer::from_str(json)).unwrap()
    }

    #[test]
    fn curve_runs_from_zero_to_twice_the_bill() {
        let policy = tianjin();
        let s = read(r#"{"identities": ["subsistence_allowance"], "visits": [
            {"kind": "inpatient", "level": "level3", "total": "100000", "in_scope": "90000", "referred": true},
            {"kind": "outpatient", "level": "grassroots", "total": "333.33", "in_scope": "300"}]}"#);
        let points = curve(&policy, &s, 6).unwrap();
        assert_eq!(points.len(), 7);
        let factors: Vec<&str> = points.iter().map(|p| p.factor.as_str()).collect();
        assert_eq!(factors, ["0", "0.3333", "0.6667", "1", "1.3333", "1.6667", "2"]);
        assert_eq!(points[0].totals, Totals::default(), "a zero bill pays nothing and costs nothing");
        // The middle point is the scenario itself.
        let (identity, totals) = totals_only(&policy, &s).unwrap();
        assert_eq!(points[3].identity, identity);
        assert_eq!(points[3].totals, totals);
        assert_eq!(points[6].totals.total, Decimal::from_str("200666.66").unwrap());
        assert_eq!(points[1].totals.total, Decimal::from_str("33444.44").unwrap()); // 33333.33 + 111.11
        for w in points.windows(2) {
            assert!(w[0].totals.out_of_pocket <= w[1].totals.out_of_pocket, "{w:?}");
            let t = &w[1].totals;
            assert_eq!(t.basic + t.critical_illness + t.assistance + t.tilted_assistance + t.out_of_pocket, t.total);
        }
    }

    #[test]
    fn curve_errors_name_the_field() {
        let policy = tianjin();
        let s = read(r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "100", "in_scope": "50"}]}"#);
        assert_eq!(curve(&policy, &s, 0).unwrap_err().field, "points");
        assert_eq!(curve(&policy, &s, MAX_CURVE_POINTS + 1).unwrap_err().field, "points");
        assert_eq!(curve(&policy, &s, MAX_CURVE_POINTS).unwrap().len(), MAX_CURVE_POINTS as usize + 1);
        let bad = read(r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "100", "in_scope": "150"}]}"#);
        assert_eq!(curve(&policy, &bad, 10).unwrap_err().field, "visits[0].in_scope");
        let huge = read(r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "60000000", "in_scope": "1"}]}"#);
        assert_eq!(curve(&policy, &huge, 10).unwrap_err().field, "visits[0].total");
        let edge = read(r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "50000000", "in_scope": "1"}]}"#);
        assert_eq!(curve(&policy, &edge, 1).unwrap()[1].totals.total, Decimal::from(100_000_000));
    }

    #[test]
    fn in_scope_stays_within_total_after_rounding() {
        let s = scenario(&[("0.01", "0.01"), ("10.05", "10.04"), ("7.77", "0.01")]);
        for den in 1..=40 {
            for num in 0..=2 * den {
                for v in scale(&s, num, den).visits {
                    assert!(v.in_scope.get() <= v.total.get(), "{num}/{den}: {v:?}");
                    assert!(v.total.get().scale() <= 2);
                }
            }
        }
    }
}
