//! `yibao-fuzz`: runs the harness for a time or a number of cases, prints what it tried and
//! what failed, saves failing inputs, and exits 1 on any failure.
//!
//! ```text
//! yibao-fuzz [--seconds N | --cases N] [--seed S] [--only calc,link,…] [--save DIR | --no-save] [--keep N]
//! yibao-fuzz --replay FILE…                 run saved cases again
//! yibao-fuzz --shrink FILE…                 shrink saved cases further (30 s each), in place
//! yibao-fuzz --corpus FILE --cases N [--seed S]   write N generated (policy, scenario, native
//!                                            result) triples for the Node harness to compare
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use yibao_fuzz::record::Record;
use yibao_fuzz::runner::{self, Budget, Config};
use yibao_fuzz::targets::Kind;

const USAGE: &str = "usage: yibao-fuzz [--seconds N | --cases N] [--seed S] [--only KIND,…] [--save DIR | --no-save] [--keep N]
       yibao-fuzz --replay FILE…
       yibao-fuzz --shrink FILE…
       yibao-fuzz --corpus FILE --cases N [--seed S]
kinds: calc, policy_reader, scenario_text, batch, tools, link
--keep N: failing inputs saved per group (default 3; the first is shrunk)";

struct Args {
    seconds: Option<f64>,
    cases: Option<u64>,
    seed: Option<u64>,
    only: Option<Vec<Kind>>,
    save: Option<PathBuf>,
    keep: usize,
    replay: Vec<PathBuf>,
    shrink: bool,
    corpus: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args { seconds: None, cases: None, seed: None, only: None, save: Some(yibao_fuzz::regressions_dir()), keep: 3, replay: vec![], shrink: false, corpus: None };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => a.seconds = Some(value()?.parse().map_err(|_| "--seconds takes a number")?),
            "--cases" => a.cases = Some(value()?.parse().map_err(|_| "--cases takes a whole number")?),
            "--seed" => a.seed = Some(value()?.parse().map_err(|_| "--seed takes a whole number")?),
            "--only" => {
                let kinds: Option<Vec<Kind>> = value()?.split(',').map(Kind::from_name).collect();
                a.only = Some(kinds.ok_or("--only takes kinds from the list below")?);
            }
            "--save" => a.save = Some(PathBuf::from(value()?)),
            "--no-save" => a.save = None,
            "--keep" => a.keep = value()?.parse().map_err(|_| "--keep takes a whole number")?,
            "--corpus" => a.corpus = Some(PathBuf::from(value()?)),
            "--replay" | "--shrink" => {
                a.shrink = arg == "--shrink";
                a.replay.extend(it.by_ref().map(PathBuf::from));
                if a.replay.is_empty() {
                    return Err("--replay needs files".into());
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// A seed from the clock when none is given (printed, so the run can be repeated).
fn fresh_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000)
}

/// Shrinks saved cases in place, keeping their failure.
fn shrink(files: &[PathBuf]) -> ExitCode {
    for path in files {
        let Some(record) = std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str::<Record>(&t).ok()) else {
            eprintln!("{}: not a saved case", path.display());
            return ExitCode::FAILURE;
        };
        if Kind::from_name(&record.kind).is_none() {
            eprintln!("{}: the Node harness's case; not shrunk", path.display());
            continue;
        }
        let before = record.input.to_string().len();
        let record = record.shrunk(Duration::from_secs(30));
        let after = record.input.to_string().len();
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        match record.save(dir) {
            Ok(saved) => println!("{}: {before} → {after} bytes of input", saved.display()),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn replay(files: &[PathBuf]) -> ExitCode {
    let mut failed = 0;
    for path in files {
        let record: Record = match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string())) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed += 1;
                continue;
            }
        };
        match record.replay() {
            None => println!("{}: skipped ({} cases run under Node)", path.display(), record.kind),
            Some(Ok(())) => println!("{}: passes", path.display()),
            Some(Err(vs)) => {
                failed += 1;
                println!("{}: FAILS", path.display());
                for v in vs {
                    println!("    {v}");
                }
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a = match parse(&args) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("yibao-fuzz: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if !a.replay.is_empty() {
        return if a.shrink { shrink(&a.replay) } else { replay(&a.replay) };
    }
    let seed = a.seed.unwrap_or_else(fresh_seed);
    if let Some(path) = a.corpus {
        let n = a.cases.unwrap_or(200);
        let corpus = yibao_fuzz::targets::calc::corpus(seed, n);
        let count = corpus.as_array().map_or(0, Vec::len);
        if let Err(e) = std::fs::write(&path, corpus.to_string()) {
            eprintln!("yibao-fuzz: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("yibao-fuzz: {count} (policy, scenario, result) cases from seed {seed} in {}", path.display());
        return ExitCode::SUCCESS;
    }
    let budget = match (a.cases, a.seconds) {
        (Some(n), _) => Budget::Cases(n),
        (None, s) => Budget::Time(Duration::from_secs_f64(s.unwrap_or(60.0))),
    };
    let mut config = Config::new(seed, budget);
    config.save_dir = a.save;
    config.save_per_class = a.keep;
    if let Some(kinds) = a.only {
        config.kinds = kinds;
    }
    let report = runner::run(&config);
    print!("{}", report.summary());
    if report.failures() > 0 {
        if config.save_dir.is_some() {
            println!("Saved cases are replayed by `cargo test -p yibao-fuzz`; `yibao-fuzz --replay FILE` runs one.");
        }
        // A hung worker thread would keep the process alive: leave now.
        std::process::exit(1);
    }
    ExitCode::SUCCESS
}
