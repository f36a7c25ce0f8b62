//! The council's appraisal of one sub-criterion: keep the unit's score or change it (a reason is
//! then required), possibly by correcting the declared figures, and possibly ask the unit to
//! explain or add evidence. Round 2 starts from round 1's result; the final score is the last
//! appraised value, or the self score where nobody changed it.

use super::entry::{EntryProblem, SelfEntry, self_score};
use super::ledger::EventKind;
use crate::framework::model::{Node, Rule};
use crate::framework::points::Points;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Which appraisal round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    One,
    Two,
}

impl Stage {
    /// The number stored in the database.
    pub fn number(self) -> i64 {
        match self {
            Stage::One => 1,
            Stage::Two => 2,
        }
    }

    /// Parses a stored number.
    pub fn from_number(n: i64) -> Option<Stage> {
        match n {
            1 => Some(Stage::One),
            2 => Some(Stage::Two),
            _ => None,
        }
    }

    /// The ledger event an appraisal in this round records.
    pub fn event(self) -> EventKind {
        match self {
            Stage::One => EventKind::Appraisal1,
            Stage::Two => EventKind::Appraisal2,
        }
    }
}

/// What the appraiser asks of the unit, answered in the explanation phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// Explain the score or the figures.
    Explanation,
    /// Add the missing documents.
    Evidence,
}

impl Ask {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Ask::Explanation => "explanation",
            Ask::Evidence => "evidence",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Ask> {
        [Ask::Explanation, Ask::Evidence]
            .into_iter()
            .find(|a| a.code() == code)
    }

    /// The interface label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Ask::Explanation, Lang::Vi) => "Đề nghị giải trình",
            (Ask::Evidence, Lang::Vi) => "Đề nghị bổ sung tài liệu kiểm chứng",
            (Ask::Explanation, Lang::En) => "Explanation requested",
            (Ask::Evidence, Lang::En) => "More evidence requested",
        }
    }
}

/// What the appraiser decided for one item, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppraisalInput {
    /// Corrected declared figures (the score then follows from the rule).
    pub corrected: Option<SelfEntry>,
    /// A typed score; ignored when figures are corrected. `None` keeps the baseline.
    pub points: Option<Points>,
    /// Why the score changed, or what the unit is asked.
    pub reason: String,
    pub ask: Option<Ask>,
}

/// Why an appraisal is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppraisalProblem {
    /// The score differs from the baseline and no reason was given.
    ReasonRequired,
    /// A question to the unit needs its text.
    QuestionRequired,
    /// The typed score lies outside what the item allows.
    OutOfRange { min: Points, max: Points },
    /// Survey items are scored from the survey, not by appraisers.
    SurveyItem,
    /// The corrected figures cannot be scored.
    Figures(EntryProblem),
}

impl AppraisalProblem {
    /// What to tell the appraiser.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AppraisalProblem::ReasonRequired, Lang::Vi) => {
                "Điểm thẩm định khác điểm trước đó: cần ghi lý do.".into()
            }
            (AppraisalProblem::ReasonRequired, Lang::En) => {
                "The appraised score differs from the previous one: give the reason.".into()
            }
            (AppraisalProblem::QuestionRequired, Lang::Vi) => {
                "Ghi rõ nội dung đề nghị đơn vị giải trình hoặc bổ sung.".into()
            }
            (AppraisalProblem::QuestionRequired, Lang::En) => {
                "Say what the unit is asked to explain or add.".into()
            }
            (AppraisalProblem::OutOfRange { min, max }, lang) => match lang {
                Lang::Vi => format!(
                    "Điểm phải nằm trong khoảng {} đến {}.",
                    min.display(lang),
                    max.display(lang)
                ),
                Lang::En => format!(
                    "The score must lie between {} and {}.",
                    min.display(lang),
                    max.display(lang)
                ),
            },
            (AppraisalProblem::SurveyItem, Lang::Vi) => {
                "Tiêu chí điều tra xã hội học được tính từ kết quả điều tra.".into()
            }
            (AppraisalProblem::SurveyItem, Lang::En) => {
                "Survey items are scored from the survey results.".into()
            }
            (AppraisalProblem::Figures(p), lang) => p.message(lang),
        }
    }
}

/// The lowest and highest score an item can take.
pub fn range(node: &Node) -> (Points, Points) {
    match &node.rule {
        Some(Rule::Deduction { amount }) => (-*amount, Points::ZERO),
        _ => (Points::ZERO, node.max.unwrap_or(Points::ZERO)),
    }
}

/// The appraised score of an item, from the baseline (the self score in round 1, round 1's
/// result in round 2) and the appraiser's input.
pub fn appraise(
    node: &Node,
    baseline: Option<Points>,
    input: &AppraisalInput,
) -> Result<Option<Points>, AppraisalProblem> {
    if matches!(node.rule, Some(Rule::Survey { .. })) {
        return Err(AppraisalProblem::SurveyItem);
    }
    let points = if let Some(figures) = &input.corrected {
        self_score(node, figures).map_err(AppraisalProblem::Figures)?
    } else if let Some(p) = input.points {
        let (min, max) = range(node);
        if p < min || p > max || !p.fits_scale() {
            return Err(AppraisalProblem::OutOfRange { min, max });
        }
        Some(p)
    } else {
        baseline
    };
    let unexplained = input.reason.trim().is_empty();
    if points != baseline && unexplained {
        return Err(AppraisalProblem::ReasonRequired);
    }
    if input.ask.is_some() && unexplained {
        return Err(AppraisalProblem::QuestionRequired);
    }
    Ok(points)
}

