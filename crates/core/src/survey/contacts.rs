//! The respondent list the Ministry of Home Affairs asks each province for every year (danh sách
//! đối tượng điều tra xã hội học): provincial People's Council deputies, department leaders,
//! leaders of divisions within departments and commune leaders, each with phone and e-mail, so
//! that the national survey can e-mail them.
//!
//! Reading an uploaded list ([`read_rows`]) refuses the whole file on a row it cannot place
//! (unknown group or unit, no name). A missing or odd phone or e-mail is not a refusal but a gap
//! in the completeness check ([`check`]): the officer sends what she has and chases the rest.

use crate::ids::UnitId;
use crate::lang::Lang;
use crate::units::{Unit, UnitType};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// A group of people on the list, in the order the Ministry's template gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContactCategory {
    /// Đại biểu HĐND tỉnh.
    Deputy,
    /// Lãnh đạo sở, ban, ngành.
    DepartmentLeader,
    /// Lãnh đạo cấp phòng thuộc sở, ban, ngành.
    DivisionLeader,
    /// Lãnh đạo UBND cấp xã.
    CommuneLeader,
}

impl ContactCategory {
    /// Every group, in the template's order.
    pub const ALL: [ContactCategory; 4] = [
        ContactCategory::Deputy,
        ContactCategory::DepartmentLeader,
        ContactCategory::DivisionLeader,
        ContactCategory::CommuneLeader,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ContactCategory::Deputy => "deputy",
            ContactCategory::DepartmentLeader => "department_leader",
            ContactCategory::DivisionLeader => "division_leader",
            ContactCategory::CommuneLeader => "commune_leader",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<ContactCategory> {
        ContactCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Parses what people write in a spreadsheet: the code, or the label in either language
    /// (case, diacritics and punctuation ignored), or a common short form.
    pub fn parse_loose(input: &str) -> Option<ContactCategory> {
        let k = key(input);
        if k.is_empty() {
            return None;
        }
        let found = ContactCategory::ALL.into_iter().find(|c| {
            k == key(c.code()) || k == key(c.label(Lang::Vi)) || k == key(c.label(Lang::En))
        });
        found.or(match k.as_str() {
            "dai bieu hdnd" | "dai bieu hoi dong nhan dan tinh" | "dbhdnd" | "hdnd" => {
                Some(ContactCategory::Deputy)
            }
            "lanh dao so" | "lanh dao so nganh" | "so ban nganh" => {
                Some(ContactCategory::DepartmentLeader)
            }
            "lanh dao phong" | "cap phong" | "lanh dao cap phong thuoc so" => {
                Some(ContactCategory::DivisionLeader)
            }
            "lanh dao xa" | "lanh dao cap xa" | "lanh dao ubnd xa" | "cap xa" => {
                Some(ContactCategory::CommuneLeader)
            }
            _ => None,
        })
    }

    /// The label shown in the interface and written in the Ministry's workbook.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ContactCategory::Deputy, Lang::Vi) => "Đại biểu HĐND tỉnh",
            (ContactCategory::DepartmentLeader, Lang::Vi) => "Lãnh đạo sở, ban, ngành",
            (ContactCategory::DivisionLeader, Lang::Vi) => "Lãnh đạo cấp phòng",
            (ContactCategory::CommuneLeader, Lang::Vi) => "Lãnh đạo UBND cấp xã",
            (ContactCategory::Deputy, Lang::En) => "Provincial People's Council deputies",
            (ContactCategory::DepartmentLeader, Lang::En) => "Department leaders",
            (ContactCategory::DivisionLeader, Lang::En) => "Division leaders",
            (ContactCategory::CommuneLeader, Lang::En) => "Commune leaders",
        }
    }

    /// The type of unit a person of this group works in; deputies may sit in any.
    pub fn unit_type(self) -> Option<UnitType> {
        match self {
            ContactCategory::Deputy => None,
            ContactCategory::DepartmentLeader | ContactCategory::DivisionLeader => {
                Some(UnitType::Department)
            }
            ContactCategory::CommuneLeader => Some(UnitType::Commune),
        }
    }
}

