//! `cargo xtask test`: the one command CI runs (`.ci/run`). A list of named steps; add
//! new checks to [`STEPS`]. A step whose `needs` failed is skipped, the others still run.
//! The last line is `xtask: N passed, M failed` (`, K skipped` when some were), and the
//! exit status is non-zero when any step failed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::bail;
use crate::serve::Server;
use crate::util::{self, cmd, note, run, step, Result};

pub struct Step {
    pub name: &'static str,
    /// Steps that must have passed for this one to make sense.
    pub needs: &'static [&'static str],
    pub run: fn() -> Result<Outcome>,
}

pub enum Outcome {
    Passed,
    /// Nothing to do here (e.g. a directory that does not exist yet), with the reason.
    Skipped(String),
}

/// The steps, in order. Later work adds steps here: wasm package tests, lint, lighthouse…
pub const STEPS: &[Step] = &[
    Step {
        name: "setup",
        needs: &[],
        run: || crate::setup::setup().map(|_| Outcome::Passed),
    },
    Step {
        name: "cargo-test",
        needs: &[],
        run: cargo_test,
    },
    Step {
        name: "speed",
        needs: &["cargo-test"],
        run: || crate::speed::speed().map(|_| Outcome::Passed),
    },
    Step {
        name: "dist",
        needs: &["setup"],
        run: || crate::dist::dist().map(|_| Outcome::Passed),
    },
    Step {
        name: "budget",
        needs: &["dist"],
        run: || crate::budget::budget().map(|_| Outcome::Passed),
    },
    Step {
        name: "e2e",
        needs: &["setup", "dist"],
        run: e2e,
    },
    // The calculator's runtime budgets: recalculation median (measured by e2e), Lighthouse.
    Step {
        name: "web-budgets",
        needs: &["dist", "e2e"],
        run: web_budgets,
    },
    // The embeddable package crates/wasm (crates/xtask/src/wasm.rs).
    Step {
        name: "wasm-build",
        needs: &["setup"],
        run: || crate::wasm::build().map(|_| Outcome::Passed),
    },
    Step {
        name: "wasm-size",
        needs: &["wasm-build"],
        run: crate::wasm::size,
    },
    Step {
        name: "wasm-node",
        needs: &["wasm-build"],
        run: crate::wasm::node,
    },
    Step {
        name: "wasm-browser",
        needs: &["wasm-build"],
        run: crate::wasm::browser,
    },
    // A fixed-seed fuzz pass of about a minute: crates/fuzz, then the wasm package under Node
    // (crates/xtask/src/fuzz.rs).
    Step {
        name: "fuzz",
        needs: &["wasm-build"],
        run: crate::fuzz::ci,
    },
];

/// `cargo test` over the whole workspace: every target (lib, bins, tests, examples,
/// benches in test mode), then the doc tests (which `--all-targets` leaves out).
fn cargo_test() -> Result<Outcome> {
    let root = util::root();
    run(util::cargo()
        .current_dir(&root)
        .args(["test", "--workspace", "--all-targets"]))?;
    run(util::cargo()
        .current_dir(&root)
        .args(["test", "--workspace", "--doc"]))?;
    Ok(Outcome::Passed)
}

pub fn e2e_dir() -> PathBuf {
    util::root().join("tests/e2e")
}

/// `*.test.mjs` / `*.test.js` files under `dir`, outside node_modules and artifacts.
fn test_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "node_modules" && name != "artifacts" && !name.starts_with('.') {
                test_files(&p, out)?;
            }
        } else if name.ends_with(".test.mjs") || name.ends_with(".test.js") {
            out.push(p);
        }
    }
    out.sort();
    Ok(())
}

