//! Survey aggregation at province scale: 100 000 forms (100 units × 1 000 respondents) of the
//! example questionnaire `examples/surveys/lanh-dao-so.yaml`, simulated once with a fixed seed
//! ([`simulate`], outside the timing), then measured in two steps:
//! - `parse`: reading the responses file ([`parse_responses`]: every cell checked);
//! - `aggregate`: every question's, group's and measure's figures per unit ([`aggregate`]).
//!
//! Budget (issue 9, "Speed at national scale"): 100 000 responses imported and aggregated —
//! `parse` + `aggregate` — in ≤ 5 s.
//!
//! Run: `cargo bench -p chiso-core --bench surveys`
//! (`cargo test -p chiso-core --bench surveys` runs each once, as a check).

use chiso_core::survey::{GroupWeights, Survey, aggregate, from_yaml, parse_responses, simulate};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const UNITS: usize = 100;
const FORMS_PER_UNIT: usize = 1_000;

fn surveys(c: &mut Criterion) {
    let q = from_yaml(include_str!("../../../examples/surveys/lanh-dao-so.yaml"))
        .expect("the example questionnaire");
    let units: Vec<String> = (1..=UNITS).map(|i| format!("DV{i:03}")).collect();
    let text = simulate(&q, &units, FORMS_PER_UNIT, 1);
    let parsed = parse_responses(&q, &text).expect("a simulated file reads");
    assert_eq!(parsed.responses.len(), UNITS * FORMS_PER_UNIT);
    assert_eq!(parsed.problems, vec![]);

    let mut g = c.benchmark_group(format!(
        "survey {} forms × {} questions ({} MB)",
        UNITS * FORMS_PER_UNIT,
        q.questions().count(),
        text.len() / 1_000_000
    ));
    // Each run takes a large fraction of a second: ten runs of one iteration each.
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("parse", |b| {
        b.iter(|| parse_responses(&q, black_box(&text)).map(|p| p.responses.len()))
    });
    let survey = [Survey {
        questionnaire: &q,
        responses: &parsed.responses,
    }];
    g.bench_function("aggregate", |b| {
        b.iter(|| aggregate(black_box(&survey), &GroupWeights::equal()))
    });
    g.finish();
}

criterion_group!(benches, surveys);
criterion_main!(benches);
