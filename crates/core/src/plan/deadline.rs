//! A task's deadline as plans state it: a date ("trước ngày 05/01/2024"), a month, a quarter
//! ("Quý II"), a half-year, the year, or ongoing ("thường xuyên").

use crate::lang::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// When a task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    Date {
        date: NaiveDate,
    },
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    Half {
        year: i32,
        half: u32,
    },
    Year {
        year: i32,
    },
    /// Thường xuyên: never overdue.
    Ongoing,
}

fn last_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

impl Deadline {
    /// The last day the task may be done on time; `None` for ongoing tasks (or an impossible
    /// month, quarter or half, which [`Deadline::is_valid`] refuses).
    pub fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            Deadline::Date { date } => Some(date),
            Deadline::Month { year, month } => last_of_month(year, month),
            Deadline::Quarter { year, quarter } if (1..=4).contains(&quarter) => {
                last_of_month(year, quarter * 3)
            }
            Deadline::Half { year, half } if (1..=2).contains(&half) => {
                last_of_month(year, half * 6)
            }
            Deadline::Year { year } => NaiveDate::from_ymd_opt(year, 12, 31),
            _ => None,
        }
    }

    /// Whether the parts make a real period.
    pub fn is_valid(&self) -> bool {
        matches!(self, Deadline::Ongoing) || self.last_day().is_some()
    }

    /// As plans write it: "05/01/2024", "Tháng 6/2025", "Quý II/2025", "6 tháng đầu năm 2025",
    /// "Năm 2025", "Thường xuyên".
    pub fn label(&self, lang: Lang) -> String {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match (*self, lang) {
            (Deadline::Date { date }, _) => crate::format::date(date),
            (Deadline::Month { year, month }, Lang::Vi) => format!("Tháng {month}/{year}"),
            (Deadline::Month { year, month }, Lang::En) => format!("Month {month}/{year}"),
            (Deadline::Quarter { year, quarter }, Lang::Vi) => format!(
                "Quý {}/{year}",
                ROMAN.get(quarter as usize - 1).unwrap_or(&"?")
            ),
            (Deadline::Quarter { year, quarter }, Lang::En) => format!("Q{quarter} {year}"),
            (Deadline::Half { year, half: 1 }, Lang::Vi) => format!("6 tháng đầu năm {year}"),
            (Deadline::Half { year, .. }, Lang::Vi) => format!("6 tháng cuối năm {year}"),
            (Deadline::Half { year, half }, Lang::En) => format!("H{half} {year}"),
            (Deadline::Year { year }, Lang::Vi) => format!("Năm {year}"),
            (Deadline::Year { year }, Lang::En) => format!("Year {year}"),
            (Deadline::Ongoing, Lang::Vi) => "Thường xuyên".into(),
            (Deadline::Ongoing, Lang::En) => "Ongoing".into(),
        }
    }

    /// Reads what a form holds: `dd/mm/yyyy`, `m/yyyy`, `Q2/2025` or `Quý II/2025`,
    /// `H1/2025`, `2025`, or `thường xuyên` / `ongoing`.
    pub fn parse(input: &str) -> Option<Deadline> {
        let t = crate::text::fold(input.trim());
        if t.is_empty() {
            return None;
        }
        if t == "thuong xuyen" || t == "ongoing" {
            return Some(Deadline::Ongoing);
        }
        if let Some(date) = crate::format::parse_date(input.trim()) {
            return Some(Deadline::Date { date });
        }
        let year_after = |rest: &str| -> Option<i32> {
            rest.trim()
                .trim_start_matches(['/', ' ', '-'])
                .trim()
                .parse()
                .ok()
        };
        fn quarter(s: &str) -> Option<(u32, &str)> {
            for (n, r) in [(4, "iv"), (3, "iii"), (2, "ii"), (1, "i")] {
                if let Some(rest) = s.strip_prefix(r) {
                    return Some((n, rest));
                }
            }
            let d = s.chars().next()?.to_digit(10)?;
            Some((d, &s[1..]))
        }
        let d = if let Some(rest) = t.strip_prefix("quy ").or_else(|| t.strip_prefix('q')) {
            let (q, rest) = quarter(rest.trim())?;
            Deadline::Quarter {
                year: year_after(rest)?,
                quarter: q,
            }
        } else if let Some(rest) = t.strip_prefix('h') {
            let h = rest.chars().next()?.to_digit(10)?;
            Deadline::Half {
                year: year_after(&rest[1..])?,
                half: h,
            }
        } else if let Some((m, y)) = t.split_once('/') {
            Deadline::Month {
                year: y.trim().parse().ok()?,
                month: m.trim().trim_start_matches("thang").trim().parse().ok()?,
            }
        } else {
            let year: i32 = t.trim_start_matches("nam").trim().parse().ok()?;
            Deadline::Year { year }
        };
        d.is_valid().then_some(d)
    }

    /// The same deadline as a form shows it back (what [`Deadline::parse`] reads).
    pub fn input(&self) -> String {
        match *self {
            Deadline::Date { date } => crate::format::date(date),
            Deadline::Month { year, month } => format!("{month}/{year}"),
            Deadline::Quarter { year, quarter } => format!("Q{quarter}/{year}"),
            Deadline::Half { year, half } => format!("H{half}/{year}"),
            Deadline::Year { year } => year.to_string(),
            Deadline::Ongoing => "thường xuyên".into(),
        }
    }

    /// The year the deadline falls in, if any.
    pub fn year(&self) -> Option<i32> {
        self.last_day().map(|d| d.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_end_on_their_last_day() {
        assert_eq!(
            Deadline::Quarter {
                year: 2025,
                quarter: 2
            }
            .last_day(),
            Some(day(2025, 6, 30))
        );
        assert_eq!(
            Deadline::Month {
                year: 2024,
                month: 2
            }
            .last_day(),
            Some(day(2024, 2, 29))
        );
        assert_eq!(
            Deadline::Half {
                year: 2025,
                half: 2
            }
            .last_day(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(
            Deadline::Year { year: 2025 }.last_day(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(Deadline::Ongoing.last_day(), None);
        assert!(
            !Deadline::Quarter {
                year: 2025,
                quarter: 5
            }
            .is_valid()
        );
    }

    #[test]
    fn forms_read_what_plans_write_and_read_back_their_own_input() {
        let cases = [
            (
                "05/01/2024",
                Deadline::Date {
                    date: day(2024, 1, 5),
                },
            ),
            (
                "Quý II/2025",
                Deadline::Quarter {
                    year: 2025,
                    quarter: 2,
                },
            ),
            (
                "Q4/2025",
                Deadline::Quarter {
                    year: 2025,
                    quarter: 4,
                },
            ),
            (
                "H1/2025",
                Deadline::Half {
                    year: 2025,
                    half: 1,
                },
            ),
            (
                "6/2025",
                Deadline::Month {
                    year: 2025,
                    month: 6,
                },
            ),
            (
                "Tháng 6/2025",
                Deadline::Month {
                    year: 2025,
                    month: 6,
                },
            ),
            ("2025", Deadline::Year { year: 2025 }),
            ("Năm 2025", Deadline::Year { year: 2025 }),
            ("Thường xuyên", Deadline::Ongoing),
        ];
        for (text, want) in cases {
            assert_eq!(Deadline::parse(text), Some(want), "{text}");
            assert_eq!(Deadline::parse(&want.input()), Some(want), "{text} back");
        }
        for bad in ["", "Quý V/2025", "13/2025", "sớm", "32/01/2025"] {
            assert_eq!(Deadline::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Deadline::Quarter {
                year: 2025,
                quarter: 2
            }
            .label(Lang::Vi),
            "Quý II/2025"
        );
    }
}
