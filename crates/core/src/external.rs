//! Results other bodies publish — the PAR INDEX of every province, SIPAS, PAPI, PCI, DTI — read
//! from a file so a province sees itself among its peers and over the years.
//!
//! Why it is built this way:
//! - **All rows or none.** A file is read whole; every problem is reported with its line (or
//!   sheet row) and column, and nothing is returned until the whole file is right.
//! - **Files as people have them.** CSV with `,` or `;` (decimal commas in `;` files), a UTF-8
//!   byte-order mark, English or Vietnamese headers, extra columns (listed, not used), or the
//!   rows of a spreadsheet's first sheet (read by `chiso-reports`; this module stays I/O-free).
//! - **Exact values.** Values are decimals with at most four places (stored × 10 000); ranks
//!   the file leaves out are computed on those exact values, high → low, ties sharing a rank.
//! - **Names as keys.** A province is "Tỉnh Minh Sơn" in one file and "Minh Sơn" in another:
//!   [`entity_key`] folds diacritics and drops the "Tỉnh"/"Thành phố" prefix, so both are one
//!   entity, within a file (a duplicate is refused) and across years (the series).

use crate::framework::Points;
use crate::lang::Lang;
use crate::text::{clean, collation_key, fold};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// A published index whose results can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexCode {
    /// The national PAR INDEX (Bộ Nội vụ).
    ParIndex,
    /// Citizens' satisfaction with administrative services.
    Sipas,
    /// Provincial governance and public administration performance (CECODES/UNDP).
    Papi,
    /// Provincial competitiveness (VCCI).
    Pci,
    /// Digital transformation.
    Dti,
}

impl IndexCode {
    /// Every index, in the order pages list them.
    pub const ALL: [IndexCode; 5] = [
        IndexCode::ParIndex,
        IndexCode::Sipas,
        IndexCode::Papi,
        IndexCode::Pci,
        IndexCode::Dti,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            IndexCode::ParIndex => "PAR_INDEX",
            IndexCode::Sipas => "SIPAS",
            IndexCode::Papi => "PAPI",
            IndexCode::Pci => "PCI",
            IndexCode::Dti => "DTI",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<IndexCode> {
        IndexCode::ALL.into_iter().find(|i| i.code() == code)
    }

    /// The name people read.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (IndexCode::ParIndex, Lang::Vi) => "Chỉ số CCHC (PAR INDEX)",
            (IndexCode::ParIndex, Lang::En) => "PAR INDEX",
            (IndexCode::Sipas, Lang::Vi) => "Chỉ số hài lòng (SIPAS)",
            (IndexCode::Sipas, Lang::En) => "Satisfaction index (SIPAS)",
            (IndexCode::Papi, _) => "PAPI",
            (IndexCode::Pci, _) => "PCI",
            (IndexCode::Dti, _) => "DTI",
        }
    }

    /// Whether values are percentages (so at most 100 when the file gives no maximum).
    pub fn is_percentage(self) -> bool {
        matches!(self, IndexCode::ParIndex | IndexCode::Sipas)
    }

    /// Reads a cell as people write it: the code, with spaces or dashes (`PAR INDEX`), or the
    /// Vietnamese name, with or without diacritics.
    pub fn parse_loose(text: &str) -> Option<IndexCode> {
        let t = simplify(text);
        if t.is_empty() {
            return None;
        }
        IndexCode::ALL.into_iter().find(|i| {
            let aliases: &[&str] = match i {
                IndexCode::ParIndex => &["par index", "chi so cchc", "chi so cai cach hanh chinh"],
                IndexCode::Sipas => &["chi so hai long"],
                _ => &[],
            };
            t == simplify(i.code())
                || t == simplify(i.label(Lang::Vi))
                || t == simplify(i.label(Lang::En))
                || aliases.contains(&t.as_str())
        })
    }
}

impl fmt::Display for IndexCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Folded, with `_`, `-` and `/` read as spaces and single spaces between words.
fn simplify(text: &str) -> String {
    fold(&text.replace(['_', '-', '/'], " "))
}

/// One entity's published figure for one index and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedResult {
    pub index: IndexCode,
    pub year: i32,
    /// The name as the file writes it (NFC).
    pub name: String,
    /// Exact, at most four decimal places.
    pub value: Points,
    /// The maximum the value is out of, when the file gives one.
    pub max: Option<Points>,
    pub rank: u32,
    /// `false` when chiso computed the rank because the file gave none.
    pub rank_given: bool,
}

/// The key that identifies an entity across files: folded (no diacritics, `đ` → `d`,
/// lowercase) and without a leading "Tỉnh", "Thành phố" or "TP." — "Tỉnh Minh Sơn", "tinh
/// minh son" and "Minh Sơn" are one province.
pub fn entity_key(name: &str) -> String {
    let folded = fold(&clean(name));
    for prefix in ["tinh ", "thanh pho ", "tp. ", "tp.", "tp "] {
        if let Some(rest) = folded.strip_prefix(prefix) {
            let rest = rest.trim();
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    folded
}

/// The recognised columns, each with the Vietnamese headers also accepted (compared folded).
pub const COLUMNS: [(&str, &[&str]); 6] = [
    ("index", &["chi so", "ma chi so", "bo chi so"]),
    ("year", &["nam", "nam danh gia", "nam cong bo"]),
    (
        "name",
        &[
            "tinh",
            "don vi",
            "ten",
            "ten tinh",
            "ten don vi",
            "tinh thanh pho",
            "dia phuong",
        ],
    ),
    ("value", &["diem", "gia tri", "diem so", "ket qua"]),
    ("rank", &["xep hang", "hang", "thu hang"]),
    ("max", &["diem toi da", "toi da"]),
];

/// A recognised column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Index,
    Year,
    Name,
    Value,
    Rank,
    Max,
}

impl Column {
    fn of(header: &str) -> Option<Column> {
        let h = simplify(header);
        let found = COLUMNS
            .iter()
            .find(|(name, aliases)| *name == h || aliases.contains(&h.as_str()))?;
        Some(match found.0 {
            "index" => Column::Index,
            "year" => Column::Year,
            "name" => Column::Name,
            "value" => Column::Value,
            "rank" => Column::Rank,
            _ => Column::Max,
        })
    }

    fn key(self) -> &'static str {
        match self {
            Column::Index => "index",
            Column::Year => "year",
            Column::Name => "name",
            Column::Value => "value",
            Column::Rank => "rank",
            Column::Max => "max",
        }
    }
}

