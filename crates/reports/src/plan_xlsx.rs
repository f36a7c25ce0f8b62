//! A plan's progress as an Excel workbook: every task with its lead and cooperating units,
//! deadline and status on the day, then the counts per lead unit and per field with the overdue
//! share, as task-tracking reports give them.

use crate::ReportError;
use chiso_core::format;
use chiso_core::lang::Lang;
use chiso_core::plan::{Tally, TaskStatus};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// One task, as the workbook shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    pub text: String,
    pub field: String,
    pub lead: String,
    pub cooperators: String,
    pub deadline: String,
    pub status: TaskStatus,
    pub done_on: Option<NaiveDate>,
    pub output: String,
}

fn tally_sheet(
    sheet: &mut Worksheet,
    title: &str,
    first: &str,
    rows: &[(String, Tally)],
    lang: Lang,
    header: &Format,
    cell: &Format,
) -> Result<(), ReportError> {
    let heads: [&str; 7] = match lang {
        Lang::Vi => [
            first,
            "Tổng số",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Đang thực hiện trong hạn",
            "Quá hạn",
            "Tỷ lệ quá hạn (%)",
        ],
        Lang::En => [
            first,
            "Total",
            "Done on time",
            "Done late",
            "In progress",
            "Overdue",
            "Overdue share (%)",
        ],
    };
    sheet.merge_range(
        0,
        0,
        0,
        6,
        title,
        &Format::new().set_bold().set_align(FormatAlign::Center),
    )?;
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, header)?;
    }
    let pct = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.00");
    for (i, (label, t)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string_with_format(r, 0, label, cell)?;
        for (c, v) in [
            t.total(),
            t.done_on_time,
            t.done_late,
            t.in_progress,
            t.overdue,
        ]
        .iter()
        .enumerate()
        {
            sheet.write_number_with_format(r, 1 + c as u16, *v as f64, cell)?;
        }
        match t.overdue_share() {
            Some(s) => {
                use rust_decimal::prelude::ToPrimitive;
                let v = chiso_core::results::published(s).to_f64().unwrap_or(0.0);
                sheet.write_number_with_format(r, 6, v, &pct)?
            }
            None => sheet.write_blank(r, 6, cell)?,
        };
    }
    sheet.set_column_width(0, 40.0)?;
    for c in 1..7 {
        sheet.set_column_width(c, 14.0)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    Ok(())
}

