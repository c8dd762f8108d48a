//! `yibao batch`: JSON lines of scenarios in, JSON lines of results out.

use std::io::{self, BufRead, Write};
use yibao_engine::{Policy, ScenarioError};

/// How many lines were read and how many failed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub lines: usize,
    pub failed: usize,
}

/// Reads one scenario from a JSON text, naming the field of a problem. Good input is read
/// without path tracking (a fifth of batch time); only bad input is read again to name the field.
pub fn parse_scenario(text: &str) -> Result<yibao_engine::Scenario, ScenarioError> {
    if let Ok(scenario) = serde_json::from_str(text) {
        return Ok(scenario);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let scenario = yibao_engine::scenario::read(&mut de)?;
    de.end().map_err(|e| ScenarioError { field: "(root)".into(), message: e.to_string() })?;
    Ok(scenario)
}

/// What each output line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// `{identity, totals}`.
    Totals,
    /// `{identity, totals, visits}`: per-visit per-layer amounts, as on a settlement slip.
    Settlement,
    /// The whole result contract, explanation included (as `yibao calc --json`).
    Explained,
}

/// Processes every non-empty line. A bad line gives `{"line": n, "error": {field, message}}`
/// and the batch goes on.
pub fn run(policy: &Policy, input: impl BufRead, mut out: impl Write, detail: Detail) -> io::Result<Summary> {
    let mut summary = Summary::default();
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        let outcome = parse_scenario(&line).and_then(|scenario| match detail {
            Detail::Totals => yibao_engine::totals_only(policy, &scenario)
                .map(|(identity, totals)| serde_json::to_writer(&mut out, &serde_json::json!({"identity": identity, "totals": totals}))),
            Detail::Settlement => yibao_engine::settle(policy, &scenario).map(|s| serde_json::to_writer(&mut out, &s)),
            Detail::Explained => yibao_engine::calculate(policy, &scenario).map(|r| serde_json::to_writer(&mut out, &r)),
        });
        match outcome {
            Ok(written) => written.map_err(io::Error::other)?,
            Err(e) => {
                summary.failed += 1;
                serde_json::to_writer(&mut out, &serde_json::json!({"line": n + 1, "error": e})).map_err(io::Error::other)?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(summary)
}
