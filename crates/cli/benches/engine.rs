//! Benchmarks of `calc` (a three-visit year, two identities) and of `batch`.
//! Run: `cargo bench -p yibao-cli --bench engine`. Figures are reported in README.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use yibao_engine::Policy;

fn policy(id: &str) -> Policy {
    let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap()
}

/// A three-visit year of a resident holding two identities (就高不就低 tries both).
pub const THREE_VISITS: &str = r#"{"contribution_tier":"high","identities":["subsistence_allowance","low_income_margin"],"visits":[
  {"kind":"inpatient","level":"level3","total":"100000","in_scope":"90000"},
  {"kind":"chronic_outpatient","level":"level2","total":"8000","in_scope":"8000"},
  {"kind":"outpatient","level":"level1","total":"3000","in_scope":"2500"}]}"#;

/// A batch of varied scenarios, one per line, like a month of real settlements.
pub fn batch_lines(n: usize) -> String {
    let kinds = ["inpatient", "outpatient", "chronic_outpatient"];
    let levels = ["grassroots", "level1", "level2", "level3"];
    let ids = ["[]", r#"["extreme_poverty"]"#, r#"["subsistence_allowance","low_income_margin"]"#, r#"["low_income_margin"]"#];
    (0..n)
        .map(|i| {
            let total = 500 + (i * 7919) % 300_000;
            let in_scope = total * (70 + i % 31) / 100;
            format!(
                r#"{{"identities":{},"visits":[{{"kind":"{}","level":"{}","total":"{total}.{:02}","in_scope":"{in_scope}"}},{{"kind":"inpatient","level":"level2","total":"20000","in_scope":"18000"}}]}}"#,
                ids[i % ids.len()],
                kinds[i % 3],
                levels[(i / 3) % 4],
                i % 100
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn calc(c: &mut Criterion) {
    let p = policy("tianjin-2023");
    let s = yibao_cli::batch::parse_scenario(THREE_VISITS).unwrap();
    let mut g = c.benchmark_group("calc");
    g.bench_function("three visits, two identities, with explanation", |b| b.iter(|| yibao_engine::calculate(&p, black_box(&s)).unwrap()));
    g.bench_function("three visits, two identities, totals only", |b| b.iter(|| yibao_engine::totals_only(&p, black_box(&s)).unwrap()));
    g.bench_function("parse + calculate + serialize", |b| {
        b.iter(|| {
            let s = yibao_cli::batch::parse_scenario(black_box(THREE_VISITS)).unwrap();
            serde_json::to_vec(&yibao_engine::calculate(&p, &s).unwrap()).unwrap()
        })
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let p = policy("tianjin-2023");
    const N: usize = 1000;
    let input = batch_lines(N);
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(N as u64));
    use yibao_cli::batch::{Detail, Encoding};
    for (name, detail) in [("settlement (default)", Detail::Settlement), ("totals only", Detail::Totals), ("explained", Detail::Explained)] {
        g.bench_function(name, |b| {
            let mut out = Vec::with_capacity(8 << 20);
            b.iter(|| {
                out.clear();
                let summary = yibao_cli::batch::run(&p, black_box(input.as_bytes()), &mut out, detail, Encoding::Utf8).unwrap();
                assert_eq!(summary.failed, 0);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, calc, batch);
criterion_main!(benches);
