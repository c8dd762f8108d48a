//! yibao-fuzz: a fuzz harness on stable Rust (no nightly, no cargo-fuzz).
//!
//! A seeded loop (`runner`) runs cases of each target (`targets`): generated valid policies
//! and scenarios through the pipeline, checked against its invariants (`invariants`), and
//! random or mutated input for every reader: the policy reader, the command line's scenario
//! and batch readers, lint and diff, and the web page's share-link codec. Every case is a
//! pure function of `(seed, target, case index)` (`rng`); a failing one is saved as JSON
//! (`record`) under `tests/fuzz/regressions/`, which `cargo test` replays.
//!
//! `cargo xtask fuzz [--minutes N] [--seed S]` runs it, with the wasm package's Node harness
//! (`crates/wasm/tests/fuzz.mjs`); `crates/fuzz/tests/` holds the fixed-seed pass CI runs.
#![forbid(unsafe_code)]

pub mod corpus;
pub mod gen;
pub mod invariants;
pub mod mutate;
pub mod panics;
pub mod record;
pub mod rng;
pub mod runner;
pub mod shapes;
pub mod shrink;
pub mod targets;
pub mod tree;

/// The directory of saved failing inputs, replayed by `cargo test`.
pub fn regressions_dir() -> std::path::PathBuf {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.ancestors().nth(2).unwrap_or(crate_dir).join("tests/fuzz/regressions")
}
