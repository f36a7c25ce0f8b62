//! Plan import from Word: the five seed plans (`crates/core/tests/golden/plans/seed-00N.txt`)
//! written once, outside the timing, as .docx files of one paragraph per line
//! ([`write_paragraphs`]), then measured as an upload reads them:
//! - `docx_text`: the text out of the .docx (unzip, read the XML, rebuild list numbers);
//! - `docx_text + parse_plan`: that text read into the plan's structure, as the upload page and
//!   `chiso plan import FILE.docx` do.
//!
//! Word's own files carry more markup per run (fonts, sizes, revision ids) than these minimal
//! ones, so a real upload of the same text reads a few times more XML.
//!
//! Budget (issue 9, "Speed at national scale"): none of its own; an upload must answer at once,
//! so each seed is expected to read in well under 50 ms.
//!
//! Run: `cargo bench -p chiso-reports --bench plan_docx`
//! (`cargo test -p chiso-reports --bench plan_docx` runs each once, as a check).

use chiso_core::plan_import::parse_plan;
use chiso_reports::docx::{docx_text, write_paragraphs};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const SEEDS: [(&str, &str); 5] = [
    (
        "seed-000",
        include_str!("../../core/tests/golden/plans/seed-000.txt"),
    ),
    (
        "seed-001",
        include_str!("../../core/tests/golden/plans/seed-001.txt"),
    ),
    (
        "seed-002",
        include_str!("../../core/tests/golden/plans/seed-002.txt"),
    ),
    (
        "seed-003",
        include_str!("../../core/tests/golden/plans/seed-003.txt"),
    ),
    (
        "seed-004",
        include_str!("../../core/tests/golden/plans/seed-004.txt"),
    ),
];

fn plan_docx(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan import from .docx");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, text) in SEEDS {
        let lines: Vec<&str> = text.lines().collect();
        let bytes = write_paragraphs(&lines).expect("the seed is written as .docx");
        let read = docx_text(&bytes).expect("the .docx reads back");
        assert!(!parse_plan(&read).found_nothing(), "{name} reads as a plan");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("docx_text", name), &bytes, |b, bytes| {
            b.iter(|| docx_text(black_box(bytes)))
        });
        g.bench_with_input(
            BenchmarkId::new("docx_text + parse_plan", name),
            &bytes,
            |b, bytes| b.iter(|| docx_text(black_box(bytes)).map(|t| parse_plan(&t))),
        );
    }
    g.finish();
}

criterion_group!(benches, plan_docx);
criterion_main!(benches);
