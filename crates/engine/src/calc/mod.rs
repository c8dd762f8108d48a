//! The pipeline (先保险后救助): for each visit in order, basic insurance, critical illness
//! insurance, medical assistance, then extra assistance; yearly state carries between visits.

mod assistance;
mod basic;
mod contribution;
mod critical_illness;
mod explain;
mod monitoring;
mod tilted;

use crate::ids::{Identity, Layer, VisitKind};
use crate::policy::Policy;
use crate::result::*;
use crate::scenario::{Scenario, ScenarioError, Visit};
use rust_decimal::Decimal;

pub(crate) use explain::{param_use, rule_use};

/// What every layer needs to know about the run.
pub(crate) struct Ctx<'a> {
    pub policy: &'a Policy,
    pub tier: &'a str,
    pub identity: Option<Identity>,
}

/// Collects explanation steps, or nothing at all when only totals are wanted.
pub(crate) struct Recorder {
    enabled: bool,
    pub steps: Vec<Step>,
}

impl Recorder {
    /// Adds a step; the closure runs only when explaining, so fast runs format nothing.
    pub fn step(&mut self, make: impl FnOnce() -> Step) {
        if self.enabled {
            self.steps.push(make());
        }
    }
}

/// The state kept for one pool (deductible, cap, threshold) of a year. Pools are a handful,
/// so a linear search beats hashing and allocates nothing.
pub(crate) fn slot<K: PartialEq + Copy, T: Default>(pools: &mut Vec<(K, T)>, key: K) -> &mut T {
    let i = match pools.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            pools.push((key, T::default()));
            pools.len() - 1
        }
    };
    &mut pools[i].1
}

/// A yearly cap a run reached: the layer and the cap's label, borrowed from the policy so the
/// fast runs format nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct CapHit<'p> {
    pub layer: Layer,
    pub label: &'p str,
}

impl CapHit<'_> {
    fn describe(self) -> String {
        match self.layer {
            Layer::Basic => format!("基本医保{}", self.label),
            Layer::CriticalIllness => "大病保险年度最高支付限额".to_string(),
            Layer::Assistance => format!("医疗救助{}", self.label),
            Layer::TiltedAssistance => format!("{}年度最高救助限额", self.label),
        }
    }
}

/// Pays `payable` out of a yearly cap pool; returns what is paid and what was left before.
pub(crate) fn draw<'p>(pools: &mut Vec<(&'p str, Decimal)>, key: &'p str, cap: Decimal, payable: Decimal) -> (Decimal, Decimal) {
    let used = slot(pools, key);
    let left = (cap - *used).max(Decimal::ZERO);
    let paid = payable.min(left);
    *used += paid;
    (paid, left)
}

/// Per-visit payouts of one run.
#[derive(Clone, Debug, Default)]
pub(crate) struct VisitPay {
    pub basic: Decimal,
    pub critical_illness: Decimal,
    pub assistance: Decimal,
    pub tilted_assistance: Decimal,
    pub basic_not_covered: bool,
}

struct Run<'p> {
    pays: Vec<VisitPay>,
    steps: Vec<Step>,
    referral_missed: bool,
    caps_reached: Vec<CapHit<'p>>,
}

/// Computes the result of a scenario under a validated policy, with its explanation.
pub fn calculate(policy: &Policy, scenario: &Scenario) -> Result<CalcResult, ScenarioError> {
    let tier = scenario.check(policy)?;
    let best = best_identity(policy, tier, scenario);
    let ctx = Ctx { policy, tier, identity: best.identity };
    let run = run(&ctx, &scenario.visits, true);
    Ok(assemble(&ctx, scenario, run, best.considered))
}

/// Per-visit and total payouts without the explanation: what a settlement slip shows.
/// Used by `yibao batch` to check a policy against real settlements quickly.
pub fn settle(policy: &Policy, scenario: &Scenario) -> Result<Settlement, ScenarioError> {
    let tier = scenario.check(policy)?;
    let best = best_identity(policy, tier, scenario);
    Ok(Settlement {
        identity: best.identity,
        totals: totals(&scenario.visits, &best.run.pays),
        visits: visit_results(policy, &scenario.visits, &best.run.pays),
    })
}

/// Payouts only, without explanation: for curves and charts.
pub fn totals_only(policy: &Policy, scenario: &Scenario) -> Result<(Option<Identity>, Totals), ScenarioError> {
    let tier = scenario.check(policy)?;
    let best = best_identity(policy, tier, scenario);
    Ok((best.identity, totals(&scenario.visits, &best.run.pays)))
}

