//! Full recompute of a national-scale round in memory: 3 321 units (the communes and wards
//! after 1 July 2025) scored on a built-in framework, for the built-in commune framework and
//! for the largest one (the most sub-criteria).
//!
//! Each group measures:
//! - `compute`: [`compute`] alone (totals per node, published index, ranks, display order);
//! - `results page`: `compute` plus what the results page shows for every unit — published
//!   total and index, band ([`BandScale::national`]), each field's published points and
//!   percentage, and the ranks per field ([`Results::field_ranks`]);
//! - `plain loop`: the baseline — the same points as `Vec<Vec<Points>>` summed per unit, then
//!   sorted for competition ranks.
//!
//! Budget (issue 9, "Speed at national scale"): `results page` ≤ 50 ms and within 3× the
//! `plain loop`.
//!
//! Run: `cargo bench -p chiso-core --bench recompute`
//! (`cargo test -p chiso-core --bench recompute` runs each once, as a check).
//!
//! The input is deterministic (seeded arithmetic) and shaped like a real round: each unit has
//! its own level, each leaf is scored as its rule allows (levels, bands, booleans, steps,
//! survey ratios with four decimals, bonuses, deductions), declared exemptions apply to some
//! units and a whole field to one unit in ten, and names repeat as they do across provinces,
//! so published indices tie.

use chiso_core::framework::{Framework, Node, Points, Rule};
use chiso_core::results::{BandScale, Layout, Results, UnitInput, UnitScores, compute};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;

/// Communes, wards and special zones after the 2025 reorganisation.
const UNITS: usize = 3_321;

/// A splitmix64 stream: the same seed gives the same round on every machine.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const SYLLABLES: [&str; 24] = [
    "An", "Bình", "Châu", "Đông", "Đức", "Giang", "Hà", "Hòa", "Hưng", "Khánh", "Lâm", "Long",
    "Minh", "Nam", "Ninh", "Phú", "Phước", "Quang", "Sơn", "Tân", "Thạnh", "Thuận", "Trung",
    "Vĩnh",
];

/// "Xã Tân Phú", "Phường Hòa Bình": 1 152 names for 3 321 units, so names repeat.
fn name(s: &mut Seq) -> String {
    let kind = if s.chance(0.2) { "Phường" } else { "Xã" };
    let a = SYLLABLES[s.below(SYLLABLES.len())];
    let b = SYLLABLES[s.below(SYLLABLES.len())];
    format!("{kind} {a} {b}")
}

/// `max × ratio`, cut to a multiple of `grain` ten-thousandths.
fn share(max: Points, ratio: f64, grain: i64) -> Points {
    let max = max.to_scaled().unwrap_or(0);
    let v = (max as f64 * ratio.clamp(0.0, 1.0)) as i64;
    Points::from_scaled(v / grain * grain)
}

/// A leaf's points for a unit of level `level` (0–1), as the leaf's rule allows.
fn leaf_points(leaf: &Node, level: f64, s: &mut Seq) -> Points {
    let max = leaf.max.unwrap_or(Points::ZERO);
    // How well the unit did on this item: its level, give or take.
    let ratio = level + (s.unit() + s.unit() - 1.0) * 0.25;
    match leaf.rule.as_ref() {
        Some(Rule::Levels { levels }) if !levels.is_empty() => {
            if s.chance(level) {
                levels.iter().map(|l| l.points).max().unwrap_or(max)
            } else {
                levels[s.below(levels.len())].points
            }
        }
        Some(Rule::Bands { bands, .. }) if !bands.is_empty() => {
            if s.chance(level) {
                bands.iter().map(|b| b.points).max().unwrap_or(max)
            } else {
                bands[s.below(bands.len())].points
            }
        }
        Some(Rule::Boolean) => {
            if s.chance(level) {
                max
            } else {
                Points::ZERO
            }
        }
        Some(Rule::Manual { step }) => share(max, ratio, step.to_scaled().unwrap_or(1).max(1)),
        // Proportional items are published to two decimals; survey points keep four.
        Some(Rule::Proportional { .. }) => share(max, ratio, 100),
        Some(Rule::Survey { .. }) => share(max, 0.55 + 0.45 * ratio, 1),
        Some(Rule::Bonus { .. }) if s.chance(0.3) => max,
        Some(Rule::Deduction { amount }) if s.chance(0.15) => -*amount,
        _ => Points::ZERO,
    }
}

