//! Task status as official task tracking counts it (Government practice): done on time, done
//! late, in progress within the deadline, overdue; and the counts reports give per unit and
//! per field, with the overdue share.

use super::Deadline;
use crate::lang::Lang;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A task's status on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskStatus {
    DoneOnTime,
    DoneLate,
    InProgress,
    Overdue,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::DoneOnTime,
        TaskStatus::DoneLate,
        TaskStatus::InProgress,
        TaskStatus::Overdue,
    ];

    /// A stable code (CSS classes, filters).
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::DoneOnTime => "done_on_time",
            TaskStatus::DoneLate => "done_late",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Overdue => "overdue",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TaskStatus::DoneOnTime, Lang::Vi) => "Hoàn thành đúng hạn",
            (TaskStatus::DoneLate, Lang::Vi) => "Hoàn thành quá hạn",
            (TaskStatus::InProgress, Lang::Vi) => "Đang thực hiện trong hạn",
            (TaskStatus::Overdue, Lang::Vi) => "Quá hạn chưa hoàn thành",
            (TaskStatus::DoneOnTime, Lang::En) => "Done on time",
            (TaskStatus::DoneLate, Lang::En) => "Done late",
            (TaskStatus::InProgress, Lang::En) => "In progress, within deadline",
            (TaskStatus::Overdue, Lang::En) => "Overdue",
        }
    }
}

/// The status of a task due by `deadline` (moved to `extended` when an extension was
/// approved), done on `done` if done, seen on `today`. Ongoing tasks are never late.
pub fn status(
    deadline: &Deadline,
    extended: Option<NaiveDate>,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> TaskStatus {
    let due = extended.or_else(|| deadline.last_day());
    match (done, due) {
        (Some(d), Some(due)) if d > due => TaskStatus::DoneLate,
        (Some(_), _) => TaskStatus::DoneOnTime,
        (None, Some(due)) if today > due => TaskStatus::Overdue,
        (None, _) => TaskStatus::InProgress,
    }
}

/// How many tasks are in each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub done_on_time: usize,
    pub done_late: usize,
    pub in_progress: usize,
    pub overdue: usize,
}

impl Tally {
    pub fn add(&mut self, s: TaskStatus) {
        match s {
            TaskStatus::DoneOnTime => self.done_on_time += 1,
            TaskStatus::DoneLate => self.done_late += 1,
            TaskStatus::InProgress => self.in_progress += 1,
            TaskStatus::Overdue => self.overdue += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.done_on_time + self.done_late + self.in_progress + self.overdue
    }

    pub fn done(&self) -> usize {
        self.done_on_time + self.done_late
    }

    /// Overdue tasks as a share of all (%), exact; `None` without tasks.
    pub fn overdue_share(&self) -> Option<Decimal> {
        (self.total() > 0).then(|| Decimal::from(self.overdue * 100) / Decimal::from(self.total()))
    }

    /// Tasks done as a share of all (%), exact: the plan's completion rate.
    pub fn done_share(&self) -> Option<Decimal> {
        (self.total() > 0).then(|| Decimal::from(self.done() * 100) / Decimal::from(self.total()))
    }
}

impl FromIterator<TaskStatus> for Tally {
    fn from_iter<I: IntoIterator<Item = TaskStatus>>(iter: I) -> Tally {
        let mut t = Tally::default();
        for s in iter {
            t.add(s);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_four_statuses() {
        let q2 = Deadline::Quarter {
            year: 2025,
            quarter: 2,
        };
        assert_eq!(
            status(&q2, None, Some(day(2025, 6, 30)), day(2025, 9, 1)),
            TaskStatus::DoneOnTime
        );
        assert_eq!(
            status(&q2, None, Some(day(2025, 7, 1)), day(2025, 9, 1)),
            TaskStatus::DoneLate
        );
        assert_eq!(
            status(&q2, None, None, day(2025, 6, 30)),
            TaskStatus::InProgress
        );
        assert_eq!(
            status(&q2, None, None, day(2025, 7, 1)),
            TaskStatus::Overdue
        );
        // An approved extension moves the deadline.
        assert_eq!(
            status(&q2, Some(day(2025, 8, 31)), None, day(2025, 7, 1)),
            TaskStatus::InProgress
        );
        assert_eq!(
            status(
                &q2,
                Some(day(2025, 8, 31)),
                Some(day(2025, 8, 1)),
                day(2025, 9, 1)
            ),
            TaskStatus::DoneOnTime
        );
        // Ongoing work is never late.
        assert_eq!(
            status(&Deadline::Ongoing, None, None, day(2030, 1, 1)),
            TaskStatus::InProgress
        );
    }

    #[test]
    fn tallies_count_and_share() {
        let t: Tally = [
            TaskStatus::Overdue,
            TaskStatus::DoneOnTime,
            TaskStatus::InProgress,
            TaskStatus::DoneLate,
        ]
        .into_iter()
        .collect();
        assert_eq!((t.total(), t.done()), (4, 2));
        assert_eq!(t.overdue_share(), Some(Decimal::from(25)));
        assert_eq!(Tally::default().overdue_share(), None);
    }

    proptest! {
        /// Done tasks never count as overdue; an undone task is overdue exactly when today is
        /// past its (extended) deadline.
        #[test]
        fn status_follows_the_rules(
            due in 0i64..400, done in proptest::option::of(0i64..400), today in 0i64..400, ext in proptest::option::of(0i64..400),
        ) {
            let base = day(2025, 1, 1);
            let at = |n: i64| base + chrono::Duration::days(n);
            let d = Deadline::Date { date: at(due) };
            let s = status(&d, ext.map(at), done.map(at), at(today));
            let effective = ext.unwrap_or(due);
            match done {
                Some(x) => prop_assert_eq!(s, if x > effective { TaskStatus::DoneLate } else { TaskStatus::DoneOnTime }),
                None => prop_assert_eq!(s, if today > effective { TaskStatus::Overdue } else { TaskStatus::InProgress }),
            }
        }
    }
}