/// A person on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub category: ContactCategory,
    pub unit: UnitId,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

/// Text folded for matching headers and groups: no diacritics, lower case, punctuation as
/// spaces ("Lãnh đạo sở, ban, ngành" and "lanh dao so ban nganh" match).
fn key(input: &str) -> String {
    crate::text::fold(input)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a phone number looks like a Vietnamese mobile: 10 digits starting with 0 (spaces,
/// dots and dashes between them allowed; `+84` stands for the leading 0).
pub fn is_mobile(phone: &str) -> bool {
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let local = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    local.len() == 10 && local.starts_with('0') && local.chars().all(|c| c.is_ascii_digit())
}

/// Whether an e-mail address looks deliverable: one `@`, something before it, and a domain of
/// dot-separated labels, no spaces.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// The columns of an uploaded list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Category,
    Unit,
    FullName,
    Position,
    Phone,
    Email,
}

impl Column {
    const ALL: [Column; 6] = [
        Column::Category,
        Column::Unit,
        Column::FullName,
        Column::Position,
        Column::Phone,
        Column::Email,
    ];

    /// The name the upload form documents.
    fn name(self) -> &'static str {
        match self {
            Column::Category => "category",
            Column::Unit => "unit",
            Column::FullName => "full_name",
            Column::Position => "position",
            Column::Phone => "phone",
            Column::Email => "email",
        }
    }

    /// Header texts accepted for the column, as [`key`] folds them: the English names, the
    /// Vietnamese ones, and those of the workbook chiso exports (so it can be uploaded again).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Category => &["category", "group", "nhom", "nhom doi tuong", "doi tuong"],
            Column::Unit => &[
                "unit",
                "unit code",
                "don vi",
                "ma don vi",
                "co quan",
                "co quan don vi",
                "ma co quan",
            ],
            Column::FullName => &["full name", "name", "ho ten", "ho va ten"],
            Column::Position => &["position", "chuc vu", "chuc danh"],
            Column::Phone => &[
                "phone",
                "mobile",
                "dien thoai",
                "so dien thoai",
                "sdt",
                "so dt",
            ],
            Column::Email => &[
                "email",
                "e mail",
                "thu dien tu",
                "dia chi email",
                "dia chi thu dien tu",
            ],
        }
    }

    fn of_header(text: &str) -> Option<Column> {
        let k = key(text);
        Column::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&k.as_str()))
    }

    fn required(self) -> bool {
        matches!(self, Column::Category | Column::Unit | Column::FullName)
    }
}

/// A row of an upload that cannot be taken, or the file as a whole (row 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactProblem {
    /// 1-based line or Excel row; 0 for the file as a whole.
    pub row: u64,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub kind: ContactProblemKind,
}

/// What is wrong with an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactProblemKind {
    /// No person in the file.
    NoRows,
    /// A CSV line the reader cannot read (its words).
    Malformed(String),
    /// A required column (its documented name) is not in the header.
    MissingColumn(&'static str),
    /// A required cell is blank.
    Blank,
    UnknownCategory(String),
    UnknownUnit(String),
}

