//! Rank stability before results are published: how far each unit's rank could move given the
//! uncertainty of survey samples and of appraisal, by Monte Carlo simulation.
//!
//! Each draw perturbs every unit independently:
//! - each survey leaf with a sample size `n` and observed ratio `p` by a normal error with
//!   standard error `max × √(p(1−p)/n)` (kept within 0 and the leaf's maximum); a survey leaf
//!   without a sample size is taken as exact;
//! - the unit's total by a normal error with the configured appraisal standard deviation;
//!
//! then clamps the total to `[0, max]`, publishes the index to 2 decimals and ranks every unit.
//! Perturbations are added to the total directly (branch clamping is not re-applied: survey
//! points are rarely what caps a branch). The simulation uses floating point, being a
//! statistical estimate; published figures never do. The generator is seeded, so the same
//! inputs and seed always give the same answer.

use super::compute::Results;
use super::layout::NodeKind;
use super::rng::Rng;
use crate::framework::Points;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Settings of the simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StabilitySettings {
    /// Number of draws (default 1 000).
    pub draws: u32,
    /// The generator's seed: the same seed gives the same intervals.
    pub seed: u64,
    /// Standard deviation of the appraisal, in points on each unit's total (default 0.25): how
    /// much two councils could differ on the same dossier. A setting, not a measured figure.
    pub appraisal_sd: Points,
    /// Adjacent units whose published indices differ by less than this (percentage points,
    /// default 0.10) are flagged as near-ties even if their intervals do not overlap.
    pub near_tie_margin: Decimal,
}

impl Default for StabilitySettings {
    fn default() -> Self {
        StabilitySettings {
            draws: 1000,
            seed: 1,
            appraisal_sd: Points::from_scaled(2_500),
            near_tie_margin: Decimal::new(10, 2),
        }
    }
}

/// How a unit's rank varied over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankInterval {
    /// The computed rank.
    pub rank: u32,
    /// The 2.5th percentile of the simulated ranks (the better end).
    pub best: u32,
    /// The 97.5th percentile of the simulated ranks (the worse end).
    pub worst: u32,
    /// Draws in which the unit kept its computed rank.
    pub held: u32,
    pub draws: u32,
}

impl RankInterval {
    /// The share of draws in which the unit kept its rank (0–1).
    pub fn held_share(&self) -> Decimal {
        if self.draws == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.held) / Decimal::from(self.draws)
    }
}

/// Two units next to each other in the ranking whose order is uncertain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearTie {
    /// Unit positions (input order), the higher-ranked first.
    pub upper: usize,
    pub lower: usize,
    /// Difference of their published indices (percentage points).
    pub gap: Decimal,
    /// Their rank intervals overlap.
    pub overlapping: bool,
    /// The gap is below the margin.
    pub within_margin: bool,
}

/// The simulation's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stability {
    /// Per unit, in input order.
    pub units: Vec<RankInterval>,
    /// Adjacent pairs in display order, best first.
    pub near_ties: Vec<NearTie>,
}

/// One survey leaf's noise for one unit.
struct Noise {
    now: f64,
    max: f64,
    se: f64,
}

/// Nearest-rank percentile position in a sorted sample of `n`.
fn percentile_at(n: usize, q: f64) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n) - 1
}

fn f(scaled: i64) -> f64 {
    scaled as f64 / 10_000.0
}

