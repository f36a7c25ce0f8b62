//! Totals per node and unit, the index, ranks and the display order, computed for every unit
//! at once.

use super::layout::{Layout, NodeKind, UnitScores};
use super::ranking::competition;
use super::{from_hundredths, hundredths, percent, points, published};
use crate::framework::Points;
use rust_decimal::Decimal;

/// One unit's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    /// Exact total points.
    pub total: Points,
    /// The unit's maximum: the sum of applicable maxima.
    pub max: Points,
    /// The index as published: total ÷ max × 100 rounded to 2 decimals, half away from zero.
    pub published_index: Decimal,
    /// Rank on the published index (1, 2, 2, 4).
    pub rank: u32,
    pub(crate) hundredths: i64,
}

impl UnitResult {
    /// The exact index (%), for further computation; 0 when the maximum is 0.
    pub fn index(&self) -> Decimal {
        percent(self.total, self.max).unwrap_or(Decimal::ZERO)
    }

    /// The total as published (2 decimals).
    pub fn published_total(&self) -> Decimal {
        published(self.total.decimal())
    }
}

/// One node's points for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeResult {
    /// Exact points.
    pub points: Points,
    /// The applicable maximum (0 when exempt; a leaf's own maximum, 0 on deduction items).
    pub max: Points,
    /// Whether the node applies to the unit.
    pub applicable: bool,
}

impl NodeResult {
    /// The exact component percentage, or `None` when nothing of the node applies.
    pub fn percent(&self) -> Option<Decimal> {
        percent(self.points, self.max)
    }

    /// The component percentage as published.
    pub fn published_percent(&self) -> Option<Decimal> {
        super::published_percent(self.points, self.max)
    }

    /// The points as published.
    pub fn published_points(&self) -> Decimal {
        published(self.points.decimal())
    }
}

/// A node's points split into the appraised self-assessment and the survey, as plans print
/// them ("điểm tự đánh giá 5,14/6, điểm điều tra xã hội học 3,40/4"). The two parts add up
/// to the node's exact points (deductions lower the self-assessed part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub assessed: Points,
    pub assessed_max: Points,
    pub survey: Points,
    pub survey_max: Points,
}

/// The results of a round: every unit's totals, index and rank, in input order.
#[derive(Debug, Clone)]
pub struct Results<'a> {
    pub(crate) layout: &'a Layout,
    pub(crate) scores: &'a [UnitScores],
    pub(crate) units: Vec<UnitResult>,
    /// units × branch slots, ten-thousandths.
    pub(crate) branch_points: Vec<i64>,
    pub(crate) branch_max: Vec<i64>,
    pub(crate) order: Vec<usize>,
    /// Every unit's published index in hundredths, best first.
    pub(crate) sorted: Vec<i64>,
}

/// Computes every unit's results.
pub fn compute<'a>(layout: &'a Layout, scores: &'a [UnitScores]) -> Results<'a> {
    let nb = layout.branches.len();
    let mut branch_points = vec![0i64; nb * scores.len()];
    let mut branch_max = vec![0i64; nb * scores.len()];
    let mut units = Vec::with_capacity(scores.len());
    for ((s, pts), max) in scores
        .iter()
        .zip(branch_points.chunks_exact_mut(nb.max(1)))
        .zip(branch_max.chunks_exact_mut(nb.max(1)))
    {
        layout.evaluate(&s.points, &s.exempt, pts, max);
        let h = hundredths(pts[0], max[0]);
        units.push(UnitResult {
            total: points(pts[0]),
            max: points(max[0]),
            published_index: from_hundredths(h),
            rank: 0,
            hundredths: h,
        });
    }
    let (order, ranks) = competition(
        units.len(),
        |i| units[i].hundredths,
        |a, b| scores[a].key.cmp(&scores[b].key),
    );
    for (u, r) in units.iter_mut().zip(ranks) {
        u.rank = r;
    }
    let sorted = order.iter().map(|&i| units[i].hundredths).collect();
    Results {
        layout,
        scores,
        units,
        branch_points,
        branch_max,
        order,
        sorted,
    }
}

