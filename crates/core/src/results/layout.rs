//! A framework flattened for computing results, and each unit's points resolved against it.
//!
//! Codes are looked up once, here, when a unit's input is prepared; the computation that runs
//! for thousands of units then works on positions and whole ten-thousandths only.

use crate::framework::{Framework, Node, Points, Rule};
use crate::lang::Lang;
use crate::text::collation_key;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What a node is, for adding up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A field or criterion: the sum of its children, clamped to `[0, max]`.
    Branch,
    /// A leaf scored by the unit and the appraisal (manual, boolean, levels, bands,
    /// proportional).
    Scored,
    /// A leaf whose points come from the survey.
    Survey,
    /// Extra points on top of the parent's maximum.
    Bonus,
    /// Points ≤ 0 taken from the parent.
    Deduction,
}

impl NodeKind {
    fn of(node: &Node) -> NodeKind {
        match &node.rule {
            _ if !node.is_leaf() => NodeKind::Branch,
            Some(Rule::Survey { .. }) => NodeKind::Survey,
            Some(Rule::Bonus { .. }) => NodeKind::Bonus,
            Some(Rule::Deduction { .. }) => NodeKind::Deduction,
            _ => NodeKind::Scored,
        }
    }

    /// Whether the node's maximum counts toward its parent's.
    pub fn counted(self) -> bool {
        !matches!(self, NodeKind::Bonus | NodeKind::Deduction)
    }

    /// Whether the node is scored itself.
    pub fn is_leaf(self) -> bool {
        self != NodeKind::Branch
    }
}

/// One node of the framework, in walk order (parents before children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutNode {
    pub code: String,
    pub name: String,
    /// 0 for a field, 1 for a criterion, and so on.
    pub depth: usize,
    /// The parent's position in [`Layout::nodes`].
    pub parent: Option<usize>,
    /// The end (exclusive) of the node's subtree: its descendants are at `position + 1 .. end`.
    pub end: usize,
    pub kind: NodeKind,
    /// A leaf's own maximum (0 on deduction items); a branch's full maximum (the sum of its
    /// counted children's), before exemptions.
    pub max: Points,
    /// The lowest points a leaf can have: minus the amount on deduction items, else 0.
    pub min: Points,
    /// The leaf's rule (used to suggest values a rule allows).
    pub rule: Option<Rule>,
    /// Position among the leaves or the branches (slot 0 of the branches is the framework).
    pub(crate) slot: usize,
}

/// A leaf as the computation needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeafSlot {
    pub node: u32,
    /// Branch slot of the parent.
    pub parent: u32,
    pub max: i64,
    pub min: i64,
    pub counted: bool,
}

/// A branch as the computation needs it; slot 0 is the framework itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BranchSlot {
    /// `u32::MAX` for the framework.
    pub parent: u32,
}

const NONE: u32 = u32::MAX;

/// A framework flattened once into index arrays, for computing results of many units.
///
/// Build it from a validated framework: maxima are taken to four decimal places.
#[derive(Debug, Clone)]
pub struct Layout {
    nodes: Vec<LayoutNode>,
    pub(crate) leaves: Vec<LeafSlot>,
    pub(crate) branches: Vec<BranchSlot>,
    fields: Vec<usize>,
    by_code: HashMap<String, usize>,
    max: Points,
}

/// What a caller knows about one unit, by code. Prepare it with [`Layout::prepare`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitInput {
    /// The unit's name, for the display order of ties (Vietnamese alphabetical order).
    pub name: String,
    /// An optional group for averages: "Sở, ban, ngành", "Xã, phường", a region.
    pub group: Option<String>,
    /// Points per scored leaf (self, appraised, final or survey: whatever the caller computes).
    /// A leaf not listed scores 0.
    pub points: Vec<(String, Points)>,
    /// Codes of nodes that do not apply to the unit (their subtrees leave score and maximum).
    pub exempt: Vec<String>,
    /// Survey sample sizes, for rank stability; a survey leaf without one is treated as exact.
    pub samples: Vec<SurveySample>,
}