/// The score that stands for an item: the last appraisal that exists, else the self score.
pub fn standing(
    self_points: Option<Points>,
    round1: Option<Option<Points>>,
    round2: Option<Option<Points>>,
) -> Option<Points> {
    round2.or(round1).unwrap_or(self_points)
}

/// Whether a claimed score lacks the support it needs: points claimed with no document and no
/// explanation (DOMAIN: "a point claimed without evidence requires an explanation").
pub fn unsupported(points: Option<Points>, documents: usize, explanation: &str) -> bool {
    points.is_some_and(Points::is_positive) && documents == 0 && explanation.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;
    use proptest::prelude::*;

    fn good() -> crate::framework::Framework {
        from_yaml(include_str!("../../tests/golden/frameworks/good.yaml")).unwrap()
    }

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    #[test]
    fn keeping_needs_no_reason_changing_does() {
        let f = good();
        let n = f.node("1.2").unwrap();
        let keep = AppraisalInput::default();
        assert_eq!(appraise(n, Some(p("1")), &keep), Ok(Some(p("1"))));
        let change = AppraisalInput {
            points: Some(p("0.5")),
            ..Default::default()
        };
        assert_eq!(
            appraise(n, Some(p("1")), &change),
            Err(AppraisalProblem::ReasonRequired)
        );
        let change = AppraisalInput {
            points: Some(p("0.5")),
            reason: "Văn bản ban hành chậm so với kế hoạch".into(),
            ..Default::default()
        };
        assert_eq!(appraise(n, Some(p("1")), &change), Ok(Some(p("0.5"))));
        // The same value typed again is a keep.
        let same = AppraisalInput {
            points: Some(p("1")),
            ..Default::default()
        };
        assert_eq!(appraise(n, Some(p("1")), &same), Ok(Some(p("1"))));
    }

    #[test]
    fn corrected_figures_are_scored_by_the_rule() {
        let f = good();
        let n = f.node("2.1").unwrap();
        let corrected = SelfEntry {
            numerator: Some("400".parse().unwrap()),
            denominator: Some("430".parse().unwrap()),
            ..Default::default()
        };
        let input = AppraisalInput {
            corrected: Some(corrected),
            reason: "Số hồ sơ đúng hạn theo Cổng DVC là 400".into(),
            ..Default::default()
        };
        let got = appraise(n, Some(p("1.9163")), &input).unwrap().unwrap();
        assert!(got < p("1.9163"));
    }

    #[test]
    fn out_of_range_questions_and_surveys() {
        let f = good();
        let n = f.node("1.2").unwrap();
        let (min, max) = range(n);
        let too_high = AppraisalInput {
            points: Some(max + p("1")),
            reason: "x".into(),
            ..Default::default()
        };
        assert_eq!(
            appraise(n, None, &too_high),
            Err(AppraisalProblem::OutOfRange { min, max })
        );
        let ask = AppraisalInput {
            ask: Some(Ask::Evidence),
            ..Default::default()
        };
        assert_eq!(
            appraise(n, Some(p("1")), &ask),
            Err(AppraisalProblem::QuestionRequired)
        );
        assert_eq!(
            appraise(f.node("2.3").unwrap(), None, &AppraisalInput::default()),
            Err(AppraisalProblem::SurveyItem)
        );
        assert_eq!(
            AppraisalProblem::ReasonRequired.message(Lang::Vi),
            "Điểm thẩm định khác điểm trước đó: cần ghi lý do."
        );
    }

    #[test]
    fn the_last_appraisal_stands() {
        assert_eq!(standing(Some(p("2")), None, None), Some(p("2")));
        assert_eq!(
            standing(Some(p("2")), Some(Some(p("1"))), None),
            Some(p("1"))
        );
        assert_eq!(
            standing(Some(p("2")), Some(Some(p("1"))), Some(Some(p("1.5")))),
            Some(p("1.5"))
        );
        // An appraisal that removed the score stands too.
        assert_eq!(standing(Some(p("2")), Some(None), None), None);
    }

    #[test]
    fn claims_without_documents_need_an_explanation() {
        assert!(unsupported(Some(p("1")), 0, " "));
        assert!(!unsupported(Some(p("1")), 1, ""));
        assert!(!unsupported(Some(p("1")), 0, "Đã đăng trên Cổng TTĐT"));
        assert!(!unsupported(Some(Points::ZERO), 0, ""));
        assert!(!unsupported(None, 0, ""));
    }

    proptest! {
        #[test]
        fn an_appraised_score_is_within_range_and_a_change_always_has_a_reason(
            baseline in proptest::option::of(0i64..=20_000),
            typed in proptest::option::of(-30_000i64..=30_000),
            reason in "[a-z ]{0,3}",
        ) {
            let f = good();
            let n = f.node("1.2").unwrap();
            let (min, max) = range(n);
            let baseline = baseline.map(Points::from_scaled).filter(|b| *b <= max);
            let input = AppraisalInput {
                points: typed.map(Points::from_scaled),
                reason: reason.clone(),
                ..Default::default()
            };
            if let Ok(got) = appraise(n, baseline, &input) {
                if let Some(g) = got {
                    prop_assert!(g >= min && g <= max);
                }
                if got != baseline {
                    prop_assert!(!reason.trim().is_empty());
                }
            }
        }
    }
}
