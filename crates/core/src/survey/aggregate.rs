//! Satisfaction per unit, group and question, and per unit and measure.
//!
//! - **Question**: the mean weight of the non-blank answers, `n` of them, with a 95 % interval
//!   ([`super::interval`]).
//! - **Measure within a group**: the mean over the group's questions measuring it (each
//!   question counts once, however many answered it); its `n` is the number of forms with at
//!   least one of those questions answered.
//! - **Measure across groups**: the weighted mean of the groups that have answers, the
//!   configured weights renormalised over them. A group whose questionnaire measures it but
//!   which has no answers for the unit is listed in `missing_groups`, not counted as 0.
//!   `n` is the sum of the groups' `n` (forms of different groups are different people).
//! - **Interval of a measure**: each form's score is the mean of its answers to the measure's
//!   questions; a group's standard error is the forms' sample standard deviation ÷ √n, and the
//!   groups' errors combine with the squared weights: est ± 1,96 · √(Σ wᵍ² seᵍ²). It is an
//!   approximation (the estimate weights questions, the error weights forms), stated as such.
//!
//! Speed: answers are counted per unit and answer level in flat arrays (a few integer
//! additions per answer, no lookup by code in the loop), and every mean is computed from those
//! counts afterwards. Counting also makes the results independent of the order of the forms,
//! to the last bit.

use super::interval::{self, Interval};
use super::questionnaire::Questionnaire;
use super::responses::Response;
use super::sipas;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A questionnaire with the responses accepted for it.
#[derive(Debug, Clone, Copy)]
pub struct Survey<'a> {
    pub questionnaire: &'a Questionnaire,
    pub responses: &'a [Response],
}

/// The weight of each respondent group when a measure combines groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupWeights(Vec<(String, f64)>);

impl GroupWeights {
    /// Every group weighs the same.
    pub fn equal() -> GroupWeights {
        GroupWeights(Vec::new())
    }

    /// Configured weights (any positive scale: 3 and 1 are 75 % and 25 %). A group that is not
    /// listed weighs 0 and is reported in [`Aggregation::unweighted_groups`]. `None` when a
    /// weight is negative or not a number.
    pub fn new(weights: impl IntoIterator<Item = (String, f64)>) -> Option<GroupWeights> {
        let list: Vec<(String, f64)> = weights.into_iter().collect();
        list.iter()
            .all(|(_, w)| w.is_finite() && *w >= 0.0)
            .then_some(GroupWeights(list))
    }

    /// The configured weights, as given (empty: equal weights).
    pub fn entries(&self) -> &[(String, f64)] {
        &self.0
    }

    /// The weight of a group, and whether it was configured.
    pub fn weight(&self, group: &str) -> (f64, bool) {
        if self.0.is_empty() {
            return (1.0, true);
        }
        match self.0.iter().find(|(g, _)| g == group) {
            Some((_, w)) => (*w, true),
            None => (0.0, false),
        }
    }
}

/// Satisfaction with one question among one unit's forms of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStat {
    pub unit: String,
    pub group: String,
    pub questionnaire: String,
    pub question: String,
    /// Percent; `None` when nobody answered.
    #[serde(serialize_with = "super::report::percent_opt")]
    pub satisfaction: Option<f64>,
    /// Non-blank answers.
    pub n: u32,
    #[serde(serialize_with = "super::report::interval")]
    pub ci95: Option<Interval>,
}

/// How many forms a unit has from a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCount {
    pub unit: String,
    pub group: String,
    pub responses: u32,
}

/// One group's part in a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPart {
    pub group: String,
    /// Percent: the mean over the group's questions measuring it.
    #[serde(serialize_with = "super::report::percent")]
    pub satisfaction: f64,
    /// Forms with at least one of those questions answered.
    pub n: u32,
    /// Questions with answers.
    pub questions: u32,
    /// The share of the measure, after renormalising (0 for a group with no weight).
    #[serde(serialize_with = "super::report::share")]
    pub weight: f64,
}

/// Satisfaction with a measure (sub-criterion or SIPAS element) for a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureStat {
    pub unit: String,
    pub measure: String,
    /// Percent.
    #[serde(serialize_with = "super::report::percent")]
    pub satisfaction: f64,
    /// Forms contributing, over the groups that count.
    pub n: u32,
    #[serde(serialize_with = "super::report::interval")]
    pub ci95: Option<Interval>,
    pub groups: Vec<GroupPart>,
    /// Groups that measure it but have no answers for this unit.
    pub missing_groups: Vec<String>,
}