/// How many answers a survey leaf's points rest on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveySample {
    pub code: String,
    /// Number of respondents.
    pub n: u32,
    /// The observed ratio (0–1); when absent it is the leaf's points ÷ its maximum, as for
    /// the usual conversion "max × satisfaction ratio".
    pub ratio: Option<Decimal>,
}

/// A unit's points resolved against a [`Layout`]: ready for [`super::compute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitScores {
    name: String,
    group: Option<String>,
    pub(crate) key: (Vec<u32>, Vec<u8>, Vec<bool>),
    /// Per leaf slot, whole ten-thousandths.
    pub(crate) points: Vec<i64>,
    /// Exempt subtrees as node ranges `[start, end)`, sorted and not overlapping.
    pub(crate) exempt: Vec<(u32, u32)>,
    /// (leaf slot, n, ratio).
    pub(crate) samples: Vec<(u32, u32, Option<Decimal>)>,
}

/// Why a unit's input cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    UnknownCode(String),
    /// Points were given for a field or criterion; only leaves are scored.
    NotALeaf(String),
    /// The same leaf was given points twice.
    Repeated(String),
    OutOfRange {
        code: String,
        points: Points,
        min: Points,
        max: Points,
    },
    /// More than four decimal places.
    TooPrecise {
        code: String,
        points: Points,
    },
    /// A sample size on a leaf that is not a survey item.
    NotSurvey(String),
    /// A sample of no respondents, or a ratio outside 0–1.
    BadSample(String),
}

impl InputProblem {
    /// A sentence naming the item.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (InputProblem::UnknownCode(c), Lang::Vi) => {
                format!("{c}: không có tiêu chí mã này trong bộ chỉ số.")
            }
            (InputProblem::UnknownCode(c), Lang::En) => {
                format!("{c}: no item with this code in the framework.")
            }
            (InputProblem::NotALeaf(c), Lang::Vi) => format!(
                "{c}: đây là lĩnh vực hoặc tiêu chí có tiêu chí con; chỉ chấm điểm tiêu chí thành phần."
            ),
            (InputProblem::NotALeaf(c), Lang::En) => {
                format!("{c}: this item has sub-items; only sub-criteria are scored.")
            }
            (InputProblem::Repeated(c), Lang::Vi) => format!("{c}: điểm được nhập hai lần."),
            (InputProblem::Repeated(c), Lang::En) => format!("{c}: points given twice."),
            (
                InputProblem::OutOfRange {
                    code,
                    points,
                    min,
                    max,
                },
                lang,
            ) => {
                let (p, lo, hi) = (points.display(lang), min.display(lang), max.display(lang));
                match lang {
                    Lang::Vi => format!("{code}: điểm {p} phải từ {lo} đến {hi}."),
                    Lang::En => format!("{code}: {p} points must be between {lo} and {hi}."),
                }
            }
            (InputProblem::TooPrecise { code, points }, Lang::Vi) => format!(
                "{code}: điểm {} có quá 4 chữ số thập phân.",
                points.display(lang)
            ),
            (InputProblem::TooPrecise { code, points }, Lang::En) => format!(
                "{code}: {} has more than 4 decimal places.",
                points.display(lang)
            ),
            (InputProblem::NotSurvey(c), Lang::Vi) => {
                format!("{c}: cỡ mẫu chỉ dùng cho tiêu chí điều tra xã hội học.")
            }
            (InputProblem::NotSurvey(c), Lang::En) => {
                format!("{c}: a sample size applies only to survey items.")
            }
            (InputProblem::BadSample(c), Lang::Vi) => {
                format!("{c}: cỡ mẫu phải lớn hơn 0 và tỷ lệ phải từ 0 đến 1.")
            }
            (InputProblem::BadSample(c), Lang::En) => {
                format!("{c}: the sample size must be above 0 and the ratio between 0 and 1.")
            }
        }
    }
}

