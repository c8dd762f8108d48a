//! `cargo xtask dist`: builds the static web app into `web/dist/`.
//!
//! Pipeline: `cargo rustc -p yibao-web --lib --crate-type cdylib --target wasm32-unknown-unknown --release`, a check
//! that the wasm uses only the WebAssembly features `web/boot.js` probes for,
//! `wasm-bindgen --target web`, `wasm-opt -Oz`, content-hashed names for every built
//! asset (WeChat caches hard), `index.html` from the template `web/index.html`, and the
//! policy files listed in `policies/index.json`, each validated, with its validation stamp
//! in the copied index (`stamp.rs`).
//!
//! Inputs in `web/` (the front end owns them; only the markers below are a contract):
//! - `index.html`: the page; the comment `<!-- xtask:head -->` in `<head>` is replaced by
//!   the CSP meta, the stylesheet link, preloads and the boot script.
//! - `boot.js`: classic script, ES5 only, loaded first: feature detection, fallback message,
//!   then it preloads the wasm (`data-wasm` attribute) and adds `start.js` as a module
//!   script (`data-start` attribute).
//! - `start.js`: ES module template; `__APP_JS__` and `__APP_WASM__` become the hashed
//!   names of wasm-bindgen's JS and wasm.
//! - `style.css` (optional, hashed), `embed.js` (optional, copied under its own name:
//!   portals link to it), `public/` (optional, copied as is).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::bail;
use crate::setup::{self, WASM_TARGET};
use crate::util::{self, cmd, note, run, step, Context, Result};

/// The Cargo package of the web app, and its library name (the .wasm file's stem).
pub const WEB_PACKAGE: &str = "yibao-web";
pub const WEB_LIB: &str = "yibao_web";

/// The page's Content-Security-Policy: in a `<meta>` of `index.html`, and sent as a
/// header by `cargo xtask serve`. `frame-ancestors` cannot be set by a meta tag: a
/// deployment that wants to limit who may frame the page must send it as a header.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; \
manifest-src 'self'; base-uri 'none'; form-action 'none'";

/// WebAssembly features (binaryen's names) the probe in `web/boot.js` covers. rustc's
/// output must use no others, or an old browser could pass the probe and then fail to
/// load the app. `mutable-globals` predates the others everywhere; `bulk-memory-opt` is
/// part of bulk memory and `call-indirect-overlong` part of reference types.
pub const PROBED_FEATURES: &[&str] = &[
    "bulk-memory",
    "bulk-memory-opt",
    "reference-types",
    "call-indirect-overlong",
    "sign-ext",
    "multivalue",
    "nontrapping-float-to-int",
    "mutable-globals",
];

/// wasm-opt's flags: size first, and exactly the features above (not `-all`, which would
/// let the optimizer use features the probe does not check).
pub const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    // Repeats the passes while they still shrink the module: 1.2 KB of gzip on 2026-11-30
    // for about 12 s more build time.
    "--converge",
    "--mvp-features",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
    "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

pub const HEAD_MARKER: &str = "<!-- xtask:head -->";

pub fn dist_dir() -> PathBuf {
    util::root().join("web/dist")
}

/// One file written to `web/dist`.
struct Written {
    rel: String,
    raw: usize,
    gzip: usize,
}

