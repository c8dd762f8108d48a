//! `cargo xtask setup`: installs every tool the build and the tests need, skipping what
//! is already there. Safe to run any number of times; `dist`, `serve` and `test` run it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::bail;
use crate::util::{self, cmd, note, output_of, run, step, Context, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// wasm-pack, pinned so every machine builds `crates/wasm` the same way.
pub const WASM_PACK_VERSION: &str = "0.15.1";

/// The npm packages `setup` installs: the build tools (wasm-opt) and the browser tests.
pub const NPM_DIRS: &[&str] = &["web", "tests/e2e", "crates/wasm/tests"];

/// Name of the file in `node_modules/` recording which lock file was installed.
const NPM_STAMP: &str = ".xtask-installed";

pub fn setup() -> Result {
    let started = std::time::Instant::now();
    wasm_target()?;
    wasm_bindgen_cli()?;
    wasm_pack()?;
    chromium()?;
    for dir in NPM_DIRS {
        npm_package(&util::root().join(dir))?;
    }
    step(&format!(
        "setup: done in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The rustc target the web app builds for.
fn wasm_target() -> Result {
    step(&format!("setup: Rust target {WASM_TARGET}"));
    let sysroot = output_of(cmd("rustc").args(["--print", "sysroot"]));
    if let Some(sysroot) = sysroot {
        let lib = Path::new(&sysroot).join("lib/rustlib").join(WASM_TARGET);
        if lib.is_dir() {
            note(&format!("present ({})", lib.display()));
            return Ok(());
        }
    }
    if util::which("rustup").is_none() {
        bail!(
            "the Rust standard library for {WASM_TARGET} is missing and rustup is not on PATH; \
             install rustup (https://rustup.rs) or your toolchain's {WASM_TARGET} target"
        );
    }
    run(cmd("rustup").args(["target", "add", WASM_TARGET]))
}

/// The `wasm-bindgen` crate version in Cargo.lock: the CLI must be exactly this version.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = util::root().join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path).ctx(|| format!("reading {}", lock_path.display()))?;
    let versions = lock_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "Cargo.lock has no `wasm-bindgen` package; the web crate depends on it \
             (`wasm-bindgen = {{ workspace = true }}`), so run `cargo generate-lockfile` or a build first"
        ),
        many => bail!(
            "Cargo.lock has several `wasm-bindgen` versions ({}); the CLI can match only one. \
             Keep the workspace pin `wasm-bindgen = \"=X\"` and use `{{ workspace = true }}` everywhere",
            many.join(", ")
        ),
    }
}

/// Versions of package `name` listed in a Cargo.lock.
fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<&str> = None;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            current = None;
        } else if let Some(v) = line.strip_prefix("name = ") {
            current = Some(v.trim_matches('"'));
        } else if let Some(v) = line.strip_prefix("version = ") {
            if current == Some(name) {
                out.push(v.trim_matches('"').to_string());
            }
        }
    }
    out
}

/// The first whitespace-separated word that starts with a digit, e.g. `0.2.130` in
/// `wasm-bindgen 0.2.130`.
fn version_word(s: &str) -> Option<&str> {
    s.split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
}

