//! The framework tree as data. Its serde form is the documented YAML format
//! (`docs/framework-format.md`); unknown keys are refused, never skipped.

use super::points::Points;
use crate::units::UnitType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Unit attributes a node's applicability may depend on, with their Vietnamese meaning.
pub const UNIT_ATTRIBUTES: [(&str, &str); 4] = [
    ("has_procedures", "Đơn vị có giải quyết thủ tục hành chính"),
    ("has_one_stop_shop", "Đơn vị có Bộ phận Một cửa"),
    (
        "has_public_service_units",
        "Đơn vị có đơn vị sự nghiệp công lập trực thuộc",
    ),
    (
        "has_state_enterprises",
        "Đơn vị quản lý doanh nghiệp nhà nước",
    ),
];

/// A criteria framework for one unit type and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable identifier across years and versions, e.g. `par-province`.
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub unit_type: UnitType,
    pub year: i32,
    #[serde(default = "first_version")]
    pub version: u32,
    /// The decision it comes from, e.g. `876/QĐ-BNV ngày 10/11/2022`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Where the content comes from and what is known or assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The whole framework is an illustration (demo data), not an official text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// The declared total; the fields' maxima must add up to it.
    pub max: Points,
    pub fields: Vec<Node>,
}

fn first_version() -> u32 {
    1
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A field, criterion or sub-criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Dotted code as printed in the decision: `2`, `2.1`, `2.1.3`.
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Maximum points; absent only on deduction items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Points>,
    /// What the sub-criterion asks and how it is scored, as shown to the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// The evidence (tài liệu kiểm chứng) expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The maximum or content is not known from the source and was set for illustration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// On a field: the code of the department that leads it by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_unit: Option<String>,
    /// The part of `max` that comes from surveys; survey leaves below must add up to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_max: Option<Points>,
    /// A unit may declare the node not applicable, with a reason.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_not_applicable: bool,
    /// The node does not apply to units whose attributes match all of these.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_applicable_when: BTreeMap<String, bool>,
    /// The node's code in the previous year's framework, when it was renumbered (the crosswalk).
    /// Absent means the same code, if that code existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_code: Option<String>,
    /// Figures chiso keeps itself that fill this leaf's declared figures (numerator and
    /// denominator), offered to the unit with a link to the records behind them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_records: Option<Records>,
    /// How a leaf is scored; branches have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// Records chiso keeps that measure a sub-criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Records {
    /// Tasks of the year's issued plans led by the unit: done ÷ all.
    PlanCompletion,
    /// The year's periodic reports due from the unit: sent on time ÷ due.
    ReportsOnTime,
    /// The year's inspections: units inspected ÷ departments and communes (the province's
    /// coverage).
    InspectionCoverage,
    /// Findings of the year's inspections (of the unit; all of them for the province): closed
    /// ÷ found.
    FindingsHandled,
}

impl Records {
    pub const ALL: [Records; 4] = [
        Records::PlanCompletion,
        Records::ReportsOnTime,
        Records::InspectionCoverage,
        Records::FindingsHandled,
    ];

    /// The code in framework files.
    pub fn code(self) -> &'static str {
        match self {
            Records::PlanCompletion => "plan_completion",
            Records::ReportsOnTime => "reports_on_time",
            Records::InspectionCoverage => "inspection_coverage",
            Records::FindingsHandled => "findings_handled",
        }
    }

    pub fn from_code(code: &str) -> Option<Records> {
        Records::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// How a sub-criterion turns what a unit declares into points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Any value from 0 to max in steps.
    Manual { step: Points },
    /// Met → max, else 0.
    Boolean,
    /// One of a fixed list of outcomes, each with its points.
    Levels { levels: Vec<Level> },
    /// Points by the band a declared percentage falls in.
    Bands {
        numerator: String,
        denominator: String,
        bands: Vec<Band>,
    },
    /// max × numerator ÷ denominator.
    Proportional {
        numerator: String,
        denominator: String,
    },
    /// A requirement: failing it subtracts `amount` from the parent's points.
    Deduction { amount: Points },
    /// Extra points up to max, on top of the parent's maximum.
    Bonus { step: Points },
    /// Points from survey results, not self-scored.
    Survey {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        measure: Option<String>,
    },
}

