//! The annex table (phụ biểu) of one unit's assessment in a round: every field, criterion and
//! sub-criterion with its maximum, the self-assessed score, both appraisals, the final score,
//! the appraisal's reason and the evidence, then the total — the table that goes with the
//! self-assessment report in the unit's dossier.
//!
//! Points use the number format `0.00` ([`POINTS_FORMAT`](crate::printed_table::POINTS_FORMAT)):
//! Excel and LibreOffice show it with the reader's decimal separator, so a Vietnamese locale
//! reads `8,82`.

use crate::ReportError;
use crate::printed_table::{Formats, column_widths, page_setup, write_points, write_titles};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

/// The sheet's name.
pub const SHEET: &str = "Phụ biểu";

/// Column headers, left to right.
pub const HEADERS: [&str; 9] = [
    "STT/Mã",
    "Lĩnh vực, tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định lần 1",
    "Điểm thẩm định lần 2",
    "Điểm cuối cùng",
    "Lý do điều chỉnh",
    "Tài liệu kiểm chứng",
];

/// Marks the score cells of a survey item, which the unit does not score itself.
const SURVEY_MARK: &str = "ĐTXHH";

/// The row where the column headers are (0-based); title rows come before it.
const HEADER_ROW: u32 = 4;

/// One unit's assessment in a round, as the annex shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    pub unit_name: String,
    pub round_name: String,
    pub framework_name: String,
    pub year: i32,
    /// The framework's nodes, parents before their children.
    pub rows: Vec<AnnexRow>,
    /// Who approved the self-assessment, and when; `None` while it is a draft.
    pub signed_by: Option<(String, NaiveDate)>,
}

/// One node of the framework with its scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexRow {
    pub code: String,
    pub name: String,
    /// 0 for a field, 1 for a criterion, 2 for a sub-criterion, and so on.
    pub depth: u8,
    pub max: Option<Decimal>,
    pub self_score: Option<Decimal>,
    pub appraisal1: Option<Decimal>,
    pub appraisal2: Option<Decimal>,
    pub final_score: Option<Decimal>,
    /// Points come from the sociological survey, not from the unit.
    pub survey: bool,
    /// The appraisal's reason for changing the score.
    pub reason: String,
    /// Document numbers or names, one per document.
    pub evidence: Vec<String>,
}

/// The totals of the annex: each score column summed over the shallowest rows (the fields),
/// since a field's points already include its criteria. A column no field has a value in
/// stays empty rather than showing a made-up zero.
pub fn totals(rows: &[AnnexRow]) -> [Option<Decimal>; 5] {
    let top = rows.iter().map(|r| r.depth).min().unwrap_or(0);
    let sum = |get: fn(&AnnexRow) -> Option<Decimal>| {
        rows.iter()
            .filter(|r| r.depth == top)
            .filter_map(get)
            .fold(None, |acc: Option<Decimal>, v| {
                Some(acc.unwrap_or_default() + v)
            })
    };
    [
        sum(|r| r.max),
        sum(|r| r.self_score),
        sum(|r| r.appraisal1),
        sum(|r| r.appraisal2),
        sum(|r| r.final_score),
    ]
}

/// Writes the annex workbook: one sheet [`SHEET`], ready to print on A4 landscape.
pub fn annex_workbook(annex: &Annex) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let last_col = (HEADERS.len() - 1) as u16;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;

    let title = format!(
        "PHỤ BIỂU KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {}",
        annex.year
    );
    let unit = format!("Đơn vị: {}", annex.unit_name);
    let round = format!(
        "Đợt đánh giá: {} — Bộ chỉ số: {}",
        annex.round_name, annex.framework_name
    );
    let round_fmt = f.note.clone().set_align(FormatAlign::Center);
    write_titles(
        sheet,
        last_col,
        &[
            (&title, &f.title),
            (&unit, &f.subtitle),
            (&round, &round_fmt),
        ],
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, *h, &f.header)?;
    }

    let survey_fmt = f.text.clone().set_italic().set_align(FormatAlign::Center);
    let mut row = HEADER_ROW + 1;
    for node in &annex.rows {
        let field = node.depth == 0;
        let (text, number) = if field {
            (&f.bold_text, &f.bold_number)
        } else {
            (&f.text, &f.number)
        };
        sheet.write_string_with_format(row, 0, &node.code, text)?;
        // Indentation shows the tree where the codes alone would have to be read.
        let name_fmt = text.clone().set_indent(node.depth);
        sheet.write_string_with_format(row, 1, &node.name, &name_fmt)?;
        write_points(sheet, row, 2, node.max, number)?;
        let scores = [node.self_score, node.appraisal1, node.appraisal2];
        for (i, score) in scores.into_iter().enumerate() {
            let col = 3 + i as u16;
            if node.survey && score.is_none() {
                sheet.write_string_with_format(row, col, SURVEY_MARK, &survey_fmt)?;
            } else {
                write_points(sheet, row, col, score, number)?;
            }
        }
        write_points(sheet, row, 6, node.final_score, number)?;
        sheet.write_string_with_format(row, 7, &node.reason, &f.text)?;
        sheet.write_string_with_format(row, 8, node.evidence.join("\n"), &f.text)?;
        row += 1;
    }

    sheet.merge_range(row, 0, row, 1, "Tổng cộng", &f.bold_text)?;
    for (i, total) in totals(&annex.rows).into_iter().enumerate() {
        write_points(sheet, row, 2 + i as u16, total, &f.bold_number)?;
    }
    sheet.write_blank(row, 7, &f.text)?;
    sheet.write_blank(row, 8, &f.text)?;
    row += 1;

    if annex.rows.iter().any(|r| r.survey) {
        row += 1;
        sheet.write_string_with_format(
            row,
            0,
            format!(
                "Ghi chú: {SURVEY_MARK} — điểm do điều tra xã hội học xác định, đơn vị không tự chấm."
            ),
            &f.note,
        )?;
    }
    row += 2;
    signature(sheet, row, last_col, annex.signed_by.as_ref())?;

    column_widths(
        sheet,
        &[9.0, 58.0, 10.0, 11.0, 12.0, 12.0, 11.0, 34.0, 34.0],
    )?;
    sheet.set_row_height(HEADER_ROW, 45)?;
    page_setup(sheet, HEADER_ROW, 2)?;
    Ok(workbook.save_to_buffer()?)
}

