//! Layer 2, 大病保险: the year's cumulative in-scope burden after basic insurance, above a
//! threshold, by segments. A visit is paid `F(burden after) − F(burden before)`, so the
//! year's total is `F(year's burden)` whatever the order of visits.

use super::trace::{CriticalIllnessTrace, Meter, Trace, Tracer};
use super::Ctx;
use crate::ids::Layer;
use crate::money::round_fen;
use crate::policy::{Cap, CriticalIllness, CriticalIllnessTilt, ParamId, SegmentBasis, Situation};
use crate::scenario::Visit;
use rust_decimal::Decimal;

#[derive(Default)]
pub(crate) struct State<'p> {
    burden: Decimal,
    /// The rule for this run's identity, built at the first visit that counts.
    rule: Option<Effective<'p>>,
}

/// One band of the payout function: from `lower` to `upper` of the cumulative burden.
struct Band {
    lower: Decimal,
    upper: Option<Decimal>,
    ratio: Decimal,
}

/// The rule as it applies to one identity: the tilt folded in, the bands laid out, and the
/// parameters it took.
struct Effective<'a> {
    tilt: Option<&'a CriticalIllnessTilt>,
    threshold: Decimal,
    /// The ordinary threshold (the same as `threshold` without a tilt).
    ordinary_threshold: Decimal,
    threshold_factor: Option<Decimal>,
    points: Option<Decimal>,
    cap: Option<(ParamId, Decimal)>,
    bands: Vec<Band>,
    /// The ordinary rule, kept beside a tilt whose own threshold is above the ordinary one:
    /// only then can the tilt pay less at some burden, and 就高不就低 pays the higher of the
    /// two. A tilt cannot otherwise pay less (its points are not negative, its cap is the
    /// ordinary one or none), so the comparison is skipped.
    ordinary: Option<Box<Effective<'a>>>,
    used: Vec<ParamId>,
}

impl<'a> Effective<'a> {
    fn new(ctx: &Ctx<'a>, ci: &'a CriticalIllness, s: &Situation, m: &mut Meter) -> Self {
        let Some(t) = ctx.identity.and_then(|id| ci.tilts.iter().find(|t| t.identities.contains(&id))) else {
            return Effective::ordinary(ci, s, m);
        };
        let ordinary = m.table(&ci.threshold, s);
        let (threshold, threshold_factor) = match (&t.threshold, &t.threshold_factor) {
            (Some(own), _) => (m.num(own), None),
            (None, Some(f)) => {
                let f = m.num(f);
                (ordinary * f, Some(f))
            }
            (None, None) => (ordinary, None),
        };
        let points = t.ratio_points.as_ref().map(|p| m.num(p));
        let cap = if *m.rule(&t.cap_removed) { None } else { cap(ci, s, m) };
        // Noted only where the burden goes past the last bound, the one place it matters.
        let last_unbounded = t.last_segment_unbounded.as_ref().is_some_and(|u| u.value);
        let bands = lay_out_bands(ci, threshold, points.unwrap_or_default(), last_unbounded, s, m);
        let ordinary_value = ordinary;
        let ordinary = (threshold > ordinary).then(|| Box::new(Effective::ordinary(ci, s, &mut Meter::off())));
        Effective { tilt: Some(t), threshold, ordinary_threshold: ordinary_value, threshold_factor, points, cap, bands, ordinary, used: Vec::new() }
    }

    /// The rule for an ordinary resident.
    fn ordinary(ci: &'a CriticalIllness, s: &Situation, m: &mut Meter) -> Self {
        let threshold = m.table(&ci.threshold, s);
        let cap = cap(ci, s, m);
        let bands = lay_out_bands(ci, threshold, Decimal::ZERO, false, s, m);
        Effective { tilt: None, threshold, ordinary_threshold: threshold, threshold_factor: None, points: None, cap, bands, ordinary: None, used: Vec::new() }
    }

