//! One unit's progress through a round, and what each step requires of the round's phase.
//! Roles are checked by `policy`; this module checks the order of things.

use super::phase::Phase;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Where one unit stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    /// Focal points are entering figures, scores and evidence.
    Drafting,
    /// The leader approved and submitted; the unit can no longer edit.
    Submitted,
    /// Round-1 appraisal concluded; some items may await explanation.
    Appraised1,
    /// The unit sent its explanations and added evidence.
    Explained,
    /// Round 2 settled every score.
    Final,
}

/// A step in a unit's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The leader approves and submits the self-assessment.
    Submit,
    /// The leader takes a submission back to edit it, before appraisal starts.
    Withdraw,
    /// The council concludes round 1 for the unit.
    ConcludeAppraisal1,
    /// The unit sends its explanations.
    SendExplanation,
    /// The council settles the unit's scores in round 2.
    ConcludeAppraisal2,
    /// The administrator reopens the self-assessment for this unit (logged with a reason).
    Reopen,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// The round is in another phase.
    WrongPhase { needed: Phase },
    /// The unit is not at the state the step starts from.
    WrongState,
    /// The phase's window has closed for this unit.
    Closed,
}

impl StepRefused {
    /// What to tell the person.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (StepRefused::WrongPhase { needed }, Lang::Vi) => {
                format!(
                    "Chỉ thực hiện được trong giai đoạn \"{}\".",
                    needed.label(lang)
                )
            }
            (StepRefused::WrongPhase { needed }, Lang::En) => {
                format!("Only possible during \"{}\".", needed.label(lang))
            }
            (StepRefused::WrongState, Lang::Vi) => {
                "Trạng thái hiện tại của đơn vị không cho phép thao tác này.".into()
            }
            (StepRefused::WrongState, Lang::En) => {
                "The unit's current state does not allow this.".into()
            }
            (StepRefused::Closed, Lang::Vi) => {
                "Đã hết hạn; liên hệ Sở Nội vụ nếu cần gia hạn cho đơn vị.".into()
            }
            (StepRefused::Closed, Lang::En) => {
                "The deadline has passed; ask the Department of Home Affairs for an extension."
                    .into()
            }
        }
    }
}

