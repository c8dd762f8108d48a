//! Which shapes of the format a policy uses, counted per run: the evidence that the
//! generator reaches every rule choice, pool arrangement and tilt the format allows.

use rust_decimal::Decimal;
use yibao_engine::policy::{DeductibleRule, ParamKind, SegmentBasis};
use yibao_engine::Policy;

/// Whether some key is given twice.
fn repeats<'a>(keys: impl Iterator<Item = Option<&'a str>>) -> bool {
    let keys: Vec<&str> = keys.flatten().collect();
    keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k))
}

pub fn shapes(p: &Policy) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |yes: bool, name: &'static str| {
        if yes {
            out.push(name);
        }
    };
    add(p.tiers.len() > 1, "several tiers");
    add(!p.not_covered.is_empty(), "layer not covered");
    if let Some(b) = &p.basic {
        for rule in [DeductibleRule::PerVisit, DeductibleRule::FirstVisitInYear, DeductibleRule::YearlyAmount] {
            add(b.benefits.iter().any(|x| x.deductible_rule.value == rule), match rule {
                DeductibleRule::PerVisit => "deductible per visit",
                DeductibleRule::FirstVisitInYear => "deductible first visit in year",
                DeductibleRule::YearlyAmount => "deductible yearly amount",
            });
        }
        add(repeats(b.benefits.iter().map(|x| Some(x.deductible_pool.as_str()))), "deductible pool shared");
        add(repeats(b.benefits.iter().map(|x| x.cap_pool.as_deref())), "basic cap pool shared");
        add(b.caps.values().any(|c| c.amount.is_none()), "basic cap null");
        add(b.benefits.iter().any(|x| !x.ratio_bonus.is_empty()), "ratio bonus");
        add(!b.not_covered.is_empty(), "visit kind not covered");
    }
    if let Some(ci) = &p.critical_illness {
        add(ci.segments.len() >= 3, "critical illness 3+ segments");
        add(ci.basis() == SegmentBasis::ExcessOverThreshold, "segments on the excess");
        add(ci.segments.last().is_some_and(|s| s.up_to.is_none()), "last segment open");
        add(ci.segments.last().is_some_and(|s| s.up_to.is_some()), "last segment bounded");
        add(ci.above_last_segment.is_some(), "above_last_segment");
        add(ci.cap.is_none(), "critical illness without cap");
        for t in &ci.tilts {
            add(t.threshold.is_some(), "tilt threshold");
            add(t.threshold.as_ref().is_some_and(|own| ci.threshold.figures().iter().any(|o| own.get() > o.get())), "tilt threshold above the ordinary");
            add(t.threshold_factor.is_some(), "tilt threshold_factor");
            add(t.ratio_points.is_some(), "tilt ratio_points");
            add(t.cap_removed.value, "tilt cap_removed");
            add(t.extends_last_segment(), "tilt last_segment_unbounded");
        }
    }
    if let Some(a) = &p.assistance {
        add(a.categories.len() > 1, "assistance categories");
        for c in &a.categories {
            add(c.rules.iter().any(|r| r.threshold.is_none()), "assistance without threshold");
            add(c.rules.iter().enumerate().any(|(i, r)| r.cap_pool.is_some() && c.rules[..i].iter().any(|q| q.cap_pool == r.cap_pool)), "assistance cap pool shared");
        }
    }
    if let Some(t) = &p.tilted_assistance {
        add(t.requires_referral.value, "extra assistance requires referral");
        add(!t.requires_referral.value, "extra assistance without referral");
    }
    add(p.monitoring.is_some(), "monitoring");
    add(p.contribution.as_ref().is_some_and(|c| !c.fiscal_split.is_empty()), "fiscal split");
    let params: Vec<_> = p.params().collect();
    // A derived figure is shown with its derivation (`… = base（statistic）× factor`).
    add(p.provenance().iter().any(|e| e.decl.kind.is_some() && e.shown.display.contains('×')), "derived parameter");
    add(params.iter().any(|(_, kind, x)| *kind == ParamKind::Amount && x.normalize().scale() > 2), "sub-fen money parameter");
    add(params.iter().any(|(_, kind, x)| *kind == ParamKind::Amount && *x > Decimal::from(1_000_000_000u64)), "money parameter above 1e9");
    out.sort_unstable();
    out.dedup();
    out
}
