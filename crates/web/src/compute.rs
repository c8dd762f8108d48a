//! The calculation behind the page: the result, the curve for the chart, and the comparison.
//! Plain Rust over the engine, run on every change (see the recalculation budget).

use rust_decimal::Decimal;
use yibao_engine::result::Totals;
use yibao_engine::{calculate, CalcResult, Comparison, Policy, Scenario, Side};

use crate::field::Field;
use crate::state::{self, FieldError, Inputs};

/// Points of the curve beyond 0: 0×, 0.05×, … 2× the entered bills.
pub const CURVE_POINTS: u32 = 40;

#[derive(Clone, Debug)]
pub struct CurvePoint {
    pub total: Decimal,
    pub out_of_pocket: Decimal,
}

#[derive(Clone, Debug)]
pub struct Curve {
    pub points: Vec<CurvePoint>,
    pub current: CurvePoint,
}

/// What the page computed from the visits complete so far.
#[derive(Clone, Debug)]
pub struct Done {
    pub ready: state::Ready,
    /// `None` while no visit is complete (the page shows a prompt).
    pub result: Option<CalcResult>,
}

/// The result for the complete visits under a policy, or the message for each bad field
/// (field paths name the visit's position in the form).
pub fn result(policy: &Policy, inputs: &Inputs, left: &[usize]) -> Result<Done, Vec<FieldError>> {
    let tier = state::tier_for(policy, inputs.tier.as_deref());
    let ready = state::scenario_of(inputs, Some(tier), Some(left))?;
    if ready.scenario.visits.is_empty() {
        return Ok(Done { ready, result: None });
    }
    match calculate(policy, &ready.scenario) {
        Ok(r) => Ok(Done { ready, result: Some(r) }),
        Err(e) => {
            let mut err = state::engine_error(&e);
            // `visits[k]` of the scenario is the form's visit `included[k]`.
            if let Field::Visit(k, f) = err.field {
                err.field = ready.included.get(k).map_or(Field::Whole, |&i| Field::Visit(i, f));
            }
            Err(vec![err])
        }
    }
}

/// Out of pocket against the total, from 0 to twice the entered bills (the engine's curve:
/// every visit scaled, totals only, 就高不就低 at each point).
pub fn curve(policy: &Policy, scenario: &Scenario, current: &Totals) -> Option<Curve> {
    if current.total.is_zero() {
        return None;
    }
    let points = yibao_engine::curve(policy, scenario, CURVE_POINTS).ok()?;
    Some(Curve {
        points: points.into_iter().map(|p| CurvePoint { total: p.totals.total, out_of_pocket: p.totals.out_of_pocket }).collect(),
        current: CurvePoint { total: current.total, out_of_pocket: current.out_of_pocket },
    })
}