impl UnitState {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitState::Drafting => "drafting",
            UnitState::Submitted => "submitted",
            UnitState::Appraised1 => "appraised_1",
            UnitState::Explained => "explained",
            UnitState::Final => "final",
        }
    }

    /// The interface label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UnitState::Drafting, Lang::Vi) => "Đang tự đánh giá",
            (UnitState::Submitted, Lang::Vi) => "Đã gửi",
            (UnitState::Appraised1, Lang::Vi) => "Đã thẩm định lần 1",
            (UnitState::Explained, Lang::Vi) => "Đã giải trình",
            (UnitState::Final, Lang::Vi) => "Đã chốt điểm",
            (UnitState::Drafting, Lang::En) => "Self-assessing",
            (UnitState::Submitted, Lang::En) => "Submitted",
            (UnitState::Appraised1, Lang::En) => "Appraised (round 1)",
            (UnitState::Explained, Lang::En) => "Explained",
            (UnitState::Final, Lang::En) => "Final",
        }
    }

    /// Applies a step, given the round's phase and whether the phase's window is open for the
    /// unit (its due date, or its extension, not passed).
    pub fn apply(
        self,
        step: Step,
        phase: Phase,
        window_open: bool,
    ) -> Result<UnitState, StepRefused> {
        use Step::*;
        use UnitState::*;
        let (needed, from, to): (Phase, &[UnitState], UnitState) = match step {
            Submit => (Phase::SelfAssessment, &[Drafting], Submitted),
            Withdraw => (Phase::SelfAssessment, &[Submitted], Drafting),
            ConcludeAppraisal1 => (Phase::Appraisal1, &[Submitted], Appraised1),
            SendExplanation => (Phase::Explanation, &[Appraised1], Explained),
            ConcludeAppraisal2 => (Phase::Appraisal2, &[Appraised1, Explained], Final),
            Reopen => (Phase::SelfAssessment, &[Submitted, Drafting], Drafting),
        };
        if phase != needed {
            return Err(StepRefused::WrongPhase { needed });
        }
        if !from.contains(&self) {
            return Err(StepRefused::WrongState);
        }
        // Units' own steps keep to the deadline; the council's and the administrator's do not.
        if matches!(step, Submit | SendExplanation) && !window_open {
            return Err(StepRefused::Closed);
        }
        Ok(to)
    }

    /// Whether the unit's focal points may edit their self-assessment.
    pub fn may_edit_self_assessment(self, phase: Phase, window_open: bool) -> bool {
        self == UnitState::Drafting && phase.allows_self_assessment() && window_open
    }

    /// Whether appraisers may score the unit now.
    pub fn may_appraise(self, phase: Phase) -> bool {
        match phase {
            Phase::Appraisal1 => self == UnitState::Submitted,
            Phase::Appraisal2 => matches!(self, UnitState::Appraised1 | UnitState::Explained),
            _ => false,
        }
    }

    /// Whether the unit may answer the appraisal (explanations, more evidence).
    pub fn may_explain(self, phase: Phase, window_open: bool) -> bool {
        self == UnitState::Appraised1 && phase == Phase::Explanation && window_open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_of_seed_001() {
        let s = UnitState::Drafting;
        let s = s.apply(Step::Submit, Phase::SelfAssessment, true).unwrap();
        let s = s
            .apply(Step::Withdraw, Phase::SelfAssessment, true)
            .unwrap();
        assert!(s.may_edit_self_assessment(Phase::SelfAssessment, true));
        let s = s.apply(Step::Submit, Phase::SelfAssessment, true).unwrap();
        assert!(!s.may_edit_self_assessment(Phase::SelfAssessment, true));
        assert!(s.may_appraise(Phase::Appraisal1));
        let s = s
            .apply(Step::ConcludeAppraisal1, Phase::Appraisal1, false)
            .unwrap();
        assert!(s.may_explain(Phase::Explanation, true));
        let s = s
            .apply(Step::SendExplanation, Phase::Explanation, true)
            .unwrap();
        assert!(s.may_appraise(Phase::Appraisal2));
        let s = s
            .apply(Step::ConcludeAppraisal2, Phase::Appraisal2, false)
            .unwrap();
        assert_eq!(s, UnitState::Final);
    }

    #[test]
    fn steps_out_of_order_or_late_are_refused() {
        assert_eq!(
            UnitState::Drafting.apply(Step::Submit, Phase::Appraisal1, true),
            Err(StepRefused::WrongPhase {
                needed: Phase::SelfAssessment
            })
        );
        assert_eq!(
            UnitState::Drafting.apply(Step::Submit, Phase::SelfAssessment, false),
            Err(StepRefused::Closed)
        );
        // Once appraisal has started, a submission cannot be withdrawn.
        assert_eq!(
            UnitState::Submitted.apply(Step::Withdraw, Phase::Appraisal1, true),
            Err(StepRefused::WrongPhase {
                needed: Phase::SelfAssessment
            })
        );
        assert_eq!(
            UnitState::Final.apply(Step::SendExplanation, Phase::Explanation, true),
            Err(StepRefused::WrongState)
        );
        // The administrator may reopen a late unit's self-assessment.
        assert_eq!(
            UnitState::Submitted.apply(Step::Reopen, Phase::SelfAssessment, false),
            Ok(UnitState::Drafting)
        );
        assert_eq!(
            StepRefused::Closed.message(Lang::Vi),
            "Đã hết hạn; liên hệ Sở Nội vụ nếu cần gia hạn cho đơn vị."
        );
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Submit),
            Just(Step::Withdraw),
            Just(Step::ConcludeAppraisal1),
            Just(Step::SendExplanation),
            Just(Step::ConcludeAppraisal2),
            Just(Step::Reopen),
        ]
    }

    proptest! {
        #[test]
        fn a_unit_is_final_only_through_both_appraisals(
            steps in proptest::collection::vec((any_step(), 0usize..6, any::<bool>()), 0..40)
        ) {
            let mut state = UnitState::Drafting;
            let mut appraised_once = false;
            for (step, phase, open) in steps {
                let phase = Phase::ALL[phase];
                if let Ok(next) = state.apply(step, phase, open) {
                    if next == UnitState::Appraised1 {
                        appraised_once = true;
                    }
                    if next == UnitState::Final {
                        prop_assert!(appraised_once, "final without round 1");
                        prop_assert_eq!(phase, Phase::Appraisal2);
                    }
                    // Editing is never possible outside drafting.
                    if next != UnitState::Drafting {
                        prop_assert!(!next.may_edit_self_assessment(Phase::SelfAssessment, true));
                    }
                    state = next;
                }
            }
        }
    }
}
