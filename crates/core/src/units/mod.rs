//! Administrative units: a tree of typed units with validity dates.
//!
//! Before 1/7/2025 communes sat under districts; after it, districts are gone and communes sit
//! directly under the province. Both shapes live in one tree, told apart by dates.

pub mod import;

use crate::ids::UnitId;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The day the two-level local government took effect: districts end the day before.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// The kind of an administrative unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Sở, ban, ngành of the province.
    Department,
    /// Huyện, quận, thị xã: only before 1/7/2025.
    District,
    /// Xã, phường, đặc khu (and thị trấn before the reform).
    Commune,
}

impl UnitType {
    /// Every type, from the top of the tree down.
    pub const ALL: [UnitType; 4] = [
        UnitType::Province,
        UnitType::Department,
        UnitType::District,
        UnitType::Commune,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitType::Province => "province",
            UnitType::Department => "department",
            UnitType::District => "district",
            UnitType::Commune => "commune",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<UnitType> {
        UnitType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Parses what people write in a spreadsheet: the code or a Vietnamese word, with or
    /// without diacritics (`xã`, `phuong`, `Sở`, `huyện`…).
    pub fn parse_loose(input: &str) -> Option<UnitType> {
        let folded = crate::text::fold(input);
        if let Some(t) = UnitType::from_code(&folded) {
            return Some(t);
        }
        match folded.as_str() {
            "tinh" | "thanh pho truc thuoc trung uong" => Some(UnitType::Province),
            "so" | "ban" | "nganh" | "so, ban, nganh" | "so ban nganh" | "co quan" => {
                Some(UnitType::Department)
            }
            "huyen" | "quan" | "thi xa" | "thanh pho thuoc tinh" => Some(UnitType::District),
            "xa" | "phuong" | "dac khu" | "thi tran" => Some(UnitType::Commune),
            _ => None,
        }
    }

    /// The label shown in the interface.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UnitType::Province, Lang::Vi) => "Tỉnh",
            (UnitType::Department, Lang::Vi) => "Sở, ban, ngành",
            (UnitType::District, Lang::Vi) => "Huyện (trước 01/07/2025)",
            (UnitType::Commune, Lang::Vi) => "Xã, phường, đặc khu",
            (UnitType::Province, Lang::En) => "Province",
            (UnitType::Department, Lang::En) => "Department",
            (UnitType::District, Lang::En) => "District (before 01/07/2025)",
            (UnitType::Commune, Lang::En) => "Commune / ward",
        }
    }

    /// Which types may be this type's parent.
    pub fn allowed_parents(self) -> &'static [UnitType] {
        match self {
            UnitType::Province => &[],
            UnitType::Department | UnitType::District => &[UnitType::Province],
            UnitType::Commune => &[UnitType::Province, UnitType::District],
        }
    }
}

impl fmt::Display for UnitType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A stored administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub parent: Option<UnitId>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Unit {
    /// Whether the unit exists on `day`.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|end| day <= end)
    }
}

/// The fields of a unit as entered, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDraft {
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// What a parent looks like to the rules that check its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentInfo {
    pub unit_type: UnitType,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl From<&Unit> for ParentInfo {
    fn from(u: &Unit) -> Self {
        ParentInfo {
            unit_type: u.unit_type,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        }
    }
}

/// A rule a unit breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitProblem {
    CodeEmpty,
    CodeInvalid(String),
    NameEmpty,
    ValidityReversed,
    ParentRequired(UnitType),
    ParentNotAllowed { child: UnitType, parent: UnitType },
    ProvinceHasParent,
    DistrictAfterReform,
    OutsideParentValidity,
}

