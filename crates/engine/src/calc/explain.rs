//! Figures as a step shows them, looked up in the policy's provenance table by the id each
//! `Param` and `Sourced` carries: no layer spells out a path or a label.

use crate::policy::{Param, Policy, Sourced};
use crate::result::ParamUse;

/// A number of the policy as a step shows it.
pub(crate) fn param_use(policy: &Policy, p: &Param) -> ParamUse {
    shown(policy, p.id)
}

/// A rule choice (which kinds count, whether referral is needed …) as a step shows it.
pub(crate) fn rule_use<T>(policy: &Policy, s: &Sourced<T>) -> ParamUse {
    shown(policy, s.id)
}

fn shown(policy: &Policy, id: crate::policy::ParamId) -> ParamUse {
    match policy.entry(id) {
        Some(e) => e.shown.clone(),
        // Only a policy built by hand, not read, lacks its table; say so rather than guess.
        None => ParamUse {
            path: String::new(),
            label: "（未登记的参数）".into(),
            display: String::new(),
            status: crate::policy::Status::Assumed,
            status_name: crate::policy::Status::Assumed.name_zh(),
            source: None,
            note: None,
        },
    }
}
