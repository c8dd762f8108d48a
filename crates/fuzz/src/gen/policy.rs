//! Random valid policies of every shape the format allows (docs/policy-format.md): any number
//! of tiers, every deductible rule, shared and separate pools, caps present or `null`,
//! critical illness segments on either basis with open or bounded ends and every kind of
//! tilt, assistance categories, extra assistance with or without referral, monitoring,
//! contributions, derived parameters with any factor, layers and visit kinds not covered.
//! Built as JSON and meant to pass `yibao_engine::policy::from_value`; the harness counts
//! the ones refused.

use super::number::{self, dec};
use super::param::Env;
use crate::rng::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use yibao_engine::{Identity, Layer, VisitKind};

pub struct GeneratedPolicy {
    pub json: Value,
    /// Money figures of the policy, for scenarios to aim bills at.
    pub landmarks: Vec<Decimal>,
}

/// Ids a file may use for tiers and pools: ordinary ones and odd ones (dots, brackets,
/// Chinese, empty), since ids end up in JSON paths and map keys.
const IDS: &[&str] = &["high", "low", "standard", "t1", "hospital", "outpatient", "档次二", "a.b", "x[0]", "", " "];
const TIER_IDS: &[&str] = &["high", "low", "standard", "t1", "档次二", "a.b", "x[0]"];
const NAMES: &[&str] = &["住院", "普通门诊统筹", "门诊慢特病", "救助", "n", "名称 with spaces"];

pub fn generate(rng: &mut Rng) -> GeneratedPolicy {
    let documents: Vec<String> = {
        let n = rng.range(1, 3) as usize;
        let mut ids: Vec<String> = rng.subset(&["seed-004", "doc", "tj-bendibao-2022", "文件", "d.1"], n).into_iter().map(String::from).collect();
        if ids.is_empty() {
            ids.push("doc".into());
        }
        ids
    };
    let statistics = statistics(rng);
    let mut env = Env {
        rng,
        documents,
        statistics: statistics.iter().map(|(k, v, _)| (k.clone(), *v)).collect(),
        landmarks: Vec::new(),
    };
    let identities: Vec<Identity> = if env.rng.chance(85) { env.rng.subset(Identity::ALL, 1) } else { vec![] };
    let tiers: Vec<String> = {
        let n = env.rng.weighted(&[45, 35, 15, 5]) + 1;
        // Tier ids are table keys: never empty, never padded, no commas (validation refuses those).
        env.rng.subset(TIER_IDS, n).into_iter().map(String::from).collect()
    };

    let mut p = Map::new();
    p.insert("format_version".into(), json!(2));
    p.insert("id".into(), json!(policy_id(env.rng)));
    p.insert("region".into(), json!(*env.rng.pick(&["天津市", "Region", "呼和浩特市"])));
    p.insert("year".into(), json!(*env.rng.pick(&[2014, 2023, 2024, 2026])));
    p.insert("title".into(), json!("生成的政策 generated policy"));
    p.insert("scheme".into(), json!("resident"));
    p.insert("checked_on".into(), json!(*env.rng.pick(&["2026-11-22", "2024-02-29", "2019-01-01"])));
    if env.rng.chance(50) {
        p.insert("summary".into(), json!("fuzz"));
    }
    p.insert("documents".into(), documents_json(&mut env));
    p.insert("statistics".into(), statistics_json(&mut env, &statistics));
    p.insert("tiers".into(), Value::Array(tiers.iter().map(|t| json!({ "id": t, "name": format!("档{t}") })).collect()));
    p.insert("default_tier".into(), json!(env.rng.pick(&tiers)));
    p.insert("identities".into(), json!(identities.iter().map(|i| i.id()).collect::<Vec<_>>()));

    let mut not_covered = Map::new();
    for (layer, percent) in [(Layer::Basic, 8), (Layer::CriticalIllness, 15), (Layer::Assistance, 15), (Layer::TiltedAssistance, 25)] {
        // Extra assistance names at least one identity, so a policy without any lacks it.
        let impossible = layer == Layer::TiltedAssistance && identities.is_empty();
        if impossible || env.rng.chance(percent) {
            not_covered.insert(layer.id().into(), json!("公开文件未规定"));
            continue;
        }
        let body = match layer {
            Layer::Basic => basic(&mut env, &tiers, &identities),
            Layer::CriticalIllness => critical_illness(&mut env, &identities),
            Layer::Assistance => assistance(&mut env, &identities),
            Layer::TiltedAssistance => tilted_assistance(&mut env, &identities),
        };
        p.insert(layer.id().into(), body);
    }
    if !not_covered.is_empty() || env.rng.chance(20) {
        p.insert("not_covered".into(), Value::Object(not_covered));
    }
    if env.rng.chance(40) {
        p.insert("monitoring".into(), monitoring(&mut env, &identities));
    }
    if env.rng.chance(50) {
        p.insert("contribution".into(), contribution(&mut env, &tiers, &identities));
    }
    GeneratedPolicy { json: Value::Object(p), landmarks: env.landmarks }
}

