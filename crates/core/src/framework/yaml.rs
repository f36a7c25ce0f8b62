//! The YAML form of a framework (see `docs/framework-format.md`).

use super::model::Framework;
use crate::lang::Lang;

/// A file that is not a framework at all (bad YAML, wrong types, unknown keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl FormatError {
    /// "Dòng 12, cột 5: …".
    pub fn message(&self, lang: Lang) -> String {
        match (self.line, self.column, lang) {
            (Some(l), Some(c), Lang::Vi) => format!("Dòng {l}, cột {c}: {}", self.message),
            (Some(l), Some(c), Lang::En) => format!("Line {l}, column {c}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Reads a framework from YAML text.
pub fn from_yaml(text: &str) -> Result<Framework, FormatError> {
    serde_saphyr::from_str::<Framework>(text).map_err(|e| {
        let location = e.location();
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("").trim();
        FormatError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: translate(strip_location(first)),
        }
    })
}

/// The library prefixes "error: line L column C: "; the location is reported separately.
fn strip_location(message: &str) -> &str {
    let m = message.strip_prefix("error: ").unwrap_or(message);
    if m.starts_with("line ")
        && let Some(i) = m.find(": ")
    {
        return &m[i + 2..];
    }
    m
}

/// Serde's usual messages in Vietnamese, so that a province's officer can act on them.
fn translate(message: &str) -> String {
    let between = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = s[start..].find('`')? + start;
        Some(s[start..end].to_string())
    };
    let after = |s: &str, marker: &str| s.find(marker).map(|i| s[i + marker.len()..].to_string());
    if message.starts_with("missing field")
        && let Some(f) = between(message)
    {
        return format!("thiếu mục bắt buộc \"{f}\"");
    }
    if message.starts_with("unknown field")
        && let (Some(f), Some(list)) = (between(message), after(message, "expected one of "))
    {
        return format!("không có mục \"{f}\"; các mục hợp lệ: {list}");
    }
    if message.starts_with("unknown variant")
        && let (Some(v), Some(list)) = (between(message), after(message, "expected one of "))
    {
        return format!("giá trị \"{v}\" không hợp lệ; dùng một trong: {list}");
    }
    if message.starts_with("duplicate field")
        && let Some(f) = between(message)
    {
        return format!("mục \"{f}\" bị khai báo hai lần");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("sai kiểu dữ liệu ({rest})");
    }
    // Our own messages are Vietnamese already; the parser's remaining ones are syntax errors.
    if message.is_ascii() {
        return format!("tệp YAML sai cú pháp ({message})");
    }
    message.to_string()
}

/// Writes a framework as YAML.
pub fn to_yaml(f: &Framework) -> String {
    serde_saphyr::to_string(f).expect("a framework always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::{Band, Level, Node, Rule};
    use crate::framework::points::Points;
    use crate::framework::validate::validate;
    use crate::units::UnitType;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// Points in quarters, from 0,25 to `max_quarters` × 0,25.
    fn quarters(max_quarters: i64) -> impl Strategy<Value = Points> {
        (1..=max_quarters).prop_map(|q| Points::from_scaled(q * 2500))
    }

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-zĐđàáảãạăắâấêếôốơớưứ ,:\\-]{1,30}".prop_map(|s| format!("Tiêu chí {}", s.trim()))
    }

    /// A scored leaf with a rule consistent with its max.
    fn leaf(code: String) -> impl Strategy<Value = Node> {
        (quarters(12), text(), 0..7u8, proptest::option::of(text())).prop_map(
            move |(max, name, kind, guidance)| {
                let half = Points::from_scaled(max.to_scaled().unwrap() / 2 / 2500 * 2500);
                let rule = match kind {
                    0 => Rule::Manual {
                        step: Points::from_scaled(2500),
                    },
                    1 => Rule::Boolean,
                    2 => Rule::Levels {
                        levels: vec![
                            Level {
                                label: "Đạt".into(),
                                points: max,
                            },
                            Level {
                                label: "Đạt một phần".into(),
                                points: half,
                            },
                            Level {
                                label: "Không đạt".into(),
                                points: Points::ZERO,
                            },
                        ],
                    },
                    3 => Rule::Bands {
                        numerator: "Số đạt".into(),
                        denominator: "Tổng số".into(),
                        bands: vec![
                            Band {
                                from: Points::ZERO,
                                to: Points::from_scaled(700_000),
                                points: Points::ZERO,
                                exclusive_from: false,
                            },
                            Band {
                                from: Points::from_scaled(700_000),
                                to: Points::from_scaled(900_000),
                                points: half,
                                exclusive_from: false,
                            },
                            Band {
                                from: Points::from_scaled(900_000),
                                to: Points::from_scaled(1_000_000),
                                points: max,
                                exclusive_from: true,
                            },
                        ],
                    },
                    4 => Rule::Proportional {
                        numerator: "Đúng hạn".into(),
                        denominator: "Tổng".into(),
                    },
                    5 => Rule::Survey {
                        measure: Some("Hài lòng".into()),
                    },
                    _ => Rule::Manual {
                        step: Points::from_scaled(5000 / 2),
                    },
                };
                Node {
                    code: code.clone(),
                    name,
                    name_en: None,
                    max: Some(max),
                    guidance,
                    evidence: None,
                    illustrative: kind == 6,
                    lead_unit: None,
                    survey_max: None,
                    allow_not_applicable: kind == 1,
                    not_applicable_when: BTreeMap::new(),
                    rule: Some(rule),
                    children: vec![],
                }
            },
        )
    }

    fn branch(code: String, children: Vec<Node>, name: String) -> Node {
        let max = children.iter().map(Node::counted_max).sum();
        Node {
            code,
            name,
            name_en: None,
            max: Some(max),
            guidance: None,
            evidence: None,
            illustrative: false,
            lead_unit: None,
            survey_max: None,
            allow_not_applicable: false,
            not_applicable_when: BTreeMap::new(),
            rule: None,
            children,
        }
    }

    fn criterion(code: String) -> impl Strategy<Value = Node> {
        let c = code.clone();
        prop_oneof![
            leaf(code.clone()),
            (1..4usize, text()).prop_flat_map(move |(n, name)| {
                let c = c.clone();
                (0..n)
                    .map(|i| leaf(format!("{c}.{}", i + 1)))
                    .collect::<Vec<_>>()
                    .prop_map(move |kids| branch(c.clone(), kids, name.clone()))
            }),
        ]
    }

    fn field(code: String) -> impl Strategy<Value = Node> {
        (1..4usize, text(), any::<bool>()).prop_flat_map(move |(n, name, exempt)| {
            let c = code.clone();
            (0..n)
                .map(|i| criterion(format!("{c}.{}", i + 1)))
                .collect::<Vec<_>>()
                .prop_map(move |kids| {
                    let mut f = branch(c.clone(), kids, name.clone());
                    f.lead_unit = Some("SNV".into());
                    if exempt {
                        f.not_applicable_when.insert("has_procedures".into(), false);
                    }
                    f
                })
        })
    }

    fn framework() -> impl Strategy<Value = Framework> {
        (1..5usize, 2020..2031i32, 1..4u32).prop_flat_map(|(n, year, version)| {
            (0..n)
                .map(|i| field(format!("{}", i + 1)))
                .collect::<Vec<_>>()
                .prop_map(move |fields| Framework {
                    code: "generated".into(),
                    name: "Bộ chỉ số sinh ngẫu nhiên".into(),
                    name_en: Some("Generated framework".into()),
                    unit_type: UnitType::Commune,
                    year,
                    version,
                    decision: Some("01/QĐ-UBND ngày 02/01/2025".into()),
                    source: None,
                    illustrative: true,
                    max: fields.iter().map(Node::counted_max).sum(),
                    fields,
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_valid_framework_survives_yaml_unchanged(f in framework()) {
            prop_assert_eq!(validate(&f), vec![]);
            let text = to_yaml(&f);
            let back = from_yaml(&text);
            prop_assert_eq!(back.as_ref().ok(), Some(&f), "YAML was:\n{}", text);
        }
    }

    #[test]
    fn format_errors_are_located_and_in_vietnamese() {
        let e = from_yaml(
            "code: x\nname: y\nunit_type: province\nyear: 2025\nmax: 1\nfields: []\nbogus: 1\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(
            e.message(Lang::Vi)
                .starts_with("Dòng 7, cột 1: không có mục \"bogus\""),
            "{}",
            e.message(Lang::Vi)
        );
    }
}