impl Rule {
    /// The rule's name in YAML and messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Manual { .. } => "manual",
            Rule::Boolean => "boolean",
            Rule::Levels { .. } => "levels",
            Rule::Bands { .. } => "bands",
            Rule::Proportional { .. } => "proportional",
            Rule::Deduction { .. } => "deduction",
            Rule::Bonus { .. } => "bonus",
            Rule::Survey { .. } => "survey",
        }
    }

    /// The interface label.
    pub fn label(&self, lang: crate::lang::Lang) -> &'static str {
        let (vi, en) = match self {
            Rule::Manual { .. } => ("Chấm điểm trực tiếp", "Direct score"),
            Rule::Boolean => ("Đạt / không đạt", "Met / not met"),
            Rule::Levels { .. } => ("Theo mức", "Levels"),
            Rule::Bands { .. } => ("Theo khoảng tỷ lệ", "Percentage bands"),
            Rule::Proportional { .. } => ("Tỷ lệ thuận", "Proportional"),
            Rule::Deduction { .. } => ("Điểm trừ", "Deduction"),
            Rule::Bonus { .. } => ("Điểm thưởng", "Bonus"),
            Rule::Survey { .. } => ("Điều tra XHH", "Survey"),
        };
        match lang {
            crate::lang::Lang::Vi => vi,
            crate::lang::Lang::En => en,
        }
    }

    /// Whether the node's max counts toward its parent's (bonus and deduction items do not).
    pub fn counts_toward_max(&self) -> bool {
        !matches!(self, Rule::Bonus { .. } | Rule::Deduction { .. })
    }
}

/// One outcome of a levels rule: "Ban hành đúng hạn" → 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub label: String,
    pub points: Points,
}

/// One band of a bands rule, over a percentage from 0 to 100: `from` ≤ x < `to`
/// (the last band includes `to`). `exclusive_from` makes the lower bound strict
/// ("trên 90%"), and then the band below includes that bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from: Points,
    pub to: Points,
    pub points: Points,
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_from: bool,
}

impl Node {
    /// Whether the node has no children (is scored itself).
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// The scored leaves under this node (itself if it is one), in order.
    pub fn leaves(&self) -> Vec<&Node> {
        if self.is_leaf() {
            vec![self]
        } else {
            self.children.iter().flat_map(Node::leaves).collect()
        }
    }

    /// The max as it counts toward the parent: zero for bonus and deduction items.
    pub fn counted_max(&self) -> Points {
        match &self.rule {
            Some(r) if !r.counts_toward_max() => Points::ZERO,
            _ => self.max.unwrap_or(Points::ZERO),
        }
    }

    /// Whether the node applies to a unit with these attributes (missing attributes count
    /// as not matching, so the node applies).
    pub fn applies_to(&self, attributes: &BTreeMap<String, bool>) -> bool {
        self.not_applicable_when.is_empty()
            || !self
                .not_applicable_when
                .iter()
                .all(|(k, v)| attributes.get(k) == Some(v))
    }
}

/// A node with its position in the tree.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub node: &'a Node,
    pub depth: usize,
    pub parent: Option<&'a Node>,
}

impl Framework {
    /// Every node, depth first, parents before children.
    pub fn walk(&self) -> Vec<Located<'_>> {
        fn go<'a>(
            nodes: &'a [Node],
            depth: usize,
            parent: Option<&'a Node>,
            out: &mut Vec<Located<'a>>,
        ) {
            for n in nodes {
                out.push(Located {
                    node: n,
                    depth,
                    parent,
                });
                go(&n.children, depth + 1, Some(n), out);
            }
        }
        let mut out = Vec::new();
        go(&self.fields, 0, None, &mut out);
        out
    }

    /// The scored leaves.
    pub fn leaves(&self) -> Vec<&Node> {
        self.walk()
            .into_iter()
            .filter(|l| l.node.is_leaf())
            .map(|l| l.node)
            .collect()
    }

    /// Finds a node by code.
    pub fn node(&self, code: &str) -> Option<&Node> {
        self.walk()
            .into_iter()
            .map(|l| l.node)
            .find(|n| n.code == code)
    }

    /// The sum of the fields' counted maxima.
    pub fn fields_total(&self) -> Points {
        self.fields.iter().map(Node::counted_max).sum()
    }

    /// Numbers of fields, criteria (second level) and scored leaves.
    pub fn shape(&self) -> (usize, usize, usize) {
        let walk = self.walk();
        (
            self.fields.len(),
            walk.iter().filter(|l| l.depth == 1).count(),
            walk.iter().filter(|l| l.node.is_leaf()).count(),
        )
    }
}
