//! Layer 3, 医疗救助: for the applied identity's category, the in-scope burden left after
//! insurance (including what fell under deductibles), above a yearly threshold and a
//! threshold of each visit, at a ratio or ratios in bands of the year's burden (or of the
//! visit's alone), within a cap
//! of each visit and yearly caps the category's rules may share.

use super::trace::{AssistanceTrace, Trace, Tracer};
use super::{bands, draw_capped, slot, Ctx};
use crate::money::round_fen;
use crate::policy::{SegmentBasis, Situation};
use crate::scenario::Visit;
use rust_decimal::Decimal;

/// Yearly state of the applied identity's category (one category per run).
#[derive(Default)]
pub(crate) struct State<'p> {
    /// Per rule index: yearly threshold consumed, burden counted, and burden above thresholds.
    rules: Vec<(usize, (Decimal, Decimal, Decimal))>,
    /// Per cap pool: paid this year.
    caps: Vec<(&'p str, Decimal)>,
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, tr: &mut Tracer<'p>, i: usize, v: &Visit, s: &Situation, burden: Decimal) -> Decimal {
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
    let partial = super::partial_left_out(&mut m, rule.partial_self_pay_in_base.as_ref(), v);
    let base = (burden - partial).max(Decimal::ZERO);
    let threshold = rule.threshold.as_ref().map(|t| m.table(t, s));
    let (consumed, counted, above) = slot(&mut st.rules, ri);
    let consumed_before = *consumed;
    let take = (threshold.unwrap_or_default() - *consumed).max(Decimal::ZERO).min(base);
    *consumed = *consumed + take;
    let admission_threshold = rule.admission_threshold.as_ref().map(|t| {
        let own = m.table(t, s);
        (own, own.min(base - take))
    });
    let eligible = base - take - admission_threshold.map_or(Decimal::ZERO, |(_, took)| took);
    let (counted_before, above_before) = (*counted, *above);
    *counted += base;
    *above = *above + eligible;
    let (ratio, raw, reached) = match &rule.ratio {
        Some(t) => {
            let ratio = m.table(t, s);
            (ratio, eligible * ratio, Vec::new())
        }
        None => {
            let basis = rule.segment_basis.as_ref().map_or(SegmentBasis::ExcessOverThreshold, |b| *m.rule(b));
            let laid = bands::lay_out(&rule.segments, s, Decimal::ZERO, &mut m);
            let (raw, reached) = match basis {
                // On the year's burden: this visit's eligible part is its last part.
                SegmentBasis::CumulativeBurden => bands::pay(&laid, counted_before + base - eligible, counted_before + base),
                SegmentBasis::ExcessOverThreshold => bands::pay(&laid, above_before, above_before + eligible),
                // On this visit alone: the bands start again at each visit.
                SegmentBasis::Admission => bands::pay(&laid, Decimal::ZERO, eligible),
            };
            (Decimal::ZERO, raw, reached)
        }
    };
    let mut payable = round_fen(raw);
    let mut admission_cap = None;
    if let Some(cap) = rule.admission_cap.as_ref().map(|t| m.table(t, s)) {
        if payable > cap {
            admission_cap = Some((cap, payable));
            payable = cap;
        }
    }
    let pool = rule.cap_pool.as_ref().and_then(|k| category.caps.get_key_value(k));
    let (paid, cap_use, cap_hit) = draw_capped(&mut m, s, &mut st.caps, pool, payable);
    tr.record(|| {
        Trace::Assistance(AssistanceTrace {
            visit: i,
            in_scope: v.in_scope.get(),
            rule,
            base,
            partial,
            threshold,
            consumed_before,
            take,
            admission_threshold,
            ratio,
            bands: reached,
            admission_cap,
            payable,
            cap: cap_use,
            cap_unstated: super::unstated_pool(pool),
            paid,
            cap_hit,
            used: m.ids,
        })
    });
    paid
}