/// `cargo install <krate> --version <version>` unless `<bin> --version` already says it.
fn cargo_install(krate: &str, bin: &str, version: &str) -> Result {
    step(&format!("setup: {bin} {version} (cargo install {krate})"));
    let found = output_of(cmd(bin).arg("--version"));
    let found_version = found.as_deref().and_then(version_word);
    if found_version == Some(version) {
        note(&format!(
            "present: {} ({})",
            found.as_deref().unwrap_or(""),
            util::which(bin)
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ));
        return Ok(());
    }
    match &found {
        Some(f) => note(&format!(
            "found `{f}`, need {version}: reinstalling (takes a few minutes)"
        )),
        None => note("not found: installing (compiles from source, takes a few minutes)"),
    }
    let started = std::time::Instant::now();
    let mut c = util::cargo();
    c.args(["install", krate, "--version", version]);
    if found.is_some() {
        // Replace a binary of another version, even one not installed by cargo.
        c.arg("--force");
    }
    run(&mut c)?;
    note(&format!(
        "installed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    let after = output_of(cmd(bin).arg("--version"));
    if after.as_deref().and_then(version_word) != Some(version) {
        bail!(
            "installed {krate} {version}, but `{bin} --version` now prints {:?}; is another \
             `{bin}` earlier on PATH than {}?",
            after,
            util::cargo_bin_dir()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "cargo's bin directory".into())
        );
    }
    Ok(())
}

fn wasm_bindgen_cli() -> Result {
    let version = locked_wasm_bindgen_version()?;
    cargo_install("wasm-bindgen-cli", "wasm-bindgen", &version)
}

fn wasm_pack() -> Result {
    cargo_install("wasm-pack", "wasm-pack", WASM_PACK_VERSION)
}

/// The Chromium the browser tests drive: `$YIBAO_CHROMIUM`, else /usr/bin/chromium, else
/// `chromium` on PATH.
pub fn chromium_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("YIBAO_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let default = PathBuf::from("/usr/bin/chromium");
    if util::is_executable(&default) {
        return Some(default);
    }
    util::which("chromium")
}

/// Whether fontconfig knows a font with Chinese glyphs (else screenshots show boxes).
fn has_chinese_font() -> bool {
    output_of(cmd("fc-list").args([":lang=zh", "family"])).is_some_and(|o| !o.is_empty())
}

/// Chromium and ChromeDriver from Debian's packages, and a Chinese font so that
/// screenshots taken by the browser tests show text rather than boxes.
fn chromium() -> Result {
    step("setup: Chromium, ChromeDriver and a Chinese font (for browser tests)");
    if std::env::var_os("YIBAO_CHROMIUM").is_some()
        && !chromium_path().is_some_and(|p| util::is_executable(&p))
    {
        bail!("YIBAO_CHROMIUM is set but is not an executable file");
    }
    let mut missing = Vec::new();
    match chromium_path().filter(|p| util::is_executable(p)) {
        Some(p) => note(&format!("present: {}", p.display())),
        None => missing.push("chromium"),
    }
    match util::which("chromedriver") {
        Some(p) => note(&format!("present: {}", p.display())),
        None => missing.push("chromium-driver"),
    }
    if has_chinese_font() {
        note("present: a font with Chinese glyphs");
    } else {
        missing.push("fonts-wqy-zenhei");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let manual = format!("apt-get update && apt-get install -y {}", missing.join(" "));
    if util::which("apt-get").is_none() {
        bail!(
            "missing {} and this is not a Debian-like system; install Chromium, ChromeDriver and a \
             Chinese font yourself, and set YIBAO_CHROMIUM=/path/to/chromium if it is not /usr/bin/chromium",
            missing.join(", ")
        );
    }
    let is_root = output_of(cmd("id").arg("-u")).as_deref() == Some("0");
    let has_sudo = util::which("sudo").is_some();
    if !is_root && !has_sudo {
        bail!(
            "missing {}; installing needs root: run `{manual}` as root",
            missing.join(", ")
        );
    }
    let apt = |args: &[&str]| -> Result {
        let mut c = if is_root {
            cmd("apt-get")
        } else {
            let mut c = cmd("sudo");
            c.args(["-n", "apt-get"]);
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c).map_err(|e| util::Error(format!("{e}\n    (as root, run: {manual})")))
    };
    note(&format!("missing: installing {}", missing.join(" ")));
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend(&missing);
    apt(&args)?;
    if chromium_path().is_none() || util::which("chromedriver").is_none() {
        bail!(
            "apt-get installed {}, but chromium or chromedriver is still not found",
            missing.join(" ")
        );
    }
    Ok(())
}

/// `npm ci` (or `npm install` when there is no lock file yet) in `dir`, skipped when
/// `node_modules` already holds exactly what the lock file describes.
pub fn npm_package(dir: &Path) -> Result {
    let rel = dir
        .strip_prefix(util::root())
        .unwrap_or(dir)
        .display()
        .to_string();
    step(&format!("setup: npm packages in {rel}/"));
    if !dir.join("package.json").is_file() {
        note("no package.json: nothing to install");
        return Ok(());
    }
    let Some(node) = output_of(cmd("node").arg("--version")) else {
        bail!("Node.js is not on PATH; install Node.js 20 or newer (it brings npm)");
    };
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        bail!("Node.js {node} is too old; the tests need Node.js 20 or newer");
    }
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(NPM_STAMP);
    let wanted = |lock: &Path| -> Result<String> {
        let mut data = fs::read(dir.join("package.json"))?;
        data.extend(fs::read(lock).ctx(|| format!("reading {}", lock.display()))?);
        Ok(util::sha256_hex(&data))
    };
    if lock.is_file() {
        let want = wanted(&lock)?;
        if fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
            note(&format!("up to date with {rel}/package-lock.json"));
            return Ok(());
        }
    }
    let mut c = cmd("npm");
    c.current_dir(dir)
        // Playwright must use Debian's Chromium; it cannot download browsers here.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("npm_config_audit", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_update_notifier", "false")
        .env("npm_config_progress", "false");
    if lock.is_file() {
        c.arg("ci");
    } else {
        note("no package-lock.json yet: `npm install` writes one; commit it");
        c.arg("install");
    }
    run(&mut c)?;
    fs::write(&stamp, wanted(&lock)?).ctx(|| format!("writing {}", stamp.display()))?;
    Ok(())
}

/// The wasm-opt that `setup` installed from npm's binaryen.
pub fn wasm_opt_path() -> PathBuf {
    util::root().join("web/node_modules/.bin/wasm-opt")
}

/// The esbuild that `setup` installed from npm (it minifies the page's JS and CSS).
pub fn esbuild_path() -> PathBuf {
    util::root().join("web/node_modules/.bin/esbuild")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_in_a_lock_file() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"

[[package]]
name = "yew"
version = "0.23.0"
"#;
        assert_eq!(lock_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(lock_versions(lock, "yew"), vec!["0.23.0"]);
        assert!(lock_versions(lock, "serde").is_empty());
    }

    #[test]
    fn the_real_lock_pins_one_wasm_bindgen() {
        let v = locked_wasm_bindgen_version().unwrap();
        assert!(v.starts_with("0.2."), "{v}");
    }

    #[test]
    fn version_words() {
        assert_eq!(version_word("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(version_word("wasm-pack 0.15.1"), Some("0.15.1"));
        assert_eq!(version_word("garbage"), None);
    }
}
