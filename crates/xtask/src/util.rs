//! Small helpers shared by the commands: paths, running programs, hashing, gzip.

use std::ffi::OsStr;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// An error with a message meant for a person: what failed and what to do about it.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(e.to_string())
    }
}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// `Err(Error(format!(..)))`.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => { return Err($crate::util::Error(format!($($arg)*))) };
}

/// Adds context to an I/O error: `fs::read(p).ctx(|| format!("reading {}", p.display()))`.
pub trait Context<T> {
    fn ctx<S: Into<String>>(self, what: impl FnOnce() -> S) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn ctx<S: Into<String>>(self, what: impl FnOnce() -> S) -> Result<T> {
        self.map_err(|e| Error(format!("{}: {e}", what().into())))
    }
}

/// The workspace root (the directory holding the top-level Cargo.toml).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                root().join(d)
            }
        }
        _ => root().join("target"),
    }
}

/// The `cargo` that started us (so the same toolchain is used), else `cargo` on PATH.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    cmd(program)
}

/// A command with standard input closed: CI runs us without a terminal, and nothing
/// we start may wait for an answer.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.stdin(Stdio::null());
    c
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, else `~/.cargo/bin`.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home).join("bin"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo").join("bin"))
}

/// Puts cargo's bin directory and `web/node_modules/.bin` (npm's binaryen: the pinned
/// `wasm-opt`) at the front of our own PATH, inherited by every child. So tools that
/// `cargo install` just put there are found, and wasm-pack, which runs the `wasm-bindgen`
/// and `wasm-opt` it finds on PATH, gets the pinned ones instead of trying a download.
pub fn ensure_tool_dirs_on_path() {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut parts: Vec<PathBuf> = std::env::split_paths(&path).collect();
    let mut front = Vec::new();
    if let Some(bin) = cargo_bin_dir() {
        if !parts.contains(&bin) {
            front.push(bin);
        }
    }
    let npm_bin = root().join("web/node_modules/.bin");
    parts.retain(|p| p != &npm_bin);
    front.push(npm_bin);
    front.extend(parts);
    if let Ok(joined) = std::env::join_paths(front) {
        // Set once at start-up, before any thread exists.
        std::env::set_var("PATH", joined);
    }
}

/// The full path of `name` if it is an executable file on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

pub fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(p) {
        Ok(m) => m.is_file() && m.permissions().mode() & 0o111 != 0,
        Err(_) => false,
    }
}

/// Prints a step header, e.g. `==> dist: wasm-bindgen`.
pub fn step(title: &str) {
    println!("\n==> {title}");
    let _ = std::io::stdout().flush();
}

/// Prints a note under the current step.
pub fn note(msg: &str) {
    println!("    {msg}");
    let _ = std::io::stdout().flush();
}

fn describe(c: &Command) -> String {
    let mut s = String::new();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            s.push_str(&format!("{}={} ", k.to_string_lossy(), v.to_string_lossy()));
        }
    }
    s.push_str(&c.get_program().to_string_lossy());
    for a in c.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    if let Some(dir) = c.get_current_dir() {
        s = format!("(cd {} && {s})", dir.display());
    }
    s
}

/// Runs a command with inherited output; an error names the command and its exit status.
pub fn run(c: &mut Command) -> Result {
    let shown = describe(c);
    println!("    $ {shown}");
    let _ = std::io::stdout().flush();
    let status = c
        .status()
        .map_err(|e| Error(format!("could not start `{shown}`: {e}")))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output (trimmed), or `None` if it could not
/// be started or exited non-zero. For probing tool versions.
pub fn output_of(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Size in bytes of `data` compressed with gzip at level 9 (as `gzip -9`).
pub fn gzip_len(data: &[u8]) -> usize {
    use flate2::write::GzEncoder;
    use flate2::Compression;
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail").len()
}

/// Formats a byte count as `123,456`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).expect("ASCII digits"))
        .collect();
    groups.join(",")
}

/// SHA-256 of `data`, as lowercase hex. Used for content-hashed file names (`dist`) and
/// set-up stamps.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Two blocks (56-byte message forces padding into a second block).
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            sha256_hex(&million_a),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    /// The names `dist` wrote before `sha2` replaced the hand-written SHA-256 must not change
    /// (a deployment would otherwise see every file as new). The constants were computed by
    /// that implementation: one over every length from 0 to 300 bytes (each padding case, up to
    /// five blocks), one a 16-digit name prefix of a known text.
    #[test]
    fn same_digests_as_the_hand_written_implementation() {
        let mut all = String::new();
        for n in 0..=300usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 + 3) as u8).collect();
            all.push_str(&sha256_hex(&data));
            all.push('\n');
        }
        assert_eq!(
            sha256_hex(all.as_bytes()),
            "3577e43d62701c38b95a0e78fdd354070899d33749149e50e8bf4729d714f039"
        );
        assert_eq!(&sha256_hex("医保报销测算 yibao\n".as_bytes())[..16], "3da780152ea48a47");
    }

    #[test]
    fn gzip_shrinks_repetitive_data() {
        let data = vec![b'x'; 10_000];
        let n = gzip_len(&data);
        assert!(n > 18 && n < 200, "{n}");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
