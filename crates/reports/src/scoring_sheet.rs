//! A unit's scoring sheet for offline work: one row per item with what the item's rule asks for
//! (figures, a level, met or not, points), filled with what is stored, to be completed in Excel
//! and uploaded again. Reading it back gives the typed cells per item code with their row; the
//! web layer checks them against the rules, shows the differences and saves what is confirmed.

use crate::ReportError;
use crate::framework_xlsx::{SheetError, cell_text};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use std::io::Cursor;

/// The sheet's name.
pub const SHEET: &str = "Phiếu chấm điểm";

/// The columns, in order: (key, Vietnamese header).
pub const COLUMNS: [(&str, &str); 13] = [
    ("code", "Mã"),
    ("name", "Tiêu chí thành phần"),
    ("how", "Cách chấm"),
    ("max", "Điểm tối đa"),
    ("numerator", "Tử số"),
    ("denominator", "Mẫu số"),
    ("level", "Mức (số thứ tự)"),
    ("met", "Đạt (có/không)"),
    ("points", "Điểm"),
    ("na", "Không áp dụng (x)"),
    ("na_reason", "Lý do không áp dụng"),
    ("explanation", "Giải trình"),
    ("version", "Phiên bản (không sửa)"),
];

/// An item as written: its description and current values as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetItem {
    pub code: String,
    pub name: String,
    /// What to fill, e.g. "Theo mức: 1 = Đầy đủ (1); 2 = Chưa đầy đủ (0,5)".
    pub how: String,
    pub max: Option<Decimal>,
    /// Whether the account may change this item (others are written greyed, for reference).
    pub editable: bool,
    /// Current values by column key (`numerator`, `level`…), as the sheet shows them.
    pub values: Vec<(&'static str, String)>,
    pub version: i64,
}

/// A row read back: its Excel row number, the item code and each fillable cell by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub row: u32,
    pub code: String,
    pub cells: Vec<(&'static str, String)>,
}

impl SheetRow {
    /// The cell of a column key, trimmed; empty when absent.
    pub fn get(&self, key: &str) -> &str {
        self.cells
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }
}

/// Writes the sheet: two title rows, the header, one row per item.
pub fn write(title: &str, subtitle: &str, items: &[SheetItem]) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(13)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(0xDDEBF7);
    let cell = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let locked = cell.clone().set_background_color(0xEEEEEE);
    let number = cell.clone().set_num_format("0.00");
    let last = (COLUMNS.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last, title, &title_format)?;
    sheet.merge_range(
        1,
        0,
        1,
        last,
        subtitle,
        &Format::new().set_align(FormatAlign::Center),
    )?;
    for (c, (_, h)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &header)?;
    }
    for (i, item) in items.iter().enumerate() {
        let r = 3 + i as u32;
        let fill = if item.editable { &cell } else { &locked };
        sheet.write_string_with_format(r, 0, &item.code, &locked)?;
        sheet.write_string_with_format(r, 1, &item.name, &locked)?;
        sheet.write_string_with_format(r, 2, &item.how, &locked)?;
        match item.max {
            Some(m) => {
                let v: f64 = m.to_string().parse().unwrap_or(0.0);
                sheet.write_number_with_format(
                    r,
                    3,
                    v,
                    &number.clone().set_background_color(0xEEEEEE),
                )?
            }
            None => sheet.write_string_with_format(r, 3, "", &locked)?,
        };
        for (c, (key, _)) in COLUMNS.iter().enumerate().skip(4).take(8) {
            let v = item
                .values
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            sheet.write_string_with_format(r, c as u16, v, fill)?;
        }
        sheet.write_number_with_format(r, last, item.version as f64, &locked)?;
    }
    for (c, w) in [
        8.0, 48.0, 36.0, 9.0, 9.0, 9.0, 9.0, 9.0, 8.0, 10.0, 24.0, 40.0, 9.0,
    ]
    .iter()
    .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(3, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(2, 2)?;
    // Thirteen columns: one page wide, as many long as the items need.
    sheet.set_print_fit_to_pages(1, 0);
    Ok(book.save_to_buffer()?)
}

