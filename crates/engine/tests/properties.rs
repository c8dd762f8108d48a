//! Invariants of the pipeline, checked on random years of visits under every real policy.

use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;
use yibao_engine::dec::Dec;
use yibao_engine::policy::Policy;
use yibao_engine::{calculate, HospitalLevel, Identity, Scenario, Visit, VisitKind};

const POLICIES: &[&str] = &["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"];

fn load(id: &str) -> Policy {
    let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap()
}

fn policies() -> &'static [Policy] {
    static CELL: std::sync::OnceLock<Vec<Policy>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| POLICIES.iter().map(|id| load(id)).collect())
}

fn fen(n: u64) -> Decimal {
    Decimal::new(n as i64, 2)
}

/// The highest amount a cap can take (a table's largest figure).
fn cap_of(cap: Option<&yibao_engine::policy::Cap>) -> Option<Decimal> {
    cap.and_then(|c| c.limit()).and_then(|t| t.figures().iter().map(|p| p.get()).max())
}

prop_compose! {
    /// A visit: total up to 1.5 million yuan (in fen), in_scope a share of it.
    fn visit()(kind in 0..3usize, level in 0..4usize, total in 0u64..150_000_000, share in 0u64..=100, referred in any::<bool>()) -> Visit {
        let total = fen(total);
        let in_scope = (total * Decimal::new(share as i64, 2)).round_dp(2);
        let mut v = Visit::new(VisitKind::ALL[kind], HospitalLevel::ALL[level].id(), total, in_scope);
        v.referred = referred;
        v
    }
}

prop_compose! {
    fn scenario()(policy in 0..POLICIES.len(), ids in proptest::collection::btree_set(0..Identity::ALL.len(), 0..3), tier in 0..2usize, visits in proptest::collection::vec(visit(), 1..6)) -> (usize, Scenario) {
        let p = &policies()[policy];
        let tier = p.tiers.get(tier % p.tiers.len()).map(|t| t.id.clone());
        (policy, Scenario {
            scheme: yibao_engine::Scheme::Resident,
            contribution_tier: tier,
            identities: ids.into_iter().map(|i| Identity::ALL[i]).collect(),
            population: None,
            visits,
        })
    }
}