/// Writes the plan's tasks and counts, as of `today`.
pub fn plan_workbook(
    title: &str,
    tasks: &[TaskLine],
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(0xE7EBF0);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let mut workbook = Workbook::new();
    let (tasks_name, units_name, fields_name, as_of) = match lang {
        Lang::Vi => (
            "Nhiệm vụ",
            "Theo cơ quan chủ trì",
            "Theo lĩnh vực",
            "Tình hình đến ngày",
        ),
        Lang::En => ("Tasks", "By lead unit", "By field", "Progress as of"),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(tasks_name)?;
    let heads: [&str; 9] = match lang {
        Lang::Vi => [
            "STT",
            "Nhiệm vụ",
            "Lĩnh vực",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời hạn",
            "Sản phẩm",
            "Trạng thái",
            "Ngày hoàn thành",
        ],
        Lang::En => [
            "No.",
            "Task",
            "Field",
            "Lead unit",
            "Cooperating units",
            "Deadline",
            "Output",
            "Status",
            "Done on",
        ],
    };
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    sheet.merge_range(0, 0, 0, 8, &title.to_uppercase(), &title_fmt)?;
    sheet.set_row_height(0, 36)?;
    sheet.merge_range(
        1,
        0,
        1,
        8,
        &format!("{as_of} {}", format::date(today)),
        &Format::new().set_italic().set_align(FormatAlign::Center),
    )?;
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &header)?;
    }
    let mut by_unit: Vec<(String, Tally)> = Vec::new();
    let mut by_field: Vec<(String, Tally)> = Vec::new();
    fn add(list: &mut Vec<(String, Tally)>, key: &str, s: TaskStatus) {
        match list.iter_mut().find(|(k, _)| k == key) {
            Some((_, t)) => t.add(s),
            None => {
                let mut t = Tally::default();
                t.add(s);
                list.push((key.to_string(), t));
            }
        }
    }
    for (i, t) in tasks.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        sheet.write_string_with_format(r, 1, &t.text, &cell)?;
        sheet.write_string_with_format(r, 2, &t.field, &cell)?;
        sheet.write_string_with_format(r, 3, &t.lead, &cell)?;
        sheet.write_string_with_format(r, 4, &t.cooperators, &cell)?;
        sheet.write_string_with_format(r, 5, &t.deadline, &cell)?;
        sheet.write_string_with_format(r, 6, &t.output, &cell)?;
        sheet.write_string_with_format(r, 7, t.status.label(lang), &cell)?;
        sheet.write_string_with_format(
            r,
            8,
            t.done_on.map(format::date).unwrap_or_default(),
            &cell,
        )?;
        add(&mut by_unit, &t.lead, t.status);
        add(&mut by_field, &t.field, t.status);
    }
    for (c, w) in [6.0, 60.0, 9.0, 26.0, 30.0, 16.0, 28.0, 22.0, 14.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(4, 2)?;
    sheet.set_repeat_rows(3, 3)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    if !tasks.is_empty() {
        sheet.autofilter(3, 0, 3 + tasks.len() as u32, 8)?;
    }
    let (unit_head, field_head) = match lang {
        Lang::Vi => ("Cơ quan chủ trì", "Lĩnh vực"),
        Lang::En => ("Lead unit", "Field"),
    };
    let total: Tally = tasks.iter().map(|t| t.status).collect();
    let total_label = match lang {
        Lang::Vi => "Tổng cộng",
        Lang::En => "Total",
    };
    by_unit.push((total_label.to_string(), total));
    by_field.push((total_label.to_string(), total));
    let s = workbook.add_worksheet();
    s.set_name(units_name)?;
    tally_sheet(s, title, unit_head, &by_unit, lang, &header, &cell)?;
    let s = workbook.add_worksheet();
    s.set_name(fields_name)?;
    tally_sheet(s, title, field_head, &by_field, lang, &header, &cell)?;
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    use std::io::Cursor;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    fn task(
        text: &str,
        field: &str,
        lead: &str,
        cooperators: &str,
        deadline: &str,
        status: TaskStatus,
        done_on: Option<NaiveDate>,
        output: &str,
    ) -> TaskLine {
        TaskLine {
            text: text.into(),
            field: field.into(),
            lead: lead.into(),
            cooperators: cooperators.into(),
            deadline: deadline.into(),
            status,
            done_on,
            output: output.into(),
        }
    }

    #[test]
    fn the_plan_reads_back() {
        let tasks = vec![
            task(
                "Ban hành Kế hoạch cải cách hành chính năm 2026 của tỉnh",
                "1",
                "Sở Nội vụ",
                "Văn phòng UBND tỉnh",
                "Tháng 01/2026",
                TaskStatus::DoneOnTime,
                Some(day(2026, 1, 12)),
                "Kế hoạch của UBND tỉnh",
            ),
            task(
                "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành",
                "2",
                "Sở Tư pháp",
                "Các sở, ban, ngành; UBND cấp xã",
                "Quý II/2026",
                TaskStatus::DoneLate,
                Some(day(2026, 7, 3)),
                "Báo cáo kết quả rà soát",
            ),
            task(
                "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
                "3",
                "Văn phòng UBND tỉnh",
                "Sở Khoa học và Công nghệ",
                "Quý II/2026 → 31/07/2026",
                TaskStatus::Overdue,
                None,
                "Tỷ lệ hồ sơ được số hóa",
            ),
            task(
                "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị",
                "1",
                "Sở Nội vụ",
                "Sở Tư pháp, Văn phòng UBND tỉnh",
                "Tháng 10/2026",
                TaskStatus::InProgress,
                None,
                "Thông báo kết luận kiểm tra",
            ),
        ];
        let bytes = plan_workbook(
            "Kế hoạch cải cách hành chính năm 2026",
            &tasks,
            day(2026, 8, 15),
            Lang::Vi,
        )
        .unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }

    #[test]
    fn tasks_and_counts_read_back() {
        let line = |lead: &str, field: &str, status| TaskLine {
            text: "Rà soát văn bản".into(),
            field: field.into(),
            lead: lead.into(),
            cooperators: "Văn phòng UBND tỉnh".into(),
            deadline: "Quý II/2026".into(),
            status,
            done_on: None,
            output: "Báo cáo".into(),
        };
        let tasks = vec![
            line("Sở Tư pháp", "2", TaskStatus::Overdue),
            line("Sở Tư pháp", "2", TaskStatus::DoneOnTime),
            line("Sở Nội vụ", "1", TaskStatus::InProgress),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let bytes =
            plan_workbook("Kế hoạch nâng cao Chỉ số CCHC 2026", &tasks, day, Lang::Vi).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let t = book.worksheet_range("Nhiệm vụ").unwrap();
        let text = |r: &calamine::Range<calamine::Data>, row: u32, c: u32| {
            r.get_value((row, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        assert_eq!(text(&t, 0, 0), "KẾ HOẠCH NÂNG CAO CHỈ SỐ CCHC 2026");
        assert_eq!(text(&t, 1, 0), "Tình hình đến ngày 01/07/2026");
        assert_eq!(text(&t, 4, 7), "Quá hạn chưa hoàn thành");
        let u = book.worksheet_range("Theo cơ quan chủ trì").unwrap();
        assert_eq!(text(&u, 3, 0), "Sở Tư pháp");
        assert_eq!(
            (text(&u, 3, 1), text(&u, 3, 5), text(&u, 3, 6)),
            ("2".into(), "1".into(), "50".into())
        );
        assert_eq!(
            (text(&u, 5, 0), text(&u, 5, 1)),
            ("Tổng cộng".into(), "3".into())
        );
    }
}