impl UnitProblem {
    /// The form field the problem belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            UnitProblem::CodeEmpty | UnitProblem::CodeInvalid(_) => "code",
            UnitProblem::NameEmpty => "name",
            UnitProblem::ValidityReversed | UnitProblem::DistrictAfterReform => "valid_to",
            UnitProblem::OutsideParentValidity => "valid_from",
            UnitProblem::ParentRequired(_)
            | UnitProblem::ParentNotAllowed { .. }
            | UnitProblem::ProvinceHasParent => "parent_code",
        }
    }

    /// A sentence saying what is wrong and how to fix it.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (UnitProblem::CodeEmpty, Lang::Vi) => "Mã đơn vị không được để trống.".into(),
            (UnitProblem::CodeEmpty, Lang::En) => "The unit code is empty.".into(),
            (UnitProblem::CodeInvalid(c), Lang::Vi) => format!(
                "Mã \"{c}\" không hợp lệ: chỉ dùng chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa 32 ký tự."
            ),
            (UnitProblem::CodeInvalid(c), Lang::En) => format!(
                "Code \"{c}\" is not valid: use letters without accents, digits, '.', '-', '_'; at most 32 characters."
            ),
            (UnitProblem::NameEmpty, Lang::Vi) => "Tên đơn vị không được để trống.".into(),
            (UnitProblem::NameEmpty, Lang::En) => "The unit name is empty.".into(),
            (UnitProblem::ValidityReversed, Lang::Vi) => {
                "Ngày hết hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực.".into()
            }
            (UnitProblem::ValidityReversed, Lang::En) => {
                "The end date must be on or after the start date.".into()
            }
            (UnitProblem::ParentRequired(t), Lang::Vi) => {
                format!("Đơn vị loại \"{}\" phải có đơn vị cấp trên.", t.label(Lang::Vi))
            }
            (UnitProblem::ParentRequired(t), Lang::En) => {
                format!("A unit of type \"{}\" needs a parent unit.", t.label(Lang::En))
            }
            (UnitProblem::ParentNotAllowed { child, parent }, lang) => {
                let allowed: Vec<&str> = child.allowed_parents().iter().map(|t| t.label(lang)).collect();
                match lang {
                    Lang::Vi => format!(
                        "Đơn vị loại \"{}\" không thể trực thuộc \"{}\"; cấp trên phải là: {}.",
                        child.label(lang),
                        parent.label(lang),
                        allowed.join(", ")
                    ),
                    Lang::En => format!(
                        "A \"{}\" cannot sit under a \"{}\"; its parent must be: {}.",
                        child.label(lang),
                        parent.label(lang),
                        allowed.join(", ")
                    ),
                }
            }
            (UnitProblem::ProvinceHasParent, Lang::Vi) => "Tỉnh không có đơn vị cấp trên.".into(),
            (UnitProblem::ProvinceHasParent, Lang::En) => "A province has no parent unit.".into(),
            (UnitProblem::DistrictAfterReform, Lang::Vi) => {
                "Cấp huyện chỉ tồn tại đến 30/06/2025: ngày hết hiệu lực phải từ 30/06/2025 trở về trước.".into()
            }
            (UnitProblem::DistrictAfterReform, Lang::En) => {
                "Districts ended on 30/06/2025: the end date must be on or before 30/06/2025.".into()
            }
            (UnitProblem::OutsideParentValidity, Lang::Vi) => {
                "Thời gian hiệu lực nằm ngoài thời gian hiệu lực của đơn vị cấp trên.".into()
            }
            (UnitProblem::OutsideParentValidity, Lang::En) => {
                "The validity period falls outside the parent unit's validity.".into()
            }
        }
    }
}

/// Normalises a unit code: trimmed, upper case.
pub fn normalize_code(input: &str) -> String {
    input.trim().to_uppercase()
}

