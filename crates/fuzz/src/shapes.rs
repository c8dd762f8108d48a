//! Which shapes of the format a policy uses, counted per run: the evidence that the
//! generator reaches every rule choice, pool arrangement and tilt the format allows.

use rust_decimal::Decimal;
use yibao_engine::policy::{Cap, DeductibleRule, Dimension, ParamKind, SegmentBasis, Table};
use yibao_engine::Policy;

/// Whether some key is given twice.
fn repeats<'a>(keys: impl Iterator<Item = Option<&'a str>>) -> bool {
    let keys: Vec<&str> = keys.flatten().collect();
    keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k))
}

/// Whether a table has two levels.
fn two_levels(t: &Table) -> bool {
    match t {
        Table::Figure(_) => false,
        Table::By { rows, .. } => rows.iter().any(|r| matches!(r.table, Table::By { .. })),
    }
}

/// Whether some key of the table lists several values (`level1,grassroots`).
fn joined_key(t: &Table) -> bool {
    match t {
        Table::Figure(_) => false,
        Table::By { rows, .. } => rows.iter().any(|r| r.key.contains(',') || joined_key(&r.table)),
    }
}

/// The names of the table shapes counted: by each dimension (and whether the figure is a
/// yearly one), two levels, comma-joined keys.
fn table_shapes(p: &Policy, out: &mut Vec<&'static str>) {
    let mut tables: Vec<(&Table, bool, bool)> = Vec::new();
    p.each_table(&mut |t, scope| tables.push((t, scope.yearly, scope.identities.is_none())));
    for (t, yearly, everyone) in tables {
        for d in Dimension::ALL {
            if t.uses(*d) {
                out.push(match (d, yearly) {
                    (Dimension::Tier, false) => "table by tier",
                    (Dimension::Tier, true) => "yearly table by tier",
                    (Dimension::Population, false) => "table by population",
                    (Dimension::Population, true) => "yearly table by population",
                    (Dimension::Facility, _) => "table by facility",
                    (Dimension::VisitKind, _) => "table by visit_kind",
                    (Dimension::Admission, _) => "table by admission",
                    (Dimension::Referral, _) => "table by referral",
                    (Dimension::Place, _) => "table by place",
                    (Dimension::Identity, false) => "table by identity",
                    (Dimension::Identity, true) => "yearly table by identity",
                });
            }
        }
        // An insurance table keyed by identity may treat an identity worse than `ordinary`.
        if everyone && t.uses(Dimension::Identity) {
            out.push("insurance table by identity (with ordinary)");
        }
        if two_levels(t) {
            out.push("table of two levels");
        }
        if joined_key(t) {
            out.push("table key joining values");
        }
    }
}

pub fn shapes(p: &Policy) -> Vec<&'static str> {
    let mut out = Vec::new();
    table_shapes(p, &mut out);
    let mut add = |yes: bool, name: &'static str| {
        if yes {
            out.push(name);
        }
    };
    add(p.tiers.len() > 1, "several tiers");
    add(!p.populations.is_empty(), "populations");
    add(!p.facility_classes.is_empty(), "facility classes");
    let stated_none = |c: &Option<Cap>| matches!(c, Some(Cap::NoCap(_)));
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
        add(b.caps.values().any(|c| c.amount.is_none()), "basic cap unstated");
        add(b.caps.values().any(|c| stated_none(&c.amount)), "basic cap stated none");
        add(b.benefits.iter().any(|x| !x.ratio_bonus.is_empty()), "ratio bonus");
        add(b.benefits.iter().any(|x| x.deductible_ceiling.is_some()), "deductible ceiling");
        add(b.benefits.iter().any(|x| x.eligible_ceiling.is_some()), "eligible ceiling");
        add(b.benefits.iter().any(|x| x.partial_self_pay_in_base.as_ref().is_some_and(|f| f.value)), "basic partial self-pay in base");
        for x in &b.benefits {
            if !x.segments.is_empty() {
                let basis = x.segment_basis.as_ref().map_or(SegmentBasis::CumulativeBurden, |f| f.value);
                add(basis == SegmentBasis::CumulativeBurden, "basic bands on the cumulative cost");
                add(basis == SegmentBasis::ExcessOverThreshold, "basic bands on the excess");
                add(x.segments.last().is_some_and(|s| s.up_to.is_some()), "basic bands bounded");
            }
        }
        add(!b.not_covered.is_empty(), "visit kind not covered");
    }
    if let Some(ci) = &p.critical_illness {
        add(ci.segments.len() >= 3, "critical illness 3+ segments");
        add(ci.basis() == SegmentBasis::ExcessOverThreshold, "segments on the excess");
        add(ci.segments.last().is_some_and(|s| s.up_to.is_none()), "last segment open");
        add(ci.segments.last().is_some_and(|s| s.up_to.is_some()), "last segment bounded");
        add(ci.above_last_segment.is_some(), "above_last_segment");
        add(ci.cap.is_none(), "critical illness cap unstated");
        add(stated_none(&ci.cap), "critical illness cap stated none");
        add(ci.partial_self_pay_in_base.as_ref().is_some_and(|f| f.value), "critical illness partial self-pay in base");
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
            add(c.rules.iter().any(|r| r.admission_threshold.is_some()), "assistance admission threshold");
            add(c.rules.iter().any(|r| r.admission_cap.is_some()), "assistance admission cap");
            add(c.rules.iter().any(|r| !r.segments.is_empty() && r.segment_basis.as_ref().is_some_and(|b| b.value == SegmentBasis::CumulativeBurden)), "assistance bands on the burden");
            add(c.rules.iter().any(|r| !r.segments.is_empty() && r.segment_basis.as_ref().is_some_and(|b| b.value == SegmentBasis::ExcessOverThreshold)), "assistance bands on the excess");
            add(c.rules.iter().any(|r| !r.segments.is_empty() && r.segment_basis.as_ref().is_some_and(|b| b.value == SegmentBasis::Admission)), "assistance bands of one visit");
            add(c.rules.iter().any(|r| r.partial_self_pay_in_base.as_ref().is_some_and(|f| f.value)), "assistance partial self-pay in base");
            add(c.caps.values().any(|x| x.amount.is_none()), "assistance cap unstated");
            add(c.caps.values().any(|x| stated_none(&x.amount)), "assistance cap stated none");
            add(c.rules.iter().enumerate().any(|(i, r)| r.cap_pool.is_some() && c.rules[..i].iter().any(|q| q.cap_pool == r.cap_pool)), "assistance cap pool shared");
        }
    }
    if let Some(t) = &p.tilted_assistance {
        add(t.requires_referral.value, "extra assistance requires referral");
        add(!t.requires_referral.value, "extra assistance without referral");
        add(t.admission_threshold.is_some(), "extra assistance admission threshold");
        add(t.threshold.is_none(), "extra assistance without yearly threshold");
        add(t.cap.is_none(), "extra assistance cap unstated");
        add(stated_none(&t.cap), "extra assistance cap stated none");
        add(t.partial_self_pay_in_base.as_ref().is_some_and(|f| f.value), "extra assistance partial self-pay in base");
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