/// Everything computed from a set of surveys. Rows are ordered by unit code, then group,
/// questionnaire order or measure code.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregation {
    /// Unit codes with at least one form, sorted.
    pub units: Vec<String>,
    pub questions: Vec<QuestionStat>,
    pub groups: Vec<GroupCount>,
    pub measures: Vec<MeasureStat>,
    /// Groups with answers but no configured weight (their answers count for nothing).
    pub unweighted_groups: Vec<String>,
}

/// The key of a measure: trimmed, SIPAS elements in upper case (`sipas.1` is `SIPAS.1`).
pub fn measure_key(measure: &str) -> String {
    let m = measure.trim();
    match sipas::element(m) {
        Some(k) => sipas::code(k),
        None => m.to_string(),
    }
}

/// Orders codes as people number them: `2.10` after `2.9`, numbers before names.
pub fn code_order(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// A form's score on a measure, in millionths of a percent: fixed point, so that sums do not
/// depend on the order of the forms.
const SCORE_SCALE: f64 = 1e6;

/// Per unit, group and measure, while summing.
#[derive(Debug, Clone, Default)]
struct Part {
    /// Sum of the question means and how many questions had answers.
    sum_means: f64,
    questions: u32,
    /// Forms' scores: count, sum and sum of squares (fixed point).
    forms: u32,
    sum: i64,
    sum_sq: i128,
}

/// A scored question of one questionnaire, flattened.
struct Slot<'q> {
    code: &'q str,
    /// Position among the questionnaire's questions (the answers' index).
    index: usize,
    /// First level's position in a unit's block of counts.
    offset: usize,
    levels: Vec<f64>,
    binary: bool,
    /// Position among the questionnaire's own measures.
    measure: Option<usize>,
}