/// Where the rows come from, for the place named in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A CSV file: places are lines, columns are named by their header.
    Csv,
    /// A spreadsheet's sheet of this name: places are rows, columns are letters.
    Sheet(String),
}

/// What the person chose on the upload form, for files without an index or year column
/// (or with empty cells in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Choice {
    pub index: Option<IndexCode>,
    pub year: Option<i32>,
}

/// The years a published result may carry.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A problem with the file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalError {
    /// The sheet, for a spreadsheet.
    pub sheet: Option<String>,
    /// 1-based line (or sheet row); 0 for the file as a whole.
    pub line: u64,
    /// The column as the file names it (`C (Điểm)` in a sheet).
    pub column: Option<String>,
    pub kind: ExternalErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalErrorKind {
    NotUtf8,
    Empty,
    Malformed(String),
    /// A required column (`name`, `value`) is missing from the header.
    MissingColumn(&'static str),
    /// No index column and no index chosen on the form.
    NoIndex,
    /// No year column and no year chosen on the form.
    NoYear,
    DuplicateColumn,
    WrongColumnCount {
        expected: usize,
        found: usize,
    },
    MissingIndex,
    UnknownIndex(String),
    /// The file names another index than the one chosen on the form.
    IndexConflict {
        file: IndexCode,
        chosen: IndexCode,
    },
    MissingYear,
    BadYear(String),
    YearConflict {
        file: i32,
        chosen: i32,
    },
    MissingName,
    DuplicateName {
        name: String,
        first_line: u64,
    },
    MissingValue,
    NotANumber(String),
    TooPrecise(String),
    Negative(Points),
    AboveMax {
        value: Points,
        max: Points,
    },
    AboveHundred(Points),
    BadMax(String),
    BadRank(String),
    /// Other rows of the same index and year give a rank, this one does not.
    MissingRank {
        index: IndexCode,
        year: i32,
    },
}

impl ExternalError {
    /// "Dòng 7, cột điểm: …" or "Trang tính "Sheet1", dòng 7, cột C (Điểm): …".
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut place = Vec::new();
        if let Some(s) = &self.sheet {
            place.push(format!(
                "{} \"{s}\"",
                if vi { "Trang tính" } else { "Sheet" }
            ));
        }
        if self.line > 0 {
            let word = match (&self.sheet, vi) {
                (None, true) => "Dòng",
                (None, false) => "Line",
                (Some(_), true) => "dòng",
                (Some(_), false) => "row",
            };
            place.push(format!("{word} {}", self.line));
        }
        if let Some(c) = &self.column {
            place.push(format!("{} {c}", if vi { "cột" } else { "column" }));
        }
        let what = self.kind.message(lang);
        if place.is_empty() {
            let mut chars = what.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => what,
            }
        } else {
            format!("{}: {what}", place.join(", "))
        }
    }
}

fn index_list() -> String {
    IndexCode::ALL
        .iter()
        .map(|i| i.code())
        .collect::<Vec<_>>()
        .join(", ")
}