/// Per-field ranks: every unit ranked on each field's published percentage; a unit for which a
/// field does not apply has no rank in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRanks {
    fields: Vec<usize>,
    /// units × fields.
    ranks: Vec<Option<u32>>,
}

impl FieldRanks {
    /// The fields' node positions, in order.
    pub fn fields(&self) -> &[usize] {
        &self.fields
    }

    /// A unit's rank in the `i`-th field.
    pub fn rank(&self, unit: usize, i: usize) -> Option<u32> {
        self.ranks[unit * self.fields.len() + i]
    }

    /// A unit's rank in the field at a node position.
    pub fn rank_of(&self, unit: usize, field: usize) -> Option<u32> {
        let i = self.fields.iter().position(|&f| f == field)?;
        self.rank(unit, i)
    }
}

impl<'a> Results<'a> {
    /// The layout the results were computed on.
    pub fn layout(&self) -> &'a Layout {
        self.layout
    }

    /// The scores the results were computed from.
    pub fn scores(&self) -> &'a [UnitScores] {
        self.scores
    }

    /// Every unit's result, in input order.
    pub fn units(&self) -> &[UnitResult] {
        &self.units
    }

    /// Unit positions in display order: best first, ties in Vietnamese alphabetical order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// One node's points for one unit (`node` is a position in [`Layout::nodes`]).
    pub fn node(&self, unit: usize, node: usize) -> NodeResult {
        let n = &self.layout.nodes()[node];
        let s = &self.scores[unit];
        let applicable = s.applies(node);
        if !applicable {
            return NodeResult {
                points: Points::ZERO,
                max: Points::ZERO,
                applicable,
            };
        }
        if n.kind.is_leaf() {
            return NodeResult {
                points: points(s.leaf_points(n.slot)),
                max: n.max,
                applicable,
            };
        }
        let at = unit * self.layout.branches.len() + n.slot;
        NodeResult {
            points: points(self.branch_points[at]),
            max: points(self.branch_max[at]),
            applicable,
        }
    }

    /// A node's points split into the self-assessed and survey parts.
    pub fn parts(&self, unit: usize, node: usize) -> Parts {
        let whole = self.node(unit, node);
        let n = &self.layout.nodes()[node];
        let s = &self.scores[unit];
        let (mut survey, mut survey_max) = (0i64, 0i64);
        for i in node..n.end {
            let leaf = &self.layout.nodes()[i];
            if leaf.kind == NodeKind::Survey && s.applies(i) {
                survey += s.leaf_points(leaf.slot);
                survey_max += self.layout.leaves[leaf.slot].max;
            }
        }
        let (survey, survey_max) = (points(survey), points(survey_max));
        Parts {
            assessed: whole.points - survey,
            assessed_max: whole.max - survey_max,
            survey,
            survey_max,
        }
    }

    /// Ranks per field on the published field percentage.
    pub fn field_ranks(&self) -> FieldRanks {
        let fields: Vec<usize> = self.layout.fields().to_vec();
        let nf = fields.len();
        let n = self.units.len();
        let mut ranks = vec![None; n * nf];
        let nb = self.layout.branches.len();
        // A competition rank depends on the values only, whatever the display order of ties:
        // each field sorts its (value, unit) pairs once, with no comparison of names.
        let mut members: Vec<(i64, usize)> = Vec::with_capacity(n);
        for (i, &f) in fields.iter().enumerate() {
            let node = &self.layout.nodes()[f];
            if node.kind.is_leaf() {
                continue;
            }
            members.clear();
            members.extend((0..n).filter_map(|u| {
                let at = u * nb + node.slot;
                (self.scores[u].applies(f) && self.branch_max[at] > 0)
                    .then(|| (hundredths(self.branch_points[at], self.branch_max[at]), u))
            }));
            members.sort_unstable_by_key(|&(v, _)| std::cmp::Reverse(v));
            let mut rank = 0;
            for (place, &(v, u)) in members.iter().enumerate() {
                if place == 0 || members[place - 1].0 != v {
                    rank = place as u32 + 1;
                }
                ranks[u * nf + i] = Some(rank);
            }
        }
        FieldRanks { fields, ranks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Framework, Node, Rule};
    use crate::results::layout::UnitInput;
    use crate::results::layout::tests::{good, input, p};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn prepare(l: &Layout, inputs: &[UnitInput]) -> Vec<UnitScores> {
        inputs.iter().map(|i| l.prepare(i).unwrap()).collect()
    }

    /// A field of 9,5 points (one self-assessed criterion of 8,5, one survey leaf of 1) and a
    /// field of 10 (6 self-assessed, 4 survey): the shape of seed 000's fields 1 and 2.
    pub(crate) fn seed_framework() -> Framework {
        fn leaf(code: &str, max: &str, rule: Rule) -> Node {
            Node {
                code: code.into(),
                name: format!("Tiêu chí {code}"),
                name_en: None,
                max: Points::parse(max),
                guidance: None,
                evidence: None,
                illustrative: false,
                lead_unit: None,
                survey_max: None,
                allow_not_applicable: false,
                not_applicable_when: Default::default(),
                previous_code: None,
                from_records: None,
                rule: Some(rule),
                children: vec![],
            }
        }
        fn branch(code: &str, name: &str, children: Vec<Node>) -> Node {
            let mut n = leaf(code, "0", Rule::Boolean);
            n.name = name.into();
            n.rule = None;
            n.max = Some(children.iter().map(Node::counted_max).sum());
            n.children = children;
            n
        }
        let manual = || Rule::Manual {
            step: Points::from_scaled(1),
        };
        let survey = || Rule::Survey { measure: None };
        let fields = vec![
            branch(
                "1",
                "Công tác chỉ đạo, điều hành CCHC",
                vec![leaf("1.1", "8.5", manual()), leaf("1.2", "1", survey())],
            ),
            branch(
                "2",
                "Cải cách thể chế",
                vec![leaf("2.1", "6", manual()), leaf("2.2", "4", survey())],
            ),
        ];
        Framework {
            code: "seed".into(),
            name: "Seed 000".into(),
            name_en: None,
            unit_type: crate::units::UnitType::Province,
            year: 2023,
            version: 1,
            decision: None,
            source: None,
            illustrative: true,
            max: fields.iter().map(Node::counted_max).sum(),
            fields,
        }
    }

    #[test]
    fn seed_000_figures_are_rounded_only_when_published() {
        let f = seed_framework();
        let l = Layout::new(&f);
        let scores = prepare(
            &l,
            &[input(
                "Tỉnh A",
                &[
                    ("1.1", "7.917"),
                    ("1.2", "0.9"),
                    ("2.1", "5.135"),
                    ("2.2", "3.395"),
                ],
                &[],
            )],
        );
        let r = compute(&l, &scores);
        let one = r.node(0, l.position("1").unwrap());
        assert_eq!(one.points, p("8.817"));
        assert_eq!(one.published_points(), d("8.82"));
        assert_eq!(one.published_percent(), Some(d("92.81")), "not 92,84");
        let two = l.position("2").unwrap();
        let parts = r.parts(0, two);
        assert_eq!(published(parts.assessed.decimal()), d("5.14"));
        assert_eq!(published(parts.survey.decimal()), d("3.40"));
        assert_eq!((parts.assessed_max, parts.survey_max), (p("6"), p("4")));
        assert_eq!(
            r.node(0, two).published_points(),
            d("8.53"),
            "not 5,14 + 3,40"
        );
        assert_eq!(r.node(0, two).published_percent(), Some(d("85.30")));
        let u = &r.units()[0];
        assert_eq!(u.total, p("17.347"));
        assert_eq!(u.published_total(), d("17.35"));
        // 17,347 ÷ 19,5 = 88,958…% → 88,96.
        assert_eq!(u.published_index, d("88.96"));
        assert_eq!(published(u.index()), u.published_index);
    }

    #[test]
    fn bonus_deduction_and_exemptions_add_up_as_documented() {
        let l = Layout::new(&good());
        let scores = prepare(
            &l,
            &[
                // 1.1.1 + 1.1.2 = 1,5; 1.2 = 2; bonus 0,5 fills no gap beyond 4; deduction −0,5.
                input(
                    "Sở A",
                    &[
                        ("1.1.1", "0.5"),
                        ("1.1.2", "1"),
                        ("1.2", "2"),
                        ("1.3", "0.5"),
                        ("1.4", "-0.5"),
                        ("2.1", "1.9163"),
                        ("2.2", "2"),
                        ("2.3", "1.5"),
                    ],
                    &[],
                ),
                // Full marks plus a bonus stays at the maximum.
                input(
                    "Sở B",
                    &[
                        ("1.1.1", "1"),
                        ("1.1.2", "1"),
                        ("1.2", "2"),
                        ("1.3", "0.5"),
                        ("2.1", "2"),
                        ("2.2", "2"),
                        ("2.3", "2"),
                    ],
                    &[],
                ),
                // Exempt from field 2: the index is rescaled to 4 points.
                input(
                    "Sở C",
                    &[("1.1.1", "1"), ("1.2", "1"), ("2.1", "2")],
                    &["2"],
                ),
                // A deduction never takes a field below zero.
                input("Sở D", &[("1.4", "-0.5")], &[]),
            ],
        );
        let r = compute(&l, &scores);
        let one = l.position("1").unwrap();
        assert_eq!(r.node(0, one).points, p("3.5"));
        assert_eq!(r.units()[0].total, p("8.9163"));
        assert_eq!(r.units()[1].total, p("10"));
        assert_eq!(r.units()[1].published_index, d("100.00"));
        assert_eq!(r.units()[2].max, p("4"));
        assert_eq!(r.units()[2].total, p("2"), "exempt points are ignored");
        assert_eq!(r.units()[2].published_index, d("50.00"));
        assert!(!r.node(2, l.position("2.1").unwrap()).applicable);
        assert_eq!(r.node(3, one).points, Points::ZERO);
        assert_eq!(r.units()[3].total, Points::ZERO);
        assert_eq!(
            r.units().iter().map(|u| u.rank).collect::<Vec<_>>(),
            vec![2, 1, 3, 4]
        );
        assert_eq!(r.order(), &[1, 0, 2, 3]);
        let fr = r.field_ranks();
        assert_eq!(fr.rank_of(0, one), Some(2));
        assert_eq!(fr.rank_of(1, one), Some(1));
        assert_eq!(fr.rank_of(2, l.position("2").unwrap()), None);
    }

    #[test]
    fn ties_share_a_rank_and_show_in_vietnamese_order() {
        let l = Layout::new(&good());
        let scores = prepare(
            &l,
            &[
                input("Xã Đông", &[("1.2", "1")], &[]),
                input("Xã Dương", &[("1.2", "1")], &[]),
                input("Xã Ân", &[("1.2", "2")], &[]),
                input("Xã Bắc", &[("1.2", "0.5")], &[]),
                // 1,0001 points: a different exact total, the same published index 10,00.
                input("Xã An", &[("1.2", "1"), ("2.1", "0.0001")], &[]),
            ],
        );
        let r = compute(&l, &scores);
        let ranks: Vec<u32> = r.units().iter().map(|u| u.rank).collect();
        assert_eq!(ranks, vec![2, 2, 1, 5, 2]);
        assert_eq!(r.order(), &[2, 4, 1, 0, 3]);
    }
}