/// Computes everything for a set of surveys (one questionnaire per group, usually).
pub fn aggregate(surveys: &[Survey<'_>], weights: &GroupWeights) -> Aggregation {
    let mut units: Vec<&str> = surveys
        .iter()
        .flat_map(|s| s.responses.iter().map(|r| r.unit.as_str()))
        .collect();
    units.sort_unstable();
    units.dedup();
    let unit_index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut groups: Vec<&str> = surveys
        .iter()
        .map(|s| s.questionnaire.group.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let group_index = |g: &str| groups.iter().position(|x| *x == g).unwrap_or(0);
    let mut measures: Vec<String> = surveys
        .iter()
        .flat_map(|s| s.questionnaire.questions())
        .filter(|q| q.kind.is_scored())
        .filter_map(|q| q.measures.as_deref())
        .map(measure_key)
        .filter(|m| !m.is_empty())
        .collect();
    measures.sort_by(|a, b| code_order(a, b));
    measures.dedup();
    // Which groups measure what, for reporting groups without answers.
    let mut measured_by: Vec<Vec<usize>> = vec![Vec::new(); measures.len()];

    let mut out = Aggregation {
        units: units.iter().map(|u| u.to_string()).collect(),
        ..Default::default()
    };
    let mut parts: HashMap<(usize, usize, usize), Part> = HashMap::new();
    let mut counts_per_group: HashMap<(usize, usize), u32> = HashMap::new();
    let mut answered_groups = vec![false; groups.len()];

    for survey in surveys {
        let q = survey.questionnaire;
        let g = group_index(&q.group);
        // The questionnaire's own measures → global measure positions.
        let mut local: Vec<usize> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut width = 0;
        for (index, question) in q.questions().enumerate() {
            if !question.kind.is_scored() {
                continue;
            }
            let levels = question.levels();
            let measure = question
                .measures
                .as_deref()
                .map(measure_key)
                .and_then(|m| measures.iter().position(|x| *x == m))
                .map(|global| match local.iter().position(|x| *x == global) {
                    Some(l) => l,
                    None => {
                        local.push(global);
                        local.len() - 1
                    }
                });
            slots.push(Slot {
                code: &question.code,
                index,
                offset: width,
                binary: question.is_binary(),
                levels,
                measure,
            });
            width += slots.last().map_or(0, |s| s.levels.len());
        }
        for &m in &local {
            if !measured_by[m].contains(&g) {
                measured_by[m].push(g);
            }
        }

        // The loop over every answer: integer counts only.
        let mut counts = vec![0u32; units.len() * width];
        let mut forms = vec![0u32; units.len()];
        let mut form_stats = vec![(0u32, 0i64, 0i128); units.len() * local.len()];
        let mut scratch = vec![(0.0f64, 0u32); local.len()];
        for r in survey.responses {
            let Some(&u) = unit_index.get(r.unit.as_str()) else {
                continue;
            };
            forms[u] += 1;
            let block = &mut counts[u * width..(u + 1) * width];
            for slot in &slots {
                let Some(level) = r.answers.get(slot.index).and_then(|a| a.level()) else {
                    continue;
                };
                let Some(&w) = slot.levels.get(level) else {
                    continue;
                };
                block[slot.offset + level] += 1;
                if let Some(m) = slot.measure {
                    scratch[m].0 += w;
                    scratch[m].1 += 1;
                }
            }
            for (m, s) in scratch.iter_mut().enumerate() {
                if s.1 > 0 {
                    let score = (s.0 / f64::from(s.1) * SCORE_SCALE).round() as i64;
                    let stat = &mut form_stats[u * local.len() + m];
                    stat.0 += 1;
                    stat.1 += score;
                    stat.2 += i128::from(score) * i128::from(score);
                }
                *s = (0.0, 0);
            }
        }

        // Means from the counts.
        for (u, unit) in units.iter().enumerate() {
            if forms[u] == 0 {
                continue;
            }
            answered_groups[g] = true;
            *counts_per_group.entry((u, g)).or_default() += forms[u];
            let block = &counts[u * width..(u + 1) * width];
            for slot in &slots {
                let c = &block[slot.offset..slot.offset + slot.levels.len()];
                let (n, mean, sd) = moments(c, &slot.levels);
                let satisfaction = (n > 0).then_some(mean);
                let ci95 = if slot.binary {
                    interval::wilson(mean, n)
                } else {
                    interval::normal(mean, sd, n)
                };
                out.questions.push(QuestionStat {
                    unit: unit.to_string(),
                    group: q.group.clone(),
                    questionnaire: q.code.clone(),
                    question: slot.code.to_string(),
                    satisfaction,
                    n,
                    ci95: satisfaction.and(ci95),
                });
                if let (Some(m), true) = (slot.measure, n > 0) {
                    let part = parts.entry((u, local[m], g)).or_default();
                    part.sum_means += mean;
                    part.questions += 1;
                }
            }
            for (m, &global) in local.iter().enumerate() {
                let (forms, sum, sum_sq) = form_stats[u * local.len() + m];
                if forms == 0 {
                    continue;
                }
                let part = parts.entry((u, global, g)).or_default();
                part.forms += forms;
                part.sum += sum;
                part.sum_sq += sum_sq;
            }
        }
    }

    for by in &mut measured_by {
        by.sort_unstable();
    }
    for ((u, g), responses) in {
        let mut v: Vec<_> = counts_per_group.into_iter().collect();
        v.sort_unstable();
        v
    } {
        out.groups.push(GroupCount {
            unit: units[u].to_string(),
            group: groups[g].to_string(),
            responses,
        });
    }
    for (g, answered) in answered_groups.iter().enumerate() {
        if *answered && !weights.weight(groups[g]).1 {
            out.unweighted_groups.push(groups[g].to_string());
        }
    }

    for (u, unit) in units.iter().enumerate() {
        for (m, measure) in measures.iter().enumerate() {
            let mut stat_parts = Vec::new();
            let mut missing = Vec::new();
            let mut total_weight = 0.0;
            for &g in &measured_by[m] {
                match parts.get(&(u, m, g)) {
                    Some(p) if p.questions > 0 => {
                        let w = weights.weight(groups[g]).0;
                        total_weight += w;
                        stat_parts.push((g, p, w));
                    }
                    _ => missing.push(groups[g].to_string()),
                }
            }
            if stat_parts.is_empty() || total_weight <= 0.0 {
                continue;
            }
            let mut estimate = 0.0;
            let mut n = 0;
            let mut variance = 0.0;
            let mut interval_known = true;
            let mut group_parts = Vec::new();
            for (g, p, w) in stat_parts {
                let share = w / total_weight;
                let satisfaction = p.sum_means / f64::from(p.questions);
                estimate += share * satisfaction;
                if share > 0.0 {
                    n += p.forms;
                    match form_variance(p) {
                        Some(v) => variance += share * share * v / f64::from(p.forms),
                        None => interval_known = false,
                    }
                }
                group_parts.push(GroupPart {
                    group: groups[g].to_string(),
                    satisfaction,
                    n: p.forms,
                    questions: p.questions,
                    weight: share,
                });
            }
            let estimate = estimate.clamp(0.0, 100.0);
            let ci95 = interval_known.then(|| interval::around(estimate, variance.sqrt()));
            out.measures.push(MeasureStat {
                unit: unit.to_string(),
                measure: measure.clone(),
                satisfaction: estimate,
                n,
                ci95,
                groups: group_parts,
                missing_groups: missing,
            });
        }
    }
    out
}

/// Count, mean and sample standard deviation of answers counted per level; the mean is kept
/// within the levels' range (summing can leave it an ulp outside).
fn moments(counts: &[u32], levels: &[f64]) -> (u32, f64, f64) {
    let n: u32 = counts.iter().sum();
    if n == 0 {
        return (0, 0.0, 0.0);
    }
    let nf = f64::from(n);
    let sum: f64 = counts
        .iter()
        .zip(levels)
        .map(|(&c, &w)| f64::from(c) * w)
        .sum();
    let (lo, hi) = counts
        .iter()
        .zip(levels)
        .filter(|(c, _)| **c > 0)
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, &w)| {
            (lo.min(w), hi.max(w))
        });
    let mean = (sum / nf).clamp(lo, hi);
    let sd = if n < 2 {
        0.0
    } else {
        let ss: f64 = counts
            .iter()
            .zip(levels)
            .map(|(&c, &w)| f64::from(c) * (w - mean) * (w - mean))
            .sum();
        (ss / (nf - 1.0)).sqrt()
    };
    (n, mean, sd)
}

