//! Random valid policies of every shape the format allows (docs/policy-format.md): any number
//! of tiers, populations and facility classes of the policy's own, every deductible rule,
//! shared and separate pools, caps as tables, stated none or unstated, critical illness
//! segments on either basis with open or bounded ends and every kind of tilt, basic and
//! assistance bands on either basis, deductible and eligible-cost ceilings, 乙类先行自付 in
//! or out of a layer's base, assistance categories with per-visit thresholds and caps, extra
//! assistance with or without referral, monitoring, contributions, derived parameters with
//! any factor, layers and visit kinds not covered. Any figure the format allows as a table is
//! sometimes one, of one or two levels, keyed by any dimension it may depend on (yearly
//! figures by tier, population and identity only), covering every value, sometimes with
//! comma-joined keys (`table`). Built as JSON and meant to pass
//! `yibao_engine::policy::from_value`; the harness counts the ones refused.

use super::number::{self, dec};
use super::param::Env;
use crate::rng::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use yibao_engine::{HospitalLevel, Identity, Layer, VisitKind};

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
/// Population and facility class ids: table keys like tier ids (no commas, no padding).
const POPULATION_IDS: &[&str] = &["adult", "student", "elderly", "学生儿童", "newborn", "p.1"];
const FACILITY_IDS: &[&str] = &["township", "county", "city", "province", "社区卫生服务中心", "f[1]"];

/// The values a policy's tables may be keyed by: its tiers, populations (none: no such
/// dimension), facility classes (the four 医院等级 by default) and identities.
pub struct Axes {
    pub tiers: Vec<String>,
    pub populations: Vec<String>,
    pub facilities: Vec<String>,
    pub identities: Vec<Identity>,
}

/// Where a table stands: a yearly figure (keyed by the resident only) or one of a visit, the
/// visit kinds of its rule, and the identities it may name (`None`: the policy's and `ordinary`).
#[derive(Clone, Copy)]
struct Site<'a> {
    yearly: bool,
    kinds: &'a [VisitKind],
    identities: Option<&'a [Identity]>,
}

impl Site<'_> {
    fn yearly(self) -> Self {
        Site { yearly: true, ..self }
    }
}

const DIMENSIONS: &[&str] = &["tier", "population", "facility", "visit_kind", "admission", "referral", "place", "identity"];

impl Axes {
    /// The values of a dimension at a site; `None` where the table may not use it.
    fn values(&self, rng: &mut Rng, site: Site, by: &str) -> Option<Vec<String>> {
        let yearly_only = matches!(by, "tier" | "population" | "identity");
        if site.yearly && !yearly_only {
            return None;
        }
        let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let values = match by {
            "tier" => self.tiers.clone(),
            "population" => self.populations.clone(),
            "facility" => self.facilities.clone(),
            "visit_kind" => site.kinds.iter().map(|k| k.id().to_string()).collect(),
            "admission" => {
                let n = rng.range(1, 4);
                (1..n).map(|i| i.to_string()).chain([format!("{n}+")]).collect()
            }
            "referral" => strings(&["referred", "not_referred"]),
            "place" => strings(&["local", "elsewhere_registered", "elsewhere_unregistered"]),
            _ => match site.identities {
                Some(ids) => ids.iter().map(|i| i.id().to_string()).collect(),
                None => self.identities.iter().map(|i| i.id().to_string()).chain(["ordinary".to_string()]).collect(),
            },
        };
        (!values.is_empty()).then_some(values)
    }
}

/// A figure or a table of one or two levels keyed by dimensions the site allows, covering
/// every value (keys sometimes comma-joined); `prefer` is tried first when given (the shapes
/// of the real files: by facility, by tier then facility). Returns the JSON and every figure.
fn table(env: &mut Env, axes: &Axes, site: Site, prefer: &[&str], leaf: &mut dyn FnMut(&mut Env) -> (Value, Decimal)) -> (Value, Vec<Decimal>) {
    let mut figures = Vec::new();
    let json = if !prefer.is_empty() && env.rng.chance(45) {
        nested(env, axes, site, prefer, &mut Vec::new(), leaf, &mut figures)
    } else {
        let depth = env.rng.weighted(&[40, 40, 20]);
        let dims: Vec<&str> = {
            let mut all = DIMENSIONS.to_vec();
            env.rng.shuffle(&mut all);
            all.truncate(depth);
            all
        };
        nested(env, axes, site, &dims, &mut Vec::new(), leaf, &mut figures)
    };
    (json, figures)
}