/// Whether `code` is `under` or inside it.
fn within(code: &str, under: &str) -> bool {
    code == under
        || code
            .strip_prefix(under)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The round's inputs, seeded by the framework's code.
fn round(f: &Framework) -> Vec<UnitInput> {
    let mut s = Seq(f.code.bytes().fold(2025u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }));
    let leaves = f.leaves();
    let declared: Vec<&str> = f
        .walk()
        .into_iter()
        .filter(|l| l.node.allow_not_applicable || !l.node.not_applicable_when.is_empty())
        .map(|l| l.node.code.as_str())
        .collect();
    (0..UNITS)
        .map(|i| {
            let level = 0.55 + 0.43 * s.unit();
            let mut exempt: Vec<String> = declared
                .iter()
                .filter(|_| s.chance(0.2))
                .map(|c| c.to_string())
                .collect();
            if i % 10 == 3 {
                exempt.push(f.fields[(i / 10) % f.fields.len()].code.clone());
            }
            UnitInput {
                name: name(&mut s),
                points: leaves
                    .iter()
                    .map(|l| (l.code.clone(), leaf_points(l, level, &mut s)))
                    .collect(),
                exempt,
                ..Default::default()
            }
        })
        .collect()
}

/// The baseline's input: each unit's applicable points as a plain list.
fn plain(inputs: &[UnitInput]) -> Vec<Vec<Points>> {
    inputs
        .iter()
        .map(|u| {
            u.points
                .iter()
                .filter(|(code, _)| !u.exempt.iter().any(|e| within(code, e)))
                .map(|p| p.1)
                .collect()
        })
        .collect()
}

/// Sum per unit, then competition ranks (1, 2, 2, 4) on the totals.
fn plain_loop(units: &[Vec<Points>]) -> Vec<u32> {
    let totals: Vec<Points> = units.iter().map(|u| u.iter().copied().sum()).collect();
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
    let mut ranks = vec![0u32; totals.len()];
    let mut previous = None;
    let mut rank = 0;
    for (place, &u) in order.iter().enumerate() {
        if previous != Some(totals[u]) {
            rank = place as u32 + 1;
            previous = Some(totals[u]);
        }
        ranks[u] = rank;
    }
    ranks
}

/// One row of the results table.
#[allow(dead_code)] // Built to be measured, never read.
struct Row {
    unit: usize,
    rank: u32,
    total: Decimal,
    index: Decimal,
    band: Option<usize>,
    /// Per field: published points, published percentage, rank in the field.
    fields: Vec<(Decimal, Option<Decimal>, Option<u32>)>,
}

/// What the results page computes: every unit's row in display order.
fn results_page(layout: &Layout, scores: &[UnitScores], bands: &BandScale) -> Vec<Row> {
    let results: Results<'_> = compute(layout, scores);
    let field_ranks = results.field_ranks();
    let fields = layout.fields();
    results
        .order()
        .iter()
        .map(|&u| {
            let r = &results.units()[u];
            Row {
                unit: u,
                rank: r.rank,
                total: r.published_total(),
                index: r.published_index,
                band: bands.classify(r.published_index),
                fields: fields
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| {
                        let n = results.node(u, f);
                        (
                            n.published_points(),
                            n.published_percent().filter(|_| n.applicable),
                            field_ranks.rank(u, i),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn recompute(c: &mut Criterion) {
    let library: Vec<Framework> = chiso_core::framework::library::all()
        .into_iter()
        .map(|(name, f)| f.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    let largest = library
        .iter()
        .max_by_key(|f| f.leaves().len())
        .expect("a built-in framework");
    let commune = library
        .iter()
        .find(|f| f.code == "par-commune")
        .expect("the commune framework");
    let mut chosen = vec![commune];
    if largest.code != commune.code {
        chosen.push(largest);
    }
    let bands = BandScale::national();
    for f in chosen {
        let layout = Layout::new(f);
        let inputs = round(f);
        let scores: Vec<UnitScores> = inputs
            .iter()
            .map(|i| {
                layout
                    .prepare(i)
                    .expect("generated points fit the framework")
            })
            .collect();
        let plain = plain(&inputs);
        let mut g = c.benchmark_group(format!(
            "recompute {UNITS} units × {} leaves ({})",
            f.leaves().len(),
            f.code
        ));
        g.sample_size(20).measurement_time(Duration::from_secs(3));
        g.bench_function("compute", |b| {
            b.iter(|| compute(&layout, black_box(&scores)).units().len())
        });
        g.bench_function("results page", |b| {
            b.iter(|| results_page(&layout, black_box(&scores), &bands))
        });
        g.bench_function("plain loop", |b| b.iter(|| plain_loop(black_box(&plain))));
        g.finish();
    }
}

criterion_group!(benches, recompute);
criterion_main!(benches);
