//! Plan-document import: [`parse_plan`] on each of the five seed plans
//! (`tests/golden/plans/seed-00N.txt`, 5–11 KB of text each, copied from the shared seeds) —
//! metadata, legal bases, the section tree, goals, KPIs, tasks and warnings, from the text a
//! person pastes or the text of a Word file — and on the five joined into one long document
//! (about 38 KB), to show how the time grows with the length. Reading the text out of a .docx happens in
//! `chiso-reports` and is measured there (`cargo bench -p chiso-reports --bench plan_docx`).
//!
//! Budget (issue 9, "Speed at national scale"): none of its own; an upload page must answer at
//! once, so each seed is expected to read in well under 50 ms.
//!
//! Run: `cargo bench -p chiso-core --bench plan_import`
//! (`cargo test -p chiso-core --bench plan_import` runs each once, as a check).

use chiso_core::plan_import::parse_plan;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const SEEDS: [(&str, &str); 5] = [
    (
        "seed-000",
        include_str!("../tests/golden/plans/seed-000.txt"),
    ),
    (
        "seed-001",
        include_str!("../tests/golden/plans/seed-001.txt"),
    ),
    (
        "seed-002",
        include_str!("../tests/golden/plans/seed-002.txt"),
    ),
    (
        "seed-003",
        include_str!("../tests/golden/plans/seed-003.txt"),
    ),
    (
        "seed-004",
        include_str!("../tests/golden/plans/seed-004.txt"),
    ),
];

fn plan_import(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan import");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, text) in SEEDS {
        assert!(!parse_plan(text).found_nothing(), "{name} reads as a plan");
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_plan", name), text, |b, text| {
            b.iter(|| parse_plan(black_box(text)))
        });
    }
    // A long plan: the five one after another (about 38 KB), to see how the time grows.
    let joined = SEEDS.map(|(_, text)| text).join("\n");
    g.throughput(Throughput::Bytes(joined.len() as u64));
    g.bench_with_input(
        BenchmarkId::new("parse_plan", "five seeds joined"),
        joined.as_str(),
        |b, text| b.iter(|| parse_plan(black_box(text))),
    );
    g.finish();
}

criterion_group!(benches, plan_import);
criterion_main!(benches);
