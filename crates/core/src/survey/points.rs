//! Survey points of a framework's survey leaves: points = the leaf's maximum × the satisfaction
//! ratio, as published (a percentage with 2 decimals, so a ratio with 4), rounded to 2
//! decimals half away from zero. Exact decimals throughout; the ratio is clamped to 0–1, so
//! points never exceed the maximum.
//!
//! A leaf takes the measure whose code is the leaf's code (`measures: "2.5.1"`), or else the
//! one named by its rule's `measure` text (`rule: { type: survey, measure: SIPAS.1 }`);
//! both compared without regard to case or diacritics.

use super::aggregate::{Aggregation, MeasureStat};
use crate::framework::{Framework, Points, Rule};
use crate::results::{SurveySample, published};
use crate::text::fold;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::HashMap;

/// Decimal places of survey points.
pub const POINT_PLACES: u32 = 2;

/// A unit's points on one survey leaf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointRow {
    pub unit: String,
    /// The leaf's code.
    pub node: String,
    pub points: Points,
    /// Forms behind the ratio.
    pub n: u32,
    /// Satisfaction ÷ 100, four decimals.
    #[serde(serialize_with = "super::report::decimal")]
    pub ratio: Decimal,
    /// The measure the points come from.
    pub measure: String,
}

impl PointRow {
    /// The sample behind the points, for rank stability.
    pub fn sample(&self) -> SurveySample {
        SurveySample {
            code: self.node.clone(),
            n: self.n,
            ratio: Some(self.ratio),
        }
    }
}

/// A survey leaf with no answers for a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingLeaf {
    pub unit: String,
    pub node: String,
}

/// The points of every survey leaf for every unit with answers, and what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SurveyPoints {
    pub rows: Vec<PointRow>,
    /// Leaves a unit has no answers for (the unit has answers for other measures).
    pub missing: Vec<MissingLeaf>,
    /// Survey leaves that no unit has answers for.
    pub unmeasured: Vec<String>,
}

/// The ratio of a satisfaction percentage as published: 2 decimals of percent, within 0–1.
pub fn ratio(satisfaction: f64) -> Decimal {
    let percent = Decimal::from_f64(satisfaction.clamp(0.0, 100.0)).unwrap_or(Decimal::ZERO);
    (published(percent) / Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, Decimal::ONE)
}

/// Points for `max` at `ratio`, two decimals, half away from zero; never above `max` (a
/// maximum with more decimals, such as 0,125, would otherwise round up past itself).
pub fn points(max: Points, ratio: Decimal) -> Points {
    let exact = max.decimal() * ratio.clamp(Decimal::ZERO, Decimal::ONE);
    Points::new(
        exact
            .round_dp_with_strategy(POINT_PLACES, RoundingStrategy::MidpointAwayFromZero)
            .min(max.decimal()),
    )
}

/// The survey points of `framework`'s survey leaves from an aggregation.
pub fn survey_points(framework: &Framework, aggregation: &Aggregation) -> SurveyPoints {
    let by_key: HashMap<(&str, String), &MeasureStat> = aggregation
        .measures
        .iter()
        .map(|m| ((m.unit.as_str(), fold(&m.measure)), m))
        .collect();
    let leaves: Vec<(&str, Points, Vec<String>)> = framework
        .leaves()
        .into_iter()
        .filter_map(|n| match &n.rule {
            Some(Rule::Survey { measure }) => {
                let mut keys = vec![fold(&n.code)];
                keys.extend(measure.as_deref().map(fold));
                Some((n.code.as_str(), n.max.unwrap_or(Points::ZERO), keys))
            }
            _ => None,
        })
        .collect();
    let mut out = SurveyPoints::default();
    let mut measured = vec![false; leaves.len()];
    for unit in &aggregation.units {
        for (i, (code, max, keys)) in leaves.iter().enumerate() {
            let found = keys
                .iter()
                .find_map(|k| by_key.get(&(unit.as_str(), k.clone())));
            match found {
                Some(m) => {
                    measured[i] = true;
                    let r = ratio(m.satisfaction);
                    out.rows.push(PointRow {
                        unit: unit.clone(),
                        node: code.to_string(),
                        points: points(*max, r),
                        n: m.n,
                        ratio: r,
                        measure: m.measure.clone(),
                    });
                }
                None => out.missing.push(MissingLeaf {
                    unit: unit.clone(),
                    node: code.to_string(),
                }),
            }
        }
    }
    for (i, (code, _, _)) in leaves.iter().enumerate() {
        if !measured[i] {
            out.unmeasured.push(code.to_string());
        }
    }
    // A leaf nobody measured is reported once, not once per unit.
    out.missing.retain(|m| !out.unmeasured.contains(&m.node));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    fn stat(unit: &str, measure: &str, s: f64, n: u32) -> MeasureStat {
        MeasureStat {
            unit: unit.into(),
            measure: measure.into(),
            satisfaction: s,
            n,
            ci95: None,
            groups: vec![],
            missing_groups: vec![],
        }
    }

    #[test]
    fn points_are_max_times_the_published_ratio() {
        assert_eq!(ratio(87.324_9), Decimal::new(8732, 4));
        assert_eq!(ratio(87.325), Decimal::new(8733, 4));
        assert_eq!(ratio(120.0), Decimal::ONE);
        let p = points(Points::parse("1,5").unwrap(), Decimal::new(8733, 4));
        // 1,5 × 0,8733 = 1,30995 → 1,31.
        assert_eq!(p, Points::parse("1.31").unwrap());
    }

    #[test]
    fn leaves_take_their_code_or_their_rule_measure() {
        let f = from_yaml(
            r#"
code: t
name: T
unit_type: province
year: 2025
max: 3
fields:
  - code: "1"
    name: Lĩnh vực
    max: 3
    children:
      - { code: "1.1", name: A, max: 1, rule: { type: survey } }
      - { code: "1.2", name: B, max: 1.5, rule: { type: survey, measure: SIPAS.2 } }
      - { code: "1.3", name: C, max: 0.5, rule: { type: boolean } }
"#,
        )
        .unwrap();
        let a = Aggregation {
            units: vec!["U1".into(), "U2".into()],
            measures: vec![
                stat("U1", "1.1", 80.0, 30),
                stat("U1", "SIPAS.2", 66.666_666, 25),
                stat("U2", "1.1", 100.0, 2),
            ],
            ..Default::default()
        };
        let p = survey_points(&f, &a);
        assert_eq!(
            p.rows,
            vec![
                PointRow {
                    unit: "U1".into(),
                    node: "1.1".into(),
                    points: Points::parse("0.8").unwrap(),
                    n: 30,
                    ratio: Decimal::new(8, 1),
                    measure: "1.1".into(),
                },
                PointRow {
                    unit: "U1".into(),
                    node: "1.2".into(),
                    points: Points::parse("1").unwrap(),
                    n: 25,
                    ratio: Decimal::new(6667, 4),
                    measure: "SIPAS.2".into(),
                },
                PointRow {
                    unit: "U2".into(),
                    node: "1.1".into(),
                    points: Points::parse("1").unwrap(),
                    n: 2,
                    ratio: Decimal::ONE,
                    measure: "1.1".into(),
                },
            ]
        );
        assert_eq!(
            p.missing,
            vec![MissingLeaf {
                unit: "U2".into(),
                node: "1.2".into()
            }]
        );
        assert_eq!(p.unmeasured, Vec::<String>::new());
        assert_eq!(p.rows[1].sample().ratio, Some(Decimal::new(6667, 4)));
    }
}
