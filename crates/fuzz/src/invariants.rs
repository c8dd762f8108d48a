//! The invariants of the pipeline (ARCHITECTURE.md, "Invariants"), checked on
//! `calculate`, `settle` and `totals_only` for one policy and one valid scenario:
//!
//! - every amount is whole fen (at most two decimals);
//! - `basic + critical_illness + assistance + tilted_assistance + out_of_pocket == total`, per
//!   visit and in the totals, both as numbers and as the contract's two-decimal strings;
//! - nothing is negative, and a visit's layers pay at most its in-scope amount;
//! - a visit's basic and 大病 payouts are the ones its 结算单 gives (`basic_paid`,
//!   `critical_illness_paid`), when it gives them;
//! - holding identities never leaves the resident paying more than an ordinary resident;
//! - `settle` and `totals_only` agree with `calculate`.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;
use yibao_engine::result::Totals;
use yibao_engine::{calculate, settle, totals_only, CalcResult, Policy, Scenario};

/// One broken invariant: its name (the failure's class) and what was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub invariant: &'static str,
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.invariant, self.detail)
    }
}

/// Collects violations; a case reports all it found, named by the first.
#[derive(Default)]
pub struct Found(pub Vec<Violation>);

impl Found {
    fn fail(&mut self, invariant: &'static str, detail: String) {
        // A few of each kind are enough to understand a case; a broken rule tends to break
        // many amounts at once, and must not hide the other invariants it breaks.
        if self.0.iter().filter(|v| v.invariant == invariant).count() < 3 {
            self.0.push(Violation { invariant, detail });
        }
    }