struct Best<'p> {
    identity: Option<Identity>,
    run: Run<'p>,
    considered: Vec<IdentityOutcome>,
}

/// 就高不就低: runs each identity held that the policy treats distinctly (in the policy's
/// order, which breaks ties) and keeps the one leaving the resident the least to pay.
fn best_identity<'p>(policy: &'p Policy, tier: &'p str, scenario: &Scenario) -> Best<'p> {
    let mut best: Option<(Identity, Run, Decimal)> = None;
    let mut considered = Vec::new();
    for &id in policy.identities.iter().filter(|id| scenario.identities.contains(id)) {
        let run = run(&Ctx { policy, tier, identity: Some(id) }, &scenario.visits, false);
        let oop = totals(&scenario.visits, &run.pays).out_of_pocket;
        considered.push(IdentityOutcome { identity: id, name: id.name_zh(), out_of_pocket: oop });
        if best.as_ref().is_none_or(|(_, _, b)| oop < *b) {
            best = Some((id, run, oop));
        }
    }
    match best {
        Some((id, run, _)) => Best { identity: Some(id), run, considered },
        None => Best { identity: None, run: run(&Ctx { policy, tier, identity: None }, &scenario.visits, false), considered },
    }
}

fn run<'p>(ctx: &Ctx<'p>, visits: &[Visit], explain: bool) -> Run<'p> {
    let mut rec = Recorder { enabled: explain, steps: Vec::new() };
    let mut basic = basic::State::default();
    let mut ci = critical_illness::State::default();
    let mut assist = assistance::State::default();
    let mut tilt = tilted::State::default();
    let mut pays = Vec::with_capacity(visits.len());
    for (i, v) in visits.iter().enumerate() {
        let mut pay = VisitPay::default();
        let in_scope = v.in_scope.get();
        (pay.basic, pay.basic_not_covered) = basic::pay(ctx, &mut basic, &mut rec, i, v);
        if pay.basic_not_covered {
            // Without a basic-insurance rule the burden after basic is unknown; the later
            // layers cannot be computed for this visit, and it does not count toward them.
            rec.step(|| Step {
                layer: None,
                visit: Some(i),
                title: "本次就诊无法测算后续各层".into(),
                lines: vec![format!(
                    "{}的基本医保待遇公开文件未规定，无法得知基本医保支付后的个人负担，因此本次就诊的大病保险、医疗救助也无法测算，暂全部计入个人自付",
                    v.kind.name_zh()
                )],
                amount: None,
                params: vec![],
                flags: vec![Flag::NotCovered],
            });
            pays.push(pay);
            continue;
        }
        pay.critical_illness = critical_illness::pay(ctx, &mut ci, &mut rec, i, v, in_scope - pay.basic);
        let after_insurance = in_scope - pay.basic - pay.critical_illness;
        pay.assistance = assistance::pay(ctx, &mut assist, &mut rec, i, v, after_insurance);
        pay.tilted_assistance =
            tilted::pay(ctx, &mut tilt, &mut rec, i, v, after_insurance - pay.assistance);
        pays.push(pay);
    }
    let mut caps_reached = basic.caps_reached;
    caps_reached.extend(ci.cap_reached);
    caps_reached.extend(assist.caps_reached);
    caps_reached.extend(tilt.cap_reached);
    Run { pays, steps: rec.steps, referral_missed: tilt.referral_missed, caps_reached }
}

fn totals(visits: &[Visit], pays: &[VisitPay]) -> Totals {
    let mut t = Totals::default();
    for (v, p) in visits.iter().zip(pays) {
        t.total += v.total.get();
        t.in_scope += v.in_scope.get();
        t.basic += p.basic;
        t.critical_illness += p.critical_illness;
        t.assistance += p.assistance;
        t.tilted_assistance += p.tilted_assistance;
    }
    t.out_of_scope = t.total - t.in_scope;
    t.reimbursed = t.basic + t.critical_illness + t.assistance + t.tilted_assistance;
    t.out_of_pocket_in_scope = t.in_scope - t.reimbursed;
    t.out_of_pocket = t.total - t.reimbursed;
    t
}

