//! Turning parameters into what a step shows: label, value, source, status.

use crate::money::{format_percent, format_yuan};
use crate::policy::{Param, ParamKind, Policy, Sourced};
use crate::result::{ParamUse, SourceRef};

pub(crate) fn param_use(policy: &Policy, path: &str, label: &str, kind: ParamKind, p: &Param) -> ParamUse {
    let show = |v| match kind {
        ParamKind::Amount => format_yuan(v),
        ParamKind::Ratio => format_percent(v),
        ParamKind::Points => format!("{}个百分点", (v * rust_decimal::Decimal::ONE_HUNDRED).normalize()),
        ParamKind::Factor => format!("{}", v.normalize()),
    };
    let display = match &p.derived {
        Some(d) => {
            let base = policy.statistics.get(&d.statistic).map(|s| s.value.get()).unwrap_or_default();
            let label = policy.statistics.get(&d.statistic).map(|s| s.label.as_str()).unwrap_or("");
            // A share reads as a percentage (× 50%), a multiple as a number (× 6).
            let factor = if d.factor.0 > rust_decimal::Decimal::ONE { d.factor.0.normalize().to_string() } else { format_percent(d.factor.0) };
            // An amount derived to a fraction of a fen was rounded to the fen (四舍五入): say so.
            let rounded = if base * d.factor.0 != p.get() { "，四舍五入到分" } else { "" };
            format!("{} = {}（{}）× {factor}{rounded}", show(p.get()), format_yuan(base), label)
        }
        None => show(p.get()),
    };
    let mut note = p.note.clone();
    if let Some(d) = &p.derived {
        if let Some(stat) = policy.statistics.get(&d.statistic) {
            // A derived figure is only as good as its statistic: carry the statistic's note too.
            if let Some(n) = &stat.value.note {
                note = Some(match note {
                    Some(own) => format!("{own}；{}：{n}", stat.label),
                    None => format!("{}：{n}", stat.label),
                });
            }
        }
    }
    ParamUse {
        path: path.to_string(),
        label: label.to_string(),
        display,
        status: p.status(),
        status_name: p.status().name_zh(),
        source: p.source.as_ref().map(|s| source_ref(policy, &s.document, &s.clause)),
        note,
    }
}

/// A rule choice (which kinds count, whether referral is needed …) shown like a parameter.
pub(crate) fn rule_use<T>(policy: &Policy, path: &str, label: &str, display: String, s: &Sourced<T>) -> ParamUse {
    ParamUse {
        path: path.to_string(),
        label: label.to_string(),
        display,
        status: s.status,
        status_name: s.status.name_zh(),
        source: s.source.as_ref().map(|src| source_ref(policy, &src.document, &src.clause)),
        note: s.note.clone(),
    }
}

pub(crate) fn source_ref(policy: &Policy, document: &str, clause: &str) -> SourceRef {
    let doc = policy.document(document);
    SourceRef {
        document: document.to_string(),
        title: doc.map(|d| d.title.clone()).unwrap_or_default(),
        issuer: doc.map(|d| d.issuer.clone()).unwrap_or_default(),
        date: doc.map(|d| d.date.clone()).unwrap_or_default(),
        clause: clause.to_string(),
        url: doc.and_then(|d| d.url.clone()),
        seed: doc.and_then(|d| d.seed.clone()),
        grade: doc.and_then(|d| d.grade.clone()),
    }
}
