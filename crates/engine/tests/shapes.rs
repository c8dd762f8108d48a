//! Every shape of policy format 2 on a copy of a real policy (tianjin-2023) changed in one
//! place, with the amounts computed by hand in each test's comments. The region files in
//! `policies/` use most of these shapes with their own worked examples (tests/golden); these
//! cases pin the shapes that no published example of ours covers yet (place of treatment, the
//! eligible-cost ceiling, per-visit assistance thresholds and caps, assistance bands …).
//!
//! The base policy, tianjin-2023 高档, inpatient: deductible 500 (first admission of the year
//! only, shared with 门特), ratio level3 75% / level2 80%, yearly cap 250,000;
//! 大病保险 threshold 24,488, 65% to 100,000 …; 低保 inpatient assistance 70%, no threshold.

use serde_json::{json, Value};
use yibao_engine::{calculate, policy, scenario, CalcResult};

fn tianjin() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/tianjin-2023.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// An assumed figure, as a test's own.
fn fig(v: &str) -> Value {
    json!({ "value": v, "status": "assumed", "note": "测试用" })
}

fn rule(v: Value) -> Value {
    json!({ "value": v, "status": "assumed", "note": "测试用" })
}

fn run(p: &Value, s: Value) -> CalcResult {
    let policy = policy::from_value(&serde_json::from_value(p.clone()).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let scenario = scenario::from_value(&serde_json::from_value(s).unwrap()).unwrap();
    calculate(&policy, &scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn problems(p: &Value) -> Vec<String> {
    match policy::from_value(&serde_json::from_value(p.clone()).unwrap()) {
        Ok(_) => vec![],
        Err(e) => e.problems().into_iter().map(|p| format!("{}: {}", p.path, p.message)).collect(),
    }
}

fn yuan(d: rust_decimal::Decimal) -> String {
    yibao_engine::money::to_contract(d)
}

fn visit(level: &str, total: &str, in_scope: &str) -> Value {
    json!({ "kind": "inpatient", "level": level, "total": total, "in_scope": in_scope })
}

#[test]
fn place_of_treatment_changes_the_deductible_and_the_ratio() {
    let mut p = tianjin();
    let b = &mut p["basic"]["benefits"][0];
    b["deductible"]["level3"] = json!({ "by": "place", "local": fig("500"), "elsewhere_registered": fig("1000"), "elsewhere_unregistered": fig("2000") });
    b["ratio"]["high"]["level3"] = json!({ "by": "place", "local": fig("75%"), "elsewhere_registered,elsewhere_unregistered": fig("60%") });
    // Local: (50,000 − 500) × 75% = 37,125.00.
    let r = run(&p, json!({ "visits": [visit("level3", "50000", "50000")] }));
    assert_eq!(yuan(r.totals.basic), "37125.00");
    // Unregistered elsewhere: (50,000 − 2,000) × 60% = 28,800.00.
    let mut v = visit("level3", "50000", "50000");
    v["place"] = json!("elsewhere_unregistered");
    let r = run(&p, json!({ "visits": [v] }));
    assert_eq!(yuan(r.totals.basic), "28800.00");
    let step = r.steps.iter().find(|s| s.title.starts_with("基本医保")).unwrap();
    assert!(step.params.iter().any(|x| x.path == "basic.benefits[0].deductible.level3.elsewhere_unregistered" && x.label.contains("异地就医（未备案）")), "{:?}", step.params);
    // A table that leaves a place out is refused, naming the key.
    p["basic"]["benefits"][0]["deductible"]["level3"].as_object_mut().unwrap().remove("elsewhere_registered");
    assert!(problems(&p).iter().any(|m| m.starts_with("basic.benefits[0].deductible.level3.elsewhere_registered:")), "{:?}", problems(&p));
}

#[test]
fn deductible_by_admission_with_a_yearly_ceiling() {
    let mut p = tianjin();
    let b = &mut p["basic"]["benefits"][0];
    b["deductible_rule"] = rule(json!("per_visit"));
    b["deductible"]["level2"] = json!({ "by": "admission", "1": fig("600"), "2": fig("600"), "3+": fig("1100") });
    b["deductible_ceiling"] = fig("2000");
    // 门特 shares the pool and the rule.
    p["basic"]["benefits"][1]["deductible_rule"] = rule(json!("per_visit"));
    // Four admissions of 10,000 at level 2 (80%): deductibles 600, 600, then 1,100 cut to the
    // 800 left of the 2,000 ceiling, then 0.
    // Payouts: (10,000 − 600) × 80% = 7,520.00 twice; (10,000 − 800) × 80% = 7,360.00; 10,000 × 80% = 8,000.00.
    let v = visit("level2", "10000", "10000");
    let r = run(&p, json!({ "visits": [v.clone(), v.clone(), v.clone(), v] }));
    let basic: Vec<String> = r.visits.iter().map(|x| yuan(x.basic)).collect();
    assert_eq!(basic, ["7520.00", "7520.00", "7360.00", "8000.00"]);
    let third = r.steps.iter().filter(|s| s.title.starts_with("基本医保")).nth(2).unwrap();
    assert!(third.lines.iter().any(|l| l.contains("年度起付线累计上限 2,000.00") && l.contains("只扣 800.00")), "{:?}", third.lines);
    // A chronic outpatient visit in between is not an admission: the inpatient ordinal counts
    // inpatient visits only (the 门特 table keeps its own figures).
    let chronic = json!({ "kind": "chronic_outpatient", "level": "level2", "total": "1000", "in_scope": "1000" });
    let v = visit("level2", "10000", "10000");
    let r = run(&p, json!({ "visits": [v.clone(), chronic, v] }));
    let first_step_of_visit_2 = r.steps.iter().find(|s| s.visit == Some(2) && s.title.starts_with("基本医保")).unwrap();
    assert!(first_step_of_visit_2.params.iter().any(|x| x.path == "basic.benefits[0].deductible.level2.2"), "{:?}", first_step_of_visit_2.params);
}

#[test]
fn basic_insurance_in_bands_of_the_years_cost() {
    let mut p = tianjin();
    let b = p["basic"]["benefits"][0].as_object_mut().unwrap();
    b.remove("ratio");
    b.insert("segments".into(), json!([
        { "up_to": fig("50000"), "ratio": fig("70%") },
        { "ratio": fig("80%") }
    ]));
    // Cumulative basis (the default): the first 500 is the deductible; 500–50,000 at 70% =
    // 34,650.00; 50,000–80,000 at 80% = 24,000.00; total 58,650.00 on one admission of 80,000.
    let r = run(&p, json!({ "visits": [visit("level3", "80000", "80000")] }));
    assert_eq!(yuan(r.totals.basic), "58650.00");
    // The same cost in two admissions (deductible at the first only): 40,000 then 40,000.
    // First: (40,000 − 500) × 70% = 27,650.00; second: 40,000–50,000 at 70% = 7,000 and
    // 50,000–80,000 at 80% = 24,000, 31,000.00. The year's total is the same 58,650.00.
    let v = visit("level3", "40000", "40000");
    let r = run(&p, json!({ "visits": [v.clone(), v] }));
    assert_eq!(r.visits.iter().map(|x| yuan(x.basic)).collect::<Vec<_>>(), ["27650.00", "31000.00"]);
    // Measured above the deductible: bounds on the cost after it, 0–50,000 at 70% = 35,000,
    // 50,000–79,500 at 80% = 23,600: 58,600.00.
    let mut p2 = p.clone();
    p2["basic"]["benefits"][0]["segment_basis"] = rule(json!("excess_over_threshold"));
    let r = run(&p2, json!({ "visits": [visit("level3", "80000", "80000")] }));
    assert_eq!(yuan(r.totals.basic), "58600.00");
    // Exactly one of ratio and segments.
    p["basic"]["benefits"][0]["ratio"] = tianjin()["basic"]["benefits"][0]["ratio"].clone();
    assert!(problems(&p).iter().any(|m| m.starts_with("basic.benefits[0]:") && m.contains("ratio 与 segments")), "{:?}", problems(&p));
}

#[test]
fn the_eligible_cost_ceiling_sends_the_rest_to_critical_illness() {
    let mut p = tianjin();
    p["basic"]["benefits"][0]["eligible_ceiling"] = fig("90000");
    // 177,000 in scope at level 3 (75%): basic pays (90,000 − 500) × 75% = 67,125.00 and
    // nothing on the 87,000 above the ceiling. 大病 base: 177,000 − 67,125 = 109,875;
    // 65% on 24,488–100,000 = 49,082.80, 70% on 100,000–109,875 = 6,912.50: 55,995.30.
    let r = run(&p, json!({ "visits": [visit("level3", "180000", "177000")] }));
    assert_eq!(yuan(r.totals.basic), "67125.00");
    assert_eq!(yuan(r.totals.critical_illness), "55995.30");
    let step = r.steps.iter().find(|s| s.title.starts_with("基本医保")).unwrap();
    assert!(step.lines.iter().any(|l| l.contains("本次有 87,000.00 超过封顶")), "{:?}", step.lines);
}

#[test]
fn partial_self_pay_is_left_out_of_each_base_that_excludes_it() {
    let mut p = tianjin();
    // Assistance for 低保 inpatient includes it; the other layers leave it out (the default).
    p["assistance"]["categories"][1]["rules"][1]["partial_self_pay_in_base"] = rule(json!(true));
    let mut v = visit("level3", "100000", "90000");
    v["partial_self_pay"] = json!("2000");
    // Basic: (90,000 − 2,000 − 500) × 75% = 65,625.00.
    // 大病 (低保: threshold 12,244, +5 points): 90,000 − 65,625 − 2,000 = 22,375; (22,375 − 12,244) × 70% = 7,091.70.
    // Assistance (includes it): 90,000 − 65,625 − 7,091.70 = 17,283.30 × 70% = 12,098.31.
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [v.clone()] }));
    assert_eq!(yuan(r.totals.basic), "65625.00");
    assert_eq!(yuan(r.totals.critical_illness), "7091.70");
    assert_eq!(yuan(r.totals.assistance), "12098.31");
    // Without the flag assistance leaves it out too: (17,283.30 − 2,000) × 70% = 10,698.31.
    let r = run(&tianjin(), json!({ "identities": ["subsistence_allowance"], "visits": [v.clone()] }));
    assert_eq!(yuan(r.totals.assistance), "10698.31");
    // More than the in-scope cost is refused.
    v["partial_self_pay"] = json!("90000.01");
    let e = scenario::from_value(&serde_json::from_value(json!({ "visits": [v] })).unwrap()).unwrap().check(&policy::parse(&serde_json::to_string(&tianjin()).unwrap()).unwrap()).unwrap_err();
    assert_eq!((e.field.as_str(), e.kind), ("visits[0].partial_self_pay", scenario::ScenarioErrorKind::AboveInScope));
}

