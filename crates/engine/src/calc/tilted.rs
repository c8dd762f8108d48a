//! Layer 4, 倾斜救助 / 重特大疾病医疗救助: the in-scope burden left after the three layers,
//! cumulative over the year's eligible visits (each visit's part above its own threshold, when
//! the rule has one), above a yearly threshold, at a ratio, to a cap.
//! Like critical illness, a visit is paid `F(after) − F(before)`.

use super::trace::{Trace, TiltedTrace, Tracer};
use super::Ctx;
use crate::money::round_fen;
use crate::policy::{Cap, Situation};
use crate::scenario::Visit;
use rust_decimal::Decimal;

#[derive(Default)]
pub(crate) struct State {
    burden: Decimal,
    pub referral_missed: bool,
}

fn cumulative(threshold: Decimal, ratio: Decimal, cap: Option<Decimal>, burden: Decimal) -> Decimal {
    let raw = (burden - threshold).max(Decimal::ZERO) * ratio;
    round_fen(match cap {
        Some(cap) => raw.min(cap),
        None => raw,
    })
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State, tr: &mut Tracer<'p>, i: usize, v: &Visit, s: &Situation, burden: Decimal) -> Decimal {
    let policy = ctx.policy;
    let (Some(t), Some(identity)) = (policy.tilted_assistance.as_ref(), ctx.identity) else { return Decimal::ZERO };
    if !t.identities.contains(&identity) || !t.kinds.value.contains(&v.kind) {
        return Decimal::ZERO;
    }
    let mut m = tr.meter();
    m.rule(&t.kinds);
    if *m.rule(&t.requires_referral) && !v.referred {
        st.referral_missed = true;
        tr.record(|| Trace::ReferralMissing { visit: i, rule: t, used: m.ids });
        return Decimal::ZERO;
    }
    let partial = super::partial_left_out(&mut m, t.partial_self_pay_in_base.as_ref(), v);
    let base = (burden - partial).max(Decimal::ZERO);
    // Only the part of the visit's burden above its own threshold counts towards the year.
    let own = t.admission_threshold.as_ref().map(|x| m.table(x, s));
    let counted = own.map_or(base, |own| (base - own).max(Decimal::ZERO));
    let yearly = t.threshold.as_ref().map(|x| m.table(x, s));
    let threshold = yearly.unwrap_or_default();
    let ratio = m.table(&t.ratio, s);
    // The cap is noted only once the burden passes the threshold, where it can matter.
    let cap = t.cap.as_ref().and_then(Cap::limit).and_then(|c| c.find(s)).map(|p| (p.id, p.get()));
    if let Some(Cap::NoCap(none)) = &t.cap {
        m.rule(none);
    }
    let before = st.burden;
    let after = before + counted;
    st.burden = after;
    let paid_before = cumulative(threshold, ratio, cap.map(|c| c.1), before);
    let paid_after = cumulative(threshold, ratio, cap.map(|c| c.1), after);
    let paid = paid_after - paid_before;
    let capped = cap.is_some_and(|(_, c)| paid_after >= round_fen(c));
    let cap_hit = cap.filter(|_| capped && paid > Decimal::ZERO).map(|(id, _)| id);
    if let Some((id, _)) = cap.filter(|_| after > threshold) {
        m.note(id);
    }
    tr.record(|| {
        Trace::Tilted(TiltedTrace {
            visit: i,
            rule: t,
            base,
            partial,
            before,
            after,
            threshold: yearly,
            admission_threshold: own,
            ratio,
            cap,
            capped,
            cap_unstated: t.cap.is_none(),
            paid_before,
            paid_after,
            paid,
            cap_hit,
            used: m.ids,
        })
    });
    paid
}