/// Checks a unit against the tree rules; returns every problem, not just the first.
pub fn validate(draft: &UnitDraft, parent: Option<&ParentInfo>) -> Vec<UnitProblem> {
    let mut problems = Vec::new();
    if draft.code.is_empty() {
        problems.push(UnitProblem::CodeEmpty);
    } else if draft.code.len() > 32
        || !draft
            .code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        problems.push(UnitProblem::CodeInvalid(draft.code.clone()));
    }
    if draft.name.trim().is_empty() {
        problems.push(UnitProblem::NameEmpty);
    }
    if draft.valid_to.is_some_and(|end| end < draft.valid_from) {
        problems.push(UnitProblem::ValidityReversed);
    }
    if draft.unit_type == UnitType::District
        && draft.valid_to.is_none_or(|end| end >= reform_date())
    {
        problems.push(UnitProblem::DistrictAfterReform);
    }
    match (draft.unit_type, parent) {
        (UnitType::Province, Some(_)) => problems.push(UnitProblem::ProvinceHasParent),
        (UnitType::Province, None) => {}
        (t, None) => problems.push(UnitProblem::ParentRequired(t)),
        (t, Some(p)) => {
            if !t.allowed_parents().contains(&p.unit_type) {
                problems.push(UnitProblem::ParentNotAllowed {
                    child: t,
                    parent: p.unit_type,
                });
            } else if draft.valid_from < p.valid_from
                || p.valid_to
                    .is_some_and(|pend| draft.valid_to.is_none_or(|end| end > pend))
            {
                problems.push(UnitProblem::OutsideParentValidity);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn draft(t: UnitType) -> UnitDraft {
        UnitDraft {
            code: "X1".into(),
            name: "Xã Tân Lập".into(),
            unit_type: t,
            valid_from: day(2025, 7, 1),
            valid_to: None,
        }
    }

    fn province() -> ParentInfo {
        ParentInfo {
            unit_type: UnitType::Province,
            valid_from: day(2000, 1, 1),
            valid_to: None,
        }
    }

    #[test]
    fn a_commune_under_the_province_after_the_reform_is_valid() {
        assert_eq!(
            validate(&draft(UnitType::Commune), Some(&province())),
            vec![]
        );
    }

    #[test]
    fn a_district_must_end_before_the_reform() {
        let mut d = draft(UnitType::District);
        d.valid_from = day(2010, 1, 1);
        assert_eq!(
            validate(&d, Some(&province())),
            vec![UnitProblem::DistrictAfterReform]
        );
        d.valid_to = Some(day(2025, 6, 30));
        assert_eq!(validate(&d, Some(&province())), vec![]);
    }

    #[test]
    fn a_commune_cannot_outlive_its_district() {
        let district = ParentInfo {
            unit_type: UnitType::District,
            valid_from: day(2010, 1, 1),
            valid_to: Some(day(2025, 6, 30)),
        };
        let mut c = draft(UnitType::Commune);
        c.valid_from = day(2010, 1, 1);
        assert_eq!(
            validate(&c, Some(&district)),
            vec![UnitProblem::OutsideParentValidity]
        );
        c.valid_to = Some(day(2025, 6, 30));
        assert_eq!(validate(&c, Some(&district)), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = UnitDraft {
            code: "mã sai".into(),
            name: " ".into(),
            unit_type: UnitType::Department,
            valid_from: day(2025, 1, 1),
            valid_to: Some(day(2024, 1, 1)),
        };
        let problems = validate(&d, None);
        assert_eq!(
            problems,
            vec![
                UnitProblem::CodeInvalid("mã sai".into()),
                UnitProblem::NameEmpty,
                UnitProblem::ValidityReversed,
                UnitProblem::ParentRequired(UnitType::Department),
            ]
        );
    }

    #[test]
    fn departments_sit_only_under_a_province() {
        let parent = ParentInfo {
            unit_type: UnitType::Department,
            ..province()
        };
        assert_eq!(
            validate(&draft(UnitType::Department), Some(&parent)),
            vec![UnitProblem::ParentNotAllowed {
                child: UnitType::Department,
                parent: UnitType::Department
            }]
        );
    }

    #[test]
    fn loose_type_names_are_understood() {
        assert_eq!(UnitType::parse_loose("Xã"), Some(UnitType::Commune));
        assert_eq!(UnitType::parse_loose("phường"), Some(UnitType::Commune));
        assert_eq!(UnitType::parse_loose("Sở"), Some(UnitType::Department));
        assert_eq!(UnitType::parse_loose("HUYỆN"), Some(UnitType::District));
        assert_eq!(
            UnitType::parse_loose("department"),
            Some(UnitType::Department)
        );
        assert_eq!(UnitType::parse_loose("thôn"), None);
    }
}