impl Results<'_> {
    /// Rank intervals and near-ties by simulation.
    pub fn stability(&self, settings: &StabilitySettings) -> Stability {
        let n = self.units.len();
        let draws = settings.draws.max(1) as usize;
        let layout = self.layout;
        let mut noise: Vec<Noise> = Vec::new();
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(n);
        for s in self.scores {
            let start = noise.len();
            for &(slot, size, ratio) in &s.samples {
                let leaf = layout.leaves[slot as usize];
                let node = leaf.node as usize;
                if layout.nodes()[node].kind != NodeKind::Survey || !s.applies(node) {
                    continue;
                }
                let (now, max) = (f(s.leaf_points(slot as usize)), f(leaf.max));
                let p = match ratio {
                    Some(r) => r.to_f64().unwrap_or(0.0),
                    None if max > 0.0 => now / max,
                    None => 0.0,
                }
                .clamp(0.0, 1.0);
                let se = max * (p * (1.0 - p) / f64::from(size)).sqrt();
                noise.push(Noise { now, max, se });
            }
            spans.push((start, noise.len()));
        }
        let sd = settings.appraisal_sd.to_f64();
        let mut rng = Rng::new(settings.seed);
        let mut ranks = vec![0u32; n * draws];
        let mut values = vec![0i64; n];
        let mut order: Vec<usize> = (0..n).collect();
        for d in 0..draws {
            for (u, value) in values.iter_mut().enumerate() {
                let r = &self.units[u];
                let max = r.max.to_f64();
                let mut t = r.total.to_f64();
                for e in &noise[spans[u].0..spans[u].1] {
                    let x = (e.now + e.se * rng.normal()).clamp(0.0, e.max);
                    t += x - e.now;
                }
                t += sd * rng.normal();
                *value = if max > 0.0 {
                    (t.clamp(0.0, max) / max * 10_000.0).round() as i64
                } else {
                    0
                };
            }
            order.sort_unstable_by(|&a, &b| values[b].cmp(&values[a]));
            let mut rank = 0u32;
            let mut previous = None;
            for (place, &u) in order.iter().enumerate() {
                if previous != Some(values[u]) {
                    rank = place as u32 + 1;
                    previous = Some(values[u]);
                }
                ranks[u * draws + d] = rank;
            }
        }
        let units: Vec<RankInterval> = (0..n)
            .map(|u| {
                let sample = &mut ranks[u * draws..(u + 1) * draws];
                let rank = self.units[u].rank;
                let held = sample.iter().filter(|&&r| r == rank).count() as u32;
                sample.sort_unstable();
                RankInterval {
                    rank,
                    best: sample[percentile_at(draws, 0.025)],
                    worst: sample[percentile_at(draws, 0.975)],
                    held,
                    draws: draws as u32,
                }
            })
            .collect();
        let near_ties = self
            .order
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (w[0], w[1]);
                let (ia, ib) = (units[a], units[b]);
                let gap = self.units[a].published_index - self.units[b].published_index;
                let overlapping = ia.best <= ib.worst && ib.best <= ia.worst;
                let within_margin = gap < settings.near_tie_margin;
                (overlapping || within_margin).then_some(NearTie {
                    upper: a,
                    lower: b,
                    gap,
                    overlapping,
                    within_margin,
                })
            })
            .collect();
        Stability { units, near_ties }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::compute::compute;
    use crate::results::layout::tests::{good, input};
    use crate::results::layout::{Layout, SurveySample, UnitScores};

    /// Ten units with totals 10, 9.5, 9 … 6.5, then 6.01 and 6 (0.10 % apart).
    fn scores(l: &Layout, sample: u32) -> Vec<UnitScores> {
        [
            ("A", "2", "2"),
            ("B", "1.5", "2"),
            ("C", "1", "2"),
            ("D", "0.5", "2"),
            ("E", "0", "2"),
            ("F", "0", "1.5"),
            ("G", "0", "1"),
            ("H", "0", "0.5"),
            ("I", "0", "0.01"),
            ("J", "0", "0"),
        ]
        .iter()
        .map(|(name, survey, report)| {
            let mut i = input(
                name,
                &[
                    ("1.1.1", "1"),
                    ("1.1.2", "1"),
                    ("1.2", report),
                    ("2.1", "2"),
                    ("2.2", "2"),
                    ("2.3", survey),
                ],
                &[],
            );
            i.samples.push(SurveySample {
                code: "2.3".into(),
                n: sample,
                ratio: None,
            });
            l.prepare(&i).unwrap()
        })
        .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_intervals() {
        let l = Layout::new(&good());
        let s = scores(&l, 30);
        let r = compute(&l, &s);
        let settings = StabilitySettings {
            draws: 300,
            ..Default::default()
        };
        assert_eq!(r.stability(&settings), r.stability(&settings));
        let other = StabilitySettings {
            seed: 99,
            ..settings.clone()
        };
        assert_ne!(r.stability(&settings), r.stability(&other));
    }

    #[test]
    fn intervals_contain_the_rank_and_near_ties_are_flagged() {
        let l = Layout::new(&good());
        let s = scores(&l, 30);
        let r = compute(&l, &s);
        let st = r.stability(&StabilitySettings {
            draws: 400,
            ..Default::default()
        });
        for (u, i) in st.units.iter().enumerate() {
            assert_eq!(i.rank, r.units()[u].rank);
            assert!(i.best <= i.rank && i.rank <= i.worst, "{u}: {i:?}");
            assert!(i.held_share() <= Decimal::ONE);
        }
        // I and J are 0.01 point apart (0.10 %): their intervals overlap.
        let tie = st
            .near_ties
            .iter()
            .find(|t| t.upper == 8 && t.lower == 9)
            .expect("I and J");
        assert!(tie.overlapping);
        assert_eq!(tie.gap, Decimal::new(10, 2));
        // Without any uncertainty, ranks never move and only the margin flags.
        let exact = r.stability(&StabilitySettings {
            draws: 50,
            appraisal_sd: Points::ZERO,
            ..Default::default()
        });
        let s0 = scores(&l, 1_000_000_000);
        let r0 = compute(&l, &s0);
        let st0 = r0.stability(&StabilitySettings {
            draws: 50,
            appraisal_sd: Points::ZERO,
            near_tie_margin: Decimal::new(11, 2),
            ..Default::default()
        });
        assert!(
            exact
                .units
                .iter()
                .all(|i| i.best <= i.rank && i.rank <= i.worst)
        );
        assert!(
            st0.units
                .iter()
                .all(|i| i.held == i.draws && i.best == i.rank && i.worst == i.rank)
        );
        assert_eq!(st0.near_ties.len(), 1);
        assert!(st0.near_ties[0].within_margin && !st0.near_ties[0].overlapping);
    }

    #[test]
    fn larger_samples_give_narrower_intervals() {
        let l = Layout::new(&good());
        let settings = StabilitySettings {
            draws: 400,
            appraisal_sd: Points::ZERO,
            ..Default::default()
        };
        let width = |n: u32| {
            let s = scores(&l, n);
            let r = compute(&l, &s);
            r.stability(&settings)
                .units
                .iter()
                .map(|i| i.worst - i.best)
                .sum::<u32>()
        };
        assert!(width(10) > width(1000), "{} vs {}", width(10), width(1000));
    }
}
