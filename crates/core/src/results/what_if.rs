//! What-if: a unit's total, index and rank with hypothetical points, at once; and what it takes
//! to reach a rank or a band, with an explained suggestion of which sub-criteria to raise.
//!
//! Only the unit itself is recomputed; its rank is found by binary search among the other
//! units' published indices, which do not change.

use super::bands::BandThreshold;
use super::compute::Results;
use super::layout::{InputProblem, LayoutNode, NodeKind};
use super::lost::compare_codes;
use super::ranking::rank_among;
use super::{from_hundredths, hundredths, percent, points};
use crate::format;
use crate::framework::{Points, Rule};
use crate::lang::Lang;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A unit's result with hypothetical points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    pub total: Points,
    pub max: Points,
    pub published_index: Decimal,
    /// Rank among the other units as they are.
    pub rank: u32,
    pub total_before: Points,
    pub published_before: Decimal,
    pub rank_before: u32,
}

impl WhatIf {
    /// The exact index (%).
    pub fn index(&self) -> Decimal {
        percent(self.total, self.max).unwrap_or(Decimal::ZERO)
    }

    /// Positive = would move up.
    pub fn rank_change(&self) -> i64 {
        i64::from(self.rank_before) - i64::from(self.rank)
    }
}

/// What a unit aims for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A rank, 1 being first (ties share it, so equalling the unit now at that rank is enough).
    Rank(u32),
    /// A band: its threshold on the published index.
    Band(BandThreshold),
}

/// Whether the target can be met by raising the suggested sub-criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOutcome {
    AlreadyReached,
    Reachable,
    /// Even full marks on every sub-criterion considered fall short.
    Impossible,
}

/// One suggested change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Position in [`super::Layout::nodes`].
    pub node: usize,
    pub from: Points,
    /// The suggested points: the maximum, or for the last step the least value the leaf's
    /// rule allows that covers what remains.
    pub to: Points,
    /// The effect on the unit's total (less than `to − from` where a branch is capped).
    pub gain: Points,
}

/// What reaching a target takes, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPlan {
    pub target: Target,
    /// The published index needed: that of the unit now at the rank, or the band's threshold.
    pub index_needed: Decimal,
    /// The least exact total whose published index reaches `index_needed`.
    pub total_needed: Points,
    pub total_now: Points,
    pub published_now: Decimal,
    pub rank_now: u32,
    /// `total_needed − total_now`, at least 0.
    pub gap: Points,
    pub outcome: TargetOutcome,
    /// Sub-criteria to raise, the most recoverable first, until the gap is covered (all of them
    /// when it cannot be).
    pub steps: Vec<Step>,
    pub total_after: Points,
    pub published_after: Decimal,
    pub rank_after: u32,
}

/// The least scaled value at or above `v` that a leaf's rule can give.
fn allowed_at_least(node: &LayoutNode, v: i64, max: i64, min: i64) -> i64 {
    let s = |p: &Points| p.to_scaled().unwrap_or(max);
    let least_listed =
        |values: &mut dyn Iterator<Item = i64>| values.filter(|&p| p >= v).min().unwrap_or(max);
    let out = match &node.rule {
        Some(Rule::Manual { step } | Rule::Bonus { step }) if step.is_positive() => {
            let st = s(step);
            (v + st - 1).div_euclid(st) * st
        }
        Some(Rule::Boolean) if v > 0 => max,
        Some(Rule::Levels { levels }) => least_listed(&mut levels.iter().map(|l| s(&l.points))),
        Some(Rule::Bands { bands, .. }) => least_listed(&mut bands.iter().map(|b| s(&b.points))),
        Some(Rule::Deduction { .. }) if v > min => 0,
        _ => v,
    };
    out.clamp(min, max)
}

