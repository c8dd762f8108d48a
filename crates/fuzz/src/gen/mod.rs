//! Input generators: numbers, parameters, policies, scenarios, links, random JSON.

pub mod json;
pub mod link;
pub mod number;
pub mod param;
pub mod policy;
pub mod scenario;