impl ContactProblem {
    /// "Dòng 7, cột đơn vị: …" — the place, then what is wrong and what would do.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let place = match (self.row, &self.column, vi) {
            (0, _, _) => String::new(),
            (r, Some(c), true) => format!("Dòng {r}, cột {c}: "),
            (r, Some(c), false) => format!("Row {r}, column {c}: "),
            (r, None, true) => format!("Dòng {r}: "),
            (r, None, false) => format!("Row {r}: "),
        };
        let pick = |v: String, e: String| if vi { v } else { e };
        let what = match &self.kind {
            ContactProblemKind::NoRows => pick(
                "tệp không có người nào (cần dòng tiêu đề và ít nhất một dòng dữ liệu).".into(),
                "the file lists nobody (it needs a header row and at least one data row).".into(),
            ),
            ContactProblemKind::Malformed(e) => pick(
                format!("dòng CSV không đọc được ({e})."),
                format!("the CSV line cannot be read ({e})."),
            ),
            ContactProblemKind::MissingColumn(c) => pick(
                format!("thiếu cột bắt buộc \"{c}\" ở dòng tiêu đề (nhóm, đơn vị, họ và tên)."),
                format!(
                    "the required column \"{c}\" is missing from the header (category, unit, full_name)."
                ),
            ),
            ContactProblemKind::Blank => pick(
                "ô bắt buộc đang để trống.".into(),
                "this cell is required but blank.".into(),
            ),
            ContactProblemKind::UnknownCategory(v) => pick(
                format!(
                    "không có nhóm đối tượng \"{v}\"; dùng {}.",
                    category_choices(Lang::Vi)
                ),
                format!(
                    "there is no category \"{v}\"; use {}.",
                    category_choices(Lang::En)
                ),
            ),
            ContactProblemKind::UnknownUnit(v) => pick(
                format!("không có đơn vị mã (hoặc tên) \"{v}\"."),
                format!("no unit has the code (or name) \"{v}\"."),
            ),
        };
        format!("{place}{what}")
    }
}

fn category_choices(lang: Lang) -> String {
    ContactCategory::ALL
        .iter()
        .map(|c| format!("{} ({})", c.code(), c.label(lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of a CSV list (UTF-8 text without its byte-order mark, `,` or `;`), each with its
/// 1-based line.
pub fn csv_rows(text: &str) -> Result<Vec<(u64, Vec<String>)>, ContactProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::text::csv_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = crate::text::CsvLines::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push((
                lines.at(r.position()),
                r.iter().map(str::to_string).collect(),
            )),
            Err(e) => {
                return Err(ContactProblem {
                    row: lines.at(e.position()),
                    column: None,
                    kind: ContactProblemKind::Malformed(e.to_string()),
                });
            }
        }
    }
    Ok(rows)
}

/// How many rows from the top may come before the header (a title, a blank line), as in the
/// workbook chiso exports.
const HEADER_SEARCH: usize = 10;

/// Reads a list's rows (from [`csv_rows`] or a spreadsheet): the header is the first row naming
/// the group, unit and name columns; `unit` finds a unit by what the unit cell holds. Every row
/// is checked; any problem refuses the whole file.
pub fn read_rows(
    rows: &[(u64, Vec<String>)],
    unit: impl Fn(&str) -> Option<UnitId>,
) -> Result<Vec<Contact>, Vec<ContactProblem>> {
    let filled = |cells: &[String]| cells.iter().any(|c| !c.trim().is_empty());
    let columns = |cells: &[String]| -> Vec<(Column, usize, String)> {
        let mut found: Vec<(Column, usize, String)> = Vec::new();
        for (i, h) in cells.iter().enumerate() {
            if let Some(c) = Column::of_header(h)
                && !found.iter().any(|(f, _, _)| *f == c)
            {
                found.push((c, i, crate::text::clean(h)));
            }
        }
        found
    };
    let candidates: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, (_, cells))| filled(cells))
        .map(|(i, _)| i)
        .take(HEADER_SEARCH)
        .collect();
    let Some(&first) = candidates.first() else {
        return Err(vec![ContactProblem {
            row: 0,
            column: None,
            kind: ContactProblemKind::NoRows,
        }]);
    };
    let header_at = candidates.iter().copied().find(|&i| {
        let found = columns(&rows[i].1);
        Column::ALL
            .iter()
            .filter(|c| c.required())
            .all(|c| found.iter().any(|(f, _, _)| f == c))
    });
    let Some(header_at) = header_at else {
        // Name what the first filled row lacks: most likely the header the person meant.
        let found = columns(&rows[first].1);
        return Err(Column::ALL
            .iter()
            .filter(|c| c.required() && !found.iter().any(|(f, _, _)| f == *c))
            .map(|c| ContactProblem {
                row: rows[first].0,
                column: None,
                kind: ContactProblemKind::MissingColumn(c.name()),
            })
            .collect());
    };
    let header = columns(&rows[header_at].1);
    let at = |c: Column| header.iter().find(|(f, _, _)| *f == c);
    let mut contacts = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in rows.iter().skip(header_at + 1) {
        if !filled(cells) {
            continue;
        }
        let cell = |c: Column| {
            at(c)
                .and_then(|(_, i, _)| cells.get(*i))
                .map(|v| crate::text::clean(v))
                .unwrap_or_default()
        };
        let mut problem = |c: Column, kind: ContactProblemKind| {
            problems.push(ContactProblem {
                row: *line,
                column: at(c).map(|(_, _, h)| h.clone()),
                kind,
            });
        };
        let category_text = cell(Column::Category);
        let category = ContactCategory::parse_loose(&category_text);
        if category_text.is_empty() {
            problem(Column::Category, ContactProblemKind::Blank);
        } else if category.is_none() {
            problem(
                Column::Category,
                ContactProblemKind::UnknownCategory(category_text),
            );
        }
        let unit_text = cell(Column::Unit);
        let found = unit(&unit_text);
        if unit_text.is_empty() {
            problem(Column::Unit, ContactProblemKind::Blank);
        } else if found.is_none() {
            problem(Column::Unit, ContactProblemKind::UnknownUnit(unit_text));
        }
        let full_name = cell(Column::FullName);
        if full_name.is_empty() {
            problem(Column::FullName, ContactProblemKind::Blank);
        }
        if let (Some(category), Some(unit), false) = (category, found, full_name.is_empty()) {
            contacts.push(Contact {
                category,
                unit,
                full_name,
                position: cell(Column::Position),
                phone: cell(Column::Phone),
                email: cell(Column::Email),
            });
        }
    }
    if problems.is_empty() && contacts.is_empty() {
        problems.push(ContactProblem {
            row: 0,
            column: None,
            kind: ContactProblemKind::NoRows,
        });
    }
    if problems.is_empty() {
        Ok(contacts)
    } else {
        Err(problems)
    }
}

