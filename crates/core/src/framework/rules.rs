//! Scoring: what a unit declares, run through a leaf's rule, gives its points.

use super::model::{Band, Rule};
use super::points::Points;
use crate::lang::Lang;
use rust_decimal::Decimal;

/// What a unit declares for one sub-criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreInput {
    /// A score typed directly (manual and bonus rules).
    Points(Points),
    /// Met or not (boolean and deduction rules).
    Met(bool),
    /// The index of the chosen level.
    Level(usize),
    /// Declared figures: e.g. 412 of 430 dossiers on time.
    Figures {
        numerator: Decimal,
        denominator: Decimal,
    },
}

/// Why an input cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreError {
    /// The rule expects another kind of input.
    WrongInput {
        rule: &'static str,
    },
    OutOfRange {
        max: Points,
    },
    NotAStep {
        step: Points,
    },
    NoSuchLevel,
    /// The denominator is zero or a figure is negative.
    BadFigures,
    /// The numerator is larger than the denominator.
    RatioAboveOne,
    /// Survey points come from the survey, not from the unit.
    NotSelfScored,
}

impl ScoreError {
    /// A sentence for the person entering the figures.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ScoreError::WrongInput { rule }, Lang::Vi) => {
                format!("Tiêu chí chấm theo cách \"{rule}\" không nhận loại số liệu này.")
            }
            (ScoreError::WrongInput { rule }, Lang::En) => {
                format!("A \"{rule}\" criterion does not take this kind of input.")
            }
            (ScoreError::OutOfRange { max }, Lang::Vi) => {
                format!("Điểm phải từ 0 đến {}.", max.display(lang))
            }
            (ScoreError::OutOfRange { max }, Lang::En) => {
                format!("Points must be between 0 and {}.", max.display(lang))
            }
            (ScoreError::NotAStep { step }, Lang::Vi) => {
                format!("Điểm chấm theo bước {}.", step.display(lang))
            }
            (ScoreError::NotAStep { step }, Lang::En) => {
                format!("Points go in steps of {}.", step.display(lang))
            }
            (ScoreError::NoSuchLevel, Lang::Vi) => "Mức đã chọn không có trong tiêu chí.".into(),
            (ScoreError::NoSuchLevel, Lang::En) => "The chosen level does not exist.".into(),
            (ScoreError::BadFigures, Lang::Vi) => {
                "Số liệu không hợp lệ: mẫu số phải lớn hơn 0 và không có số âm.".into()
            }
            (ScoreError::BadFigures, Lang::En) => {
                "Invalid figures: the denominator must be above 0 and nothing negative.".into()
            }
            (ScoreError::RatioAboveOne, Lang::Vi) => "Tử số lớn hơn mẫu số.".into(),
            (ScoreError::RatioAboveOne, Lang::En) => {
                "The numerator is larger than the denominator.".into()
            }
            (ScoreError::NotSelfScored, Lang::Vi) => {
                "Điểm tiêu chí này lấy từ kết quả điều tra xã hội học.".into()
            }
            (ScoreError::NotSelfScored, Lang::En) => {
                "This criterion's points come from the survey.".into()
            }
        }
    }
}

fn ratio(numerator: Decimal, denominator: Decimal) -> Result<Decimal, ScoreError> {
    if denominator <= Decimal::ZERO || numerator < Decimal::ZERO {
        return Err(ScoreError::BadFigures);
    }
    if numerator > denominator {
        return Err(ScoreError::RatioAboveOne);
    }
    Ok(numerator / denominator)
}

/// The band a percentage falls in.
pub fn band_for(bands: &[Band], percent: Decimal) -> Option<&Band> {
    bands.iter().find(|b| {
        let from = b.from.decimal();
        let to = b.to.decimal();
        let above_from = if b.exclusive_from {
            percent > from
        } else {
            percent >= from
        };
        let is_last = bands.iter().all(|o| o.to.decimal() <= to);
        // The band above decides who owns a shared bound; the last band owns its top.
        let next_exclusive = bands
            .iter()
            .any(|o| o.from.decimal() == to && o.exclusive_from);
        let below_to = percent < to || (percent == to && (is_last || next_exclusive));
        above_from && below_to
    })
}

