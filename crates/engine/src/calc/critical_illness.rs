//! Layer 2, 大病保险: the year's cumulative in-scope burden after basic insurance, above a
//! threshold, by segments. A visit is paid `F(burden after) − F(burden before)`, so the
//! year's total is `F(year's burden)` whatever the order of visits.

use super::{param_use, rule_use, Ctx, Recorder};
use crate::ids::{kinds_zh, Layer};
use crate::money::{format_percent, format_yuan, round_fen};
use crate::policy::{CriticalIllness, CriticalIllnessTilt, ParamKind, SegmentBasis};
use crate::result::{Flag, Step};
use crate::scenario::Visit;
use rust_decimal::Decimal;

#[derive(Default)]
pub(crate) struct State<'p> {
    burden: Decimal,
    pub cap_reached: Option<super::CapHit<'p>>,
    /// The rule for this run's identity, built at the first visit that counts.
    rule: Option<Effective<'p>>,
}

/// One band of the payout function: from `lower` to `upper` of the cumulative burden.
struct Band {
    lower: Decimal,
    upper: Option<Decimal>,
    ratio: Decimal,
}

/// The rule as it applies to one identity: the tilt folded in, the bands laid out.
struct Effective<'a> {
    ci: &'a CriticalIllness,
    tilt: Option<(usize, &'a CriticalIllnessTilt)>,
    threshold: Decimal,
    points: Decimal,
    cap: Option<Decimal>,
    last_unbounded: bool,
    bands: Vec<Band>,
    /// The ordinary rule, kept beside a tilt whose own threshold is above the ordinary one:
    /// only then can the tilt pay less at some burden, and 就高不就低 pays the higher of the
    /// two. A tilt cannot otherwise pay less (its points are not negative, its cap is the
    /// ordinary one or none), so the comparison is skipped.
    ordinary: Option<Box<Effective<'a>>>,
}

impl<'a> Effective<'a> {
    fn new(ctx: &Ctx<'a>, ci: &'a CriticalIllness) -> Self {
        let tilt = ctx.identity.and_then(|id| ci.tilts.iter().enumerate().find(|(_, t)| t.identities.contains(&id)));
        let ordinary = ci.threshold.get();
        let mut rule = match tilt {
            None => Effective::ordinary(ci),
            Some((_, t)) => Effective {
                ci,
                tilt,
                threshold: match (&t.threshold, &t.threshold_factor) {
                    (Some(own), _) => own.get(),
                    (None, Some(f)) => ordinary * f.get(),
                    (None, None) => ordinary,
                },
                points: t.ratio_points.as_ref().map_or(Decimal::ZERO, |p| p.get()),
                cap: if t.cap_removed.value { None } else { ci.cap.as_ref().map(|c| c.get()) },
                last_unbounded: t.extends_last_segment(),
                bands: Vec::new(),
                ordinary: None,
            },
        };
        rule.bands = rule.lay_out_bands();
        if rule.tilt.is_some() && rule.threshold > ordinary {
            rule.ordinary = Some(Box::new(Effective::ordinary(ci)));
        }
        rule
    }

    /// The rule for an ordinary resident.
    fn ordinary(ci: &'a CriticalIllness) -> Self {
        let mut rule = Effective {
            ci,
            tilt: None,
            threshold: ci.threshold.get(),
            points: Decimal::ZERO,
            cap: ci.cap.as_ref().map(|c| c.get()),
            last_unbounded: false,
            bands: Vec::new(),
            ordinary: None,
        };
        rule.bands = rule.lay_out_bands();
        rule
    }