/// The approval line under the table, on the right as a signature is.
fn signature(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    last_col: u16,
    signed_by: Option<&(String, NaiveDate)>,
) -> Result<(), ReportError> {
    let centred = Format::new().set_align(FormatAlign::Center);
    let first = last_col - 2;
    match signed_by {
        Some((name, day)) => {
            sheet.merge_range(
                row,
                first,
                row,
                last_col,
                &format!(
                    "Ngày {:02} tháng {:02} năm {}",
                    day.day(),
                    day.month(),
                    day.year()
                ),
                &centred.clone().set_italic(),
            )?;
            sheet.merge_range(
                row + 1,
                first,
                row + 1,
                last_col,
                "ĐÃ KÝ DUYỆT",
                &centred.clone().set_bold(),
            )?;
            sheet.merge_range(row + 2, first, row + 2, last_col, name, &centred.set_bold())?;
        }
        None => {
            sheet.merge_range(
                row,
                first,
                row,
                last_col,
                "Bản nháp — chưa ký duyệt",
                &centred.set_italic(),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;

    fn d(s: &str) -> Option<Decimal> {
        Some(s.parse().unwrap())
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        code: &str,
        name: &str,
        depth: u8,
        max: &str,
        scores: [Option<Decimal>; 4],
        survey: bool,
        reason: &str,
        evidence: &[&str],
    ) -> AnnexRow {
        AnnexRow {
            code: code.into(),
            name: name.into(),
            depth,
            max: d(max),
            self_score: scores[0],
            appraisal1: scores[1],
            appraisal2: scores[2],
            final_score: scores[3],
            survey,
            reason: reason.into(),
            evidence: evidence.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn sample() -> Annex {
        Annex {
            unit_name: "Sở Tư pháp".into(),
            round_name: "Thẩm định năm 2025".into(),
            framework_name: "Bộ chỉ số CCHC cấp sở (minh họa)".into(),
            year: 2025,
            rows: vec![
                row(
                    "1",
                    "Công tác chỉ đạo, điều hành cải cách hành chính",
                    0,
                    "9.5",
                    [d("8.75"), d("8.25"), d("8.5"), d("8.5")],
                    false,
                    "",
                    &[],
                ),
                row(
                    "1.1",
                    "Kế hoạch cải cách hành chính năm",
                    1,
                    "1",
                    [d("1"), d("0.5"), d("0.75"), d("0.75")],
                    false,
                    "Kế hoạch ban hành chậm 5 ngày; đã giải trình một phần",
                    &["Kế hoạch số 12/KH-STP ngày 05/01/2025"],
                ),
                row(
                    "1.1.1",
                    "Ban hành kế hoạch đúng thời hạn",
                    2,
                    "0.5",
                    [d("0.5"), d("0.25"), d("0.25"), d("0.25")],
                    false,
                    "",
                    &["Kế hoạch số 12/KH-STP", "Công văn số 30/STP-VP"],
                ),
                row(
                    "2",
                    "Tác động của cải cách hành chính đến người dân, tổ chức",
                    0,
                    "4",
                    [None, None, None, d("3.4")],
                    true,
                    "",
                    &[],
                ),
                row(
                    "2.1",
                    "Mức độ hài lòng của người dân",
                    1,
                    "4",
                    [None, None, None, d("3.4")],
                    true,
                    "",
                    &[],
                ),
            ],
            signed_by: Some((
                "Nguyễn Văn Định".into(),
                NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            )),
        }
    }

    #[test]
    fn totals_add_the_fields_only_and_keep_empty_columns_empty() {
        assert_eq!(
            totals(&sample().rows),
            [d("13.5"), d("8.75"), d("8.25"), d("8.5"), d("11.9")]
        );
        assert_eq!(totals(&[]), [None; 5]);
    }

    #[test]
    fn the_annex_reads_back() {
        let bytes = annex_workbook(&sample()).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }

    #[test]
    fn a_draft_says_it_is_not_signed() {
        let mut annex = sample();
        annex.signed_by = None;
        let text = read_back::xlsx(&annex_workbook(&annex).unwrap());
        assert!(text.contains("Bản nháp — chưa ký duyệt"), "{text}");
        assert!(!text.contains("ĐÃ KÝ DUYỆT"), "{text}");
    }
}