/// Reads a sheet written by [`write`] (or edited from one): the rows with an item code, every
/// problem of the file itself named by sheet, row and column.
pub fn read(bytes: &[u8]) -> Result<Vec<SheetRow>, Vec<SheetError>> {
    let whole = |message: String| {
        vec![SheetError {
            sheet: SHEET.to_string(),
            row: 0,
            column: None,
            message,
        }]
    };
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        whole(format!(
            "tệp không phải bảng tính Excel (.xlsx) đọc được: {e}"
        ))
    })?;
    let range = book
        .worksheet_range(SHEET)
        .map_err(|_| whole(format!("thiếu trang tính \"{SHEET}\"")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|cells| {
            let mut texts = vec![String::new(); first_col as usize];
            texts.extend(cells.iter().map(cell_text));
            texts
        })
        .collect();
    // The header is the row whose first cell is "Mã"; columns are found by their header, so
    // a sheet with columns moved still reads.
    let Some(h) = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c.trim() == COLUMNS[0].1))
    else {
        return Err(whole(format!(
            "không tìm thấy dòng tiêu đề (ô đầu tiên \"{}\")",
            COLUMNS[0].1
        )));
    };
    let header = &rows[h];
    let position = |title: &str| header.iter().position(|c| c.trim() == title);
    let mut missing = Vec::new();
    let mut at = Vec::new();
    for (key, title) in COLUMNS.iter() {
        match position(title) {
            Some(p) => at.push((*key, p)),
            None if matches!(*key, "name" | "how" | "max") => {}
            None => missing.push(*title),
        }
    }
    if !missing.is_empty() {
        return Err(whole(format!("thiếu cột: {}", missing.join(", "))));
    }
    let code_col = at
        .iter()
        .find(|(k, _)| *k == "code")
        .map(|(_, p)| *p)
        .unwrap_or(0);
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(h + 1) {
        let code = r
            .get(code_col)
            .map(|c| c.trim().to_string())
            .unwrap_or_default();
        if code.is_empty() {
            continue;
        }
        out.push(SheetRow {
            row: first_row + i as u32 + 1,
            code,
            cells: at
                .iter()
                .filter(|(k, _)| !matches!(*k, "code" | "name" | "how" | "max"))
                .map(|(k, p)| (*k, r.get(*p).cloned().unwrap_or_default()))
                .collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;

    #[test]
    fn a_sheet_reads_back_what_was_written_and_edited_cells() {
        let items = vec![
            SheetItem {
                code: "1.1".into(),
                name: "Ban hành kế hoạch CCHC".into(),
                how: "Đạt / không đạt".into(),
                max: Some(Decimal::new(1, 0)),
                editable: true,
                values: vec![("met", "có".into()), ("explanation", "Đã ban hành".into())],
                version: 3,
            },
            SheetItem {
                code: "2.1".into(),
                name: "Tỷ lệ hồ sơ đúng hạn".into(),
                how: "Theo khoảng tỷ lệ".into(),
                max: Some(Decimal::new(25, 1)),
                editable: false,
                values: vec![("numerator", "412".into()), ("denominator", "430".into())],
                version: 0,
            },
        ];
        let bytes = write("PHIẾU CHẤM ĐIỂM", "Sở Tư pháp — 2025", &items).unwrap();
        let rows = read(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].code.as_str()), (4, "1.1"));
        assert_eq!(rows[0].get("met"), "có");
        assert_eq!(rows[0].get("explanation"), "Đã ban hành");
        assert_eq!(rows[0].get("version"), "3");
        assert_eq!(rows[1].get("numerator"), "412");
        assert_eq!(rows[1].get("points"), "");
    }

    #[test]
    fn a_workbook_without_the_sheet_or_header_is_refused_whole() {
        let mut book = Workbook::new();
        book.add_worksheet().set_name("Khác").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let e = read(&bytes).unwrap_err();
        assert!(e[0].message.contains(SHEET), "{:?}", e);
        assert!(read(b"not a workbook").is_err());
    }

    #[test]
    fn the_sheet_reads_back() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        let item = |code: &str,
                    name: &str,
                    how: &str,
                    max,
                    editable,
                    values: &[(&'static str, &str)],
                    version| SheetItem {
            code: code.into(),
            name: name.into(),
            how: how.into(),
            max,
            editable,
            values: values.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            version,
        };
        let items = vec![
            item(
                "1.1.1",
                "Ban hành kế hoạch cải cách hành chính năm",
                "Theo mức: 1 = Ban hành đúng hạn (1); 2 = Ban hành chậm (0,5); 3 = Không ban hành (0)",
                d("1"),
                true,
                &[
                    ("level", "1"),
                    ("explanation", "Kế hoạch số 12/KH-STP ngày 05/01/2025"),
                ],
                4,
            ),
            item(
                "1.1.2",
                "Mức độ hoàn thành kế hoạch cải cách hành chính",
                "Theo khoảng tỷ lệ: Số nhiệm vụ hoàn thành / Tổng số nhiệm vụ theo kế hoạch",
                d("1"),
                true,
                &[
                    ("numerator", "27"),
                    ("denominator", "30"),
                    ("explanation", ""),
                ],
                2,
            ),
            item(
                "1.2",
                "Báo cáo cải cách hành chính định kỳ",
                "Chấm điểm trực tiếp",
                d("2"),
                true,
                &[
                    ("points", "1,75"),
                    ("explanation", "Báo cáo quý III gửi chậm 2 ngày"),
                ],
                1,
            ),
            item(
                "1.4",
                "Để xảy ra vi phạm kỷ luật hành chính",
                "Điểm trừ",
                None,
                true,
                &[],
                0,
            ),
            item(
                "2.2",
                "Công khai thủ tục hành chính",
                "Đạt / không đạt",
                d("2"),
                false,
                &[
                    ("na", "x"),
                    ("na_reason", "Đơn vị không có thủ tục hành chính"),
                    ("explanation", ""),
                ],
                3,
            ),
            item(
                "2.1",
                "Tỷ lệ hồ sơ giải quyết đúng hạn",
                "Tỷ lệ thuận: Hồ sơ đúng hạn / Tổng số hồ sơ",
                d("2.5"),
                false,
                &[("numerator", "1.204"), ("denominator", "1.250")],
                0,
            ),
        ];
        let bytes = write(
            "PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM — Sở Tư pháp",
            "Tự đánh giá năm 2025",
            &items,
        )
        .unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }
}