#[test]
fn assistance_per_admission_threshold_and_cap_and_bands() {
    let mut p = tianjin();
    let r = &mut p["assistance"]["categories"][1]["rules"][1];
    r["admission_threshold"] = fig("1000");
    r["admission_cap"] = fig("8000");
    let r = r.as_object_mut().unwrap();
    r.remove("ratio");
    r.insert("segments".into(), json!([{ "up_to": fig("10000"), "ratio": fig("50%") }, { "ratio": fig("70%") }]));
    r.insert("segment_basis".into(), rule(json!("excess_over_threshold")));
    // One admission, 低保, level 3, 40,000 in scope: basic (40,000 − 500) × 75% = 29,625.00;
    // 大病: 40,000 − 29,625 = 10,375, below 12,244: 0. Assistance base 10,375 − 1,000 (this
    // admission's threshold) = 9,375 × 50% = 4,687.50.
    let v = visit("level3", "40000", "40000");
    let res = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [v.clone()] }));
    assert_eq!(yuan(res.totals.assistance), "4687.50");
    // A second admission (no basic deductible): basic 40,000 × 75% = 30,000; 大病 base
    // 10,375 + 10,000 = 20,375 → (20,375 − 12,244) × 70% = 5,691.70; left 4,308.30; minus
    // this admission's 1,000 = 3,308.30, on the year's axis 9,375–12,683.30: 625 × 50% +
    // 2,683.30 × 70% = 312.50 + 1,878.31 = 2,190.81.
    let res = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [v.clone(), v] }));
    assert_eq!(res.visits.iter().map(|x| yuan(x.assistance)).collect::<Vec<_>>(), ["4687.50", "2190.81"]);
    // A large admission meets the cap of one admission: 200,000 at level 3: basic 149,625.00;
    // 大病 base 50,375: 65% × (50,375 − 12,244) … the assistance base is far above 8,000's reach.
    let res = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [visit("level3", "200000", "200000")] }));
    assert_eq!(yuan(res.totals.assistance), "8000.00");
    let step = res.steps.iter().find(|s| s.title.starts_with("医疗救助")).unwrap();
    assert!(step.lines.iter().any(|l| l.starts_with("每次最高救助 8,000.00")), "{:?}", step.lines);
}

