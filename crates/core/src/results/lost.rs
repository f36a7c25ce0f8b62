//! Where a unit lost points: each applicable sub-criterion below its maximum, with what the best
//! and the median unit scored there, the largest recoverable points first.
//!
//! Bonus items are not listed: missing a bonus is not a loss. A deduction applied is listed
//! (its maximum is 0, its points negative).

use super::compute::Results;
use super::layout::NodeKind;
use super::points;
use crate::framework::Points;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Best and median points per leaf among the units it applies to; compute once per round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafStats {
    /// Per leaf slot: (best, median, number of units it applies to).
    leaves: Vec<(Points, Points, usize)>,
}

/// One sub-criterion where a unit lost points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostItem {
    /// Position in [`super::Layout::nodes`].
    pub node: usize,
    pub points: Points,
    pub max: Points,
    /// Points recoverable: max − points.
    pub lost: Points,
    /// The highest points any unit has here.
    pub best: Points,
    /// The median points among units it applies to (the mean of the middle two for an even
    /// count, so it may carry one more decimal place).
    pub median: Points,
    /// How many units it applies to.
    pub units: usize,
}

/// Compares dotted codes segment by segment, numbers as numbers: 1.9 < 1.10.
pub fn compare_codes(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

impl Results<'_> {
    /// Best and median points of every leaf.
    pub fn leaf_stats(&self) -> LeafStats {
        let layout = self.layout;
        let mut values: Vec<i64> = Vec::with_capacity(self.scores.len());
        let leaves = layout
            .leaves
            .iter()
            .enumerate()
            .map(|(slot, leaf)| {
                values.clear();
                values.extend(
                    self.scores
                        .iter()
                        .filter(|s| s.applies(leaf.node as usize))
                        .map(|s| s.leaf_points(slot)),
                );
                let n = values.len();
                if n == 0 {
                    return (Points::ZERO, Points::ZERO, 0);
                }
                values.sort_unstable();
                let median = if n % 2 == 1 {
                    points(values[n / 2])
                } else {
                    let sum = Decimal::new(values[n / 2 - 1] + values[n / 2], 4);
                    Points::new(sum / Decimal::TWO)
                };
                (points(values[n - 1]), median, n)
            })
            .collect();
        LeafStats { leaves }
    }

    /// Where `unit` lost points, the most recoverable first, ties by code.
    pub fn lost_points(&self, stats: &LeafStats, unit: usize) -> Vec<LostItem> {
        let layout = self.layout;
        let s = &self.scores[unit];
        let mut out: Vec<LostItem> = layout
            .leaves
            .iter()
            .enumerate()
            .filter_map(|(slot, leaf)| {
                let node = leaf.node as usize;
                let kind = layout.nodes()[node].kind;
                let own = s.leaf_points(slot);
                if kind == NodeKind::Bonus || !s.applies(node) || own >= leaf.max {
                    return None;
                }
                let (best, median, units) = stats.leaves[slot];
                Some(LostItem {
                    node,
                    points: points(own),
                    max: points(leaf.max),
                    lost: points(leaf.max - own),
                    best,
                    median,
                    units,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.lost.cmp(&a.lost).then_with(|| {
                compare_codes(&layout.nodes()[a.node].code, &layout.nodes()[b.node].code)
            })
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::compute::compute;
    use crate::results::layout::Layout;
    use crate::results::layout::tests::{good, input, p};

    #[test]
    fn codes_compare_as_numbers() {
        let mut codes = vec!["1.10", "1.9", "2", "1.9.1", "10", "1"];
        codes.sort_by(|a, b| compare_codes(a, b));
        assert_eq!(codes, vec!["1", "1.9", "1.9.1", "1.10", "2", "10"]);
    }

    #[test]
    fn lost_points_are_sorted_by_what_can_be_recovered() {
        let l = Layout::new(&good());
        let scores: Vec<_> = [
            input(
                "Sở A",
                &[
                    ("1.1.1", "0.5"),
                    ("1.1.2", "1"),
                    ("1.2", "1.5"),
                    ("1.4", "-0.5"),
                    ("2.1", "1.9163"),
                    ("2.3", "1.5"),
                ],
                &[],
            ),
            input(
                "Sở B",
                &[("1.1.1", "1"), ("1.2", "2"), ("2.3", "1.75")],
                &[],
            ),
            input("Sở C", &[("1.2", "0.5"), ("2.3", "1")], &["2.2"]),
        ]
        .iter()
        .map(|i| l.prepare(i).unwrap())
        .collect();
        let r = compute(&l, &scores);
        let stats = r.leaf_stats();
        let lost = r.lost_points(&stats, 0);
        let rows: Vec<(&str, Points)> = lost
            .iter()
            .map(|x| (l.nodes()[x.node].code.as_str(), x.lost))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("2.2", p("2")),
                ("1.1.1", p("0.5")),
                ("1.2", p("0.5")),
                ("1.4", p("0.5")),
                ("2.3", p("0.5")),
                ("2.1", p("0.0837")),
            ]
        );
        let x = lost
            .iter()
            .find(|x| l.nodes()[x.node].code == "2.3")
            .unwrap();
        assert_eq!((x.best, x.median, x.units), (p("1.75"), p("1.5"), 3));
        let x = lost
            .iter()
            .find(|x| l.nodes()[x.node].code == "2.2")
            .unwrap();
        assert_eq!((x.best, x.median, x.units), (Points::ZERO, Points::ZERO, 2));
        let x = lost
            .iter()
            .find(|x| l.nodes()[x.node].code == "1.4")
            .unwrap();
        assert_eq!(
            (x.points, x.max, x.best),
            (p("-0.5"), Points::ZERO, Points::ZERO)
        );
        // Sở C is exempt from 2.2: it is not listed for it.
        assert!(
            r.lost_points(&stats, 2)
                .iter()
                .all(|x| l.nodes()[x.node].code != "2.2")
        );
        let two = &r.lost_points(&stats, 1);
        assert_eq!(two.iter().find(|x| l.nodes()[x.node].code == "1.1.1"), None);
        let x = two.iter().find(|x| l.nodes()[x.node].code == "1.2");
        assert_eq!(x, None, "at its maximum");
        // Median of 1.2 among three units: 0,5; 1,5; 2.
        assert_eq!(
            stats.leaves[l.nodes()[l.position("1.2").unwrap()].slot].1,
            p("1.5")
        );
    }
}