    /// The segments as bands of the cumulative burden.
    fn lay_out_bands(&self) -> Vec<Band> {
        let offset = match self.ci.basis() {
            SegmentBasis::CumulativeBurden => Decimal::ZERO,
            SegmentBasis::ExcessOverThreshold => self.threshold,
        };
        let last = self.ci.segments.len().saturating_sub(1);
        let mut lower = self.threshold;
        let mut bands = Vec::with_capacity(self.ci.segments.len());
        for (i, s) in self.ci.segments.iter().enumerate() {
            let upper = match &s.up_to {
                Some(_) if i == last && self.last_unbounded => None,
                Some(up) => Some(up.get() + offset),
                None => None,
            };
            let ratio = (s.ratio.get() + self.points).min(Decimal::ONE);
            if upper.is_none_or(|u| u > lower) {
                bands.push(Band { lower, upper, ratio });
            }
            if let Some(u) = upper {
                lower = lower.max(u);
            }
        }
        bands
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
        let raw: Decimal = self.by_band(burden).map(|(_, _, amount)| amount).sum();
        let capped = match self.cap {
            Some(cap) => raw.min(cap),
            None => raw,
        };
        round_fen(capped)
    }
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, rec: &mut Recorder, i: usize, v: &Visit, burden_after_basic: Decimal) -> Decimal {
    let policy = ctx.policy;
    let Some(ci) = policy.critical_illness.as_ref() else { return Decimal::ZERO };
    if !ci.base_kinds.value.contains(&v.kind) {
        rec.step(|| Step {
            layer: Some(Layer::CriticalIllness),
            visit: Some(i),
            title: "大病保险".into(),
            lines: vec![format!("{}的个人负担不计入大病保险", v.kind.name_zh())],
            amount: Some(Decimal::ZERO),
            params: vec![rule_use(policy, &ci.base_kinds)],
            flags: vec![],
        });
        return Decimal::ZERO;
    }
    let eff = st.rule.get_or_insert_with(|| Effective::new(ctx, ci));
    let before = st.burden;
    let after = before + burden_after_basic;
    st.burden = after;
    let paid_before = eff.cumulative(before);
    let paid_after = eff.cumulative(after);
    let paid = paid_after - paid_before;
    if let Some(cap) = eff.cap {
        if paid_after >= round_fen(cap) && paid_before < round_fen(cap) {
            st.cap_reached = Some(super::CapHit { layer: Layer::CriticalIllness, label: "" });
        }
    }

    rec.step(|| {
        let mut lines = vec![
            format!("本次计入的个人负担：政策范围内 {} − 基本医保 {} = {}", format_yuan(v.in_scope.get()), format_yuan(v.in_scope.get() - burden_after_basic), format_yuan(burden_after_basic)),
            format!("年度累计个人负担：{} → {}，起付线 {}", format_yuan(before), format_yuan(after), format_yuan(eff.threshold)),
        ];
        let mut flags = Vec::new();
        let mut params = vec![
            rule_use(policy, &ci.base_kinds),
            param_use(policy, &ci.threshold),
        ];
        if let Some(basis) = &ci.segment_basis {
            params.push(rule_use(policy, basis));
        }
        if let Some((ti, t)) = eff.tilt {
            flags.push(Flag::TiltApplied);
            let path = format!("critical_illness.tilts[{ti}]");
            let who = ctx.identity.map_or("", |id| id.name_zh());
            let mut tilt_line = format!("{who}倾斜支付：起付线 {}", format_yuan(eff.threshold));
            if let Some(p) = &t.threshold {
                params.push(param_use(policy, p));
            }
            if let Some(p) = &t.threshold_factor {
                params.push(param_use(policy, p));
                tilt_line = format!("{who}倾斜支付：起付线 {} × {} = {}", format_yuan(ci.threshold.get()), format_percent(p.get()), format_yuan(eff.threshold));
            }
            if let Some(p) = &t.ratio_points {
                params.push(param_use(policy, p));
                tilt_line.push_str(&format!("，各段比例提高 {} 个百分点", (p.get() * Decimal::ONE_HUNDRED).normalize()));
            }
            if t.cap_removed.value {
                params.push(rule_use(policy, &t.cap_removed));
                tilt_line.push_str("，不设封顶线");
            }
            let last_bound = ci.segments.last().and_then(|s| s.up_to.as_ref()).map(|p| p.get());
            if let (Some(unbounded), true) = (&t.last_segment_unbounded, t.extends_last_segment() && last_bound.is_some_and(|b| after > b)) {
                params.push(rule_use(policy, unbounded));
            }
            lines.push(tilt_line);
        }
        for (si, s) in ci.segments.iter().enumerate() {
            if let Some(up) = &s.up_to {
                params.push(param_use(policy, up));
            }
            params.push(param_use(policy, &s.ratio));
        }
        if let (Some(cap), None) = (&ci.cap, eff.tilt) {
            params.push(param_use(policy, cap));
        }
        if after <= eff.threshold {
            flags.push(Flag::BelowThreshold);
            lines.push("累计个人负担未超过起付线，大病保险不支付".into());
        } else {
            for (band, top, amount) in eff.by_band(after) {
                lines.push(format!("({} − {}) × {} = {}", format_yuan(top), format_yuan(band.lower), format_percent(band.ratio), format_yuan(amount)));
            }
            if let Some(last_upper) = eff.bands.last().and_then(|b| b.upper) {
                if after > last_upper {
                    flags.push(Flag::BeyondLastSegment);
                    lines.push(format!("累计负担超过最后一段上限 {} 的部分，大病保险不再支付", format_yuan(last_upper)));
                    if let Some(above) = &ci.above_last_segment {
                        params.push(rule_use(policy, above));
                    }
                }
            }
            if let Some(cap) = eff.cap {
                if paid_after >= round_fen(cap) {
                    flags.push(Flag::CapReached);
                    lines.push(format!("年度最高支付限额 {}", format_yuan(cap)));
                }
            }
            if let Some(o) = &eff.ordinary {
                let (own, plain) = (eff.own_cumulative(after), o.own_cumulative(after));
                if plain > own {
                    let who = ctx.identity.map_or("", |id| id.name_zh());
                    lines.push(format!(
                        "按普通参保人标准（起付线 {}）累计应付 {}，高于{who}倾斜支付标准的 {}；按“就高不就低”取普通标准",
                        format_yuan(o.threshold),
                        format_yuan(plain),
                        format_yuan(own)
                    ));
                }
            }
            lines.push(format!("年度累计应付 {} − 此前已付 {} = 本次 {}", format_yuan(paid_after), format_yuan(paid_before), format_yuan(paid)));
        }
        Step { layer: Some(Layer::CriticalIllness), visit: Some(i), title: "大病保险".into(), lines, amount: Some(paid), params, flags }
    });
    paid
}
