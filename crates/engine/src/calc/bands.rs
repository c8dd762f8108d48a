//! Ratios in bands of a yearly cumulative amount (分段): shared by basic insurance and
//! assistance. A visit pays on the stretch of the axis it adds, `lo..hi`, at each band's ratio.

use super::trace::Meter;
use crate::policy::{Segment, Situation};
use rust_decimal::Decimal;

/// One band of an axis: from `lower` to `upper` (open when `None`).
pub(crate) struct Band {
    pub lower: Decimal,
    pub upper: Option<Decimal>,
    pub ratio: Decimal,
}

/// The segments as bands from 0, each ratio plus `points` (at most 100%).
pub(crate) fn lay_out(segments: &[Segment], s: &Situation, points: Decimal, m: &mut Meter) -> Vec<Band> {
    let mut lower = Decimal::ZERO;
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        let upper = seg.up_to.as_ref().map(|u| m.num(u));
        let ratio = (m.table(&seg.ratio, s) + points).min(Decimal::ONE);
        if upper.is_none_or(|u| u > lower) {
            out.push(Band { lower, upper, ratio });
        }
        if let Some(u) = upper {
            lower = lower.max(u);
        }
    }
    out
}

/// The unrounded payout on `lo..hi`, and each band it reaches: (from, to, ratio, amount).
pub(crate) fn pay(bands: &[Band], lo: Decimal, hi: Decimal) -> (Decimal, Vec<(Decimal, Decimal, Decimal, Decimal)>) {
    let mut total = Decimal::ZERO;
    let mut reached = Vec::new();
    for b in bands {
        let from = lo.max(b.lower);
        let to = b.upper.map_or(hi, |u| hi.min(u));
        if to > from {
            let amount = (to - from) * b.ratio;
            total = total + amount;
            reached.push((from, to, b.ratio, amount));
        }
    }
    (total, reached)
}
