//! The fixed-seed pass that `cargo test --workspace` (CI) runs: a few hundred generated
//! policies through every invariant of the pipeline, and the readers on random and mutated
//! input. A failure prints the groups found and writes each failing input (seed, case,
//! policy and scenario) to a file; copy one into `tests/fuzz/regressions/` to keep it.

use std::path::{Path, PathBuf};
use yibao_fuzz::runner::{self, Budget, Config, Report};
use yibao_fuzz::targets::Kind;

const SEED: u64 = 20_261_122;

fn pass(kinds: &[Kind], cases: u64, name: &str) -> (Report, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = Config::new(SEED, Budget::Cases(cases));
    config.kinds = kinds.to_vec();
    config.save_dir = Some(dir.clone());
    config.save_per_class = 2;
    // Saved as generated: shrinking would double the time of a failing pass.
    config.shrink = std::time::Duration::ZERO;
    (runner::run(&config), dir)
}

fn assert_clean(report: &Report, dir: &Path) {
    assert!(
        report.failures() == 0,
        "\n{}\nThe failing inputs are in {} (JSON: kind, seed, case, input); copy one into tests/fuzz/regressions/ to keep it as a regression case, and run it with `cargo run -p yibao-fuzz -- --replay FILE`.",
        report.summary(),
        dir.display()
    );
}

#[test]
fn generated_policies_and_scenarios_keep_every_invariant() {
    let (report, dir) = pass(&[Kind::Calc], 240, "calc");
    let (generated, refused) = (report.counts.get("policies generated"), report.counts.get("generated policies refused"));
    let accepted = generated - refused;
    // The generator is meant to make valid policies: a refusal is the generator's mistake or
    // a validation rule it does not know yet.
    assert!(accepted >= 200 && refused * 20 <= generated, "{accepted} accepted, {refused} refused:\n{}", report.summary());
    assert!(report.counts.get("scenarios") >= 500, "{}", report.summary());
    assert_clean(&report, &dir);
    println!("{}", report.summary());
}

#[test]
fn readers_lint_diff_and_links_take_random_input() {
    let kinds = [Kind::PolicyReader, Kind::ScenarioText, Kind::Batch, Kind::Tools, Kind::Link];
    let (report, dir) = pass(&kinds, 600, "readers");
    for (kind, at_least) in [("policy_reader", 100), ("scenario_text", 100), ("link", 100), ("batch", 30), ("tools", 30)] {
        assert!(report.cases.get(kind).copied().unwrap_or(0) >= at_least, "{kind}:\n{}", report.summary());
    }
    assert_clean(&report, &dir);
    println!("{}", report.summary());
}
