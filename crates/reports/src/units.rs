//! The list of administrative units as an Excel workbook.

use crate::ReportError;
use chiso_core::format;
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::units::{Unit, UnitType};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use std::collections::HashMap;

/// The sheet's name.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Đơn vị",
        Lang::En => "Units",
    }
}

fn headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Vi => [
            "STT",
            "Mã",
            "Tên đơn vị",
            "Loại",
            "Đơn vị cấp trên",
            "Hiệu lực từ",
            "Hiệu lực đến",
            "Trạng thái",
        ],
        Lang::En => [
            "No.",
            "Code",
            "Unit",
            "Type",
            "Parent unit",
            "Valid from",
            "Valid to",
            "Status",
        ],
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, ReportError> {
    // Dates outside Excel's range (before 1900) cannot occur for units; the writer reports them.
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// Writes `units` (in the order given) with their parents' names and today's status.
pub fn units_workbook(
    units: &[Unit],
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let names: HashMap<UnitId, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let province = units
        .iter()
        .find(|u| u.unit_type == UnitType::Province && u.is_active_on(today))
        .map(|u| u.name.to_uppercase());
    let (title, as_of, active, ended) = match lang {
        Lang::Vi => (
            "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH",
            "Tính đến ngày",
            "Đang hoạt động",
            "Hết hiệu lực",
        ),
        Lang::En => ("ADMINISTRATIVE UNITS", "As of", "In operation", "Ended"),
    };
    let title = match province {
        Some(p) => format!("{title} — {p}"),
        None => title.to_string(),
    };

    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let subtitle_fmt = Format::new().set_italic().set_align(FormatAlign::Center);
    let header_fmt = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(0xE7EBF0);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let date = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("dd/mm/yyyy");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(lang))?;
    let heads = headers(lang);
    let last_col = (heads.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col, &title, &title_fmt)?;
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        &format!("{as_of} {}", format::date(today)),
        &subtitle_fmt,
    )?;
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &header_fmt)?;
    }
    for (i, u) in units.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        sheet.write_string_with_format(r, 1, &u.code, &cell)?;
        sheet.write_string_with_format(r, 2, &u.name, &cell)?;
        sheet.write_string_with_format(r, 3, u.unit_type.label(lang), &cell)?;
        let parent = u.parent.and_then(|p| names.get(&p)).copied().unwrap_or("");
        sheet.write_string_with_format(r, 4, parent, &cell)?;
        sheet.write_datetime_with_format(r, 5, excel_date(u.valid_from)?, &date)?;
        match u.valid_to {
            Some(end) => sheet.write_datetime_with_format(r, 6, excel_date(end)?, &date)?,
            None => sheet.write_blank(r, 6, &cell)?,
        };
        let status = if u.is_active_on(today) { active } else { ended };
        sheet.write_string_with_format(r, 7, status, &cell)?;
    }
    for (c, w) in [6.0, 14.0, 44.0, 22.0, 32.0, 13.0, 13.0, 16.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(4, 0)?;
    sheet.set_repeat_rows(3, 3)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    if !units.is_empty() {
        sheet.autofilter(3, 0, 3 + units.len() as u32, last_col)?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::io::Cursor;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn unit(
        id: i64,
        code: &str,
        name: &str,
        t: UnitType,
        parent: Option<i64>,
        to: Option<NaiveDate>,
    ) -> Unit {
        Unit {
            id: UnitId(id),
            code: code.into(),
            name: name.into(),
            unit_type: t,
            parent: parent.map(UnitId),
            valid_from: day(2004, 1, 1),
            valid_to: to,
        }
    }

    #[test]
    fn the_workbook_reads_back_with_vietnamese_headers_and_real_dates() {
        let units = vec![
            unit(1, "MS", "Tỉnh Minh Sơn", UnitType::Province, None, None),
            unit(2, "STP", "Sở Tư pháp", UnitType::Department, Some(1), None),
            unit(
                3,
                "H-ML",
                "Huyện Minh Lâm",
                UnitType::District,
                Some(1),
                Some(day(2025, 6, 30)),
            ),
        ];
        let bytes = units_workbook(&units, day(2026, 1, 15), Lang::Vi).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Đơn vị").unwrap();
        let text = |r: u32, c: u32| {
            range
                .get_value((r, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        assert_eq!(text(0, 0), "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH — TỈNH MINH SƠN");
        assert_eq!(text(1, 0), "Tính đến ngày 15/01/2026");
        assert_eq!(text(3, 2), "Tên đơn vị");
        assert_eq!(
            (text(5, 1), text(5, 2), text(5, 4)),
            ("STP".into(), "Sở Tư pháp".into(), "Tỉnh Minh Sơn".into())
        );
        assert_eq!(text(6, 7), "Hết hiệu lực");
        assert_eq!(text(5, 7), "Đang hoạt động");
        match range.get_value((6, 6)) {
            Some(Data::DateTime(d)) => {
                let serial = (day(2025, 6, 30) - day(1899, 12, 30)).num_days() as f64;
                assert_eq!(d.as_f64(), serial);
            }
            other => panic!("the end date must be an Excel date, got {other:?}"),
        }
        assert_eq!(range.get_value((5, 6)), Some(&Data::Empty));
    }

    #[test]
    fn the_units_read_back() {
        let dated = |id, code, name, t, parent, from, to| Unit {
            valid_from: from,
            ..unit(id, code, name, t, parent, to)
        };
        let units = vec![
            unit(1, "QN", "Tỉnh Quảng Ninh", UnitType::Province, None, None),
            unit(2, "SNV", "Sở Nội vụ", UnitType::Department, Some(1), None),
            unit(3, "STP", "Sở Tư pháp", UnitType::Department, Some(1), None),
            unit(
                4,
                "SKHCN",
                "Sở Khoa học và Công nghệ",
                UnitType::Department,
                Some(1),
                None,
            ),
            unit(
                5,
                "H-DT",
                "Huyện Đầm Hà",
                UnitType::District,
                Some(1),
                Some(day(2025, 6, 30)),
            ),
            dated(
                6,
                "X-DH",
                "Xã Đầm Hà",
                UnitType::Commune,
                Some(1),
                day(2025, 7, 1),
                None,
            ),
            dated(
                7,
                "P-HG",
                "Phường Hồng Gai",
                UnitType::Commune,
                Some(1),
                day(2025, 7, 1),
                None,
            ),
        ];
        let bytes = units_workbook(&units, day(2026, 1, 15), Lang::Vi).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }

    #[test]
    fn english_headers() {
        let bytes = units_workbook(&[], day(2026, 1, 15), Lang::En).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Units").unwrap();
        assert_eq!(range.get_value((3, 1)).unwrap().to_string(), "Code");
    }
}
