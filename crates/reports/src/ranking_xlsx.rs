//! A round's ranking as an Excel workbook: sheet "Tổng hợp" with every unit's rank, points per
//! field, total, index, band and change of rank, then one sheet per field ranking the units by
//! that field's points — the tables a ranking decision publishes.
//!
//! Points and percentages use the number format `0.00`
//! ([`POINTS_FORMAT`](crate::printed_table::POINTS_FORMAT)), which Excel and LibreOffice show
//! with the reader's decimal separator (`86,44` under a Vietnamese locale).

use crate::ReportError;
use crate::printed_table::{Formats, column_widths, page_setup, write_points, write_titles};
use chiso_core::format;
use chiso_core::lang::Lang;
use chiso_core::results::published;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// The summary sheet's name.
pub const SUMMARY_SHEET: &str = "Tổng hợp";

/// The row where the column headers are (0-based); title rows come before it.
const HEADER_ROW: u32 = 3;

/// The longest sheet name Excel accepts.
const MAX_SHEET_NAME: usize = 31;

/// Shows a change of rank as words while the cell stays a number: positive is a move up.
const CHANGE_FORMAT: &str = r#""tăng "0" bậc";"giảm "0" bậc";"không đổi""#;

/// A round's ranking, units best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// The document's title, e.g. "Kết quả xếp hạng Chỉ số CCHC các sở, ban, ngành".
    pub title: String,
    pub year: i32,
    pub fields: Vec<RankingField>,
    /// In rank order; ties are already ordered as they should be shown.
    pub rows: Vec<RankingRow>,
}

/// A field of the framework, as a column of the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingField {
    pub code: String,
    pub name: String,
    pub max: Decimal,
}

/// One unit's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingRow {
    pub rank: u32,
    pub unit_name: String,
    pub total: Decimal,
    /// The index in percent (`86.44` for 86,44%).
    pub index: Decimal,
    pub band: String,
    /// Points per field, in the order of [`Ranking::fields`]; `None` where the field does not
    /// apply to the unit.
    pub field_points: Vec<Option<Decimal>>,
    /// Places gained since last year (negative: lost); `None` for a unit not ranked last year.
    pub change: Option<i64>,
}

/// Ranks within one field: positions into `rows`, best first, each with its rank. Points are
/// compared as published (two decimals), equal ones share a rank and the next skips
/// (1, 2, 2, 4); ties keep the overall order. Units the field does not apply to come last,
/// without a rank.
pub fn field_ranks(rows: &[RankingRow], field: usize) -> Vec<(usize, Option<u32>)> {
    let points = |i: usize| {
        rows[i]
            .field_points
            .get(field)
            .copied()
            .flatten()
            .map(published)
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // Stable: equal points keep the overall order; `None` sorts after every value.
    order.sort_by(|&a, &b| match (points(a), points(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (a, b) => b.is_some().cmp(&a.is_some()),
    });
    let mut out = Vec::with_capacity(order.len());
    let mut previous: Option<(Decimal, u32)> = None;
    for (place, i) in order.into_iter().enumerate() {
        let rank = points(i).map(|p| match previous {
            Some((q, r)) if q == p => r,
            _ => {
                previous = Some((p, place as u32 + 1));
                place as u32 + 1
            }
        });
        out.push((i, rank));
    }
    out
}

/// A field's sheet name: "Lĩnh vực {code}", without the characters Excel refuses, cut to
/// Excel's length limit.
fn field_sheet_name(code: &str, taken: &[String]) -> String {
    let clean: String = format!("Lĩnh vực {code}")
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'' => '-',
            c => c,
        })
        .take(MAX_SHEET_NAME)
        .collect();
    // Two codes that clean to the same name still need two sheets.
    let mut name = clean.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({n})");
        let keep = MAX_SHEET_NAME - suffix.chars().count();
        name = clean.chars().take(keep).collect::<String>() + &suffix;
        n += 1;
    }
    name
}

fn max_text(max: Decimal) -> String {
    format!("(tối đa {})", format::points(max, Lang::Vi))
}

