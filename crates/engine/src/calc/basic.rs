//! Layer 1, 基本医保: a deductible (by the deductible pool's rule, within a yearly ceiling on
//! deductibles), then a ratio or ratios in bands of the pool's cumulative in-scope cost, up
//! to a yearly ceiling on eligible cost, within yearly caps. Or the payout of a 结算单.

use super::trace::{BasicTrace, Trace, Tracer};
use super::{bands, draw_capped, slot, Ctx};
use crate::ids::Layer;
use crate::money::round_fen;
use crate::policy::{DeductibleRule, SegmentBasis, Situation};
use crate::scenario::Visit;
use rust_decimal::Decimal;

/// Yearly state, keyed by pool ids borrowed from the policy (a handful: a linear search
/// beats hashing and allocates nothing).
#[derive(Default)]
pub(crate) struct State<'p> {
    /// Per deductible pool.
    deductibles: Vec<(&'p str, Pool)>,
    /// Per cap pool: amount paid so far.
    caps: Vec<(&'p str, Decimal)>,
}

#[derive(Default, Clone, Copy)]
struct Pool {
    visits: u32,
    /// Deductible charged so far.
    consumed: Decimal,
    /// In-scope cost (the base) so far: the axis of bands and of the eligible-cost ceiling.
    cost: Decimal,
    /// Cost paid on so far (after deductibles, within the ceiling): the axis of bands
    /// measured on the excess over the deductible.
    eligible: Decimal,
}

/// Returns the payout and whether the documents leave this visit's kind uncovered.
pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, tr: &mut Tracer<'p>, i: usize, v: &Visit, s: &Situation) -> (Decimal, bool) {
    let policy = ctx.policy;
    // The 结算单 says what basic insurance paid: the later layers start from it.
    let slip = |tr: &mut Tracer<'p>, paid: Decimal| {
        tr.record(|| Trace::FromSlip { layer: Layer::Basic, visit: i, in_scope: v.in_scope.get(), partial: v.partial(), paid, counted: None, used: Vec::new() });
        (paid, false)
    };
    let benefit = policy.basic.as_ref().and_then(|b| Some((b, b.benefits.iter().find(|x| x.kinds.contains(&v.kind))?)));
    let Some((basic, benefit)) = benefit else {
        if let Some(paid) = v.basic_paid {
            return slip(tr, paid.get());
        }
        let reason = match &policy.basic {
            None => policy.not_covered.get(&Layer::Basic),
            Some(b) => b.not_covered.get(&v.kind),
        };
        tr.record(|| Trace::BasicNotCovered { visit: i, reason: reason.cloned().unwrap_or_default() });
        return (Decimal::ZERO, true);
    };
    let mut m = tr.meter();
    let in_scope = v.in_scope.get();
    let partial = super::partial_left_out(&mut m, benefit.partial_self_pay_in_base.as_ref(), v);
    let base = in_scope - partial;
    let deductible = m.table(&benefit.deductible, s);
    let rule = *m.rule(&benefit.deductible_rule);
    let pool = slot(&mut st.deductibles, benefit.deductible_pool.as_str());
    let mut charged = match rule {
        DeductibleRule::PerVisit => deductible.min(base),
        DeductibleRule::FirstVisitInYear if pool.visits == 0 => deductible.min(base),
        DeductibleRule::FirstVisitInYear => Decimal::ZERO,
        DeductibleRule::YearlyAmount => (deductible - pool.consumed).max(Decimal::ZERO).min(base),
    };
    let mut deductible_ceiling = None;
    if let Some(ceiling) = benefit.deductible_ceiling.as_ref().map(|t| m.table(t, s)) {
        let left = (ceiling - pool.consumed).max(Decimal::ZERO);
        if charged > left {
            deductible_ceiling = Some((ceiling, charged));
            charged = left;
        }
    }
    let Pool { visits: earlier_visits, consumed: consumed_before, cost: cost_before, eligible: eligible_before } = *pool;
    // The visit's cost on the pool's yearly axis: the deductible is its first part.
    let (lo, hi) = (cost_before + charged, cost_before + base);
    let ceiling = benefit.eligible_ceiling.as_ref().map(|t| m.table(t, s));
    let (lo_in, hi_in) = match ceiling {
        Some(c) => (lo.min(c), hi.min(c)),
        None => (lo, hi),
    };
    let eligible = hi_in - lo_in;
    let above_ceiling = ceiling.filter(|_| eligible < hi - lo).map(|c| (c, hi - lo - eligible));
    pool.visits += 1;
    pool.consumed = pool.consumed + charged;
    pool.cost = pool.cost + base;
    pool.eligible = pool.eligible + eligible;
    if let Some(paid) = v.basic_paid.map(|p| p.get()) {
        // Paid as the slip says; the year goes on as the rule would have charged this visit
        // (its deductible, its cost on the bands' axis), and the slip's payout counts
        // towards the yearly cap.
        if let Some((key, _)) = benefit.cap_pool.as_ref().and_then(|k| basic.caps.get_key_value(k)) {
            let used = slot(&mut st.caps, key.as_str());
            *used = *used + paid;
        }
        return slip(tr, paid);
    }

    let bonus_rule = ctx.identity.and_then(|id| benefit.ratio_bonus.iter().find(|b| b.identities.contains(&id)));
    let bonus = |m: &mut super::trace::Meter| bonus_rule.map(|b| m.num(&b.points));
    let (ratio_before_bonus, bonus, ratio, payable, reached) = match &benefit.ratio {
        Some(t) => {
            let r = m.table(t, s);
            let bonus = bonus(&mut m);
            let ratio = (r + bonus.unwrap_or_default()).min(Decimal::ONE);
            (r, bonus, ratio, round_fen(eligible * ratio), Vec::new())
        }
        None => {
            let bonus = bonus(&mut m);
            let basis = benefit.segment_basis.as_ref().map_or(SegmentBasis::CumulativeBurden, |b| *m.rule(b));
            let laid = bands::lay_out(&benefit.segments, s, bonus.unwrap_or_default(), &mut m);
            let (raw, reached) = match basis {
                // `admission` is refused for basic insurance by validation.
                SegmentBasis::CumulativeBurden | SegmentBasis::Admission => bands::pay(&laid, lo_in, hi_in),
                SegmentBasis::ExcessOverThreshold => bands::pay(&laid, eligible_before, eligible_before + eligible),
            };
            (Decimal::ZERO, bonus, Decimal::ZERO, round_fen(raw), reached)
        }
    };

    let pool = benefit.cap_pool.as_ref().and_then(|k| basic.caps.get_key_value(k));
    let (paid, cap_use, cap_hit) = draw_capped(&mut m, s, &mut st.caps, pool, payable);
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
            partial,
            deductible_ceiling,
            above_ceiling,
            ratio,
            bonus,
            ratio_before_bonus,
            bands: reached,
            payable,
            cap: cap_use,
            cap_unstated: super::unstated_pool(pool),
            paid,
            cap_hit,
            used: m.ids,
        })
    });
    (paid, false)
}