/// Bands of one admission whose ratios differ by facility (金寨县 2020: 乡镇级 1万元以内 50%、
/// 以上 70%；县级以上 40%、45%；单次最高 5000).
#[test]
fn assistance_bands_of_one_admission_by_facility() {
    let mut p = tianjin();
    p.as_object_mut().unwrap().remove("critical_illness");
    p["not_covered"] = json!({ "critical_illness": "测试用" });
    let r = p["assistance"]["categories"][1]["rules"][1].as_object_mut().unwrap();
    r.remove("ratio");
    let by_class = |low: &str, high: &str| json!({ "by": "facility", "grassroots,level1": fig(low), "level2,level3": fig(high) });
    r.insert("segments".into(), json!([{ "up_to": fig("10000"), "ratio": by_class("50%", "40%") }, { "ratio": by_class("70%", "45%") }]));
    r.insert("segment_basis".into(), rule(json!("admission")));
    r.insert("admission_cap".into(), fig("5000"));
    let slip = |level: &str, in_scope: &str, paid: &str| json!({ "kind": "inpatient", "level": level, "total": in_scope, "in_scope": in_scope, "basic_paid": paid });
    // 低保, 三级: burden 30,000 − 18,000 = 12,000: 10,000 × 40% + 2,000 × 45% = 4,900; the
    // second admission starts the bands again: 4,900 (on the year's burden it would be 24,000
    // → 12,000 × 45% = 5,400, capped 5,000).
    let res = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [slip("level3", "30000", "18000"), slip("level3", "30000", "18000")] }));
    assert_eq!(res.visits.iter().map(|x| yuan(x.assistance)).collect::<Vec<_>>(), ["4900.00", "4900.00"]);
    let step = res.steps.iter().find(|s| s.title.starts_with("医疗救助")).unwrap();
    assert!(step.lines.iter().any(|l| l.starts_with("分段救助（本次，")), "{:?}", step.lines);
    // 一级: burden 14,000: 10,000 × 50% + 4,000 × 70% = 7,800, capped at 5,000 for one admission.
    let res = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [slip("level1", "30000", "16000")] }));
    assert_eq!(yuan(res.totals.assistance), "5000.00");
    // The basis is assistance's only; bands of the year may not differ by facility.
    let mut broken = p.clone();
    broken["critical_illness"] = tianjin()["critical_illness"].clone();
    broken["critical_illness"]["segment_basis"] = rule(json!("admission"));
    broken.as_object_mut().unwrap().remove("not_covered");
    assert!(problems(&broken).iter().any(|m| m.starts_with("critical_illness.segment_basis:")), "{:?}", problems(&broken));
    let mut yearly = p.clone();
    yearly["assistance"]["categories"][1]["rules"][1]["segment_basis"] = rule(json!("excess_over_threshold"));
    assert!(problems(&yearly).iter().any(|m| m.contains("segments[0].ratio")), "{:?}", problems(&yearly));
}

