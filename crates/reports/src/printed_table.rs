//! What the printed result tables (annex, ranking) share: their cell formats, the exact-decimal
//! number cell, the merged title rows and the A4 landscape page set-up.
//!
//! Points are written with the number format `0.00`. A number format stores no separator of its
//! own: Excel and LibreOffice show the `.` of the format as the reader's decimal separator, so
//! under a Vietnamese locale a cell reads `8,82` while staying a number people can add up.

use crate::ReportError;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};

/// The number format of points and percentages: two decimals, as results are published.
pub const POINTS_FORMAT: &str = "0.00";

/// Paper size code of A4 in the spreadsheet format.
const A4: u8 = 9;

/// The formats of one table, built once per workbook.
pub(crate) struct Formats {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub text: Format,
    pub bold_text: Format,
    pub number: Format,
    pub bold_number: Format,
    pub integer: Format,
    pub note: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let number = cell
            .clone()
            .set_num_format(POINTS_FORMAT)
            .set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            header: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(0xE7EBF0),
            bold_text: cell.clone().set_bold(),
            bold_number: number.clone().set_bold(),
            integer: cell.clone().set_align(FormatAlign::Center),
            text: cell,
            number,
            note: Format::new().set_italic(),
        }
    }
}

/// Writes exact points as a number cell, or a bordered blank when there are none.
///
/// Excel stores numbers as binary doubles, so the decimal is converted here and nowhere
/// earlier; a value with a few decimals (all points are) comes back as the same text.
pub(crate) fn write_points(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), ReportError> {
    match value.and_then(|v| v.to_f64()) {
        Some(v) => sheet.write_number_with_format(row, col, v, format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

/// Writes `lines` as centred title rows merged across columns `0..=last_col`, from row 0.
pub(crate) fn write_titles(
    sheet: &mut Worksheet,
    last_col: u16,
    lines: &[(&str, &Format)],
) -> Result<(), ReportError> {
    for (r, (text, format)) in lines.iter().enumerate() {
        sheet.merge_range(r as u32, 0, r as u32, last_col, text, format)?;
    }
    sheet.set_row_height(0, 36)?;
    Ok(())
}

/// A4 landscape, one page wide, the header row repeated on every page and frozen on screen
/// with the first `frozen_cols` columns.
pub(crate) fn page_setup(
    sheet: &mut Worksheet,
    header_row: u32,
    frozen_cols: u16,
) -> Result<(), ReportError> {
    sheet.set_freeze_panes(header_row + 1, frozen_cols)?;
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    Ok(())
}

/// Sets column widths from the left.
pub(crate) fn column_widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), ReportError> {
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    Ok(())
}
