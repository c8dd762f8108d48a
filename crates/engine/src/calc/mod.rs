//! The pipeline (先保险后救助): for each visit in order, basic insurance, critical illness
//! insurance, medical assistance, then extra assistance; yearly state carries between visits.

mod assistance;
mod bands;
mod basic;
mod contribution;
mod critical_illness;
mod explain;
mod monitoring;
mod tilted;
mod trace;

use crate::ids::{Identity, Layer, VisitKind};
use crate::policy::{Cap, Dimension, Policy, Situation};
use crate::result::*;
use crate::scenario::{Scenario, ScenarioError, Visit};
use rust_decimal::Decimal;


/// What every layer needs to know about the run.
pub(crate) struct Ctx<'a> {
    pub policy: &'a Policy,
    pub tier: &'a str,
    pub population: &'a str,
    pub identity: Option<Identity>,
}

impl<'a> Ctx<'a> {
    /// Where a visit stands for the policy's tables; `admission` is 1 for the year's first
    /// visit of its kind.
    pub fn situation(&self, v: &'a Visit, admission: u32) -> Situation<'a> {
        Situation {
            tier: self.tier,
            population: self.population,
            facility: &v.level,
            kind: v.kind,
            admission,
            referred: v.referred,
            place: v.place,
            identity: self.identity,
        }
    }
}

/// What a layer whose base leaves out 乙类先行自付 takes off (none when its flag says the base
/// includes it; the flag is noted only when there is some to leave out).
pub(crate) fn partial_left_out(m: &mut trace::Meter, flag: Option<&crate::policy::Sourced<bool>>, v: &Visit) -> Decimal {
    let partial = v.partial();
    match flag {
        Some(f) if partial > Decimal::ZERO && *m.rule(f) => Decimal::ZERO,
        _ => partial,
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

/// Pays `payable` out of a yearly cap pool; returns what is paid and what was left before.
pub(crate) fn draw<'p>(pools: &mut Vec<(&'p str, Decimal)>, key: &'p str, cap: Decimal, payable: Decimal) -> (Decimal, Decimal) {
    let used = slot(pools, key);
    let left = (cap - *used).max(Decimal::ZERO);
    let paid = payable.min(left);
    *used = *used + paid;
    (paid, left)
}

/// Pays `payable` within the yearly cap a rule names, if it names one with an amount: what
/// is paid, the cap as used (for the trace), and the cap's id when it was used up.
pub(crate) fn draw_capped<'p>(
    m: &mut trace::Meter,
    s: &Situation,
    pools: &mut Vec<(&'p str, Decimal)>,
    cap: Option<(&'p String, &'p crate::policy::CapPool)>,
    payable: Decimal,
) -> (Decimal, Option<trace::CapUse<'p>>, Option<crate::policy::ParamId>) {
    let Some((key, pool, amount)) = cap.and_then(|(k, pool)| pool.amount.as_ref().and_then(Cap::limit).map(|a| (k, pool, a))) else {
        return (payable, None, None);
    };
    let Some((id, cap)) = m.figure(amount, s) else { return (payable, None, None) };
    let (paid, left) = draw(pools, key, cap, payable);
    (paid, Some(trace::CapUse { pool, amount: cap, left }), (paid < payable).then_some(id))
}

/// The label of the cap pool a rule names when the documents do not state its amount.
pub(crate) fn unstated_pool<'p>(cap: Option<(&'p String, &'p crate::policy::CapPool)>) -> Option<&'p str> {
    cap.filter(|(_, pool)| pool.amount.is_none()).map(|(_, pool)| pool.label.as_str())
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
    /// What each layer did, when the run explains.
    traces: Vec<trace::Trace<'p>>,
    referral_missed: bool,
}

/// Computes the result of a scenario under a validated policy, with its explanation.
pub fn calculate(policy: &Policy, scenario: &Scenario) -> Result<CalcResult, ScenarioError> {
    let (tier, population) = scenario.check(policy)?;
    let best = best_identity(policy, tier, population, scenario);
    let ctx = Ctx { policy, tier, population, identity: best.identity };
    let run = run(&ctx, &scenario.visits, true);
    Ok(assemble(&ctx, scenario, run, best.considered, best.ordinary_won))
}

/// Per-visit and total payouts without the explanation: what a settlement slip shows.
/// Used by `yibao batch` to check a policy against real settlements quickly.
pub fn settle(policy: &Policy, scenario: &Scenario) -> Result<Settlement, ScenarioError> {
    let (tier, population) = scenario.check(policy)?;
    let best = best_identity(policy, tier, population, scenario);
    Ok(Settlement {
        identity: best.identity,
        totals: totals(&scenario.visits, &best.run.pays),
        visits: visit_results(policy, &scenario.visits, &best.run.pays),
    })
}

/// Payouts only, without explanation: for curves and charts.
pub fn totals_only(policy: &Policy, scenario: &Scenario) -> Result<(Option<Identity>, Totals), ScenarioError> {
    let (tier, population) = scenario.check(policy)?;
    let best = best_identity(policy, tier, population, scenario);
    Ok((best.identity, totals(&scenario.visits, &best.run.pays)))
}

struct Best<'p> {
    identity: Option<Identity>,
    run: Run<'p>,
    considered: Vec<IdentityOutcome>,
    /// When the ordinary treatment left less to pay than every identity held: the least an
    /// identity left.
    ordinary_won: Option<Decimal>,
}