/// Something the Ministry's list still lacks, or that will not reach the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Not one provincial People's Council deputy.
    NoDeputy,
    /// An active department without a leader on the list.
    NoDepartmentLeader {
        unit: String,
    },
    /// An active commune without a leader on the list.
    NoCommuneLeader {
        unit: String,
    },
    /// A person listed in a group that does not fit the unit's type.
    WrongUnitType {
        person: String,
        unit: String,
        category: ContactCategory,
        unit_type: UnitType,
    },
    /// A person listed under a unit no longer (or not yet) in operation.
    InactiveUnit {
        person: String,
        unit: String,
    },
    NoPhone {
        person: String,
        unit: String,
    },
    BadPhone {
        person: String,
        unit: String,
        phone: String,
    },
    NoEmail {
        person: String,
        unit: String,
    },
    BadEmail {
        person: String,
        unit: String,
        email: String,
    },
    /// One address given for several people: the survey sends one form per address.
    RepeatedEmail {
        email: String,
        people: Vec<String>,
    },
}

impl Gap {
    /// A stable code, for styling and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Gap::NoDeputy => "no_deputy",
            Gap::NoDepartmentLeader { .. } => "no_department_leader",
            Gap::NoCommuneLeader { .. } => "no_commune_leader",
            Gap::WrongUnitType { .. } => "wrong_unit_type",
            Gap::InactiveUnit { .. } => "inactive_unit",
            Gap::NoPhone { .. } => "no_phone",
            Gap::BadPhone { .. } => "bad_phone",
            Gap::NoEmail { .. } => "no_email",
            Gap::BadEmail { .. } => "bad_email",
            Gap::RepeatedEmail { .. } => "repeated_email",
        }
    }

    /// A sentence naming the unit or person.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Gap::NoDeputy if vi => "Danh sách chưa có đại biểu HĐND tỉnh nào.".into(),
            Gap::NoDeputy => "The list has no provincial People's Council deputy.".into(),
            Gap::NoDepartmentLeader { unit } if vi => {
                format!("{unit} chưa có lãnh đạo sở, ban, ngành trong danh sách.")
            }
            Gap::NoDepartmentLeader { unit } => format!("{unit} has no leader on the list."),
            Gap::NoCommuneLeader { unit } if vi => {
                format!("{unit} chưa có lãnh đạo UBND cấp xã trong danh sách.")
            }
            Gap::NoCommuneLeader { unit } => {
                format!("{unit} has no commune leader on the list.")
            }
            Gap::WrongUnitType {
                person,
                unit,
                category,
                unit_type,
            } => {
                let wanted = category.unit_type().map(|t| t.label(lang)).unwrap_or("");
                if vi {
                    format!(
                        "{person}: nhóm \"{}\" cần đơn vị loại \"{wanted}\", nhưng {unit} thuộc loại \"{}\".",
                        category.label(lang),
                        unit_type.label(lang)
                    )
                } else {
                    format!(
                        "{person}: the category \"{}\" needs a unit of type \"{wanted}\", but {unit} is \"{}\".",
                        category.label(lang),
                        unit_type.label(lang)
                    )
                }
            }
            Gap::InactiveUnit { person, unit } if vi => {
                format!("{person}: đơn vị {unit} không hoạt động vào thời điểm của danh sách.")
            }
            Gap::InactiveUnit { person, unit } => {
                format!("{person}: {unit} is not in operation at the time of the list.")
            }
            Gap::NoPhone { person, unit } if vi => {
                format!("{person} ({unit}) chưa có số điện thoại.")
            }
            Gap::NoPhone { person, unit } => format!("{person} ({unit}) has no phone number."),
            Gap::BadPhone {
                person,
                unit,
                phone,
            } if vi => format!(
                "{person} ({unit}): số điện thoại \"{phone}\" không phải số di động 10 chữ số bắt đầu bằng 0."
            ),
            Gap::BadPhone {
                person,
                unit,
                phone,
            } => format!(
                "{person} ({unit}): the phone number \"{phone}\" is not a 10-digit mobile number starting with 0."
            ),
            Gap::NoEmail { person, unit } if vi => {
                format!("{person} ({unit}) chưa có địa chỉ email.")
            }
            Gap::NoEmail { person, unit } => format!("{person} ({unit}) has no e-mail address."),
            Gap::BadEmail {
                person,
                unit,
                email,
            } if vi => format!("{person} ({unit}): \"{email}\" không phải địa chỉ email hợp lệ."),
            Gap::BadEmail {
                person,
                unit,
                email,
            } => format!("{person} ({unit}): \"{email}\" is not a valid e-mail address."),
            Gap::RepeatedEmail { email, people } if vi => format!(
                "Địa chỉ email {email} được ghi cho nhiều người: {}.",
                people.join(", ")
            ),
            Gap::RepeatedEmail { email, people } => format!(
                "The e-mail address {email} is given for several people: {}.",
                people.join(", ")
            ),
        }
    }
}

