//! Importing units from a CSV file: parse every row, check every rule, and either return a
//! complete plan of creations and updates or every error found, each naming its line and column.
//!
//! The file may come from Excel: a UTF-8 byte-order mark and `;` separators are accepted.

use super::{ParentInfo, Unit, UnitDraft, UnitProblem, UnitType, normalize_code, validate};
use crate::format::parse_date;
use crate::ids::UnitId;
use crate::lang::Lang;
use crate::text::{clean, fold};
use std::collections::HashMap;

/// The columns of a unit CSV file, with the Vietnamese headers also accepted.
pub const COLUMNS: [(&str, &[&str]); 6] = [
    ("code", &["ma", "ma don vi"]),
    ("name", &["ten", "ten don vi"]),
    ("type", &["loai", "loai don vi", "unit_type"]),
    (
        "parent_code",
        &["ma cap tren", "ma don vi cap tren", "parent"],
    ),
    ("valid_from", &["hieu luc tu", "tu ngay"]),
    ("valid_to", &["hieu luc den", "den ngay"]),
];

const REQUIRED: [&str; 4] = ["code", "name", "type", "valid_from"];

/// One parsed row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub draft: UnitDraft,
    pub parent_code: Option<String>,
}

/// A problem with the file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line in the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// The column name as in [`COLUMNS`], when one column is at fault.
    pub column: Option<&'static str>,
    pub kind: ImportErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportErrorKind {
    NotUtf8,
    Empty,
    MissingColumn,
    UnknownColumn(String),
    Malformed(String),
    BadType(String),
    BadDate(String),
    DuplicateCode { code: String, first_line: u64 },
    UnknownParent(String),
    TypeChange { from: UnitType, to: UnitType },
    Rule(UnitProblem),
}

impl ImportError {
    fn at(line: u64, column: &'static str, kind: ImportErrorKind) -> Self {
        ImportError {
            line,
            column: Some(column),
            kind,
        }
    }

    /// "Dòng 7, cột valid_from: …" — the location, then what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        let place = match (self.line, self.column, lang) {
            (0, _, _) => String::new(),
            (l, Some(c), Lang::Vi) => format!("Dòng {l}, cột {c}: "),
            (l, Some(c), Lang::En) => format!("Line {l}, column {c}: "),
            (l, None, Lang::Vi) => format!("Dòng {l}: "),
            (l, None, Lang::En) => format!("Line {l}: "),
        };
        let what = match (&self.kind, lang) {
            (ImportErrorKind::NotUtf8, Lang::Vi) => {
                "tệp không phải UTF-8. Trong Excel chọn Lưu thành \"CSV UTF-8\".".to_string()
            }
            (ImportErrorKind::NotUtf8, Lang::En) => {
                "the file is not UTF-8. In Excel, save as \"CSV UTF-8\".".to_string()
            }
            (ImportErrorKind::Empty, Lang::Vi) => "tệp không có dòng dữ liệu nào.".into(),
            (ImportErrorKind::Empty, Lang::En) => "the file has no data rows.".into(),
            (ImportErrorKind::MissingColumn, Lang::Vi) => {
                "thiếu cột bắt buộc này ở dòng tiêu đề.".into()
            }
            (ImportErrorKind::MissingColumn, Lang::En) => {
                "this required column is missing from the header.".into()
            }
            (ImportErrorKind::UnknownColumn(c), Lang::Vi) => format!(
                "không nhận ra cột \"{c}\". Các cột hợp lệ: {}.",
                column_list()
            ),
            (ImportErrorKind::UnknownColumn(c), Lang::En) => {
                format!("unknown column \"{c}\". Valid columns: {}.", column_list())
            }
            (ImportErrorKind::Malformed(e), Lang::Vi) => format!("dòng CSV không đọc được ({e})."),
            (ImportErrorKind::Malformed(e), Lang::En) => {
                format!("the CSV row cannot be read ({e}).")
            }
            (ImportErrorKind::BadType(v), Lang::Vi) => format!(
                "loại đơn vị \"{v}\" không hợp lệ; dùng: tỉnh, sở, huyện, xã (hoặc province, department, district, commune)."
            ),
            (ImportErrorKind::BadType(v), Lang::En) => format!(
                "unit type \"{v}\" is not valid; use province, department, district or commune."
            ),
            (ImportErrorKind::BadDate(v), Lang::Vi) => {
                format!("ngày \"{v}\" không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 01/07/2025.")
            }
            (ImportErrorKind::BadDate(v), Lang::En) => {
                format!("date \"{v}\" is not valid; write dd/mm/yyyy, e.g. 01/07/2025.")
            }
            (ImportErrorKind::DuplicateCode { code, first_line }, Lang::Vi) => {
                format!("mã \"{code}\" đã xuất hiện ở dòng {first_line}.")
            }
            (ImportErrorKind::DuplicateCode { code, first_line }, Lang::En) => {
                format!("code \"{code}\" already appears on line {first_line}.")
            }
            (ImportErrorKind::UnknownParent(c), Lang::Vi) => {
                format!("không có đơn vị cấp trên mã \"{c}\" trong tệp hay trong hệ thống.")
            }
            (ImportErrorKind::UnknownParent(c), Lang::En) => {
                format!("no parent unit with code \"{c}\" in the file or the system.")
            }
            (ImportErrorKind::TypeChange { from, to }, Lang::Vi) => format!(
                "đơn vị đã có loại \"{}\", không đổi thành \"{}\" được. Hãy kết thúc hiệu lực đơn vị cũ và tạo đơn vị mới.",
                from.label(lang),
                to.label(lang)
            ),
            (ImportErrorKind::TypeChange { from, to }, Lang::En) => format!(
                "the unit is a \"{}\" and cannot become a \"{}\". End the old unit's validity and create a new one.",
                from.label(lang),
                to.label(lang)
            ),
            (ImportErrorKind::Rule(p), lang) => lowercase_first(&p.message(lang)),
        };
        format!("{place}{what}")
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn column_list() -> String {
    COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a planned unit's parent comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentRef {
    None,
    Existing(UnitId),
    /// A unit created by the same import, by code.
    New(String),
}