/// 就高不就低: runs each identity held that the policy treats distinctly (in the policy's
/// order, which breaks ties) and keeps the one leaving the resident the least to pay. Holding
/// an identity must never cost more than holding none, so where the policy can make it cost
/// more (`may_cost_more`), the ordinary treatment is a candidate too.
fn best_identity<'p>(policy: &'p Policy, tier: &'p str, population: &'p str, scenario: &'p Scenario) -> Best<'p> {
    let mut best: Option<(Identity, Run, Decimal)> = None;
    let mut considered = Vec::new();
    for &id in policy.identities.iter().filter(|id| scenario.identities.contains(id)) {
        let run = run(&Ctx { policy, tier, population, identity: Some(id) }, &scenario.visits, false);
        let oop = totals(&scenario.visits, &run.pays).out_of_pocket;
        considered.push(IdentityOutcome { identity: id, name: id.name_zh(), out_of_pocket: oop });
        if best.as_ref().is_none_or(|(_, _, b)| oop < *b) {
            best = Some((id, run, oop));
        }
    }
    let ordinary = || run(&Ctx { policy, tier, population, identity: None }, &scenario.visits, false);
    // A 大病 payout from a 结算单 breaks the year's `F(burden)` into stretches, and a tilt that
    // pays more over the year can pay less over a later stretch (a cap reached sooner): with
    // such a slip the ordinary treatment is a candidate too.
    let ci_slip = scenario.visits.iter().any(|v| v.critical_illness_paid.is_some());
    match best {
        Some((id, run, oop)) if ci_slip || may_cost_more(policy, id) => {
            let plain = ordinary();
            let plain_oop = totals(&scenario.visits, &plain.pays).out_of_pocket;
            if plain_oop < oop {
                Best { identity: None, run: plain, considered, ordinary_won: Some(oop) }
            } else {
                Best { identity: Some(id), run, considered, ordinary_won: None }
            }
        }
        Some((id, run, _)) => Best { identity: Some(id), run, considered, ordinary_won: None },
        None => Best { identity: None, run: ordinary(), considered, ordinary_won: None },
    }
}

/// Whether an identity's treatment can leave a resident more to pay than the ordinary one
/// somewhere. Assistance and extra assistance only add; a critical illness tilt pays the
/// higher of itself and the ordinary rule (`critical_illness.rs`). A basic-insurance ratio
/// bonus can: it pays more on one visit, which can use up a shared yearly cap that a visit
/// counted by critical illness insurance needed, so critical illness pays less. A tilt's own
/// threshold above the ordinary one is listed too, so the whole-year comparison covers it.
/// So is a basic or critical illness table keyed by identity (a file may give an identity a
/// higher deductible or a lower ratio than `ordinary`); assistance tables name only identities
/// their rule is for, and assistance only adds.
fn may_cost_more(policy: &Policy, id: Identity) -> bool {
    let bonus = policy.basic.iter().flat_map(|b| &b.benefits).any(|b| b.ratio_bonus.iter().any(|r| r.identities.contains(&id)));
    let high_tilt = policy.critical_illness.iter().any(|ci| {
        ci.tilts.iter().any(|t| t.identities.contains(&id) && t.threshold.as_ref().is_some_and(|own| ci.threshold.figures().iter().any(|o| own.get() > o.get())))
    });
    // A table keyed by identity can give an identity a worse figure than `ordinary`'s. Noted
    // when the file is read (`Policy::dimensions`): tables of assistance keyed by identity set
    // it too, and only make the comparison with the ordinary treatment run where not needed.
    bonus || high_tilt || policy.uses(Dimension::Identity)
}