/// Checks a year's list against the units in operation on `day`: a deputy at least, a leader
/// for every department and every commune, and a phone and an e-mail that can reach each
/// person, no address twice. Units come first (in Vietnamese order), then people in list order.
pub fn check(contacts: &[Contact], units: &[Unit], day: NaiveDate) -> Vec<Gap> {
    let by_id: BTreeMap<UnitId, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let name = |id: UnitId| {
        by_id
            .get(&id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut gaps = Vec::new();
    if !contacts
        .iter()
        .any(|c| c.category == ContactCategory::Deputy)
    {
        gaps.push(Gap::NoDeputy);
    }
    let covered = |category: ContactCategory| -> HashSet<UnitId> {
        contacts
            .iter()
            .filter(|c| c.category == category)
            .map(|c| c.unit)
            .collect()
    };
    let mut active: Vec<&Unit> = units.iter().filter(|u| u.is_active_on(day)).collect();
    active.sort_by_cached_key(|u| crate::text::collation_key(&u.name));
    for (unit_type, category) in [
        (UnitType::Department, ContactCategory::DepartmentLeader),
        (UnitType::Commune, ContactCategory::CommuneLeader),
    ] {
        let covered = covered(category);
        for u in active
            .iter()
            .filter(|u| u.unit_type == unit_type && !covered.contains(&u.id))
        {
            gaps.push(match unit_type {
                UnitType::Department => Gap::NoDepartmentLeader {
                    unit: u.name.clone(),
                },
                _ => Gap::NoCommuneLeader {
                    unit: u.name.clone(),
                },
            });
        }
    }
    let mut emails: Vec<(String, Vec<String>)> = Vec::new();
    for c in contacts {
        let person = c.full_name.clone();
        let unit = name(c.unit);
        if let Some(u) = by_id.get(&c.unit) {
            if c.category.unit_type().is_some_and(|t| t != u.unit_type) {
                gaps.push(Gap::WrongUnitType {
                    person: person.clone(),
                    unit: unit.clone(),
                    category: c.category,
                    unit_type: u.unit_type,
                });
            }
            if !u.is_active_on(day) {
                gaps.push(Gap::InactiveUnit {
                    person: person.clone(),
                    unit: unit.clone(),
                });
            }
        }
        let phone = c.phone.trim();
        if phone.is_empty() {
            gaps.push(Gap::NoPhone {
                person: person.clone(),
                unit: unit.clone(),
            });
        } else if !is_mobile(phone) {
            gaps.push(Gap::BadPhone {
                person: person.clone(),
                unit: unit.clone(),
                phone: phone.to_string(),
            });
        }
        let email = c.email.trim();
        if email.is_empty() {
            gaps.push(Gap::NoEmail {
                person: person.clone(),
                unit: unit.clone(),
            });
        } else if !is_email(email) {
            gaps.push(Gap::BadEmail {
                person: person.clone(),
                unit,
                email: email.to_string(),
            });
        } else {
            let folded = email.to_lowercase();
            match emails.iter_mut().find(|(e, _)| *e == folded) {
                Some((_, people)) => people.push(person),
                None => emails.push((folded, vec![person])),
            }
        }
    }
    gaps.extend(
        emails
            .into_iter()
            .filter(|(_, people)| people.len() > 1)
            .map(|(email, people)| Gap::RepeatedEmail { email, people }),
    );
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn unit(id: i64, code: &str, name: &str, unit_type: UnitType) -> Unit {
        Unit {
            id: UnitId(id),
            code: code.into(),
            name: name.into(),
            unit_type,
            parent: None,
            valid_from: day(2004, 1, 1),
            valid_to: None,
        }
    }

    fn units() -> Vec<Unit> {
        let mut old = unit(5, "XA-CU", "Xã Cũ", UnitType::Commune);
        old.valid_to = Some(day(2025, 6, 30));
        vec![
            unit(1, "MS", "Tỉnh Minh Sơn", UnitType::Province),
            unit(2, "STP", "Sở Tư pháp", UnitType::Department),
            unit(3, "SNV", "Sở Nội vụ", UnitType::Department),
            unit(4, "XA-TANLAP", "Xã Tân Lập", UnitType::Commune),
            old,
        ]
    }

    fn person(
        category: ContactCategory,
        unit: i64,
        name: &str,
        phone: &str,
        email: &str,
    ) -> Contact {
        Contact {
            category,
            unit: UnitId(unit),
            full_name: name.into(),
            position: "Giám đốc".into(),
            phone: phone.into(),
            email: email.into(),
        }
    }

    fn lookup(code: &str) -> Option<UnitId> {
        units()
            .into_iter()
            .find(|u| u.code.eq_ignore_ascii_case(code))
            .map(|u| u.id)
    }

    #[test]
    fn categories_read_from_codes_and_labels_in_either_language() {
        for c in ContactCategory::ALL {
            assert_eq!(ContactCategory::from_code(c.code()), Some(c));
            assert_eq!(ContactCategory::parse_loose(c.code()), Some(c));
            assert_eq!(ContactCategory::parse_loose(c.label(Lang::Vi)), Some(c));
            assert_eq!(ContactCategory::parse_loose(c.label(Lang::En)), Some(c));
        }
        assert_eq!(
            ContactCategory::parse_loose("LANH DAO SO BAN NGANH"),
            Some(ContactCategory::DepartmentLeader)
        );
        assert_eq!(
            ContactCategory::parse_loose(" đại biểu hđnd tỉnh "),
            Some(ContactCategory::Deputy)
        );
        assert_eq!(ContactCategory::parse_loose("giám đốc"), None);
        assert_eq!(ContactCategory::parse_loose(""), None);
    }

    #[test]
    fn mobiles_are_ten_digits_from_zero() {
        for ok in [
            "0912345678",
            "0912 345 678",
            "091.234.5678",
            "+84 912 345 678",
        ] {
            assert!(is_mobile(ok), "{ok}");
        }
        for bad in ["912345678", "09123456789", "0912abc678", "", "1912345678"] {
            assert!(!is_mobile(bad), "{bad}");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for ok in ["an@example.vn", "nguyen.van.an@snv.minhson.gov.vn"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "an",
            "an@",
            "@example.vn",
            "an@example",
            "an@@example.vn",
            "an @example.vn",
            "an@example..vn",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn a_csv_with_vietnamese_headers_and_semicolons_reads() {
        let text = "Nhóm;Mã đơn vị;Họ và tên;Chức vụ;Điện thoại;Email\n\
                    Lãnh đạo sở, ban, ngành;stp;Trần Văn A;Giám đốc;0912 000 001;a@stp.vn\n\
                    \n\
                    commune_leader;XA-TANLAP;Lê Thị B;Chủ tịch UBND xã;;\n";
        let rows = csv_rows(text).unwrap();
        let list = read_rows(&rows, lookup).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].category, ContactCategory::DepartmentLeader);
        assert_eq!(list[0].unit, UnitId(2));
        assert_eq!(list[0].phone, "0912 000 001");
        assert_eq!(list[1].category, ContactCategory::CommuneLeader);
        assert_eq!(list[1].email, "");
    }

    #[test]
    fn the_header_may_follow_a_title_row() {
        let rows = vec![
            (
                1,
                vec!["DANH SÁCH ĐỐI TƯỢNG ĐIỀU TRA XÃ HỘI HỌC NĂM 2025".into()],
            ),
            (2, vec![]),
            (
                3,
                vec![
                    "STT".into(),
                    "Nhóm đối tượng".into(),
                    "Cơ quan/đơn vị".into(),
                    "Họ và tên".into(),
                    "Chức vụ".into(),
                    "Số điện thoại".into(),
                    "Email".into(),
                ],
            ),
            (
                4,
                vec![
                    "1".into(),
                    "Đại biểu HĐND tỉnh".into(),
                    "MS".into(),
                    "Hoàng Văn C".into(),
                    "Đại biểu".into(),
                    "0987654321".into(),
                    "c@hdnd.vn".into(),
                ],
            ),
        ];
        let list = read_rows(&rows, lookup).unwrap();
        assert_eq!(list[0].category, ContactCategory::Deputy);
        assert_eq!(list[0].unit, UnitId(1));
        assert_eq!(list[0].position, "Đại biểu");
    }

    #[test]
    fn bad_rows_are_all_named_with_row_and_column() {
        let text = "category,unit,full_name\n\
                    deputy,MS,Hoàng Văn C\n\
                    chủ tịch,STP,Trần Văn A\n\
                    deputy,XYZ,\n";
        let problems = read_rows(&csv_rows(text).unwrap(), lookup).unwrap_err();
        let messages: Vec<String> = problems.iter().map(|p| p.message(Lang::Vi)).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("Dòng 3, cột category: không có nhóm đối tượng \"chủ tịch\""),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("Dòng 4, cột unit: không có đơn vị mã"),
            "{messages:?}"
        );
        assert!(messages[1].contains("XYZ"));
        assert!(
            messages[2].starts_with("Dòng 4, cột full_name:"),
            "{messages:?}"
        );
        assert!(
            problems[0]
                .message(Lang::En)
                .starts_with("Row 3, column category:")
        );
    }

    #[test]
    fn a_file_without_the_required_columns_or_people_is_refused() {
        let problems =
            read_rows(&csv_rows("name,phone\nA,0912000001\n").unwrap(), lookup).unwrap_err();
        let missing: Vec<_> = problems.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            missing,
            vec![
                ContactProblemKind::MissingColumn("category"),
                ContactProblemKind::MissingColumn("unit"),
            ]
        );
        let none = read_rows(&csv_rows("category,unit,full_name\n").unwrap(), lookup).unwrap_err();
        assert_eq!(none[0].kind, ContactProblemKind::NoRows);
        assert_eq!(
            read_rows(&[], lookup).unwrap_err()[0].kind,
            ContactProblemKind::NoRows
        );
    }

    #[test]
    fn the_check_names_units_without_leaders_and_people_who_cannot_be_reached() {
        let list = vec![
            person(
                ContactCategory::DepartmentLeader,
                2,
                "Trần Văn A",
                "0912000001",
                "a@stp.vn",
            ),
            person(
                ContactCategory::DivisionLeader,
                2,
                "Phạm Thị D",
                "12345",
                "A@STP.vn",
            ),
            person(ContactCategory::CommuneLeader, 3, "Lê Văn E", "", "e-at-xa"),
            person(
                ContactCategory::CommuneLeader,
                5,
                "Vũ Văn G",
                "0912000009",
                "",
            ),
        ];
        let gaps = check(&list, &units(), day(2025, 12, 1));
        let messages: Vec<String> = gaps.iter().map(|g| g.message(Lang::Vi)).collect();
        assert_eq!(
            messages,
            vec![
                "Danh sách chưa có đại biểu HĐND tỉnh nào.",
                "Sở Nội vụ chưa có lãnh đạo sở, ban, ngành trong danh sách.",
                "Xã Tân Lập chưa có lãnh đạo UBND cấp xã trong danh sách.",
                "Phạm Thị D (Sở Tư pháp): số điện thoại \"12345\" không phải số di động 10 chữ số bắt đầu bằng 0.",
                "Lê Văn E: nhóm \"Lãnh đạo UBND cấp xã\" cần đơn vị loại \"Xã, phường, đặc khu\", nhưng Sở Nội vụ thuộc loại \"Sở, ban, ngành\".",
                "Lê Văn E (Sở Nội vụ) chưa có số điện thoại.",
                "Lê Văn E (Sở Nội vụ): \"e-at-xa\" không phải địa chỉ email hợp lệ.",
                "Vũ Văn G: đơn vị Xã Cũ không hoạt động vào thời điểm của danh sách.",
                "Vũ Văn G (Xã Cũ) chưa có địa chỉ email.",
                "Địa chỉ email a@stp.vn được ghi cho nhiều người: Trần Văn A, Phạm Thị D.",
            ]
        );
        assert_eq!(gaps[0].code(), "no_deputy");
        assert!(
            gaps[1]
                .message(Lang::En)
                .contains("Sở Nội vụ has no leader")
        );
    }

    #[test]
    fn a_complete_list_has_no_gap() {
        let list = vec![
            person(
                ContactCategory::Deputy,
                1,
                "Hoàng Văn C",
                "0987654321",
                "c@hdnd.vn",
            ),
            person(
                ContactCategory::DepartmentLeader,
                2,
                "Trần Văn A",
                "0912000001",
                "a@stp.vn",
            ),
            person(
                ContactCategory::DepartmentLeader,
                3,
                "Ngô Văn H",
                "0912000002",
                "h@snv.vn",
            ),
            person(
                ContactCategory::CommuneLeader,
                4,
                "Lê Thị B",
                "0912.000.003",
                "b@xa.vn",
            ),
        ];
        assert_eq!(check(&list, &units(), day(2025, 12, 1)), vec![]);
    }
}
