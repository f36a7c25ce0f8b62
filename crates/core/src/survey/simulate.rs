//! Simulated responses in the import format, for trying the pipeline and measuring its speed:
//! each unit has its own satisfaction level (65–95 %), each question shifts it a little, each
//! respondent is more or less content, and optional questions are sometimes left blank.
//! The same seed gives the same file.

use super::questionnaire::{Question, QuestionKind, Questionnaire};
use super::responses::header;
use crate::results::rng::Rng;

/// The seeded generator of the rank-stability simulation: its stream is fixed for a seed
/// across builds, so simulated files and the tests on them do not change.
struct Draws(Rng);

impl Draws {
    fn new(seed: u64) -> Draws {
        Draws(Rng::new(seed))
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        1.0 - self.0.uniform()
    }

    /// A normal draw with standard deviation `sd`.
    fn normal(&mut self, sd: f64) -> f64 {
        sd * self.0.normal()
    }
}

const COMMENTS: [&str; 5] = [
    "Cần rút ngắn thời gian giải quyết hồ sơ.",
    "Công chức hướng dẫn tận tình.",
    "Nên bố trí thêm chỗ ngồi chờ.",
    "Cổng dịch vụ công đôi khi bị lỗi.",
    "Hài lòng.",
];

/// The level whose weight is drawn so that the expected weight is `target`: between the two
/// levels around it, nearer one more likely.
fn pick_level(levels: &[f64], target: f64, rng: &mut Draws) -> usize {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    let first = order[0];
    if target <= levels[first] {
        return first;
    }
    for pair in order.windows(2) {
        let (lo, hi) = (pair[0], pair[1]);
        if target <= levels[hi] {
            let span = levels[hi] - levels[lo];
            let up = if span > 0.0 {
                (target - levels[lo]) / span
            } else {
                0.5
            };
            return if rng.unit() < up { hi } else { lo };
        }
    }
    order[order.len() - 1]
}

fn answer(q: &Question, target: f64, rng: &mut Draws) -> String {
    match q.kind {
        QuestionKind::Choice => {
            let levels = q.levels();
            if levels.is_empty() {
                return String::new();
            }
            q.options[pick_level(&levels, target, rng)].code.clone()
        }
        QuestionKind::Likert => {
            let levels = q.levels();
            if levels.is_empty() {
                return String::new();
            }
            (pick_level(&levels, target, rng) + 1).to_string()
        }
        QuestionKind::YesNo => {
            let yes = pick_level(&q.levels(), target, rng) == 1;
            if yes { "có" } else { "không" }.to_string()
        }
        QuestionKind::Number => {
            let lo = q.min.unwrap_or(0.0).ceil();
            let hi = q.max.unwrap_or(lo + 10.0).floor().max(lo);
            (lo + ((hi - lo + 1.0) * rng.unit()).floor().min(hi - lo)).to_string()
        }
        QuestionKind::Text => {
            if rng.unit() < 0.1 {
                COMMENTS[(rng.0.next_u64() % COMMENTS.len() as u64) as usize].to_string()
            } else {
                String::new()
            }
        }
    }
}

/// A responses file (UTF-8 with a byte-order mark, `,` separators) with `responses_per_unit`
/// forms for each unit, tokens `UNIT-00001` …
pub fn simulate(
    questionnaire: &Questionnaire,
    units: &[String],
    responses_per_unit: usize,
    seed: u64,
) -> String {
    let mut rng = Draws::new(seed);
    let questions: Vec<&Question> = questionnaire.questions().collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header(questionnaire));
    let mut record: Vec<String> = Vec::with_capacity(questions.len() + 3);
    for unit in units {
        let level = 65.0 + 30.0 * rng.unit();
        let shifts: Vec<f64> = questions.iter().map(|_| rng.normal(6.0)).collect();
        for i in 0..responses_per_unit {
            let mood = rng.normal(10.0);
            record.clear();
            record.push(unit.clone());
            record.push(questionnaire.group.clone());
            record.push(format!("{unit}-{:05}", i + 1));
            for (q, shift) in questions.iter().zip(&shifts) {
                let blank = !q.required && q.kind.is_scored() && rng.unit() < 0.05;
                let target = (level + shift + mood + rng.normal(12.0)).clamp(0.0, 100.0);
                record.push(if blank {
                    String::new()
                } else {
                    answer(q, target, &mut rng)
                });
            }
            let _ = w.write_record(&record);
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::aggregate::{GroupWeights, Survey, aggregate};
    use crate::survey::responses::parse_responses;
    use crate::survey::yaml::from_yaml;

    fn example() -> Questionnaire {
        from_yaml(include_str!(
            "../../../../examples/surveys/lanh-dao-so.yaml"
        ))
        .unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        let q = example();
        let units = vec!["DV001".to_string(), "DV002".into()];
        let a = simulate(&q, &units, 20, 7);
        assert_eq!(a, simulate(&q, &units, 20, 7));
        assert_ne!(a, simulate(&q, &units, 20, 8));
    }

    #[test]
    fn simulated_files_import_cleanly_and_units_differ() {
        let q = example();
        let units: Vec<String> = (1..=6).map(|i| format!("DV{i:03}")).collect();
        let text = simulate(&q, &units, 200, 2025);
        let parsed = parse_responses(&q, &text).unwrap();
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.responses.len(), 1200);
        let blanks = parsed
            .responses
            .iter()
            .flat_map(|r| &r.answers)
            .filter(|a| matches!(a, crate::survey::Answer::Blank))
            .count();
        assert!(blanks > 0);
        let a = aggregate(
            &[Survey {
                questionnaire: &q,
                responses: &parsed.responses,
            }],
            &GroupWeights::equal(),
        );
        let per_unit: Vec<f64> = units
            .iter()
            .map(|u| {
                let m: Vec<f64> = a
                    .measures
                    .iter()
                    .filter(|m| &m.unit == u)
                    .map(|m| m.satisfaction)
                    .collect();
                m.iter().sum::<f64>() / m.len() as f64
            })
            .collect();
        let (lo, hi) = per_unit
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(lo > 50.0 && hi < 100.0 && hi - lo > 3.0, "{per_unit:?}");
    }
}