fn run<'p>(ctx: &Ctx<'p>, visits: &'p [Visit], explain: bool) -> Run<'p> {
    let mut tr = trace::Tracer::new(explain);
    let mut basic = basic::State::default();
    let mut ci = critical_illness::State::default();
    let mut assist = assistance::State::default();
    let mut tilt = tilted::State::default();
    let mut pays = Vec::with_capacity(visits.len());
    for (i, v) in visits.iter().enumerate() {
        let mut pay = VisitPay::default();
        let in_scope = v.in_scope.get();
        let admission = 1 + visits[..i].iter().filter(|w| w.kind == v.kind).count() as u32;
        let s = &ctx.situation(v, admission);
        (pay.basic, pay.basic_not_covered) = basic::pay(ctx, &mut basic, &mut tr, i, v, s);
        if pay.basic_not_covered {
            // Without a basic-insurance rule the burden after basic is unknown; the later
            // layers cannot be computed for this visit, and it does not count toward them.
            tr.record(|| trace::Trace::LaterLayersSkipped { visit: i, kind: v.kind });
            pays.push(pay);
            continue;
        }
        // Each layer gets the burden left (乙类先行自付 included) and leaves that out itself
        // when its base does not include it.
        pay.critical_illness = critical_illness::pay(ctx, &mut ci, &mut tr, i, v, s, in_scope - pay.basic);
        let after_insurance = in_scope - pay.basic - pay.critical_illness;
        pay.assistance = assistance::pay(ctx, &mut assist, &mut tr, i, v, s, after_insurance);
        pay.tilted_assistance = tilted::pay(ctx, &mut tilt, &mut tr, i, v, s, after_insurance - pay.assistance);
        pays.push(pay);
    }
    Run { pays, traces: tr.traces, referral_missed: tilt.referral_missed }
}

fn totals(visits: &[Visit], pays: &[VisitPay]) -> Totals {
    let mut t = Totals::default();
    for (v, p) in visits.iter().zip(pays) {
        t.total = t.total + v.total.get();
        t.in_scope = t.in_scope + v.in_scope.get();
        t.basic = t.basic + p.basic;
        t.critical_illness = t.critical_illness + p.critical_illness;
        t.assistance = t.assistance + p.assistance;
        t.tilted_assistance = t.tilted_assistance + p.tilted_assistance;
    }
    t.out_of_scope = t.total - t.in_scope;
    t.reimbursed = t.basic + t.critical_illness + t.assistance + t.tilted_assistance;
    t.out_of_pocket_in_scope = t.in_scope - t.reimbursed;
    t.out_of_pocket = t.total - t.reimbursed;
    t
}