    pub fn into_result(self) -> Result<(), Vec<Violation>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

fn whole_fen(d: Decimal) -> bool {
    d.normalize().scale() <= 2
}

/// Every amount of the result: totals, visits, layers, identities compared, steps, contribution.
fn amounts(r: &CalcResult) -> Vec<(String, Decimal)> {
    let mut out = totals_amounts("totals", &r.totals);
    for (i, v) in r.visits.iter().enumerate() {
        for (name, a) in [
            ("total", v.total),
            ("in_scope", v.in_scope),
            ("out_of_scope", v.out_of_scope),
            ("basic", v.basic),
            ("critical_illness", v.critical_illness),
            ("assistance", v.assistance),
            ("tilted_assistance", v.tilted_assistance),
            ("out_of_pocket", v.out_of_pocket),
        ] {
            out.push((format!("visits[{i}].{name}"), a));
        }
    }
    for l in &r.layers {
        out.push((format!("layers.{}.amount", l.layer), l.amount));
    }
    for c in &r.identities_considered {
        out.push((format!("identities_considered.{}.out_of_pocket", c.identity), c.out_of_pocket));
    }
    for (i, s) in r.steps.iter().enumerate() {
        if let Some(a) = s.amount {
            out.push((format!("steps[{i}].amount"), a));
        }
    }
    if let Some(c) = &r.contribution {
        for (name, a) in [("individual", c.individual), ("government_subsidy", c.government_subsidy), ("enrolment_subsidy", c.enrolment_subsidy), ("resident_pays", c.resident_pays)] {
            if let Some(a) = a {
                out.push((format!("contribution.{name}"), a));
            }
        }
        for (i, split) in c.fiscal_split.iter().enumerate() {
            for (j, part) in split.parts.iter().enumerate() {
                out.push((format!("contribution.fiscal_split[{i}].parts[{j}].amount"), part.amount));
            }
        }
    }
    out
}

fn totals_amounts(prefix: &str, t: &Totals) -> Vec<(String, Decimal)> {
    [
        ("total", t.total),
        ("in_scope", t.in_scope),
        ("out_of_scope", t.out_of_scope),
        ("basic", t.basic),
        ("critical_illness", t.critical_illness),
        ("assistance", t.assistance),
        ("tilted_assistance", t.tilted_assistance),
        ("out_of_pocket", t.out_of_pocket),
        ("out_of_pocket_in_scope", t.out_of_pocket_in_scope),
        ("reimbursed", t.reimbursed),
    ]
    .into_iter()
    .map(|(name, a)| (format!("{prefix}.{name}"), a))
    .collect()
}

/// The checks on one explained result, against the scenario it came from.
pub fn check_result(scenario: &Scenario, r: &CalcResult, found: &mut Found) {
    for (path, a) in amounts(r) {
        // The contribution echoes the policy's figures; named apart from the payouts.
        let contribution = path.starts_with("contribution.");
        if !whole_fen(a) {
            found.fail(if contribution { "contribution_whole_fen" } else { "whole_fen" }, format!("{path} = {a} is not whole fen"));
        }
        if a.is_sign_negative() && !a.is_zero() {
            found.fail(if contribution { "contribution_negative" } else { "negative" }, format!("{path} = {a}"));
        }
    }
    let t = &r.totals;
    let layers = t.basic + t.critical_illness + t.assistance + t.tilted_assistance;
    if layers + t.out_of_pocket != t.total {
        found.fail("sum", format!("totals: {} + {} + {} + {} + {} != {}", t.basic, t.critical_illness, t.assistance, t.tilted_assistance, t.out_of_pocket, t.total));
    }
    if layers > t.in_scope {
        found.fail("above_in_scope", format!("totals: layers pay {layers} > in scope {}", t.in_scope));
    }
    if r.visits.len() != scenario.visits.len() {
        found.fail("visits", format!("{} visits in, {} out", scenario.visits.len(), r.visits.len()));
    }
    let mut summed = Totals::default();
    for (i, (v, res)) in scenario.visits.iter().zip(&r.visits).enumerate() {
        let paid = res.basic + res.critical_illness + res.assistance + res.tilted_assistance;
        if paid + res.out_of_pocket != res.total || res.total != v.total.get() || res.in_scope != v.in_scope.get() {
            found.fail("sum", format!("visits[{i}]: {} + {} + {} + {} + {} != {} (bill {})", res.basic, res.critical_illness, res.assistance, res.tilted_assistance, res.out_of_pocket, res.total, v.total.get()));
        }
        if paid > v.in_scope.get() {
            found.fail("above_in_scope", format!("visits[{i}]: layers pay {paid} > in scope {}", v.in_scope.get()));
        }
        // A 结算单's basic payout is taken as it is, never recomputed.
        if let Some(slip) = v.basic_paid.filter(|slip| slip.get() != res.basic) {
            found.fail("basic_paid", format!("visits[{i}]: the slip says basic insurance paid {}, the result {}", slip.get(), res.basic));
        }
        if let Some(slip) = v.critical_illness_paid.filter(|slip| slip.get() != res.critical_illness) {
            found.fail("critical_illness_paid", format!("visits[{i}]: the slip says 大病保险 paid {}, the result {}", slip.get(), res.critical_illness));
        }
        summed.total += res.total;
        summed.basic += res.basic;
        summed.critical_illness += res.critical_illness;
        summed.assistance += res.assistance;
        summed.tilted_assistance += res.tilted_assistance;
        summed.out_of_pocket += res.out_of_pocket;
    }
    for (name, a, b) in [
        ("total", summed.total, t.total),
        ("basic", summed.basic, t.basic),
        ("critical_illness", summed.critical_illness, t.critical_illness),
        ("assistance", summed.assistance, t.assistance),
        ("tilted_assistance", summed.tilted_assistance, t.tilted_assistance),
        ("out_of_pocket", summed.out_of_pocket, t.out_of_pocket),
    ] {
        if a != b {
            found.fail("sum", format!("totals.{name} = {b} but the visits add up to {a}"));
        }
    }
    check_contract(r, found);
}

/// The contract as a resident's screen gets it: two-decimal strings that add up.
fn check_contract(r: &CalcResult, found: &mut Found) {
    let json = match serde_json::to_value(r) {
        Ok(j) => j,
        Err(e) => return found.fail("contract", format!("the result does not serialize: {e}")),
    };
    let read = |v: &serde_json::Value| v.as_str().and_then(|s| Decimal::from_str(s).ok().filter(|_| s.split_once('.').is_some_and(|(_, f)| f.len() == 2)));
    let mut rows: Vec<(String, &serde_json::Value)> = vec![("totals".into(), &json["totals"])];
    if let Some(visits) = json["visits"].as_array() {
        rows.extend(visits.iter().enumerate().map(|(i, v)| (format!("visits[{i}]"), v)));
    }
    for (name, row) in rows {
        let fields = ["basic", "critical_illness", "assistance", "tilted_assistance", "out_of_pocket", "total"];
        let values: Vec<Option<Decimal>> = fields.iter().map(|f| read(&row[*f])).collect();
        let Some(values) = values.into_iter().collect::<Option<Vec<Decimal>>>() else {
            found.fail("contract", format!("{name}: an amount is not a two-decimal string: {row}"));
            continue;
        };
        if values[..5].iter().sum::<Decimal>() != values[5] {
            let shown: Vec<String> = fields.iter().map(|f| format!("{f} {}", row[*f])).collect();
            found.fail("contract_sum", format!("{name} as shown does not add up: {}", shown.join(", ")));
        }
    }
}

/// `settle` and `totals_only` give what `calculate` gives.
pub fn check_agreement(full: &CalcResult, policy: &Policy, scenario: &Scenario, found: &mut Found) {
    match settle(policy, scenario) {
        Ok(s) => {
            if s.identity != full.identity || s.totals != full.totals {
                found.fail("agreement", format!("settle: {:?} {:?} but calculate: {:?} {:?}", s.identity, s.totals, full.identity, full.totals));
            }
            let (a, b) = (serde_json::to_value(&s.visits).ok(), serde_json::to_value(&full.visits).ok());
            if a != b {
                found.fail("agreement", "settle's visits differ from calculate's".into());
            }
        }
        Err(e) => found.fail("agreement", format!("settle refused what calculate accepted: {e}")),
    }
    match totals_only(policy, scenario) {
        Ok((identity, totals)) => {
            if identity != full.identity || totals != full.totals {
                found.fail("agreement", format!("totals_only: {identity:?} {totals:?} but calculate: {:?} {:?}", full.identity, full.totals));
            }
        }
        Err(e) => found.fail("agreement", format!("totals_only refused what calculate accepted: {e}")),
    }
}

/// Holding identities never costs more than holding none (就高不就低 must not make things worse).
pub fn check_identity(full: &CalcResult, ordinary: &Totals, found: &mut Found) {
    if full.totals.out_of_pocket > ordinary.out_of_pocket {
        found.fail(
            "identity_costs_more",
            format!(
                "as {} the resident pays {}, as an ordinary resident {} (basic {} / {}, critical illness {} / {})",
                full.identity.map_or("nobody", |i| i.id()),
                full.totals.out_of_pocket,
                ordinary.out_of_pocket,
                full.totals.basic,
                ordinary.basic,
                full.totals.critical_illness,
                ordinary.critical_illness
            ),
        );
    }
}

/// Every invariant for one policy and one scenario the policy should accept.
pub fn check(policy: &Policy, scenario: &Scenario) -> Result<(), Vec<Violation>> {
    let mut found = Found::default();
    let full = match calculate(policy, scenario) {
        Ok(r) => r,
        Err(e) => {
            found.fail("refused", format!("a valid scenario was refused: {e}"));
            return found.into_result();
        }
    };
    check_result(scenario, &full, &mut found);
    check_agreement(&full, policy, scenario, &mut found);
    if !scenario.identities.is_empty() {
        let mut plain = scenario.clone();
        plain.identities.clear();
        match totals_only(policy, &plain) {
            Ok((_, ordinary)) => check_identity(&full, &ordinary, &mut found),
            Err(e) => found.fail("refused", format!("the scenario without identities was refused: {e}")),
        }
    }
    found.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yibao_engine::{HospitalLevel, Identity, Scheme, Visit, VisitKind};

    fn tianjin() -> Policy {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/tianjin-2023.json")).unwrap();
        yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap()
    }

    fn scenario() -> Scenario {
        Scenario {
            scheme: Scheme::Resident,
            contribution_tier: None,
            identities: vec![Identity::SubsistenceAllowance],
            population: None,
            visits: vec![Visit::new(VisitKind::Inpatient, HospitalLevel::Level3.id(), Decimal::from(100_000), Decimal::from(90_000))],
        }
    }

    fn invariants(found: Found) -> Vec<&'static str> {
        found.0.iter().map(|v| v.invariant).collect()
    }