#[test]
fn tilted_assistance_by_identity() {
    let mut p = tianjin();
    p["tilted_assistance"]["ratio"] = json!({ "by": "identity", "extreme_poverty,subsistence_allowance": fig("70%"), "low_income_margin": fig("60%") });
    // A table that leaves one of the rule's identities out is refused.
    let mut broken = p.clone();
    broken["tilted_assistance"]["ratio"].as_object_mut().unwrap().remove("low_income_margin");
    assert!(problems(&broken).iter().any(|m| m.starts_with("tilted_assistance.ratio.low_income_margin:")), "{:?}", problems(&broken));
    // 低保边缘, 300,000 in scope at level 3 … the burden after three layers above 10,000 at 60%:
    // compare with 低保 on the same bill, whose extra assistance is at 70%: the ratio of the
    // two payouts is the ratio of the two ratios when both are above the threshold.
    let bill = json!({ "visits": [visit("level3", "400000", "400000")] });
    let mut low = bill.clone();
    low["identities"] = json!(["low_income_margin"]);
    let r = run(&p, low);
    let tilted = r.steps.iter().find(|s| s.title == "重特大疾病医疗救助").unwrap();
    assert!(tilted.lines.iter().any(|l| l.contains("× 60%")), "{:?}", tilted.lines);
}

