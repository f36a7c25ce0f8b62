//! What a unit enters for one sub-criterion, and the self score that follows from its rule.

use crate::framework::model::{Node, Rule};
use crate::framework::points::Points;
use crate::framework::rules::{ScoreError, ScoreInput, score};
use crate::lang::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A unit's entry for one sub-criterion. Which parts matter depends on the rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SelfEntry {
    /// Declared figures, e.g. 412 of 430 dossiers on time (bands, proportional).
    pub numerator: Option<Decimal>,
    pub denominator: Option<Decimal>,
    /// The chosen level (levels).
    pub level: Option<usize>,
    /// Met or not (boolean, deduction).
    pub met: Option<bool>,
    /// A typed score (manual, bonus).
    pub points: Option<Points>,
    /// Declared not applicable, with the reason (only where the node allows it).
    pub not_applicable: Option<String>,
    /// The unit's explanation (required where points are claimed without evidence).
    pub explanation: String,
}

/// Why an entry cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryProblem {
    /// The node may not be declared not applicable.
    NotApplicableNotAllowed,
    /// Not applicable needs a reason.
    ReasonMissing,
    /// The rule refused the input.
    Score(ScoreError),
}

impl EntryProblem {
    /// What to tell the focal point.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (EntryProblem::NotApplicableNotAllowed, Lang::Vi) => {
                "Tiêu chí này không được khai báo \"không áp dụng\".".into()
            }
            (EntryProblem::NotApplicableNotAllowed, Lang::En) => {
                "This item cannot be declared not applicable.".into()
            }
            (EntryProblem::ReasonMissing, Lang::Vi) => "Cần ghi lý do không áp dụng.".into(),
            (EntryProblem::ReasonMissing, Lang::En) => "Give the reason it does not apply.".into(),
            (EntryProblem::Score(e), lang) => e.message(lang),
        }
    }
}

/// The self score of a leaf for an entry: `Ok(None)` while nothing scoreable was entered or
/// when the item is declared not applicable; survey items are never self-scored.
pub fn self_score(node: &Node, entry: &SelfEntry) -> Result<Option<Points>, EntryProblem> {
    if let Some(reason) = &entry.not_applicable {
        if !node.allow_not_applicable {
            return Err(EntryProblem::NotApplicableNotAllowed);
        }
        if reason.trim().is_empty() {
            return Err(EntryProblem::ReasonMissing);
        }
        return Ok(None);
    }
    let Some(rule) = &node.rule else {
        return Ok(None);
    };
    let max = node.max.unwrap_or(Points::ZERO);
    let input = match rule {
        Rule::Manual { .. } | Rule::Bonus { .. } => entry.points.map(ScoreInput::Points),
        Rule::Boolean | Rule::Deduction { .. } => entry.met.map(ScoreInput::Met),
        Rule::Levels { .. } => entry.level.map(ScoreInput::Level),
        Rule::Bands { .. } | Rule::Proportional { .. } => {
            match (entry.numerator, entry.denominator) {
                (Some(numerator), Some(denominator)) => Some(ScoreInput::Figures {
                    numerator,
                    denominator,
                }),
                _ => None,
            }
        }
        Rule::Survey { .. } => None,
    };
    match input {
        None => Ok(None),
        Some(i) => score(rule, max, &i).map(Some).map_err(EntryProblem::Score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    fn good() -> crate::framework::Framework {
        from_yaml(include_str!("../../tests/golden/frameworks/good.yaml")).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn figures_become_points_by_the_rule() {
        let f = good();
        let bands = f.node("1.1.2").unwrap();
        let e = SelfEntry {
            numerator: Some(d("19")),
            denominator: Some(d("20")),
            ..Default::default()
        };
        assert_eq!(self_score(bands, &e), Ok(Points::parse("1")));
        let e = SelfEntry {
            numerator: Some(d("19")),
            ..Default::default()
        };
        assert_eq!(
            self_score(bands, &e),
            Ok(None),
            "half-entered figures score nothing yet"
        );
        let prop = f.node("2.1").unwrap();
        let e = SelfEntry {
            numerator: Some(d("412")),
            denominator: Some(d("430")),
            ..Default::default()
        };
        assert_eq!(self_score(prop, &e), Ok(Points::parse("1.9163")));
        let levels = f.node("1.1.1").unwrap();
        assert_eq!(
            self_score(
                levels,
                &SelfEntry {
                    level: Some(1),
                    ..Default::default()
                }
            ),
            Ok(Points::parse("0.5"))
        );
        let survey = f.node("2.3").unwrap();
        assert_eq!(
            self_score(
                survey,
                &SelfEntry {
                    points: Points::parse("2"),
                    ..Default::default()
                }
            ),
            Ok(None)
        );
    }

    #[test]
    fn not_applicable_only_where_allowed_and_with_a_reason() {
        let f = good();
        let allowed = f.node("2.2").unwrap();
        let e = SelfEntry {
            not_applicable: Some("Đơn vị không có TTHC".into()),
            ..Default::default()
        };
        assert_eq!(self_score(allowed, &e), Ok(None));
        let e = SelfEntry {
            not_applicable: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(self_score(allowed, &e), Err(EntryProblem::ReasonMissing));
        let e = SelfEntry {
            not_applicable: Some("lý do".into()),
            ..Default::default()
        };
        assert_eq!(
            self_score(f.node("1.2").unwrap(), &e),
            Err(EntryProblem::NotApplicableNotAllowed)
        );
        let e = SelfEntry {
            points: Points::parse("1.3"),
            ..Default::default()
        };
        assert_eq!(
            self_score(f.node("1.2").unwrap(), &e)
                .unwrap_err()
                .message(Lang::Vi),
            "Điểm chấm theo bước 0,25."
        );
    }
}