/// Scaled ten-thousandths of a framework maximum (rounded if a framework was not validated).
fn scaled(p: Points) -> i64 {
    p.rounded().to_scaled().unwrap_or(0)
}

impl Layout {
    /// Flattens a framework.
    pub fn new(f: &Framework) -> Layout {
        let mut layout = Layout {
            nodes: Vec::new(),
            leaves: Vec::new(),
            branches: vec![BranchSlot { parent: NONE }],
            fields: Vec::new(),
            by_code: HashMap::new(),
            max: Points::ZERO,
        };
        for n in &f.fields {
            layout.push(n, 0, None);
        }
        // Branch maxima, children before parents.
        let nodes = &mut layout.nodes;
        for i in (0..nodes.len()).rev() {
            if let Some(p) = nodes[i].parent
                && nodes[i].kind.counted()
            {
                let m = nodes[i].max;
                nodes[p].max = nodes[p].max + m;
            }
        }
        layout.fields = (0..layout.nodes.len())
            .filter(|&i| layout.nodes[i].depth == 0)
            .collect();
        layout.max = layout
            .fields
            .iter()
            .map(|&i| &layout.nodes[i])
            .filter(|n| n.kind.counted())
            .map(|n| n.max)
            .sum();
        layout.by_code = layout
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.code.clone(), i))
            .collect();
        layout
    }

    /// Appends a node and its subtree in walk order.
    fn push(&mut self, n: &Node, depth: usize, parent: Option<usize>) {
        let i = self.nodes.len();
        let kind = NodeKind::of(n);
        let parent_slot = parent.map_or(0, |p| self.nodes[p].slot) as u32;
        let (max, min) = match (&n.rule, kind) {
            (_, NodeKind::Branch) => (Points::ZERO, Points::ZERO),
            (Some(Rule::Deduction { amount }), _) => (Points::ZERO, -*amount),
            _ => (n.max.unwrap_or(Points::ZERO), Points::ZERO),
        };
        let slot = if kind.is_leaf() {
            self.leaves.push(LeafSlot {
                node: i as u32,
                parent: parent_slot,
                max: scaled(max),
                min: scaled(min),
                counted: kind.counted(),
            });
            self.leaves.len() - 1
        } else {
            self.branches.push(BranchSlot {
                parent: parent_slot,
            });
            self.branches.len() - 1
        };
        self.nodes.push(LayoutNode {
            code: n.code.clone(),
            name: n.name.clone(),
            depth,
            parent,
            end: i + 1,
            kind,
            max,
            min,
            rule: if kind.is_leaf() { n.rule.clone() } else { None },
            slot,
        });
        for c in &n.children {
            self.push(c, depth + 1, Some(i));
        }
        self.nodes[i].end = self.nodes.len();
    }

    /// Every node in walk order; results refer to nodes by position here.
    pub fn nodes(&self) -> &[LayoutNode] {
        &self.nodes
    }

    /// The position of a node by code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Positions of the fields.
    pub fn fields(&self) -> &[usize] {
        &self.fields
    }

    /// Positions of the scored leaves, in order.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        self.leaves.iter().map(|l| l.node as usize)
    }

    /// The framework's full maximum (before exemptions).
    pub fn max(&self) -> Points {
        self.max
    }

    /// Resolves a unit's input: every problem at once, or scores ready to compute.
    pub fn prepare(&self, input: &UnitInput) -> Result<UnitScores, Vec<InputProblem>> {
        let mut problems = Vec::new();
        let mut points = vec![0i64; self.leaves.len()];
        let mut given = vec![false; self.leaves.len()];
        for (code, p) in &input.points {
            let Some(slot) = self.leaf_slot(code, &mut problems) else {
                continue;
            };
            if std::mem::replace(&mut given[slot], true) {
                problems.push(InputProblem::Repeated(code.clone()));
                continue;
            }
            match self.check_points(slot, *p) {
                Ok(v) => points[slot] = v,
                Err(e) => problems.push(e),
            }
        }
        let mut exempt = Vec::new();
        for code in &input.exempt {
            match self.position(code) {
                Some(i) => exempt.push((i as u32, self.nodes[i].end as u32)),
                None => problems.push(InputProblem::UnknownCode(code.clone())),
            }
        }
        exempt.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(exempt.len());
        for (s, e) in exempt {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let mut samples = Vec::new();
        for s in &input.samples {
            let Some(slot) = self.leaf_slot(&s.code, &mut problems) else {
                continue;
            };
            if self.nodes[self.leaves[slot].node as usize].kind != NodeKind::Survey {
                problems.push(InputProblem::NotSurvey(s.code.clone()));
            } else if s.n == 0
                || s.ratio
                    .is_some_and(|r| r < Decimal::ZERO || r > Decimal::ONE)
            {
                problems.push(InputProblem::BadSample(s.code.clone()));
            } else {
                samples.push((slot as u32, s.n, s.ratio));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(UnitScores {
            key: collation_key(&input.name),
            name: input.name.clone(),
            group: input.group.clone(),
            points,
            exempt: merged,
            samples,
        })
    }

    fn leaf_slot(&self, code: &str, problems: &mut Vec<InputProblem>) -> Option<usize> {
        match self.position(code) {
            None => {
                problems.push(InputProblem::UnknownCode(code.to_string()));
                None
            }
            Some(i) if !self.nodes[i].kind.is_leaf() => {
                problems.push(InputProblem::NotALeaf(code.to_string()));
                None
            }
            Some(i) => Some(self.nodes[i].slot),
        }
    }

    /// Scaled points for a leaf slot, checked against its range.
    pub(crate) fn check_points(&self, slot: usize, p: Points) -> Result<i64, InputProblem> {
        let leaf = self.leaves[slot];
        let node = &self.nodes[leaf.node as usize];
        let Some(v) = p.to_scaled() else {
            return Err(InputProblem::TooPrecise {
                code: node.code.clone(),
                points: p,
            });
        };
        if v < leaf.min || v > leaf.max {
            return Err(InputProblem::OutOfRange {
                code: node.code.clone(),
                points: p,
                min: node.min,
                max: node.max,
            });
        }
        Ok(v)
    }

    /// The leaf slot of a node position, if it is a leaf.
    pub(crate) fn slot_of_leaf(&self, node: usize) -> Option<usize> {
        let n = self.nodes.get(node)?;
        n.kind.is_leaf().then_some(n.slot)
    }

    /// Adds up one unit into `pts` and `max` (one entry per branch slot; slot 0 is the total).
    /// The hot loop: integers only, nothing allocated.
    pub(crate) fn evaluate(
        &self,
        points: &[i64],
        exempt: &[(u32, u32)],
        pts: &mut [i64],
        max: &mut [i64],
    ) {
        pts.fill(0);
        max.fill(0);
        let mut next = 0;
        for (leaf, &p) in self.leaves.iter().zip(points) {
            if next < exempt.len() {
                while next < exempt.len() && exempt[next].1 <= leaf.node {
                    next += 1;
                }
                if next < exempt.len() && exempt[next].0 <= leaf.node {
                    continue;
                }
            }
            let parent = leaf.parent as usize;
            pts[parent] += p;
            if leaf.counted {
                max[parent] += leaf.max;
            }
        }
        for b in (1..self.branches.len()).rev() {
            let v = pts[b].clamp(0, max[b].max(0));
            pts[b] = v;
            let parent = self.branches[b].parent as usize;
            pts[parent] += v;
            max[parent] += max[b];
        }
        pts[0] = pts[0].clamp(0, max[0].max(0));
    }
}

impl UnitScores {
    /// The unit's name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The unit's group, if any.
    pub fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// Whether the node at this position applies to the unit.
    pub fn applies(&self, node: usize) -> bool {
        let node = node as u32;
        !self.exempt.iter().any(|&(s, e)| s <= node && node < e)
    }

    /// The points given for a leaf (by leaf slot).
    pub(crate) fn leaf_points(&self, slot: usize) -> i64 {
        self.points[slot]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    pub fn good() -> Framework {
        from_yaml(include_str!("../../tests/golden/frameworks/good.yaml")).unwrap()
    }

    pub fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    pub fn input(name: &str, points: &[(&str, &str)], exempt: &[&str]) -> UnitInput {
        UnitInput {
            name: name.into(),
            points: points.iter().map(|(c, v)| (c.to_string(), p(v))).collect(),
            exempt: exempt.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_layout_knows_kinds_maxima_and_subtrees() {
        let l = Layout::new(&good());
        assert_eq!(l.max(), p("10"));
        let n = |c: &str| &l.nodes()[l.position(c).unwrap()];
        assert_eq!(n("1").max, p("4"), "bonus 1.3 does not count");
        assert_eq!(n("1.1").max, p("2"));
        assert_eq!(n("1.3").kind, NodeKind::Bonus);
        assert_eq!(
            (n("1.4").kind, n("1.4").min),
            (NodeKind::Deduction, p("-0.5"))
        );
        assert_eq!(n("2.3").kind, NodeKind::Survey);
        let one = l.position("1").unwrap();
        let two = l.position("2").unwrap();
        assert_eq!(n("1").end, two);
        assert_eq!(l.nodes()[one + 1].code, "1.1");
        assert_eq!(l.fields(), &[one, two]);
        assert_eq!(l.leaves().count(), 8);
    }

    #[test]
    fn every_input_problem_is_reported_at_once() {
        let l = Layout::new(&good());
        let mut i = input(
            "Sở Tư pháp",
            &[
                ("9.9", "1"),
                ("1.1", "1"),
                ("1.2", "2.5"),
                ("1.4", "-0.75"),
                ("2.1", "0.00001"),
                ("1.2", "1"),
            ],
            &["7"],
        );
        i.samples.push(SurveySample {
            code: "2.1".into(),
            n: 30,
            ratio: None,
        });
        i.samples.push(SurveySample {
            code: "2.3".into(),
            n: 0,
            ratio: None,
        });
        let msgs: Vec<String> = l
            .prepare(&i)
            .unwrap_err()
            .iter()
            .map(|e| e.message(Lang::Vi))
            .collect();
        assert_eq!(
            msgs,
            vec![
                "9.9: không có tiêu chí mã này trong bộ chỉ số.",
                "1.1: đây là lĩnh vực hoặc tiêu chí có tiêu chí con; chỉ chấm điểm tiêu chí thành phần.",
                "1.2: điểm 2,5 phải từ 0 đến 2.",
                "1.4: điểm -0,75 phải từ -0,5 đến 0.",
                "2.1: điểm 0,00001 có quá 4 chữ số thập phân.",
                "1.2: điểm được nhập hai lần.",
                "7: không có tiêu chí mã này trong bộ chỉ số.",
                "2.1: cỡ mẫu chỉ dùng cho tiêu chí điều tra xã hội học.",
                "2.3: cỡ mẫu phải lớn hơn 0 và tỷ lệ phải từ 0 đến 1.",
            ]
        );
    }

    #[test]
    fn nested_exemptions_merge() {
        let l = Layout::new(&good());
        let s = l.prepare(&input("A", &[], &["2.2", "2", "1.2"])).unwrap();
        assert_eq!(s.exempt.len(), 2);
        assert!(!s.applies(l.position("2.3").unwrap()));
        assert!(!s.applies(l.position("1.2").unwrap()));
        assert!(s.applies(l.position("1.1.1").unwrap()));
    }
}
