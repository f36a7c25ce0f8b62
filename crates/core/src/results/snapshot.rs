//! The table a results decision publishes, frozen: every unit's published total, index, rank,
//! band and per-field points, percentages and ranks, exactly as printed (2 decimals). Stored as
//! JSON when a round's results are published; the public page and later reports read it back
//! unchanged even if scores are corrected afterwards.

use super::{BandScale, Results, published};
use crate::framework::Points;
use crate::lang::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A field's heading in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotField {
    pub code: String,
    pub name: String,
    pub max: Points,
}

/// One field of one unit, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotCell {
    pub points: Decimal,
    pub max: Points,
    /// `None` where the field does not apply to the unit.
    pub percent: Option<Decimal>,
    pub rank: Option<u32>,
}

/// One unit's row, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotUnit {
    pub name: String,
    pub group: Option<String>,
    pub total: Decimal,
    pub max: Points,
    pub index: Decimal,
    pub rank: u32,
    pub band: Option<String>,
    pub fields: Vec<SnapshotCell>,
}

/// A round's published results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub round: String,
    pub framework: String,
    pub year: i32,
    /// The band scale, as text (`A: 90; B: 80; …`).
    pub bands: String,
    pub fields: Vec<SnapshotField>,
    /// In rank order.
    pub units: Vec<SnapshotUnit>,
    /// The mean index, as published.
    pub mean: Decimal,
    pub above_mean: usize,
}

impl Snapshot {
    /// Freezes `results` with their bands.
    pub fn of(
        results: &Results<'_>,
        bands: &BandScale,
        round: &str,
        framework: &str,
        year: i32,
    ) -> Snapshot {
        let layout = results.layout();
        let field_ranks = results.field_ranks();
        let fields: Vec<SnapshotField> = layout
            .fields()
            .iter()
            .map(|&f| {
                let n = &layout.nodes()[f];
                SnapshotField {
                    code: n.code.clone(),
                    name: n.name.clone(),
                    max: n.max,
                }
            })
            .collect();
        let units = results
            .order()
            .iter()
            .map(|&u| {
                let r = &results.units()[u];
                let s = &results.scores()[u];
                SnapshotUnit {
                    name: s.name().to_string(),
                    group: s.group().map(str::to_string),
                    total: r.published_total(),
                    max: r.max,
                    index: r.published_index,
                    rank: r.rank,
                    band: bands.label(r.published_index).map(str::to_string),
                    fields: layout
                        .fields()
                        .iter()
                        .enumerate()
                        .map(|(i, &f)| {
                            let node = results.node(u, f);
                            SnapshotCell {
                                points: node.published_points(),
                                max: node.max,
                                percent: node
                                    .applicable
                                    .then(|| node.published_percent())
                                    .flatten(),
                                rank: field_ranks.rank(u, i),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let stats = results.statistics(bands);
        Snapshot {
            round: round.to_string(),
            framework: framework.to_string(),
            year,
            bands: bands.to_spec(Lang::Vi),
            fields,
            units,
            mean: published(stats.mean),
            above_mean: stats.above_mean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::layout::tests::{good, input};
    use crate::results::{Layout, compute};

    #[test]
    fn a_snapshot_keeps_the_published_figures_in_rank_order_and_reads_back_equal() {
        let f = good();
        let layout = Layout::new(&f);
        let inputs = [
            input("Sở B", &[("1.2", "1")], &[]),
            input("Sở A", &[("1.2", "2")], &[]),
        ];
        let scores: Vec<_> = inputs.iter().map(|i| layout.prepare(i).unwrap()).collect();
        let results = compute(&layout, &scores);
        let snap = Snapshot::of(&results, &BandScale::national(), "Đợt 2025", "Thử", 2025);
        assert_eq!(snap.units[0].name, "Sở A");
        assert_eq!(snap.units[0].rank, 1);
        assert_eq!(snap.units[1].rank, 2);
        assert_eq!(snap.fields.len(), f.fields.len());
        assert_eq!(snap.units[0].fields.len(), f.fields.len());
        assert_eq!(snap.units[0].total, Decimal::new(2, 0));
        let back: Snapshot = serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
        assert_eq!(back, snap);
    }
}
