//! The provenance table: one entry per figure of a policy (every number and rule choice), in
//! the order of the file, built when the policy is read. Each entry has what `walk.rs`
//! declares (path, label, kind, what absence means, the diff's match key), the figure's value,
//! and the figure as a step shows it (value as shown, status, source, note). Every `Param` and
//! `Sourced` of the model carries its entry's id: the explanation, lint, diff and listings
//! look figures up here instead of spelling out paths and labels.

use super::walk::{Decl, ParamId, ParamKind};
use super::{Policy, Source, Status};
use crate::money::{format_percent, format_yuan};
use crate::result::{ParamUse, SourceRef};
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub decl: Decl,
    /// The number after derivation; `None` for a rule choice (or an unresolvable number).
    pub value: Option<Decimal>,
    /// As a step shows it.
    pub shown: ParamUse,
}

/// What the walk gathered of one figure, before the table can be written (a shown value
/// needs the statistics and documents, which the walk holds mutably).
pub(super) struct Gathered {
    pub decl: Decl,
    pub value: Option<Decimal>,
    /// For a derived number: the statistic's key and the factor.
    pub derived: Option<(String, Decimal)>,
    /// A rule's value as shown.
    pub display: Option<String>,
    pub status: Status,
    pub source: Option<Source>,
    pub note: Option<String>,
}

impl Policy {
    /// The table entry of a figure.
    pub fn entry(&self, id: ParamId) -> Option<&Entry> {
        self.provenance.get(id.0 as usize)
    }

    /// Every figure: numbers first, in the order of the file, then the rule choices.
    pub fn provenance(&self) -> &[Entry] {
        &self.provenance
    }
}

/// Writes the table from what the walk gathered.
pub(super) fn build(policy: &Policy, mut gathered: Vec<Gathered>) -> Vec<Entry> {
    // Two list items about the same thing (two bonuses for the same identities, two lines of
    // one name) would share a match key; number the repeats so every key names one figure.
    // Counted on the keys as declared, so no key is formatted unless it repeats.
    let declared: Vec<String> = gathered.iter().map(|g| g.decl.key.clone()).collect();
    for (i, g) in gathered.iter_mut().enumerate() {
        let repeats = declared[..i].iter().filter(|k| **k == declared[i]).count();
        if repeats > 0 {
            g.decl.key = format!("{}#{}", declared[i], repeats + 1);
        }
    }
    gathered
        .into_iter()
        .map(|g| {
            let display = match (g.decl.kind, g.display) {
                (_, Some(d)) => d,
                (Some(kind), None) => shown_number(policy, kind, g.value.unwrap_or_default(), g.derived.as_ref()),
                (None, None) => String::new(),
            };
            let mut note = g.note;
            if let Some((key, _)) = &g.derived {
                // A derived figure is only as good as its statistic: carry the statistic's note too.
                if let Some(stat) = policy.statistics.get(key) {
                    if let Some(n) = &stat.value.note {
                        note = Some(match note {
                            Some(own) => format!("{own}；{}：{n}", stat.label),
                            None => format!("{}：{n}", stat.label),
                        });
                    }
                }
            }
            let shown = ParamUse {
                path: g.decl.path.clone(),
                label: g.decl.label.clone(),
                display,
                status: g.status,
                status_name: g.status.name_zh(),
                source: g.source.as_ref().map(|s| source_ref(policy, &s.document, &s.clause)),
                note,
            };
            Entry { decl: g.decl, value: g.value, shown }
        })
        .collect()
}

/// A number as shown: `65%`, `12,000.00`, or a derivation `24,488.00 = 48,976.00（…）× 50%`.
fn shown_number(policy: &Policy, kind: ParamKind, v: Decimal, derived: Option<&(String, Decimal)>) -> String {
    let show = |v: Decimal| match kind {
        ParamKind::Amount => format_yuan(v),
        ParamKind::Ratio => format_percent(v),
        ParamKind::Points => format!("{}个百分点", (v * Decimal::ONE_HUNDRED).normalize()),
        ParamKind::Factor => format!("{}", v.normalize()),
    };
    match derived {
        Some((key, factor)) => {
            let base = policy.statistics.get(key).map(|s| s.value.get()).unwrap_or_default();
            let label = policy.statistics.get(key).map(|s| s.label.as_str()).unwrap_or("");
            // A share reads as a percentage (× 50%), a multiple as a number (× 6).
            let f = if *factor > Decimal::ONE { factor.normalize().to_string() } else { format_percent(*factor) };
            // An amount derived to a fraction of a fen was rounded to the fen (四舍五入): say so.
            let rounded = if base.checked_mul(*factor) != Some(v) { "，四舍五入到分" } else { "" };
            format!("{} = {}（{}）× {f}{rounded}", show(v), format_yuan(base), label)
        }
        None => show(v),
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
