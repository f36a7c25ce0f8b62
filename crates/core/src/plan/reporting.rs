//! Periodic PAR reports (chế độ báo cáo): each unit sends its quarterly, six-month and annual
//! report by a due date; chiso records when it arrived and counts the on-time rate that the
//! scoring asks for ("báo cáo đúng hạn").

use crate::lang::Lang;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Where a unit stands with one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportState {
    OnTime,
    Late,
    /// Past the due date and not sent.
    Missing,
    /// Not sent, not due yet.
    NotDue,
}

impl ReportState {
    pub fn code(self) -> &'static str {
        match self {
            ReportState::OnTime => "on_time",
            ReportState::Late => "late",
            ReportState::Missing => "missing",
            ReportState::NotDue => "not_due",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReportState::OnTime, Lang::Vi) => "Đúng hạn",
            (ReportState::Late, Lang::Vi) => "Muộn",
            (ReportState::Missing, Lang::Vi) => "Chưa gửi (quá hạn)",
            (ReportState::NotDue, Lang::Vi) => "Chưa đến hạn",
            (ReportState::OnTime, Lang::En) => "On time",
            (ReportState::Late, Lang::En) => "Late",
            (ReportState::Missing, Lang::En) => "Missing (overdue)",
            (ReportState::NotDue, Lang::En) => "Not due yet",
        }
    }
}

/// The state of a report due on `due`, sent on `sent` (its Vietnam calendar day), seen `today`.
pub fn report_state(due: NaiveDate, sent: Option<NaiveDate>, today: NaiveDate) -> ReportState {
    match sent {
        Some(s) if s <= due => ReportState::OnTime,
        Some(_) => ReportState::Late,
        None if today > due => ReportState::Missing,
        None => ReportState::NotDue,
    }
}

/// The on-time rate (%) of the reports already due: sent on time ÷ due. `None` when nothing
/// was due yet. Reports not due yet do not count either way.
pub fn on_time_rate(states: &[ReportState]) -> Option<Decimal> {
    let due = states.iter().filter(|s| **s != ReportState::NotDue).count();
    let on_time = states.iter().filter(|s| **s == ReportState::OnTime).count();
    (due > 0).then(|| Decimal::from(on_time * 100) / Decimal::from(due))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn states_and_the_on_time_rate() {
        let due = day(3, 15);
        assert_eq!(
            report_state(due, Some(day(3, 15)), day(6, 1)),
            ReportState::OnTime
        );
        assert_eq!(
            report_state(due, Some(day(3, 16)), day(6, 1)),
            ReportState::Late
        );
        assert_eq!(report_state(due, None, day(3, 16)), ReportState::Missing);
        assert_eq!(report_state(due, None, day(3, 15)), ReportState::NotDue);
        let s = [
            ReportState::OnTime,
            ReportState::Late,
            ReportState::Missing,
            ReportState::NotDue,
            ReportState::OnTime,
        ];
        assert_eq!(on_time_rate(&s), Some(Decimal::from(50)));
        assert_eq!(on_time_rate(&[ReportState::NotDue]), None);
    }
}
