//! A round's dates (seed 001: self-assessment 01–25/12, submission by 05/01, appraisal by
//! 15/01 …) and per-unit extensions granted by the administrator.

use super::phase::Phase;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The last day of each working phase; each must be after the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub self_assessment_opens: NaiveDate,
    /// Last day for leaders to submit.
    pub submission_due: NaiveDate,
    pub appraisal1_due: NaiveDate,
    pub explanation_due: NaiveDate,
    pub appraisal2_due: NaiveDate,
}

/// A schedule whose dates are out of order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleProblem {
    /// The date that is not after the previous one.
    pub field: &'static str,
}

impl ScheduleProblem {
    /// What to tell the administrator.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!(
                "Ngày \"{}\" phải sau mốc trước đó.",
                label(self.field, lang)
            ),
            Lang::En => format!(
                "The date \"{}\" must come after the previous one.",
                label(self.field, lang)
            ),
        }
    }
}

/// The interface label of a schedule date.
pub fn label(field: &str, lang: Lang) -> &'static str {
    match (field, lang) {
        ("self_assessment_opens", Lang::Vi) => "Bắt đầu tự đánh giá",
        ("submission_due", Lang::Vi) => "Hạn gửi kết quả tự đánh giá",
        ("appraisal1_due", Lang::Vi) => "Hạn thẩm định lần 1",
        ("explanation_due", Lang::Vi) => "Hạn giải trình, bổ sung",
        ("appraisal2_due", Lang::Vi) => "Hạn thẩm định lần 2",
        ("self_assessment_opens", Lang::En) => "Self-assessment opens",
        ("submission_due", Lang::En) => "Submission due",
        ("appraisal1_due", Lang::En) => "Appraisal round 1 due",
        ("explanation_due", Lang::En) => "Explanation due",
        ("appraisal2_due", Lang::En) => "Appraisal round 2 due",
        _ => "",
    }
}

impl Schedule {
    /// Checks that every date comes after the one before; returns every problem.
    pub fn validate(&self) -> Vec<ScheduleProblem> {
        let dates = [
            ("self_assessment_opens", self.self_assessment_opens),
            ("submission_due", self.submission_due),
            ("appraisal1_due", self.appraisal1_due),
            ("explanation_due", self.explanation_due),
            ("appraisal2_due", self.appraisal2_due),
        ];
        dates
            .windows(2)
            .filter(|w| w[1].1 <= w[0].1)
            .map(|w| ScheduleProblem { field: w[1].0 })
            .collect()
    }

    /// The last day of a phase's work, if the phase has one.
    pub fn due(&self, phase: Phase) -> Option<NaiveDate> {
        match phase {
            Phase::SelfAssessment => Some(self.submission_due),
            Phase::Appraisal1 => Some(self.appraisal1_due),
            Phase::Explanation => Some(self.explanation_due),
            Phase::Appraisal2 => Some(self.appraisal2_due),
            Phase::Preparing | Phase::Closed => None,
        }
    }

    /// Whether a unit may still work in `phase` on `today`, given its extension (a later last
    /// day granted by the administrator for that unit).
    pub fn open_for(&self, phase: Phase, today: NaiveDate, extension: Option<NaiveDate>) -> bool {
        match self.due(phase) {
            None => false,
            Some(due) => {
                let last = extension.map_or(due, |e| e.max(due));
                let opened = phase != Phase::SelfAssessment || today >= self.self_assessment_opens;
                opened && today <= last
            }
        }
    }

    /// Days left until a phase's due date (negative when late), for reminders.
    pub fn days_left(&self, phase: Phase, today: NaiveDate) -> Option<i64> {
        self.due(phase).map(|d| (d - today).num_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The dates of seed 001: self-assessment 01–25/12, appraisal by 15/01.
    fn seed_001() -> Schedule {
        Schedule {
            self_assessment_opens: day(2025, 12, 1),
            submission_due: day(2025, 12, 25),
            appraisal1_due: day(2026, 1, 10),
            explanation_due: day(2026, 1, 13),
            appraisal2_due: day(2026, 1, 15),
        }
    }

    #[test]
    fn windows_close_on_their_last_day_unless_extended() {
        let s = seed_001();
        assert!(s.validate().is_empty());
        assert!(!s.open_for(Phase::SelfAssessment, day(2025, 11, 30), None));
        assert!(s.open_for(Phase::SelfAssessment, day(2025, 12, 25), None));
        assert!(!s.open_for(Phase::SelfAssessment, day(2025, 12, 26), None));
        assert!(s.open_for(
            Phase::SelfAssessment,
            day(2025, 12, 27),
            Some(day(2025, 12, 28))
        ));
        // An "extension" earlier than the due date never shortens it.
        assert!(s.open_for(
            Phase::SelfAssessment,
            day(2025, 12, 25),
            Some(day(2025, 12, 20))
        ));
        assert!(!s.open_for(Phase::Closed, day(2026, 1, 1), None));
        assert_eq!(
            s.days_left(Phase::SelfAssessment, day(2025, 12, 22)),
            Some(3)
        );
    }

    #[test]
    fn dates_out_of_order_are_all_reported() {
        let mut s = seed_001();
        s.submission_due = day(2025, 11, 1);
        s.appraisal2_due = day(2026, 1, 1);
        let problems = s.validate();
        assert_eq!(
            problems.iter().map(|p| p.field).collect::<Vec<_>>(),
            vec!["submission_due", "appraisal2_due"]
        );
        assert_eq!(
            problems[0].message(Lang::Vi),
            "Ngày \"Hạn gửi kết quả tự đánh giá\" phải sau mốc trước đó."
        );
    }
}