/// Writes the ranking workbook: [`SUMMARY_SHEET`] then one sheet per field.
pub fn ranking_workbook(ranking: &Ranking) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let change = f.integer.clone().set_num_format(CHANGE_FORMAT);
    let mut workbook = Workbook::new();
    let title = ranking.title.to_uppercase();
    let year = format!("Năm {}", ranking.year);

    let sheet = workbook.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;
    let mut heads = vec!["Xếp hạng".to_string(), "Đơn vị".to_string()];
    for field in &ranking.fields {
        heads.push(format!(
            "{}. {}\n{}",
            field.code,
            field.name,
            max_text(field.max)
        ));
    }
    // No maximum on the total: a unit exempt from a field has a smaller one.
    heads.extend([
        "Tổng điểm".into(),
        "Chỉ số (%)".into(),
        "Xếp loại".into(),
        "Thay đổi thứ hạng so với năm trước".into(),
    ]);
    let last_col = (heads.len() - 1) as u16;
    write_titles(sheet, last_col, &[(&title, &f.title), (&year, &f.subtitle)])?;
    header(sheet, &heads, &f.header)?;
    let n_fields = ranking.fields.len() as u16;
    for (i, unit) in ranking.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(r, 0, unit.rank, &f.integer)?;
        sheet.write_string_with_format(r, 1, &unit.unit_name, &f.text)?;
        for c in 0..n_fields {
            let points = unit.field_points.get(c as usize).copied().flatten();
            write_points(sheet, r, 2 + c, points, &f.number)?;
        }
        let c = 2 + n_fields;
        write_points(sheet, r, c, Some(unit.total), &f.bold_number)?;
        write_points(sheet, r, c + 1, Some(unit.index), &f.bold_number)?;
        sheet.write_string_with_format(r, c + 2, &unit.band, &f.integer)?;
        match unit.change {
            // Rank changes are small whole numbers: exact as doubles.
            Some(v) => sheet.write_number_with_format(r, c + 3, v as f64, &change)?,
            None => sheet.write_blank(r, c + 3, &f.text)?,
        };
    }
    let mut widths = vec![9.0, 40.0];
    widths.extend(std::iter::repeat_n(14.0, ranking.fields.len()));
    widths.extend([12.0, 10.0, 12.0, 16.0]);
    column_widths(sheet, &widths)?;
    sheet.set_row_height(HEADER_ROW, 75)?;
    page_setup(sheet, HEADER_ROW, 2)?;

    let mut names = vec![SUMMARY_SHEET.to_string()];
    for (k, field) in ranking.fields.iter().enumerate() {
        let name = field_sheet_name(&field.code, &names);
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        names.push(name);
        field_sheet(sheet, ranking, k, &title, &f)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn header(sheet: &mut Worksheet, heads: &[String], format: &Format) -> Result<(), ReportError> {
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, h, format)?;
    }
    Ok(())
}

