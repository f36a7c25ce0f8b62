//! Generated valid frameworks, for property tests here and in other crates
//! (feature `arbitrary`).

use super::model::{Band, Framework, Level, Node, Rule};
use super::points::Points;
use crate::units::UnitType;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Points in quarters, from 0,25 to `max_quarters` × 0,25.
fn quarters(max_quarters: i64) -> impl Strategy<Value = Points> {
    (1..=max_quarters).prop_map(|q| Points::from_scaled(q * 2500))
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-zĐđàáảãạăắâấêếôốơớưứ ,:\\-]{1,30}"
        .prop_map(|s| format!("Tiêu chí {}", s.trim()).trim().to_string())
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
                previous_code: (kind == 2).then(|| format!("{code}.0")),
                from_records: None,
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
        previous_code: None,
        from_records: None,
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

pub fn framework() -> impl Strategy<Value = Framework> {
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
