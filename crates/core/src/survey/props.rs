//! Properties of the survey arithmetic over generated questionnaires and answers.

use super::aggregate::{Aggregation, GroupWeights, Survey, aggregate};
use super::points::{points, ratio, survey_points};
use super::questionnaire::{ChoiceOption, Question, QuestionKind, Questionnaire, Section};
use super::responses::{Answer, Response};
use crate::framework::{Points, yaml::from_yaml};
use proptest::prelude::*;

const MEASURES: [&str; 2] = ["1.1", "1.2"];

fn blank_question(code: String, kind: QuestionKind, measure: usize) -> Question {
    Question {
        code,
        text: "?".into(),
        kind,
        options: vec![],
        scale: None,
        labels: vec![],
        yes_weight: None,
        min: None,
        max: None,
        measures: Some(MEASURES[measure].to_string()),
        required: false,
    }
}

/// A scored question (choice, Likert or yes/no) measuring one of [`MEASURES`].
fn question(i: usize) -> impl Strategy<Value = Question> {
    let code = format!("Q{i}");
    prop_oneof![
        (prop::collection::vec(0.0..=100.0f64, 2..5), 0..2usize).prop_map({
            let code = code.clone();
            move |(weights, m)| {
                let mut q = blank_question(code.clone(), QuestionKind::Choice, m);
                q.options = weights
                    .into_iter()
                    .enumerate()
                    .map(|(k, weight)| ChoiceOption {
                        code: format!("O{k}"),
                        label: format!("Phương án {k}"),
                        weight,
                    })
                    .collect();
                q
            }
        }),
        (3u32..=10, 0..2usize).prop_map({
            let code = code.clone();
            move |(scale, m)| {
                let mut q = blank_question(code.clone(), QuestionKind::Likert, m);
                q.scale = Some(scale);
                q
            }
        }),
        (prop::option::of(0.0..=100.0f64), 0..2usize).prop_map(move |(yes, m)| {
            let mut q = blank_question(code.clone(), QuestionKind::YesNo, m);
            q.yes_weight = yes;
            q
        }),
    ]
}

fn questionnaire(group: &'static str) -> impl Strategy<Value = Questionnaire> {
    (1..5usize)
        .prop_flat_map(|n| (0..n).map(question).collect::<Vec<_>>())
        .prop_map(move |questions| Questionnaire {
            code: format!("q-{group}"),
            version: 1,
            title: "Phiếu".into(),
            group: group.into(),
            group_name: None,
            sections: vec![Section {
                title: "Chung".into(),
                questions,
            }],
        })
}

/// Forms for `q` from units `U0`…, answers blank about a quarter of the time.
fn responses(q: &Questionnaire, units: u8) -> impl Strategy<Value = Vec<Response>> + use<> {
    let levels: Vec<usize> = q.questions().map(|x| x.levels().len()).collect();
    let kinds: Vec<QuestionKind> = q.questions().map(|x| x.kind).collect();
    let n = levels.len();
    prop::collection::vec(
        (0..units, prop::collection::vec((0..4u8, 0..10usize), n..=n)),
        0..40,
    )
    .prop_map(move |forms| {
        forms
            .into_iter()
            .enumerate()
            .map(|(i, (unit, raw))| Response {
                row: i as u64 + 2,
                unit: format!("U{unit}"),
                respondent: format!("r{i}"),
                answers: raw
                    .iter()
                    .enumerate()
                    .map(|(j, &(blank, v))| {
                        if blank == 0 {
                            return Answer::Blank;
                        }
                        let level = v % levels[j];
                        match kinds[j] {
                            QuestionKind::Choice => Answer::Choice(level as u16),
                            QuestionKind::Likert => Answer::Scale(level as u8 + 1),
                            _ => Answer::Yes(level == 1),
                        }
                    })
                    .collect(),
            })
            .collect()
    })
}

fn survey(group: &'static str, units: u8) -> impl Strategy<Value = (Questionnaire, Vec<Response>)> {
    questionnaire(group).prop_flat_map(move |q| {
        let r = responses(&q, units);
        (Just(q), r)
    })
}