/// 倾斜救助 on each admission's burden: 「单次住院…经三重制度综合保障后，个人自付费用仍超过3500元的
/// 费用给予倾斜救助。对低保对象、特困人员…按70%的比例…其他…60%…年度救助限额为2万元」 (a
/// district's published rule, examples-3 R1 in the research notes; its page has no address, so
/// it is a test here, not a region).
#[test]
fn tilted_assistance_per_admission_threshold() {
    let mut p = tianjin();
    p.as_object_mut().unwrap().remove("critical_illness");
    p["not_covered"] = json!({ "critical_illness": "测试用：大病保险另算" });
    let t = p["tilted_assistance"].as_object_mut().unwrap();
    t.remove("threshold");
    t.insert("admission_threshold".into(), fig("3500"));
    t.insert("ratio".into(), json!({ "by": "identity", "extreme_poverty,subsistence_allowance": fig("70%"), "low_income_margin": fig("60%") }));
    t.insert("cap".into(), fig("20000"));
    t.insert("requires_referral".into(), rule(json!(true)));
    let slip = |in_scope: &str, paid: &str| json!({ "kind": "inpatient", "level": "level2", "total": in_scope, "in_scope": in_scope, "basic_paid": paid, "referred": true });
    let big = slip("180000", "125790");
    // 低保: basic 125,790 (slip); assistance (180,000 − 125,790) × 70% = 37,947.00; left
    // 16,263.00; this admission's part above 3,500 is 12,763.00 × 70% = 8,934.10.
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [big.clone()] }));
    assert_eq!((yuan(r.totals.assistance), yuan(r.totals.tilted_assistance)), ("37947.00".into(), "8934.10".into()));
    let step = r.steps.iter().find(|s| s.title == "重特大疾病医疗救助").unwrap();
    assert!(step.lines.iter().any(|l| l == "每次起付标准 3,500.00，本次超过的部分 12,763.00"), "{:?}", step.lines);
    // A small admission (3,000: assistance 2,100, left 900) stays below its own threshold and
    // adds nothing to the year; the second big one pays 8,934.10 again (17,868.20 in all); the
    // third reaches the yearly 20,000: 38,289 × 70% = 26,802.30, capped, 20,000 − 17,868.20.
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [big.clone(), slip("3000", "0"), big.clone(), big.clone()] }));
    let paid: Vec<String> = r.visits.iter().map(|v| yuan(v.tilted_assistance)).collect();
    assert_eq!(paid, ["8934.10", "0.00", "8934.10", "2131.80"]);
    // 低保边缘: assistance above its yearly threshold 4,897.60 (golden 021) at 65%:
    // (54,210 − 4,897.60) × 65% = 32,053.06; left 22,156.94 − 3,500 = 18,656.94 × 60% = 11,194.16.
    let r = run(&p, json!({ "identities": ["low_income_margin"], "visits": [big.clone()] }));
    assert_eq!((yuan(r.totals.assistance), yuan(r.totals.tilted_assistance)), ("32053.06".into(), "11194.16".into()));
    // With a yearly threshold as well (1,000): (12,763 − 1,000) × 70% = 8,234.10.
    p["tilted_assistance"]["threshold"] = fig("1000");
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [big] }));
    assert_eq!(yuan(r.totals.tilted_assistance), "8234.10");
    // Neither threshold: refused, naming the field.
    let t = p["tilted_assistance"].as_object_mut().unwrap();
    t.remove("threshold");
    t.remove("admission_threshold");
    assert!(problems(&p).iter().any(|m| m.starts_with("tilted_assistance.threshold:")), "{:?}", problems(&p));
}

