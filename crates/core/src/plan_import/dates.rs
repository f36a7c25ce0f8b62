//! Dates as plans write them ("10/4/2024", "ngày 15 tháng 7 năm 2021", "13.6.2024") and
//! numbers shown back in Vietnamese format ("86,44").

use super::model::DayMonth;
use super::scan::{Kind, Token};
use crate::lang::Lang;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A date starting at token `i` (without the word "ngày"): (date, index after it).
pub(crate) fn date_at(tokens: &[Token], i: usize) -> Option<(DayMonth, usize)> {
    let t = tokens.get(i)?;
    if t.kind != Kind::Num {
        return None;
    }
    // "13.6.2024" is one number token.
    if t.text.matches('.').count() == 2 {
        let parts: Vec<&str> = t.text.split('.').collect();
        return make(parts[0], parts[1], Some(parts[2])).map(|d| (d, i + 1));
    }
    let adjacent = |a: usize| tokens.get(a + 1).is_some_and(|n| tokens[a].end == n.start);
    if let (Some(sep), Some(m)) = (tokens.get(i + 1), tokens.get(i + 2))
        && (sep.is("/") || sep.is("-"))
        && m.kind == Kind::Num
        && adjacent(i)
        && adjacent(i + 1)
    {
        if let (Some(sep2), Some(y)) = (tokens.get(i + 3), tokens.get(i + 4))
            && sep2.text == sep.text
            && y.kind == Kind::Num
            && adjacent(i + 2)
            && adjacent(i + 3)
        {
            return make(&t.text, &m.text, Some(&y.text)).map(|d| (d, i + 5));
        }
        // "15/01" without a year; "2021-2030" is not a date (month 2030).
        return make(&t.text, &m.text, None).map(|d| (d, i + 3));
    }
    if tokens.get(i + 1).is_some_and(|w| w.is("thang"))
        && let Some(m) = tokens.get(i + 2).filter(|m| m.kind == Kind::Num)
    {
        if tokens.get(i + 3).is_some_and(|w| w.is("nam"))
            && let Some(y) = tokens.get(i + 4).filter(|y| y.kind == Kind::Num)
        {
            return make(&t.text, &m.text, Some(&y.text)).map(|d| (d, i + 5));
        }
        return make(&t.text, &m.text, None).map(|d| (d, i + 3));
    }
    None
}

fn make(day: &str, month: &str, year: Option<&str>) -> Option<DayMonth> {
    let day: u32 = day.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    let year = match year {
        Some(y) if y.len() == 4 => Some(y.parse::<i32>().ok()?),
        Some(_) => return None,
        None => None,
    };
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let d = DayMonth { day, month, year };
    if year.is_some() && d.date().is_none() {
        return None;
    }
    Some(d)
}

/// A four-digit year (1990–2100) in a number token.
pub(crate) fn year_of(t: &Token) -> Option<i32> {
    if t.kind != Kind::Num || t.text.len() != 4 {
        return None;
    }
    t.text.parse().ok().filter(|y| (1990..=2100).contains(y))
}

impl DayMonth {
    /// The calendar date, when the year is stated.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }
}

/// A number as stated, in Vietnamese format with its own decimals ("9,5", "86,44").
pub(crate) fn vi(d: Decimal) -> String {
    let d = d.normalize();
    crate::format::decimal(d, d.scale(), Lang::Vi)
}

/// A computed number rounded to `places` (half away from zero), in Vietnamese format.
pub(crate) fn vi_rounded(d: Decimal, places: u32) -> String {
    crate::format::decimal(d, places, Lang::Vi)
}

/// A date as Vietnamese documents write it: 13/06/2024.
pub(crate) fn vi_date(d: NaiveDate) -> String {
    crate::format::date(d)
}

#[cfg(test)]
mod tests {
    use super::super::scan::{Text, tokens};
    use super::*;

    fn first_date(s: &str) -> Option<DayMonth> {
        let toks = tokens(&Text::new(s));
        (0..toks.len()).find_map(|i| date_at(&toks, i).map(|(d, _)| d))
    }

    #[test]
    fn dates_in_every_written_form() {
        let full = |d, m, y| DayMonth {
            day: d,
            month: m,
            year: Some(y),
        };
        assert_eq!(first_date("ngày 10/4/2024"), Some(full(10, 4, 2024)));
        assert_eq!(first_date("ngày 13.6.2024"), Some(full(13, 6, 2024)));
        assert_eq!(first_date("ngày 13-06-2024"), Some(full(13, 6, 2024)));
        assert_eq!(
            first_date("ngày 15 tháng 7 năm 2021 của Chính phủ"),
            Some(full(15, 7, 2021))
        );
        assert_eq!(
            first_date("trước ngày 15/01"),
            Some(DayMonth {
                day: 15,
                month: 1,
                year: None
            })
        );
        assert_eq!(first_date("giai đoạn 2021-2030"), None);
        assert_eq!(first_date("ngày 31/02/2024"), None);
        assert_eq!(first_date("8,82/9,5 điểm"), None);
    }

    #[test]
    fn numbers_are_shown_in_vietnamese() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(vi(d("86.44")), "86,44");
        assert_eq!(vi(d("9.50")), "9,5");
        assert_eq!(vi(d("1234")), "1.234");
        assert_eq!(vi_rounded(d("92.842105"), 2), "92,84");
    }
}