fn one(q: &Questionnaire, r: &[Response]) -> Aggregation {
    aggregate(
        &[Survey {
            questionnaire: q,
            responses: r,
        }],
        &GroupWeights::equal(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn question_satisfaction_is_a_weight_average_of_the_non_blank_answers((q, r) in survey("a", 3)) {
        let a = one(&q, &r);
        for s in &a.questions {
            let question = q.question(&s.question).unwrap();
            let index = q.questions().position(|x| x.code == s.question).unwrap();
            let answered = r
                .iter()
                .filter(|f| f.unit == s.unit && f.answers[index] != Answer::Blank)
                .count();
            prop_assert_eq!(s.n as usize, answered);
            let levels = question.levels();
            let lo = levels.iter().cloned().fold(f64::MAX, f64::min);
            let hi = levels.iter().cloned().fold(f64::MIN, f64::max);
            match s.satisfaction {
                Some(v) => {
                    prop_assert!((0.0..=100.0).contains(&v));
                    prop_assert!(lo <= v && v <= hi, "{} not in [{}, {}]", v, lo, hi);
                    if let Some(i) = s.ci95 {
                        prop_assert!(i.contains(v), "{:?} does not hold {}", i, v);
                        prop_assert!(0.0 <= i.low && i.high <= 100.0);
                    } else {
                        prop_assert!(s.n < 2);
                    }
                }
                None => prop_assert_eq!(s.n, 0),
            }
        }
        for m in &a.measures {
            prop_assert!((0.0..=100.0).contains(&m.satisfaction));
            if let Some(i) = m.ci95 {
                prop_assert!(i.contains(m.satisfaction), "{:?} does not hold {}", i, m.satisfaction);
            }
            let (lo, hi) = m.groups.iter().fold((f64::MAX, f64::MIN), |(a, b), g| {
                (a.min(g.satisfaction), b.max(g.satisfaction))
            });
            prop_assert!(lo - 1e-9 <= m.satisfaction && m.satisfaction <= hi + 1e-9);
        }
    }

    #[test]
    fn the_order_of_the_forms_changes_nothing(
        (q, r, shuffled) in survey("a", 3).prop_flat_map(|(q, r)| {
            let s = Just(r.clone()).prop_shuffle();
            (Just(q), Just(r), s)
        })
    ) {
        prop_assert_eq!(one(&q, &r), one(&q, &shuffled));
    }

    #[test]
    fn groups_combine_as_a_weighted_mean_renormalised_over_those_that_answered(
        (qa, ra) in survey("a", 3),
        (qb, rb) in survey("b", 2),
        wa in 0.1..10.0f64,
        wb in 0.1..10.0f64,
    ) {
        let weights = GroupWeights::new([("a".to_string(), wa), ("b".to_string(), wb)]).unwrap();
        let both = aggregate(
            &[
                Survey { questionnaire: &qa, responses: &ra },
                Survey { questionnaire: &qb, responses: &rb },
            ],
            &weights,
        );
        let alone_a = one(&qa, &ra);
        let alone_b = one(&qb, &rb);
        let find = |agg: &Aggregation, unit: &str, measure: &str| {
            agg.measures
                .iter()
                .find(|m| m.unit == unit && m.measure == measure)
                .map(|m| m.satisfaction)
        };
        for m in &both.measures {
            let sa = find(&alone_a, &m.unit, &m.measure);
            let sb = find(&alone_b, &m.unit, &m.measure);
            let expected = match (sa, sb) {
                (Some(x), Some(y)) => (wa * x + wb * y) / (wa + wb),
                (Some(x), None) => x,
                (None, Some(y)) => y,
                (None, None) => unreachable!("a measure row without a group"),
            };
            prop_assert!((m.satisfaction - expected).abs() < 1e-9, "{} vs {}", m.satisfaction, expected);
            let total: f64 = m.groups.iter().map(|g| g.weight).sum();
            prop_assert!((total - 1.0).abs() < 1e-12);
            // A group missing for the unit is reported, not counted.
            if sb.is_none() && qb.questions().any(|x| x.measures.as_deref() == Some(m.measure.as_str())) {
                prop_assert_eq!(&m.missing_groups, &vec!["b".to_string()]);
            }
            let n_expected = alone_a.measures.iter().chain(&alone_b.measures)
                .filter(|x| x.unit == m.unit && x.measure == m.measure)
                .map(|x| x.n)
                .sum::<u32>();
            prop_assert_eq!(m.n, n_expected);
        }
    }

    #[test]
    fn points_never_exceed_the_maximum(max in 1i64..2_000_000, s in -50.0..150.0f64) {
        let max = Points::from_scaled(max);
        let p = points(max, ratio(s));
        prop_assert!(p <= max && !p.is_negative());
    }

    #[test]
    fn survey_points_stay_within_each_leaf((q, r) in survey("a", 3)) {
        let f = from_yaml(
            "code: t\nname: T\nunit_type: province\nyear: 2025\nmax: 2.5\nfields:\n  - code: \"1\"\n    name: L\n    max: 2.5\n    children:\n      - { code: \"1.1\", name: A, max: 1.5, rule: { type: survey } }\n      - { code: \"1.2\", name: B, max: 1, rule: { type: survey } }\n",
        )
        .unwrap();
        let a = one(&q, &r);
        let p = survey_points(&f, &a);
        for row in &p.rows {
            let max = f.node(&row.node).and_then(|n| n.max).unwrap();
            prop_assert!(row.points <= max && !row.points.is_negative());
            prop_assert!(row.ratio >= rust_decimal::Decimal::ZERO && row.ratio <= rust_decimal::Decimal::ONE);
        }
        // Every unit and leaf is accounted for once.
        prop_assert_eq!(
            p.rows.len() + p.missing.len() + p.unmeasured.len() * a.units.len(),
            a.units.len() * 2
        );
    }
}