impl ExternalErrorKind {
    /// What is wrong, without the place (lower case first, as it follows the place).
    pub fn message(&self, lang: Lang) -> String {
        use ExternalErrorKind as K;
        let vi = lang == Lang::Vi;
        let d = |p: &Points| p.display(lang);
        match self {
            K::NotUtf8 if vi => {
                "tệp không phải UTF-8. Trong Excel chọn Lưu thành \"CSV UTF-8\" hoặc tải lên tệp .xlsx.".into()
            }
            K::NotUtf8 => {
                "the file is not UTF-8. In Excel, save as \"CSV UTF-8\" or upload the .xlsx file.".into()
            }
            K::Empty if vi => "tệp không có dòng dữ liệu nào.".into(),
            K::Empty => "the file has no data rows.".into(),
            K::Malformed(e) if vi => format!("dòng CSV không đọc được ({e})."),
            K::Malformed(e) => format!("the CSV row cannot be read ({e})."),
            K::MissingColumn(c) if vi => format!(
                "thiếu cột {c} ở dòng tiêu đề ({}).",
                aliases_of(c).join(", ")
            ),
            K::MissingColumn(c) => format!(
                "the header has no {c} column ({}).",
                aliases_of(c).join(", ")
            ),
            K::NoIndex if vi => {
                "tệp không có cột index (chỉ số): hãy chọn chỉ số trên biểu mẫu.".into()
            }
            K::NoIndex => "the file has no index column: choose the index on the form.".into(),
            K::NoYear if vi => "tệp không có cột year (năm): hãy nhập năm trên biểu mẫu.".into(),
            K::NoYear => "the file has no year column: enter the year on the form.".into(),
            K::DuplicateColumn if vi => "cột này bị lặp ở dòng tiêu đề.".into(),
            K::DuplicateColumn => "this column appears twice in the header.".into(),
            K::WrongColumnCount { expected, found } if vi => {
                format!("dòng có {found} cột, dòng tiêu đề có {expected} cột.")
            }
            K::WrongColumnCount { expected, found } => {
                format!("the row has {found} columns, the header {expected}.")
            }
            K::MissingIndex if vi => {
                "ô trống: ghi chỉ số hoặc chọn chỉ số trên biểu mẫu.".into()
            }
            K::MissingIndex => "the cell is empty: write the index or choose it on the form.".into(),
            K::UnknownIndex(t) if vi => {
                format!("không nhận ra chỉ số \"{t}\"; dùng một trong: {}.", index_list())
            }
            K::UnknownIndex(t) => format!("unknown index \"{t}\"; use one of {}.", index_list()),
            K::IndexConflict { file, chosen } if vi => format!(
                "tệp ghi {file}, khác chỉ số {chosen} đã chọn trên biểu mẫu."
            ),
            K::IndexConflict { file, chosen } => {
                format!("the file says {file}, but {chosen} was chosen on the form.")
            }
            K::MissingYear if vi => "ô trống: ghi năm hoặc nhập năm trên biểu mẫu.".into(),
            K::MissingYear => "the cell is empty: write the year or enter it on the form.".into(),
            K::BadYear(t) if vi => format!(
                "năm \"{t}\" không hợp lệ; ghi năm bằng 4 chữ số, ví dụ 2024."
            ),
            K::BadYear(t) => format!("year \"{t}\" is not valid; write four digits, e.g. 2024."),
            K::YearConflict { file, chosen } if vi => {
                format!("tệp ghi năm {file}, khác năm {chosen} đã nhập trên biểu mẫu.")
            }
            K::YearConflict { file, chosen } => {
                format!("the file says {file}, but {chosen} was entered on the form.")
            }
            K::MissingName if vi => "thiếu tên tỉnh hoặc đơn vị.".into(),
            K::MissingName => "the name is missing.".into(),
            K::DuplicateName { name, first_line } if vi => format!(
                "\"{name}\" đã có ở dòng {first_line} cho cùng chỉ số và năm."
            ),
            K::DuplicateName { name, first_line } => format!(
                "\"{name}\" already appears on line {first_line} for the same index and year."
            ),
            K::MissingValue if vi => "ô trống, cần điểm (một số).".into(),
            K::MissingValue => "the cell is empty; a number is needed.".into(),
            K::NotANumber(t) if vi => format!("\"{t}\" không phải là số."),
            K::NotANumber(t) => format!("\"{t}\" is not a number."),
            K::TooPrecise(t) if vi => format!("\"{t}\" có quá 4 chữ số thập phân."),
            K::TooPrecise(t) => format!("\"{t}\" has more than 4 decimal places."),
            K::Negative(p) if vi => format!("điểm {} là số âm.", d(p)),
            K::Negative(p) => format!("{} is negative.", d(p)),
            K::AboveMax { value, max } if vi => {
                format!("điểm {} lớn hơn điểm tối đa {}.", d(value), d(max))
            }
            K::AboveMax { value, max } => {
                format!("{} is above the maximum {}.", d(value), d(max))
            }
            K::AboveHundred(p) if vi => format!(
                "điểm {} lớn hơn 100% (nếu thang điểm khác, ghi cột max — điểm tối đa).",
                d(p)
            ),
            K::AboveHundred(p) => format!(
                "{} is above 100% (for another scale, give a max column).",
                d(p)
            ),
            K::BadMax(t) if vi => format!("điểm tối đa \"{t}\" phải là số dương."),
            K::BadMax(t) => format!("the maximum \"{t}\" must be a positive number."),
            K::BadRank(t) if vi => format!("hạng \"{t}\" phải là số nguyên dương."),
            K::BadRank(t) => format!("rank \"{t}\" must be a positive whole number."),
            K::MissingRank { index, year } if vi => format!(
                "thiếu hạng, trong khi các dòng khác của {index} năm {year} có hạng: ghi hạng cho mọi dòng hoặc để trống tất cả (hệ thống tự xếp hạng)."
            ),
            K::MissingRank { index, year } => format!(
                "no rank, while other rows of {index} {year} have one: give every row a rank, or none (chiso then ranks them)."
            ),
        }
    }
}

fn aliases_of(column: &str) -> Vec<&'static str> {
    let (name, aliases) = COLUMNS
        .iter()
        .find(|(n, _)| *n == column)
        .copied()
        .unwrap_or(("", &[]));
    std::iter::once(name)
        .chain(aliases.iter().copied())
        .filter(|s| !s.is_empty())
        .collect()
}

/// One row read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    /// 1-based line (or sheet row).
    pub line: u64,
    pub result: PublishedResult,
}

/// The rows of one index and year, best rank first (ties in Vietnamese alphabetical order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSet {
    pub index: IndexCode,
    pub year: i32,
    pub rows: Vec<ParsedRow>,
}

impl ParsedSet {
    /// The results, without their lines.
    pub fn results(&self) -> Vec<PublishedResult> {
        self.rows.iter().map(|r| r.result.clone()).collect()
    }
}

/// A whole file, read and checked: one set per index and year it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedFile {
    /// In [`IndexCode::ALL`] order, then by year.
    pub sets: Vec<ParsedSet>,
    /// Columns the file has that chiso does not use (shown, so nothing is skipped silently).
    pub ignored_columns: Vec<String>,
}

