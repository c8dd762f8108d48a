//! Layer 1, 基本医保: deductible by level and pool, ratio by tier and level, yearly caps.

use super::trace::{BasicTrace, Trace, Tracer};
use super::{draw_capped, slot, Ctx};
use crate::ids::Layer;
use crate::money::round_fen;
use crate::policy::DeductibleRule;
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
}

/// Returns the payout and whether the documents leave this visit's kind uncovered.
pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, tr: &mut Tracer<'p>, i: usize, v: &Visit) -> (Decimal, bool) {
    let policy = ctx.policy;
    let Some(basic) = policy.basic.as_ref() else {
        tr.record(|| Trace::BasicNotCovered { visit: i, reason: policy.not_covered.get(&Layer::Basic).cloned().unwrap_or_default() });
        return (Decimal::ZERO, true);
    };
    let Some(benefit) = basic.benefits.iter().find(|b| b.kinds.contains(&v.kind)) else {
        tr.record(|| Trace::BasicNotCovered { visit: i, reason: basic.not_covered.get(&v.kind).cloned().unwrap_or_default() });
        return (Decimal::ZERO, true);
    };
    let mut m = tr.meter();
    let in_scope = v.in_scope.get();
    let deductible = m.num(benefit.deductible.get(v.level));
    let rule = *m.rule(&benefit.deductible_rule);
    let pool = slot(&mut st.deductibles, benefit.deductible_pool.as_str());
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
        tr.record(|| Trace::BasicNotCovered { visit: i, reason: format!("政策文件没有给出“{}”档次的{}报销比例", ctx.tier, benefit.name) });
        return (Decimal::ZERO, true);
    };
    let ratio_before_bonus = m.num(ratio_table.get(v.level));
    let bonus = ctx.identity.and_then(|id| benefit.ratio_bonus.iter().find(|b| b.identities.contains(&id))).map(|b| m.num(&b.points));
    let ratio = (ratio_before_bonus + bonus.unwrap_or_default()).min(Decimal::ONE);
    let payable = round_fen((in_scope - charged) * ratio);

    let (paid, cap_use, cap_hit) = draw_capped(&mut m, &mut st.caps, benefit.cap_pool.as_ref().and_then(|k| basic.caps.get_key_value(k)), payable);
    tr.record(|| {
        Trace::Basic(BasicTrace {
            visit: i,
            in_scope,
            benefit,
            deductible,
            deductible_rule: rule,
            earlier_visits,
            consumed_before,
            charged,
            ratio,
            bonus,
            ratio_before_bonus,
            payable,
            cap: cap_use,
            paid,
            cap_hit,
            used: m.ids,
        })
    });
    (paid, false)
}