#[test]
fn an_identity_given_a_worse_figure_than_ordinary_is_treated_as_ordinary() {
    // Found by yibao-fuzz (tests/fuzz/regressions/calc-identity_costs_more-3-139.json: a
    // deductible keyed by identity, 999,578 for 孤儿 against 669 for `ordinary`). Here a ratio:
    // 低保边缘 10% at level 3 where `ordinary` has 75%.
    let mut p = tianjin();
    p["basic"]["benefits"][0]["ratio"]["high"]["level3"] =
        json!({ "by": "identity", "ordinary,extreme_poverty,subsistence_allowance": fig("75%"), "low_income_margin": fig("10%") });
    let bill = json!({ "identities": ["low_income_margin"], "visits": [visit("level3", "20000", "20000")] });
    let r = run(&p, bill);
    // As 低保边缘: (20,000 − 500) × 10% = 1,950.00, and assistance on the rest cannot make up
    // for it; as an ordinary resident (20,000 − 500) × 75% = 14,625.00, leaving 5,375.00.
    assert_eq!(r.identity, None);
    assert_eq!((yuan(r.totals.basic), yuan(r.totals.out_of_pocket)), ("14625.00".into(), "5375.00".into()));
    assert!(r.steps.iter().any(|s| s.title == "适用待遇（就高不就低）"), "{:?}", r.steps.iter().map(|s| &s.title).collect::<Vec<_>>());
    // An identity's better figure still applies: 低保边缘 at 90% pays (20,000 − 500) × 90%.
    p["basic"]["benefits"][0]["ratio"]["high"]["level3"]["low_income_margin"] = fig("90%");
    let r = run(&p, json!({ "identities": ["low_income_margin"], "visits": [visit("level3", "20000", "20000")] }));
    assert_eq!((r.identity.map(|i| i.id()), yuan(r.totals.basic)), (Some("low_income_margin"), "17550.00".into()));
}

#[test]
fn later_layers_from_a_settlement_slip() {
    let mut p = tianjin();
    // A policy with only the later layers: basic insurance not covered.
    p.as_object_mut().unwrap().remove("basic");
    p["not_covered"] = json!({ "basic": "本文件只写大病保险和医疗救助" });
    // The slip says basic paid 67,125 on 90,000 in scope. 大病 (低保): 90,000 − 67,125 =
    // 22,875 → (22,875 − 12,244) × 70% = 7,441.70; assistance (22,875 − 7,441.70) × 70% = 10,803.31.
    let mut v = visit("level3", "100000", "90000");
    v["basic_paid"] = json!("67125");
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [v] }));
    assert_eq!(yuan(r.totals.basic), "67125.00");
    assert_eq!(yuan(r.totals.critical_illness), "7441.70");
    assert_eq!(yuan(r.totals.assistance), "10803.31");
    assert!(r.steps.iter().any(|s| s.title == "基本医保（按结算单）"));
    // Without the slip the visit's later layers cannot be computed.
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [visit("level3", "100000", "90000")] }));
    assert!(r.totals.critical_illness.is_zero() && r.totals.assistance.is_zero());
}

