//! A questionnaire as an Excel workbook that a survey officer can edit: sheet "Thông tin"
//! (attribute, value) and sheet "Câu hỏi" (one row per question, its section on every row;
//! consecutive rows with the same section form one section). Choice options are written one
//! per line as `A=100: Rất tốt` (code = weight in %: label); `A=100; B=60` is read too.
//! Reading reports every problem with its sheet, row and column; validating the questionnaire
//! is the caller's next step (`chiso_core::survey::validate`).

use crate::ReportError;
use crate::framework_xlsx::{SheetError, cell_text};
use chiso_core::lang::Lang;
use chiso_core::survey::{ChoiceOption, Question, QuestionKind, Questionnaire, Section};
use chiso_core::text::fold;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook};

/// The sheet with the questionnaire's attributes.
pub const META_SHEET: &str = "Thông tin";
/// The sheet with one row per question.
pub const QUESTIONS_SHEET: &str = "Câu hỏi";

/// Attributes of the "Thông tin" sheet: key, Vietnamese label.
const META: [(&str, &str); 5] = [
    ("code", "Mã phiếu"),
    ("version", "Phiên bản"),
    ("title", "Tên phiếu"),
    ("group", "Mã nhóm đối tượng"),
    ("group_name", "Tên nhóm đối tượng"),
];

/// Columns of the questions sheet: Vietnamese header.
const COLUMNS: [&str; 11] = [
    "Phần",
    "Mã câu hỏi",
    "Nội dung câu hỏi",
    "Loại",
    "Phương án (mã=trọng số %: nội dung) / nhãn thang điểm",
    "Thang điểm",
    "Giá trị nhỏ nhất",
    "Giá trị lớn nhất",
    "Trọng số \"Có\" (%)",
    "Đo tiêu chí",
    "Bắt buộc",
];

const SECTION: usize = 0;
const CODE: usize = 1;
const TEXT: usize = 2;
const KIND: usize = 3;
const OPTIONS: usize = 4;
const SCALE: usize = 5;
const MIN: usize = 6;
const MAX: usize = 7;
const YES_WEIGHT: usize = 8;
const MEASURES: usize = 9;
const REQUIRED: usize = 10;

fn column_name(c: usize) -> String {
    format!("{} ({})", (b'A' + c as u8) as char, COLUMNS[c])
}

/// A number as people write it here: decimal comma, no trailing zeros.
fn number_text(v: f64) -> String {
    v.to_string().replace('.', ",")
}

fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The options cell of a question.
fn options_text(q: &Question) -> String {
    match q.kind {
        QuestionKind::Choice => q
            .options
            .iter()
            .map(|o| format!("{}={}: {}", o.code, number_text(o.weight), o.label))
            .collect::<Vec<_>>()
            .join("\n"),
        QuestionKind::Likert => q
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}: {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The lines of a cell: by line breaks, or by `;` when there are none.
fn items(cell: &str) -> Vec<&str> {
    let parts: Vec<&str> = if cell.contains('\n') {
        cell.split('\n').collect()
    } else {
        cell.split(';').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// `A=100: Rất tốt` or `A=100`.
fn parse_option(item: &str) -> Option<ChoiceOption> {
    let (code, rest) = item.split_once('=')?;
    let (weight, label) = match rest.split_once(':') {
        Some((w, l)) => (w, l.trim()),
        None => (rest, ""),
    };
    let code = code.trim();
    let weight = parse_number(weight.trim().trim_end_matches('%'))?;
    if code.is_empty() {
        return None;
    }
    Some(ChoiceOption {
        code: code.to_string(),
        label: if label.is_empty() { code } else { label }.to_string(),
        weight,
    })
}

/// A sheet's rows with the numbers Excel shows and their cells from column A (a range starts
/// at its first used cell, which need not be A1).
fn sheet_rows(range: &calamine::Range<calamine::Data>) -> Vec<(u32, Vec<String>)> {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut texts = vec![String::new(); first_col as usize];
            texts.extend(cells.iter().map(cell_text));
            (first_row + i as u32 + 1, texts)
        })
        .collect()
}

/// Writes a questionnaire as an editable workbook.
pub fn write(q: &Questionnaire) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xE7EBF0);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let number = Format::new()
        .set_num_format("0.####")
        .set_align(FormatAlign::Top);

    let meta = workbook.add_worksheet();
    meta.set_name(META_SHEET)?;
    meta.write_string_with_format(0, 0, "Thuộc tính", &header)?;
    meta.write_string_with_format(0, 1, "Giá trị", &header)?;
    let values = [
        q.code.clone(),
        q.version.to_string(),
        q.title.clone(),
        q.group.clone(),
        q.group_name.clone().unwrap_or_default(),
    ];
    for (i, ((_, label), value)) in META.iter().zip(values.iter()).enumerate() {
        let r = 1 + i as u32;
        meta.write_string_with_format(r, 0, *label, &bold)?;
        meta.write_string_with_format(r, 1, value, &wrap)?;
    }
    meta.set_column_width(0, 22)?;
    meta.set_column_width(1, 90)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(QUESTIONS_SHEET)?;
    for (c, title) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
    }
    let mut row = 1u32;
    for section in &q.sections {
        for question in &section.questions {
            let mut text = |col: usize, value: &str| -> Result<(), ReportError> {
                if !value.is_empty() {
                    sheet.write_string_with_format(row, col as u16, value, &wrap)?;
                }
                Ok(())
            };
            text(SECTION, &section.title)?;
            text(CODE, &question.code)?;
            text(TEXT, &question.text)?;
            text(KIND, question.kind.label(Lang::Vi))?;
            text(OPTIONS, &options_text(question))?;
            text(MEASURES, question.measures.as_deref().unwrap_or(""))?;
            text(REQUIRED, if question.required { "x" } else { "" })?;
            for (col, value) in [
                (SCALE, question.scale.map(f64::from)),
                (MIN, question.min),
                (MAX, question.max),
                (YES_WEIGHT, question.yes_weight),
            ] {
                if let Some(v) = value {
                    sheet.write_number_with_format(row, col as u16, v, &number)?;
                }
            }
            row += 1;
        }
    }
    let kinds: Vec<&str> = QuestionKind::ALL
        .iter()
        .map(|k| k.label(Lang::Vi))
        .collect();
    let validation = DataValidation::new()
        .allow_list_strings(&kinds)?
        .ignore_blank(true);
    sheet.add_data_validation(1, KIND as u16, row.max(200), KIND as u16, &validation)?;
    for (c, w) in [
        28.0, 9.0, 60.0, 16.0, 40.0, 10.0, 10.0, 10.0, 10.0, 12.0, 9.0,
    ]
    .iter()
    .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    Ok(workbook.save_to_buffer()?)
}

