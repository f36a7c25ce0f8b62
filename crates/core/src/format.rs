//! Numbers and dates as Vietnamese civil servants write them: `86,44`, `1.234`, `13/06/2024`.
//!
//! English keeps the day-first date (the documents are Vietnamese) but uses a decimal point.

use crate::lang::Lang;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// A decimal rounded half away from zero to `places`, with the language's separators.
///
/// Rounding is exact (decimal, not binary), as published results require.
pub fn decimal(value: Decimal, places: u32, lang: Lang) -> String {
    let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", places as usize, rounded);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let (group_sep, decimal_sep) = separators(lang);
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str(sign);
    out.push_str(&group_thousands(int_part, group_sep));
    if let Some(frac) = frac_part {
        out.push(decimal_sep);
        out.push_str(frac);
    }
    out
}

/// Points as published: two decimals (`86,44`).
pub fn points(value: Decimal, lang: Lang) -> String {
    decimal(value, 2, lang)
}

/// A whole number with thousands grouped (`3.321` in Vietnamese, `3,321` in English).
pub fn integer(value: i64, lang: Lang) -> String {
    let text = value.unsigned_abs().to_string();
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(&text, separators(lang).0))
}

/// A calendar date, day first: `13/06/2024`.
pub fn date(value: NaiveDate) -> String {
    value.format("%d/%m/%Y").to_string()
}

/// A date and time, day first: `13/06/2024 08:05`.
pub fn date_time(value: chrono::NaiveDateTime) -> String {
    value.format("%d/%m/%Y %H:%M").to_string()
}

/// Vietnam's offset from UTC (no daylight saving).
const VIETNAM_OFFSET_HOURS: i64 = 7;

/// A moment as a wall-clock time in Vietnam.
pub fn vietnam_time(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    t.naive_utc() + chrono::Duration::hours(VIETNAM_OFFSET_HOURS)
}

/// The calendar day in Vietnam at a moment (deadlines and validity are Vietnamese days).
pub fn vietnam_day(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    vietnam_time(t).date()
}

/// Parses a date as people type it in forms and spreadsheets: `13/06/2024`, `13-06-2024`,
/// `1/7/2025` or ISO `2024-06-13`.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let year: i32 = parts[2].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

fn group_thousands(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn points_use_decimal_comma_in_vietnamese() {
        assert_eq!(points(d("86.44"), Lang::Vi), "86,44");
        assert_eq!(points(d("8.825"), Lang::Vi), "8,83");
        assert_eq!(points(d("9.5"), Lang::Vi), "9,50");
        assert_eq!(points(d("1234.5"), Lang::Vi), "1.234,50");
        assert_eq!(points(d("-0.25"), Lang::Vi), "-0,25");
        assert_eq!(points(d("86.44"), Lang::En), "86.44");
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_exact_decimal() {
        // 92.805 is not representable in binary; an f64 path would give 92.80.
        assert_eq!(points(d("92.805"), Lang::Vi), "92,81");
        assert_eq!(decimal(d("0.125"), 2, Lang::En), "0.13");
    }

    #[test]
    fn integers_are_grouped() {
        assert_eq!(integer(3321, Lang::Vi), "3.321");
        assert_eq!(integer(36500, Lang::En), "36,500");
        assert_eq!(integer(999, Lang::Vi), "999");
        assert_eq!(integer(-1000, Lang::Vi), "-1.000");
        assert_eq!(integer(0, Lang::Vi), "0");
    }

    #[test]
    fn days_are_vietnamese_days() {
        // 18:30 UTC on 31/12 is already 01/01 in Vietnam.
        let t = chrono::DateTime::parse_from_rfc3339("2025-12-31T18:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(vietnam_day(t), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(date_time(vietnam_time(t)), "01/01/2026 01:30");
    }

    #[test]
    fn dates_are_day_first() {
        let day = NaiveDate::from_ymd_opt(2024, 6, 13).unwrap();
        assert_eq!(date(day), "13/06/2024");
        assert_eq!(parse_date("13/06/2024"), Some(day));
        assert_eq!(parse_date("2024-06-13"), Some(day));
        assert_eq!(
            parse_date(" 1/7/2025 "),
            NaiveDate::from_ymd_opt(2025, 7, 1)
        );
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("13/06/24"), None);
        assert_eq!(parse_date(""), None);
    }

    proptest! {
        #[test]
        fn formatted_points_parse_back(cents in -10_000_000i64..10_000_000) {
            let value = Decimal::new(cents, 2);
            let text = points(value, Lang::Vi).replace('.', "").replace(',', ".");
            prop_assert_eq!(Decimal::from_str(&text).unwrap(), value);
        }

        #[test]
        fn formatted_dates_parse_back(days in 0i64..100_000) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
            prop_assert_eq!(parse_date(&date(day)), Some(day));
        }
    }
}
