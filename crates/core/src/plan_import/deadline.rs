//! Deadlines as plans write them.
//!
//! After a label ("Thời gian thực hiện:", "Thời hạn:", "Tiến độ:") or alone in parentheses,
//! any time expression is the deadline: a date, a period, a month, a quarter, "6 tháng đầu
//! năm", "cuối năm", a year, "thường xuyên", "hằng năm". In running text a date needs a cue
//! ("trước ngày", "chậm nhất", "từ ngày … đến ngày …", "hoàn thành trong …"), so the dates of
//! cited documents are never taken for deadlines; "thường xuyên" counts only as "thực hiện
//! thường xuyên", "thường xuyên, liên tục" or at the end of the task ("chi thường xuyên" is
//! recurrent spending). A year is never filled in from the plan's year.

use super::dates::{date_at, year_of};
use super::model::{DayMonth, Deadline, Every, When};
use super::scan::{Kind, Text, Token, any_phrase_at, phrase_at, tokens};
use chrono::NaiveDate;

const LABELS: [&str; 11] = [
    "thoi gian thuc hien",
    "thoi gian hoan thanh",
    "thoi han hoan thanh",
    "thoi diem hoan thanh",
    "han hoan thanh",
    "tien do thuc hien",
    "tien do hoan thanh",
    "thoi han",
    "tien do",
    "thoi gian",
    "hoan thanh",
];

/// Every deadline a task's text states, in order.
pub(crate) fn deadlines(text: &str) -> Vec<Deadline> {
    let t = Text::new(text);
    let toks = tokens(&t);
    let mut found: Vec<(usize, Deadline)> = Vec::new();
    // The closing parenthesis of each opening one, found once.
    let mut close_of = vec![None; toks.len()];
    let mut open: Vec<usize> = Vec::new();
    for (k, tok) in toks.iter().enumerate() {
        if tok.is("(") {
            open.push(k);
        } else if tok.is(")")
            && let Some(o) = open.pop()
        {
            close_of[o] = Some(k);
        }
    }
    for i in 0..toks.len() {
        // A label's value is read whole.
        if let Some((j, _)) = any_phrase_at(&toks, i, &LABELS)
            && toks.get(j).is_some_and(|c| c.is(":"))
        {
            let end = value_end(&toks, j + 1);
            found.extend(scan(&t, &toks[j + 1..end], true));
        }
        // So is a parenthesis holding nothing but a time: "(thường xuyên)", "(Quý II/2024)".
        if let Some(close) = close_of[i].filter(|&c| c - i <= 16) {
            let inner = &toks[i + 1..close];
            let ds = scan(&t, inner, true);
            let covered = |tok: &Token| {
                ds.iter().any(|(start, d)| {
                    tok.start >= *start && tok.end <= start + d.text.chars().count()
                })
            };
            let filler = |tok: &Token| {
                tok.kind == Kind::Punct
                    || [
                        "hoan", "thanh", "thuc", "hien", "trong", "truoc", "vao", "thoi", "gian",
                        "han",
                    ]
                    .contains(&tok.text.as_str())
            };
            if !ds.is_empty() && inner.iter().all(|tok| covered(tok) || filler(tok)) {
                found.extend(ds);
            }
        }
    }
    found.extend(scan(&t, &toks, false));
    found.sort_by_key(|(pos, _)| *pos);
    let mut out: Vec<Deadline> = Vec::new();
    for (_, d) in found {
        if !out.iter().any(|o| o.when == d.when) {
            out.push(d);
        }
    }
    out
}

/// A label's value ends at ";", ".", ")" or a new line of the text.
fn value_end(toks: &[Token], from: usize) -> usize {
    (from..toks.len())
        .find(|&k| {
            toks[k].is(";")
                || toks[k].is(")")
                || (toks[k].is(".") && toks.get(k + 1).is_none_or(|n| n.start > toks[k].end))
        })
        .unwrap_or(toks.len())
}

/// A deadline read from tokens `[a, b)`, with the character where it starts.
fn deadline(t: &Text, toks: &[Token], a: usize, b: usize, when: When) -> (usize, Deadline) {
    let start = toks.get(a).map_or(0, |x| x.start);
    let end = toks.get(b.saturating_sub(1)).map_or(start, |x| x.end);
    let d = Deadline {
        text: t.slice(start, end),
        due: due(&when),
        when,
    };
    (start, d)
}