/// Reads a workbook written by [`write`] (or edited from one): the questionnaire, or every
/// problem found with its place.
pub fn read(bytes: &[u8]) -> Result<Questionnaire, Vec<SheetError>> {
    let [meta, sheet] = crate::framework_xlsx::open_sheets(bytes, [META_SHEET, QUESTIONS_SHEET])?;
    let mut errors = Vec::new();

    // Attributes, matched by label or key, with or without diacritics.
    let mut values: Vec<(&str, u32, String)> = Vec::new();
    for (row, r) in sheet_rows(&meta) {
        let label = r.first().cloned().unwrap_or_default();
        let key = fold(&label);
        if key.is_empty() || key == "thuoc tinh" {
            continue;
        }
        match META.iter().find(|(k, l)| fold(l) == key || *k == key) {
            Some((k, _)) => values.push((k, row, r.get(1).cloned().unwrap_or_default())),
            None => errors.push(SheetError {
                sheet: META_SHEET.into(),
                row,
                column: Some("A".into()),
                message: format!("không nhận ra thuộc tính \"{label}\""),
            }),
        }
    }
    let get = |key: &str| {
        values
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, r, v)| (*r, v.clone()))
    };
    for key in ["code", "title", "group"] {
        if get(key).is_none_or(|(_, v)| v.is_empty()) {
            let label = META.iter().find(|(k, _)| *k == key).map_or(key, |(_, l)| l);
            errors.push(SheetError {
                sheet: META_SHEET.into(),
                row: get(key).map_or(0, |(r, _)| r),
                column: Some("B".into()),
                message: format!("thiếu \"{label}\""),
            });
        }
    }
    let version = match get("version") {
        None => 1,
        Some((_, v)) if v.is_empty() => 1,
        Some((row, v)) => v.parse::<u32>().unwrap_or_else(|_| {
            errors.push(SheetError {
                sheet: META_SHEET.into(),
                row,
                column: Some("B".into()),
                message: format!("phiên bản \"{v}\" không phải là số nguyên dương"),
            });
            1
        }),
    };

    let mut sections: Vec<Section> = Vec::new();
    for (row, r) in sheet_rows(&sheet) {
        let cell = |c: usize| r.get(c).cloned().unwrap_or_default();
        if row == 1 {
            for (c, title) in COLUMNS.iter().enumerate() {
                if fold(&cell(c)) != fold(title) {
                    errors.push(SheetError {
                        sheet: QUESTIONS_SHEET.into(),
                        row,
                        column: Some(column_name(c)),
                        message: format!(
                            "tiêu đề cột phải là \"{title}\", đang là \"{}\"",
                            cell(c)
                        ),
                    });
                }
            }
            continue;
        }
        if (0..COLUMNS.len()).all(|c| cell(c).is_empty()) {
            continue;
        }
        let mut err = |c: usize, message: String| {
            errors.push(SheetError {
                sheet: QUESTIONS_SHEET.into(),
                row,
                column: Some(column_name(c)),
                message,
            });
        };
        let kind_text = cell(KIND);
        let kind = QuestionKind::parse_loose(&kind_text);
        if kind.is_none() {
            let names: Vec<&str> = QuestionKind::ALL
                .iter()
                .map(|k| k.label(Lang::Vi))
                .collect();
            err(
                KIND,
                format!(
                    "loại câu hỏi \"{kind_text}\" không hợp lệ; dùng: {}",
                    names.join(", ")
                ),
            );
        }
        let mut number = |c: usize| -> Option<f64> {
            let t = cell(c);
            if t.is_empty() {
                return None;
            }
            let v = parse_number(&t);
            if v.is_none() {
                err(c, format!("\"{t}\" không phải là số"));
            }
            v
        };
        let scale = number(SCALE);
        let min = number(MIN);
        let max = number(MAX);
        let yes_weight = number(YES_WEIGHT);
        let scale = scale.and_then(|s| {
            let whole =
                (s.fract() == 0.0 && s >= 0.0 && s <= f64::from(u32::MAX)).then_some(s as u32);
            if whole.is_none() {
                err(SCALE, format!("thang điểm \"{s}\" phải là số nguyên"));
            }
            whole
        });
        let mut options = Vec::new();
        let mut labels = Vec::new();
        let options_cell = cell(OPTIONS);
        match kind {
            Some(QuestionKind::Choice) => {
                for item in items(&options_cell) {
                    match parse_option(item) {
                        Some(o) => options.push(o),
                        None => err(
                            OPTIONS,
                            format!(
                                "\"{item}\" phải có dạng mã=trọng số: nội dung, ví dụ A=100: Rất tốt"
                            ),
                        ),
                    }
                }
            }
            Some(QuestionKind::Likert) => {
                for (k, item) in items(&options_cell).into_iter().enumerate() {
                    // "2: Kém" or just "Kém"; the number must be the label's position.
                    let label = match item.split_once(':') {
                        Some((n, l)) if n.trim().parse::<usize>() == Ok(k + 1) => l.trim(),
                        _ => item,
                    };
                    labels.push(label.to_string());
                }
            }
            _ if !options_cell.is_empty() => err(
                OPTIONS,
                "chỉ câu hỏi chọn phương án hoặc thang điểm có phương án, nhãn".into(),
            ),
            _ => {}
        }
        let required = match fold(&cell(REQUIRED)).as_str() {
            "" | "khong" | "0" | "false" | "no" => false,
            "x" | "co" | "1" | "true" | "yes" => true,
            _ => {
                err(
                    REQUIRED,
                    "ghi \"x\" nếu bắt buộc, để trống nếu không".into(),
                );
                false
            }
        };
        if cell(CODE).is_empty() {
            err(CODE, "thiếu mã câu hỏi".into());
        }
        let Some(kind) = kind else { continue };
        let question = Question {
            code: cell(CODE),
            text: cell(TEXT),
            kind,
            options,
            scale,
            labels,
            yes_weight,
            min,
            max,
            measures: Some(cell(MEASURES)).filter(|m| !m.is_empty()),
            required,
        };
        let title = cell(SECTION);
        match sections.last_mut() {
            Some(s) if s.title == title => s.questions.push(question),
            _ => sections.push(Section {
                title,
                questions: vec![question],
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = |key: &str| get(key).map(|(_, v)| v).unwrap_or_default();
    Ok(Questionnaire {
        code: text("code"),
        version,
        title: text("title"),
        group: text("group"),
        group_name: Some(text("group_name")).filter(|g| !g.is_empty()),
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;
    use chiso_core::survey::{from_yaml, validate};

    fn example(name: &str) -> Questionnaire {
        let path = format!(
            "{}/../../examples/surveys/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn the_example_questionnaires_survive_excel() {
        for name in ["lanh-dao-so.yaml", "sipas-nguoi-dan.yaml"] {
            let q = example(name);
            let back = read(&write(&q).unwrap());
            assert_eq!(back.as_ref(), Ok(&q), "{name}");
            assert_eq!(back.unwrap().fingerprint(), q.fingerprint());
        }
    }

    #[test]
    fn options_read_as_people_write_them() {
        assert_eq!(
            parse_option("B = 60,5 %: Tốt"),
            Some(ChoiceOption {
                code: "B".into(),
                label: "Tốt".into(),
                weight: 60.5
            })
        );
        assert_eq!(items("A=100; B=60; C=20; D=0").len(), 4);
        assert_eq!(parse_option("A=100").map(|o| o.label), Some("A".into()));
        assert_eq!(parse_option("Rất tốt"), None);
    }

    /// A workbook edited by hand: a sheet with the questions written from scratch.
    fn edited(rows: &[[&str; 11]]) -> Vec<u8> {
        let mut book = Workbook::new();
        let meta = book.add_worksheet();
        meta.set_name(META_SHEET).unwrap();
        for (i, (k, v)) in [
            ("Mã phiếu", "thu"),
            ("Tên phiếu", "Phiếu thử"),
            ("Mã nhóm đối tượng", "nguoi_dan"),
        ]
        .iter()
        .enumerate()
        {
            meta.write_string(i as u32 + 1, 0, *k).unwrap();
            meta.write_string(i as u32 + 1, 1, *v).unwrap();
        }
        let sheet = book.add_worksheet();
        sheet.set_name(QUESTIONS_SHEET).unwrap();
        for (c, t) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, c as u16, *t).unwrap();
        }
        for (r, cells) in rows.iter().enumerate() {
            for (c, t) in cells.iter().enumerate() {
                if !t.is_empty() {
                    sheet.write_string(r as u32 + 1, c as u16, *t).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_workbook_written_by_hand_is_read() {
        let q = read(&edited(&[
            [
                "Chung",
                "Q1",
                "Đánh giá?",
                "chọn phương án",
                "A=100; B=60; C=20; D=0",
                "",
                "",
                "",
                "",
                "2.5.1",
                "x",
            ],
            ["Chung", "Q2", "Có?", "yes_no", "", "", "", "", "0", "", ""],
        ]))
        .unwrap();
        assert_eq!(validate(&q), vec![]);
        assert_eq!(q.sections.len(), 1);
        let q1 = &q.sections[0].questions[0];
        assert_eq!(q1.options.len(), 4);
        assert_eq!(q1.options[1].weight, 60.0);
        assert!(q1.required);
        assert_eq!(q.sections[0].questions[1].yes_weight, Some(0.0));
    }

    #[test]
    fn problems_name_the_sheet_row_and_column() {
        let e = read(&edited(&[
            [
                "Chung",
                "Q1",
                "A?",
                "thanh trượt",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "Chung",
                "Q2",
                "B?",
                "choice",
                "A=nhiều",
                "",
                "",
                "",
                "",
                "",
                "có lẽ",
            ],
            ["Chung", "Q3", "C?", "number", "", "", "một", "", "", "", ""],
        ]))
        .unwrap_err();
        let m: Vec<String> = e.iter().map(|x| x.message(Lang::Vi)).collect();
        assert_eq!(
            m,
            vec![
                "Trang tính \"Câu hỏi\", dòng 2, cột D (Loại): loại câu hỏi \"thanh trượt\" không hợp lệ; dùng: Chọn phương án, Thang điểm, Có / Không, Số, Ý kiến (văn bản)",
                "Trang tính \"Câu hỏi\", dòng 3, cột E (Phương án (mã=trọng số %: nội dung) / nhãn thang điểm): \"A=nhiều\" phải có dạng mã=trọng số: nội dung, ví dụ A=100: Rất tốt",
                "Trang tính \"Câu hỏi\", dòng 3, cột K (Bắt buộc): ghi \"x\" nếu bắt buộc, để trống nếu không",
                "Trang tính \"Câu hỏi\", dòng 4, cột G (Giá trị nhỏ nhất): \"một\" không phải là số",
            ]
        );
        let e = read(b"not a zip").unwrap_err();
        assert!(
            e[0].message(Lang::Vi)
                .contains("không phải bảng tính Excel")
        );
    }

    #[test]
    fn the_questionnaire_reads_back() {
        let q = from_yaml(
            r#"
code: nguoi-dan-2025
version: 2
title: Phiếu khảo sát sự hài lòng của người dân đối với sự phục vụ của cơ quan hành chính
group: nguoi_dan
group_name: Người dân đến giao dịch tại Trung tâm Phục vụ hành chính công
sections:
  - title: I. Tiếp cận dịch vụ
    questions:
      - code: TC1
        text: Ông/bà đánh giá thế nào về việc bố trí chỗ ngồi, trang thiết bị tại nơi tiếp nhận hồ sơ?
        kind: choice
        required: true
        measures: SIPAS.1
        options:
          - { code: A, label: Rất hài lòng, weight: 100 }
          - { code: B, label: Hài lòng, weight: 66.5 }
          - { code: C, label: Không hài lòng, weight: 0 }
      - code: TC2
        text: Mức độ thuận tiện khi tra cứu thông tin thủ tục (1 = rất khó, 5 = rất dễ).
        kind: likert
        scale: 5
        labels: [Rất khó, Khó, Bình thường, Dễ, Rất dễ]
  - title: II. Công chức giải quyết công việc
    questions:
      - code: CC1
        text: Ông/bà có bị công chức gây phiền hà, nhũng nhiễu trong khi giải quyết công việc không?
        kind: yes_no
        yes_weight: 0
        measures: SIPAS.3
      - code: CC2
        text: Số lần ông/bà phải đi lại để hoàn thành thủ tục.
        kind: number
        min: 1
        max: 20
      - code: YK
        text: Ông/bà có đề xuất gì để cơ quan phục vụ người dân, tổ chức tốt hơn?
        kind: text
"#,
        )
        .unwrap();
        assert_eq!(validate(&q), vec![]);
        let bytes = write(&q).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }
}