pub fn dist() -> Result {
    let started = std::time::Instant::now();
    let root = util::root();
    let web = root.join("web");
    let work = util::target_dir().join("xtask/dist");
    if work.exists() {
        fs::remove_dir_all(&work).ctx(|| format!("removing {}", work.display()))?;
    }
    fs::create_dir_all(&work).ctx(|| format!("creating {}", work.display()))?;

    step(&format!(
        "dist: cargo rustc -p {WEB_PACKAGE} --lib --crate-type cdylib (release, {WASM_TARGET})"
    ));
    // The crate is an rlib for native use; built as a cdylib alone here (both at once made
    // the wasm about 20 KB larger, crates/web/Cargo.toml).
    run(util::cargo().current_dir(&root).args([
        "rustc",
        "-p",
        WEB_PACKAGE,
        "--lib",
        "--crate-type",
        "cdylib",
        "--target",
        WASM_TARGET,
        "--release",
    ]))?;
    let built = util::target_dir()
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{WEB_LIB}.wasm"));
    if !built.is_file() {
        bail!(
            "the build succeeded but {} is missing; did `cargo rustc --crate-type cdylib` write it?",
            built.display()
        );
    }
    note(&format!(
        "{}: {} bytes",
        built.display(),
        util::thousands(fs::metadata(&built)?.len() as usize)
    ));

    let wasm_opt = setup::wasm_opt_path();
    if !util::is_executable(&wasm_opt) {
        bail!("{} is missing; run `cargo xtask setup`", wasm_opt.display());
    }

    step("dist: check the wasm uses only the features web/boot.js probes for");
    check_features(&wasm_opt, &built)?;

    step("dist: wasm-bindgen --target web");
    let want = setup::locked_wasm_bindgen_version()?;
    let have = util::output_of(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    if !have.ends_with(&want) {
        bail!("wasm-bindgen CLI is {have:?} but Cargo.lock has wasm-bindgen {want}; run `cargo xtask setup`");
    }
    let bindgen = work.join("bindgen");
    run(cmd("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&bindgen)
        .arg(&built))?;
    let bg_wasm = bindgen.join(format!("{WEB_LIB}_bg.wasm"));
    let bg_js = bindgen.join(format!("{WEB_LIB}.js"));
    for f in [&bg_wasm, &bg_js] {
        if !f.is_file() {
            bail!("wasm-bindgen did not write {}", f.display());
        }
    }

    step("dist: wasm-opt");
    let opt_wasm = work.join("opt.wasm");
    run(cmd(&wasm_opt)
        .args(WASM_OPT_FLAGS)
        .arg(&bg_wasm)
        .arg("-o")
        .arg(&opt_wasm))?;
    let before = fs::read(&bg_wasm)?;
    let optimised = fs::read(&opt_wasm)?;

    step("dist: short names for the imports from the JS glue");
    let glue = fs::read_to_string(&bg_js).ctx(|| format!("reading {}", bg_js.display()))?;
    let (after, glue, renamed) = crate::imports::shorten(&optimised, &glue, &format!("./{WEB_LIB}_bg.js"), crate::imports::Glue::ImportsObject)
        .map_err(|e| util::Error(format!("renaming the wasm's imports: {e}")))?;
    note(&format!(
        "{renamed} imports renamed: {} -> {} bytes gzip",
        util::thousands(util::gzip_len(&optimised)),
        util::thousands(util::gzip_len(&after)),
    ));
    note(&format!(
        "wasm: {} -> {} bytes raw, {} -> {} bytes gzip",
        util::thousands(before.len()),
        util::thousands(after.len()),
        util::thousands(util::gzip_len(&before)),
        util::thousands(util::gzip_len(&after)),
    ));

    step("dist: write web/dist");
    let out = dist_dir();
    if out.exists() {
        fs::remove_dir_all(&out).ctx(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(&out).ctx(|| format!("creating {}", out.display()))?;
    let mut written = Vec::new();

    let esbuild = setup::esbuild_path();
    if !util::is_executable(&esbuild) {
        bail!("{} is missing; run `cargo xtask setup`", esbuild.display());
    }
    let app_wasm = write_hashed(&out, &format!("{WEB_LIB}_bg"), "wasm", &after, &mut written)?;
    let app_js_src = minify(&esbuild, Minify::Module, glue.as_bytes())?;
    let app_js = write_hashed(&out, WEB_LIB, "js", &app_js_src, &mut written)?;
    // Files that `#[wasm_bindgen(module = ..)]`/inline_js put beside the JS; the JS imports
    // them by relative path, so they keep their names.
    let snippets = bindgen.join("snippets");
    if snippets.is_dir() {
        copy_tree(&snippets, &out.join("snippets"), &out, &mut written)?;
    }

    let start_tpl = read_input(&web.join("start.js"))?;
    for token in ["__APP_JS__", "__APP_WASM__"] {
        if !start_tpl.contains(token) {
            bail!("web/start.js must contain {token} (replaced by the hashed file name)");
        }
    }
    let start_src = start_tpl
        .replace("__APP_JS__", &app_js)
        .replace("__APP_WASM__", &app_wasm);
    let start_min = minify(&esbuild, Minify::Module, start_src.as_bytes())?;
    let start = write_hashed(&out, "start", "js", &start_min, &mut written)?;

    let boot_min = minify(&esbuild, Minify::Es5Script, read_input(&web.join("boot.js"))?.as_bytes())?;
    let boot = write_hashed(&out, "boot", "js", &boot_min, &mut written)?;

    let style = match fs::read(web.join("style.css")) {
        Ok(css) => Some(write_hashed(&out, "style", "css", &minify(&esbuild, Minify::Css, &css)?, &mut written)?),
        Err(_) => None,
    };

    let template = read_input(&web.join("index.html"))?;
    if template.matches(HEAD_MARKER).count() != 1 {
        bail!("web/index.html must contain {HEAD_MARKER} exactly once, inside <head>");
    }
    let mut head = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n");
    if let Some(style) = &style {
        head.push_str(&format!("<link rel=\"stylesheet\" href=\"{style}\">\n"));
    }
    head.push_str(&format!("<link rel=\"modulepreload\" href=\"{start}\">\n"));
    head.push_str(&format!("<link rel=\"modulepreload\" href=\"{app_js}\">\n"));
    // The wasm is preloaded by boot.js, only once the browser has passed its checks.
    head.push_str(&format!(
        "<script src=\"{boot}\" data-start=\"{start}\" data-wasm=\"{app_wasm}\" defer></script>"
    ));
    let index = template.replace(HEAD_MARKER, &head);
    write_plain(&out, "index.html", index.as_bytes(), &mut written)?;

    if let Ok(embed) = fs::read(web.join("embed.js")) {
        write_plain(&out, "embed.js", &embed, &mut written)?;
    }
    let public = web.join("public");
    if public.is_dir() {
        copy_tree(&public, &out, &out, &mut written)?;
    }

    step("dist: policies");
    copy_policies(
        &root.join("policies"),
        &out.join("policies"),
        &out,
        &mut written,
    )?;

    step("dist: web/dist");
    println!("    {:<44} {:>10} {:>10}", "file", "bytes", "gzip -9");
    for w in &written {
        println!(
            "    {:<44} {:>10} {:>10}",
            w.rel,
            util::thousands(w.raw),
            util::thousands(w.gzip)
        );
    }
    note(&format!(
        "built in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// What is being minified, for esbuild's flags.
#[derive(Clone, Copy)]
enum Minify {
    /// An ES module (wasm-bindgen's JS, start.js).
    Module,
    /// boot.js: a classic script that must stay ES5, so that every browser can run it.
    Es5Script,
    Css,
}

/// The page's JS and CSS, minified by esbuild (about 4 KB gzipped off the first load).
/// Chinese text stays UTF-8 (`--charset=utf8`) rather than `\uXXXX` escapes, which are
/// larger. embed.js is not minified: host pages copy it and may read it.
fn minify(esbuild: &Path, kind: Minify, source: &[u8]) -> Result<Vec<u8>> {
    let flags: &[&str] = match kind {
        Minify::Module => &["--loader=js", "--format=esm", "--target=es2020"],
        Minify::Es5Script => &["--loader=js", "--target=es5"],
        Minify::Css => &["--loader=css"],
    };
    let mut child = cmd(esbuild)
        .args(["--minify", "--charset=utf8", "--log-level=warning"])
        .args(flags)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ctx(|| format!("running {}", esbuild.display()))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(source).ctx(|| "writing to esbuild".to_string())?;
    }
    let output = child.wait_with_output().ctx(|| "waiting for esbuild".to_string())?;
    if !output.status.success() || output.stdout.is_empty() {
        bail!("esbuild could not minify the input ({})", output.status);
    }
    Ok(output.stdout)
}

/// Fails if the module declares (in its target_features section) a feature outside
/// [`PROBED_FEATURES`].
fn check_features(wasm_opt: &Path, wasm: &Path) -> Result {
    let out = cmd(wasm_opt)
        .arg(wasm)
        .arg("--print-features")
        .output()
        .ctx(|| format!("running {}", wasm_opt.display()))?;
    if !out.status.success() {
        bail!(
            "`wasm-opt {} --print-features` failed:\n{}",
            wasm.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let used: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--enable-"))
        .map(str::to_string)
        .collect();
    let extra: Vec<&String> = used
        .iter()
        .filter(|f| !PROBED_FEATURES.contains(&f.as_str()))
        .collect();
    note(&format!(
        "features: {}",
        used.iter().cloned().collect::<Vec<_>>().join(", ")
    ));
    if !extra.is_empty() {
        bail!(
            "the wasm uses WebAssembly features that web/boot.js does not probe for: {extra:?}. \
             An old browser would pass the check and then fail to start the app. Either stop \
             using them (RUSTFLAGS / target-feature) or extend the probe module in web/boot.js \
             and PROBED_FEATURES / WASM_OPT_FLAGS in crates/xtask/src/dist.rs"
        );
    }
    Ok(())
}

fn read_input(p: &Path) -> Result<String> {
    fs::read_to_string(p)
        .ctx(|| format!("reading {} (an input of `cargo xtask dist`)", p.display()))
}

/// Writes `<stem>-<hash>.<ext>` and returns that name. 16 hex digits of SHA-256.
fn write_hashed(
    out: &Path,
    stem: &str,
    ext: &str,
    data: &[u8],
    written: &mut Vec<Written>,
) -> Result<String> {
    let hash = &util::sha256_hex(data)[..16];
    let name = format!("{stem}-{hash}.{ext}");
    write_plain(out, &name, data, written)?;
    Ok(name)
}

fn write_plain(out: &Path, rel: &str, data: &[u8], written: &mut Vec<Written>) -> Result {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, data).ctx(|| format!("writing {}", path.display()))?;
    written.push(Written {
        rel: rel.to_string(),
        raw: data.len(),
        gzip: util::gzip_len(data),
    });
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, out: &Path, written: &mut Vec<Written>) -> Result {
    let mut entries: Vec<_> = fs::read_dir(from)
        .ctx(|| format!("reading {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let src = e.path();
        let dst = to.join(e.file_name());
        if src.is_dir() {
            copy_tree(&src, &dst, out, written)?;
        } else {
            let rel = dst
                .strip_prefix(out)
                .unwrap_or(&dst)
                .to_string_lossy()
                .into_owned();
            write_plain(out, &rel, &fs::read(&src)?, written)?;
        }
    }
    Ok(())
}

/// A relative path with no `..`, root or prefix parts.
pub fn is_safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Every string in a JSON document that names a `.json` file.
fn json_file_names(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) if s.ends_with(".json") => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| json_file_names(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| json_file_names(i, out)),
        _ => {}
    }
}

/// Copies `policies/index.json` and every `.json` file it names (any string value ending
/// in `.json`, relative to `policies/`), so the copy does not depend on the index's
/// exact shape. Every policy the index lists is validated and the copied index carries its
/// stamp; an invalid one fails the build.
fn copy_policies(src: &Path, dst: &Path, out: &Path, written: &mut Vec<Written>) -> Result {
    let index_path = src.join("index.json");
    if !index_path.is_file() {
        note("policies/index.json does not exist yet: no policy files copied");
        return Ok(());
    }
    let index_text = fs::read(&index_path)?;
    let index: serde_json::Value =
        serde_json::from_slice(&index_text).ctx(|| format!("parsing {}", index_path.display()))?;
    let mut names = BTreeSet::new();
    json_file_names(&index, &mut names);
    names.remove("index.json");
    // Read once: the bytes validated and stamped are the bytes written.
    let mut files = std::collections::BTreeMap::new();
    for name in &names {
        if !is_safe_relative(name) {
            bail!("policies/index.json names {name:?}: only plain relative paths inside policies/ are allowed");
        }
        let from = src.join(name);
        let data = fs::read(&from).ctx(|| {
            format!(
                "policies/index.json lists {name}, but reading {} failed",
                from.display()
            )
        })?;
        files.insert(name.clone(), data);
    }
    let read = |name: &str| -> Result<Vec<u8>> {
        match files.get(name) {
            Some(data) => Ok(data.clone()),
            None => bail!("not read from policies/ (not a .json file?)"),
        }
    };
    let stamped = crate::stamp::stamp_index(&index, &read)?;
    write_plain(out, "policies/index.json", &crate::stamp::index_text(&stamped), written)?;
    for (name, data) in &files {
        let rel = dst.join(name);
        let rel = rel
            .strip_prefix(out)
            .unwrap_or(&rel)
            .to_string_lossy()
            .into_owned();
        write_plain(out, &rel, data, written)?;
    }
    // Point out policy files the index does not list (they are not shipped).
    let mut unlisted = Vec::new();
    collect_json(src, src, &mut unlisted)?;
    unlisted.retain(|n| n != "index.json" && !names.contains(n) && !n.starts_with("schema"));
    note(&format!(
        "copied index.json and {} listed file(s); validated and stamped {} policies",
        names.len(),
        stamped["policies"].as_array().map_or(0, Vec::len)
    ));
    if !unlisted.is_empty() {
        note(&format!(
            "not listed in policies/index.json, not shipped: {}",
            unlisted.join(", ")
        ));
    }
    Ok(())
}

fn collect_json(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result {
    for e in fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            collect_json(base, &p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(
                p.strip_prefix(base)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out.sort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_file_names_are_found_anywhere() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"version":"2025.1","files":["a.json",{"path":"sub/b.json","x":1}],"note":"c.txt"}"#,
        )
        .unwrap();
        let mut names = BTreeSet::new();
        json_file_names(&v, &mut names);
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            vec!["a.json", "sub/b.json"]
        );
    }

    #[test]
    fn unsafe_policy_paths_are_rejected() {
        assert!(is_safe_relative("a.json"));
        assert!(is_safe_relative("city/a.json"));
        assert!(!is_safe_relative("../secret.json"));
        assert!(!is_safe_relative("/etc/x.json"));
        assert!(!is_safe_relative("a/../../x.json"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn csp_has_no_inline_or_eval_and_matches_the_brief() {
        assert!(CSP.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!CSP.contains("unsafe-inline"));
        assert!(!CSP.contains("'unsafe-eval'"));
        for d in [
            "base-uri 'none'",
            "form-action 'none'",
            "connect-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
        ] {
            assert!(CSP.contains(d), "{d}");
        }
        assert!(
            !CSP.contains('"'),
            "the CSP goes inside a double-quoted attribute"
        );
    }

    #[test]
    fn wasm_opt_enables_exactly_the_probed_features() {
        for flag in WASM_OPT_FLAGS
            .iter()
            .filter_map(|f| f.strip_prefix("--enable-"))
        {
            assert!(PROBED_FEATURES.contains(&flag), "{flag}");
        }
        assert!(!WASM_OPT_FLAGS.contains(&"-all"));
    }
}
