//! The demo province, "tỉnh Minh Sơn": fictional, shaped like a real province after the 2025
//! reform. Department names are the real ones; commune names and people are invented.
//!
//! History is kept: the departments merged on 1/3/2025 and the districts dissolved on 1/7/2025
//! are present with their end dates, so earlier years can be replayed.

use crate::roles::Role;
use crate::text::fold;
use crate::units::UnitType;
use chrono::NaiveDate;

/// The password of every demo account; the demo login page lists the accounts.
pub const PASSWORD: &str = "minhson2025";

/// A unit of the demo province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub parent_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// An account of the demo province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub full_name: &'static str,
    pub title: &'static str,
    pub unit_code: &'static str,
    pub roles: &'static [Role],
    pub fields: &'static [&'static str],
}

/// The province's code.
pub const PROVINCE_CODE: &str = "MS";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

/// A day as (year, month, day), for compact tables.
type Ymd = (i32, u32, u32);

/// Departments: code, name, valid from, valid to.
const DEPARTMENTS: &[(&str, &str, Ymd, Option<Ymd>)] = &[
    (
        "VP-UBND",
        "Văn phòng Ủy ban nhân dân tỉnh",
        (2004, 1, 1),
        None,
    ),
    ("SNV", "Sở Nội vụ", (2004, 1, 1), None),
    ("STP", "Sở Tư pháp", (2004, 1, 1), None),
    ("STC", "Sở Tài chính", (2004, 1, 1), None),
    ("SCT", "Sở Công Thương", (2008, 4, 1), None),
    ("SXD", "Sở Xây dựng", (2004, 1, 1), None),
    ("SKHCN", "Sở Khoa học và Công nghệ", (2004, 1, 1), None),
    ("SGDDT", "Sở Giáo dục và Đào tạo", (2004, 1, 1), None),
    ("SYT", "Sở Y tế", (2004, 1, 1), None),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        (2008, 4, 1),
        None,
    ),
    ("SNGV", "Sở Ngoại vụ", (2004, 1, 1), None),
    ("TTT", "Thanh tra tỉnh", (2004, 1, 1), None),
    (
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp tỉnh",
        (2006, 1, 1),
        None,
    ),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", (2025, 3, 1), None),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", (2025, 3, 1), None),
    // Merged into the departments above on 1/3/2025.
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        (2004, 1, 1),
        Some((2025, 2, 28)),
    ),
    (
        "STTTT",
        "Sở Thông tin và Truyền thông",
        (2008, 4, 1),
        Some((2025, 2, 28)),
    ),
    (
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        (2004, 1, 1),
        Some((2025, 2, 28)),
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        (2004, 1, 1),
        Some((2025, 2, 28)),
    ),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        (2004, 1, 1),
        Some((2025, 2, 28)),
    ),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        (2004, 1, 1),
        Some((2025, 2, 28)),
    ),
    ("BDT", "Ban Dân tộc tỉnh", (2004, 1, 1), Some((2025, 2, 28))),
];

const WARDS: &[&str] = &[
    "Minh Sơn",
    "Ngọc Hà",
    "Đông Tiến",
    "Bắc Sơn",
    "Yên Thịnh",
    "Tân Phong",
];

const COMMUNES: &[&str] = &[
    "Tân Lập",
    "Hòa Bình",
    "Thanh Xuân",
    "Phú Lộc",
    "Quang Trung",
    "Đồng Tâm",
    "Hợp Thành",
    "Kim Sơn",
    "Lạc Thủy",
    "Bình Minh",
    "Nghĩa Đô",
    "Vĩnh Lộc",
    "Cao Sơn",
    "Tiên Phong",
    "Hưng Đạo",
    "Trung Sơn",
    "Hòa An",
    "Thượng Lâm",
    "Xuân Hòa",
    "An Thịnh",
    "Phúc Khánh",
    "Long Phúc",
    "Yên Bình",
    "Tân Hương",
    "Hồng Phong",
    "Minh Quang",
    "Đại Đồng",
    "Thịnh Long",
    "Sơn Thủy",
    "Bảo Ái",
    "Châu Quế",
    "Lâm Thượng",
    "Quảng Ngần",
    "Tà Xùa",
];

