//! The phases of a round. The administrator moves the round forward one phase at a time, or
//! back one phase to reopen it (with a reason, logged by the caller).

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Where a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Created; units and assignments are being set up.
    Preparing,
    /// Units declare figures, self-score, attach evidence; leaders approve and submit.
    SelfAssessment,
    /// The council appraises submitted self-assessments (round 1).
    Appraisal1,
    /// Units explain or add evidence where asked.
    Explanation,
    /// The council settles the scores (round 2).
    Appraisal2,
    /// Scores are final; results can be computed and published.
    Closed,
}

/// A phase change the rules refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseChangeRefused {
    pub from: Phase,
    pub to: Phase,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 6] = [
        Phase::Preparing,
        Phase::SelfAssessment,
        Phase::Appraisal1,
        Phase::Explanation,
        Phase::Appraisal2,
        Phase::Closed,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Preparing => "preparing",
            Phase::SelfAssessment => "self_assessment",
            Phase::Appraisal1 => "appraisal_1",
            Phase::Explanation => "explanation",
            Phase::Appraisal2 => "appraisal_2",
            Phase::Closed => "closed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The interface label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phase::Preparing, Lang::Vi) => "Chuẩn bị",
            (Phase::SelfAssessment, Lang::Vi) => "Tự đánh giá, chấm điểm",
            (Phase::Appraisal1, Lang::Vi) => "Thẩm định lần 1",
            (Phase::Explanation, Lang::Vi) => "Giải trình, bổ sung",
            (Phase::Appraisal2, Lang::Vi) => "Thẩm định lần 2 (phúc tra)",
            (Phase::Closed, Lang::Vi) => "Đã chốt kết quả",
            (Phase::Preparing, Lang::En) => "Preparing",
            (Phase::SelfAssessment, Lang::En) => "Self-assessment",
            (Phase::Appraisal1, Lang::En) => "Appraisal, round 1",
            (Phase::Explanation, Lang::En) => "Explanation",
            (Phase::Appraisal2, Lang::En) => "Appraisal, round 2",
            (Phase::Closed, Lang::En) => "Closed",
        }
    }

    fn index(self) -> usize {
        Phase::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The phase after this one.
    pub fn next(self) -> Option<Phase> {
        Phase::ALL.get(self.index() + 1).copied()
    }

    /// The phase before this one.
    pub fn previous(self) -> Option<Phase> {
        self.index().checked_sub(1).map(|i| Phase::ALL[i])
    }

    /// Forward one phase, or back one to reopen; nothing else.
    pub fn change_to(self, to: Phase) -> Result<Phase, PhaseChangeRefused> {
        if Some(to) == self.next() || Some(to) == self.previous() {
            Ok(to)
        } else {
            Err(PhaseChangeRefused { from: self, to })
        }
    }

    /// Whether units may edit their self-assessment in this phase.
    pub fn allows_self_assessment(self) -> bool {
        self == Phase::SelfAssessment
    }

    /// Whether appraisers may score in this phase.
    pub fn allows_appraisal(self) -> bool {
        matches!(self, Phase::Appraisal1 | Phase::Appraisal2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounds_move_one_phase_at_a_time() {
        assert_eq!(
            Phase::Preparing.change_to(Phase::SelfAssessment),
            Ok(Phase::SelfAssessment)
        );
        assert_eq!(
            Phase::Appraisal1.change_to(Phase::SelfAssessment),
            Ok(Phase::SelfAssessment)
        );
        assert_eq!(
            Phase::SelfAssessment.change_to(Phase::Explanation),
            Err(PhaseChangeRefused {
                from: Phase::SelfAssessment,
                to: Phase::Explanation
            })
        );
        assert!(Phase::Closed.change_to(Phase::Closed).is_err());
        assert_eq!(Phase::Closed.next(), None);
        assert_eq!(Phase::Preparing.previous(), None);
        for p in Phase::ALL {
            assert_eq!(Phase::from_code(p.code()), Some(p));
        }
    }

    proptest! {
        #[test]
        fn any_accepted_change_is_one_step(a in 0usize..6, b in 0usize..6) {
            let (from, to) = (Phase::ALL[a], Phase::ALL[b]);
            if from.change_to(to).is_ok() {
                prop_assert_eq!(a.abs_diff(b), 1);
            } else {
                prop_assert_ne!(a.abs_diff(b), 1);
            }
        }
    }
}
