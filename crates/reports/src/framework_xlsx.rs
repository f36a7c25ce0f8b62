//! A framework as an Excel workbook that an administrator can edit in Excel or LibreOffice:
//! sheet "Thông tin" (key, value) and sheet "Bộ chỉ số" (one row per node, parents before
//! children; the tree comes from the dotted codes). Reading reports every problem with its sheet,
//! row and column.

use crate::ReportError;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chiso_core::framework::model::{Band, Framework, Level, Node, Rule};
use chiso_core::framework::points::Points;
use chiso_core::lang::Lang;
use chiso_core::text::fold;
use chiso_core::units::UnitType;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook};
use std::collections::BTreeMap;
use std::io::Cursor;

/// The sheet with the framework's attributes.
pub const META_SHEET: &str = "Thông tin";
/// The sheet with one row per node.
pub const TREE_SHEET: &str = "Bộ chỉ số";

/// Columns of the tree sheet: key, Vietnamese header.
const COLUMNS: [(&str, &str); 20] = [
    ("code", "Mã"),
    ("name", "Tên tiêu chí"),
    ("name_en", "Tên tiếng Anh"),
    ("max", "Điểm tối đa"),
    ("rule", "Cách chấm"),
    ("step", "Bước chấm"),
    ("options", "Các mức / khoảng tỷ lệ"),
    ("numerator", "Tử số"),
    ("denominator", "Mẫu số"),
    ("amount", "Điểm trừ"),
    ("measure", "Nội dung đo (ĐTXHH)"),
    ("survey_max", "Điểm ĐTXHH"),
    ("guidance", "Hướng dẫn chấm"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("lead_unit", "Đơn vị chủ trì"),
    ("not_applicable_when", "Không áp dụng khi"),
    ("allow_not_applicable", "Cho phép không áp dụng"),
    ("illustrative", "Minh họa"),
    ("previous_code", "Mã năm trước"),
    ("from_records", "Số liệu từ hệ thống"),
];

/// Rule codes and their Vietnamese names in the "Cách chấm" column. These are part of the
/// file format (workbooks in circulation use them), so they stay fixed even if the interface
/// wording (`Rule::label`) changes; the reader also accepts the codes.
const RULES: [(&str, &str); 8] = [
    ("manual", "Chấm điểm trực tiếp"),
    ("boolean", "Đạt / không đạt"),
    ("levels", "Theo mức"),
    ("bands", "Theo khoảng tỷ lệ"),
    ("proportional", "Tỷ lệ thuận"),
    ("deduction", "Điểm trừ"),
    ("bonus", "Điểm thưởng"),
    ("survey", "Điều tra XHH"),
];

/// Attributes of the "Thông tin" sheet: key, Vietnamese label.
const META: [(&str, &str); 10] = [
    ("code", "Mã bộ chỉ số"),
    ("name", "Tên bộ chỉ số"),
    ("name_en", "Tên tiếng Anh"),
    ("unit_type", "Loại đơn vị"),
    ("year", "Năm"),
    ("version", "Phiên bản"),
    ("decision", "Quyết định"),
    ("source", "Nguồn"),
    ("illustrative", "Minh họa"),
    ("max", "Tổng điểm"),
];

fn column_letter(i: usize) -> String {
    ((b'A' + i as u8) as char).to_string()
}

fn points_text(p: Points) -> String {
    p.display(Lang::Vi)
}

fn options_text(rule: &Rule) -> String {
    match rule {
        Rule::Levels { levels } => levels
            .iter()
            .map(|l| format!("{} = {}", l.label, points_text(l.points)))
            .collect::<Vec<_>>()
            .join("\n"),
        Rule::Bands { bands, .. } => bands
            .iter()
            .map(|b| {
                let gt = if b.exclusive_from { "> " } else { "" };
                format!(
                    "{gt}{} – {}: {}",
                    points_text(b.from),
                    points_text(b.to),
                    points_text(b.points)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// Writes a framework as an editable workbook.
pub fn write(f: &Framework) -> Result<Vec<u8>, ReportError> {
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
    let values: [String; 10] = [
        f.code.clone(),
        f.name.clone(),
        f.name_en.clone().unwrap_or_default(),
        f.unit_type.code().to_string(),
        f.year.to_string(),
        f.version.to_string(),
        f.decision.clone().unwrap_or_default(),
        f.source.clone().unwrap_or_default(),
        if f.illustrative {
            "x".into()
        } else {
            String::new()
        },
        points_text(f.max),
    ];
    for (i, ((_, label), value)) in META.iter().zip(values.iter()).enumerate() {
        let r = 1 + i as u32;
        meta.write_string_with_format(r, 0, *label, &bold)?;
        meta.write_string_with_format(r, 1, value, &wrap)?;
    }
    meta.set_column_width(0, 18)?;
    meta.set_column_width(1, 90)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(TREE_SHEET)?;
    for (c, (_, title)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
    }
    let mut row = 1u32;
    for located in f.walk() {
        let n = located.node;
        let name_fmt = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_indent(located.depth as u8);
        let name_fmt = if located.depth == 0 {
            name_fmt.set_bold()
        } else {
            name_fmt
        };
        sheet.write_string_with_format(row, 0, &n.code, &bold)?;
        sheet.write_string_with_format(row, 1, &n.name, &name_fmt)?;
        let mut text = |col: u16, value: &str| -> Result<(), ReportError> {
            if !value.is_empty() {
                sheet.write_string_with_format(row, col, value, &wrap)?;
            }
            Ok(())
        };
        text(2, n.name_en.as_deref().unwrap_or(""))?;
        if let Some(rule) = &n.rule {
            let label = RULES
                .iter()
                .find(|(k, _)| *k == rule.kind())
                .map(|(_, l)| *l)
                .unwrap_or("");
            text(4, label)?;
            text(6, &options_text(rule))?;
            match rule {
                Rule::Bands {
                    numerator,
                    denominator,
                    ..
                }
                | Rule::Proportional {
                    numerator,
                    denominator,
                } => {
                    text(7, numerator)?;
                    text(8, denominator)?;
                }
                Rule::Survey { measure } => text(10, measure.as_deref().unwrap_or(""))?,
                _ => {}
            }
        }
        text(12, n.guidance.as_deref().unwrap_or(""))?;
        text(13, n.evidence.as_deref().unwrap_or(""))?;
        text(14, n.lead_unit.as_deref().unwrap_or(""))?;
        let when: Vec<String> = n
            .not_applicable_when
            .iter()
            .map(|(k, v)| format!("{k} = {}", if *v { "có" } else { "không" }))
            .collect();
        text(15, &when.join("; "))?;
        text(16, if n.allow_not_applicable { "x" } else { "" })?;
        text(17, if n.illustrative { "x" } else { "" })?;
        text(18, n.previous_code.as_deref().unwrap_or(""))?;
        text(19, n.from_records.map(|r| r.code()).unwrap_or(""))?;
        let mut num = |col: u16, p: Option<Points>| -> Result<(), ReportError> {
            if let Some(p) = p {
                sheet.write_number_with_format(row, col, p.to_f64(), &number)?;
            }
            Ok(())
        };
        num(3, n.max)?;
        num(11, n.survey_max)?;
        match &n.rule {
            Some(Rule::Manual { step } | Rule::Bonus { step }) => num(5, Some(*step))?,
            Some(Rule::Deduction { amount }) => num(9, Some(*amount))?,
            _ => {}
        }
        row += 1;
    }
    let choices: Vec<&str> = RULES.iter().map(|(_, l)| *l).collect();
    let validation = DataValidation::new()
        .allow_list_strings(&choices)?
        .ignore_blank(true);
    sheet.add_data_validation(1, 4, row.max(200), 4, &validation)?;
    for (c, w) in [
        8.0, 50.0, 24.0, 10.0, 18.0, 9.0, 30.0, 20.0, 20.0, 9.0, 24.0, 10.0, 40.0, 30.0, 12.0,
        22.0, 12.0, 9.0,
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

/// A problem in an uploaded workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    pub sheet: String,
    /// 1-based row as Excel shows it; 0 for the workbook as a whole.
    pub row: u32,
    /// Column letter and header, e.g. `D (Điểm tối đa)`.
    pub column: Option<String>,
    pub message: String,
}

impl SheetError {
    /// "Sheet "Bộ chỉ số", dòng 12, cột D (Điểm tối đa): …".
    pub fn message(&self, lang: Lang) -> String {
        let (sheet, row, col) = match lang {
            Lang::Vi => ("Trang tính", "dòng", "cột"),
            Lang::En => ("Sheet", "row", "column"),
        };
        let mut s = format!("{sheet} \"{}\"", self.sheet);
        if self.row > 0 {
            s.push_str(&format!(", {row} {}", self.row));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(", {col} {c}"));
        }
        format!("{s}: {}", self.message)
    }
}

pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => {
            // Shortest text of the float: the decimal the person typed.
            let s = f.to_string();
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "x".into()
            } else {
                String::new()
            }
        }
        other => other.to_string(),
    }
}

fn yes(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "" | "khong" | "false" | "0" | "no" => Some(false),
        "x" | "co" | "true" | "1" | "yes" => Some(true),
        _ => None,
    }
}

fn opt(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

/// Opens a workbook and the two sheets a chiso workbook is read from (its information sheet and
/// its table), or says which is missing.
pub(crate) fn open_sheets(
    bytes: &[u8],
    names: [&str; 2],
) -> Result<[calamine::Range<Data>; 2], Vec<SheetError>> {
    let whole = |message: String| {
        vec![SheetError {
            sheet: String::new(),
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
    let mut sheet = |name: &str| {
        book.worksheet_range(name)
            .map_err(|_| whole(format!("thiếu trang tính \"{name}\"")))
    };
    Ok([sheet(names[0])?, sheet(names[1])?])
}

/// Reads a workbook written by [`write`] (or edited from one). Returns the framework, or every
/// problem found with its place. Validation of the tree itself is the caller's next step
/// (`chiso_core::framework::validate`).
pub fn read(bytes: &[u8]) -> Result<Framework, Vec<SheetError>> {
    let [meta, tree] = open_sheets(bytes, [META_SHEET, TREE_SHEET])?;
    let mut errors = Vec::new();

    // Attributes, matched by label or key, with or without diacritics.
    let mut values: BTreeMap<&str, (u32, String)> = BTreeMap::new();
    for (i, r) in meta.rows().enumerate().skip(1) {
        let label = fold(&r.first().map(cell_text).unwrap_or_default());
        if label.is_empty() {
            continue;
        }
        let row = i as u32 + 1;
        match META.iter().find(|(k, l)| fold(l) == label || *k == label) {
            Some((k, _)) => {
                values.insert(k, (row, r.get(1).map(cell_text).unwrap_or_default()));
            }
            None => errors.push(SheetError {
                sheet: META_SHEET.into(),
                row,
                column: Some("A".into()),
                message: format!(
                    "không nhận ra thuộc tính \"{}\"",
                    r.first().map(cell_text).unwrap_or_default()
                ),
            }),
        }
    }
    let mut meta_err = |key: &str, message: String| {
        let row = values.get(key).map(|(r, _)| *r).unwrap_or(0);
        errors.push(SheetError {
            sheet: META_SHEET.into(),
            row,
            column: Some("B".into()),
            message,
        });
    };
    let get = |key: &str| values.get(key).map(|(_, v)| v.clone()).unwrap_or_default();
    for key in ["code", "name", "unit_type", "year", "max"] {
        if get(key).is_empty() {
            let label = META
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, l)| *l)
                .unwrap_or(key);
            meta_err(key, format!("thiếu \"{label}\""));
        }
    }
    let unit_type = UnitType::parse_loose(&get("unit_type"));
    if unit_type.is_none() && !get("unit_type").is_empty() {
        meta_err(
            "unit_type",
            format!("loại đơn vị \"{}\" không hợp lệ", get("unit_type")),
        );
    }
    let year = get("year").parse::<i32>().ok();
    if year.is_none() && !get("year").is_empty() {
        meta_err("year", format!("năm \"{}\" không hợp lệ", get("year")));
    }
    let version = if get("version").is_empty() {
        Some(1)
    } else {
        get("version").parse::<u32>().ok()
    };
    if version.is_none() {
        meta_err(
            "version",
            format!("phiên bản \"{}\" không hợp lệ", get("version")),
        );
    }
    let max = Points::parse(&get("max"));
    if max.is_none() && !get("max").is_empty() {
        meta_err(
            "max",
            format!("tổng điểm \"{}\" không phải là số", get("max")),
        );
    }
    let illustrative = yes(&get("illustrative"));
    if illustrative.is_none() {
        meta_err(
            "illustrative",
            "ghi \"x\" nếu là dữ liệu minh họa, để trống nếu không".into(),
        );
    }

    // Nodes, one per row; headers matched by position, checked by name.
    let mut rows: Vec<(u32, Node)> = Vec::new();
    for (i, r) in tree.rows().enumerate() {
        let row = i as u32 + 1;
        let cell = |c: usize| r.get(c).map(cell_text).unwrap_or_default();
        if i == 0 {
            for (c, (_, title)) in COLUMNS.iter().enumerate() {
                if fold(&cell(c)) != fold(title) {
                    errors.push(SheetError {
                        sheet: TREE_SHEET.into(),
                        row,
                        column: Some(format!("{} ({title})", column_letter(c))),
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
                sheet: TREE_SHEET.into(),
                row,
                column: Some(format!("{} ({})", column_letter(c), COLUMNS[c].1)),
                message,
            });
        };
        let mut points = |c: usize| -> Option<Points> {
            let t = cell(c);
            if t.is_empty() {
                return None;
            }
            let p = Points::parse(&t);
            if p.is_none() {
                err(c, format!("\"{t}\" không phải là số điểm"));
            }
            p
        };
        let max = points(3);
        let step = points(5);
        let amount = points(9);
        let survey_max = points(11);
        let rule_text = cell(4);
        let rule = if rule_text.is_empty() {
            None
        } else {
            let key = fold(&rule_text);
            match RULES.iter().find(|(k, l)| *k == key || fold(l) == key) {
                None => {
                    let names: Vec<&str> = RULES.iter().map(|(_, l)| *l).collect();
                    err(
                        4,
                        format!(
                            "cách chấm \"{rule_text}\" không hợp lệ; dùng: {}",
                            names.join(", ")
                        ),
                    );
                    None
                }
                Some((kind, _)) => parse_rule(
                    kind,
                    step,
                    amount,
                    &cell(6),
                    cell(7),
                    cell(8),
                    cell(10),
                    &mut |m| err(6, m),
                ),
            }
        };
        if matches!(rule, Some(Rule::Manual { .. } | Rule::Bonus { .. })) && step.is_none() {
            err(5, "cần bước chấm (ví dụ 0,25)".into());
        }
        let mut when = BTreeMap::new();
        for part in cell(15)
            .split([';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part
                .split_once('=')
                .map(|(k, v)| (k.trim().to_string(), yes(v.trim())))
            {
                Some((k, Some(v))) => {
                    when.insert(k, v);
                }
                _ => err(15, format!("\"{part}\" phải có dạng thuộc_tính = có/không")),
            }
        }
        let allow = yes(&cell(16)).unwrap_or_else(|| {
            err(16, "ghi \"x\" hoặc để trống".into());
            false
        });
        let illustrative = yes(&cell(17)).unwrap_or_else(|| {
            err(17, "ghi \"x\" hoặc để trống".into());
            false
        });
        let from_records = match cell(19).as_str() {
            "" => None,
            c => {
                let r = chiso_core::framework::model::Records::from_code(c);
                if r.is_none() {
                    err(
                        19,
                        format!(
                            "\"{c}\": ghi plan_completion, reports_on_time, inspection_coverage, findings_handled hoặc để trống"
                        ),
                    );
                }
                r
            }
        };
        if cell(0).is_empty() {
            err(0, "thiếu mã tiêu chí".into());
            continue;
        }
        rows.push((
            row,
            Node {
                code: cell(0),
                name: cell(1),
                name_en: opt(cell(2)),
                max,
                guidance: opt(cell(12)),
                evidence: opt(cell(13)),
                illustrative,
                lead_unit: opt(cell(14)),
                survey_max,
                allow_not_applicable: allow,
                not_applicable_when: when,
                previous_code: opt(cell(18)),
                from_records,
                rule,
                children: vec![],
            },
        ));
    }

    let fields = build_tree(rows, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Framework {
        code: get("code"),
        name: get("name"),
        name_en: opt(get("name_en")),
        unit_type: unit_type.unwrap_or(UnitType::Province),
        year: year.unwrap_or_default(),
        version: version.unwrap_or(1),
        decision: opt(get("decision")),
        source: opt(get("source")),
        illustrative: illustrative.unwrap_or(false),
        max: max.unwrap_or(Points::ZERO),
        fields,
    })
}

#[allow(clippy::too_many_arguments)]
fn parse_rule(
    kind: &str,
    step: Option<Points>,
    amount: Option<Points>,
    options: &str,
    numerator: String,
    denominator: String,
    measure: String,
    err: &mut dyn FnMut(String),
) -> Option<Rule> {
    let lines: Vec<&str> = options
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Some(match kind {
        "manual" => Rule::Manual {
            step: step.unwrap_or(Points::ZERO),
        },
        "bonus" => Rule::Bonus {
            step: step.unwrap_or(Points::ZERO),
        },
        "boolean" => Rule::Boolean,
        "proportional" => Rule::Proportional {
            numerator,
            denominator,
        },
        "survey" => Rule::Survey {
            measure: opt(measure),
        },
        "deduction" => Rule::Deduction {
            amount: amount.unwrap_or(Points::ZERO),
        },
        "levels" => {
            let mut levels = Vec::new();
            for l in lines {
                match l
                    .rsplit_once('=')
                    .and_then(|(label, p)| Points::parse(p).map(|p| (label.trim(), p)))
                {
                    Some((label, points)) => levels.push(Level {
                        label: label.to_string(),
                        points,
                    }),
                    None => err(format!("mức \"{l}\" phải có dạng: tên mức = điểm")),
                }
            }
            Rule::Levels { levels }
        }
        "bands" => {
            let mut bands = Vec::new();
            for l in lines {
                match parse_band(l) {
                    Some(b) => bands.push(b),
                    None => err(format!(
                        "khoảng \"{l}\" phải có dạng: 70 – 90: 1 (thêm \">\" ở đầu nếu là \"trên\")"
                    )),
                }
            }
            Rule::Bands {
                numerator,
                denominator,
                bands,
            }
        }
        _ => return None,
    })
}

fn parse_band(line: &str) -> Option<Band> {
    let (range, points) = line.rsplit_once(':')?;
    let range = range.trim();
    let (exclusive_from, range) = match range.strip_prefix('>') {
        Some(r) => (true, r.trim()),
        None => (false, range),
    };
    let (from, to) = range.split_once(['–', '-'])?;
    Some(Band {
        from: Points::parse(from.trim().trim_end_matches('%'))?,
        to: Points::parse(to.trim().trim_end_matches('%'))?,
        points: Points::parse(points)?,
        exclusive_from,
    })
}

/// Nests rows by their codes: `2.1.3` goes under the nearest earlier-listed `2.1`.
fn build_tree(rows: Vec<(u32, Node)>, errors: &mut Vec<SheetError>) -> Vec<Node> {
    fn insert(nodes: &mut Vec<Node>, parent_code: &str, node: Node) -> bool {
        if let Some(n) = nodes
            .iter_mut()
            .rev()
            .find(|n| node.code.starts_with(&format!("{}.", n.code)))
        {
            let code = n.code.clone();
            return insert(&mut n.children, &code, node);
        }
        // Only a direct child of `parent_code` belongs here; otherwise its parent is missing.
        let belongs = node.code.rsplit_once('.').map(|(p, _)| p) == Some(parent_code);
        if belongs {
            nodes.push(node);
        }
        belongs
    }
    let mut fields: Vec<Node> = Vec::new();
    for (row, node) in rows {
        let code = node.code.clone();
        let is_field = !code.contains('.');
        if is_field {
            fields.push(node);
            continue;
        }
        let target = fields
            .iter_mut()
            .rev()
            .find(|f| code.starts_with(&format!("{}.", f.code)));
        let placed = match target {
            Some(f) => {
                let code = f.code.clone();
                insert(&mut f.children, &code, node)
            }
            None => false,
        };
        if !placed {
            let parent = code
                .rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
            errors.push(SheetError {
                sheet: TREE_SHEET.into(),
                row,
                column: Some(format!("A ({})", COLUMNS[0].1)),
                message: format!("không có tiêu chí cha \"{parent}\" ở các dòng phía trên"),
            });
        }
    }
    fields
}

/// The row of each node code in a workbook, for placing validation problems on their rows.
pub fn rows_by_code(bytes: &[u8]) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let Ok(mut book) = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) else {
        return out;
    };
    if let Ok(tree) = book.worksheet_range(TREE_SHEET) {
        for (i, r) in tree.rows().enumerate().skip(1) {
            let code = r.first().map(cell_text).unwrap_or_default();
            if !code.is_empty() {
                out.entry(code).or_insert(i as u32 + 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;
    use chiso_core::framework::arbitrary::framework;
    use chiso_core::framework::validate::validate;
    use proptest::prelude::*;

    fn good() -> Framework {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../core/tests/golden/frameworks/good.yaml"
        ))
        .unwrap();
        chiso_core::framework::yaml::from_yaml(&text).unwrap()
    }

    #[test]
    fn the_golden_framework_survives_excel() {
        let f = good();
        let bytes = write(&f).unwrap();
        assert_eq!(read(&bytes), Ok(f));
        assert_eq!(rows_by_code(&bytes).get("1.1.2"), Some(&5));
    }

    #[test]
    fn the_built_in_library_survives_excel() {
        for name in [
            "par-province-876.yaml",
            "par-department.yaml",
            "par-commune.yaml",
            "sipas.yaml",
        ] {
            let path = format!("{}/../../frameworks/{name}", env!("CARGO_MANIFEST_DIR"));
            let f = chiso_core::framework::yaml::from_yaml(&std::fs::read_to_string(path).unwrap())
                .unwrap();
            assert_eq!(read(&write(&f).unwrap()).as_ref(), Ok(&f), "{name}");
        }
    }

    #[test]
    fn bands_and_levels_read_as_people_write_them() {
        assert_eq!(
            parse_band("> 90 – 100: 1"),
            Some(Band {
                from: Points::parse("90").unwrap(),
                to: Points::parse("100").unwrap(),
                points: Points::parse("1").unwrap(),
                exclusive_from: true
            })
        );
        assert_eq!(
            parse_band("70-90%: 0,5").map(|b| b.points),
            Points::parse("0.5")
        );
        assert_eq!(parse_band("bảy mươi"), None);
        let mut errs = Vec::new();
        let r = parse_rule(
            "levels",
            None,
            None,
            "Đúng hạn = 1; Chậm = 0,5\nKhông = 0",
            String::new(),
            String::new(),
            String::new(),
            &mut |m| errs.push(m),
        );
        assert!(errs.is_empty());
        match r {
            Some(Rule::Levels { levels }) => assert_eq!(levels.len(), 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_workbook_that_is_not_one_is_refused() {
        let e = read(b"not a zip").unwrap_err();
        assert!(
            e[0].message(Lang::Vi)
                .contains("không phải bảng tính Excel"),
            "{e:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_valid_framework_survives_excel_unchanged(f in framework()) {
            prop_assert_eq!(validate(&f), vec![]);
            let bytes = write(&f).unwrap();
            prop_assert_eq!(read(&bytes), Ok(f));
        }
    }

    #[test]
    fn the_framework_reads_back() {
        let f = chiso_core::framework::yaml::from_yaml(
            r#"
code: so-nganh-2025
name: Bộ chỉ số cải cách hành chính các sở, ban, ngành tỉnh Quảng Ninh
name_en: PAR index of provincial departments
unit_type: department
year: 2025
version: 2
decision: 2816/QĐ-UBND ngày 20/11/2025
source: Quyết định của UBND tỉnh, Phụ lục I
max: 10
fields:
  - code: "1"
    name: Công tác chỉ đạo, điều hành cải cách hành chính
    name_en: Direction and management of PAR
    max: 4
    lead_unit: SNV
    children:
      - code: "1.1"
        name: Kế hoạch cải cách hành chính năm
        max: 2
        children:
          - code: "1.1.1"
            name: Ban hành kế hoạch cải cách hành chính năm
            max: 1
            guidance: Kế hoạch ban hành trước ngày 31/12 của năm trước
            evidence: Quyết định ban hành kế hoạch
            previous_code: "1.1"
            rule:
              type: levels
              levels:
                - { label: Ban hành đúng hạn, points: 1 }
                - { label: Ban hành chậm, points: 0.5 }
                - { label: Không ban hành, points: 0 }
          - code: "1.1.2"
            name: Mức độ hoàn thành kế hoạch cải cách hành chính
            max: 1
            from_records: plan_completion
            rule:
              type: bands
              numerator: Số nhiệm vụ hoàn thành
              denominator: Tổng số nhiệm vụ theo kế hoạch
              bands:
                - { from: 0, to: 70, points: 0 }
                - { from: 70, to: 90, points: 0.5 }
                - { from: 90, to: 100, points: 1, exclusive_from: true }
      - code: "1.2"
        name: Báo cáo cải cách hành chính định kỳ
        max: 2
        rule: { type: manual, step: 0.25 }
      - code: "1.3"
        name: Có sáng kiến cải cách hành chính được công nhận
        max: 0.5
        illustrative: true
        rule: { type: bonus, step: 0.25 }
      - code: "1.4"
        name: Để xảy ra vi phạm kỷ luật hành chính
        rule: { type: deduction, amount: 0.5 }
  - code: "2"
    name: Cải cách thủ tục hành chính
    max: 6
    survey_max: 2
    lead_unit: VP-UBND
    not_applicable_when: { has_procedures: false }
    children:
      - code: "2.1"
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 2
        rule: { type: proportional, numerator: Hồ sơ đúng hạn, denominator: Tổng số hồ sơ }
      - code: "2.2"
        name: Công khai thủ tục hành chính
        max: 2
        allow_not_applicable: true
        rule: { type: boolean }
      - code: "2.3"
        name: Mức độ hài lòng của người dân
        max: 2
        rule: { type: survey, measure: Chỉ số hài lòng SIPAS }
"#,
        )
        .unwrap();
        assert_eq!(validate(&f), vec![]);
        let bytes = write(&f).unwrap();
        insta::assert_snapshot!(read_back::xlsx(&bytes));
    }
}