fn amount(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("amount is a string")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("YIBAO_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(600), .. ProptestConfig::default() })]

    #[test]
    fn layers_add_up_and_stay_within_bounds((pi, s) in scenario()) {
        let p = &policies()[pi];
        let r = calculate(p, &s).unwrap();
        let t = &r.totals;
        prop_assert_eq!(t.basic + t.critical_illness + t.assistance + t.tilted_assistance + t.out_of_pocket, t.total);
        prop_assert!(t.out_of_pocket >= t.out_of_scope, "out of pocket below out of scope");
        prop_assert!(t.reimbursed <= t.in_scope, "layers pay more than the in-scope amount");
        for (v, res) in s.visits.iter().zip(&r.visits) {
            for layer in [res.basic, res.critical_illness, res.assistance, res.tilted_assistance] {
                prop_assert!(layer >= Decimal::ZERO, "negative payout");
            }
            let paid = res.basic + res.critical_illness + res.assistance + res.tilted_assistance;
            prop_assert!(paid <= v.in_scope.get(), "visit paid above its in-scope amount");
            prop_assert_eq!(paid + res.out_of_pocket, v.total.get());
        }
        // The JSON contract: two-decimal strings that add up.
        let json = serde_json::to_value(&r).unwrap();
        let tj = &json["totals"];
        for key in ["total", "basic", "critical_illness", "assistance", "tilted_assistance", "out_of_pocket"] {
            let s = tj[key].as_str().unwrap();
            prop_assert!(s.split_once('.').is_some_and(|(_, f)| f.len() == 2), "{key} = {s} is not a two-decimal string");
        }
        let sum = amount(&tj["basic"]) + amount(&tj["critical_illness"]) + amount(&tj["assistance"]) + amount(&tj["tilted_assistance"]) + amount(&tj["out_of_pocket"]);
        prop_assert_eq!(sum, amount(&tj["total"]));
    }

    #[test]
    fn caps_are_never_exceeded((pi, s) in scenario()) {
        let p = &policies()[pi];
        let r = calculate(p, &s).unwrap();
        let basic = p.basic.as_ref().unwrap();
        for (pool, cap) in &basic.caps {
            let Some(cap) = cap_of(cap.amount.as_ref()) else { continue };
            let paid: Decimal = s.visits.iter().zip(&r.visits)
                .filter(|(v, _)| basic.benefits.iter().any(|b| b.kinds.contains(&v.kind) && b.cap_pool.as_deref() == Some(pool)))
                .map(|(_, res)| res.basic).sum();
            prop_assert!(paid <= cap, "basic pool {pool}: {paid} > {cap}");
        }
        if let Some(ci) = &p.critical_illness {
            let tilted_no_cap = r.identity.is_some_and(|id| ci.tilts.iter().any(|t| t.identities.contains(&id) && t.cap_removed.value));
            if let (Some(cap), false) = (cap_of(ci.cap.as_ref()), tilted_no_cap) {
                prop_assert!(r.totals.critical_illness <= cap);
            }
        }
        if let (Some(a), Some(id)) = (&p.assistance, r.identity) {
            if let Some(cat) = a.categories.iter().find(|c| c.identities.contains(&id)) {
                for (pool, cap) in &cat.caps {
                    let Some(cap) = cap_of(cap.amount.as_ref()) else { continue };
                    let paid: Decimal = s.visits.iter().zip(&r.visits)
                        .filter(|(v, _)| cat.rules.iter().any(|rule| rule.kinds.value.contains(&v.kind) && rule.cap_pool.as_deref() == Some(pool)))
                        .map(|(_, res)| res.assistance).sum();
                    prop_assert!(paid <= cap, "assistance pool {pool}: {paid} > {cap}");
                }
            }
        }
        if let Some(t) = &p.tilted_assistance {
            if let Some(cap) = cap_of(t.cap.as_ref()) {
                prop_assert!(r.totals.tilted_assistance <= cap);
            }
        }
    }

    #[test]
    fn out_of_pocket_never_falls_when_the_latest_bill_grows((pi, s) in scenario(), extra in 1u64..20_000_000, in_scope_too in any::<bool>()) {
        // Growing the latest visit of the year: no later visit is affected, and each layer pays
        // at most its ratio of what the bill added, so in exact arithmetic out of pocket cannot
        // fall. 四舍五入 on each of the visit's four payouts (domain.md §2) may move the sum by
        // up to a fen each, which is all the slack allowed. (An *earlier* visit growing can lower
        // the year's out of pocket: see `an_earlier_bill_can_lower_the_years_out_of_pocket`.)
        let p = &policies()[pi];
        let before = calculate(p, &s).unwrap().totals.out_of_pocket;
        let mut grown = s.clone();
        let v = grown.visits.last_mut().unwrap();
        v.total = Dec(v.total.get() + fen(extra));
        if in_scope_too {
            v.in_scope = Dec(v.in_scope.get() + fen(extra));
        }
        let after = calculate(p, &grown).unwrap().totals.out_of_pocket;
        let tolerance = Decimal::new(4, 2);
        prop_assert!(after >= before - tolerance, "out of pocket fell from {before} to {after}");
        if std::env::var("YIBAO_REPORT_FALLS").is_ok() && after < before {
            eprintln!("fall {}", before - after);
        }
    }

    #[test]
    fn best_identity_is_never_worse_than_any_single_one((pi, s) in scenario()) {
        let p = &policies()[pi];
        let r = calculate(p, &s).unwrap();
        for id in &s.identities {
            let mut single = s.clone();
            single.identities = vec![*id];
            let alone = calculate(p, &single).unwrap().totals.out_of_pocket;
            prop_assert!(r.totals.out_of_pocket <= alone, "{id}: {alone} < {}", r.totals.out_of_pocket);
        }
    }

    #[test]
    fn totals_only_agrees_with_calculate((pi, s) in scenario()) {
        let p = &policies()[pi];
        let full = calculate(p, &s).unwrap();
        let (identity, totals) = yibao_engine::totals_only(p, &s).unwrap();
        prop_assert_eq!(identity, full.identity);
        prop_assert_eq!(totals, full.totals);
    }

    #[test]
    fn critical_illness_over_the_year_does_not_depend_on_how_the_burden_is_split(pi in 0..POLICIES.len(), total in 0u64..100_000_000, cut in 0u64..=100) {
        // The same in-scope burden in one admission or two: when basic pays the same in both
        // cases, the yearly critical illness payout is F(year's burden) either way.
        let p = &policies()[pi];
        let whole = fen(total);
        let first = (whole * Decimal::new(cut as i64, 2)).round_dp(2);
        let mk = |amounts: &[Decimal]| Scenario {
            scheme: yibao_engine::Scheme::Resident,
            contribution_tier: None,
            identities: vec![],
            population: None,
            visits: amounts.iter().map(|a| Visit { referred: false, ..Visit::new(VisitKind::Inpatient, HospitalLevel::Level3.id(), *a, *a) }).collect(),
        };
        let one = calculate(p, &mk(&[whole])).unwrap();
        let two = calculate(p, &mk(&[first, whole - first])).unwrap();
        if one.totals.basic == two.totals.basic {
            prop_assert_eq!(one.totals.critical_illness, two.totals.critical_illness);
        }
    }
}

#[test]
fn bad_scenarios_are_errors_naming_the_field_never_panics() {
    let p = &policies()[0];
    let cases: &[(&str, &str)] = &[
        (r#"{"visits":[]}"#, "visits"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"-5","in_scope":"0"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"5","in_scope":"6"}]}"#, "visits[0].in_scope"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"5.555","in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"1e400","in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"100000000000","in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":1e300,"in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"NaN","in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"abc","in_scope":"1"}]}"#, "visits[0].total"),
        (r#"{"visits":[{"kind":"surgery","level":"level1","total":"1","in_scope":"1"}]}"#, "visits[0].kind"),
        (r#"{"identities":["nobody"],"visits":[{"kind":"inpatient","level":"level1","total":"1","in_scope":"1"}]}"#, "identities[0]"),
        (r#"{"identities":["orphan","orphan"],"visits":[{"kind":"inpatient","level":"level1","total":"1","in_scope":"1"}]}"#, "identities[1]"),
        (r#"{"contribution_tier":"gold","visits":[{"kind":"inpatient","level":"level1","total":"1","in_scope":"1"}]}"#, "contribution_tier"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"1"}]}"#, "visits[0]"),
        (r#"{"visits":[{"kind":"inpatient","level":"level1","total":"1","in_scope":"1","extra":1}]}"#, "visits[0]"),
    ];
    for (json, field) in cases {
        let parsed = yibao_engine::scenario::read(&mut serde_json::Deserializer::from_str(json));
        let err = match parsed {
            Err(e) => e,
            Ok(s) => calculate(p, &s).expect_err(json),
        };
        assert!(err.field.starts_with(field), "{json}: field {} (expected {field}): {}", err.field, err.message);
        assert!(!err.message.is_empty());
    }
    let many = format!(r#"{{"visits":[{}]}}"#, vec![r#"{"kind":"outpatient","level":"level1","total":"1","in_scope":"1"}"#; 401].join(","));
    let s = yibao_engine::scenario::read(&mut serde_json::Deserializer::from_str(&many)).unwrap();
    assert_eq!(calculate(p, &s).unwrap_err().field, "visits");
}

#[test]
fn the_largest_allowed_year_computes_without_overflow() {
    for p in policies() {
        let s = Scenario {
            scheme: yibao_engine::Scheme::Resident,
            contribution_tier: None,
            identities: Identity::ALL.to_vec(),
            population: None,
            visits: vec![Visit { referred: true, ..Visit::new(VisitKind::Inpatient, HospitalLevel::Level3.id(), Decimal::from(100_000_000), Decimal::from(100_000_000)) }; 400],
        };
        let r = calculate(p, &s).unwrap();
        assert_eq!(r.totals.total, Decimal::from(40_000_000_000u64));
    }
}

/// Sequential settlement (先保险后救助, visit by visit, critical illness on the cumulative
/// burden) has an order effect the domain implies: an earlier visit's burden, already 75%
/// covered by uncapped inpatient assistance, still counts toward the yearly critical illness
/// threshold, so a later visit whose assistance is capped receives more critical illness.
/// Here a 3,350.79 门特 bill before a large outpatient bill lowers the year's out of pocket.
#[test]
fn an_earlier_bill_can_lower_the_years_out_of_pocket() {
    let p = &policies()[0]; // tianjin-2023
    let year = |chronic: &str| {
        let json = format!(
            r#"{{"identities":["extreme_poverty"],"visits":[
                {{"kind":"chronic_outpatient","level":"level1","total":"{chronic}","in_scope":"{chronic}"}},
                {{"kind":"outpatient","level":"level1","total":"19101.54","in_scope":"15281.23"}}]}}"#
        );
        let s = yibao_engine::scenario::read(&mut serde_json::Deserializer::from_str(&json)).unwrap();
        calculate(p, &s).unwrap()
    };
    let without = year("0");
    let with = year("3350.79");
    // Hand check. Without: outpatient basic capped 4,000.00; burden 11,281.23 < 12,244 (tilted
    // threshold) so no critical illness; outpatient assistance capped 1,000.00.
    assert_eq!(without.totals.out_of_pocket.to_string(), "14101.54");
    // With: 门特 basic (3,350.79 − 500) × 65% = 1,853.01; burden 1,497.78 × 75% assistance =
    // 1,123.34; the outpatient visit's cumulative burden 12,779.01 crosses 12,244:
    // (12,779.01 − 12,244.00) × 70% = 374.51 critical illness.
    assert_eq!(with.visits[0].basic.to_string(), "1853.01");
    assert_eq!(with.visits[0].assistance.to_string(), "1123.34");
    assert_eq!(with.visits[1].critical_illness.to_string(), "374.51");
    assert_eq!(with.totals.out_of_pocket.to_string(), "14101.47");
}

/// The web app resolves policies without the structural checks (files are validated in CI).
/// A deployment serving a broken file must still get answers, never a panic.
#[test]
fn a_structurally_broken_policy_never_panics_the_pipeline() {
    let text = std::fs::read_to_string(format!("{}/../../policies/tianjin-2023.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["default_tier"] = serde_json::json!("gold"); // not a tier
    v["basic"]["benefits"][0]["ratio"].as_object_mut().unwrap().remove("low"); // a tier without its table
    v["critical_illness"]["segments"] = serde_json::json!([]); // no segments
    v.as_object_mut().unwrap().remove("assistance"); // neither defined nor listed as not covered
    v["basic"]["benefits"][1]["cap_pool"] = serde_json::json!("nowhere");
    assert!(yibao_engine::policy::load(&v).is_err(), "the file is meant to be broken");
    let policy = yibao_engine::policy::read(&v).unwrap();
    for tier in [None, Some("low"), Some("high")] {
        for ids in [vec![], vec![Identity::ExtremePoverty, Identity::LowIncomeMargin]] {
            let s = Scenario {
                scheme: yibao_engine::Scheme::Resident,
                contribution_tier: tier.map(str::to_string),
                identities: ids,
                population: None,
                visits: VisitKind::ALL
                    .iter()
                    .map(|k| Visit { referred: true, ..Visit::new(*k, HospitalLevel::Level2.id(), Decimal::from(300_000), Decimal::from(250_000)) })
                    .collect(),
            };
            if let Ok(r) = calculate(&policy, &s) {
                let t = &r.totals;
                assert_eq!(t.basic + t.critical_illness + t.assistance + t.tilted_assistance + t.out_of_pocket, t.total);
                assert!(r.layers.iter().any(|l| l.layer == yibao_engine::Layer::Assistance && l.coverage == yibao_engine::result::Coverage::NotCovered));
            }
            let _ = yibao_engine::settle(&policy, &s);
        }
    }
}
