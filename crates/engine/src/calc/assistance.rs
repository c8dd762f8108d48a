//! Layer 3, 医疗救助: for the applied identity's category, the in-scope burden left after
//! insurance (including what fell under deductibles), above a yearly threshold, at a ratio,
//! within yearly caps the category's rules may share.

use super::trace::{AssistanceTrace, Trace, Tracer};
use super::{draw_capped, slot, Ctx};
use crate::money::round_fen;
use crate::scenario::Visit;
use rust_decimal::Decimal;

/// Yearly state of the applied identity's category (one category per run).
#[derive(Default)]
pub(crate) struct State<'p> {
    /// Per rule index: threshold consumed this year.
    thresholds: Vec<(usize, Decimal)>,
    /// Per cap pool: paid this year.
    caps: Vec<(&'p str, Decimal)>,
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, tr: &mut Tracer<'p>, i: usize, v: &Visit, base: Decimal) -> Decimal {
    let policy = ctx.policy;
    let (Some(assistance), Some(identity)) = (policy.assistance.as_ref(), ctx.identity) else { return Decimal::ZERO };
    let Some(category) = assistance.categories.iter().find(|c| c.identities.contains(&identity)) else {
        return Decimal::ZERO;
    };
    let mut m = tr.meter();
    let Some((ri, rule)) = category.rules.iter().enumerate().find(|(_, r)| r.kinds.value.contains(&v.kind)) else {
        tr.record(|| Trace::NoAssistanceRule { visit: i, identity, kind: v.kind });
        return Decimal::ZERO;
    };
    m.rule(&rule.kinds);
    let threshold = rule.threshold.as_ref().map(|t| m.num(t));
    let used = slot(&mut st.thresholds, ri);
    let consumed_before = *used;
    let take = (threshold.unwrap_or_default() - *used).max(Decimal::ZERO).min(base);
    *used += take;
    let ratio = m.num(&rule.ratio);
    let payable = round_fen((base - take) * ratio);
    let (paid, cap_use, cap_hit) = draw_capped(&mut m, &mut st.caps, rule.cap_pool.as_ref().and_then(|k| category.caps.get_key_value(k)), payable);
    tr.record(|| {
        Trace::Assistance(AssistanceTrace {
            visit: i,
            in_scope: v.in_scope.get(),
            rule,
            base,
            threshold,
            consumed_before,
            take,
            ratio,
            payable,
            cap: cap_use,
            paid,
            cap_hit,
            used: m.ids,
        })
    });
    paid
}