fn assemble(ctx: &Ctx, scenario: &Scenario, run: Run<'_>, considered: Vec<IdentityOutcome>, ordinary_won: Option<Decimal>) -> CalcResult {
    let policy = ctx.policy;
    let visits = &scenario.visits;
    let totals = totals(visits, &run.pays);
    let mut steps = Vec::with_capacity(run.traces.len() + 2);
    if let Some(id) = ctx.identity {
        let mut lines = vec![format!("适用身份：{}", id.name_zh())];
        if considered.len() > 1 {
            lines.push("持有多重身份，按“就高不就低”原则取个人负担最低的一种，不重复救助：".to_string());
            for c in &considered {
                lines.push(format!("按{}计算，个人自付 {} 元", c.name, crate::money::Yuan(c.out_of_pocket)));
            }
        }
        steps.push(Step { layer: None, visit: None, title: "适用身份（就高不就低）".into(), lines, amount: None, params: vec![], flags: vec![Flag::IdentityApplied] });
    }
    if let Some(least) = ordinary_won {
        let mut lines = vec!["持有的身份按各自待遇计算：".to_string()];
        for c in &considered {
            lines.push(format!("按{}计算，个人自付 {} 元", c.name, crate::money::Yuan(c.out_of_pocket)));
        }
        lines.push(format!(
            "按普通参保人待遇计算，个人自付 {} 元，少于按身份计算的 {} 元；按“就高不就低”，适用普通参保人待遇",
            crate::money::Yuan(totals.out_of_pocket),
            crate::money::Yuan(least)
        ));
        steps.push(Step { layer: None, visit: None, title: "适用待遇（就高不就低）".into(), lines, amount: None, params: vec![], flags: vec![Flag::IdentityApplied] });
    }
    steps.extend(run.traces.iter().map(|t| explain::step(policy, t)));

    let visit_results = visit_results(policy, visits, &run.pays);

    let layers = layer_summaries(ctx, visits, &run.pays, &totals);
    let mut alerts = Vec::new();
    for l in &layers {
        if l.coverage == Coverage::NotCovered || l.coverage == Coverage::PartlyCovered {
            alerts.push(Alert {
                kind: AlertKind::NotCovered,
                title: format!("{}：{}", l.name, if l.coverage == Coverage::NotCovered { "公开文件未规定" } else { "部分就诊无法测算" }),
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
    alerts.extend(explain::cap_alerts(policy, &run.traces));
    alerts.extend(explain::unstated_cap_alert(&run.traces));
    let burden_after_insurance = totals.total - totals.basic - totals.critical_illness;
    let monitoring = monitoring::check(ctx, &scenario.identities, burden_after_insurance);
    if let Some(m) = &monitoring {
        steps.push(explain::monitoring_step(policy, m));
        alerts.extend(explain::monitoring_alerts(m));
    }
    let (contribution, contribution_used) = match contribution::compute(ctx, &scenario.identities) {
        Some((c, used)) => (Some(c), used),
        None => (None, Vec::new()),
    };

    // Every assumed figure the result relied on, once each, from the ids the computations
    // noted, so no display can miss one.
    let used = run
        .traces
        .iter()
        .flat_map(|t| t.used().iter().copied())
        .chain(monitoring.iter().flat_map(|m| m.used.iter().copied()))
        .chain(contribution_used.iter().copied());
    let assumptions = explain::assumptions(policy, used);
    if !assumptions.is_empty() {
        alerts.push(Alert {
            kind: AlertKind::AssumedParameters,
            title: format!("本结果用到 {} 个参考值", assumptions.len()),
            message: "标有“参考值”的参数没有正式文件的明确依据（有的是对原文的一种理解），结果仅供参考，请以医保经办机构结算为准。".into(),
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
        .map(|s| explain::shown(policy, s.text.id))
        .collect()
}

fn visit_results(policy: &Policy, visits: &[Visit], pays: &[VisitPay]) -> Vec<VisitResult> {
    visits
        .iter()
        .zip(pays)
        .enumerate()
        .map(|(index, (v, p))| {
            let mut not_covered = Vec::new();
            if (policy.basic.is_none() && v.basic_paid.is_none()) || p.basic_not_covered {
                not_covered.push(Layer::Basic);
            }
            for (layer, defined) in [
                (Layer::CriticalIllness, (policy.critical_illness.is_some() || v.critical_illness_paid.is_some()) && !p.basic_not_covered),
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
                level: v.level.clone(),
                level_name: policy.facility_name(&v.level).to_string(),
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
            // A policy without basic insurance (or 大病保险) still computes from what 结算单 say
            // that layer paid: the visits whose slip states it.
            let undefined_here = match layer {
                Layer::Basic => policy.basic.is_none(),
                Layer::CriticalIllness => policy.critical_illness.is_none(),
                _ => false,
            };
            let from_slips = if undefined_here { visits.iter().filter(|v| if layer == Layer::Basic { v.basic_paid } else { v.critical_illness_paid }.is_some()).count() } else { 0 };
            let (coverage, reason) = match layer {
                _ if from_slips == visits.len() => (Coverage::Covered, None),
                _ if from_slips > 0 => (
                    Coverage::PartlyCovered,
                    Some(format!("填了结算单的就诊按结算单的金额计；其余就诊：{}", policy.not_covered.get(&layer).map_or("政策文件没有定义这一层", String::as_str))),
                ),
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
