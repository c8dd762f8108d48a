//! `cargo xtask`: set-up, web build, dev server, size budget and the CI test run.
//! Shells out to the tools; see README.md, "Set-up / commands".

mod budget;
mod dist;
mod fuzz;
mod imports;
mod serve;
mod setup;
mod speed;
mod stamp;
mod testcmd;
mod util;
mod wasm;

use clap::{Parser, Subcommand};

/// Bad usage exits with status 2 (clap's), a failed command with 1.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", arg_required_else_help = true, about = "The project's task runner: set-up, builds, dev server, budgets and the CI run.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// A new command is a variant here and its arm in `run`.
#[derive(Subcommand)]
enum Command {
    /// Install the tools the build and tests need (idempotent)
    Setup,
    /// Set up, then build the wasm package crates/wasm (pkg, pkg-bundler, pkg-probe)
    Wasm,
    /// Set up, then build the web app into web/dist
    Dist,
    /// Set up, build, and serve web/dist on 127.0.0.1
    Serve {
        /// Port to listen on; 0 picks a free one
        #[arg(long, value_name = "N", default_value_t = 8080)]
        port: u16,
        /// Serve web/dist as it is
        #[arg(long)]
        no_build: bool,
        /// Serve DIR (a copy of web/dist) as it is, without building
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Validate the policies DIR/index.json lists (default web/dist/policies) and write their
    /// validation stamps into it
    Stamp {
        #[arg(value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Gzip sizes of web/dist against the budgets (first load, each policy)
    Budget,
    /// Rewrite the generated references after an intended change: the golden cases'
    /// explanations (tests/golden/explanations) and the wasm package's TypeScript types
    /// (crates/wasm/src/types.d.ts); review the diff before committing
    Bless,
    /// yibao batch throughput on one core against the floor (100,000/s)
    Speed,
    /// The fuzz harness (crates/fuzz), then the wasm package's under Node; failing inputs are
    /// saved in tests/fuzz/regressions
    Fuzz {
        /// How long, in minutes (default 1)
        #[arg(long, value_name = "N", default_value_t = 1.0)]
        minutes: f64,
        /// The seed (default: a fresh one, printed)
        #[arg(long, value_name = "S")]
        seed: Option<u64>,
        /// The native harness only
        #[arg(long)]
        no_wasm: bool,
    },
    /// What CI runs: every step (setup, cargo test, dist, budget, e2e, web-budgets, …), or only
    /// the ones named
    Test {
        /// Steps to run, in the list's order whatever the order given
        #[arg(value_name = "STEP", value_parser = testcmd::step_names())]
        steps: Vec<String>,
        /// Print the steps' names and stop
        #[arg(long)]
        list: bool,
    },
}

impl Command {
    fn run(self) -> util::Result {
        match self {
            Command::Setup => setup::setup(),
            Command::Wasm => setup::setup().and_then(|_| wasm::build()),
            Command::Dist => setup::setup().and_then(|_| dist::dist()),
            Command::Serve { port, no_build, dir } => serve::serve(port, !no_build && dir.is_none(), dir),
            Command::Stamp { dir } => stamp::stamp_dir(dir),
            Command::Budget => budget::budget(),
            // Both tests write their reference instead of comparing when this is set.
            Command::Bless => util::run(util::cargo().args(["test", "-p", "yibao-engine", "--test", "golden"]).env("YIBAO_BLESS", "1"))
                .and_then(|_| util::run(util::cargo().args(["test", "-p", "yibao-wasm", "--test", "typescript"]).env("YIBAO_BLESS", "1"))),
            Command::Speed => speed::speed(),
            Command::Fuzz { minutes, seed, no_wasm } => fuzz::options(minutes, seed, !no_wasm).and_then(|o| fuzz::fuzz(&o)),
            Command::Test { steps, list } => testcmd::test(&steps, list),
        }
    }
}

fn main() {
    // Before parsing: `--help` needs nothing, and clap exits on bad usage (status 2).
    let cli = Cli::parse();
    util::ensure_tool_dirs_on_path();
    if let Err(e) = cli.command.run() {
        eprintln!("\nxtask: error: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied())).map(|c| c.command)
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_takes_a_port_and_no_build() {
        assert!(matches!(parse(&["serve"]), Ok(Command::Serve { port: 8080, no_build: false, dir: None })));
        assert!(matches!(parse(&["serve", "--port", "0", "--no-build"]), Ok(Command::Serve { port: 0, no_build: true, dir: None })));
        assert!(matches!(parse(&["serve", "--dir", "copy"]), Ok(Command::Serve { dir: Some(_), .. })));
        assert!(matches!(parse(&["stamp"]), Ok(Command::Stamp { dir: None })));
        assert!(matches!(parse(&["fuzz", "--minutes", "2", "--seed", "5", "--no-wasm"]), Ok(Command::Fuzz { seed: Some(5), no_wasm: true, .. })));
        assert!(parse(&["fuzz", "--seed", "-1"]).is_err());
        assert!(parse(&["serve", "--port", "http"]).is_err());
        assert!(parse(&["serve", "--port", "65536"]).is_err());
    }

    #[test]
    fn test_takes_known_steps_only() {
        match parse(&["test", "wasm-size", "cargo-test"]) {
            Ok(Command::Test { steps, list: false }) => assert_eq!(steps, ["wasm-size", "cargo-test"]),
            _ => panic!("test with two steps"),
        }
        assert!(matches!(parse(&["test", "--list"]), Ok(Command::Test { list: true, .. })));
        let e = parse(&["test", "cargo-tset"]).err().expect("an unknown step is refused");
        assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue);
    }

    #[test]
    fn bad_usage_is_status_2() {
        for args in [&[][..], &["build"], &["setup", "now"], &["dist", "--release"]] {
            let e = parse(args).err().unwrap_or_else(|| panic!("{args:?} accepted"));
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
        }
    }
}