/// The sample variance of the forms' scores (percent²), with at least 2 forms.
fn form_variance(p: &Part) -> Option<f64> {
    if p.forms < 2 {
        return None;
    }
    let n = i128::from(p.forms);
    let sum = i128::from(p.sum);
    // n·Σx² − (Σx)² is exact in integers, and never negative.
    let numerator = (n * p.sum_sq - sum * sum).max(0) as f64;
    Some(numerator / (n as f64 * (n - 1) as f64) / (SCORE_SCALE * SCORE_SCALE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::responses::parse_responses;
    use crate::survey::yaml::from_yaml;

    fn questionnaire(group: &str) -> Questionnaire {
        from_yaml(&format!(
            r#"
code: q-{group}
title: Phiếu
group: {group}
sections:
  - title: Chung
    questions:
      - code: Q1
        text: Đánh giá?
        kind: choice
        measures: "2.5.1"
        options:
          - {{ code: A, label: Tốt, weight: 100 }}
          - {{ code: B, label: Khá, weight: 60 }}
          - {{ code: C, label: Trung bình, weight: 20 }}
          - {{ code: D, label: Kém, weight: 0 }}
      - {{ code: Q2, text: Hài lòng?, kind: yes_no, measures: "2.5.1" }}
      - {{ code: Q3, text: Mức độ?, kind: likert, scale: 5, measures: "2.5.2" }}
      - {{ code: Q4, text: Số lần?, kind: number }}
"#
        ))
        .unwrap()
    }

    #[test]
    fn a_small_survey_by_hand() {
        let q = questionnaire("lanh_dao_so");
        let parsed = parse_responses(
            &q,
            "unit,group,respondent,Q1,Q2,Q3,Q4\n\
             DV1,lanh_dao_so,r1,A,có,5,2\n\
             DV1,lanh_dao_so,r2,B,không,,1\n\
             DV1,lanh_dao_so,r3,C,,3,\n\
             DV2,,r4,A,có,4,0\n",
        )
        .unwrap();
        assert_eq!(parsed.problems, vec![]);
        let a = aggregate(
            &[Survey {
                questionnaire: &q,
                responses: &parsed.responses,
            }],
            &GroupWeights::equal(),
        );
        assert_eq!(a.units, vec!["DV1", "DV2"]);
        let q1 = &a.questions[0];
        assert_eq!(
            (q1.unit.as_str(), q1.question.as_str(), q1.n),
            ("DV1", "Q1", 3)
        );
        assert_eq!(q1.satisfaction, Some(60.0));
        let q2 = &a.questions[1];
        assert_eq!((q2.n, q2.satisfaction), (2, Some(50.0)));
        let q3 = &a.questions[2];
        assert_eq!((q3.n, q3.satisfaction), (2, Some(75.0)));
        // 2.5.1 for DV1: mean of Q1 (60) and Q2 (50); 3 forms answered one of them.
        let m = &a.measures[0];
        assert_eq!((m.unit.as_str(), m.measure.as_str()), ("DV1", "2.5.1"));
        assert!((m.satisfaction - 55.0).abs() < 1e-9);
        assert_eq!(m.n, 3);
        assert!(m.ci95.unwrap().contains(m.satisfaction));
        // DV2 has one form: no intervals.
        let dv2: Vec<_> = a.measures.iter().filter(|m| m.unit == "DV2").collect();
        assert_eq!(dv2.len(), 2);
        assert!(dv2.iter().all(|m| m.ci95.is_none() && m.n == 1));
        assert_eq!(
            a.groups,
            vec![
                GroupCount {
                    unit: "DV1".into(),
                    group: "lanh_dao_so".into(),
                    responses: 3
                },
                GroupCount {
                    unit: "DV2".into(),
                    group: "lanh_dao_so".into(),
                    responses: 1
                }
            ]
        );
    }

    #[test]
    fn groups_combine_with_renormalised_weights_and_missing_groups_are_named() {
        let leaders = questionnaire("lanh_dao_so");
        let citizens = questionnaire("nguoi_dan");
        let l = parse_responses(&leaders, "unit,Q1,Q2,Q3\nDV1,A,có,5\nDV2,D,không,1\n").unwrap();
        let c = parse_responses(&citizens, "unit,Q1,Q2,Q3\nDV1,C,không,3\n").unwrap();
        let weights =
            GroupWeights::new([("lanh_dao_so".to_string(), 3.0), ("nguoi_dan".into(), 1.0)])
                .unwrap();
        let a = aggregate(
            &[
                Survey {
                    questionnaire: &leaders,
                    responses: &l.responses,
                },
                Survey {
                    questionnaire: &citizens,
                    responses: &c.responses,
                },
            ],
            &weights,
        );
        let dv1 = a
            .measures
            .iter()
            .find(|m| m.unit == "DV1" && m.measure == "2.5.1")
            .unwrap();
        // Leaders 100, citizens 10: 0,75 × 100 + 0,25 × 10.
        assert!((dv1.satisfaction - 77.5).abs() < 1e-9, "{dv1:?}");
        assert_eq!(dv1.n, 2);
        assert_eq!(dv1.missing_groups, Vec::<String>::new());
        let dv2 = a
            .measures
            .iter()
            .find(|m| m.unit == "DV2" && m.measure == "2.5.1")
            .unwrap();
        // Citizens did not answer for DV2: leaders alone, at full weight.
        assert_eq!(dv2.satisfaction, 0.0);
        assert_eq!(dv2.groups.len(), 1);
        assert_eq!(dv2.groups[0].weight, 1.0);
        assert_eq!(dv2.missing_groups, vec!["nguoi_dan"]);
        assert_eq!(a.unweighted_groups, Vec::<String>::new());
        let only_leaders = GroupWeights::new([("lanh_dao_so".to_string(), 1.0)]).unwrap();
        let b = aggregate(
            &[
                Survey {
                    questionnaire: &leaders,
                    responses: &l.responses,
                },
                Survey {
                    questionnaire: &citizens,
                    responses: &c.responses,
                },
            ],
            &only_leaders,
        );
        assert_eq!(b.unweighted_groups, vec!["nguoi_dan"]);
    }

    #[test]
    fn codes_sort_as_numbered() {
        let mut v = vec!["2.10", "SIPAS.1", "2.9", "10.1", "2.9.1"];
        v.sort_by(|a, b| code_order(a, b));
        assert_eq!(v, vec!["2.9", "2.9.1", "2.10", "10.1", "SIPAS.1"]);
    }
}
