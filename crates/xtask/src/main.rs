//! `cargo xtask`: set-up, web build, dev server, size budget and the CI test run.
//! Plain std Rust that shells out to the tools; see README.md, "Set-up / commands".

mod budget;
mod dist;
mod fuzz;
mod serve;
mod setup;
mod speed;
mod stamp;
mod testcmd;
mod util;
mod wasm;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                    install the tools the build and tests need (idempotent)
  dist                     set up, then build the web app into web/dist
  serve [--port N]         set up, build, and serve web/dist on 127.0.0.1 (default port 8080)
        [--no-build]       serve web/dist as it is
        [--dir DIR]        serve DIR (a copy of web/dist) as it is
  stamp [DIR]              validate the policies DIR/index.json lists (default web/dist/policies)
                           and write their validation stamps into it
  budget                   gzip sizes of web/dist against the budgets (first load, each policy)
  wasm                     set up, then build the wasm package crates/wasm (pkg, pkg-bundler, pkg-probe)
  bless                    rewrite the golden cases' reference explanations (tests/golden/explanations)
                           after an intended change of wording; review the diff before committing
  speed                    yibao batch throughput on one core against the floor (100,000/s)
  fuzz [--minutes N]       the fuzz harness (crates/fuzz) and the wasm package's under Node; failing
       [--seed S]          inputs saved in tests/fuzz/regressions (default: 1 minute, a fresh seed)
       [--no-wasm]
  test [STEP...] [--list]  what CI runs: every step (setup, cargo test, dist, budget, e2e, web-budgets, …)
";

fn main() {
    util::ensure_tool_dirs_on_path();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            std::process::exit(2);
        }
    };
    let no_args = |name: &str| {
        if !rest.is_empty() {
            eprintln!("xtask: `{name}` takes no arguments\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let result = match command {
        "setup" => {
            no_args("setup");
            setup::setup()
        }
        "wasm" => {
            no_args("wasm");
            setup::setup().and_then(|_| wasm::build())
        }
        "dist" => {
            no_args("dist");
            setup::setup().and_then(|_| dist::dist())
        }
        "serve" => serve::serve(rest),
        "stamp" => stamp::stamp_dir(rest),
        "budget" => {
            no_args("budget");
            budget::budget()
        }
        "bless" => {
            no_args("bless");
            // The golden runner writes the references instead of comparing when this is set.
            util::run(util::cargo().args(["test", "-p", "yibao-engine", "--test", "golden"]).env("YIBAO_BLESS", "1"))
        }
        "speed" => {
            no_args("speed");
            speed::speed()
        }
        "fuzz" => fuzz::parse(rest).and_then(|o| fuzz::fuzz(&o)),
        "test" => testcmd::test(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("xtask: unknown command {other:?}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask: error: {e}");
        std::process::exit(1);
    }
}