/// A unit the import will create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCreate {
    pub line: u64,
    pub draft: UnitDraft,
    pub parent: ParentRef,
}

/// An existing unit the import will change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUpdate {
    pub line: u64,
    pub before: Unit,
    pub draft: UnitDraft,
    pub parent: ParentRef,
}

/// Everything an import will do. Creations are ordered parents first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    pub creates: Vec<PlannedCreate>,
    pub updates: Vec<PlannedUpdate>,
    pub unchanged: usize,
}

/// Writes units in the import format (UTF-8 with a byte-order mark, so Excel reads the
/// diacritics), so that a file exported, edited and imported again changes only what was edited.
pub fn export_csv(units: &[Unit]) -> String {
    let codes: HashMap<UnitId, &str> = units.iter().map(|u| (u.id, u.code.as_str())).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
    let _ = writer.write_record(&header);
    for u in units {
        let parent = u.parent.and_then(|p| codes.get(&p)).copied().unwrap_or("");
        let _ = writer.write_record([
            u.code.as_str(),
            u.name.as_str(),
            u.unit_type.code(),
            parent,
            &crate::format::date(u.valid_from),
            &u.valid_to.map(crate::format::date).unwrap_or_default(),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Reads a unit CSV file. Returns every row, or every error found.
pub fn parse(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    let text = crate::text::csv_text(bytes).ok_or_else(|| {
        vec![ImportError {
            line: 0,
            column: None,
            kind: ImportErrorKind::NotUtf8,
        }]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::text::csv_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = crate::text::CsvLines::new(text);

    let mut errors = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![ImportError {
                line: 1,
                column: None,
                kind: ImportErrorKind::Malformed(e.to_string()),
            }]);
        }
    };
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let folded = fold(header);
        if folded.is_empty() {
            continue;
        }
        match COLUMNS
            .iter()
            .find(|(name, aliases)| *name == folded || aliases.contains(&folded.as_str()))
        {
            Some((name, _)) => {
                index.insert(name, i);
            }
            None => errors.push(ImportError {
                line: 1,
                column: None,
                kind: ImportErrorKind::UnknownColumn(header.trim().to_string()),
            }),
        }
    }
    for required in REQUIRED {
        if !index.contains_key(required) {
            errors.push(ImportError::at(1, required, ImportErrorKind::MissingColumn));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.at(e.position());
                errors.push(ImportError {
                    line,
                    column: None,
                    kind: ImportErrorKind::Malformed(e.to_string()),
                });
                continue;
            }
        };
        let line = lines.at(record.position());
        let cell = |name: &str| -> String {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .map(clean)
                .unwrap_or_default()
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let type_text = cell("type");
        let unit_type = UnitType::parse_loose(&type_text);
        if unit_type.is_none() {
            errors.push(ImportError::at(
                line,
                "type",
                ImportErrorKind::BadType(type_text),
            ));
        }
        let from_text = cell("valid_from");
        let valid_from = parse_date(&from_text);
        if valid_from.is_none() {
            errors.push(ImportError::at(
                line,
                "valid_from",
                ImportErrorKind::BadDate(from_text),
            ));
        }
        let to_text = cell("valid_to");
        let valid_to = if to_text.is_empty() {
            Some(None)
        } else {
            parse_date(&to_text).map(Some)
        };
        if valid_to.is_none() {
            errors.push(ImportError::at(
                line,
                "valid_to",
                ImportErrorKind::BadDate(to_text),
            ));
        }
        let parent_code = Some(normalize_code(&cell("parent_code"))).filter(|c| !c.is_empty());
        if let (Some(unit_type), Some(valid_from), Some(valid_to)) =
            (unit_type, valid_from, valid_to)
        {
            rows.push(ImportRow {
                line,
                draft: UnitDraft {
                    code: normalize_code(&cell("code")),
                    name: cell("name"),
                    unit_type,
                    valid_from,
                    valid_to,
                },
                parent_code,
            });
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(ImportError {
            line: 0,
            column: None,
            kind: ImportErrorKind::Empty,
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Checks parsed rows against each other and the units already stored, and plans the import.
pub fn plan(rows: Vec<ImportRow>, existing: &[Unit]) -> Result<ImportPlan, Vec<ImportError>> {
    let mut errors = Vec::new();
    let by_code: HashMap<&str, &Unit> = existing.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in &rows {
        if row.draft.code.is_empty() {
            continue;
        }
        if let Some(&first) = first_line.get(&row.draft.code) {
            errors.push(ImportError::at(
                row.line,
                "code",
                ImportErrorKind::DuplicateCode {
                    code: row.draft.code.clone(),
                    first_line: first,
                },
            ));
        } else {
            first_line.insert(row.draft.code.clone(), row.line);
        }
    }
    let in_file: HashMap<&str, &ImportRow> =
        rows.iter().map(|r| (r.draft.code.as_str(), r)).collect();

    let mut plan = ImportPlan::default();
    for row in &rows {
        let parent = match &row.parent_code {
            None => Some((ParentRef::None, None)),
            Some(code) => {
                if let Some(r) = in_file.get(code.as_str()) {
                    let info = ParentInfo {
                        unit_type: r.draft.unit_type,
                        valid_from: r.draft.valid_from,
                        valid_to: r.draft.valid_to,
                    };
                    let parent_ref = match by_code.get(code.as_str()) {
                        Some(u) => ParentRef::Existing(u.id),
                        None => ParentRef::New(code.clone()),
                    };
                    Some((parent_ref, Some(info)))
                } else if let Some(u) = by_code.get(code.as_str()) {
                    Some((ParentRef::Existing(u.id), Some(ParentInfo::from(*u))))
                } else {
                    errors.push(ImportError::at(
                        row.line,
                        "parent_code",
                        ImportErrorKind::UnknownParent(code.clone()),
                    ));
                    None
                }
            }
        };
        let Some((parent_ref, parent_info)) = parent else {
            continue;
        };
        let problems = validate(&row.draft, parent_info.as_ref());
        let had_problems = !problems.is_empty();
        for p in problems {
            let column = COLUMNS
                .iter()
                .map(|(c, _)| *c)
                .find(|c| *c == p.field())
                .unwrap_or("code");
            errors.push(ImportError::at(row.line, column, ImportErrorKind::Rule(p)));
        }
        if had_problems {
            continue;
        }
        match by_code.get(row.draft.code.as_str()) {
            Some(before) if before.unit_type != row.draft.unit_type => {
                errors.push(ImportError::at(
                    row.line,
                    "type",
                    ImportErrorKind::TypeChange {
                        from: before.unit_type,
                        to: row.draft.unit_type,
                    },
                ));
            }
            Some(before) => {
                let same_parent = match &parent_ref {
                    ParentRef::None => before.parent.is_none(),
                    ParentRef::Existing(id) => before.parent == Some(*id),
                    ParentRef::New(_) => false,
                };
                if same_parent
                    && before.name == row.draft.name
                    && before.valid_from == row.draft.valid_from
                    && before.valid_to == row.draft.valid_to
                {
                    plan.unchanged += 1;
                } else {
                    plan.updates.push(PlannedUpdate {
                        line: row.line,
                        before: (*before).clone(),
                        draft: row.draft.clone(),
                        parent: parent_ref,
                    });
                }
            }
            None => plan.creates.push(PlannedCreate {
                line: row.line,
                draft: row.draft.clone(),
                parent: parent_ref,
            }),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    // Parents first: a type's allowed parents always come earlier in `UnitType::ALL`.
    plan.creates.sort_by_key(|c| (c.draft.unit_type, c.line));
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn province() -> Unit {
        Unit {
            id: UnitId(1),
            code: "MS".into(),
            name: "Tỉnh Minh Sơn".into(),
            unit_type: UnitType::Province,
            parent: None,
            valid_from: day(1991, 1, 1),
            valid_to: None,
        }
    }

    fn messages(errors: &[ImportError]) -> Vec<String> {
        errors.iter().map(|e| e.message(Lang::Vi)).collect()
    }

    #[test]
    fn a_good_file_plans_creations_parents_first() {
        let csv = "\u{feff}code;name;type;parent_code;valid_from;valid_to\n\
                   XA-TL;Xã Tân Lập;xã;H-ML;01/01/2010;30/06/2025\n\
                   H-ML;Huyện Minh Lâm;huyện;MS;01/01/2000;30/06/2025\n\
                   SNV;Sở Nội vụ;sở;MS;01/01/2000;\n";
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        let plan = plan(rows, &[province()]).unwrap();
        let codes: Vec<&str> = plan.creates.iter().map(|c| c.draft.code.as_str()).collect();
        assert_eq!(codes, vec!["SNV", "H-ML", "XA-TL"]);
        assert_eq!(plan.creates[2].parent, ParentRef::New("H-ML".into()));
        assert_eq!(plan.creates[0].parent, ParentRef::Existing(UnitId(1)));
    }

    #[test]
    fn an_exported_file_imports_back_unchanged() {
        let csv = "code,name,type,parent_code,valid_from,valid_to\n\
                   XA-TL,\"Xã Tân Lập, cũ\",xã,H-ML,01/01/2010,30/06/2025\n\
                   H-ML,Huyện Minh Lâm,huyện,MS,01/01/2000,30/06/2025\n";
        let created = plan(parse(csv.as_bytes()).unwrap(), &[province()]).unwrap();
        let mut units = vec![province()];
        for (next_id, c) in (2..).zip(&created.creates) {
            let parent = match &c.parent {
                ParentRef::Existing(id) => Some(*id),
                ParentRef::New(code) => units.iter().find(|u| &u.code == code).map(|u| u.id),
                ParentRef::None => None,
            };
            units.push(Unit {
                id: UnitId(next_id),
                code: c.draft.code.clone(),
                name: c.draft.name.clone(),
                unit_type: c.draft.unit_type,
                parent,
                valid_from: c.draft.valid_from,
                valid_to: c.draft.valid_to,
            });
        }
        let exported = export_csv(&units);
        assert!(exported.starts_with('\u{feff}'));
        let again = plan(parse(exported.as_bytes()).unwrap(), &units).unwrap();
        assert_eq!(
            (again.creates.len(), again.updates.len(), again.unchanged),
            (0, 0, 3)
        );
    }

    #[test]
    fn vietnamese_headers_are_accepted() {
        let csv =
            "Mã,Tên,Loại,Mã cấp trên,Hiệu lực từ,Hiệu lực đến\nSTP,Sở Tư pháp,Sở,MS,01/01/2000,\n";
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows[0].draft.name, "Sở Tư pháp");
        assert_eq!(rows[0].parent_code.as_deref(), Some("MS"));
    }

    #[test]
    fn every_error_names_its_line_and_column() {
        let csv = "code,name,type,parent_code,valid_from,valid_to\n\
                   A1,Xã A,thôn,MS,01/07/2025,\n\
                   A2,Xã B,xã,MS,31/02/2025,\n\
                   A3,Xã C,xã,ZZ,01/07/2025,\n\
                   A3,Xã D,xã,MS,01/07/2025,\n";
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(
            messages(&errors),
            vec![
                "Dòng 2, cột type: loại đơn vị \"thôn\" không hợp lệ; dùng: tỉnh, sở, huyện, xã (hoặc province, department, district, commune).",
                "Dòng 3, cột valid_from: ngày \"31/02/2025\" không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 01/07/2025.",
            ]
        );
        let csv = "code,name,type,parent_code,valid_from,valid_to\n\
                   A3,Xã C,xã,ZZ,01/07/2025,\n\
                   A3,Xã D,xã,MS,01/07/2025,\n\
                   A4,,xã,MS,01/07/2025,\n";
        let errors = plan(parse(csv.as_bytes()).unwrap(), &[province()]).unwrap_err();
        assert_eq!(
            messages(&errors),
            vec![
                "Dòng 2, cột parent_code: không có đơn vị cấp trên mã \"ZZ\" trong tệp hay trong hệ thống.",
                "Dòng 3, cột code: mã \"A3\" đã xuất hiện ở dòng 2.",
                "Dòng 4, cột name: tên đơn vị không được để trống.",
            ]
        );
    }

    #[test]
    fn header_problems_are_reported_together() {
        let errors = parse("code,ten,kind\nX,Y,Z\n".as_bytes()).unwrap_err();
        let msgs = messages(&errors);
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("Dòng 1: không nhận ra cột \"kind\""));
        assert_eq!(
            msgs[1],
            "Dòng 1, cột type: thiếu cột bắt buộc này ở dòng tiêu đề."
        );
        assert_eq!(
            msgs[2],
            "Dòng 1, cột valid_from: thiếu cột bắt buộc này ở dòng tiêu đề."
        );
    }

    #[test]
    fn non_utf8_and_empty_files_are_refused() {
        let latin = b"code,name\n\xe9\n";
        assert_eq!(parse(latin).unwrap_err()[0].kind, ImportErrorKind::NotUtf8);
        let header_only = "code,name,type,valid_from\n";
        assert_eq!(
            parse(header_only.as_bytes()).unwrap_err()[0].kind,
            ImportErrorKind::Empty
        );
    }

    #[test]
    fn unchanged_and_changed_existing_units_are_told_apart() {
        let mut snv = province();
        snv.id = UnitId(2);
        snv.code = "SNV".into();
        snv.name = "Sở Nội vụ".into();
        snv.unit_type = UnitType::Department;
        snv.parent = Some(UnitId(1));
        snv.valid_from = day(2000, 1, 1);
        let existing = [province(), snv];
        let csv = "code,name,type,parent_code,valid_from\nSNV,Sở Nội vụ,sở,MS,01/01/2000\n";
        let p = plan(parse(csv.as_bytes()).unwrap(), &existing).unwrap();
        assert_eq!((p.creates.len(), p.updates.len(), p.unchanged), (0, 0, 1));
        let csv =
            "code,name,type,parent_code,valid_from\nSNV,Sở Nội vụ tỉnh Minh Sơn,sở,MS,01/01/2000\n";
        let p = plan(parse(csv.as_bytes()).unwrap(), &existing).unwrap();
        assert_eq!(p.updates.len(), 1);
        let csv = "code,name,type,parent_code,valid_from\nSNV,Sở Nội vụ,xã,MS,01/07/2025\n";
        let e = plan(parse(csv.as_bytes()).unwrap(), &existing).unwrap_err();
        assert!(matches!(e[0].kind, ImportErrorKind::TypeChange { .. }));
    }
}
