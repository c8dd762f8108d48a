//! The embeddable package `crates/wasm` (yibao-wasm): `cargo xtask wasm` builds it, and
//! the test steps `wasm-build`, `wasm-size`, `wasm-node` and `wasm-browser` check it.
//!
//! Builds (all with `wasm-pack --mode no-install`, so a missing or mismatched tool is an
//! error rather than a download; `wasm-bindgen` and `wasm-opt` come from PATH, see
//! `util::ensure_tool_dirs_on_path`):
//! - `crates/wasm/pkg`: `--target web`, release, wasm-opt flags from crates/wasm/Cargo.toml;
//! - `crates/wasm/pkg-bundler`: `--target bundler`, the same wasm for bundler users;
//! - `crates/wasm/pkg-probe`: a dev build with the test-only `panic-probe` feature, for the
//!   test that a panic reaches JavaScript as an `Error`.

use std::path::PathBuf;

use crate::bail;
use crate::imports::Glue;
use crate::setup;
use crate::testcmd::Outcome;
use crate::util::{self, cmd, note, run, step, Context, Result};

/// Issue 3's budget: the package's `.wasm` at most 100 KB gzipped; CI fails above it.
/// Measured 95.4 KB (95.1 KB before the depth limit, issue 9). What shrank it, and what to keep out, is in
/// ARCHITECTURE.md ("Size"); `twiggy top` on the pre-wasm-opt build shows what grew.
pub const WASM_GZIP_BUDGET: usize = 100_000;

fn crate_dir() -> PathBuf {
    util::root().join("crates/wasm")
}

fn tests_dir() -> PathBuf {
    crate_dir().join("tests")
}

fn wasm_pack(args: &[&str], cargo_args: &[&str]) -> Result {
    let mut c = cmd("wasm-pack");
    c.current_dir(util::root())
        .args(["--log-level", "warn", "build", "crates/wasm", "--mode", "no-install"])
        .args(args);
    if !cargo_args.is_empty() {
        c.arg("--").args(cargo_args);
    }
    run(&mut c)
}

/// `cargo xtask wasm`: the three builds.
pub fn build() -> Result {
    if util::which("wasm-opt").is_none() {
        bail!("wasm-opt is not on PATH; run `cargo xtask setup` (it installs npm's binaryen in web/)");
    }
    step("wasm: wasm-pack build crates/wasm --target web (crates/wasm/pkg)");
    wasm_pack(&["--release", "--target", "web", "--out-dir", "pkg"], &[])?;
    short_imports("pkg", "yibao_wasm.js", Glue::ImportsObject)?;
    step("wasm: wasm-pack build crates/wasm --target bundler (crates/wasm/pkg-bundler)");
    wasm_pack(&["--release", "--target", "bundler", "--out-dir", "pkg-bundler"], &[])?;
    short_imports("pkg-bundler", "yibao_wasm_bg.js", Glue::ExportedFunctions)?;
    step("wasm: panic probe build (crates/wasm/pkg-probe, tests only)");
    wasm_pack(&["--dev", "--target", "web", "--out-dir", "pkg-probe"], &["--features", "panic-probe"])?;
    Ok(())
}

/// Short names for a release build's imports from its glue (`imports.rs`), in place.
fn short_imports(dir: &str, glue_file: &str, style: Glue) -> Result {
    let dir = crate_dir().join(dir);
    let (wasm_path, glue_path) = (dir.join("yibao_wasm_bg.wasm"), dir.join(glue_file));
    let wasm = std::fs::read(&wasm_path).ctx(|| format!("reading {}", wasm_path.display()))?;
    let glue = std::fs::read_to_string(&glue_path).ctx(|| format!("reading {}", glue_path.display()))?;
    let (short, glue, renamed) = crate::imports::shorten(&wasm, &glue, "./yibao_wasm_bg.js", style)
        .map_err(|e| util::Error(format!("renaming the imports of {}: {e}", wasm_path.display())))?;
    note(&format!("{renamed} imports renamed: {} -> {} bytes gzip", util::thousands(util::gzip_len(&wasm)), util::thousands(util::gzip_len(&short))));
    std::fs::write(&wasm_path, short).ctx(|| format!("writing {}", wasm_path.display()))?;
    std::fs::write(&glue_path, glue).ctx(|| format!("writing {}", glue_path.display()))?;
    Ok(())
}

