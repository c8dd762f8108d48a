//! Every failing input the harness saved (`tests/fuzz/regressions/*.json`) is replayed: once
//! the defect is fixed the case passes, and it keeps passing.

use yibao_fuzz::record::load_all;

#[test]
fn saved_failing_inputs_pass() {
    let dir = yibao_fuzz::regressions_dir();
    let records = load_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut failing = Vec::new();
    let mut replayed = 0;
    for (path, record) in &records {
        match record.replay() {
            // The Node harness (crates/wasm/tests/fuzz.mjs) replays its own `wasm` cases.
            None if record.kind == "wasm" => {}
            None => failing.push(format!("{}: unknown kind {:?}", path.display(), record.kind)),
            Some(Ok(())) => replayed += 1,
            Some(Err(violations)) => {
                let lines: Vec<String> = violations.iter().map(|v| format!("    {v}")).collect();
                failing.push(format!("{} (seed {} case {}):\n{}", path.display(), record.seed, record.case, lines.join("\n")));
            }
        }
    }
    assert!(failing.is_empty(), "{} of {} saved cases fail:\n{}", failing.len(), records.len(), failing.join("\n"));
    println!("{replayed} saved cases replayed");
}