/// One field's ranking: units by that field's points, with the component index.
fn field_sheet(
    sheet: &mut Worksheet,
    ranking: &Ranking,
    k: usize,
    title: &str,
    f: &Formats,
) -> Result<(), ReportError> {
    let field = &ranking.fields[k];
    let subtitle = format!(
        "Lĩnh vực {}. {} {} — năm {}",
        field.code,
        field.name,
        max_text(field.max),
        ranking.year
    );
    let heads: Vec<String> = [
        "Xếp hạng trong lĩnh vực",
        "Đơn vị",
        "Điểm",
        "Chỉ số thành phần (%)",
        "Xếp hạng chung",
    ]
    .map(String::from)
    .to_vec();
    write_titles(sheet, 4, &[(title, &f.title), (&subtitle, &f.subtitle)])?;
    header(sheet, &heads, &f.header)?;
    let not_applicable = f
        .note
        .clone()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    for (place, (i, rank)) in field_ranks(&ranking.rows, k).into_iter().enumerate() {
        let unit = &ranking.rows[i];
        let r = HEADER_ROW + 1 + place as u32;
        match rank {
            Some(rank) => sheet.write_number_with_format(r, 0, rank, &f.integer)?,
            None => sheet.write_blank(r, 0, &f.integer)?,
        };
        sheet.write_string_with_format(r, 1, &unit.unit_name, &f.text)?;
        match unit.field_points.get(k).copied().flatten() {
            Some(points) => {
                write_points(sheet, r, 2, Some(points), &f.number)?;
                let percent = (!field.max.is_zero())
                    .then(|| published(points / field.max * Decimal::ONE_HUNDRED));
                write_points(sheet, r, 3, percent, &f.number)?;
            }
            None => {
                sheet.merge_range(r, 2, r, 3, "Không áp dụng", &not_applicable)?;
            }
        }
        sheet.write_number_with_format(r, 4, unit.rank, &f.integer)?;
    }
    column_widths(sheet, &[12.0, 44.0, 12.0, 14.0, 12.0])?;
    sheet.set_row_height(HEADER_ROW, 45)?;
    page_setup(sheet, HEADER_ROW, 2)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn unit(
        rank: u32,
        name: &str,
        points: [Option<&str>; 2],
        index: &str,
        band: &str,
        change: Option<i64>,
    ) -> RankingRow {
        let field_points: Vec<Option<Decimal>> = points.iter().map(|p| p.map(d)).collect();
        RankingRow {
            rank,
            unit_name: name.into(),
            total: field_points.iter().flatten().sum(),
            index: d(index),
            band: band.into(),
            field_points,
            change,
        }
    }

    fn sample() -> Ranking {
        Ranking {
            title: "Kết quả xếp hạng Chỉ số CCHC các sở, ban, ngành".into(),
            year: 2025,
            fields: vec![
                RankingField {
                    code: "1".into(),
                    name: "Công tác chỉ đạo, điều hành CCHC".into(),
                    max: d("9.5"),
                },
                RankingField {
                    code: "3".into(),
                    name: "Cải cách thủ tục hành chính".into(),
                    max: d("14.5"),
                },
            ],
            rows: vec![
                unit(
                    1,
                    "Sở Tư pháp",
                    [Some("9"), Some("13.75")],
                    "94.79",
                    "Xuất sắc",
                    Some(2),
                ),
                unit(
                    2,
                    "Sở Nội vụ",
                    [Some("8.82"), Some("13.5")],
                    "92.92",
                    "Xuất sắc",
                    Some(-1),
                ),
                unit(
                    3,
                    "Sở Tài chính",
                    [Some("9"), Some("12")],
                    "87.50",
                    "Tốt",
                    Some(0),
                ),
                unit(
                    4,
                    "Ban Quản lý các khu công nghiệp",
                    [Some("8.5"), None],
                    "89.47",
                    "Tốt",
                    None,
                ),
            ],
        }
    }

    #[test]
    fn ties_share_a_field_rank_and_exempt_units_come_last() {
        let rows = sample().rows;
        assert_eq!(
            field_ranks(&rows, 0),
            vec![(0, Some(1)), (2, Some(1)), (1, Some(3)), (3, Some(4))]
        );
        assert_eq!(
            field_ranks(&rows, 1),
            vec![(0, Some(1)), (1, Some(2)), (2, Some(3)), (3, None)]
        );
    }

    #[test]
    fn points_equal_once_published_tie() {
        let mut rows = sample().rows;
        rows[1].field_points[0] = Some(d("8.995"));
        rows[0].field_points[0] = Some(d("9.004"));
        let ranks: Vec<_> = field_ranks(&rows, 0).into_iter().map(|(_, r)| r).collect();
        assert_eq!(ranks, vec![Some(1), Some(1), Some(1), Some(4)]);
    }

    #[test]
    fn sheet_names_stay_valid_and_distinct() {
        let taken = vec!["Lĩnh vực 1-2".to_string()];
        assert_eq!(field_sheet_name("1/2", &taken), "Lĩnh vực 1-2 (2)");
        let long = field_sheet_name(&"x".repeat(40), &[]);
        assert_eq!(long.chars().count(), MAX_SHEET_NAME);
    }

    #[test]
    fn the_ranking_reads_back() {
        let bytes = ranking_workbook(&sample()).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }
}
