//! Figures publications give beside the ranking: mean and median index, how many units are
//! above the mean, averages per group (departments and communes, regions), units per band.

use super::bands::BandScale;
use super::compute::Results;
use super::published;
use rust_decimal::Decimal;

/// The average index of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStatistics {
    pub label: String,
    pub count: usize,
    /// Mean of the members' exact indices.
    pub mean: Decimal,
}

/// How many units fall in a band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandCount {
    pub label: String,
    pub count: usize,
}

/// Summary figures of a round's results. Means and the median are exact (round them with
/// [`super::published`] to show them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    pub count: usize,
    /// Mean of the units' exact indices.
    pub mean: Decimal,
    /// Median of the exact indices (the mean of the middle two for an even count).
    pub median: Decimal,
    /// Units whose published index is above the published mean: what a reader of the table
    /// can check.
    pub above_mean: usize,
    /// Per group label, in order of first appearance; units without a group are in none.
    pub groups: Vec<GroupStatistics>,
    /// Per band, highest first.
    pub bands: Vec<BandCount>,
    /// Units below every band's threshold.
    pub unbanded: usize,
}

fn mean(values: impl Iterator<Item = Decimal>) -> (usize, Decimal) {
    let (n, sum) = values.fold((0usize, Decimal::ZERO), |(n, s), v| (n + 1, s + v));
    if n == 0 {
        (0, Decimal::ZERO)
    } else {
        (n, sum / Decimal::from(n))
    }
}

impl Results<'_> {
    /// Mean, median, units above the mean, group averages and units per band.
    pub fn statistics(&self, bands: &BandScale) -> Statistics {
        let indices: Vec<Decimal> = self.units.iter().map(|u| u.index()).collect();
        let (count, mean_index) = mean(indices.iter().copied());
        let mut sorted = indices.clone();
        sorted.sort_unstable();
        let median = match count {
            0 => Decimal::ZERO,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / Decimal::TWO,
        };
        let shown_mean = published(mean_index);
        let above_mean = self
            .units
            .iter()
            .filter(|u| u.published_index > shown_mean)
            .count();
        let mut labels: Vec<&str> = Vec::new();
        for s in self.scores {
            if let Some(g) = s.group()
                && !labels.contains(&g)
            {
                labels.push(g);
            }
        }
        let groups = labels
            .into_iter()
            .map(|label| {
                let (count, mean) = mean(
                    self.scores
                        .iter()
                        .zip(&indices)
                        .filter(|(s, _)| s.group() == Some(label))
                        .map(|(_, &i)| i),
                );
                GroupStatistics {
                    label: label.to_string(),
                    count,
                    mean,
                }
            })
            .collect();
        let mut per_band = vec![0usize; bands.bands().len()];
        let mut unbanded = 0;
        for u in &self.units {
            match bands.classify(u.published_index) {
                Some(i) => per_band[i] += 1,
                None => unbanded += 1,
            }
        }
        Statistics {
            count,
            mean: mean_index,
            median,
            above_mean,
            groups,
            bands: bands
                .bands()
                .iter()
                .zip(per_band)
                .map(|(b, count)| BandCount {
                    label: b.label.clone(),
                    count,
                })
                .collect(),
            unbanded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::compute::compute;
    use crate::results::layout::Layout;
    use crate::results::layout::tests::{good, input};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn means_medians_groups_and_bands() {
        let l = Layout::new(&good());
        let mut inputs = [
            input(
                "Sở A",
                &[
                    ("1.2", "2"),
                    ("2.1", "2"),
                    ("2.2", "2"),
                    ("2.3", "2"),
                    ("1.1.1", "1"),
                    ("1.1.2", "1"),
                ],
                &[],
            ),
            input(
                "Sở B",
                &[("1.2", "2"), ("2.1", "2"), ("2.2", "2"), ("2.3", "2")],
                &[],
            ),
            input(
                "Xã C",
                &[("1.2", "2"), ("2.1", "2"), ("2.2", "2"), ("2.3", "1.5")],
                &[],
            ),
            input("Xã D", &[("1.2", "1")], &[]),
            input("Không nhóm", &[("1.2", "2"), ("2.1", "2")], &[]),
        ];
        for (i, g) in [
            "Sở, ban, ngành",
            "Sở, ban, ngành",
            "Xã, phường",
            "Xã, phường",
        ]
        .iter()
        .enumerate()
        {
            inputs[i].group = Some(g.to_string());
        }
        let scores: Vec<_> = inputs.iter().map(|i| l.prepare(i).unwrap()).collect();
        let r = compute(&l, &scores);
        // Indices 100, 80, 75, 10, 40.
        let s = r.statistics(&BandScale::national());
        assert_eq!(s.count, 5);
        assert_eq!(s.mean, d("61"));
        assert_eq!(s.median, d("75"));
        assert_eq!(s.above_mean, 3);
        assert_eq!(s.groups.len(), 2);
        assert_eq!(
            (s.groups[0].label.as_str(), s.groups[0].count),
            ("Sở, ban, ngành", 2)
        );
        assert_eq!(s.groups[0].mean, d("90"));
        assert_eq!(s.groups[1].mean, d("42.5"));
        let counts: Vec<usize> = s.bands.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 1, 1, 2]);
        assert_eq!(s.unbanded, 0);
        let s = r.statistics(&BandScale::parse("A:90,B:80").unwrap());
        assert_eq!(s.unbanded, 3);
    }

    #[test]
    fn an_even_count_has_the_middle_mean_as_median() {
        let l = Layout::new(&good());
        let scores: Vec<_> = [
            input("A", &[("1.2", "1")], &[]),
            input("B", &[("1.2", "2")], &[]),
        ]
        .iter()
        .map(|i| l.prepare(i).unwrap())
        .collect();
        let r = compute(&l, &scores);
        assert_eq!(r.statistics(&BandScale::national()).median, d("15"));
        let empty: Vec<crate::results::UnitScores> = vec![];
        let r = compute(&l, &empty);
        let s = r.statistics(&BandScale::national());
        assert_eq!(
            (s.count, s.mean, s.median, s.above_mean),
            (0, Decimal::ZERO, Decimal::ZERO, 0)
        );
    }
}
