//! The first sheet of an uploaded workbook as rows of text, each with the row number Excel
//! shows and its cells from column A, for importers that check rows themselves (published
//! results: `chiso_core::external::parse_rows`).

use crate::framework_xlsx::cell_text;
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chiso_core::lang::Lang;
use std::io::Cursor;

/// A sheet's name and rows: (1-based row number, cells from column A). Empty rows are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRows {
    pub name: String,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Why a workbook cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetRowsError {
    /// Not an .xlsx file calamine can open (the reader's words).
    NotAWorkbook(String),
    /// The workbook has no sheet.
    NoSheet,
}

impl SheetRowsError {
    /// A sentence for the person.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SheetRowsError::NotAWorkbook(e), Lang::Vi) => {
                format!("Tệp không phải bảng tính Excel (.xlsx) đọc được ({e}).")
            }
            (SheetRowsError::NotAWorkbook(e), Lang::En) => {
                format!("The file is not a readable Excel workbook (.xlsx) ({e}).")
            }
            (SheetRowsError::NoSheet, Lang::Vi) => "Bảng tính không có trang tính nào.".into(),
            (SheetRowsError::NoSheet, Lang::En) => "The workbook has no sheet.".into(),
        }
    }
}

/// Reads the first sheet. Numbers come as the shortest decimal text of their value (what was
/// typed: `86.44`), text trimmed, empty cells as empty strings.
pub fn first_sheet(bytes: &[u8]) -> Result<SheetRows, SheetRowsError> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| SheetRowsError::NotAWorkbook(e.to_string()))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetRowsError::NoSheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| SheetRowsError::NotAWorkbook(e.to_string()))?;
    // A range starts at its first used cell, not at A1.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut texts = vec![String::new(); first_col as usize];
            texts.extend(cells.iter().map(cell_text));
            (u64::from(first_row) + i as u64 + 1, texts)
        })
        .collect();
    Ok(SheetRows { name, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    #[test]
    fn rows_keep_their_excel_numbers_and_column_letters() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Kết quả 2024").unwrap();
        // The table starts at B3: the rows and columns before it are empty.
        sheet.write_string(2, 1, "Tỉnh").unwrap();
        sheet.write_string(2, 2, "Điểm").unwrap();
        sheet.write_string(3, 1, " Tỉnh Minh Sơn ").unwrap();
        sheet.write_number(3, 2, 86.44).unwrap();
        sheet.write_number(4, 2, 7.0).unwrap();
        book.add_worksheet().write_string(0, 0, "khác").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let s = first_sheet(&bytes).unwrap();
        assert_eq!(s.name, "Kết quả 2024");
        assert_eq!(
            s.rows,
            vec![
                (3, vec!["".into(), "Tỉnh".into(), "Điểm".into()]),
                (4, vec!["".into(), "Tỉnh Minh Sơn".into(), "86.44".into()]),
                (5, vec!["".into(), "".into(), "7".into()]),
            ]
        );
    }

    #[test]
    fn other_files_are_refused() {
        assert!(matches!(
            first_sheet(b"name,value\n"),
            Err(SheetRowsError::NotAWorkbook(_))
        ));
    }
}