/// Test step `wasm-size`: prints the package's size and fails above the ceiling.
pub fn size() -> Result<Outcome> {
    step("wasm-size: the package's .wasm, gzip -9 (KB = 1000 bytes)");
    let mut sizes = Vec::new();
    for rel in ["pkg/yibao_wasm_bg.wasm", "pkg-bundler/yibao_wasm_bg.wasm"] {
        let path = crate_dir().join(rel);
        let data = std::fs::read(&path).ctx(|| format!("reading {} (run `cargo xtask wasm`)", path.display()))?;
        let gzip = util::gzip_len(&data);
        note(&format!(
            "crates/wasm/{rel}: {} bytes raw, {} bytes gzip ({:.1} KB)",
            util::thousands(data.len()),
            util::thousands(gzip),
            gzip as f64 / 1000.0
        ));
        sizes.push(gzip);
    }
    let gzip = sizes.into_iter().max().unwrap_or(0);
    println!(
        "wasm package size: {:.1} KB gzip (budget {:.1} KB, {:.1} KB to spare)",
        gzip as f64 / 1000.0,
        WASM_GZIP_BUDGET as f64 / 1000.0,
        (WASM_GZIP_BUDGET as f64 - gzip as f64) / 1000.0
    );
    if gzip > WASM_GZIP_BUDGET {
        bail!(
            "the wasm package is {:.1} KB gzip, above issue 3's budget of {:.1} KB; see what grew with `twiggy top` on target/wasm32-unknown-unknown/release/yibao_wasm.wasm",
            gzip as f64 / 1000.0,
            WASM_GZIP_BUDGET as f64 / 1000.0
        );
    }
    Ok(Outcome::Passed)
}

/// The CLI the Node tests compare with.
fn cli() -> Result<PathBuf> {
    run(util::cargo().current_dir(util::root()).args(["build", "--quiet", "-p", "yibao-cli"]))?;
    Ok(util::target_dir().join("debug/yibao"))
}

/// Test step `wasm-node`: the TypeScript check of the definitions, then the golden cases and
/// the API tests under Node (compared with the CLI).
pub fn node() -> Result<Outcome> {
    let dir = tests_dir();
    setup::npm_package(&dir)?;
    step("wasm-node: tsc --strict over crates/wasm/tests/types-check.ts");
    run(cmd(dir.join("node_modules/.bin/tsc")).current_dir(&dir).args(["-p", "tsconfig.json"]))?;
    let cli = cli()?;
    step("wasm-node: golden cases and API under Node");
    let mut c = cmd("node");
    c.current_dir(&dir)
        .args(["--experimental-wasm-modules", "--test", "--test-reporter=spec", "golden.mjs", "api.mjs", "bundler.mjs"])
        .env("YIBAO_CLI", &cli)
        .env("YIBAO_WASM_PKG", crate_dir().join("pkg"))
        .env("YIBAO_WASM_BUNDLER", crate_dir().join("pkg-bundler"))
        .env("YIBAO_WASM_PROBE", crate_dir().join("pkg-probe"));
    run(&mut c)?;
    Ok(Outcome::Passed)
}

/// Test step `wasm-browser`: the example page and the API in headless Chromium.
pub fn browser() -> Result<Outcome> {
    let dir = tests_dir();
    setup::npm_package(&dir)?;
    let Some(chromium) = setup::chromium_path() else {
        bail!("Chromium not found; run `cargo xtask setup`");
    };
    let cli = cli()?;
    step("wasm-browser: crates/wasm/tests/browser.mjs in headless Chromium");
    let mut c = cmd("node");
    c.current_dir(&dir)
        .args(["--test", "--test-reporter=spec", "browser.mjs"])
        .env("YIBAO_CLI", &cli)
        .env("YIBAO_CHROMIUM", &chromium);
    run(&mut c)?;
    Ok(Outcome::Passed)
}
