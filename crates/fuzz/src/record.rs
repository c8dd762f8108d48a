//! Failing inputs as files (`tests/fuzz/regressions/*.json`): what broke, where it came
//! from, and the input itself, so that `cargo test` replays every saved case as a regression
//! test whatever the generators become.

use crate::invariants::Violation;
use crate::panics;
use crate::targets::{violation, Counts, Kind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    /// The target (`calc`, `policy_reader`, … `wasm` for the Node harness's cases).
    pub kind: String,
    pub seed: u64,
    /// The case index: `(seed, kind, case)` regenerates the input.
    pub case: u64,
    /// The first invariant broken.
    pub invariant: String,
    /// Every violation found, one per line.
    pub message: String,
    pub input: Value,
}

impl Record {
    pub fn new(kind: Kind, seed: u64, case: u64, violations: &[Violation], input: Value) -> Record {
        Record {
            kind: kind.name().into(),
            seed,
            case,
            invariant: violations.first().map_or("unknown", |v| v.invariant).into(),
            message: violations.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("\n"),
            input,
        }
    }

    /// The record with its input shrunk (`shrink.rs`) and its message from the shrunk input.
    pub fn shrunk(mut self, budget: std::time::Duration) -> Record {
        let Some(kind) = Kind::from_name(&self.kind) else { return self };
        self.input = crate::shrink::shrink(kind, &self.input, &self.invariant, budget);
        if let Some(Err(violations)) = self.replay() {
            self.message = violations.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("\n");
        }
        self
    }

    pub fn file_name(&self) -> String {
        format!("{}-{}-{}-{}.json", self.kind, self.invariant, self.seed, self.case)
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(self.file_name());
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&path, text + "\n")?;
        Ok(path)
    }

    /// Runs the saved input again. `None` for a kind this harness does not run (the Node
    /// harness replays `wasm` cases itself).
    pub fn replay(&self) -> Option<Result<(), Vec<Violation>>> {
        let kind = Kind::from_name(&self.kind)?;
        let mut counts = Counts::default();
        Some(match panics::catch(|| kind.check(&self.input, &mut counts)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(failure)) => Err(failure.violations),
            Err(panic) => Err(vec![violation("panic", panic)]),
        })
    }
}

/// Every saved case in `dir` (none when it does not exist), sorted by file name.
pub fn load_all(dir: &Path) -> Result<Vec<(PathBuf, Record)>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(vec![]) };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let record = serde_json::from_str(&text).map_err(|e| format!("{}: not a saved case: {e}", p.display()))?;
            Ok((p, record))
        })
        .collect()
}
