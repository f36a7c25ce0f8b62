//! The respondent list the province sends the Ministry of Home Affairs for its sociological
//! survey, in the layout of the Ministry's template: a title row, then STT, group, unit, name,
//! position, phone and e-mail, one row per person, group by group. Always in Vietnamese: it is
//! the Ministry's form, whatever language the officer reads chiso in.

use crate::ReportError;
use chiso_core::lang::Lang;
use chiso_core::survey::contacts::ContactCategory;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// One person, as the workbook shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactLine {
    pub category: ContactCategory,
    /// The unit's name.
    pub unit: String,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

/// The columns of the Ministry's template.
pub const HEADERS: [&str; 7] = [
    "STT",
    "Nhóm đối tượng",
    "Cơ quan/đơn vị",
    "Họ và tên",
    "Chức vụ",
    "Số điện thoại",
    "Email",
];

/// The row (0-based) holding [`HEADERS`]; people follow it.
pub const HEADER_ROW: u32 = 2;

/// Writes the year's list; people keep their order within a group.
pub fn contacts_workbook(year: i32, lines: &[ContactLine]) -> Result<Vec<u8>, ReportError> {
    let mut ordered: Vec<&ContactLine> = lines.iter().collect();
    ordered.sort_by_key(|l| l.category);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(0xE7EBF0);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("Danh sách {year}"))?;
    sheet.merge_range(
        0,
        0,
        0,
        HEADERS.len() as u16 - 1,
        &format!("DANH SÁCH ĐỐI TƯỢNG ĐIỀU TRA XÃ HỘI HỌC NĂM {year}"),
        &Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
    )?;
    sheet.set_row_height(0, 30)?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, *h, &header)?;
    }
    for (i, l) in ordered.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &number)?;
        sheet.write_string_with_format(r, 1, l.category.label(Lang::Vi), &cell)?;
        sheet.write_string_with_format(r, 2, &l.unit, &cell)?;
        sheet.write_string_with_format(r, 3, &l.full_name, &cell)?;
        sheet.write_string_with_format(r, 4, &l.position, &cell)?;
        // Text, so the leading 0 of a phone number stays.
        sheet.write_string_with_format(r, 5, &l.phone, &cell)?;
        sheet.write_string_with_format(r, 6, &l.email, &cell)?;
    }
    for (c, w) in [6.0, 24.0, 32.0, 24.0, 28.0, 16.0, 30.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    if !ordered.is_empty() {
        sheet.autofilter(
            HEADER_ROW,
            0,
            HEADER_ROW + ordered.len() as u32,
            HEADERS.len() as u16 - 1,
        )?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    use std::io::Cursor;

    fn line(category: ContactCategory, unit: &str, name: &str) -> ContactLine {
        ContactLine {
            category,
            unit: unit.into(),
            full_name: name.into(),
            position: "Phó Giám đốc".into(),
            phone: "0912000001".into(),
            email: "a@stp.vn".into(),
        }
    }

    #[test]
    fn the_list_reads_back_in_the_ministry_layout_group_by_group() {
        let lines = vec![
            line(ContactCategory::CommuneLeader, "Xã Tân Lập", "Lê Thị B"),
            line(
                ContactCategory::DepartmentLeader,
                "Sở Tư pháp",
                "Trần Văn A",
            ),
            line(ContactCategory::Deputy, "Tỉnh Minh Sơn", "Hoàng Văn C"),
        ];
        let bytes = contacts_workbook(2025, &lines).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Danh sách 2025").unwrap();
        let text = |row: u32, c: u32| {
            range
                .get_value((row, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            text(0, 0),
            "DANH SÁCH ĐỐI TƯỢNG ĐIỀU TRA XÃ HỘI HỌC NĂM 2025"
        );
        let header: Vec<String> = (0..7).map(|c| text(HEADER_ROW, c)).collect();
        assert_eq!(header, HEADERS);
        let first: Vec<String> = (0..7).map(|c| text(HEADER_ROW + 1, c)).collect();
        assert_eq!(
            first,
            [
                "1",
                "Đại biểu HĐND tỉnh",
                "Tỉnh Minh Sơn",
                "Hoàng Văn C",
                "Phó Giám đốc",
                "0912000001",
                "a@stp.vn"
            ]
        );
        assert_eq!(text(HEADER_ROW + 2, 1), "Lãnh đạo sở, ban, ngành");
        assert_eq!(
            (text(HEADER_ROW + 3, 0), text(HEADER_ROW + 3, 1)),
            ("3".into(), "Lãnh đạo UBND cấp xã".into())
        );
    }

    #[test]
    fn the_list_reads_back() {
        let person =
            |category, unit: &str, name: &str, position: &str, phone: &str, email: &str| {
                ContactLine {
                    category,
                    unit: unit.into(),
                    full_name: name.into(),
                    position: position.into(),
                    phone: phone.into(),
                    email: email.into(),
                }
            };
        let lines = vec![
            person(
                ContactCategory::CommuneLeader,
                "UBND xã Tân Lập",
                "Lê Thị Hồng Nhung",
                "Chủ tịch UBND xã",
                "0978123456",
                "nhunglth@tanlap.gov.vn",
            ),
            person(
                ContactCategory::DepartmentLeader,
                "Sở Tư pháp",
                "Trần Văn Đức",
                "Phó Giám đốc",
                "0912345678",
                "ductv@stp.gov.vn",
            ),
            person(
                ContactCategory::DivisionLeader,
                "Sở Nội vụ",
                "Nguyễn Thị Thu Hà",
                "Trưởng phòng Cải cách hành chính",
                "0243826118",
                "hantt@snv.gov.vn",
            ),
            person(
                ContactCategory::Deputy,
                "Hội đồng nhân dân tỉnh",
                "Hoàng Văn Cường",
                "Ủy viên Ban Pháp chế HĐND tỉnh",
                "0904567890",
                "cuonghv@hdnd.gov.vn",
            ),
            person(
                ContactCategory::DepartmentLeader,
                "Sở Tài chính",
                "Phạm Quốc Khánh",
                "Giám đốc",
                "0913222333",
                "",
            ),
        ];
        let bytes = contacts_workbook(2025, &lines).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }
}
