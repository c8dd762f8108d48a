//! The representative residents of `yibao diff`: an ordinary resident and each identity
//! either policy defines, each with each of a fixed set of bills, from a small outpatient
//! visit to a catastrophic admission. Each (resident, bill) is one year with that one visit.
//!
//! # The bills (fixed, assumed for illustration)
//!
//! | id | visit | level | total | in scope | referred |
//! | --- | --- | --- | ---: | ---: | --- |
//! | `small_outpatient` | 普通门诊 | 基层 | 300 | 250 | – |
//! | `chronic_outpatient` | 门诊慢特病 | 二级 | 6,000 | 5,500 | – |
//! | `common_admission` | 住院 | 二级 | 12,000 | 10,000 | yes |
//! | `serious_admission` | 住院 | 三级 | 60,000 | 50,000 | yes |
//! | `major_admission` | 住院 | 三级 | 180,000 | 150,000 | yes |
//! | `catastrophic_admission` | 住院 | 三级 | 600,000 | 500,000 | yes |
//!
//! Admissions are marked 规范转诊 (referred and treated inside the region) so that an extra
//! assistance that requires referral shows its effect. Each side uses its default tier.

use serde::Serialize;
use yibao_engine::compare::{compare, CompareError, Comparison, Side};
use yibao_engine::{HospitalLevel, Identity, Policy, Scenario, Scheme, Visit, VisitKind};

/// A representative bill: one visit.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Bill {
    pub id: &'static str,
    /// e.g. `三级医院住院 15万元`.
    pub name: &'static str,
    pub kind: VisitKind,
    pub level: HospitalLevel,
    /// Yuan.
    pub total: u32,
    pub in_scope: u32,
    pub referred: bool,
}

/// The bills, from a small outpatient visit to a catastrophic admission.
pub const BILLS: [Bill; 6] = [
    Bill { id: "small_outpatient", name: "基层门诊 300元", kind: VisitKind::Outpatient, level: HospitalLevel::Grassroots, total: 300, in_scope: 250, referred: false },
    Bill { id: "chronic_outpatient", name: "二级医院门诊慢特病 6000元", kind: VisitKind::ChronicOutpatient, level: HospitalLevel::Level2, total: 6_000, in_scope: 5_500, referred: false },
    Bill { id: "common_admission", name: "二级医院住院 1.2万元", kind: VisitKind::Inpatient, level: HospitalLevel::Level2, total: 12_000, in_scope: 10_000, referred: true },
    Bill { id: "serious_admission", name: "三级医院住院 6万元", kind: VisitKind::Inpatient, level: HospitalLevel::Level3, total: 60_000, in_scope: 50_000, referred: true },
    Bill { id: "major_admission", name: "三级医院住院 18万元", kind: VisitKind::Inpatient, level: HospitalLevel::Level3, total: 180_000, in_scope: 150_000, referred: true },
    Bill { id: "catastrophic_admission", name: "三级医院住院 60万元", kind: VisitKind::Inpatient, level: HospitalLevel::Level3, total: 600_000, in_scope: 500_000, referred: true },
];

impl Bill {
    pub fn scenario(&self, identity: Option<Identity>) -> Scenario {
        Scenario {
            scheme: Scheme::Resident,
            contribution_tier: None,
            identities: identity.into_iter().collect(),
            population: None,
            visits: vec![Visit { referred: self.referred, ..Visit::new(self.kind, self.level.id(), self.total.into(), self.in_scope.into()) }],
        }
    }
}

/// The residents: ordinary (`None`), then every identity of the old policy, then those only
/// the new one defines.
pub fn residents(before: &Policy, after: &Policy) -> Vec<Option<Identity>> {
    let mut out = vec![None];
    for id in before.identities.iter().chain(&after.identities) {
        if !out.contains(&Some(*id)) {
            out.push(Some(*id));
        }
    }
    out
}

/// One resident with one bill under both policies.
#[derive(Clone, Debug, Serialize)]
pub struct Effect {
    /// The identity held; null for an ordinary resident.
    pub resident: Option<Identity>,
    pub resident_name: &'static str,
    pub bill: Bill,
    pub comparison: Comparison,
}

pub fn resident_name(r: Option<Identity>) -> &'static str {
    r.map_or("普通参保人", Identity::name_zh)
}

/// Every representative resident with every bill, each policy at its default tier.
pub fn effects(before: &Policy, after: &Policy) -> Result<Vec<Effect>, CompareError> {
    let mut out = Vec::new();
    for r in residents(before, after) {
        for bill in BILLS {
            let comparison = compare(Side::new(before), Side::new(after), &bill.scenario(r))?;
            out.push(Effect { resident: r, resident_name: resident_name(r), bill, comparison });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use yibao_engine::Layer;

    fn policy(id: &str) -> Policy {
        crate::share::tests::policy(id)
    }

    /// A policy with its own facility classes (Yueyang: 乡镇卫生院, 县级, 市级, 省级) takes the
    /// bills at the class in the same place: 三级 → 省级 (deductible 1,500, 50%), 二级 → 市级
    /// (1,200, 60%), 基层 → 乡镇卫生院. 省级, 6万元 (50,000 in scope, referred):
    /// (50,000 − 1,500) × 50% = 24,250.
    #[test]
    fn policies_with_their_own_facility_classes_take_the_bills_by_place() {
        let y = policy("yueyang-2019");
        let e = effects(&policy("tianjin-2023"), &y).unwrap();
        let serious = e.iter().find(|x| x.resident.is_none() && x.bill.id == "serious_admission").unwrap();
        assert_eq!(serious.comparison.layer(Layer::Basic).change.after, Decimal::from(24_250));
        // And back: the same bills from Yueyang's side.
        assert!(effects(&y, &policy("tianjin-2023")).is_ok());
    }

    #[test]
    fn residents_are_ordinary_then_each_identity_once() {
        let (a, b) = (policy("jiamusi-2021"), policy("hohhot-2024"));
        let r = residents(&a, &b);
        assert_eq!(r[0], None);
        assert_eq!(r.len(), 9); // ordinary + 8: Hohhot's 8 identities include Jiamusi's 4
        assert_eq!(r.iter().filter(|x| **x == Some(Identity::ExtremePoverty)).count(), 1);
    }

    /// Jiamusi 2021 → 2022, ordinary resident, 三级 admission with 150,000 in scope:
    /// basic (150,000 − 700) × 65% = 97,045 → cap 80,000 (2018 tariff, assumed, both years);
    /// burden 70,000. 2021: (70,000 − 12,000) × 60% = 34,800.
    /// 2022: 8,000 × 65% + 30,000 × 70% + 20,000 × 75% = 5,200 + 21,000 + 15,000 = 41,200.
    #[test]
    fn jiamusi_major_admission_by_hand() {
        let e = effects(&policy("jiamusi-2021"), &policy("jiamusi-2022")).unwrap();
        let ordinary_major = e.iter().find(|x| x.resident.is_none() && x.bill.id == "major_admission").unwrap();
        let ci = ordinary_major.comparison.layer(Layer::CriticalIllness).change;
        assert_eq!((ci.before, ci.after, ci.difference), (Decimal::from(34_800), Decimal::from(41_200), Decimal::from(6_400)));
        assert_eq!(ordinary_major.comparison.layer(Layer::Basic).change.after, Decimal::from(80_000));
        // Small bills do not reach critical illness insurance: no change.
        assert!(e.iter().find(|x| x.resident.is_none() && x.bill.id == "small_outpatient").unwrap().comparison.unchanged());
        assert_eq!(e.len(), 5 * BILLS.len());
    }
}
