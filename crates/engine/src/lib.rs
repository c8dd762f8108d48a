//! yibao-engine: what basic medical insurance, critical illness insurance, medical assistance
//! and extra assistance pay on a resident's hospital bills, under a policy read from data.
//!
//! The engine does no I/O: callers deserialize a [`Policy`] with [`policy::load`] and a
//! [`Scenario`] with [`scenario::read`] from any serde deserializer, then call [`calculate`].
#![forbid(unsafe_code)]

/// A message in Chinese with a short English gloss in parentheses, as one literal. Without
/// the `messages` feature (the resident page, which shows only Chinese) the gloss is left out.
#[cfg(feature = "messages")]
macro_rules! zh_en {
    ($zh:literal, $en:literal) => {
        concat!($zh, " (", $en, ")")
    };
}
#[cfg(not(feature = "messages"))]
macro_rules! zh_en {
    ($zh:literal, $en:literal) => {
        $zh
    };
}

pub mod calc;
pub mod compare;
pub mod curve;
pub mod dec;
pub mod ids;
pub mod json;
pub mod money;
pub mod policy;
pub mod result;
pub mod scenario;
mod scenario_text;
pub mod stamp;

pub use calc::{calculate, settle, totals_only};
pub use compare::{compare, diff_params, Comparison, PolicyDiff, Side};
pub use curve::{curve, CurvePoint};
pub use ids::{HospitalLevel, Identity, Layer, Scheme, VisitKind};
pub use policy::{Policy, PolicyError, Problem};
pub use result::{CalcResult, Settlement};
pub use scenario::{Scenario, ScenarioError, Visit};

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