/// Browser end-to-end tests: serves web/dist with the xtask server on a free port and
/// runs `node --test` over tests/e2e/**/*.test.mjs (Playwright driving Debian's Chromium).
fn e2e() -> Result<Outcome> {
    let dir = e2e_dir();
    if !dir.join("package.json").is_file() {
        return Ok(Outcome::Skipped(
            "tests/e2e/package.json does not exist".into(),
        ));
    }
    let mut files = Vec::new();
    test_files(&dir, &mut files)?;
    if files.is_empty() {
        bail!("tests/e2e has a package.json but no *.test.mjs files: nothing would be tested");
    }
    let Some(chromium) = crate::setup::chromium_path() else {
        bail!("Chromium not found; run `cargo xtask setup`");
    };
    let server = Server::start(&crate::dist::dist_dir(), 0, false)?;
    note(&format!("serving web/dist at {}", server.url()));
    let mut c = cmd("node");
    c.current_dir(&dir)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(
            files
                .iter()
                .map(|f| f.strip_prefix(&dir).unwrap_or(f).to_path_buf()),
        )
        .env("YIBAO_BASE_URL", server.url())
        .env("YIBAO_CHROMIUM", &chromium)
        .env("YIBAO_ROOT", util::root())
        .env("YIBAO_ARTIFACTS", dir.join("artifacts"));
    let result = run(&mut c);
    drop(server);
    result.map(|_| Outcome::Passed)
}

/// The calculator's runtime budgets (tests/e2e/budgets.mjs): the recalculation median that
/// the e2e step measured, and Lighthouse (mobile) performance and accessibility scores.
fn web_budgets() -> Result<Outcome> {
    let dir = e2e_dir();
    if !dir.join("budgets.mjs").is_file() {
        return Ok(Outcome::Skipped("tests/e2e/budgets.mjs does not exist".into()));
    }
    let Some(chromium) = crate::setup::chromium_path() else {
        bail!("Chromium not found; run `cargo xtask setup`");
    };
    let server = Server::start(&crate::dist::dist_dir(), 0, false)?;
    let mut c = cmd("node");
    c.current_dir(&dir)
        .arg("budgets.mjs")
        .env("YIBAO_BASE_URL", server.url())
        .env("YIBAO_CHROMIUM", &chromium)
        .env("CHROME_PATH", &chromium)
        .env("YIBAO_ROOT", util::root())
        .env("YIBAO_ARTIFACTS", dir.join("artifacts"));
    let result = run(&mut c);
    drop(server);
    result.map(|_| Outcome::Passed)
}

enum Status {
    Passed,
    Failed(String),
    Skipped(String),
}

/// The steps' names, for the command line: an unknown name is bad usage.
pub fn step_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(STEPS.iter().map(|s| s.name))
}

/// `cargo xtask test [STEP...] [--list]`: all steps, or only the named ones (names checked by
/// the command line).
pub fn test(args: &[String], list: bool) -> Result {
    if list {
        for s in STEPS {
            println!("{}", s.name);
        }
        return Ok(());
    }
    let started = Instant::now();
    let mut results: Vec<(&str, Status, f64)> = Vec::new();
    for s in STEPS {
        if !args.is_empty() && !args.iter().any(|a| a == s.name) {
            continue;
        }
        let t = Instant::now();
        let failed_need = s.needs.iter().find(|n| {
            results
                .iter()
                .any(|(name, st, _)| name == *n && !matches!(st, Status::Passed))
        });
        let status = if let Some(n) = failed_need {
            Status::Skipped(format!("needs {n}, which did not pass"))
        } else {
            step(&format!("test step: {}", s.name));
            match (s.run)() {
                Ok(Outcome::Passed) => Status::Passed,
                Ok(Outcome::Skipped(why)) => Status::Skipped(why),
                Err(e) => {
                    println!("\nxtask: step {} FAILED: {e}", s.name);
                    Status::Failed(e.0)
                }
            }
        };
        results.push((s.name, status, t.elapsed().as_secs_f64()));
    }

    println!(
        "\n==> test summary ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (name, st, secs) in &results {
        let (word, why) = match st {
            Status::Passed => {
                passed += 1;
                ("ok", String::new())
            }
            Status::Failed(e) => {
                failed += 1;
                ("FAILED", format!("  {}", e.lines().next().unwrap_or("")))
            }
            Status::Skipped(w) => {
                skipped += 1;
                ("skipped", format!("  ({w})"))
            }
        };
        println!("    {name:<12} {word:<8} {secs:>7.1} s{why}");
    }
    let mut line = format!("xtask: {passed} passed, {failed} failed");
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped"));
    }
    println!("{line}");
    if failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