/// Districts dissolved on 1/7/2025, each with the communes it had.
const DISTRICTS: &[(&str, &[&str])] = &[
    (
        "Minh Lâm",
        &["Tân Lập", "Hòa Bình", "Thanh Xuân", "Phú Lộc"],
    ),
    ("Kim Sơn", &["Kim Sơn", "Lạc Thủy", "Bình Minh", "Nghĩa Đô"]),
    (
        "Yên Bình",
        &["Yên Bình", "Tân Hương", "Hồng Phong", "Minh Quang"],
    ),
];

fn code_of(prefix: &str, name: &str) -> String {
    let compact: String = fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("{prefix}-{}", compact.to_uppercase())
}

/// Every unit of the demo province, parents before children.
pub fn units() -> Vec<DemoUnit> {
    let province = PROVINCE_CODE.to_string();
    let mut out = vec![DemoUnit {
        code: province.clone(),
        name: "Tỉnh Minh Sơn".into(),
        unit_type: UnitType::Province,
        parent_code: None,
        valid_from: day(1991, 8, 12),
        valid_to: None,
    }];
    for (code, name, from, to) in DEPARTMENTS {
        out.push(DemoUnit {
            code: (*code).into(),
            name: (*name).into(),
            unit_type: UnitType::Department,
            parent_code: Some(province.clone()),
            valid_from: day(from.0, from.1, from.2),
            valid_to: to.map(|t| day(t.0, t.1, t.2)),
        });
    }
    let reform = crate::units::reform_date();
    let last_day = day(2025, 6, 30);
    for name in WARDS {
        out.push(DemoUnit {
            code: code_of("PH", name),
            name: format!("Phường {name}"),
            unit_type: UnitType::Commune,
            parent_code: Some(province.clone()),
            valid_from: reform,
            valid_to: None,
        });
    }
    for name in COMMUNES {
        out.push(DemoUnit {
            code: code_of("XA", name),
            name: format!("Xã {name}"),
            unit_type: UnitType::Commune,
            parent_code: Some(province.clone()),
            valid_from: reform,
            valid_to: None,
        });
    }
    for (district, communes) in DISTRICTS {
        let district_code = code_of("H", district);
        out.push(DemoUnit {
            code: district_code.clone(),
            name: format!("Huyện {district}"),
            unit_type: UnitType::District,
            parent_code: Some(province.clone()),
            valid_from: day(2004, 1, 1),
            valid_to: Some(last_day),
        });
        for name in *communes {
            out.push(DemoUnit {
                code: format!("{}-CU", code_of("XA", name)),
                name: format!("Xã {name} (cũ)"),
                unit_type: UnitType::Commune,
                parent_code: Some(district_code.clone()),
                valid_from: day(2004, 1, 1),
                valid_to: Some(last_day),
            });
        }
    }
    out
}

/// Known attributes of demo units: Chị Thu's commune has no public-service counter
/// (Bộ phận Một cửa), so that part of the commune framework does not apply to it.
pub fn unit_attributes() -> Vec<(&'static str, &'static str, bool)> {
    vec![
        ("XA-TANLAP", "has_one_stop_shop", false),
        ("XA-TANLAP", "has_procedures", true),
        ("STP", "has_procedures", true),
    ]
}

