//! yibao-tools: what officials use to check and compare policy files.
//!
//! - [`lint`]: checks a policy against the norms of the higher-level documents, each finding
//!   with the norm's source (seed file and clause), plus every assumed parameter.
//! - [`share`]: the in-scope inpatient payout share of basic insurance over a fixed,
//!   documented set of typical admissions, beside the “about 70%” norm.
//! - [`residents`]: the fixed set of representative residents and bills of `yibao diff`.
//!
//! Pure functions over validated [`yibao_engine::Policy`] values: no I/O, no serde_json, so the
//! web app may use them too. The command line (`yibao lint`, `yibao diff`) only prints.
#![forbid(unsafe_code)]

pub mod lint;
pub mod norms;
pub mod residents;
pub mod share;

pub use lint::{lint, lint_error, Check, Finding, Report, Severity};
pub use norms::Norm;
pub use residents::{effects, Bill, Effect, BILLS};
pub use share::{in_scope_share, ShareEstimate, TYPICAL_ADMISSIONS};
