//! `cargo xtask fuzz [--minutes N] [--seed S] [--no-wasm]`: the fuzz harness `crates/fuzz`
//! (built with the `fuzz` profile: optimised, unwinding, overflow checks on) for three
//! quarters of the time, then the wasm package's Node harness (`crates/wasm/tests/fuzz.mjs`)
//! for the rest, with a corpus of generated cases computed natively to compare with. Both
//! use the same seed, print what they tried, save failing inputs under
//! `tests/fuzz/regressions/` (replayed by `cargo test` and by the Node harness) and fail on
//! any failure. The CI step `fuzz` is a fixed-seed pass of about a minute that saves into
//! `target/fuzz-failures/` instead, leaving the checkout as it was.

use std::path::{Path, PathBuf};

use crate::bail;
use crate::testcmd::Outcome;
use crate::util::{self, cmd, note, run, step, Result};

/// The seed of the CI pass: fixed, so that CI runs the same cases every time.
const CI_SEED: u64 = 1;

pub struct Options {
    pub seconds: f64,
    pub seed: u64,
    pub wasm: bool,
    /// Where failing inputs go: tests/fuzz/regressions/ by hand, the target directory in CI
    /// (so that a test run leaves the checkout as it was).
    pub save: PathBuf,
}

/// The options of `cargo xtask fuzz`: minutes, the seed (a fresh one when none is given),
/// whether the wasm harness runs too.
pub fn options(minutes: f64, seed: Option<u64>, wasm: bool) -> Result<Options> {
    if minutes.is_nan() || minutes <= 0.0 {
        bail!("--minutes must be above 0");
    }
    Ok(Options { seconds: minutes * 60.0, seed: seed.unwrap_or_else(fresh_seed), wasm, save: util::root().join("tests/fuzz/regressions") })
}

fn fresh_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000)
}

fn harness() -> Result<PathBuf> {
    step("fuzz: cargo build -p yibao-fuzz --profile fuzz");
    run(util::cargo().current_dir(util::root()).args(["build", "-p", "yibao-fuzz", "--profile", "fuzz"]))?;
    Ok(util::target_dir().join("fuzz/yibao-fuzz"))
}

/// The Rust part, then the Node part; an error when either found a failure.
pub fn fuzz(o: &Options) -> Result {
    let root = util::root();
    let bin = harness()?;
    let rust_seconds = if o.wasm { o.seconds * 0.75 } else { o.seconds };
    step(&format!("fuzz: the harness, {rust_seconds:.0} s, seed {}", o.seed));
    let rust = run(cmd(&bin).current_dir(&root).args(["--seconds", &format!("{rust_seconds:.1}"), "--seed", &o.seed.to_string(), "--save"]).arg(&o.save));
    let node = if o.wasm { wasm(&bin, o.seconds - rust_seconds, o.seed, &o.save) } else { Ok(()) };
    match (rust, node) {
        (Ok(()), Ok(())) => Ok(()),
        (r, n) => {
            let what: Vec<String> = [r.err().map(|e| format!("the harness: {e}")), n.err().map(|e| format!("the wasm harness: {e}"))].into_iter().flatten().collect();
            bail!("fuzz found failures (saved in {}): {}", o.save.display(), what.join("; "))
        }
    }
}

/// The wasm package under Node, with `corpus` generated cases to compare with the native engine.
fn wasm(bin: &Path, seconds: f64, seed: u64, save: &Path) -> Result {
    let root = util::root();
    let pkg = root.join("crates/wasm/pkg");
    if !pkg.join("yibao_wasm_bg.wasm").is_file() {
        note("crates/wasm/pkg is not built: building it (`cargo xtask wasm`)");
        crate::setup::setup()?;
        crate::wasm::build()?;
    }
    let corpus = util::target_dir().join("fuzz-corpus.json");
    step("fuzz: generated cases computed natively, for the wasm package to match");
    run(cmd(bin).current_dir(&root).args(["--corpus"]).arg(&corpus).args(["--cases", "150", "--seed", &seed.to_string()]))?;
    step(&format!("fuzz: crates/wasm/tests/fuzz.mjs, {seconds:.0} s, seed {seed}"));
    run(cmd("node")
        .current_dir(&root)
        .arg("crates/wasm/tests/fuzz.mjs")
        .args(["--seconds", &format!("{seconds:.1}"), "--seed", &seed.to_string(), "--corpus"])
        .arg(&corpus)
        .arg("--save")
        .arg(save)
        .env("YIBAO_WASM_PKG", &pkg))
}

/// Test step `fuzz`: the fixed-seed pass, about a minute (45 s native, 15 s under Node).
/// Failing inputs go to target/fuzz-failures/ (copy one into tests/fuzz/regressions/ to keep it).
pub fn ci() -> Result<Outcome> {
    let save = util::target_dir().join("fuzz-failures");
    fuzz(&Options { seconds: 60.0, seed: CI_SEED, wasm: true, save }).map(|_| Outcome::Passed)
}