/// The demo accounts: one person for each role in USERS.md.
pub fn accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount {
            username: "lan.noivu",
            full_name: "Nguyễn Thị Lan",
            title: "Chuyên viên CCHC, Sở Nội vụ",
            unit_code: "SNV",
            roles: &[Role::Admin],
            fields: &[],
        },
        DemoAccount {
            username: "minh.tuphap",
            full_name: "Trần Văn Minh",
            title: "Cán bộ đầu mối CCHC, Sở Tư pháp",
            unit_code: "STP",
            roles: &[Role::FocalPoint],
            fields: &["2"],
        },
        DemoAccount {
            username: "hoa.tuphap",
            full_name: "Lê Thị Hoa",
            title: "Giám đốc Sở Tư pháp",
            unit_code: "STP",
            roles: &[Role::UnitLeader],
            fields: &[],
        },
        DemoAccount {
            username: "tuan.thamdinh",
            full_name: "Phạm Minh Tuấn",
            title: "Thành viên Hội đồng thẩm định, Văn phòng UBND tỉnh",
            unit_code: "VP-UBND",
            roles: &[Role::Appraiser],
            fields: &["1", "5"],
        },
        DemoAccount {
            username: "hung.hoidong",
            full_name: "Đỗ Quang Hưng",
            title: "Giám đốc Sở Nội vụ, Chủ tịch Hội đồng thẩm định",
            unit_code: "SNV",
            roles: &[Role::CouncilChair],
            fields: &[],
        },
        DemoAccount {
            username: "thu.tanlap",
            full_name: "Vũ Thị Thu",
            title: "Công chức Văn phòng - Thống kê, UBND xã Tân Lập",
            unit_code: "XA-TANLAP",
            roles: &[Role::FocalPoint],
            fields: &[],
        },
        DemoAccount {
            username: "truong.tanlap",
            full_name: "Đinh Văn Trường",
            title: "Chủ tịch UBND xã Tân Lập",
            unit_code: "XA-TANLAP",
            roles: &[Role::UnitLeader],
            fields: &[],
        },
        DemoAccount {
            username: "thang.ubnd",
            full_name: "Ngô Đức Thắng",
            title: "Phó Chủ tịch UBND tỉnh",
            unit_code: PROVINCE_CODE,
            // Approves the province's own self-assessment before it goes to the Ministry.
            roles: &[Role::Viewer, Role::UnitLeader],
            fields: &[],
        },
        DemoAccount {
            username: "mai.dieutra",
            full_name: "Bùi Thị Mai",
            title: "Cán bộ điều tra xã hội học, Sở Nội vụ",
            unit_code: "SNV",
            roles: &[Role::SurveyStaff],
            fields: &[],
        },
    ]
}

/// A number from 0 to 99 fixed by the unit and item, so the demo's answers are the same on
/// every start.
fn roll(unit_code: &str, item: &str, salt: u8) -> u64 {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("{unit_code}|{item}|{salt}"));
    u64::from_le_bytes(h[..8].try_into().unwrap_or_default()) % 100
}

/// What a demo unit declared for an item last year (scored by the item's own rule when saved).
pub fn sample_entry(
    node: &crate::framework::model::Node,
    unit_code: &str,
) -> Option<crate::round::entry::SelfEntry> {
    use crate::framework::model::Rule;
    use crate::framework::points::Points;
    use crate::round::entry::SelfEntry;
    let r = roll(unit_code, &node.code, 0);
    let max = node.max.unwrap_or(Points::ZERO);
    let mut e = SelfEntry::default();
    match node.rule.as_ref()? {
        Rule::Survey { .. } => return None,
        Rule::Boolean | Rule::Deduction { .. } => e.met = Some(r >= 12),
        Rule::Levels { levels } => {
            // Most units reach the best level; some the one below.
            let best = levels
                .iter()
                .enumerate()
                .max_by_key(|(_, l)| l.points)
                .map(|(i, _)| i)?;
            e.level = Some(if r < 25 && best > 0 { best - 1 } else { best });
        }
        Rule::Bands { .. } | Rule::Proportional { .. } => {
            let denominator = 80 + roll(unit_code, &node.code, 1) * 7;
            let numerator = denominator * (86 + r % 15) / 100;
            e.numerator = Some(numerator.into());
            e.denominator = Some(denominator.into());
        }
        Rule::Manual { step } | Rule::Bonus { step } => {
            if matches!(node.rule, Some(Rule::Bonus { .. })) && r < 70 {
                return None;
            }
            let share = rust_decimal::Decimal::new(60 + (r % 41) as i64, 2);
            let raw = max.decimal() * share;
            let steps = (raw / step.decimal()).floor();
            e.points = Some(Points::new(steps * step.decimal()).min(max));
        }
    }
    e.explanation = if r.is_multiple_of(3) {
        "Số liệu tổng hợp từ báo cáo CCHC năm và Hệ thống thông tin giải quyết TTHC tỉnh.".into()
    } else {
        String::new()
    };
    Some(e)
}