fn policy_id(rng: &mut Rng) -> String {
    let chars = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    (0..rng.range(1, 16)).map(|_| *rng.pick(chars) as char).collect()
}

fn documents_json(env: &mut Env) -> Value {
    let docs = env.documents.clone();
    Value::Array(
        docs.iter()
            .map(|id| {
                let mut d = Map::new();
                d.insert("id".into(), json!(id));
                d.insert("title".into(), json!("文件标题"));
                d.insert("issuer".into(), json!("发布机关"));
                d.insert("date".into(), json!(*env.rng.pick(&["2023", "2023-01", "2023-01-01", "不详"])));
                for (field, value) in [("number", "国办发〔2021〕42号"), ("url", "https://example.invalid/"), ("seed", "004_x.txt"), ("grade", "A−")] {
                    if env.rng.chance(30) {
                        d.insert(field.into(), json!(value));
                    }
                }
                Value::Object(d)
            })
            .collect(),
    )
}

/// Up to three statistics (key, value, role); each role at most once.
fn statistics(rng: &mut Rng) -> Vec<(String, Decimal, Option<&'static str>)> {
    let keys = rng.subset(&["income_2022", "income_rural", "收入", "s.1", ""], 0);
    let mut roles = vec!["disposable_income", "rural_disposable_income"];
    rng.shuffle(&mut roles);
    keys.into_iter()
        .take(3)
        .map(|k| {
            let value = if rng.chance(70) { dec(rng.range(10_000, 90_000) as i128, 0) } else { number::policy_amount(rng) };
            let role = if rng.chance(60) { roles.pop() } else { None };
            (k.to_string(), value, role)
        })
        .collect()
}

