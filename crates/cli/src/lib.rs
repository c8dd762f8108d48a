//! The library side of the `yibao` command: what the binary and its benchmarks share.

pub mod batch;
