//! Ranking a CSV of results for data people (`chiso results rank`), with no framework and no
//! database: one row per unit, its total (or score columns summed), optionally last year's
//! total and rank.
//!
//! The file may come from Excel: a UTF-8 byte-order mark, `;` separators and, in `;` files,
//! decimal commas (`86,44`) are accepted. Every malformed row is reported with its line and
//! column; nothing is ranked until the whole file is right.

use super::bands::BandScale;
use super::ranking::competition;
use super::{percent, published};
use crate::framework::Points;
use crate::lang::Lang;
use crate::text::{clean, collation_key, fold};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::str::FromStr;

/// Recognised columns, with Vietnamese headers also accepted (compared without diacritics).
/// Any other column is a score column, summed into the total.
pub const COLUMNS: [(&str, &[&str]); 4] = [
    ("unit", &["don vi", "ten don vi"]),
    ("total", &["tong diem", "tong"]),
    ("previous_total", &["tong diem nam truoc"]),
    ("previous_rank", &["xep hang nam truoc", "hang nam truoc"]),
];

/// One unit's row, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub unit: String,
    pub total: Points,
    pub previous_total: Option<Points>,
    pub previous_rank: Option<u32>,
}

/// A problem with the file, located by line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// 1-based line (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub kind: TableErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableErrorKind {
    NotUtf8,
    Empty,
    Malformed(String),
    NoUnitColumn,
    NoScoreColumn,
    /// A `total` column beside score columns (which one to use?).
    TotalAndScores(Vec<String>),
    DuplicateColumn,
    /// The header's n-th cell is empty.
    UnnamedColumn(usize),
    WrongColumnCount {
        expected: usize,
        found: usize,
    },
    MissingUnit,
    DuplicateUnit {
        unit: String,
        first_line: u64,
    },
    NotANumber(String),
    MissingNumber,
    Negative(Points),
    AboveMax {
        total: Points,
        max: Points,
    },
    BadRank(String),
}

impl TableError {
    /// "Dòng 7, cột total: …" — the place, then what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        let place = match (self.line, &self.column, lang) {
            (0, _, _) => String::new(),
            (l, Some(c), Lang::Vi) => format!("Dòng {l}, cột {c}: "),
            (l, Some(c), Lang::En) => format!("Line {l}, column {c}: "),
            (l, None, Lang::Vi) => format!("Dòng {l}: "),
            (l, None, Lang::En) => format!("Line {l}: "),
        };
        use TableErrorKind as K;
        let what = match (&self.kind, lang) {
            (K::NotUtf8, Lang::Vi) => {
                "tệp không phải UTF-8. Trong Excel chọn Lưu thành \"CSV UTF-8\".".into()
            }
            (K::NotUtf8, Lang::En) => {
                "the file is not UTF-8. In Excel, save as \"CSV UTF-8\".".into()
            }
            (K::Empty, Lang::Vi) => "tệp không có dòng dữ liệu nào.".into(),
            (K::Empty, Lang::En) => "the file has no data rows.".into(),
            (K::Malformed(e), Lang::Vi) => format!("dòng CSV không đọc được ({e})."),
            (K::Malformed(e), Lang::En) => format!("the CSV row cannot be read ({e})."),
            (K::NoUnitColumn, Lang::Vi) => "thiếu cột unit (tên đơn vị) ở dòng tiêu đề.".into(),
            (K::NoUnitColumn, Lang::En) => "the header has no unit column.".into(),
            (K::NoScoreColumn, Lang::Vi) => {
                "không có cột điểm: cần cột total hoặc ít nhất một cột điểm.".into()
            }
            (K::NoScoreColumn, Lang::En) => {
                "no score column: give a total column or at least one score column.".into()
            }
            (K::TotalAndScores(cols), Lang::Vi) => format!(
                "đã có cột total thì không được có thêm cột điểm khác ({}).",
                cols.join(", ")
            ),
            (K::TotalAndScores(cols), Lang::En) => format!(
                "with a total column there can be no other score columns ({}).",
                cols.join(", ")
            ),
            (K::DuplicateColumn, Lang::Vi) => "cột này bị lặp ở dòng tiêu đề.".into(),
            (K::DuplicateColumn, Lang::En) => "this column appears twice in the header.".into(),
            (K::UnnamedColumn(n), Lang::Vi) => format!("cột thứ {n} không có tên."),
            (K::UnnamedColumn(n), Lang::En) => format!("column {n} has no name."),
            (K::WrongColumnCount { expected, found }, Lang::Vi) => {
                format!("dòng có {found} cột, dòng tiêu đề có {expected} cột.")
            }
            (K::WrongColumnCount { expected, found }, Lang::En) => {
                format!("the row has {found} columns, the header {expected}.")
            }
            (K::MissingUnit, Lang::Vi) => "thiếu tên đơn vị.".into(),
            (K::MissingUnit, Lang::En) => "the unit is missing.".into(),
            (K::DuplicateUnit { unit, first_line }, Lang::Vi) => {
                format!("đơn vị \"{unit}\" đã xuất hiện ở dòng {first_line}.")
            }
            (K::DuplicateUnit { unit, first_line }, Lang::En) => {
                format!("unit \"{unit}\" already appears on line {first_line}.")
            }
            (K::NotANumber(t), Lang::Vi) => format!("\"{t}\" không phải là số."),
            (K::NotANumber(t), Lang::En) => format!("\"{t}\" is not a number."),
            (K::MissingNumber, Lang::Vi) => "ô trống, cần một số.".into(),
            (K::MissingNumber, Lang::En) => "the cell is empty; a number is needed.".into(),
            (K::Negative(p), Lang::Vi) => format!("điểm {} là số âm.", p.display(lang)),
            (K::Negative(p), Lang::En) => format!("{} points is negative.", p.display(lang)),
            (K::AboveMax { total, max }, Lang::Vi) => format!(
                "tổng điểm {} vượt quá điểm tối đa {}.",
                total.display(lang),
                max.display(lang)
            ),
            (K::AboveMax { total, max }, Lang::En) => format!(
                "the total {} is above the maximum {}.",
                total.display(lang),
                max.display(lang)
            ),
            (K::BadRank(t), Lang::Vi) => format!("hạng \"{t}\" phải là số nguyên dương."),
            (K::BadRank(t), Lang::En) => format!("rank \"{t}\" must be a positive whole number."),
        };
        format!("{place}{what}")
    }
}