/// A task of the demo province's plans: what it asks, its field, lead and cooperating units (by
/// code), its deadline in days from the plan's reference day, its output, and when it was done
/// (days from the same day; `None` while not done).
pub struct DemoTask {
    pub text: &'static str,
    pub field: &'static str,
    pub lead: &'static str,
    pub cooperators: &'static [&'static str],
    /// Days from the reference day; `None` for ongoing work (thường xuyên).
    pub due: Option<i64>,
    pub output: &'static str,
    pub done: Option<i64>,
}

/// The tasks of the demo province's plan to raise its index, in the shape of the seeds (lead
/// department per field as in seed 001). With the reference day a year ago they make last
/// year's plan, with it today this year's: some done on time, some late, some overdue, some in
/// progress.
pub fn plan_tasks() -> Vec<DemoTask> {
    vec![
        DemoTask {
            text: "Ban hành Kế hoạch cải cách hành chính năm của tỉnh đúng thời hạn, đầy đủ nhiệm vụ, sản phẩm, thời hạn và cơ quan chủ trì.",
            field: "1",
            lead: "SNV",
            cooperators: &["VP-UBND"],
            due: Some(-150),
            output: "Kế hoạch CCHC năm của UBND tỉnh",
            done: Some(-160),
        },
        DemoTask {
            text: "Kiểm tra công tác CCHC tại tối thiểu 30% cơ quan, đơn vị; xử lý 100% vấn đề phát hiện qua kiểm tra.",
            field: "1",
            lead: "SNV",
            cooperators: &["STP", "VP-UBND"],
            due: Some(-20),
            output: "Báo cáo kết quả kiểm tra",
            done: None,
        },
        DemoTask {
            text: "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành; công bố danh mục văn bản hết hiệu lực.",
            field: "2",
            lead: "STP",
            cooperators: &["VP-UBND"],
            due: Some(-60),
            output: "Quyết định công bố kết quả hệ thống hóa",
            done: Some(-45),
        },
        DemoTask {
            text: "Theo dõi thi hành pháp luật; kiểm tra văn bản QPPL sau khi ban hành, xử lý kịp thời văn bản trái pháp luật.",
            field: "2",
            lead: "STP",
            cooperators: &[],
            due: None,
            output: "Báo cáo theo dõi thi hành pháp luật",
            done: None,
        },
        DemoTask {
            text: "Công khai đầy đủ, đúng hạn thủ tục hành chính trên Cơ sở dữ liệu quốc gia; nâng tỷ lệ hồ sơ giải quyết đúng hạn trên 95%.",
            field: "3",
            lead: "VP-UBND",
            cooperators: &["SKHCN"],
            due: Some(-90),
            output: "Quyết định công bố danh mục TTHC",
            done: Some(-95),
        },
        DemoTask {
            text: "Số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực; tỷ lệ số hóa đạt 100% hồ sơ tiếp nhận.",
            field: "3",
            lead: "VP-UBND",
            cooperators: &["SKHCN", "STC"],
            due: Some(45),
            output: "Báo cáo kết quả số hóa",
            done: None,
        },
        DemoTask {
            text: "Sắp xếp tổ chức bộ máy các cơ quan chuyên môn sau hợp nhất; ban hành quy định chức năng, nhiệm vụ.",
            field: "4",
            lead: "SNV",
            cooperators: &[],
            due: Some(-120),
            output: "Quyết định quy định chức năng, nhiệm vụ",
            done: Some(-100),
        },
        DemoTask {
            text: "Đánh giá, xếp loại công chức theo kết quả thực hiện nhiệm vụ; công khai kết quả tuyển dụng đúng quy định.",
            field: "5",
            lead: "SNV",
            cooperators: &[],
            due: Some(20),
            output: "Báo cáo đánh giá, xếp loại",
            done: None,
        },
        DemoTask {
            text: "Giải ngân vốn đầu tư công đạt trên 95% kế hoạch được giao; công khai dự toán, quyết toán ngân sách.",
            field: "6",
            lead: "STC",
            cooperators: &["SXD"],
            due: Some(-10),
            output: "Báo cáo giải ngân vốn đầu tư công",
            done: None,
        },
        DemoTask {
            text: "Nâng tỷ lệ văn bản điện tử được ký số, gửi nhận trên trục liên thông đạt 100%.",
            field: "7",
            lead: "SKHCN",
            cooperators: &["VP-UBND"],
            due: Some(-30),
            output: "Báo cáo kết quả chuyển đổi số",
            done: Some(-35),
        },
    ]
}