/// The same visits and identities under another policy or tier (the engine's compare:
/// per layer before, after and difference, with each side's coverage).
pub fn compare(current: &Policy, scenario: &Scenario, other: &Policy, other_tier: Option<&str>) -> Result<Comparison, String> {
    let tier = scenario.contribution_tier.as_deref().unwrap_or(current.default_tier.as_str());
    let other_tier = state::tier_for(other, other_tier);
    yibao_engine::compare(Side::with_tier(current, tier), Side::with_tier(other, other_tier), scenario)
        .map_err(|e| e.error.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::VisitField;
    use crate::state::VisitInput;
    use std::str::FromStr;
    use yibao_engine::{Identity, VisitKind};

    fn policy(name: &str) -> Policy {
        let path = format!("{}/../../policies/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut de = serde_json::Deserializer::from_str(&text);
        yibao_engine::policy::load(&mut de).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn nothing_entered_is_no_result_and_no_error() {
        let p = policy("tianjin-2023");
        let done = result(&p, &Inputs::default(), &[]).unwrap();
        assert!(done.result.is_none());
        assert_eq!(done.ready.waiting, vec![0]);
    }

    #[test]
    fn resolving_gives_the_same_parameters_as_full_validation() {
        for name in ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"] {
            let validated = policy(name);
            let path = format!("{}/../../policies/{name}.json", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let resolved = yibao_engine::policy::read(&mut serde_json::Deserializer::from_str(&text)).unwrap();
            // The whole provenance table: paths, labels, values, statuses and sources.
            assert_eq!(validated.provenance(), resolved.provenance(), "{name}");
            assert!(!validated.provenance().is_empty());
        }
    }

    #[test]
    fn tianjin_subsistence_allowance_matches_the_hand_calculation() {
        let p = policy("tianjin-2023");
        let inputs = Inputs {
            identities: vec![Identity::SubsistenceAllowance],
            visits: vec![VisitInput { kind: VisitKind::Inpatient, level: "level3".into(), total: "100000".into(), in_scope: "90000".into(), estimate: false, ..VisitInput::default() }],
            ..Inputs::default()
        };
        let r = result(&p, &inputs, &[]).unwrap().result.unwrap();
        assert_eq!(r.totals.basic, d("67125.00"));
        assert_eq!(r.totals.out_of_pocket, d("14629.99"));
    }

    #[test]
    fn a_slip_computes_a_policy_without_basic_insurance_and_errors_name_their_field() {
        // tests/golden/110: 黄石 2024, 低保, 统筹基金支付 20000 from the slip.
        let p = policy("huangshi-2024");
        let visit = VisitInput { total: "30000".into(), in_scope: "28000".into(), estimate: false, referred: true, slip: true, paid: "20000".into(), ..VisitInput::default() };
        let mut inputs = Inputs { identities: vec![Identity::SubsistenceAllowance], visits: vec![visit], ..Inputs::default() };
        let r = result(&p, &inputs, &[]).unwrap().result.unwrap();
        assert_eq!((r.totals.basic, r.totals.assistance, r.totals.out_of_pocket), (d("20000.00"), d("5700.00"), d("4300.00")));
        // tests/golden/171: the slip's 大病保险支付 1500 too; assistance on 28,000 − 21,500 = 6,500.
        inputs.visits[0].ci_paid = "1500".into();
        let r = result(&p, &inputs, &[]).unwrap().result.unwrap();
        assert_eq!((r.totals.critical_illness, r.totals.assistance, r.totals.out_of_pocket), (d("1500.00"), d("4575.00"), d("3925.00")));
        inputs.visits[0].ci_paid = "8000.01".into();
        assert_eq!(result(&p, &inputs, &[]).unwrap_err()[0].field, Field::Visit(0, VisitField::CriticalIllnessPaid));
        inputs.visits[0].ci_paid = String::new();
        inputs.visits[0].paid = "29000".into();
        assert_eq!(result(&p, &inputs, &[]).unwrap_err()[0].field, Field::Visit(0, VisitField::BasicPaid));
        (inputs.visits[0].paid, inputs.visits[0].partial) = ("1000".into(), "29000".into());
        assert_eq!(result(&p, &inputs, &[]).unwrap_err()[0].field, Field::Visit(0, VisitField::PartialSelfPay));
    }

    #[test]
    fn the_curve_runs_from_zero_to_twice_the_bill_and_passes_through_it() {
        let p = policy("tianjin-2023");
        let inputs = Inputs { visits: vec![VisitInput { total: "20000".into(), ..VisitInput::default() }], ..Inputs::default() };
        let done = result(&p, &inputs, &[]).unwrap();
        let r = done.result.unwrap();
        let c = curve(&p, &done.ready.scenario, &r.totals).unwrap();
        assert_eq!(c.points.len(), CURVE_POINTS as usize + 1);
        assert!(c.points[0].total.is_zero());
        assert_eq!(c.points.last().unwrap().total, r.totals.total * Decimal::TWO);
        let mid = &c.points[CURVE_POINTS as usize / 2];
        assert_eq!(mid.total, r.totals.total);
        assert_eq!(mid.out_of_pocket, r.totals.out_of_pocket);
    }

    #[test]
    fn in_scope_above_total_is_explained_on_the_field() {
        let p = policy("tianjin-2023");
        let inputs = Inputs {
            visits: vec![VisitInput { total: "100".into(), in_scope: "200".into(), estimate: false, ..VisitInput::default() }],
            ..Inputs::default()
        };
        let errs = result(&p, &inputs, &[]).unwrap_err();
        assert_eq!(errs[0].field, Field::Visit(0, VisitField::InScope));
        // Behind a visit still waiting, the field still names the form's visit.
        let inputs = Inputs {
            visits: vec![VisitInput::default(), VisitInput { total: "100".into(), in_scope: "200".into(), estimate: false, ..VisitInput::default() }],
            ..Inputs::default()
        };
        assert_eq!(result(&p, &inputs, &[]).unwrap_err()[0].field, Field::Visit(1, VisitField::InScope));
        assert!(errs[0].message.contains("不能大于医疗总费用"));
    }

    #[test]
    fn comparing_tiers_gives_different_basic_payouts() {
        let p = policy("tianjin-2023");
        let inputs = Inputs { tier: Some("high".into()), visits: vec![VisitInput { total: "20000".into(), ..VisitInput::default() }], ..Inputs::default() };
        let done = result(&p, &inputs, &[]).unwrap();
        let high = done.result.unwrap();
        let cmp = compare(&p, &done.ready.scenario, &p, Some("low")).unwrap();
        assert_eq!(cmp.before.totals.basic, high.totals.basic);
        assert!(cmp.after.totals.basic < high.totals.basic);
        assert!(cmp.out_of_pocket.difference > Decimal::ZERO);
    }
}