fn assemble(ctx: &Ctx, scenario: &Scenario, run: Run<'_>, considered: Vec<IdentityOutcome>) -> CalcResult {
    let policy = ctx.policy;
    let visits = &scenario.visits;
    let totals = totals(visits, &run.pays);
    let mut steps = Vec::with_capacity(run.steps.len() + 2);
    if let Some(id) = ctx.identity {
        let mut lines = vec![format!("适用身份：{}", id.name_zh())];
        if considered.len() > 1 {
            lines.push("持有多重身份，按“就高不就低”原则取个人负担最低的一种，不重复救助：".to_string());
            for c in &considered {
                lines.push(format!("按{}计算，个人自付 {} 元", c.name, crate::money::format_yuan(c.out_of_pocket)));
            }
        }
        steps.push(Step { layer: None, visit: None, title: "适用身份（就高不就低）".into(), lines, amount: None, params: vec![], flags: vec![Flag::IdentityApplied] });
    }
    steps.extend(run.steps);

    let visit_results = visit_results(policy, visits, &run.pays);

    let layers = layer_summaries(ctx, visits, &run.pays, &totals);
    let mut alerts = Vec::new();
    for l in &layers {
        if l.coverage == Coverage::NotCovered || l.coverage == Coverage::PartlyCovered {
            alerts.push(Alert {
                kind: AlertKind::NotCovered,
                title: format!("{}：公开文件未规定", l.name),
                message: l.reason.clone().unwrap_or_default(),
            });
        }
    }
    for id in &scenario.identities {
        if !policy.identities.contains(id) {
            alerts.push(Alert {
                kind: AlertKind::IdentityWithoutTreatment,
                title: format!("{}：本政策无单独待遇", id.name_zh()),
                message: format!("所选政策文件没有为“{}”规定单独的待遇，按其余身份或普通参保人计算。", id.name_zh()),
            });
        }
    }
    if run.referral_missed {
        if let Some(t) = &policy.tilted_assistance {
            alerts.push(Alert {
                kind: AlertKind::ReferralRequired,
                title: format!("{}需要规范转诊", t.name),
                message: format!("未规范转诊（或未在规定区域内就医）的住院费用，不计入{}。如已办理转诊，请勾选“规范转诊”。", t.name),
            });
        }
    }
    let mut caps_told: Vec<CapHit> = Vec::new();
    for cap in &run.caps_reached {
        if !caps_told.contains(cap) {
            caps_told.push(*cap);
            alerts.push(Alert { kind: AlertKind::CapReached, title: "已达到年度最高支付限额".into(), message: format!("{}已用完，超出部分由个人负担或转入下一层保障。", cap.describe()) });
        }
    }
    let burden_after_insurance = totals.total - totals.basic - totals.critical_illness;
    alerts.extend(monitoring::alerts(ctx, &scenario.identities, burden_after_insurance, &mut steps));
    let contribution = contribution::compute(ctx, &scenario.identities);

    // Every assumed figure the result relied on, once each, so no display can miss one.
    let mut assumptions: Vec<ParamUse> = Vec::new();
    for p in steps.iter().flat_map(|s| s.params.iter()).chain(contribution.iter().flat_map(|c| c.params.iter())) {
        if p.status == crate::policy::Status::Assumed && !assumptions.iter().any(|a| a.path == p.path) {
            assumptions.push(p.clone());
        }
    }
    if !assumptions.is_empty() {
        alerts.push(Alert {
            kind: AlertKind::AssumedParameters,
            title: format!("本结果用到 {} 个参考值", assumptions.len()),
            message: "标有“参考值”的参数尚未找到正式文件依据，结果仅供参考，请以医保经办机构结算为准。".into(),
        });
    }
    let tier = policy.tier(ctx.tier).map_or_else(
        || TierRef { id: ctx.tier.to_string(), name: ctx.tier.to_string() },
        |t| TierRef { id: t.id.clone(), name: t.name.clone() },
    );
    CalcResult {
        policy: PolicyRef::of(policy),
        tier,
        identity: ctx.identity,
        identity_name: ctx.identity.map(Identity::name_zh),
        identities_considered: considered,
        totals,
        layers,
        visits: visit_results,
        steps,
        alerts,
        contribution,
        assumptions,
        next_steps: next_steps(policy, &scenario.identities),
    }
}

/// The policy's next steps for a resident holding `held` (a step for given identities when
/// any of them is held; one without identities for everyone).
fn next_steps(policy: &Policy, held: &[Identity]) -> Vec<ParamUse> {
    policy
        .next_steps
        .iter()
        .filter(|s| s.identities.as_ref().is_none_or(|ids| ids.iter().any(|i| held.contains(i))))
        .map(|s| rule_use(policy, &s.text))
        .collect()
}

