//! The seeded loop: cases of each target in turn, by weight, until the budget (a time or a
//! number of cases) is spent. Each case runs under `catch_unwind`; a watchdog on the calling
//! thread reports a case that runs too long as a hang. Failures are grouped by target and
//! invariant, and the first few of each group are saved as regression cases.

use crate::panics;
use crate::record::Record;
use crate::targets::{violation, Counts, Kind};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub enum Budget {
    Time(Duration),
    /// Cases in all (a fixed, machine-independent amount of work: for tests).
    Cases(u64),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    pub budget: Budget,
    pub kinds: Vec<Kind>,
    /// Where failing inputs are saved; nowhere when `None`.
    pub save_dir: Option<PathBuf>,
    /// Inputs saved per group of failures (a broken rule tends to fail thousands of cases).
    pub save_per_class: usize,
    /// A case running longer than this is a hang.
    pub hang_after: Duration,
    /// Time spent shrinking each input before it is saved (none: saved as generated).
    pub shrink: Duration,
}

impl Config {
    pub fn new(seed: u64, budget: Budget) -> Config {
        Config { seed, budget, kinds: Kind::ALL.to_vec(), save_dir: None, save_per_class: 3, hang_after: Duration::from_secs(20), shrink: Duration::from_millis(1500) }
    }
}

/// The failures of one target and invariant.
#[derive(Clone, Debug)]
pub struct Class {
    pub count: u64,
    pub first: Record,
    pub saved: Vec<PathBuf>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub seed: u64,
    pub elapsed: Duration,
    /// Cases run, by target name.
    pub cases: BTreeMap<&'static str, u64>,
    pub counts: Counts,
    /// By `target/invariant`.
    pub classes: BTreeMap<String, Class>,
    pub hang: bool,
}

impl Report {
    pub fn failures(&self) -> u64 {
        self.classes.values().map(|c| c.count).sum()
    }

    fn fail(&mut self, mut record: Record, config: &Config) {
        let key = format!("{}/{}", record.kind, record.invariant);
        let class = self.classes.entry(key).or_insert_with(|| Class { count: 0, first: record.clone(), saved: vec![] });
        class.count += 1;
        if let Some(dir) = &config.save_dir {
            if class.saved.len() < config.save_per_class {
                // The first of each group is the one people read: only it is shrunk.
                if class.saved.is_empty() {
                    record = record.shrunk(config.shrink);
                }
                match record.save(dir) {
                    Ok(path) => class.saved.push(path),
                    Err(e) => eprintln!("yibao-fuzz: could not save a failing case in {}: {e}", dir.display()),
                }
            }
        }
    }

    /// What was tried and what failed, for people.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let total: u64 = self.cases.values().sum();
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let _ = writeln!(s, "yibao-fuzz: seed {}, {:.1} s, {} cases ({:.0}/s)", self.seed, secs, total, total as f64 / secs);
        for (kind, n) in &self.cases {
            let _ = writeln!(s, "  {kind:<14} {n:>9} cases");
        }
        let c = &self.counts;
        let generated = c.get("policies generated");
        if generated > 0 {
            let refused = c.get("generated policies refused");
            let _ = writeln!(s, "  generated policies: {generated}, refused by validation {refused} ({:.1}%)", 100.0 * refused as f64 / generated as f64);
        }
        let mut refusals: Vec<(&String, &u64)> = c.0.iter().filter(|(k, _)| k.starts_with("refused at ")).collect();
        refusals.sort_by(|a, b| b.1.cmp(a.1));
        if !refusals.is_empty() {
            let _ = writeln!(s, "  where refused policies (generated, mutated) failed first:");
        }
        for (k, n) in refusals.iter().take(5) {
            let _ = writeln!(s, "    {n:>7} {k}");
        }
        for (k, n) in c.0.iter().filter(|(k, _)| !k.starts_with("refused at ")) {
            let _ = writeln!(s, "  {k}: {n}");
        }
        if self.classes.is_empty() {
            let _ = writeln!(s, "failures: none");
        } else {
            let _ = writeln!(s, "failures: {} cases in {} groups{}", self.failures(), self.classes.len(), if self.hang { " (stopped by a hang)" } else { "" });
            for (key, class) in &self.classes {
                let r = &class.first;
                let _ = writeln!(s, "  {key}: {} cases; first: seed {} case {}", class.count, r.seed, r.case);
                for line in r.message.lines().take(4) {
                    let _ = writeln!(s, "      {line}");
                }
                for p in &class.saved {
                    let _ = writeln!(s, "      saved {}", p.display());
                }
            }
        }
        s
    }
}