/// The demo's survey of departments: each questionnaire (YAML, in `examples/surveys/so-nganh`),
/// the forms asked of each department, and the group's weight where groups share a criterion
/// (8.4: citizens 0,7, businesses 0,3).
pub const SURVEY_QUESTIONNAIRES: [(&str, u32, &str); 5] = [
    (
        include_str!("../../../examples/surveys/so-nganh/dai-bieu.yaml"),
        10,
        "1",
    ),
    (
        include_str!("../../../examples/surveys/so-nganh/lanh-dao.yaml"),
        15,
        "1",
    ),
    (
        include_str!("../../../examples/surveys/so-nganh/cong-chuc.yaml"),
        20,
        "1",
    ),
    (
        include_str!("../../../examples/surveys/so-nganh/nguoi-dan.yaml"),
        30,
        "0.7",
    ),
    (
        include_str!("../../../examples/surveys/so-nganh/doanh-nghiep.yaml"),
        10,
        "0.3",
    ),
];

/// How many of its `quota` forms a demo department returned for a group: most meet it, about
/// one in five falls a few short.
pub fn sample_returned(unit_code: &str, group: &str, quota: u32) -> u32 {
    let r = roll(unit_code, group, 5);
    if r < 20 {
        quota.saturating_sub(1 + (r % 4) as u32)
    } else {
        quota
    }
}

/// Whether the demo council lowered an item in round 1, and why; `Some(true)` when it also asked
/// the unit to explain.
pub fn sample_appraisal(unit_code: &str, item: &str) -> Option<(&'static str, bool)> {
    const REASONS: [&str; 4] = [
        "Tài liệu kiểm chứng chưa thể hiện đủ nội dung theo hướng dẫn.",
        "Văn bản ban hành sau thời hạn quy định.",
        "Số liệu chưa khớp với Hệ thống thông tin giải quyết TTHC.",
        "Báo cáo chưa đúng đề cương, thiếu biểu mẫu kèm theo.",
    ];
    let r = roll(unit_code, item, 2);
    (r < 12).then(|| (REASONS[(r % 4) as usize], r.is_multiple_of(2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{ParentInfo, UnitDraft, validate};
    use std::collections::HashMap;

    #[test]
    fn the_demo_province_obeys_every_unit_rule() {
        let units = units();
        let mut seen: HashMap<&str, &DemoUnit> = HashMap::new();
        for u in &units {
            let parent = u.parent_code.as_deref().map(|c| {
                let p = seen
                    .get(c)
                    .unwrap_or_else(|| panic!("{} before its parent {c}", u.code));
                ParentInfo {
                    unit_type: p.unit_type,
                    valid_from: p.valid_from,
                    valid_to: p.valid_to,
                }
            });
            let draft = UnitDraft {
                code: u.code.clone(),
                name: u.name.clone(),
                unit_type: u.unit_type,
                valid_from: u.valid_from,
                valid_to: u.valid_to,
            };
            assert_eq!(validate(&draft, parent.as_ref()), vec![], "{}", u.code);
            assert!(
                seen.insert(&u.code, u).is_none(),
                "duplicate code {}",
                u.code
            );
        }
        let today = day(2026, 1, 1);
        let active = |t: UnitType| {
            units
                .iter()
                .filter(|u| u.unit_type == t && u.valid_to.is_none_or(|e| e >= today))
                .count()
        };
        assert_eq!(active(UnitType::Department), 15);
        assert_eq!(active(UnitType::Commune), 40);
        assert_eq!(active(UnitType::District), 0);
    }

    #[test]
    fn every_role_has_a_demo_account_in_an_existing_unit() {
        let codes: Vec<String> = units().into_iter().map(|u| u.code).collect();
        for role in Role::ALL {
            assert!(
                accounts().iter().any(|a| a.roles.contains(&role)),
                "{role:?}"
            );
        }
        for a in accounts() {
            assert!(codes.iter().any(|c| c == a.unit_code), "{}", a.unit_code);
        }
    }
}