fn statistics_json(env: &mut Env, stats: &[(String, Decimal, Option<&'static str>)]) -> Value {
    let mut m = Map::new();
    for (key, value, role) in stats {
        let mut s = Map::new();
        s.insert("label".into(), json!("上年度居民人均可支配收入"));
        s.insert("value".into(), env.literal(*value, false));
        if let Some(role) = role {
            s.insert("role".into(), json!(role));
        }
        m.insert(key.clone(), Value::Object(s));
    }
    Value::Object(m)
}

/// A deductible or threshold: realistic mostly, any amount sometimes.
fn modest_amount(rng: &mut Rng, low: u64, high: u64) -> Decimal {
    if rng.chance(65) {
        dec(rng.range(low, high) as i128, 0)
    } else {
        number::policy_amount(rng)
    }
}

fn level_table(env: &mut Env, mut make: impl FnMut(&mut Env) -> Value) -> Value {
    json!({ "by": "facility", "grassroots": make(env), "level1": make(env), "level2": make(env), "level3": make(env) })
}

fn identities_json(ids: &[Identity]) -> Value {
    json!(ids.iter().map(|i| i.id()).collect::<Vec<_>>())
}

fn kinds_json(kinds: &[VisitKind]) -> Value {
    json!(kinds.iter().map(|k| k.id()).collect::<Vec<_>>())
}

/// Splits `items` into `1..=max` non-empty groups (fewer when there are fewer items); some
/// items may be left out when `drop` is set.
fn groups<T: Clone>(rng: &mut Rng, items: &[T], max: usize, drop: bool) -> Vec<Vec<T>> {
    let mut pool = items.to_vec();
    rng.shuffle(&mut pool);
    if drop && pool.len() > 1 {
        pool.truncate(rng.range(1, pool.len() as u64) as usize);
    }
    let mut out: Vec<Vec<T>> = Vec::new();
    for item in pool {
        if out.is_empty() || (out.len() < max && rng.chance(50)) {
            out.push(vec![item]);
        } else {
            let i = rng.index(out.len());
            out[i].push(item);
        }
    }
    out
}

/// Cap pools keyed by id: an amount, or `null` (no cap).
fn cap_pools(env: &mut Env, max: usize, low: u64, high: u64) -> Map<String, Value> {
    let n = env.rng.range(0, max as u64) as usize;
    let mut m = Map::new();
    for id in env.rng.subset(IDS, n) {
        let amount = if env.rng.chance(10) {
            Value::Null
        } else if env.rng.chance(10) {
            env.sourced(json!("none"))
        } else {
            let a = modest_amount(env.rng, low, high);
            env.amount(a).0
        };
        let mut pool = Map::new();
        pool.insert("label".into(), json!("年度最高支付限额"));
        if !amount.is_null() || env.rng.chance(50) {
            pool.insert("amount".into(), amount);
        }
        m.insert(id.to_string(), Value::Object(pool));
    }
    m
}

fn basic(env: &mut Env, tiers: &[String], identities: &[Identity]) -> Value {
    let mut uncovered = Map::new();
    let mut covered = Vec::new();
    for k in VisitKind::ALL {
        if env.rng.chance(12) {
            uncovered.insert(k.id().into(), json!("未找到该类就诊的规定"));
        } else {
            covered.push(*k);
        }
    }
    let caps = cap_pools(env, 3, 1_000, 500_000);
    let cap_ids: Vec<String> = caps.keys().cloned().collect();
    // Benefits that share a deductible pool share its rule (the format requires it).
    let mut pools: Vec<(String, &str)> = Vec::new();
    let benefits: Vec<Value> = groups(env.rng, &covered, 3, false)
        .into_iter()
        .map(|kinds| {
            let pool = env.rng.pick(IDS).to_string();
            let rule = match pools.iter().find(|(p, _)| *p == pool) {
                Some((_, rule)) => *rule,
                None => {
                    let rule = *env.rng.pick(&["per_visit", "first_visit_in_year", "yearly_amount"]);
                    pools.push((pool.clone(), rule));
                    rule
                }
            };
            let mut b = Map::new();
            b.insert("name".into(), json!(*env.rng.pick(NAMES)));
            b.insert("kinds".into(), kinds_json(&kinds));
            b.insert("deductible".into(), level_table(env, |env| {
                let d = modest_amount(env.rng, 0, 2_000);
                env.amount(d).0
            }));
            b.insert("deductible_rule".into(), env.sourced(json!(rule)));
            b.insert("deductible_pool".into(), json!(pool));
            let mut ratio = Map::new();
            ratio.insert("by".into(), json!("tier"));
            for t in tiers {
                ratio.insert(t.clone(), level_table(env, |env| env.ratio(Decimal::ONE).0));
            }
            b.insert("ratio".into(), Value::Object(ratio));
            if !identities.is_empty() && env.rng.chance(40) {
                let bonuses: Vec<Value> = (0..env.rng.range(1, 2))
                    .map(|_| {
                        let ids = env.rng.subset(identities, 1);
                        let max = if env.rng.chance(80) { dec(30, 2) } else { Decimal::ONE };
                        json!({ "identities": identities_json(&ids), "points": env.ratio(max).0 })
                    })
                    .collect();
                b.insert("ratio_bonus".into(), Value::Array(bonuses));
            }
            if !cap_ids.is_empty() && env.rng.chance(70) {
                b.insert("cap_pool".into(), json!(env.rng.pick(&cap_ids)));
            }
            Value::Object(b)
        })
        .collect();
    let mut basic = Map::new();
    basic.insert("benefits".into(), Value::Array(benefits));
    if !caps.is_empty() || env.rng.chance(30) {
        basic.insert("caps".into(), Value::Object(caps));
    }
    if !uncovered.is_empty() || env.rng.chance(20) {
        basic.insert("not_covered".into(), Value::Object(uncovered));
    }
    Value::Object(basic)
}

fn critical_illness(env: &mut Env, identities: &[Identity]) -> Value {
    let mut ci = Map::new();
    ci.insert("base_kinds".into(), {
        let kinds = env.rng.subset(VisitKind::ALL, 1);
        env.sourced(kinds_json(&kinds))
    });
    let (threshold_json, threshold) = {
        let t = modest_amount(env.rng, 5_000, 50_000);
        env.amount(t)
    };
    ci.insert("threshold".into(), threshold_json);
    let cumulative = env.rng.chance(60);
    // Bounds on the cumulative burden start above the threshold; on the excess, above 0.
    let mut floor = if cumulative { threshold } else { Decimal::ZERO };
    let wanted = env.rng.weighted(&[30, 30, 25, 10, 5]) + 1;
    let open_last = env.rng.chance(50);
    let mut segments = Vec::new();
    let mut ratios = Vec::new();
    for i in 0..wanted {
        let last = i + 1 == wanted;
        let up_to = if last && open_last {
            None
        } else {
            let step = if env.rng.chance(75) { dec(env.rng.range(1, 300_000) as i128, 0) } else { number::policy_amount(env.rng).max(dec(1, 2)) };
            match env.amount_above(floor, step) {
                Some((param, value)) => {
                    floor = value;
                    Some(param)
                }
                // No room left below the format's limit: end with an open segment.
                None => None,
            }
        };
        let (ratio_json, ratio) = env.ratio(Decimal::ONE);
        ratios.push(ratio);
        let mut s = Map::new();
        let open = up_to.is_none();
        match up_to {
            Some(u) => {
                s.insert("up_to".into(), u);
            }
            None if env.rng.chance(50) => {
                s.insert("up_to".into(), Value::Null);
            }
            None => {}
        }
        s.insert("ratio".into(), ratio_json);
        segments.push(Value::Object(s));
        if open {
            break;
        }
    }
    let last_bounded = segments.last().is_some_and(|s| s.get("up_to").is_some_and(|u| !u.is_null()));
    let basis_matters = segments.len() > 1 || last_bounded;
    if basis_matters || env.rng.chance(40) {
        let basis = if cumulative { "cumulative_burden" } else { "excess_over_threshold" };
        ci.insert("segment_basis".into(), env.sourced(json!(basis)));
    }
    ci.insert("segments".into(), Value::Array(segments));
    if env.rng.chance(60) {
        let cap = modest_amount(env.rng, 100_000, 600_000);
        ci.insert("cap".into(), env.amount(cap).0);
    } else if env.rng.chance(50) {
        ci.insert("cap".into(), env.sourced(json!("none")));
    }
    if last_bounded && env.rng.chance(50) {
        ci.insert("above_last_segment".into(), env.sourced(json!("超过部分不支付")));
    }
    let max_ratio = ratios.iter().copied().max().unwrap_or(Decimal::ZERO);
    if !identities.is_empty() && env.rng.chance(70) {
        let tilts: Vec<Value> = groups(env.rng, identities, 3, true)
            .into_iter()
            .map(|ids| {
                let mut t = Map::new();
                t.insert("identities".into(), identities_json(&ids));
                match env.rng.below(3) {
                    // An own threshold may be above the ordinary one: a file may say so.
                    0 => {
                        let own = modest_amount(env.rng, 1_000, 60_000);
                        t.insert("threshold".into(), env.amount(own).0);
                    }
                    1 => {
                        t.insert("threshold_factor".into(), env.ratio(Decimal::ONE).0);
                    }
                    _ => {}
                }
                if env.rng.chance(60) {
                    t.insert("ratio_points".into(), env.ratio(Decimal::ONE - max_ratio).0);
                }
                let removed = env.rng.chance(50);
                t.insert("cap_removed".into(), env.sourced(json!(removed)));
                if last_bounded && env.rng.chance(50) {
                    let unbounded = env.rng.chance(60);
                    t.insert("last_segment_unbounded".into(), env.sourced(json!(unbounded)));
                }
                Value::Object(t)
            })
            .collect();
        ci.insert("tilts".into(), Value::Array(tilts));
    }
    Value::Object(ci)
}

fn assistance(env: &mut Env, identities: &[Identity]) -> Value {
    let categories: Vec<Value> = if identities.is_empty() {
        vec![]
    } else {
        groups(env.rng, identities, 3, true)
            .into_iter()
            .map(|ids| {
                let caps = cap_pools(env, 2, 500, 100_000);
                let cap_ids: Vec<String> = caps.keys().cloned().collect();
                let rules: Vec<Value> = groups(env.rng, VisitKind::ALL, 3, true)
                    .into_iter()
                    .map(|kinds| {
                        let mut r = Map::new();
                        r.insert("name".into(), json!(*env.rng.pick(&["住院救助", "门诊救助"])));
                        r.insert("kinds".into(), env.sourced(kinds_json(&kinds)));
                        match env.rng.below(3) {
                            0 => {}
                            1 => {
                                r.insert("threshold".into(), Value::Null);
                            }
                            _ => {
                                let t = modest_amount(env.rng, 0, 10_000);
                                r.insert("threshold".into(), env.amount(t).0);
                            }
                        }
                        r.insert("ratio".into(), env.ratio(Decimal::ONE).0);
                        if !cap_ids.is_empty() && env.rng.chance(70) {
                            r.insert("cap_pool".into(), json!(env.rng.pick(&cap_ids)));
                        }
                        Value::Object(r)
                    })
                    .collect();
                let mut c = Map::new();
                c.insert("identities".into(), identities_json(&ids));
                c.insert("rules".into(), Value::Array(rules));
                if !caps.is_empty() || env.rng.chance(30) {
                    c.insert("caps".into(), Value::Object(caps));
                }
                Value::Object(c)
            })
            .collect()
    };
    json!({ "categories": categories })
}

fn tilted_assistance(env: &mut Env, identities: &[Identity]) -> Value {
    let mut t = Map::new();
    t.insert("name".into(), json!(*env.rng.pick(&["重特大疾病医疗救助", "倾斜救助"])));
    t.insert("identities".into(), identities_json(&env.rng.subset(identities, 1)));
    let kinds = if env.rng.chance(60) { vec![VisitKind::Inpatient] } else { env.rng.subset(VisitKind::ALL, 1) };
    t.insert("kinds".into(), env.sourced(kinds_json(&kinds)));
    let referral = env.rng.chance(50);
    t.insert("requires_referral".into(), env.sourced(json!(referral)));
    let threshold = modest_amount(env.rng, 1_000, 50_000);
    t.insert("threshold".into(), env.amount(threshold).0);
    t.insert("ratio".into(), env.ratio(Decimal::ONE).0);
    match env.rng.below(3) {
        0 => {}
        1 => {
            t.insert("cap".into(), env.sourced(json!("none")));
        }
        _ => {
            let cap = modest_amount(env.rng, 10_000, 300_000);
            t.insert("cap".into(), env.amount(cap).0);
        }
    }
    Value::Object(t)
}

fn monitoring(env: &mut Env, identities: &[Identity]) -> Value {
    let income = modest_amount(env.rng, 10_000, 50_000);
    let lines: Vec<Value> = (0..env.rng.range(0, 3))
        .map(|_| {
            let mut l = Map::new();
            // Names may repeat: the format allows it, and the diff matches lines by name.
            l.insert("name".into(), json!(*env.rng.pick(&["因病致贫监测", "因病返贫监测", "监测"])));
            l.insert("factor".into(), env.multiplier());
            if !identities.is_empty() && env.rng.chance(50) {
                l.insert("identities".into(), identities_json(&env.rng.subset(identities, 1)));
            } else if env.rng.chance(50) {
                l.insert("identities".into(), Value::Null);
            }
            Value::Object(l)
        })
        .collect();
    json!({ "income": env.amount(income).0, "lines": lines, "where_to_apply": "乡镇（街道）社会救助服务窗口" })
}

fn contribution(env: &mut Env, tiers: &[String], identities: &[Identity]) -> Value {
    let mut c = Map::new();
    let mut individual = Map::new();
    for t in env.rng.subset(tiers, 0) {
        let amount = modest_amount(env.rng, 100, 1_000);
        individual.insert(t, env.amount(amount).0);
    }
    c.insert("individual".into(), Value::Object(individual));
    let subsidy = env.rng.chance(60).then(|| {
        let amount = modest_amount(env.rng, 300, 1_000);
        let (param, value) = env.amount(amount);
        c.insert("government_subsidy".into(), param);
        value
    });
    if !identities.is_empty() && env.rng.chance(60) {
        let subsidies: Vec<Value> = (0..env.rng.range(1, 3))
            .map(|_| {
                let mut e = Map::new();
                e.insert("identities".into(), identities_json(&env.rng.subset(identities, 1)));
                e.insert("share".into(), env.ratio(Decimal::ONE).0);
                if env.rng.chance(50) {
                    e.insert("at_least".into(), json!(env.rng.chance(50)));
                }
                Value::Object(e)
            })
            .collect();
        c.insert("subsidised_enrolment".into(), Value::Array(subsidies));
    }
    if let Some(total) = subsidy.filter(|_| env.rng.chance(50)) {
        let splits: Vec<Value> = (0..env.rng.range(1, 2))
            .map(|_| {
                let n = env.rng.range(1, 4);
                // What the parts before leave of the subsidy: no part may take more (validation).
                let mut left = total;
                let parts: Vec<Value> = (0..n)
                    .map(|j| {
                        let mut part = Map::new();
                        part.insert("payer".into(), json!(*env.rng.pick(&["中央财政", "省级财政", "市县财政"])));
                        let last = j + 1 == n;
                        match env.rng.below(if last { 4 } else { 3 }) {
                            0 if left >= Decimal::TEN => {
                                let a = modest_amount(env.rng, 10, 600).min(left);
                                let (param, value) = env.amount(a);
                                if value <= left {
                                    part.insert("amount".into(), param);
                                    left -= value;
                                } else {
                                    // A share of what is left never takes more than is left.
                                    let (param, share) = env.ratio(Decimal::ONE);
                                    part.insert("share_of_rest".into(), param);
                                    left -= yibao_engine::money::round_fen(left * share);
                                }
                            }
                            0 | 1 if !total.is_zero() => {
                                let (param, share) = env.ratio((left / total).min(Decimal::ONE));
                                let amount = yibao_engine::money::round_fen(total * share);
                                if amount <= left {
                                    part.insert("share".into(), param);
                                    left -= amount;
                                } else {
                                    // A share of what is left never takes more than is left.
                                    let (param, share) = env.ratio(Decimal::ONE);
                                    part.insert("share_of_rest".into(), param);
                                    left -= yibao_engine::money::round_fen(left * share);
                                }
                            }
                            0 | 1 | 2 => {
                                let (param, share) = env.ratio(Decimal::ONE);
                                part.insert("share_of_rest".into(), param);
                                left -= yibao_engine::money::round_fen(left * share);
                            }
                            _ => {
                                part.insert("rest".into(), json!(true));
                            }
                        }
                        Value::Object(part)
                    })
                    .collect();
                json!({ "name": *env.rng.pick(&["一类地区", "二类地区"]), "parts": parts })
            })
            .collect();
        c.insert("fiscal_split".into(), Value::Array(splits));
    }
    Value::Object(c)
}