/// Reads a CSV file (`,` or `;`, BOM, decimal commas in `;` files). Returns every row, or
/// every error found.
pub fn parse_csv(bytes: &[u8], choice: &Choice) -> Result<ParsedFile, Vec<ExternalError>> {
    let whole = |kind| ExternalError {
        sheet: None,
        line: 0,
        column: None,
        kind,
    };
    let text =
        crate::text::csv_text(bytes).ok_or_else(|| vec![whole(ExternalErrorKind::NotUtf8)])?;
    let semicolons = crate::text::csv_delimiter(text) == b';';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::text::csv_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Lines from byte offsets: the csv reader's own line count misses blank lines, and a
    // record's position may be where the blank lines before it start.
    let mut lines = crate::text::CsvLines::new(text);
    let mut line_at = |pos: Option<&csv::Position>| lines.at(pos);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push((
                line_at(r.position()),
                r.iter().map(str::to_string).collect(),
            )),
            Err(e) => errors.push(ExternalError {
                sheet: None,
                line: line_at(e.position()),
                column: None,
                kind: ExternalErrorKind::Malformed(e.to_string()),
            }),
        }
    }
    match parse_rows(&Origin::Csv, rows, semicolons, choice) {
        Ok(file) if errors.is_empty() => Ok(file),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

/// Column letters as a spreadsheet shows them: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A number as files write it: plain decimals, an optional `%`, a decimal comma when
/// `decimal_comma`. No exponent and no digit grouping, so nothing is misread.
fn number(text: &str, decimal_comma: bool) -> Option<Decimal> {
    let t = text.trim().trim_end_matches('%').trim();
    let t = if decimal_comma {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    Decimal::from_str(&t).ok()
}

/// Reads rows of cells whose first non-empty row is the header. `rows` carry their 1-based
/// line (or sheet row); in a sheet, cell `i` is column [`column_letter`]`(i)`. Returns every
/// row, or every error found.
pub fn parse_rows(
    origin: &Origin,
    rows: Vec<(u64, Vec<String>)>,
    decimal_comma: bool,
    choice: &Choice,
) -> Result<ParsedFile, Vec<ExternalError>> {
    let sheet = match origin {
        Origin::Csv => None,
        Origin::Sheet(name) => Some(name.clone()),
    };
    let blank = |cells: &[String]| cells.iter().all(|c| c.trim().is_empty());
    let mut rows = rows.into_iter().filter(|(_, cells)| !blank(cells));
    let Some((header_line, header)) = rows.next() else {
        return Err(vec![ExternalError {
            sheet,
            line: 0,
            column: None,
            kind: ExternalErrorKind::Empty,
        }]);
    };
    let names: Vec<String> = header.iter().map(|h| clean(h)).collect();
    let label = |i: usize| match origin {
        Origin::Csv => names[i].clone(),
        Origin::Sheet(_) if names[i].is_empty() => column_letter(i),
        Origin::Sheet(_) => format!("{} ({})", column_letter(i), names[i]),
    };
    let at = |line: u64, column: Option<String>, kind| ExternalError {
        sheet: sheet.clone(),
        line,
        column,
        kind,
    };
    let mut errors = Vec::new();
    let mut columns: HashMap<Column, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        match Column::of(name) {
            Some(c) if columns.contains_key(&c) => errors.push(at(
                header_line,
                Some(label(i)),
                ExternalErrorKind::DuplicateColumn,
            )),
            Some(c) => {
                columns.insert(c, i);
            }
            None => ignored.push(name.clone()),
        }
    }
    for c in [Column::Name, Column::Value] {
        if !columns.contains_key(&c) {
            errors.push(at(
                header_line,
                None,
                ExternalErrorKind::MissingColumn(c.key()),
            ));
        }
    }
    if !columns.contains_key(&Column::Index) && choice.index.is_none() {
        errors.push(at(header_line, None, ExternalErrorKind::NoIndex));
    }
    if !columns.contains_key(&Column::Year) && choice.year.is_none() {
        errors.push(at(header_line, None, ExternalErrorKind::NoYear));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    struct Read {
        line: u64,
        index: IndexCode,
        year: i32,
        name: String,
        value: Points,
        max: Option<Points>,
        rank: Option<u32>,
    }
    let mut read = Vec::new();
    let mut first_line: HashMap<(IndexCode, i32, String), u64> = HashMap::new();
    for (line, cells) in rows {
        let before = errors.len();
        if origin == &Origin::Csv && cells.len() != names.len() {
            errors.push(at(
                line,
                None,
                ExternalErrorKind::WrongColumnCount {
                    expected: names.len(),
                    found: cells.len(),
                },
            ));
            continue;
        }
        let cell = |c: Column| -> Option<(usize, String)> {
            columns
                .get(&c)
                .map(|&i| (i, clean(cells.get(i).map_or("", String::as_str))))
        };
        let mut fail = |i: usize, kind| errors.push(at(line, Some(label(i)), kind));

        let index = match cell(Column::Index) {
            None => choice.index,
            Some((_, t)) if t.is_empty() => {
                if choice.index.is_none() {
                    fail(columns[&Column::Index], ExternalErrorKind::MissingIndex);
                }
                choice.index
            }
            Some((i, t)) => match (IndexCode::parse_loose(&t), choice.index) {
                (None, _) => {
                    fail(i, ExternalErrorKind::UnknownIndex(t));
                    None
                }
                (Some(file), Some(chosen)) if file != chosen => {
                    fail(i, ExternalErrorKind::IndexConflict { file, chosen });
                    None
                }
                (Some(file), _) => Some(file),
            },
        };
        let year = match cell(Column::Year) {
            None => choice.year,
            Some((_, t)) if t.is_empty() => {
                if choice.year.is_none() {
                    fail(columns[&Column::Year], ExternalErrorKind::MissingYear);
                }
                choice.year
            }
            Some((i, t)) => {
                let whole = t.strip_suffix(".0").unwrap_or(&t);
                match (
                    whole.parse::<i32>().ok().filter(|y| YEARS.contains(y)),
                    choice.year,
                ) {
                    (None, _) => {
                        fail(i, ExternalErrorKind::BadYear(t));
                        None
                    }
                    (Some(file), Some(chosen)) if file != chosen => {
                        fail(i, ExternalErrorKind::YearConflict { file, chosen });
                        None
                    }
                    (Some(file), _) => Some(file),
                }
            }
        };
        let (name_at, name) = cell(Column::Name).unwrap_or_default();
        if name.is_empty() {
            fail(name_at, ExternalErrorKind::MissingName);
        }
        let decimal = |i: usize, t: &str, fail: &mut dyn FnMut(usize, ExternalErrorKind)| {
            let Some(d) = number(t, decimal_comma) else {
                fail(i, ExternalErrorKind::NotANumber(t.to_string()));
                return None;
            };
            let p = Points::new(d);
            if !p.fits_scale() {
                fail(i, ExternalErrorKind::TooPrecise(t.to_string()));
                return None;
            }
            Some(p)
        };
        let max = match cell(Column::Max) {
            Some((i, t)) if !t.is_empty() => match number(&t, decimal_comma).map(Points::new) {
                Some(m) if m.is_positive() && m.fits_scale() => Some(m),
                _ => {
                    fail(i, ExternalErrorKind::BadMax(t));
                    None
                }
            },
            _ => None,
        };
        let (value_at, value_text) = cell(Column::Value).unwrap_or_default();
        let value = if value_text.is_empty() {
            fail(value_at, ExternalErrorKind::MissingValue);
            None
        } else {
            decimal(value_at, &value_text, &mut fail)
        };
        if let Some(v) = value {
            if v.is_negative() {
                fail(value_at, ExternalErrorKind::Negative(v));
            } else if let Some(m) = max.filter(|m| v > *m) {
                fail(value_at, ExternalErrorKind::AboveMax { value: v, max: m });
            } else if max.is_none()
                && index.is_some_and(IndexCode::is_percentage)
                && v.decimal() > Decimal::ONE_HUNDRED
            {
                fail(value_at, ExternalErrorKind::AboveHundred(v));
            }
        }
        let rank = match cell(Column::Rank) {
            Some((i, t)) if !t.is_empty() => {
                let whole = t.strip_suffix(".0").unwrap_or(&t);
                match whole.parse::<u32>() {
                    Ok(r) if r > 0 => Some(r),
                    _ => {
                        fail(i, ExternalErrorKind::BadRank(t));
                        None
                    }
                }
            }
            _ => None,
        };
        if let (Some(ix), Some(y), false) = (index, year, name.is_empty()) {
            let key = (ix, y, entity_key(&name));
            if let Some(&first) = first_line.get(&key) {
                fail(
                    name_at,
                    ExternalErrorKind::DuplicateName {
                        name: name.clone(),
                        first_line: first,
                    },
                );
            } else {
                first_line.insert(key, line);
            }
        }
        if errors.len() == before
            && let (Some(index), Some(year), Some(value)) = (index, year, value)
        {
            read.push(Read {
                line,
                index,
                year,
                name,
                value,
                max,
                rank,
            });
        }
    }

    // Ranks: all given, or none (then computed); never some.
    let mut sets: Vec<ParsedSet> = Vec::new();
    let mut keys: Vec<(IndexCode, i32)> = read.iter().map(|r| (r.index, r.year)).collect();
    keys.sort();
    keys.dedup();
    for (index, year) in keys {
        let members: Vec<&Read> = read
            .iter()
            .filter(|r| r.index == index && r.year == year)
            .collect();
        let given = members.iter().filter(|r| r.rank.is_some()).count();
        if given > 0 && given < members.len() {
            let column = columns.get(&Column::Rank).map(|&i| label(i));
            for r in members.iter().filter(|r| r.rank.is_none()) {
                errors.push(at(
                    r.line,
                    column.clone(),
                    ExternalErrorKind::MissingRank { index, year },
                ));
            }
            continue;
        }
        let values: Vec<Points> = members.iter().map(|r| r.value).collect();
        let computed = competition_ranks(&values);
        let mut rows: Vec<ParsedRow> = members
            .iter()
            .zip(computed)
            .map(|(r, computed)| ParsedRow {
                line: r.line,
                result: PublishedResult {
                    index,
                    year,
                    name: r.name.clone(),
                    value: r.value,
                    max: r.max,
                    rank: r.rank.unwrap_or(computed),
                    rank_given: r.rank.is_some(),
                },
            })
            .collect();
        sort_results(&mut rows, |r| &r.result);
        sets.push(ParsedSet { index, year, rows });
    }
    if errors.is_empty() && sets.is_empty() {
        errors.push(at(0, None, ExternalErrorKind::Empty));
    }
    if errors.is_empty() {
        Ok(ParsedFile {
            sets,
            ignored_columns: ignored,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Competition ranks of exact values, high → low: equal values share a rank and the next
/// rank skips (1, 2, 2, 4).
pub fn competition_ranks(values: &[Points]) -> Vec<u32> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    values
        .iter()
        .map(|v| sorted.partition_point(|o| o > v) as u32 + 1)
        .collect()
}

/// Sorts by rank, then by value (high first), then in Vietnamese alphabetical order.
pub fn sort_results<T>(items: &mut [T], result: impl Fn(&T) -> &PublishedResult) {
    items.sort_by_cached_key(|t| {
        let r = result(t);
        (r.rank, std::cmp::Reverse(r.value), collation_key(&r.name))
    });
}

/// The file in one canonical CSV form (`index,year,name,value,max,rank`, decimal points, a
/// rank only where the file gave one), which [`parse_csv`] reads back to the same sets:
/// what the confirm step carries, whatever the uploaded format was.
pub fn to_csv(file: &ParsedFile) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["index", "year", "name", "value", "max", "rank"]);
    for set in &file.sets {
        for r in &set.rows {
            let r = &r.result;
            let _ = w.write_record([
                r.index.code().to_string(),
                r.year.to_string(),
                r.name.clone(),
                r.value.to_string(),
                r.max.map(|m| m.to_string()).unwrap_or_default(),
                if r.rank_given {
                    r.rank.to_string()
                } else {
                    String::new()
                },
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Count, exact mean, and how many are above the mean as published (2 decimals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    /// Exact mean of the values.
    pub mean: Decimal,
    /// Entities whose value is above the published mean.
    pub above_mean: usize,
}

/// The summary of one index and year; `None` when it has no rows.
pub fn summary(results: &[PublishedResult]) -> Option<Summary> {
    if results.is_empty() {
        return None;
    }
    let sum: Decimal = results.iter().map(|r| r.value.decimal()).sum();
    let mean = sum / Decimal::from(results.len());
    let shown = crate::results::published(mean);
    Some(Summary {
        count: results.len(),
        mean,
        above_mean: results.iter().filter(|r| r.value.decimal() > shown).count(),
    })
}

/// The position of an entity (by [`entity_key`]) among results.
pub fn position(results: &[PublishedResult], key: &str) -> Option<usize> {
    results.iter().position(|r| entity_key(&r.name) == key)
}

/// One year of an entity's series, with the change since the year before it in the series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPoint {
    pub year: i32,
    pub value: Points,
    pub max: Option<Points>,
    pub rank: u32,
    /// The year compared with (the previous year in the series; there may be gaps).
    pub previous_year: Option<i32>,
    /// Exact change in value.
    pub value_change: Option<Points>,
    /// `previous rank − rank`: positive = moved up ("tăng 8 bậc").
    pub rank_change: Option<i64>,
}

/// An entity's results of one index over the years, oldest first, each with its change.
pub fn series(results: &[PublishedResult]) -> Vec<SeriesPoint> {
    let mut sorted: Vec<&PublishedResult> = results.iter().collect();
    sorted.sort_by_key(|r| r.year);
    let mut out: Vec<SeriesPoint> = Vec::with_capacity(sorted.len());
    for r in sorted {
        let previous = out.last();
        out.push(SeriesPoint {
            year: r.year,
            value: r.value,
            max: r.max,
            rank: r.rank,
            previous_year: previous.map(|p| p.year),
            value_change: previous.map(|p| r.value - p.value),
            rank_change: previous.map(|p| i64::from(p.rank) - i64::from(r.rank)),
        });
    }
    out
}

/// "tăng 8 bậc", "giảm 32 bậc", "giữ nguyên hạng" (positive = moved up).
pub fn rank_change_text(change: i64, lang: Lang) -> String {
    let n = change.unsigned_abs();
    match (change.signum(), lang) {
        (1, Lang::Vi) => format!("tăng {n} bậc"),
        (1, Lang::En) => format!("up {n} {}", if n == 1 { "place" } else { "places" }),
        (-1, Lang::Vi) => format!("giảm {n} bậc"),
        (-1, Lang::En) => format!("down {n} {}", if n == 1 { "place" } else { "places" }),
        (_, Lang::Vi) => "giữ nguyên hạng".into(),
        (_, Lang::En) => "same rank".into(),
    }
}

/// How an incoming set differs from the stored one it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetDiff {
    /// Entities not stored before.
    pub added: usize,
    /// Entities whose value, maximum or rank changes.
    pub changed: usize,
    pub unchanged: usize,
    /// Names stored now that the file no longer has (they will be removed).
    pub removed: Vec<String>,
}

/// Compares a set about to be stored with the one stored now (matched by [`entity_key`]).
pub fn compare(stored: &[PublishedResult], incoming: &[PublishedResult]) -> SetDiff {
    let old: HashMap<String, &PublishedResult> =
        stored.iter().map(|r| (entity_key(&r.name), r)).collect();
    let mut diff = SetDiff::default();
    let mut seen = std::collections::HashSet::new();
    for r in incoming {
        let key = entity_key(&r.name);
        match old.get(&key) {
            None => diff.added += 1,
            Some(o) if o.value == r.value && o.max == r.max && o.rank == r.rank => {
                diff.unchanged += 1
            }
            Some(_) => diff.changed += 1,
        }
        seen.insert(key);
    }
    diff.removed = stored
        .iter()
        .filter(|r| !seen.contains(&entity_key(&r.name)))
        .map(|r| r.name.clone())
        .collect();
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_higher_value_never_ranks_worse_and_equal_values_share_a_rank(
            scaled in proptest::collection::vec(0i64..1_000_000, 1..40)
        ) {
            let values: Vec<Points> = scaled.iter().map(|&s| Points::from_scaled(s)).collect();
            let ranks = competition_ranks(&values);
            for i in 0..values.len() {
                for j in 0..values.len() {
                    if values[i] > values[j] {
                        prop_assert!(ranks[i] < ranks[j]);
                    }
                    if values[i] == values[j] {
                        prop_assert_eq!(ranks[i], ranks[j]);
                    }
                }
                // Competition style: the rank is one more than the number strictly above.
                let above = values.iter().filter(|v| **v > values[i]).count() as u32;
                prop_assert_eq!(ranks[i], above + 1);
            }
        }

        #[test]
        fn any_file_survives_the_canonical_csv(
            rows in proptest::collection::vec(
                ("[A-Za-zàáâãèéêìíòóôõùúăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ,\"]{1,20}", 0i64..1_000_000, proptest::option::of(1u32..100)),
                1..12,
            ),
            year in 2015i32..2030,
        ) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["index", "year", "name", "value"]).unwrap();
            let mut seen = std::collections::HashSet::new();
            for (name, value, _) in &rows {
                if clean(name).is_empty() || !seen.insert(entity_key(name)) {
                    continue;
                }
                w.write_record([
                    "PCI".to_string(),
                    year.to_string(),
                    name.clone(),
                    Points::from_scaled(*value).to_string(),
                ])
                .unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            if let Ok(file) = parse_csv(text.as_bytes(), &Choice::default()) {
                let again = parse_csv(to_csv(&file).as_bytes(), &Choice::default()).unwrap();
                let results = |f: &ParsedFile| f.sets.iter().map(ParsedSet::results).collect::<Vec<_>>();
                prop_assert_eq!(results(&again), results(&file));
            } else {
                // Only a file with no usable row may be refused.
                prop_assert!(seen.is_empty());
            }
        }
    }

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    fn messages(result: Result<ParsedFile, Vec<ExternalError>>) -> Vec<String> {
        result
            .unwrap_err()
            .iter()
            .map(|e| e.message(Lang::Vi))
            .collect()
    }

    #[test]
    fn index_codes_read_as_people_write_them() {
        for (text, code) in [
            ("PAR_INDEX", IndexCode::ParIndex),
            ("par index", IndexCode::ParIndex),
            ("Chỉ số CCHC (PAR INDEX)", IndexCode::ParIndex),
            ("chi so cchc", IndexCode::ParIndex),
            ("Chỉ số hài lòng (SIPAS)", IndexCode::Sipas),
            ("sipas", IndexCode::Sipas),
            ("PAPI", IndexCode::Papi),
            ("pci", IndexCode::Pci),
            ("DTI", IndexCode::Dti),
        ] {
            assert_eq!(IndexCode::parse_loose(text), Some(code), "{text}");
        }
        assert_eq!(IndexCode::parse_loose("GDP"), None);
        for i in IndexCode::ALL {
            assert_eq!(IndexCode::from_code(i.code()), Some(i));
        }
    }

    #[test]
    fn entity_keys_ignore_diacritics_case_and_prefixes() {
        assert_eq!(entity_key("Tỉnh Minh Sơn"), "minh son");
        assert_eq!(entity_key("  minh   sơn "), "minh son");
        assert_eq!(entity_key("Thành phố Hà Đông"), "ha dong");
        assert_eq!(entity_key("TP. Hà Đông"), "ha dong");
        assert_eq!(entity_key("TP.Hà Đông"), "ha dong");
        // Decomposed marks (old keyboards) fold alike.
        assert_eq!(entity_key("Ti\u{0309}nh Minh So\u{031B}n"), "minh son");
        // A name that is only the prefix stays itself.
        assert_eq!(entity_key("Tỉnh"), "tinh");
    }

    #[test]
    fn a_semicolon_file_with_vietnamese_headers_is_read_and_ranked() {
        let csv = "\u{feff}Chỉ số;Năm;Tỉnh;Điểm;Ghi chú\n\
                   PAR INDEX;2024;Tỉnh Minh Sơn;88,5;\n\
                   PAR INDEX;2024;Tỉnh Đông Hà;91,25;mẫu\n\
                   PAR INDEX;2024;Tỉnh An Lạc;88,50;\n\
                   \n\
                   PAR INDEX;2024;Tỉnh Bắc Vọng;79,9;\n";
        let file = parse_csv(csv.as_bytes(), &Choice::default()).unwrap();
        assert_eq!(file.ignored_columns, vec!["Ghi chú"]);
        assert_eq!(file.sets.len(), 1);
        let set = &file.sets[0];
        assert_eq!((set.index, set.year), (IndexCode::ParIndex, 2024));
        let view: Vec<(u64, &str, String, u32, bool)> = set
            .rows
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.result.name.as_str(),
                    r.result.value.to_string(),
                    r.result.rank,
                    r.result.rank_given,
                )
            })
            .collect();
        assert_eq!(
            view,
            vec![
                (3, "Tỉnh Đông Hà", "91.25".into(), 1, false),
                (4, "Tỉnh An Lạc", "88.5".into(), 2, false),
                (2, "Tỉnh Minh Sơn", "88.5".into(), 2, false),
                (6, "Tỉnh Bắc Vọng", "79.9".into(), 4, false),
            ]
        );
    }

    #[test]
    fn the_form_supplies_a_missing_index_and_year() {
        let csv = "name,value,rank,max\nMinh Sơn,8.82,48,9.5\nĐông Hà,9.1,3,9.5\n";
        let none = parse_csv(csv.as_bytes(), &Choice::default());
        assert_eq!(
            messages(none),
            vec![
                "Dòng 1: tệp không có cột index (chỉ số): hãy chọn chỉ số trên biểu mẫu.",
                "Dòng 1: tệp không có cột year (năm): hãy nhập năm trên biểu mẫu.",
            ]
        );
        let choice = Choice {
            index: Some(IndexCode::Pci),
            year: Some(2023),
        };
        let file = parse_csv(csv.as_bytes(), &choice).unwrap();
        let r = &file.sets[0].rows[0].result;
        assert_eq!(
            (r.index, r.year, r.rank, r.rank_given),
            (IndexCode::Pci, 2023, 3, true)
        );
        assert_eq!(r.max, Some(p("9.5")));
        // A file column that contradicts the form is refused, not overridden.
        let csv = "index,year,name,value\nPAPI,2023,A,40\nPCI,,B,60\n";
        assert_eq!(
            messages(parse_csv(csv.as_bytes(), &choice)),
            vec!["Dòng 2, cột index: tệp ghi PAPI, khác chỉ số PCI đã chọn trên biểu mẫu."]
        );
    }

    #[test]
    fn every_bad_row_is_reported_on_its_line_and_column() {
        let csv = "index,year,name,value,rank,max\n\
                   PAR_INDEX,2024,Tỉnh A,90.5,,\n\
                   GDP,2024,Tỉnh B,80,,\n\
                   PAR_INDEX,20x4,Tỉnh C,80,,\n\
                   PAR_INDEX,2024,,80,,\n\
                   PAR_INDEX,2024,Tỉnh D,abc,,\n\
                   PAR_INDEX,2024,Tỉnh E,-1,,\n\
                   PAR_INDEX,2024,Tỉnh F,100.5,,\n\
                   PAR_INDEX,2024,Tỉnh G,9.6,,9.5\n\
                   PAR_INDEX,2024,tinh a,70,,\n\
                   PAR_INDEX,2024,Tỉnh H,70.12345,,\n\
                   PAR_INDEX,2024,Tỉnh I,70,0,\n\
                   PAR_INDEX,2024,Tỉnh J,70\n\
                   PAR_INDEX,2024,Tỉnh K,70,,0\n";
        assert_eq!(
            messages(parse_csv(csv.as_bytes(), &Choice::default())),
            vec![
                "Dòng 3, cột index: không nhận ra chỉ số \"GDP\"; dùng một trong: PAR_INDEX, SIPAS, PAPI, PCI, DTI.",
                "Dòng 4, cột year: năm \"20x4\" không hợp lệ; ghi năm bằng 4 chữ số, ví dụ 2024.",
                "Dòng 5, cột name: thiếu tên tỉnh hoặc đơn vị.",
                "Dòng 6, cột value: \"abc\" không phải là số.",
                "Dòng 7, cột value: điểm -1 là số âm.",
                "Dòng 8, cột value: điểm 100,5 lớn hơn 100% (nếu thang điểm khác, ghi cột max — điểm tối đa).",
                "Dòng 9, cột value: điểm 9,6 lớn hơn điểm tối đa 9,5.",
                "Dòng 10, cột name: \"tinh a\" đã có ở dòng 2 cho cùng chỉ số và năm.",
                "Dòng 11, cột value: \"70.12345\" có quá 4 chữ số thập phân.",
                "Dòng 12, cột rank: hạng \"0\" phải là số nguyên dương.",
                "Dòng 13: dòng có 4 cột, dòng tiêu đề có 6 cột.",
                "Dòng 14, cột max: điểm tối đa \"0\" phải là số dương.",
            ]
        );
    }

    #[test]
    fn headers_are_checked_before_rows() {
        assert_eq!(
            messages(parse_csv(b"index,year,name,name\n", &Choice::default())),
            vec![
                "Dòng 1, cột name: cột này bị lặp ở dòng tiêu đề.",
                "Dòng 1: thiếu cột value ở dòng tiêu đề (value, diem, gia tri, diem so, ket qua).",
            ]
        );
        assert_eq!(
            messages(parse_csv(b"", &Choice::default())),
            vec!["Tệp không có dòng dữ liệu nào."]
        );
        assert_eq!(
            messages(parse_csv(b"index,year,name,value\n", &Choice::default())),
            vec!["Tệp không có dòng dữ liệu nào."]
        );
        assert_eq!(
            messages(parse_csv(&[0xff, 0xfe, 0x00], &Choice::default())),
            vec![
                "Tệp không phải UTF-8. Trong Excel chọn Lưu thành \"CSV UTF-8\" hoặc tải lên tệp .xlsx."
            ]
        );
    }

    #[test]
    fn ranks_are_all_given_or_all_computed() {
        let csv = "index,year,name,value,rank\n\
                   PCI,2024,A,70,2\n\
                   PCI,2024,B,71,\n\
                   PCI,2023,A,70,\n\
                   PCI,2023,B,71,\n";
        assert_eq!(
            messages(parse_csv(csv.as_bytes(), &Choice::default())),
            vec![
                "Dòng 3, cột rank: thiếu hạng, trong khi các dòng khác của PCI năm 2024 có hạng: ghi hạng cho mọi dòng hoặc để trống tất cả (hệ thống tự xếp hạng)."
            ]
        );
        assert_eq!(
            competition_ranks(&[p("80"), p("90"), p("85"), p("85"), p("70")]),
            vec![4, 1, 2, 2, 5]
        );
    }

    #[test]
    fn sheet_rows_name_their_sheet_row_and_column_letter() {
        let rows = vec![
            (1, vec!["".into(), "".into(), "".into()]),
            (2, vec!["Tỉnh".into(), "Điểm".into(), "Xếp hạng".into()]),
            (3, vec!["Minh Sơn".into(), "86,44".into(), "7".into()]),
            (4, vec!["Đông Hà".into(), "chín".into(), "2.0".into()]),
        ];
        let choice = Choice {
            index: Some(IndexCode::Sipas),
            year: Some(2023),
        };
        let origin = Origin::Sheet("Kết quả".into());
        assert_eq!(
            messages(parse_rows(&origin, rows.clone(), true, &choice)),
            vec!["Trang tính \"Kết quả\", dòng 4, cột B (Điểm): \"chín\" không phải là số."]
        );
        let mut good = rows;
        good[3].1[1] = "91.2".into();
        let file = parse_rows(&origin, good, true, &choice).unwrap();
        let names: Vec<(&str, u32)> = file.sets[0]
            .rows
            .iter()
            .map(|r| (r.result.name.as_str(), r.result.rank))
            .collect();
        assert_eq!(names, vec![("Đông Hà", 2), ("Minh Sơn", 7)]);
        assert_eq!(file.sets[0].rows[1].result.value, p("86.44"));
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27 * 26), "AAA");
    }

    #[test]
    fn the_canonical_csv_reads_back_to_the_same_sets() {
        let csv = "index;year;name;value;max;rank\n\
                   DTI;2024;\"Tỉnh A, mới\";0,5123;1;\n\
                   DTI;2024;Tỉnh B;0,6;1;\n\
                   PAR_INDEX;2023;Tỉnh B;86,98;;12\n";
        let file = parse_csv(csv.as_bytes(), &Choice::default()).unwrap();
        assert_eq!(file.sets.len(), 2);
        assert_eq!(file.sets[0].index, IndexCode::ParIndex);
        let again = parse_csv(to_csv(&file).as_bytes(), &Choice::default()).unwrap();
        let results = |f: &ParsedFile| f.sets.iter().map(ParsedSet::results).collect::<Vec<_>>();
        assert_eq!(results(&again), results(&file));
    }

    #[test]
    fn series_summary_and_comparison() {
        let r = |year: i32, name: &str, value: &str, rank: u32| PublishedResult {
            index: IndexCode::ParIndex,
            year,
            name: name.into(),
            value: p(value),
            max: None,
            rank,
            rank_given: true,
        };
        let s = series(&[
            r(2024, "Tỉnh Minh Sơn", "88.9", 20),
            r(2022, "Minh Sơn", "84", 40),
            r(2023, "Minh Sơn", "86.44", 52),
        ]);
        let view: Vec<String> = s
            .iter()
            .map(|x| {
                format!(
                    "{} {:?} {:?} {:?}",
                    x.year,
                    x.previous_year,
                    x.rank_change,
                    x.value_change.map(|c| c.to_string()),
                )
            })
            .collect();
        assert_eq!(
            view,
            vec![
                "2022 None None None",
                "2023 Some(2022) Some(-12) Some(\"2.44\")",
                "2024 Some(2023) Some(32) Some(\"2.46\")",
            ]
        );
        assert_eq!(rank_change_text(32, Lang::Vi), "tăng 32 bậc");
        assert_eq!(rank_change_text(-12, Lang::Vi), "giảm 12 bậc");
        assert_eq!(rank_change_text(0, Lang::Vi), "giữ nguyên hạng");
        assert_eq!(rank_change_text(-1, Lang::En), "down 1 place");

        let year = [
            r(2024, "A", "90", 1),
            r(2024, "B", "85", 2),
            r(2024, "C", "80.5", 3),
        ];
        let sum = summary(&year).unwrap();
        assert_eq!(
            sum.mean,
            Decimal::from_str("85.166666666666666666666666667").unwrap()
        );
        assert_eq!((sum.count, sum.above_mean), (3, 1));
        assert_eq!(summary(&[]), None);
        assert_eq!(position(&year, &entity_key("Tỉnh B")), Some(1));

        let incoming = [
            r(2024, "Tỉnh A", "90", 1),
            r(2024, "B", "86", 2),
            r(2024, "D", "70", 3),
        ];
        assert_eq!(
            compare(&year, &incoming),
            SetDiff {
                added: 1,
                changed: 1,
                unchanged: 1,
                removed: vec!["C".into()],
            }
        );
    }
}