    #[test]
    fn a_real_case_passes() {
        check(&tianjin(), &scenario()).unwrap();
    }

    /// The checker is not vacuous: a result whose layers no longer add up to the bill fails.
    #[test]
    fn a_broken_sum_is_caught() {
        let (p, s) = (tianjin(), scenario());
        let mut r = calculate(&p, &s).unwrap();
        r.totals.basic += Decimal::new(1, 2);
        let mut found = Found::default();
        check_result(&s, &r, &mut found);
        let names = invariants(found);
        assert!(names.contains(&"sum") && names.contains(&"contract_sum"), "{names:?}");

        let mut r = calculate(&p, &s).unwrap();
        r.visits[0].assistance -= Decimal::new(1, 2);
        let mut found = Found::default();
        check_result(&s, &r, &mut found);
        assert!(invariants(found).contains(&"sum"));
    }

    #[test]
    fn sub_fen_negative_and_overpaid_amounts_are_caught() {
        let (p, s) = (tianjin(), scenario());
        let mut r = calculate(&p, &s).unwrap();
        // Moves a tenth of a fen between two layers: the sum holds, the fen does not.
        r.visits[0].basic += Decimal::new(1, 3);
        r.visits[0].critical_illness -= Decimal::new(1, 3);
        r.totals.basic += Decimal::new(1, 3);
        r.totals.critical_illness -= Decimal::new(1, 3);
        let mut found = Found::default();
        check_result(&s, &r, &mut found);
        let names = invariants(found);
        assert!(names.contains(&"whole_fen") && !names.contains(&"sum"), "{names:?}");

        let mut r = calculate(&p, &s).unwrap();
        let v = &mut r.visits[0];
        v.tilted_assistance = Decimal::new(-5, 0);
        v.basic += v.in_scope;
        let mut found = Found::default();
        check_result(&s, &r, &mut found);
        let names = invariants(found);
        assert!(names.contains(&"negative") && names.contains(&"above_in_scope"), "{names:?}");
    }

    #[test]
    fn an_identity_that_costs_more_and_a_disagreeing_settlement_are_caught() {
        let (p, s) = (tianjin(), scenario());
        let full = calculate(&p, &s).unwrap();
        let mut ordinary = full.totals.clone();
        ordinary.out_of_pocket -= Decimal::new(1, 2);
        let mut found = Found::default();
        check_identity(&full, &ordinary, &mut found);
        assert_eq!(invariants(found), ["identity_costs_more"]);

        let mut other = full.clone();
        other.totals.assistance += Decimal::ONE;
        let mut found = Found::default();
        check_agreement(&other, &p, &s, &mut found);
        assert_eq!(invariants(found), ["agreement", "agreement"]);
    }
}