struct State {
    report: Report,
    current: Option<(Kind, u64, Instant)>,
    done: bool,
}

/// Runs the cases of one seed; returns when the budget is spent or a case hangs.
pub fn run(config: &Config) -> Report {
    let started = Instant::now();
    let state = Arc::new(Mutex::new(State { report: Report { seed: config.seed, ..Report::default() }, current: None, done: false }));
    let worker = {
        let (state, config) = (Arc::clone(&state), config.clone());
        std::thread::Builder::new()
            .name("yibao-fuzz".into())
            // Deeply nested input must be refused by depth limits, not crash on a small stack.
            .stack_size(16 << 20)
            .spawn(move || work(&config, &state, started))
            .expect("a thread starts")
    };
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
        if st.done {
            break;
        }
        if let Some((kind, case, since)) = st.current {
            if since.elapsed() > config.hang_after {
                let input = kind.input(config.seed, case);
                let v = violation("hang", format!("case still running after {:.0} s", config.hang_after.as_secs_f64()));
                st.report.fail(Record::new(kind, config.seed, case, &[v], input), config);
                st.report.hang = true;
                st.report.elapsed = started.elapsed();
                // The worker is stuck; leave it (the process ends with the report).
                return st.report.clone();
            }
        }
    }
    let _ = worker.join();
    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
    st.report.elapsed = started.elapsed();
    st.report.clone()
}

fn work(config: &Config, state: &Mutex<State>, started: Instant) {
    let mut next: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut ran = 0u64;
    let spent = |ran: u64| match config.budget {
        Budget::Time(d) => started.elapsed() >= d,
        Budget::Cases(n) => ran >= n,
    };
    'rounds: loop {
        for &kind in &config.kinds {
            for _ in 0..kind.weight() {
                if spent(ran) {
                    break 'rounds;
                }
                let case = *next.entry(kind.name()).and_modify(|i| *i += 1).or_insert(0);
                ran += 1;
                state.lock().unwrap_or_else(|e| e.into_inner()).current = Some((kind, case, Instant::now()));
                let mut counts = Counts::default();
                let outcome = match panics::catch(|| kind.input(config.seed, case)) {
                    Err(panic) => Some((vec![violation("panic", format!("while generating: {panic}"))], serde_json::Value::Null)),
                    Ok(input) => match panics::catch(|| kind.check(&input, &mut counts)) {
                        Ok(Ok(())) => None,
                        Ok(Err(failure)) => Some((failure.violations, failure.input)),
                        Err(panic) => Some((vec![violation("panic", panic)], input)),
                    },
                };
                let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                st.current = None;
                *st.report.cases.entry(kind.name()).or_default() += 1;
                st.report.counts.merge(&counts);
                if let Some((violations, input)) = outcome {
                    st.report.fail(Record::new(kind, config.seed, case, &violations, input), config);
                }
            }
        }
    }
    state.lock().unwrap_or_else(|e| e.into_inner()).done = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_running_too_long_is_reported_as_a_hang() {
        // Every case takes longer than a nanosecond: the watchdog must stop the run.
        let mut config = Config::new(5, Budget::Cases(100));
        config.kinds = vec![Kind::Calc];
        config.hang_after = Duration::from_nanos(1);
        let report = run(&config);
        assert!(report.hang, "{}", report.summary());
        let hang = &report.classes["calc/hang"];
        assert_eq!(hang.first.invariant, "hang");
        assert!(hang.first.input["policy"].is_object(), "the hanging case's input is regenerated");
    }

    #[test]
    fn a_fixed_number_of_cases_is_run_by_weight() {
        let mut config = Config::new(5, Budget::Cases(15));
        config.kinds = vec![Kind::Link, Kind::ScenarioText];
        let report = run(&config);
        assert!(!report.hang);
        assert_eq!(report.cases.values().sum::<u64>(), 15);
        // Weights 4 and 3: two rounds of 7, then one more link case.
        assert_eq!((report.cases["link"], report.cases["scenario_text"]), (9, 6));
    }
}
