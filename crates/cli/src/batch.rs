//! `yibao batch`: JSON lines of scenarios in, JSON lines of results out.

use std::io::{self, BufRead, Write};
use yibao_engine::{Policy, ScenarioError};

/// How many lines were read and how many failed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub lines: usize,
    pub failed: usize,
}

/// Reads one scenario from a JSON text, naming the field of a problem (or the line and
/// column where the text stops being JSON).
pub fn parse_scenario(text: &str) -> Result<yibao_engine::Scenario, ScenarioError> {
    yibao_engine::scenario::parse(text)
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
