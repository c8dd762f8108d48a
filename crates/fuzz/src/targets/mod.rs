//! What the harness drives. Each target makes the input of case `index` from `(seed, index)`
//! alone (as JSON, so that a failing input can be saved and replayed as it is), and checks
//! an input, counting what it tried.

pub mod calc;
pub mod cli;
pub mod link;
pub mod policy_reader;
pub mod tools;

use crate::invariants::Violation;
use serde_json::Value;
use std::collections::BTreeMap;

/// Named counters (scenarios checked, policies refused, links read …).
#[derive(Clone, Debug, Default)]
pub struct Counts(pub BTreeMap<String, u64>);

impl Counts {
    pub fn add(&mut self, name: &str, n: u64) {
        *self.0.entry(name.to_string()).or_default() += n;
    }

    pub fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    pub fn merge(&mut self, other: &Counts) {
        for (k, v) in &other.0 {
            self.add(k, *v);
        }
    }
}

/// A failing input: what broke, and the smallest input that shows it (e.g. the policy and
/// only the scenario that failed).
#[derive(Debug)]
pub struct Failure {
    pub violations: Vec<Violation>,
    pub input: Value,
}

/// Shorthand for a check that found nothing or one failure.
pub type Checked = Result<(), Failure>;

pub fn violation(invariant: &'static str, detail: impl Into<String>) -> Violation {
    Violation { invariant, detail: detail.into() }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Generated policies and scenarios through `calculate`, `settle`, `totals_only`, `curve`.
    Calc,
    /// `policy::from_value`, `read_value` and `load` on mutated and random policies.
    PolicyReader,
    /// `yibao_cli::batch::parse_scenario` on mutated and random scenario text.
    ScenarioText,
    /// `yibao_cli::batch::run` on random lines of bytes.
    Batch,
    /// `yibao_tools::lint`, `diff_params`, `compare` and `effects` on generated policies.
    Tools,
    /// The web page's share-link codec.
    Link,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[Kind::Calc, Kind::PolicyReader, Kind::ScenarioText, Kind::Batch, Kind::Tools, Kind::Link];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Calc => "calc",
            Kind::PolicyReader => "policy_reader",
            Kind::ScenarioText => "scenario_text",
            Kind::Batch => "batch",
            Kind::Tools => "tools",
            Kind::Link => "link",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// How many cases of this kind the runner takes per round: the pipeline's invariants
    /// are the point, the readers are cheap.
    pub fn weight(self) -> u64 {
        match self {
            Kind::Calc => 6,
            Kind::PolicyReader => 3,
            Kind::ScenarioText => 3,
            Kind::Batch => 1,
            Kind::Tools => 1,
            Kind::Link => 4,
        }
    }

    /// The input of case `index`.
    pub fn input(self, seed: u64, index: u64) -> Value {
        let mut rng = crate::rng::Rng::for_case(seed, self.name(), index);
        match self {
            Kind::Calc => calc::input(&mut rng),
            Kind::PolicyReader => policy_reader::input(&mut rng),
            Kind::ScenarioText => cli::scenario_input(&mut rng),
            Kind::Batch => cli::batch_input(&mut rng),
            Kind::Tools => tools::input(&mut rng),
            Kind::Link => link::input(&mut rng),
        }
    }

    pub fn check(self, input: &Value, counts: &mut Counts) -> Checked {
        match self {
            Kind::Calc => calc::check(input, counts),
            Kind::PolicyReader => policy_reader::check(input, counts),
            Kind::ScenarioText => cli::check_text(input, counts),
            Kind::Batch => cli::check_batch(input, counts),
            Kind::Tools => tools::check(input, counts),
            Kind::Link => link::check(input, counts),
        }
    }
}

/// The first problem's path with list positions dropped (`basic.benefits[].ratio`), to
/// count refusals by where they happen.
pub fn path_pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Converts to the engine's JSON value (what `policy::from_value` reads).
pub fn engine_value(v: &Value) -> yibao_engine::json::Value {
    serde_json::from_value(v.clone()).expect("every serde_json value is an engine JSON value")
}
