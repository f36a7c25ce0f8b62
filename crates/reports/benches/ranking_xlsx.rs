//! Excel export of a national-scale ranking: [`ranking_workbook`] for 3 321 units (the communes
//! and wards after 1 July 2025) on the built-in commune framework's fields — the summary sheet
//! with every unit's rank, points per field, total, index, band and change of rank, then one
//! sheet per field.
//!
//! Budget (issue 9, "Speed at national scale"): ≤ 3 s for the whole workbook.
//!
//! Run: `cargo bench -p chiso-reports --bench ranking_xlsx`
//! (`cargo test -p chiso-reports --bench ranking_xlsx` runs it once, as a check).
//!
//! The ranking is deterministic (seeded arithmetic) and shaped like a real one: points with two
//! decimals, one unit in ten exempt from a field, published indices that tie, a band per unit
//! and a change of rank for units ranked last year.

use chiso_core::results::{BandScale, published};
use chiso_reports::ranking_xlsx::{Ranking, RankingField, RankingRow, ranking_workbook};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;

/// Communes, wards and special zones after the 2025 reorganisation.
const UNITS: usize = 3_321;

/// A splitmix64 stream: the same seed gives the same ranking on every machine.
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
}

const SYLLABLES: [&str; 24] = [
    "An", "Bình", "Châu", "Đông", "Đức", "Giang", "Hà", "Hòa", "Hưng", "Khánh", "Lâm", "Long",
    "Minh", "Nam", "Ninh", "Phú", "Phước", "Quang", "Sơn", "Tân", "Thạnh", "Thuận", "Trung",
    "Vĩnh",
];

/// The ranking of a round: fields from the built-in commune framework, units in rank order.
fn ranking() -> Ranking {
    let framework = chiso_core::framework::library::all()
        .into_iter()
        .find_map(|(name, f)| (name == "par-commune.yaml").then_some(f))
        .expect("the commune framework")
        .expect("the commune framework reads");
    let fields: Vec<RankingField> = framework
        .fields
        .iter()
        .map(|f| RankingField {
            code: f.code.clone(),
            name: f.name.clone(),
            max: f.max.map(|m| m.decimal()).unwrap_or_default(),
        })
        .collect();
    let bands = BandScale::national();
    let mut s = Seq(2025);
    let mut rows: Vec<RankingRow> = (0..UNITS)
        .map(|i| {
            let level = 0.55 + 0.43 * s.unit();
            let exempt = (i % 10 == 3).then(|| s.below(fields.len()));
            let field_points: Vec<Option<Decimal>> = fields
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    (exempt != Some(k)).then(|| {
                        let ratio = (level + (s.unit() - 0.5) * 0.3).clamp(0.0, 1.0);
                        let cents = (f.max * Decimal::ONE_HUNDRED)
                            .try_into()
                            .map_or(0.0, |m: i64| m as f64);
                        Decimal::new((cents * ratio) as i64, 2)
                    })
                })
                .collect();
            let total: Decimal = field_points.iter().flatten().sum();
            let max: Decimal = fields
                .iter()
                .zip(&field_points)
                .filter(|(_, p)| p.is_some())
                .map(|(f, _)| f.max)
                .sum();
            let index = published(total * Decimal::ONE_HUNDRED / max);
            let kind = if s.below(5) == 0 { "Phường" } else { "Xã" };
            let a = SYLLABLES[s.below(SYLLABLES.len())];
            let b = SYLLABLES[s.below(SYLLABLES.len())];
            RankingRow {
                rank: 0,
                unit_name: format!("{kind} {a} {b}"),
                total: published(total),
                index,
                band: bands.label(index).unwrap_or("").to_string(),
                field_points,
                // One unit in twenty was not ranked last year.
                change: (s.below(20) != 0).then(|| s.below(41) as i64 - 20),
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.index));
    let mut previous = None;
    for place in 0..rows.len() {
        if previous != Some(rows[place].index) {
            previous = Some(rows[place].index);
            rows[place].rank = place as u32 + 1;
        } else {
            rows[place].rank = rows[place - 1].rank;
        }
    }
    Ranking {
        title: "Kết quả xếp hạng Chỉ số CCHC các xã, phường, đặc khu".into(),
        year: framework.year,
        fields,
        rows,
    }
}

fn ranking_xlsx(c: &mut Criterion) {
    let ranking = ranking();
    let bytes = ranking_workbook(&ranking).expect("the workbook is written");
    let mut g = c.benchmark_group(format!(
        "ranking workbook {UNITS} units × {} fields ({} KB)",
        ranking.fields.len(),
        bytes.len() / 1_000
    ));
    // Each run takes a large fraction of a second: ten runs of one iteration each.
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("ranking_workbook", |b| {
        b.iter(|| ranking_workbook(black_box(&ranking)).map(|b| b.len()))
    });
    g.finish();
}

criterion_group!(benches, ranking_xlsx);
criterion_main!(benches);