impl Results<'_> {
    /// Resolves hypothetical changes into a copy of the unit's leaf points.
    fn changed_points(
        &self,
        unit: usize,
        changes: &[(&str, Points)],
    ) -> Result<Vec<i64>, Vec<InputProblem>> {
        let mut pts = self.scores[unit].points.clone();
        let mut problems = Vec::new();
        for (code, p) in changes {
            let slot = match self.layout.position(code) {
                None => {
                    problems.push(InputProblem::UnknownCode(code.to_string()));
                    continue;
                }
                Some(i) => match self.layout.slot_of_leaf(i) {
                    Some(s) => s,
                    None => {
                        problems.push(InputProblem::NotALeaf(code.to_string()));
                        continue;
                    }
                },
            };
            match self.layout.check_points(slot, *p) {
                Ok(v) => pts[slot] = v,
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            Ok(pts)
        } else {
            Err(problems)
        }
    }

    /// (total, max) of a unit with these leaf points, in ten-thousandths.
    fn evaluate_unit(
        &self,
        unit: usize,
        pts: &[i64],
        scratch: &mut (Vec<i64>, Vec<i64>),
    ) -> (i64, i64) {
        self.layout.evaluate(
            pts,
            &self.scores[unit].exempt,
            &mut scratch.0,
            &mut scratch.1,
        );
        (scratch.0[0], scratch.1[0])
    }

    fn scratch(&self) -> (Vec<i64>, Vec<i64>) {
        let n = self.layout.branches.len();
        (vec![0; n], vec![0; n])
    }

    /// The rank a unit would have with this published index, the others unchanged.
    fn rank_with(&self, unit: usize, h: i64) -> u32 {
        let own = self.units[unit].hundredths;
        let above = rank_among(&self.sorted, h) - 1;
        // The unit itself is in `sorted` with its present index.
        above - u32::from(own > h) + 1
    }

    /// The unit's total, index and rank if its leaves had these points (by code).
    pub fn what_if(
        &self,
        unit: usize,
        changes: &[(&str, Points)],
    ) -> Result<WhatIf, Vec<InputProblem>> {
        let pts = self.changed_points(unit, changes)?;
        let (total, max) = self.evaluate_unit(unit, &pts, &mut self.scratch());
        let h = hundredths(total, max);
        let before = &self.units[unit];
        Ok(WhatIf {
            total: points(total),
            max: points(max),
            published_index: from_hundredths(h),
            rank: self.rank_with(unit, h),
            total_before: before.total,
            published_before: before.published_index,
            rank_before: before.rank,
        })
    }

    /// What it takes `unit` to reach `target`: the index and exact total needed, and a greedy
    /// suggestion raising the sub-criteria with the most recoverable points first (survey items
    /// only when `include_survey`, since a unit cannot set them directly; bonus items never).
    pub fn target(&self, unit: usize, target: &Target, include_survey: bool) -> TargetPlan {
        let now = &self.units[unit];
        let needed_h = match target {
            Target::Rank(k) => {
                let k = (*k).max(1) as usize;
                let mut others = self.sorted.clone();
                if let Some(i) = others.iter().position(|&v| v == now.hundredths) {
                    others.remove(i);
                }
                others.get(k - 1).copied().unwrap_or(0)
            }
            Target::Band(b) => (b.from * Decimal::ONE_HUNDRED)
                .ceil()
                .to_i64()
                .unwrap_or(i64::MAX),
        };
        let mut scratch = self.scratch();
        let mut pts = self.scores[unit].points.clone();
        let (mut total, max) = self.evaluate_unit(unit, &pts, &mut scratch);
        let total_needed = if needed_h <= 0 {
            Some(0)
        } else if max <= 0 {
            None
        } else {
            // The least T with round(T ÷ max × 10 000) ≥ h, i.e. T ≥ max × (2h − 1) ÷ 20 000.
            let m = i128::from(max);
            let num = m * (2 * i128::from(needed_h) - 1);
            let t = (num + 19_999).div_euclid(20_000);
            (t <= m).then_some(t as i64)
        };
        let mut steps = Vec::new();
        let reached = total_needed.is_some_and(|t| total >= t);
        if !reached {
            let layout = self.layout;
            let s = &self.scores[unit];
            let mut candidates: Vec<usize> = (0..layout.leaves.len())
                .filter(|&slot| {
                    let leaf = layout.leaves[slot];
                    let kind = layout.nodes()[leaf.node as usize].kind;
                    let eligible = match kind {
                        NodeKind::Scored | NodeKind::Deduction => true,
                        NodeKind::Survey => include_survey,
                        NodeKind::Bonus | NodeKind::Branch => false,
                    };
                    eligible && s.applies(leaf.node as usize) && pts[slot] < leaf.max
                })
                .collect();
            let node = |slot: usize| &layout.nodes()[layout.leaves[slot].node as usize];
            candidates.sort_by(|&a, &b| {
                let ra = layout.leaves[a].max - pts[a];
                let rb = layout.leaves[b].max - pts[b];
                rb.cmp(&ra)
                    .then_with(|| compare_codes(&node(a).code, &node(b).code))
            });
            let goal = total_needed.unwrap_or(i64::MAX);
            for slot in candidates {
                let leaf = layout.leaves[slot];
                let from = pts[slot];
                pts[slot] = leaf.max;
                let (full, _) = self.evaluate_unit(unit, &pts, &mut scratch);
                if full == total {
                    pts[slot] = from;
                    continue;
                }
                if full >= goal {
                    // The least value covering the goal (the total grows with a leaf's points).
                    let (mut lo, mut hi) = (from, leaf.max);
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        pts[slot] = mid;
                        if self.evaluate_unit(unit, &pts, &mut scratch).0 >= goal {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    pts[slot] = allowed_at_least(node(slot), hi, leaf.max, leaf.min);
                }
                let (after, _) = self.evaluate_unit(unit, &pts, &mut scratch);
                steps.push(Step {
                    node: leaf.node as usize,
                    from: points(from),
                    to: points(pts[slot]),
                    gain: points(after - total),
                });
                total = after;
                if total >= goal {
                    break;
                }
            }
        }
        let h_after = hundredths(total, max);
        let outcome = match total_needed {
            _ if reached => TargetOutcome::AlreadyReached,
            Some(t) if total >= t => TargetOutcome::Reachable,
            _ => TargetOutcome::Impossible,
        };
        let total_needed = total_needed.map_or(max, |t| t);
        TargetPlan {
            target: target.clone(),
            index_needed: from_hundredths(needed_h),
            total_needed: points(total_needed),
            total_now: now.total,
            published_now: now.published_index,
            rank_now: now.rank,
            gap: points((total_needed - now.total.to_scaled().unwrap_or(0)).max(0)),
            outcome,
            steps,
            total_after: points(total),
            published_after: from_hundredths(h_after),
            rank_after: self.rank_with(unit, h_after),
        }
    }
}

impl TargetPlan {
    /// The plan in sentences, in Vietnamese or English, numbers written as the language does.
    pub fn explain(&self, layout: &super::Layout, lang: Lang) -> Vec<String> {
        let pct = |d: Decimal| format::points(d, lang);
        let pts = |p: Points| p.display(lang);
        let target = match (&self.target, lang) {
            (Target::Rank(k), Lang::Vi) => format!("hạng {k}"),
            (Target::Rank(k), Lang::En) => format!("rank {k}"),
            (Target::Band(b), Lang::Vi) => format!("xếp loại {}", b.label),
            (Target::Band(b), Lang::En) => format!("band {}", b.label),
        };
        let mut out = Vec::new();
        if self.outcome == TargetOutcome::AlreadyReached {
            out.push(match lang {
                Lang::Vi => format!(
                    "Đã đạt {target}: chỉ số hiện tại {}% (cần {}%).",
                    pct(self.published_now),
                    pct(self.index_needed)
                ),
                Lang::En => format!(
                    "{target} is already reached: the index is {}% (needed {}%).",
                    pct(self.published_now),
                    pct(self.index_needed)
                ),
            });
            return out;
        }
        out.push(match lang {
            Lang::Vi => format!(
                "Để đạt {target} cần chỉ số tối thiểu {}%, tức tổng điểm tối thiểu {} điểm; hiện có {} điểm, còn thiếu {} điểm.",
                pct(self.index_needed),
                pts(self.total_needed),
                pts(self.total_now),
                pts(self.gap)
            ),
            Lang::En => format!(
                "To reach {target} the index must be at least {}%, that is at least {} points; the unit has {}, {} short.",
                pct(self.index_needed),
                pts(self.total_needed),
                pts(self.total_now),
                pts(self.gap)
            ),
        });
        for s in &self.steps {
            let n = &layout.nodes()[s.node];
            out.push(match lang {
                Lang::Vi => format!(
                    "{} {}: {} → {} điểm (tổng tăng {}).",
                    n.code,
                    n.name,
                    pts(s.from),
                    pts(s.to),
                    pts(s.gain)
                ),
                Lang::En => format!(
                    "{} {}: {} → {} points (total +{}).",
                    n.code,
                    n.name,
                    pts(s.from),
                    pts(s.to),
                    pts(s.gain)
                ),
            });
        }
        out.push(match (self.outcome, lang) {
            (TargetOutcome::Impossible, Lang::Vi) => format!(
                "Không thể đạt: kể cả đạt tối đa mọi tiêu chí trên, chỉ số cao nhất là {}% (hạng {}).",
                pct(self.published_after),
                self.rank_after
            ),
            (TargetOutcome::Impossible, Lang::En) => format!(
                "Not reachable: even with full marks on every item above, the index is at most {}% (rank {}).",
                pct(self.published_after),
                self.rank_after
            ),
            (_, Lang::Vi) => format!(
                "Khi đó: {} điểm, chỉ số {}%, xếp hạng {}.",
                pts(self.total_after),
                pct(self.published_after),
                self.rank_after
            ),
            (_, Lang::En) => format!(
                "Then: {} points, index {}%, rank {}.",
                pts(self.total_after),
                pct(self.published_after),
                self.rank_after
            ),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::bands::BandScale;
    use crate::results::compute::compute;
    use crate::results::layout::tests::{good, input, p};
    use crate::results::layout::{Layout, UnitScores};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn round(l: &Layout) -> Vec<UnitScores> {
        [
            input(
                "Sở Tư pháp",
                &[
                    ("1.1.1", "0.5"),
                    ("1.2", "1"),
                    ("2.1", "1.5"),
                    ("2.2", "2"),
                    ("2.3", "1.5"),
                ],
                &[],
            ),
            input(
                "Sở Nội vụ",
                &[
                    ("1.1.1", "1"),
                    ("1.1.2", "1"),
                    ("1.2", "2"),
                    ("2.1", "2"),
                    ("2.2", "2"),
                    ("2.3", "1.6"),
                ],
                &[],
            ),
            input(
                "Sở Tài chính",
                &[
                    ("1.1.1", "1"),
                    ("1.2", "2"),
                    ("2.1", "2"),
                    ("2.2", "2"),
                    ("2.3", "1.5"),
                ],
                &[],
            ),
        ]
        .iter()
        .map(|i| l.prepare(i).unwrap())
        .collect()
    }

    #[test]
    fn what_if_recomputes_one_unit_and_ranks_it_among_the_others() {
        let l = Layout::new(&good());
        let scores = round(&l);
        let r = compute(&l, &scores);
        // Now: Tư pháp 6,5 (3rd), Nội vụ 9,6 (1st), Tài chính 8,5 (2nd).
        assert_eq!(r.units()[0].rank, 3);
        let w = r.what_if(0, &[]).unwrap();
        assert_eq!((w.total, w.rank), (r.units()[0].total, 3));
        let w = r
            .what_if(0, &[("1.1.2", p("1")), ("1.2", p("2")), ("2.1", p("2"))])
            .unwrap();
        assert_eq!(w.total, p("9"));
        assert_eq!(w.published_index, d("90.00"));
        assert_eq!((w.rank, w.rank_change()), (2, 1));
        // Dropping below everyone.
        let w = r.what_if(1, &[("2.2", p("0")), ("1.2", p("0"))]).unwrap();
        assert_eq!((w.total, w.rank, w.rank_change()), (p("5.6"), 3, -2));
        let e = r.what_if(0, &[("1.2", p("3")), ("1", p("1"))]).unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn reaching_a_rank_or_a_band_is_explained_step_by_step() {
        let l = Layout::new(&good());
        let scores = round(&l);
        let r = compute(&l, &scores);
        let plan = r.target(0, &Target::Rank(2), false);
        assert_eq!(plan.index_needed, d("85.00"));
        assert_eq!(plan.total_needed, p("8.4995"));
        assert_eq!(plan.gap, p("1.9995"));
        assert_eq!(plan.outcome, TargetOutcome::Reachable);
        let steps: Vec<(&str, Points, Points)> = plan
            .steps
            .iter()
            .map(|s| (l.nodes()[s.node].code.as_str(), s.from, s.to))
            .collect();
        // 1.1.2 and 1.2 recover 1 point each (ties by code); the second covers the gap, its
        // value rounded up to the rule's step of 0.25.
        assert_eq!(
            steps,
            vec![("1.1.2", p("0"), p("1")), ("1.2", p("1"), p("2"))]
        );
        assert_eq!((plan.total_after, plan.rank_after), (p("8.5"), 2));
        assert_eq!(
            plan.explain(&l, Lang::Vi),
            vec![
                "Để đạt hạng 2 cần chỉ số tối thiểu 85,00%, tức tổng điểm tối thiểu 8,4995 điểm; hiện có 6,5 điểm, còn thiếu 1,9995 điểm.",
                "1.1.2 Mức độ hoàn thành kế hoạch CCHC: 0 → 1 điểm (tổng tăng 1).",
                "1.2 Báo cáo CCHC định kỳ: 1 → 2 điểm (tổng tăng 1).",
                "Khi đó: 8,5 điểm, chỉ số 85,00%, xếp hạng 2.",
            ]
        );
        assert_eq!(
            plan.explain(&l, Lang::En)[0],
            "To reach rank 2 the index must be at least 85.00%, that is at least 8.4995 points; the unit has 6.5, 1.9995 short."
        );

        // Band A needs 90 %: 1.1.2, 1.2, then the last half point from 1.1.1 (a levels item,
        // so 0.9995 is rounded up to its level 1).
        let a = BandScale::national().bands()[0].clone();
        let plan = r.target(0, &Target::Band(a), false);
        assert_eq!(plan.total_needed, p("8.9995"));
        let last = plan.steps.last().unwrap();
        assert_eq!(l.nodes()[last.node].code, "1.1.1");
        assert_eq!((last.from, last.to), (p("0.5"), p("1")));
        assert_eq!(plan.published_after, d("90.00"));

        // The leader already holds rank 1.
        let plan = r.target(1, &Target::Rank(1), false);
        assert_eq!(plan.outcome, TargetOutcome::AlreadyReached);
        assert_eq!(
            plan.explain(&l, Lang::Vi),
            vec!["Đã đạt hạng 1: chỉ số hiện tại 96,00% (cần 85,00%)."]
        );
    }

    #[test]
    fn a_target_out_of_reach_says_so() {
        let l = Layout::new(&good());
        let scores = round(&l);
        let r = compute(&l, &scores);
        // Without the survey points it lacks (1.5 of 2), 100 % is out of reach.
        let top = crate::results::BandThreshold {
            label: "Tuyệt đối".into(),
            from: d("100"),
        };
        let plan = r.target(0, &Target::Band(top.clone()), false);
        assert_eq!(plan.outcome, TargetOutcome::Impossible);
        assert_eq!(plan.published_after, d("95.00"));
        let text = plan.explain(&l, Lang::Vi);
        assert_eq!(
            text.last().unwrap(),
            "Không thể đạt: kể cả đạt tối đa mọi tiêu chí trên, chỉ số cao nhất là 95,00% (hạng 2)."
        );
        let plan = r.target(0, &Target::Band(top), true);
        assert_eq!(plan.outcome, TargetOutcome::Reachable);
        assert_eq!(plan.published_after, d("100.00"));
    }

    #[test]
    fn allowed_values_follow_the_rule() {
        let l = Layout::new(&good());
        let n = |c: &str| &l.nodes()[l.position(c).unwrap()];
        assert_eq!(allowed_at_least(n("1.2"), 3_000, 20_000, 0), 5_000);
        assert_eq!(allowed_at_least(n("1.1.1"), 3_000, 10_000, 0), 5_000);
        assert_eq!(allowed_at_least(n("1.1.2"), 3_000, 10_000, 0), 5_000);
        assert_eq!(allowed_at_least(n("2.2"), 1, 20_000, 0), 20_000);
        assert_eq!(allowed_at_least(n("2.1"), 12_345, 20_000, 0), 12_345);
        assert_eq!(allowed_at_least(n("1.4"), -1_000, 0, -5_000), 0);
    }
}