fn nested(env: &mut Env, axes: &Axes, site: Site, dims: &[&str], above: &mut Vec<&'static str>, leaf: &mut dyn FnMut(&mut Env) -> (Value, Decimal), figures: &mut Vec<Decimal>) -> Value {
    let Some((&first, rest)) = dims.split_first() else {
        let (v, d) = leaf(env);
        figures.push(d);
        return v;
    };
    let by = *DIMENSIONS.iter().find(|d| **d == first).expect("a dimension");
    let values = match axes.values(env.rng, site, by) {
        Some(values) if !above.contains(&by) => values,
        // Not allowed here (a yearly figure, no populations): the next dimension, if any.
        _ => return nested(env, axes, site, rest, above, leaf, figures),
    };
    let keys: Vec<String> = if env.rng.chance(65) {
        values
    } else {
        groups(env.rng, &values, values.len(), false).into_iter().map(|g| g.join(",")).collect()
    };
    let mut m = Map::new();
    m.insert("by".into(), json!(by));
    above.push(by);
    for key in keys {
        // Branches may differ: one goes deeper, another stops (the format allows both).
        let deeper = if rest.is_empty() || env.rng.chance(85) { rest } else { &[] };
        let t = nested(env, axes, site, deeper, above, leaf, figures);
        m.insert(key, t);
    }
    above.pop();
    Value::Object(m)
}

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
    let populations: Vec<String> = if env.rng.chance(35) { env.rng.subset(POPULATION_IDS, 1).into_iter().map(String::from).collect() } else { vec![] };
    if !populations.is_empty() {
        p.insert("populations".into(), Value::Array(populations.iter().map(|g| json!({ "id": g, "name": format!("人群{g}") })).collect()));
        p.insert("default_population".into(), json!(env.rng.pick(&populations)));
    }
    let facilities: Vec<String> = if env.rng.chance(30) {
        let classes: Vec<String> = env.rng.subset(FACILITY_IDS, 1).into_iter().map(String::from).collect();
        p.insert("facility_classes".into(), Value::Array(classes.iter().map(|c| json!({ "id": c, "name": format!("类别{c}") })).collect()));
        classes
    } else {
        HospitalLevel::ALL.iter().map(|l| l.id().to_string()).collect()
    };
    let axes = Axes { tiers: tiers.clone(), populations, facilities, identities: identities.clone() };

    let mut not_covered = Map::new();
    for (layer, percent) in [(Layer::Basic, 8), (Layer::CriticalIllness, 15), (Layer::Assistance, 15), (Layer::TiltedAssistance, 25)] {
        // Extra assistance names at least one identity, so a policy without any lacks it.
        let impossible = layer == Layer::TiltedAssistance && identities.is_empty();
        if impossible || env.rng.chance(percent) {
            not_covered.insert(layer.id().into(), json!("公开文件未规定"));
            continue;
        }
        let body = match layer {
            Layer::Basic => basic(&mut env, &axes),
            Layer::CriticalIllness => critical_illness(&mut env, &axes),
            Layer::Assistance => assistance(&mut env, &axes),
            Layer::TiltedAssistance => tilted_assistance(&mut env, &axes),
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

/// A yearly cap: an amount table, `{"value": "none", …}` (stated none) or `None` (unstated:
/// the field left out).
fn cap(env: &mut Env, axes: &Axes, site: Site, low: u64, high: u64) -> Option<Value> {
    match env.rng.weighted(&[12, 12, 76]) {
        0 => None,
        1 => Some(env.sourced(json!("none"))),
        _ => Some(table(env, axes, site.yearly(), &[], &mut |env| {
            let a = modest_amount(env.rng, low, high);
            env.amount(a)
        }).0),
    }
}

/// Cap pools keyed by id: an amount, stated none, unstated (left out, or `null`).
fn cap_pools(env: &mut Env, axes: &Axes, site: Site, max: usize, low: u64, high: u64) -> Map<String, Value> {
    let n = env.rng.range(0, max as u64) as usize;
    let mut m = Map::new();
    for id in env.rng.subset(IDS, n) {
        let mut pool = Map::new();
        pool.insert("label".into(), json!("年度最高支付限额"));
        match cap(env, axes, site, low, high) {
            Some(amount) => {
                pool.insert("amount".into(), amount);
            }
            None if env.rng.chance(30) => {
                pool.insert("amount".into(), Value::Null);
            }
            None => {}
        }
        m.insert(id.to_string(), Value::Object(pool));
    }
    m
}

/// 乙类先行自付 in a layer's base: sometimes said (either way), mostly left out.
fn partial_flag(env: &mut Env, m: &mut Map<String, Value>) {
    if env.rng.chance(30) {
        let yes = env.rng.chance(60);
        m.insert("partial_self_pay_in_base".into(), env.sourced(json!(yes)));
    }
}

/// Bands (分段): 1 to 3, bounds rising above 0, the last open or bounded; each ratio a table.
/// Returns the JSON and every ratio figure.
fn bands(env: &mut Env, axes: &Axes, site: Site) -> (Vec<Value>, Vec<Decimal>) {
    let n = env.rng.range(1, 3);
    let mut floor = Decimal::ZERO;
    let mut out = Vec::new();
    let mut ratios = Vec::new();
    for i in 0..n {
        let mut s = Map::new();
        let last = i + 1 == n;
        let mut open = false;
        if last && env.rng.chance(50) {
            open = true;
        } else {
            let step = if env.rng.chance(80) { dec(env.rng.range(1, 100_000) as i128, 0) } else { number::policy_amount(env.rng).max(dec(1, 2)) };
            match env.amount_above(floor, step) {
                Some((param, value)) => {
                    floor = value;
                    s.insert("up_to".into(), param);
                }
                None => open = true,
            }
        }
        let (ratio, figures) = table(env, axes, site, &[], &mut |env| env.ratio(Decimal::ONE));
        ratios.extend(figures);
        s.insert("ratio".into(), ratio);
        out.push(Value::Object(s));
        if open {
            break;
        }
    }
    (out, ratios)
}

fn basic(env: &mut Env, axes: &Axes) -> Value {
    let identities = &axes.identities;
    let mut uncovered = Map::new();
    let mut covered = Vec::new();
    for k in VisitKind::ALL {
        if env.rng.chance(12) {
            uncovered.insert(k.id().into(), json!("未找到该类就诊的规定"));
        } else {
            covered.push(*k);
        }
    }
    let everyone = Site { yearly: true, kinds: VisitKind::ALL, identities: None };
    let caps = cap_pools(env, axes, everyone, 3, 1_000, 500_000);
    let cap_ids: Vec<String> = caps.keys().cloned().collect();
    // Benefits that share a deductible pool share its rule (the format requires it).
    let mut pools: Vec<(String, &str)> = Vec::new();
    let benefits: Vec<Value> = groups(env.rng, &covered, 3, false)
        .into_iter()
        .map(|kinds| {
            let site = Site { yearly: false, kinds: &kinds, identities: None };
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
            let deductible = table(env, axes, site, &["facility"], &mut |env| {
                let d = modest_amount(env.rng, 0, 2_000);
                env.amount(d)
            });
            b.insert("deductible".into(), deductible.0);
            b.insert("deductible_rule".into(), env.sourced(json!(rule)));
            b.insert("deductible_pool".into(), json!(pool));
            if env.rng.chance(25) {
                let ceiling = table(env, axes, site.yearly(), &[], &mut |env| {
                    let d = modest_amount(env.rng, 0, 5_000);
                    env.amount(d)
                });
                b.insert("deductible_ceiling".into(), ceiling.0);
            }
            if env.rng.chance(70) {
                b.insert("ratio".into(), table(env, axes, site, &["tier", "facility"], &mut |env| env.ratio(Decimal::ONE)).0);
            } else {
                let (segments, _) = bands(env, axes, site);
                b.insert("segments".into(), Value::Array(segments));
                if env.rng.chance(60) {
                    let basis = *env.rng.pick(&["cumulative_burden", "excess_over_threshold"]);
                    b.insert("segment_basis".into(), env.sourced(json!(basis)));
                }
            }
            if env.rng.chance(20) {
                let ceiling = table(env, axes, site.yearly(), &[], &mut |env| {
                    let d = modest_amount(env.rng, 1_000, 500_000);
                    env.amount(d)
                });
                b.insert("eligible_ceiling".into(), ceiling.0);
            }
            partial_flag(env, &mut b);
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

fn critical_illness(env: &mut Env, axes: &Axes) -> Value {
    let identities = &axes.identities;
    let mut ci = Map::new();
    let kinds = env.rng.subset(VisitKind::ALL, 1);
    ci.insert("base_kinds".into(), env.sourced(kinds_json(&kinds)));
    let site = Site { yearly: true, kinds: &kinds, identities: None };
    let (threshold_json, thresholds) = table(env, axes, site, &[], &mut |env| {
        let t = modest_amount(env.rng, 5_000, 50_000);
        env.amount(t)
    });
    // The first bound on the cumulative burden lies above every threshold.
    let threshold = thresholds.iter().copied().max().unwrap_or(Decimal::ZERO);
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
        let (ratio_json, figures) = table(env, axes, site, &[], &mut |env| env.ratio(Decimal::ONE));
        ratios.extend(figures);
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
    if let Some(cap) = cap(env, axes, site, 100_000, 600_000) {
        ci.insert("cap".into(), cap);
    }
    partial_flag(env, &mut ci);
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

fn assistance(env: &mut Env, axes: &Axes) -> Value {
    let identities = &axes.identities;
    let categories: Vec<Value> = if identities.is_empty() {
        vec![]
    } else {
        groups(env.rng, identities, 3, true)
            .into_iter()
            .map(|ids| {
                let category = Site { yearly: true, kinds: VisitKind::ALL, identities: Some(&ids) };
                let caps = cap_pools(env, axes, category, 2, 500, 100_000);
                let cap_ids: Vec<String> = caps.keys().cloned().collect();
                let rules: Vec<Value> = groups(env.rng, VisitKind::ALL, 3, true)
                    .into_iter()
                    .map(|kinds| {
                        let site = Site { yearly: false, kinds: &kinds, identities: Some(&ids) };
                        let mut r = Map::new();
                        r.insert("name".into(), json!(*env.rng.pick(&["住院救助", "门诊救助"])));
                        r.insert("kinds".into(), env.sourced(kinds_json(&kinds)));
                        match env.rng.below(3) {
                            0 => {}
                            1 => {
                                r.insert("threshold".into(), Value::Null);
                            }
                            _ => {
                                let t = table(env, axes, site.yearly(), &[], &mut |env| {
                                    let t = modest_amount(env.rng, 0, 10_000);
                                    env.amount(t)
                                });
                                r.insert("threshold".into(), t.0);
                            }
                        }
                        if env.rng.chance(25) {
                            let t = table(env, axes, site, &["admission"], &mut |env| {
                                let t = modest_amount(env.rng, 0, 3_000);
                                env.amount(t)
                            });
                            r.insert("admission_threshold".into(), t.0);
                        }
                        if env.rng.chance(70) {
                            r.insert("ratio".into(), table(env, axes, site, &["identity"], &mut |env| env.ratio(Decimal::ONE)).0);
                        } else {
                            // Band ratios are yearly figures, except on one visit's bands.
                            let basis = *env.rng.pick(&["cumulative_burden", "excess_over_threshold", "admission"]);
                            let band_site = if basis == "admission" { site } else { site.yearly() };
                            let (segments, _) = bands(env, axes, band_site);
                            r.insert("segments".into(), Value::Array(segments));
                            r.insert("segment_basis".into(), env.sourced(json!(basis)));
                        }
                        if env.rng.chance(25) {
                            let t = table(env, axes, site, &[], &mut |env| {
                                let t = modest_amount(env.rng, 100, 50_000);
                                env.amount(t)
                            });
                            r.insert("admission_cap".into(), t.0);
                        }
                        if !cap_ids.is_empty() && env.rng.chance(70) {
                            r.insert("cap_pool".into(), json!(env.rng.pick(&cap_ids)));
                        }
                        partial_flag(env, &mut r);
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

fn tilted_assistance(env: &mut Env, axes: &Axes) -> Value {
    let mut t = Map::new();
    t.insert("name".into(), json!(*env.rng.pick(&["重特大疾病医疗救助", "倾斜救助"])));
    let ids = env.rng.subset(&axes.identities, 1);
    t.insert("identities".into(), identities_json(&ids));
    let kinds = if env.rng.chance(60) { vec![VisitKind::Inpatient] } else { env.rng.subset(VisitKind::ALL, 1) };
    t.insert("kinds".into(), env.sourced(kinds_json(&kinds)));
    let site = Site { yearly: true, kinds: &kinds, identities: Some(&ids) };
    let referral = env.rng.chance(50);
    t.insert("requires_referral".into(), env.sourced(json!(referral)));
    // A yearly threshold, one for each admission, or both (at least one).
    let (yearly, admission) = match env.rng.range(0, 4) {
        0 => (false, true),
        1 => (true, true),
        _ => (true, false),
    };
    if yearly {
        let threshold = table(env, axes, site, &["identity"], &mut |env| {
            let t = modest_amount(env.rng, 1_000, 50_000);
            env.amount(t)
        });
        t.insert("threshold".into(), threshold.0);
    }
    if admission {
        let visit = Site { yearly: false, ..site };
        let threshold = table(env, axes, visit, &["identity", "admission", "place", "facility"], &mut |env| {
            let t = modest_amount(env.rng, 500, 10_000);
            env.amount(t)
        });
        t.insert("admission_threshold".into(), threshold.0);
    }
    t.insert("ratio".into(), table(env, axes, site, &["identity"], &mut |env| env.ratio(Decimal::ONE)).0);
    if let Some(cap) = cap(env, axes, site, 10_000, 300_000) {
        t.insert("cap".into(), cap);
    }
    partial_flag(env, &mut t);
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