/// The points of a leaf with maximum `max` for an input.
///
/// Results lie in `[0, max]`, except deductions, which lie in `[-amount, 0]`.
pub fn score(rule: &Rule, max: Points, input: &ScoreInput) -> Result<Points, ScoreError> {
    let wrong = || ScoreError::WrongInput { rule: rule.kind() };
    match (rule, input) {
        (Rule::Manual { step } | Rule::Bonus { step }, ScoreInput::Points(p)) => {
            if p.is_negative() || *p > max {
                Err(ScoreError::OutOfRange { max })
            } else if !p.is_multiple_of(*step) && *p != Points::ZERO && *p != max {
                Err(ScoreError::NotAStep { step: *step })
            } else {
                Ok(*p)
            }
        }
        (Rule::Boolean, ScoreInput::Met(met)) => Ok(if *met { max } else { Points::ZERO }),
        (Rule::Levels { levels }, ScoreInput::Level(i)) => levels
            .get(*i)
            .map(|l| l.points)
            .ok_or(ScoreError::NoSuchLevel),
        (
            Rule::Bands { bands, .. },
            ScoreInput::Figures {
                numerator,
                denominator,
            },
        ) => {
            let percent = ratio(*numerator, *denominator)? * Decimal::ONE_HUNDRED;
            band_for(bands, percent)
                .map(|b| b.points)
                .ok_or(ScoreError::NoSuchLevel)
        }
        (
            Rule::Proportional { .. },
            ScoreInput::Figures {
                numerator,
                denominator,
            },
        ) => Ok((max * ratio(*numerator, *denominator)?).rounded()),
        (Rule::Deduction { amount }, ScoreInput::Met(met)) => {
            Ok(if *met { Points::ZERO } else { -*amount })
        }
        (Rule::Survey { .. }, _) => Err(ScoreError::NotSelfScored),
        _ => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::Level;
    use proptest::prelude::*;

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn plan_bands() -> Rule {
        // "Hoàn thành trên 90% kế hoạch: 2 điểm; từ 70% đến 90%: 1 điểm; dưới 70%: 0 điểm".
        Rule::Bands {
            numerator: "Nhiệm vụ hoàn thành".into(),
            denominator: "Nhiệm vụ theo kế hoạch".into(),
            bands: vec![
                Band {
                    from: p("0"),
                    to: p("70"),
                    points: p("0"),
                    exclusive_from: false,
                },
                Band {
                    from: p("70"),
                    to: p("90"),
                    points: p("1"),
                    exclusive_from: false,
                },
                Band {
                    from: p("90"),
                    to: p("100"),
                    points: p("2"),
                    exclusive_from: true,
                },
            ],
        }
    }

    fn figures(n: &str, den: &str) -> ScoreInput {
        ScoreInput::Figures {
            numerator: d(n),
            denominator: d(den),
        }
    }

    #[test]
    fn bands_follow_the_words_of_the_decision() {
        let r = plan_bands();
        assert_eq!(score(&r, p("2"), &figures("91", "100")), Ok(p("2")));
        // Exactly 90% is "từ 70% đến 90%", not "trên 90%".
        assert_eq!(score(&r, p("2"), &figures("90", "100")), Ok(p("1")));
        assert_eq!(score(&r, p("2"), &figures("70", "100")), Ok(p("1")));
        assert_eq!(score(&r, p("2"), &figures("69", "100")), Ok(p("0")));
        assert_eq!(score(&r, p("2"), &figures("430", "430")), Ok(p("2")));
        assert_eq!(
            score(&r, p("2"), &figures("5", "0")),
            Err(ScoreError::BadFigures)
        );
        assert_eq!(
            score(&r, p("2"), &figures("431", "430")),
            Err(ScoreError::RatioAboveOne)
        );
    }

    #[test]
    fn levels_boolean_proportional_deduction_survey() {
        let levels = Rule::Levels {
            levels: vec![
                Level {
                    label: "Ban hành đúng hạn".into(),
                    points: p("1"),
                },
                Level {
                    label: "Ban hành chậm".into(),
                    points: p("0.5"),
                },
                Level {
                    label: "Không ban hành".into(),
                    points: p("0"),
                },
            ],
        };
        assert_eq!(score(&levels, p("1"), &ScoreInput::Level(1)), Ok(p("0.5")));
        assert_eq!(
            score(&levels, p("1"), &ScoreInput::Level(3)),
            Err(ScoreError::NoSuchLevel)
        );
        assert_eq!(
            score(&Rule::Boolean, p("0.5"), &ScoreInput::Met(true)),
            Ok(p("0.5"))
        );
        let prop = Rule::Proportional {
            numerator: "a".into(),
            denominator: "b".into(),
        };
        // 82,66% satisfaction of 2 points.
        assert_eq!(
            score(&prop, p("2"), &figures("8266", "10000")),
            Ok(p("1.6532"))
        );
        assert_eq!(score(&prop, p("1"), &figures("1", "3")), Ok(p("0.3333")));
        let ded = Rule::Deduction { amount: p("0.5") };
        assert_eq!(
            score(&ded, Points::ZERO, &ScoreInput::Met(false)),
            Ok(p("-0.5"))
        );
        assert_eq!(
            score(&ded, Points::ZERO, &ScoreInput::Met(true)),
            Ok(Points::ZERO)
        );
        assert_eq!(
            score(
                &Rule::Survey { measure: None },
                p("4"),
                &ScoreInput::Met(true)
            ),
            Err(ScoreError::NotSelfScored)
        );
        assert_eq!(
            score(&Rule::Boolean, p("1"), &ScoreInput::Level(0)),
            Err(ScoreError::WrongInput { rule: "boolean" })
        );
    }

    #[test]
    fn rules_have_labels_in_both_languages() {
        assert_eq!(plan_bands().label(Lang::Vi), "Theo khoảng tỷ lệ");
        assert_eq!(Rule::Boolean.label(Lang::En), "Met / not met");
    }

    #[test]
    fn manual_scores_keep_to_range_and_steps() {
        let r = Rule::Manual { step: p("0.25") };
        assert_eq!(
            score(&r, p("1.5"), &ScoreInput::Points(p("0.75"))),
            Ok(p("0.75"))
        );
        assert_eq!(
            score(&r, p("1.5"), &ScoreInput::Points(p("0.8"))),
            Err(ScoreError::NotAStep { step: p("0.25") })
        );
        assert_eq!(
            score(&r, p("1.5"), &ScoreInput::Points(p("1.75"))),
            Err(ScoreError::OutOfRange { max: p("1.5") })
        );
        assert_eq!(
            score(&r, p("1.5"), &ScoreInput::Points(p("-0.25"))),
            Err(ScoreError::OutOfRange { max: p("1.5") })
        );
        assert_eq!(
            ScoreError::OutOfRange { max: p("1.5") }.message(Lang::Vi),
            "Điểm phải từ 0 đến 1,5."
        );
    }

    fn any_points(max_units: i64) -> impl Strategy<Value = Points> {
        (0..=max_units).prop_map(|u| Points::from_scaled(u * 100))
    }

    proptest! {
        #[test]
        fn scores_never_leave_zero_to_max(
            max in any_points(2000),
            typed in any_points(3000),
            numerator in 0u32..10_000,
            extra in 0u32..10_000,
            met in any::<bool>(),
            level in 0usize..5,
        ) {
            let input_figures = ScoreInput::Figures {
                numerator: Decimal::from(numerator),
                denominator: Decimal::from(numerator + extra + 1),
            };
            let within = |r: Result<Points, ScoreError>| match r {
                Ok(v) => !v.is_negative() && v <= max,
                Err(_) => true,
            };
            let manual = Rule::Manual { step: Points::from_scaled(2500) };
            let proportional = Rule::Proportional { numerator: "a".into(), denominator: "b".into() };
            let levels = Rule::Levels { levels: (0..4).map(|i| Level { label: format!("{i}"), points: Points::from_scaled(max.to_scaled().unwrap() * i / 3) }).collect() };
            let results = [
                score(&manual, max, &ScoreInput::Points(typed)),
                score(&Rule::Boolean, max, &ScoreInput::Met(met)),
                score(&proportional, max, &input_figures),
                score(&levels, max, &ScoreInput::Level(level)),
            ];
            for r in results {
                prop_assert!(within(r));
            }
            let amount = Points::from_scaled(5000);
            let deduction = Rule::Deduction { amount };
            let ded = score(&deduction, Points::ZERO, &ScoreInput::Met(met)).unwrap();
            prop_assert!(ded <= Points::ZERO && ded >= -amount);
            // Every percentage from 0 to 100 lands in exactly one band of a well-formed rule.
            if let Rule::Bands { bands, .. } = plan_bands() {
                let percent = Decimal::from(numerator) / Decimal::from(numerator + extra + 1) * Decimal::ONE_HUNDRED;
                prop_assert!(band_for(&bands, percent).is_some());
            }
        }
    }
}