#[test]
fn population_groups() {
    let mut p = tianjin();
    p["populations"] = json!([{ "id": "adult", "name": "成年居民" }, { "id": "student", "name": "学生儿童" }]);
    p["default_population"] = json!("adult");
    p["basic"]["benefits"][0]["ratio"]["high"]["level3"] = json!({ "by": "population", "adult": fig("75%"), "student": fig("85%") });
    // Student: (50,000 − 500) × 85% = 42,075.00; the default group: × 75% = 37,125.00.
    let r = run(&p, json!({ "population": "student", "visits": [visit("level3", "50000", "50000")] }));
    assert_eq!(yuan(r.totals.basic), "42075.00");
    let r = run(&p, json!({ "visits": [visit("level3", "50000", "50000")] }));
    assert_eq!(yuan(r.totals.basic), "37125.00");
    // An unknown group is the scenario's error, named by its field.
    let policy = policy::from_value(&serde_json::from_value(p.clone()).unwrap()).unwrap();
    let s = scenario::from_value(&serde_json::from_value(json!({ "population": "elderly", "visits": [visit("level3", "1", "1")] })).unwrap()).unwrap();
    let e = s.check(&policy).unwrap_err();
    assert_eq!((e.field.as_str(), e.kind), ("population", scenario::ScenarioErrorKind::UnknownPopulation));
    // Populations without a default are refused.
    p.as_object_mut().unwrap().remove("default_population");
    assert!(problems(&p).iter().any(|m| m.starts_with("default_population:")));
}

#[test]
fn facility_classes_of_the_policys_own() {
    let mut p = tianjin();
    p["facility_classes"] = json!([{ "id": "township", "name": "乡镇卫生院" }, { "id": "county", "name": "县级医院" }]);
    // Every table by facility must now use these ids: the old levels are unknown keys, and the
    // new ones are missing.
    let found = problems(&p);
    assert!(found.iter().any(|m| m.starts_with("basic.benefits[0].deductible.township:") && m.contains("missing key")), "{found:?}");
    assert!(found.iter().any(|m| m.starts_with("basic.benefits[0].deductible.level1:") && m.contains("unknown key")), "{found:?}");
    for b in p["basic"]["benefits"].as_array_mut().unwrap() {
        b["deductible"] = json!({ "by": "facility", "township": fig("200"), "county": fig("500") });
        let tiers: Vec<String> = b["ratio"].as_object().unwrap().keys().filter(|k| *k != "by").cloned().collect();
        for t in tiers {
            b["ratio"][&t] = json!({ "by": "facility", "township": fig("90%"), "county": fig("70%") });
        }
    }
    // County: (10,000 − 500) × 70% = 6,650.00, and the visit is named by the class's name.
    let r = run(&p, json!({ "visits": [visit("county", "10000", "10000")] }));
    assert_eq!(yuan(r.totals.basic), "6650.00");
    assert_eq!(r.visits[0].level_name, "县级医院");
}

#[test]
fn a_stated_absence_of_a_cap_is_not_an_unknown_cap() {
    let mut p = tianjin();
    p["critical_illness"]["cap"] = rule(json!("none"));
    let r = run(&p, json!({ "visits": [visit("level3", "100000", "90000")] }));
    let ci = r.steps.iter().find(|s| s.title == "大病保险").unwrap();
    assert!(ci.params.iter().any(|x| x.path == "critical_illness.cap" && x.display == "不设封顶"), "{:?}", ci.params);
}

