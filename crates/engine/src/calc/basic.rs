//! Layer 1, 基本医保: deductible by level and pool, ratio by tier and level, yearly caps.

use super::{draw, param_use, rule_use, slot, Ctx, Recorder};
use crate::ids::Layer;
use crate::money::{format_percent, format_yuan, round_fen};
use crate::policy::{DeductibleRule, ParamKind};
use crate::result::{Flag, Step};
use crate::scenario::Visit;
use rust_decimal::Decimal;

/// Yearly state, keyed by pool ids borrowed from the policy (a handful: a linear search
/// beats hashing and allocates nothing).
#[derive(Default)]
pub(crate) struct State<'p> {
    /// Per deductible pool: visits seen, amount of deductible consumed.
    deductibles: Vec<(&'p str, (u32, Decimal))>,
    /// Per cap pool: amount paid so far.
    caps: Vec<(&'p str, Decimal)>,
    pub caps_reached: Vec<super::CapHit<'p>>,
}


/// Returns the payout and whether the documents leave this visit's kind uncovered.
pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, rec: &mut Recorder, i: usize, v: &Visit) -> (Decimal, bool) {
    let policy = ctx.policy;
    let Some(basic) = policy.basic.as_ref() else {
        rec.step(|| not_covered_step(i, policy.not_covered.get(&Layer::Basic).cloned().unwrap_or_default()));
        return (Decimal::ZERO, true);
    };
    let Some((bi, benefit)) = basic.benefits.iter().enumerate().find(|(_, b)| b.kinds.contains(&v.kind)) else {
        rec.step(|| not_covered_step(i, basic.not_covered.get(&v.kind).cloned().unwrap_or_default()));
        return (Decimal::ZERO, true);
    };
    let in_scope = v.in_scope.get();
    let deductible_param = benefit.deductible.get(v.level);
    let deductible = deductible_param.get();
    let pool = slot(&mut st.deductibles, benefit.deductible_pool.as_str());
    let rule = benefit.deductible_rule.value;
    let charged = match rule {
        DeductibleRule::PerVisit => deductible.min(in_scope),
        DeductibleRule::FirstVisitInYear if pool.0 == 0 => deductible.min(in_scope),
        DeductibleRule::FirstVisitInYear => Decimal::ZERO,
        DeductibleRule::YearlyAmount => (deductible - pool.1).max(Decimal::ZERO).min(in_scope),
    };
    let (earlier_visits, consumed_before) = *pool;
    pool.0 += 1;
    pool.1 += charged;

    let Some(ratio_table) = benefit.ratio.get(ctx.tier) else {
        // Only a file that skipped validation lacks a tier's table; say so rather than guess.
        rec.step(|| not_covered_step(i, format!("政策文件没有给出“{}”档次的{}报销比例", ctx.tier, benefit.name)));
        return (Decimal::ZERO, true);
    };
    let ratio_param = ratio_table.get(v.level);
    let bonus = ctx
        .identity
        .and_then(|id| benefit.ratio_bonus.iter().enumerate().find(|(_, b)| b.identities.contains(&id)));
    let ratio = (ratio_param.get() + bonus.map_or(Decimal::ZERO, |(_, b)| b.points.get())).min(Decimal::ONE);
    let payable = round_fen((in_scope - charged) * ratio);

    let (paid, cap_info) = match benefit.cap_pool.as_ref().and_then(|k| basic.caps.get(k).map(|c| (k, c))) {
        Some((key, cap)) => match &cap.amount {
            Some(amount) => {
                let (paid, left) = draw(&mut st.caps, key, amount.get(), payable);
                if paid < payable {
                    st.caps_reached.push(super::CapHit { layer: Layer::Basic, label: &cap.label });
                }
                (paid, Some((key, cap, amount, left)))
            }
            None => (payable, None),
        },
        None => (payable, None),
    };

    rec.step(|| {
        let level = v.level;
        let tier_name = policy.tier(ctx.tier).map_or("", |t| t.name.as_str());
        let base = format!("basic.benefits[{bi}]");
        let mut params = vec![
            param_use(policy, deductible_param),
            rule_use(policy, &benefit.deductible_rule),
            param_use(policy, ratio_param),
        ];
        let mut flags = Vec::new();
        let mut lines = Vec::new();
        let deductible_line = match rule {
            DeductibleRule::FirstVisitInYear if earlier_visits > 0 => "本年已非首次，不再扣起付线".to_string(),
            DeductibleRule::YearlyAmount if consumed_before > Decimal::ZERO => format!(
                "年度起付线 {}，此前已扣 {}，本次扣 {}",
                format_yuan(deductible),
                format_yuan(consumed_before),
                format_yuan(charged)
            ),
            _ => format!("起付线 {}（{}），本次扣 {}", format_yuan(deductible), rule.name_zh(), format_yuan(charged)),
        };
        lines.push(deductible_line);
        if charged > Decimal::ZERO {
            flags.push(Flag::DeductibleApplied);
        }
        if charged == in_scope && in_scope > Decimal::ZERO {
            flags.push(Flag::BelowThreshold);
            lines.push("政策范围内费用未超过起付线，基本医保不支付".into());
        }
        let ratio_text = match bonus {
            Some((j, b)) => {
                params.push(param_use(policy, &b.points));
                flags.push(Flag::TiltApplied);
                format!("({} + {})", format_percent(ratio_param.get()), format_percent(b.points.get()))
            }
            None => format_percent(ratio),
        };
        lines.push(format!("({} − {}) × {} = {}", format_yuan(in_scope), format_yuan(charged), ratio_text, format_yuan(payable)));
        if let Some((key, cap, amount, left)) = cap_info {
            params.push(param_use(policy, amount));
            if paid < payable {
                flags.push(Flag::CapReached);
                lines.push(format!("{} {}，本年剩余 {}，本次只付 {}", cap.label, format_yuan(amount.get()), format_yuan(left), format_yuan(paid)));
            }
        }
        Step { layer: Some(Layer::Basic), visit: Some(i), title: format!("基本医保·{}", benefit.name), lines, amount: Some(paid), params, flags }
    });
    (paid, false)
}


fn not_covered_step(i: usize, reason: String) -> Step {
    Step {
        layer: Some(Layer::Basic),
        visit: Some(i),
        title: "基本医保：公开文件未规定".into(),
        lines: vec![reason],
        amount: None,
        params: vec![],
        flags: vec![Flag::NotCovered],
    }
}