    /// The bands a cumulative burden reaches, with the top of each and its unrounded payout.
    fn by_band(&self, burden: Decimal) -> impl Iterator<Item = (&Band, Decimal, Decimal)> {
        self.bands.iter().filter(move |b| burden > b.lower).map(move |b| {
            let top = b.upper.map_or(burden, |h| burden.min(h));
            (b, top, (top - b.lower) * b.ratio)
        })
    }

    /// F(burden): the rounded cumulative payout, capped; with a tilt that can pay less than
    /// the ordinary rule, the higher of the two (a maximum of two rising functions rises, so
    /// visit-by-visit differences stay non-negative and add up to F of the year).
    fn cumulative(&self, burden: Decimal) -> Decimal {
        let own = self.own_cumulative(burden);
        match &self.ordinary {
            Some(o) => own.max(o.own_cumulative(burden)),
            None => own,
        }
    }

    fn own_cumulative(&self, burden: Decimal) -> Decimal {
        // A fold with `+`, not `sum()`, whose `AddAssign` would be more wasm for the same addition.
        let raw = self.by_band(burden).fold(Decimal::ZERO, |acc, (_, _, amount)| acc + amount);
        let capped = match self.cap {
            Some((_, cap)) => raw.min(cap),
            None => raw,
        };
        round_fen(capped)
    }
}

/// The yearly cap: an amount, or none (stated, or not stated by the documents).
fn cap(ci: &CriticalIllness, s: &Situation, m: &mut Meter) -> Option<(ParamId, Decimal)> {
    match &ci.cap {
        Some(Cap::Limit(t)) => m.figure(t, s),
        Some(Cap::NoCap(none)) => {
            m.rule(none);
            None
        }
        None => None,
    }
}

/// The segments as bands of the cumulative burden.
fn lay_out_bands(ci: &CriticalIllness, threshold: Decimal, points: Decimal, last_unbounded: bool, s: &Situation, m: &mut Meter) -> Vec<Band> {
    let basis = match &ci.segment_basis {
        Some(b) => *m.rule(b),
        None => SegmentBasis::CumulativeBurden,
    };
    let offset = match basis {
        // `admission` is refused for 大病 by validation; an unvalidated file reads it as cumulative.
        SegmentBasis::CumulativeBurden | SegmentBasis::Admission => Decimal::ZERO,
        SegmentBasis::ExcessOverThreshold => threshold,
    };
    let last = ci.segments.len().saturating_sub(1);
    let mut lower = threshold;
    let mut bands = Vec::with_capacity(ci.segments.len());
    for (i, seg) in ci.segments.iter().enumerate() {
        let upper = match &seg.up_to {
            Some(up) => {
                let up = m.num(up);
                (!(i == last && last_unbounded)).then_some(up + offset)
            }
            None => None,
        };
        let ratio = (m.table(&seg.ratio, s) + points).min(Decimal::ONE);
        if upper.is_none_or(|u| u > lower) {
            bands.push(Band { lower, upper, ratio });
        }
        if let Some(u) = upper {
            lower = lower.max(u);
        }
    }
    bands
}