/// The last day a deadline allows, when its year is known.
pub(crate) fn due(when: &When) -> Option<NaiveDate> {
    let last_of_month = |year: i32, month: u32| {
        let (y, m) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
    };
    match *when {
        When::Date { date } => date.date(),
        When::Period { to, .. } => to.date(),
        When::Month { month, year } => last_of_month(year?, month),
        When::Quarter { quarter, year } => last_of_month(year?, quarter * 3),
        When::Half { half, year } => last_of_month(year?, half * 6),
        When::YearEnd { year } => NaiveDate::from_ymd_opt(year?, 12, 31),
        When::Year { year } => NaiveDate::from_ymd_opt(year, 12, 31),
        When::Ongoing | When::Recurring { .. } => None,
    }
}

/// A year after "/", "-" or "năm" at token `i`: (year, next index).
fn year_after(toks: &[Token], i: usize) -> Option<(i32, usize)> {
    let t = toks.get(i)?;
    if (t.is("/") || t.is("-"))
        && let Some(y) = toks.get(i + 1).and_then(year_of)
    {
        return Some((y, i + 2));
    }
    if t.is("nam")
        && let Some(y) = toks.get(i + 1).and_then(year_of)
    {
        return Some((y, i + 2));
    }
    None
}

fn quarter_at(toks: &[Token], i: usize) -> Option<(u32, usize)> {
    let t = toks.get(i)?;
    let q = match (t.kind, t.text.as_str()) {
        (Kind::Word, "i") => 1,
        (Kind::Word, "ii") => 2,
        (Kind::Word, "iii") => 3,
        (Kind::Word, "iv") => 4,
        (Kind::Num, n) => n.parse().ok().filter(|q| (1..=4).contains(q))?,
        _ => return None,
    };
    Some((q, i + 1))
}

const DATE_CUES: [&str; 12] = [
    "truoc ngay",
    "cham nhat la ngay",
    "cham nhat vao ngay",
    "cham nhat ngay",
    "cham nhat la",
    "cham nhat",
    "han chot la ngay",
    "han chot",
    "xong truoc ngay",
    "hoan thanh ngay",
    "den ngay",
    "truoc",
];

const PERIOD_CUES: [&str; 3] = ["trong", "truoc", "hoan thanh trong"];

