//! yibao-engine: see ARCHITECTURE.md.
#![forbid(unsafe_code)]