/// A visit's payout. A visit whose 结算单 states what 大病保险 paid (`critical_illness_paid`)
/// is paid exactly that, and the rule is not applied to it; its burden after basic insurance
/// still counts toward the year's cumulative burden, as any visit of a kind in the base would.
/// A later visit computed by the rule is then paid `F(after) − F(before)` as usual: what the
/// rule gives for its own stretch of the year's burden, whatever the slip said of the earlier
/// stretch. So a slip neither moves nor tops up the later payouts (settlement is visit by
/// visit; a slip that differs from the rule, because the file or the slip is off, stays
/// that one visit's difference), and the year's 大病 payout is the slips plus the rule's
/// payouts on the other visits' stretches, which is `F(year's burden)` when the slips agree
/// with the rule. The slip's payout is not drawn from the rule's cap (`F` caps only itself).
pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, tr: &mut Tracer<'p>, i: usize, v: &Visit, s: &Situation, burden_after_basic: Decimal) -> Decimal {
    let policy = ctx.policy;
    let mut m = tr.meter();
    // The policy's rule, when it counts this visit's kind.
    let counts = policy.critical_illness.as_ref().filter(|ci| m.rule(&ci.base_kinds).contains(&v.kind));
    let partial = match counts {
        Some(ci) => super::partial_left_out(&mut m, ci.partial_self_pay_in_base.as_ref(), v),
        None => Decimal::ZERO,
    };
    let burden_after_basic = (burden_after_basic - partial).max(Decimal::ZERO);
    let before = st.burden;
    if counts.is_some() {
        st.burden = before + burden_after_basic;
    }
    let after = st.burden;
    if let Some(paid) = v.critical_illness_paid {
        tr.record(|| Trace::FromSlip {
            layer: Layer::CriticalIllness,
            visit: i,
            in_scope: v.in_scope.get(),
            partial: Decimal::ZERO,
            paid: paid.get(),
            counted: (after > before).then_some((before, after)),
            used: m.ids,
        });
        return paid.get();
    }
    let Some(ci) = counts else {
        if policy.critical_illness.is_some() {
            tr.record(|| Trace::NotInCriticalIllnessBase { visit: i, kind: v.kind, used: m.ids });
        }
        return Decimal::ZERO;
    };
    let eff = st.rule.get_or_insert_with(|| {
        // The rule's parameters are taken once a run; every visit's trace lists them.
        let mut rule_meter = tr.meter();
        let mut rule = Effective::new(ctx, ci, s, &mut rule_meter);
        rule.used = rule_meter.ids;
        rule
    });
    let paid_before = eff.cumulative(before);
    let paid_after = eff.cumulative(after);
    let paid = paid_after - paid_before;
    let cap_hit = eff.cap.filter(|(_, cap)| paid_after >= round_fen(*cap) && paid_before < round_fen(*cap)).map(|(id, _)| id);

    tr.record(|| {
        let mut used = m.ids;
        for id in &eff.used {
            if !used.contains(id) {
                used.push(*id);
            }
        }
        let last_upper = eff.bands.last().and_then(|b| b.upper);
        let beyond_last = last_upper.filter(|u| after > *u);
        if let Some(u) = eff.tilt.and_then(|t| t.last_segment_unbounded.as_ref()).filter(|u| u.value) {
            let bound = ci.segments.last().and_then(|s| s.up_to.as_ref()).map(|p| p.get());
            if bound.is_some_and(|b| after > b) && !used.contains(&u.id) {
                used.push(u.id);
            }
        }
        if beyond_last.is_some() {
            if let Some(above) = &ci.above_last_segment {
                used.push(above.id);
            }
        }
        let ordinary_higher = eff.ordinary.as_ref().and_then(|o| {
            let (own, plain) = (eff.own_cumulative(after), o.own_cumulative(after));
            (plain > own).then_some((o.threshold, plain, own))
        });
        if let (Some(_), Some((id, _))) = (ordinary_higher, ci.cap.as_ref().and_then(Cap::limit).and_then(|t| t.find(s)).map(|p| (p.id, ()))) {
            // The ordinary rule paid: its cap is one of the figures used.
            if !used.contains(&id) {
                used.push(id);
            }
        }
        Trace::CriticalIllness(CriticalIllnessTrace {
            visit: i,
            in_scope: v.in_scope.get(),
            burden: burden_after_basic,
            partial,
            before,
            after,
            threshold: eff.threshold,
            ordinary_threshold: eff.ordinary_threshold,
            tilt: eff.tilt,
            who: ctx.identity.map_or("", |id| id.name_zh()),
            threshold_factor: eff.threshold_factor,
            points: eff.points,
            bands: eff.by_band(after).map(|(b, top, amount)| (b.lower, top, b.ratio, amount)).collect(),
            beyond_last,
            cap: eff.cap.map(|(_, c)| c),
            capped: eff.cap.is_some_and(|(_, c)| paid_after >= round_fen(c)),
            cap_unstated: ci.cap.is_none() && !eff.tilt.is_some_and(|t| t.cap_removed.value),
            ordinary_higher,
            paid_before,
            paid_after,
            paid,
            cap_hit,
            used,
        })
    });
    paid
}