#[test]
fn a_policy_knows_the_dimensions_its_tables_use() {
    use yibao_engine::policy::Dimension;
    let load = |id: &str| policy::parse(&std::fs::read_to_string(format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
    let tianjin = load("tianjin-2023");
    assert!(tianjin.uses(Dimension::Tier) && tianjin.uses(Dimension::Facility));
    assert!(!tianjin.uses(Dimension::Population) && !tianjin.uses(Dimension::Place) && !tianjin.uses(Dimension::Admission));
    let suzhou = load("suzhou-2024");
    assert!(suzhou.uses(Dimension::Place) && suzhou.uses(Dimension::Admission));
    let nanjing = load("nanjing-2021");
    assert!(nanjing.uses(Dimension::Population));
    // The same as looking through every table.
    for p in [&tianjin, &suzhou, &nanjing] {
        for &d in Dimension::ALL {
            let mut any = false;
            p.each_table(&mut |t, _| any |= t.uses(d));
            assert_eq!(p.uses(d), any, "{} {d:?}", p.id);
        }
    }
}

#[test]
fn a_trusted_read_resolves_every_figure_as_validation_does() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "index.json" || name == "schema.json" {
            continue;
        }
        let value = yibao_engine::json::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let checked = policy::from_value(&value).unwrap();
        let trusted = policy::read_trusted(&value).unwrap();
        assert_eq!(checked.provenance(), trusted.provenance(), "{name}");
        assert_eq!(checked.dimensions, trusted.dimensions, "{name}");
    }
}

#[test]
fn a_critical_illness_slip_never_makes_an_identity_cost_more() {
    // A 大病 tilt with a lower threshold but the ordinary cap (20,000) reaches the cap sooner.
    // Over the year it pays at least the ordinary rule, but a 结算单 paying visit 1 splits the
    // year: visit 2 is paid the rule's stretch from 40,000 to 80,000 of cumulative burden.
    let mut p = tianjin();
    for layer in ["assistance", "tilted_assistance"] {
        p.as_object_mut().unwrap().remove(layer);
    }
    p["not_covered"] = json!({ "assistance": "测试用", "tilted_assistance": "测试用" });
    p["critical_illness"]["cap"] = fig("20000");
    let tilt = p["critical_illness"]["tilts"][0].as_object_mut().unwrap();
    tilt.insert("cap_removed".into(), rule(json!(false)));
    tilt.remove("last_segment_unbounded");
    // Visit 1 (slip): burden after basic 100,000 − 60,000 = 40,000, 大病 0 on the slip; it is
    // the year's first admission, so visit 2 has no deductible.
    // Visit 2: basic 158,500 × 75% = 118,875, burden 39,625; cumulative 40,000 → 79,625.
    // 低保 tilt (threshold 12,244, 70%): F(79,625) = 20,000 (cap), F(40,000) = 27,756 × 70% =
    // 19,429.20 → 570.80. Ordinary (24,488, 65%): 20,000 − 15,512 × 65% = 20,000 − 10,082.80
    // = 9,917.20. So the ordinary treatment leaves less to pay, and applies.
    let mut slip = visit("level3", "100000", "100000");
    slip["basic_paid"] = json!("60000");
    slip["critical_illness_paid"] = json!("0");
    let r = run(&p, json!({ "identities": ["subsistence_allowance"], "visits": [slip, visit("level3", "158500", "158500")] }));
    assert_eq!(r.identity, None);
    assert_eq!((yuan(r.visits[1].critical_illness), yuan(r.totals.out_of_pocket)), ("9917.20".into(), "69707.80".into()));
    assert!(r.steps.iter().any(|s| s.title == "适用待遇（就高不就低）"));
    assert!(r.identities_considered.iter().any(|c| yuan(c.out_of_pocket) == "79054.20"), "as 低保: 40,000 + 39,625 − 570.80");
}