/// What a header cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Unit,
    Total,
    PreviousTotal,
    PreviousRank,
    Score,
}

fn column_of(header: &str) -> Column {
    let folded = fold(header).replace(' ', "_");
    let spaced = folded.replace('_', " ");
    let found = COLUMNS
        .iter()
        .find(|(name, aliases)| *name == folded || aliases.contains(&spaced.as_str()));
    match found.map(|(n, _)| *n) {
        Some("unit") => Column::Unit,
        Some("total") => Column::Total,
        Some("previous_total") => Column::PreviousTotal,
        Some("previous_rank") => Column::PreviousRank,
        _ => Column::Score,
    }
}

fn number(text: &str, decimal_comma: bool) -> Option<Points> {
    let t = text.trim();
    let t = if decimal_comma {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    // Only plain decimals: no exponent, no digit grouping, no underscores.
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    Decimal::from_str(&t).ok().map(Points::new)
}

/// Reads a results file. Returns every row, or every error found.
pub fn parse_table(bytes: &[u8], max: Points) -> Result<Vec<TableRow>, Vec<TableError>> {
    let whole = |kind| TableError {
        line: 0,
        column: None,
        kind,
    };
    let text = crate::text::csv_text(bytes).ok_or_else(|| vec![whole(TableErrorKind::NotUtf8)])?;
    let semicolons = crate::text::csv_delimiter(text) == b';';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::text::csv_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = crate::text::CsvLines::new(text);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![TableError {
                line: 1,
                column: None,
                kind: TableErrorKind::Malformed(e.to_string()),
            }]);
        }
    };
    let header_error = |column: Option<String>, kind| TableError {
        line: 1,
        column,
        kind,
    };
    let mut errors = Vec::new();
    let names: Vec<String> = headers.iter().map(clean).collect();
    let kinds: Vec<Column> = names.iter().map(|h| column_of(h)).collect();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            errors.push(header_error(None, TableErrorKind::UnnamedColumn(i + 1)));
        } else if names[..i].iter().any(|o| fold(o) == fold(name))
            || (kinds[i] != Column::Score && kinds[..i].contains(&kinds[i]))
        {
            errors.push(header_error(
                Some(name.clone()),
                TableErrorKind::DuplicateColumn,
            ));
        }
    }
    let find = |c: Column| kinds.iter().position(|&k| k == c);
    let scores: Vec<usize> = (0..kinds.len())
        .filter(|&i| kinds[i] == Column::Score && !names[i].is_empty())
        .collect();
    let unit = find(Column::Unit);
    let total = find(Column::Total);
    if unit.is_none() {
        errors.push(header_error(None, TableErrorKind::NoUnitColumn));
    }
    match (total, scores.is_empty()) {
        (None, true) => errors.push(header_error(None, TableErrorKind::NoScoreColumn)),
        (Some(_), false) => errors.push(header_error(
            None,
            TableErrorKind::TotalAndScores(scores.iter().map(|&i| names[i].clone()).collect()),
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unit = unit.unwrap_or(0);
    let summed: Vec<usize> = total.map_or(scores, |t| vec![t]);
    let previous_total = find(Column::PreviousTotal);
    let previous_rank = find(Column::PreviousRank);

    let mut rows = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(TableError {
                    line: lines.at(e.position()),
                    column: None,
                    kind: TableErrorKind::Malformed(e.to_string()),
                });
                continue;
            }
        };
        let line = lines.at(record.position());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = |i: usize, kind| TableError {
            line,
            column: Some(names[i].clone()),
            kind,
        };
        if record.len() != names.len() {
            errors.push(TableError {
                line,
                column: None,
                kind: TableErrorKind::WrongColumnCount {
                    expected: names.len(),
                    found: record.len(),
                },
            });
            continue;
        }
        let before = errors.len();
        let name = clean(record.get(unit).unwrap_or(""));
        if name.is_empty() {
            errors.push(at(unit, TableErrorKind::MissingUnit));
        } else {
            let key = name.to_lowercase();
            if let Some(&first) = first_line.get(&key) {
                errors.push(at(
                    unit,
                    TableErrorKind::DuplicateUnit {
                        unit: name.clone(),
                        first_line: first,
                    },
                ));
            } else {
                first_line.insert(key, line);
            }
        }
        let mut sum = Points::ZERO;
        for &i in &summed {
            let cell = record.get(i).unwrap_or("").trim();
            match number(cell, semicolons) {
                _ if cell.is_empty() => errors.push(at(i, TableErrorKind::MissingNumber)),
                Some(v) => sum = sum + v,
                None => errors.push(at(i, TableErrorKind::NotANumber(cell.to_string()))),
            }
        }
        let total_column = total.map(|t| names[t].clone());
        if errors.len() == before {
            if sum.is_negative() {
                errors.push(TableError {
                    line,
                    column: total_column,
                    kind: TableErrorKind::Negative(sum),
                });
            } else if sum > max {
                errors.push(TableError {
                    line,
                    column: total_column,
                    kind: TableErrorKind::AboveMax { total: sum, max },
                });
            }
        }
        let previous = previous_total.and_then(|i| {
            let cell = record.get(i).unwrap_or("").trim();
            if cell.is_empty() {
                return None;
            }
            match number(cell, semicolons) {
                Some(v) if v.is_negative() => {
                    errors.push(at(i, TableErrorKind::Negative(v)));
                    None
                }
                Some(v) => Some(v),
                None => {
                    errors.push(at(i, TableErrorKind::NotANumber(cell.to_string())));
                    None
                }
            }
        });
        let rank = previous_rank.and_then(|i| {
            let cell = record.get(i).unwrap_or("").trim();
            if cell.is_empty() {
                return None;
            }
            match cell.parse::<u32>() {
                Ok(r) if r > 0 => Some(r),
                _ => {
                    errors.push(at(i, TableErrorKind::BadRank(cell.to_string())));
                    None
                }
            }
        });
        if errors.len() == before {
            rows.push(TableRow {
                line,
                unit: name,
                total: sum,
                previous_total: previous,
                previous_rank: rank,
            });
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(whole(TableErrorKind::Empty));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// One output row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedRow {
    pub unit: String,
    /// Exact total.
    pub total: Points,
    /// The index as published: total ÷ max × 100, 2 decimals, half away from zero.
    pub index_pct: Decimal,
    pub rank: u32,
    pub band: Option<String>,
    /// Exact change from `previous_total`.
    pub total_change: Option<Points>,
    /// `previous_rank − rank`: positive = moved up.
    pub rank_change: Option<i64>,
}

/// Ranks rows on the published index, in rank order (ties in Vietnamese alphabetical order).
pub fn rank_table(rows: &[TableRow], max: Points, bands: &BandScale) -> Vec<RankedRow> {
    let pct: Vec<Decimal> = rows
        .iter()
        .map(|r| published(percent(r.total, max).unwrap_or(Decimal::ZERO)))
        .collect();
    let h: Vec<i64> = pct
        .iter()
        .map(|p| (p * Decimal::ONE_HUNDRED).to_i64().unwrap_or(0))
        .collect();
    let keys: Vec<_> = rows.iter().map(|r| collation_key(&r.unit)).collect();
    let (order, ranks) = competition(rows.len(), |i| h[i], |a, b| keys[a].cmp(&keys[b]));
    order
        .into_iter()
        .map(|i| {
            let r = &rows[i];
            RankedRow {
                unit: r.unit.clone(),
                total: r.total,
                index_pct: pct[i],
                rank: ranks[i],
                band: bands.label(pct[i]).map(str::to_string),
                total_change: r.previous_total.map(|p| r.total - p),
                rank_change: r.previous_rank.map(|p| i64::from(p) - i64::from(ranks[i])),
            }
        })
        .collect()
}

/// The output keys, in order.
pub const OUTPUT_KEYS: [&str; 7] = [
    "unit",
    "total",
    "index_pct",
    "rank",
    "band",
    "total_change",
    "rank_change",
];

fn cells(r: &RankedRow) -> [String; 7] {
    [
        r.unit.clone(),
        r.total.to_string(),
        format!("{:.2}", r.index_pct),
        r.rank.to_string(),
        r.band.clone().unwrap_or_default(),
        r.total_change.map(|c| c.to_string()).unwrap_or_default(),
        r.rank_change.map(|c| c.to_string()).unwrap_or_default(),
    ]
}

/// Comma-separated, decimal points, a header row; empty cells where there is no value.
pub fn to_csv(rows: &[RankedRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(OUTPUT_KEYS);
    for r in rows {
        let _ = w.write_record(cells(r));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A JSON array of objects, one per line; numbers exact (`index_pct` with 2 decimals), `null`
/// where there is no value.
pub fn to_json(rows: &[RankedRow]) -> String {
    let null = || "null".to_string();
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let values = [
                json_string(&r.unit),
                r.total.to_string(),
                format!("{:.2}", r.index_pct),
                r.rank.to_string(),
                r.band.as_deref().map_or_else(null, json_string),
                r.total_change.map_or_else(null, |c| c.to_string()),
                r.rank_change.map_or_else(null, |c| c.to_string()),
            ];
            let fields: Vec<String> = OUTPUT_KEYS
                .iter()
                .zip(values)
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("  {{{}}}", fields.join(", "))
        })
        .collect();
    if lines.is_empty() {
        return "[]\n".into();
    }
    format!("[\n{}\n]\n", lines.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    fn messages(bytes: &str) -> Vec<String> {
        parse_table(bytes.as_bytes(), p("100"))
            .unwrap_err()
            .iter()
            .map(|e| e.message(Lang::Vi))
            .collect()
    }

    #[test]
    fn a_good_file_is_ranked_with_ties_bands_and_changes() {
        let csv = "unit,total,previous_total,previous_rank\n\
                   Tỉnh Đồng Nai,88.5,87,3\n\
                   Tỉnh An Giang,91.2,90.1,1\n\
                   Tỉnh Bắc Ninh,88.499,,\n\
                   Tỉnh Cà Mau,79.99,81,2\n";
        let rows = parse_table(csv.as_bytes(), p("100")).unwrap();
        let ranked = rank_table(&rows, p("100"), &BandScale::national());
        let view: Vec<(&str, u32, &str, Option<i64>)> = ranked
            .iter()
            .map(|r| {
                (
                    r.unit.as_str(),
                    r.rank,
                    r.band.as_deref().unwrap_or(""),
                    r.rank_change,
                )
            })
            .collect();
        assert_eq!(
            view,
            vec![
                ("Tỉnh An Giang", 1, "A", Some(0)),
                ("Tỉnh Bắc Ninh", 2, "B", None),
                ("Tỉnh Đồng Nai", 2, "B", Some(1)),
                ("Tỉnh Cà Mau", 4, "C", Some(-2)),
            ]
        );
        assert_eq!(ranked[2].total_change, Some(p("1.5")));
        assert_eq!(
            to_csv(&ranked),
            "unit,total,index_pct,rank,band,total_change,rank_change\n\
             Tỉnh An Giang,91.2,91.20,1,A,1.1,0\n\
             Tỉnh Bắc Ninh,88.499,88.50,2,B,,\n\
             Tỉnh Đồng Nai,88.5,88.50,2,B,1.5,1\n\
             Tỉnh Cà Mau,79.99,79.99,4,C,-1.01,-2\n"
        );
        let json = to_json(&ranked[..2]);
        assert_eq!(
            json,
            "[\n  {\"unit\": \"Tỉnh An Giang\", \"total\": 91.2, \"index_pct\": 91.20, \"rank\": 1, \"band\": \"A\", \"total_change\": 1.1, \"rank_change\": 0},\n  {\"unit\": \"Tỉnh Bắc Ninh\", \"total\": 88.499, \"index_pct\": 88.50, \"rank\": 2, \"band\": \"B\", \"total_change\": null, \"rank_change\": null}\n]\n"
        );
    }

    #[test]
    fn excel_files_with_semicolons_and_decimal_commas_are_read() {
        let csv = "\u{feff}Đơn vị;Lĩnh vực 1;Lĩnh vực 2\n\
                   Sở Tư pháp;8,817;5,135\n\
                   \"Sở Nội vụ; Văn phòng\";9,5;3,395\n\
                   ;;\n";
        let rows = parse_table(csv.as_bytes(), p("19.5")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].total, rows[0].line), (p("13.952"), 2));
        assert_eq!(rows[1].unit, "Sở Nội vụ; Văn phòng");
        let ranked = rank_table(&rows, p("19.5"), &BandScale::internal());
        assert_eq!(ranked[0].unit, "Sở Tư pháp");
        // 13,952 ÷ 19,5 = 71,548…%.
        assert_eq!(ranked[0].index_pct, Decimal::from_str("71.55").unwrap());
        assert_eq!(ranked[0].band.as_deref(), Some("Khá"));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let csv = "unit,total,previous_total,previous_rank\n\
                   Sở A,86.5,80,1\n\
                   Sở B,86;5,,\n\
                   ,70,,\n\
                   Sở A,60,,\n\
                   Sở C,70\n\
                   Sở D,-1,,\n\
                   Sở E,100.01,,\n\
                   Sở F,50,-2,0\n\
                   Sở G,,,\n";
        assert_eq!(
            messages(csv),
            vec![
                "Dòng 3, cột total: \"86;5\" không phải là số.",
                "Dòng 4, cột unit: thiếu tên đơn vị.",
                "Dòng 5, cột unit: đơn vị \"Sở A\" đã xuất hiện ở dòng 2.",
                "Dòng 6: dòng có 2 cột, dòng tiêu đề có 4 cột.",
                "Dòng 7, cột total: điểm -1 là số âm.",
                "Dòng 8, cột total: tổng điểm 100,01 vượt quá điểm tối đa 100.",
                "Dòng 9, cột previous_total: điểm -2 là số âm.",
                "Dòng 9, cột previous_rank: hạng \"0\" phải là số nguyên dương.",
                "Dòng 10, cột total: ô trống, cần một số.",
            ]
        );
        // In a comma file a decimal comma is not a number (the comma separates cells).
        assert_eq!(
            messages("unit,total\nSở A,\"86,5\"\n"),
            vec!["Dòng 2, cột total: \"86,5\" không phải là số."]
        );
        assert_eq!(
            messages("unit;a;b\nSở A;1e3;1.000,5\n"),
            vec![
                "Dòng 2, cột a: \"1e3\" không phải là số.",
                "Dòng 2, cột b: \"1.000,5\" không phải là số.",
            ]
        );
    }

    #[test]
    fn header_problems_are_reported_together() {
        assert_eq!(
            messages("name,total,a\n"),
            vec![
                "Dòng 1: thiếu cột unit (tên đơn vị) ở dòng tiêu đề.",
                "Dòng 1: đã có cột total thì không được có thêm cột điểm khác (name, a).",
            ]
        );
        assert_eq!(
            messages("unit,a,A,\n"),
            vec![
                "Dòng 1, cột A: cột này bị lặp ở dòng tiêu đề.",
                "Dòng 1: cột thứ 4 không có tên.",
            ]
        );
        assert_eq!(
            messages("unit\nSở A\n"),
            vec!["Dòng 1: không có cột điểm: cần cột total hoặc ít nhất một cột điểm."]
        );
        assert_eq!(
            messages("unit,total\n"),
            vec!["tệp không có dòng dữ liệu nào."]
        );
        assert_eq!(
            parse_table(b"unit,total\n\xff,1\n", p("100")).unwrap_err()[0].kind,
            TableErrorKind::NotUtf8
        );
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(
            json_string("a\"b\\c\nd\u{1}é"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
    }
}