/// The deadlines in a run of tokens; `value` when the run is a label's value or a short
/// parenthesis.
fn scan(t: &Text, toks: &[Token], value: bool) -> Vec<(usize, Deadline)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // A period: "từ ngày 01/12/2023 đến ngày 25/12/2023".
        if let Some((j, _)) = any_phrase_at(toks, i, &["tu ngay", "tu"])
            && let Some((from, k)) = date_at(toks, j)
            && let Some((k2, _)) = any_phrase_at(toks, k, &["den het ngay", "den ngay", "den"])
            && let Some((to, end)) = date_at(toks, k2)
        {
            let from = DayMonth {
                month: from.month,
                year: from.year.or(to.year),
                day: from.day,
            };
            out.push(deadline(t, toks, i, end, When::Period { from, to }));
            i = end;
            continue;
        }
        // A date after a cue (or anywhere in a label's value).
        if let Some((j, _)) = any_phrase_at(toks, i, &DATE_CUES) {
            let j = phrase_at(toks, j, "ngay").unwrap_or(j);
            if let Some((date, end)) = date_at(toks, j) {
                out.push(deadline(t, toks, i, end, When::Date { date }));
                i = end;
                continue;
            }
        }
        if value {
            let j = phrase_at(toks, i, "ngay").unwrap_or(i);
            if let Some((date, end)) = date_at(toks, j) {
                out.push(deadline(t, toks, i, end, When::Date { date }));
                i = end;
                continue;
            }
        }
        // "Quý II/2024", "quý 2 năm 2024".
        if let Some(j) = phrase_at(toks, i, "quy")
            && let Some((quarter, k)) = quarter_at(toks, j)
        {
            let (year, end) = year_after(toks, k).map_or((None, k), |(y, e)| (Some(y), e));
            out.push(deadline(t, toks, i, end, When::Quarter { quarter, year }));
            i = end;
            continue;
        }
        // "6 tháng đầu năm", "6 tháng cuối năm 2024".
        if let Some((j, p)) = any_phrase_at(toks, i, &["6 thang dau nam", "6 thang cuoi nam"]) {
            let half = if p.contains("dau") { 1 } else { 2 };
            let (year, end) = toks
                .get(j)
                .and_then(year_of)
                .map_or((None, j), |y| (Some(y), j + 1));
            out.push(deadline(t, toks, i, end, When::Half { half, year }));
            i = end;
            continue;
        }
        // "tháng 6/2024", "trong tháng 3": a month, not a duration ("6 tháng") nor the month of
        // a date ("ngày 15 tháng 7 năm 2021").
        let cued = i > 0 && any_phrase_at(toks, i - 1, &PERIOD_CUES).is_some()
            || i > 1 && phrase_at(toks, i - 2, "hoan thanh").is_some();
        if let Some(j) = phrase_at(toks, i, "thang")
            && let Some(m) = toks.get(j).filter(|m| m.kind == Kind::Num)
            && let Ok(month) = m.text.parse::<u32>()
            && (1..=12).contains(&month)
            && !(i > 0 && toks[i - 1].kind == Kind::Num)
        {
            let year = year_after(toks, j + 1);
            if value || cued || year.is_some() {
                let (year, end) = year.map_or((None, j + 1), |(y, e)| (Some(y), e));
                out.push(deadline(t, toks, i, end, When::Month { month, year }));
                i = end;
                continue;
            }
        }
        // "cuối năm", "cuối năm 2024".
        if let Some(j) = phrase_at(toks, i, "cuoi nam") {
            let (year, end) = toks
                .get(j)
                .and_then(year_of)
                .map_or((None, j), |y| (Some(y), j + 1));
            out.push(deadline(t, toks, i, end, When::YearEnd { year }));
            i = end;
            continue;
        }
        // "trong năm 2024"; in a value, "năm 2024" or "2024".
        let year_phrase = any_phrase_at(toks, i, &["trong nam", "hoan thanh trong nam"])
            .map(|(j, _)| j)
            .or_else(|| value.then(|| phrase_at(toks, i, "nam").unwrap_or(i)));
        if let Some(j) = year_phrase
            && let Some(year) = toks.get(j).and_then(year_of)
            && !toks.get(j + 1).is_some_and(|n| n.is("-") || n.is("/"))
        {
            out.push(deadline(t, toks, i, j + 1, When::Year { year }));
            i = j + 1;
            continue;
        }
        if let Some((end, d)) = ongoing(t, toks, i, value) {
            out.push(d);
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// "thường xuyên", "liên tục", "hằng năm" at token `i`: (index after it, the deadline).
fn ongoing(t: &Text, toks: &[Token], i: usize, value: bool) -> Option<(usize, (usize, Deadline))> {
    if let Some((j, p)) = any_phrase_at(
        toks,
        i,
        &[
            "hang nam",
            "hang quy",
            "hang thang",
            "hang tuan",
            "moi nam",
            "moi quy",
            "dinh ky hang nam",
            "dinh ky hang quy",
            "dinh ky hang thang",
        ],
    ) && value
    {
        let every = match p.rsplit(' ').next() {
            Some("nam") => Every::Year,
            Some("quy") => Every::Quarter,
            Some("thang") => Every::Month,
            _ => Every::Week,
        };
        return Some((j, deadline(t, toks, i, j, When::Recurring { every })));
    }
    if value && let Some(j) = phrase_at(toks, i, "lien tuc") {
        return Some((j, deadline(t, toks, i, j, When::Ongoing)));
    }
    let j = phrase_at(toks, i, "thuong xuyen")?;
    let accepted = value
        || (i >= 2
            && any_phrase_at(toks, i - 2, &["thuc hien", "trien khai", "to chuc"]).is_some())
        || toks.get(j).is_some_and(|n| n.is(",")) && phrase_at(toks, j + 1, "lien tuc").is_some()
        || (i > 0
            && (toks[i - 1].is(",") || toks[i - 1].is(";") || toks[i - 1].is("-"))
            && toks.get(j).is_none_or(|n| n.is(".") || n.is(";")));
    let spending = i > 0 && (toks[i - 1].is("chi") || toks[i - 1].is("phi"));
    (accepted && !spending).then(|| (j, deadline(t, toks, i, j, When::Ongoing)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, When, Option<NaiveDate>)> {
        deadlines(text)
            .into_iter()
            .map(|d| (d.text, d.when, d.due))
            .collect()
    }

    fn dm(day: u32, month: u32, year: i32) -> DayMonth {
        DayMonth {
            day,
            month,
            year: Some(year),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_after_cues() {
        assert_eq!(
            kinds("Báo cáo gửi Sở Nội vụ để tổng hợp trước ngày 05/01/2024."),
            [(
                "trước ngày 05/01/2024".into(),
                When::Date {
                    date: dm(5, 1, 2024)
                },
                date(2024, 1, 5)
            )]
        );
        assert_eq!(
            kinds("Hoàn thành chậm nhất là ngày 30 tháng 6 năm 2024"),
            [(
                "chậm nhất là ngày 30 tháng 6 năm 2024".into(),
                When::Date {
                    date: dm(30, 6, 2024)
                },
                date(2024, 6, 30)
            )]
        );
        // A cited document's date is not a deadline.
        assert!(
            kinds("Thực hiện Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ.").is_empty()
        );
        assert_eq!(
            kinds("Tổ chức chấm điểm: Từ ngày 01/12/2023 đến ngày 25/12/2023."),
            [(
                "Từ ngày 01/12/2023 đến ngày 25/12/2023".into(),
                When::Period {
                    from: dm(1, 12, 2023),
                    to: dm(25, 12, 2023)
                },
                date(2023, 12, 25)
            )]
        );
    }

    #[test]
    fn label_values_and_periods() {
        assert_eq!(
            kinds("Thời gian thực hiện: Trước ngày 15/01/2024.")[0].1,
            When::Date {
                date: dm(15, 1, 2024)
            }
        );
        assert_eq!(
            kinds("Thời hạn: 30/9/2024")[0].1,
            When::Date {
                date: dm(30, 9, 2024)
            }
        );
        assert_eq!(
            kinds("Ban hành kế hoạch (Quý II/2024)"),
            [(
                "Quý II/2024".into(),
                When::Quarter {
                    quarter: 2,
                    year: Some(2024)
                },
                date(2024, 6, 30)
            )]
        );
        assert_eq!(
            kinds("Hoàn thành trong Quý III")[0].1,
            When::Quarter {
                quarter: 3,
                year: None
            }
        );
        assert_eq!(kinds("Hoàn thành trong Quý III")[0].2, None);
        assert_eq!(
            kinds("Thời gian: tháng 6/2024")[0].1,
            When::Month {
                month: 6,
                year: Some(2024)
            }
        );
        assert_eq!(
            kinds("Thời gian hoàn thành: 6 tháng đầu năm 2024")[0].1,
            When::Half {
                half: 1,
                year: Some(2024)
            }
        );
        assert_eq!(
            kinds("Tổng kết vào cuối năm 2024.")[0].1,
            When::YearEnd { year: Some(2024) }
        );
        assert_eq!(kinds("Thời gian: Năm 2024")[0].1, When::Year { year: 2024 });
        assert_eq!(
            kinds("Báo cáo (hằng quý)")[0].1,
            When::Recurring {
                every: Every::Quarter
            }
        );
        // A duration is not a month; a plan year in the text is not a deadline.
        assert!(kinds("Báo cáo 6 tháng, báo cáo năm 2024 của tỉnh").is_empty());
        assert!(kinds("Triển khai Kế hoạch CCHC của tỉnh năm 2022").is_empty());
    }

    #[test]
    fn ongoing_only_where_it_means_ongoing() {
        for text in [
            "Tuyên truyền cải cách hành chính (thường xuyên).",
            "Thời gian thực hiện: Thường xuyên.",
            "Kiểm tra việc thực hiện thường xuyên.",
            "Rà soát thủ tục hành chính, thường xuyên, liên tục.",
            "Rà soát thủ tục hành chính; thường xuyên.",
        ] {
            assert_eq!(
                kinds(text).first().map(|k| k.1),
                Some(When::Ongoing),
                "{text}"
            );
        }
        for text in [
            "Tăng số đơn vị tự bảo đảm chi thường xuyên.",
            "Thường xuyên kiểm tra, đôn đốc các đơn vị",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }
}