fn visit_results(policy: &Policy, visits: &[Visit], pays: &[VisitPay]) -> Vec<VisitResult> {
    visits
        .iter()
        .zip(pays)
        .enumerate()
        .map(|(index, (v, p))| {
            let mut not_covered = Vec::new();
            if policy.basic.is_none() || p.basic_not_covered {
                not_covered.push(Layer::Basic);
            }
            for (layer, defined) in [
                (Layer::CriticalIllness, policy.critical_illness.is_some() && !p.basic_not_covered),
                (Layer::Assistance, policy.assistance.is_some() && !p.basic_not_covered),
                (Layer::TiltedAssistance, policy.tilted_assistance.is_some() && !p.basic_not_covered),
            ] {
                if !defined {
                    not_covered.push(layer);
                }
            }
            let paid = p.basic + p.critical_illness + p.assistance + p.tilted_assistance;
            VisitResult {
                index,
                kind: v.kind,
                level: v.level,
                total: v.total.get(),
                in_scope: v.in_scope.get(),
                out_of_scope: v.total.get() - v.in_scope.get(),
                basic: p.basic,
                critical_illness: p.critical_illness,
                assistance: p.assistance,
                tilted_assistance: p.tilted_assistance,
                out_of_pocket: v.total.get() - paid,
                not_covered,
            }
        })
        .collect()
}

fn layer_summaries(ctx: &Ctx, visits: &[Visit], pays: &[VisitPay], totals: &Totals) -> Vec<LayerSummary> {
    let policy = ctx.policy;
    // Visit kinds whose basic insurance the documents leave undefined (each once).
    let mut uncomputable: Vec<VisitKind> = Vec::new();
    for (v, p) in visits.iter().zip(pays) {
        if p.basic_not_covered && !uncomputable.contains(&v.kind) {
            uncomputable.push(v.kind);
        }
    }
    let kinds_text = crate::ids::kinds_zh(&uncomputable);
    let all_uncomputable = pays.iter().all(|p| p.basic_not_covered);
    let undefined = || (Coverage::NotCovered, Some("政策文件没有定义这一层".to_string()));
    Layer::ALL
        .iter()
        .map(|&layer| {
            let mut title = layer.name_zh().to_string();
            let (coverage, reason) = match layer {
                _ if policy.not_covered.contains_key(&layer) => (Coverage::NotCovered, policy.not_covered.get(&layer).cloned()),
                Layer::Basic => match &policy.basic {
                    None => undefined(),
                    Some(_) if uncomputable.is_empty() => (Coverage::Covered, None),
                    Some(basic) => {
                        let reasons: Vec<String> = uncomputable
                            .iter()
                            .map(|k| format!("{}：{}", k.name_zh(), basic.not_covered.get(k).map_or("政策文件没有给出该档次或该类就诊的报销规则", String::as_str)))
                            .collect();
                        (if all_uncomputable { Coverage::NotCovered } else { Coverage::PartlyCovered }, Some(reasons.join("；")))
                    }
                },
                Layer::CriticalIllness => match &policy.critical_illness {
                    None => undefined(),
                    Some(_) => (Coverage::Covered, None),
                },
                Layer::Assistance => match (&policy.assistance, ctx.identity) {
                    (None, _) => undefined(),
                    (Some(_), None) => (Coverage::NotApplicable, Some("医疗救助只适用于特困、低保等救助对象；未选择身份时按普通参保人计算。".into())),
                    (Some(a), Some(id)) if a.categories.iter().any(|c| c.identities.contains(&id)) => (Coverage::Covered, None),
                    (Some(_), Some(id)) => (Coverage::NotApplicable, Some(format!("本政策的医疗救助不包括{}。", id.name_zh()))),
                },
                Layer::TiltedAssistance => match &policy.tilted_assistance {
                    None => undefined(),
                    Some(t) => {
                        title = t.name.clone();
                        match ctx.identity {
                            Some(id) if t.identities.contains(&id) => (Coverage::Covered, None),
                            Some(id) => (Coverage::NotApplicable, Some(format!("{}不适用于{}。", t.name, id.name_zh()))),
                            None => (Coverage::NotApplicable, Some(format!("{}只适用于救助对象；未选择身份时按普通参保人计算。", t.name))),
                        }
                    }
                },
            };
            // A later layer cannot be computed for visits without a basic-insurance rule.
            let (coverage, reason) = match coverage {
                Coverage::Covered | Coverage::NotApplicable if layer != Layer::Basic && !uncomputable.is_empty() => {
                    let why = format!("{kinds_text}的基本医保待遇公开文件未规定，这些就诊的{}无法测算", layer.name_zh());
                    if all_uncomputable {
                        (Coverage::NotCovered, Some(why))
                    } else if coverage == Coverage::Covered {
                        (Coverage::PartlyCovered, Some(why))
                    } else {
                        (coverage, reason)
                    }
                }
                other => (other, reason),
            };
            LayerSummary { layer, name: layer.name_zh(), title, amount: totals.layer(layer), coverage, reason }
        })
        .collect()
}
