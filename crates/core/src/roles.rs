//! The roles an account can hold. An account may hold several (a council member is often
//! also the focal point of their own department).

use serde::{Deserialize, Serialize};
use std::fmt;

/// What an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// PAR officer at the Department of Home Affairs: runs the cycle.
    Admin,
    /// Enters declared figures, self-scores and evidence for their unit (possibly some fields only).
    FocalPoint,
    /// Approves and submits their unit's self-assessment.
    UnitLeader,
    /// Member of the appraisal council or working group.
    Appraiser,
    /// Chairs the council: concludes appraisal rounds.
    CouncilChair,
    /// Provincial leadership: reads dashboards and results.
    Viewer,
    /// Enters paper survey forms and follows survey progress.
    SurveyStaff,
}

impl Role {
    /// Every role, in the order admin pages list them.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::FocalPoint,
        Role::UnitLeader,
        Role::Appraiser,
        Role::CouncilChair,
        Role::Viewer,
        Role::SurveyStaff,
    ];

    /// The stable code stored in the database and used in CSV files.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::FocalPoint => "focal_point",
            Role::UnitLeader => "unit_leader",
            Role::Appraiser => "appraiser",
            Role::CouncilChair => "council_chair",
            Role::Viewer => "viewer",
            Role::SurveyStaff => "survey_staff",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The label shown in the interface.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match lang {
            crate::lang::Lang::Vi => self.label_vi(),
            crate::lang::Lang::En => self.label_en(),
        }
    }

    /// The Vietnamese label shown in the interface.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị (Sở Nội vụ)",
            Role::FocalPoint => "Cán bộ đầu mối",
            Role::UnitLeader => "Lãnh đạo đơn vị",
            Role::Appraiser => "Thành viên thẩm định",
            Role::CouncilChair => "Chủ tịch Hội đồng thẩm định",
            Role::Viewer => "Lãnh đạo theo dõi",
            Role::SurveyStaff => "Cán bộ điều tra",
        }
    }

    /// The English label shown in the interface.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator (DOHA)",
            Role::FocalPoint => "Focal point",
            Role::UnitLeader => "Unit leader",
            Role::Appraiser => "Appraiser",
            Role::CouncilChair => "Council chair",
            Role::Viewer => "Viewer (leadership)",
            Role::SurveyStaff => "Survey staff",
        }
    }
}

/// Several roles' labels, comma-separated, as lists and tables show them.
pub fn labels<'a>(roles: impl IntoIterator<Item = &'a Role>, lang: crate::lang::Lang) -> String {
    roles
        .into_iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        let both = [Role::FocalPoint, Role::UnitLeader];
        assert_eq!(
            labels(&both, crate::lang::Lang::Vi),
            "Cán bộ đầu mối, Lãnh đạo đơn vị"
        );
    }
}
