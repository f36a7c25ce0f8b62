//! Results of a round: totals per node, the index and component percentages, ranks, bands,
//! statistics, year-on-year change, where points were lost, what-if and targets, rank stability,
//! and ranking a CSV of published results.
//!
//! Why it is built this way:
//! - **Exact, rounded once.** Points are exact decimals; percentages are computed from exact
//!   points and rounded only when published: two decimals, half away from zero ([`published`]).
//!   Rounded values are never added or divided again: a field with 8,817 of 9,5 points is shown
//!   as 8,82 points and 92,81 % (8,82 ÷ 9,5 would give 92,84 %), and parts 5,135 + 3,395 are
//!   shown as 5,14 and 3,40 under a total of 8,53.
//! - **Ranks and bands use the published index**, because that is what a decision prints and
//!   what people compare: two units shown at 86,44 % share a rank (competition style 1, 2, 2, 4),
//!   and 89,995 % is published as 90,00 % and is band A.
//! - **Fast.** A [`Layout`] flattens a framework once (each leaf knows its parent slot); leaf
//!   points have at most four decimal places, so [`compute`] adds them as whole
//!   ten-thousandths (`i64`) in flat arrays, with no lookup by code and no allocation per unit.
//!   Exact percentages are derived on demand.
//! - **Pure.** Inputs in, data out; callers keep their own unit ids, since every output is in the
//!   order of the input.
//!
//! How points add up (where frameworks leave it open):
//! - A branch's points are the sum of its children's: ordinary leaves, bonus leaves (their
//!   maximum does not count toward the parent's) and deduction leaves (points ≤ 0). The sum is
//!   then clamped to `[0, the branch's applicable max]`: **a node is never below 0 and never
//!   above its maximum.** Bonus points thus make up points lost elsewhere in the same branch
//!   but never lift it past its maximum, and a deduction never takes a criterion below zero.
//!   Every level clamps, so a bonus in criterion 1.2 cannot fill a loss in criterion 1.3.
//! - An exempt (not applicable) node leaves both the points and the maximum; the index is
//!   rescaled to what remains. With the clamping above, every index lies in `[0, 100]`.
//! - A leaf with no points supplied scores 0. A unit whose every node is exempt has maximum 0
//!   and index 0.

pub mod bands;
pub mod change;
pub mod compute;
pub mod layout;
pub mod lost;
#[cfg(test)]
mod props;
mod ranking;
pub(crate) mod rng;
pub mod snapshot;
pub mod stability;
pub mod statistics;
pub mod table;
pub mod what_if;

pub use bands::{BandError, BandScale, BandThreshold};
pub use change::{FieldChange, UnitChange, year_on_year};
pub use compute::{FieldRanks, NodeResult, Parts, Results, UnitResult, compute};
pub use layout::{InputProblem, Layout, LayoutNode, NodeKind, SurveySample, UnitInput, UnitScores};
pub use lost::{LeafStats, LostItem};
pub use stability::{NearTie, RankInterval, Stability, StabilitySettings};
pub use statistics::{BandCount, GroupStatistics, Statistics};
pub use what_if::{Step, Target, TargetOutcome, TargetPlan, WhatIf};

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of published figures.
pub const PUBLISHED_PLACES: u32 = 2;

/// A value as published: two decimals, rounded half away from zero (92,805 → 92,81).
pub fn published(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(PUBLISHED_PLACES, RoundingStrategy::MidpointAwayFromZero)
}

/// The exact percentage `points ÷ max × 100`, or `None` when the maximum is zero.
pub fn percent(points: crate::framework::Points, max: crate::framework::Points) -> Option<Decimal> {
    let (p, m) = (points.decimal(), max.decimal());
    if m.is_zero() {
        return None;
    }
    // Multiplying first keeps the quotient to Decimal's full 28 digits.
    p.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(m))
        .or_else(|| (p / m).checked_mul(Decimal::ONE_HUNDRED))
}

/// The published percentage in hundredths of a percent, from scaled points (ten-thousandths):
/// exact integer arithmetic, half away from zero. Equals `published(percent(..)) × 100`.
pub(crate) fn hundredths(points: i64, max: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    // round(p × 10 000 ÷ m), half away from zero; in i64 unless p is beyond any real total
    // (a 128-bit division is several times slower, and this runs for every unit and field).
    if let Some(twice) = points.checked_mul(20_000).filter(|&t| t != i64::MIN)
        && max <= i64::MAX / 2
    {
        let m = max;
        return if twice >= 0 {
            twice / (2 * m) + i64::from(twice % (2 * m) >= m)
        } else {
            -((-twice) / (2 * m) + i64::from((-twice) % (2 * m) >= m))
        };
    }
    let (p, m) = (i128::from(points), i128::from(max));
    let twice = 2 * p * 10_000;
    let q = if twice >= 0 {
        (twice + m) / (2 * m)
    } else {
        -((-twice + m) / (2 * m))
    };
    i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN })
}

/// `published(percent(points, max))`, the same value with the same scale, computed in integers
/// when it can be: a 28-digit decimal quotient is slow to divide and to round, and a results
/// page shows one for every unit and field.
pub(crate) fn published_percent(
    points: crate::framework::Points,
    max: crate::framework::Points,
) -> Option<Decimal> {
    match inexact_hundredths(points.decimal(), max.decimal()) {
        Some(h) => Some(from_hundredths(h)),
        None => percent(points, max).map(published),
    }
}

/// The published percentage in hundredths when `points ≥ 0` and `max > 0` have at most four
/// decimals and the exact percentage has more than two: then the decimal quotient has more than
/// two places and rounding it gives exactly two, as [`from_hundredths`] does. `None` otherwise
/// (the decimal path keeps the scale of an exact quotient such as 85,0).
fn inexact_hundredths(points: Decimal, max: Decimal) -> Option<i64> {
    if points.is_sign_negative() || max.is_sign_negative() || points.scale() > 4 || max.scale() > 4
    {
        return None;
    }
    let scaled = |d: Decimal| {
        i64::try_from(d.mantissa())
            .ok()?
            .checked_mul(10i64.pow(4 - d.scale()))
    };
    let (p, m) = (scaled(points)?, scaled(max)?);
    let exact = match p.checked_mul(10_000) {
        Some(n) => m == 0 || n % m == 0,
        None => m == 0 || (i128::from(p) * 10_000) % i128::from(m) == 0,
    };
    (!exact).then(|| hundredths(p, m))
}

/// A published percentage from hundredths.
pub(crate) fn from_hundredths(h: i64) -> Decimal {
    Decimal::new(h, PUBLISHED_PLACES)
}

/// Points from scaled ten-thousandths: the same as `Points::from_scaled`, with the trailing
/// zeros stripped in `i64` first, as normalising a decimal digit by digit is slow and results
/// pages make points for every unit and node shown.
pub(crate) fn points(scaled: i64) -> crate::framework::Points {
    let (mut v, mut scale) = (scaled, crate::framework::points::SCALE);
    while scale > 0 && v != 0 && v % 10 == 0 {
        v /= 10;
        scale -= 1;
    }
    crate::framework::Points::new(Decimal::new(v, scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Points;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    #[test]
    fn published_figures_are_rounded_from_exact_values() {
        // Seed 000, field 1: 8,817 of 9,5 is shown 8,82 points yet 92,81 %.
        assert_eq!(published(p("8.817").decimal()), d("8.82"));
        assert_eq!(
            published(percent(p("8.817"), p("9.5")).unwrap()),
            d("92.81")
        );
        assert_eq!(published(percent(p("8.82"), p("9.5")).unwrap()), d("92.84"));
        // Half away from zero on the exact decimal.
        assert_eq!(published(d("92.805")), d("92.81"));
        assert_eq!(published(d("-0.125")), d("-0.13"));
        assert_eq!(percent(Points::ZERO, Points::ZERO), None);
    }

    #[test]
    fn integer_hundredths_match_decimal_rounding() {
        assert_eq!(hundredths(88_170, 95_000), 9281);
        assert_eq!(hundredths(88_200, 95_000), 9284);
        assert_eq!(hundredths(0, 95_000), 0);
        assert_eq!(hundredths(5, 0), 0);
        assert_eq!(from_hundredths(9281), d("92.81"));
    }

    proptest! {
        #[test]
        fn integer_and_decimal_rounding_agree(m in 1i64..2_000_000, t in -2_000_000i64..2_000_000) {
            let exact = percent(points(t), points(m)).unwrap();
            prop_assert_eq!(from_hundredths(hundredths(t, m)), published(exact));
        }

        /// The integer path gives the very same decimal, scale included (85,0 stays 85,0).
        #[test]
        fn published_percent_is_the_decimal_one_to_the_digit(
            m in 0i64..2_000_000,
            t in -2_000_000i64..2_000_000,
            (ms, ts) in (0u32..6, 0u32..6),
        ) {
            let (p, max) = (
                Points::new(Decimal::new(t, ts)),
                Points::new(Decimal::new(m, ms)),
            );
            let slow = percent(p, max).map(published);
            let fast = published_percent(p, max);
            prop_assert_eq!(fast.map(|d| d.serialize()), slow.map(|d| d.serialize()));
        }
    }

    proptest! {
        #[test]
        fn points_are_the_scaled_points_to_the_digit(v in any::<i64>()) {
            prop_assert_eq!(
                points(v).decimal().serialize(),
                Points::from_scaled(v).decimal().serialize()
            );
        }
    }

    #[test]
    fn published_percent_keeps_the_scale_of_exact_quotients() {
        for (t, m) in [
            ("8.5", "10"),
            ("5", "2.5"),
            ("0", "9.5"),
            ("9.5", "9.5"),
            ("1", "3"),
        ] {
            let (t, m) = (p(t), p(m));
            assert_eq!(
                published_percent(t, m).map(|d| d.serialize()),
                percent(t, m).map(published).map(|d| d.serialize()),
                "{t} of {m}"
            );
        }
        for v in [
            0,
            10,
            100,
            1_000,
            10_000,
            120_000,
            -50_000,
            85_000,
            7,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(
                points(v).decimal().serialize(),
                Points::from_scaled(v).decimal().serialize(),
                "{v}"
            );
        }
        assert_eq!(hundredths(i64::MAX / 2, 3), i64::MAX);
        assert_eq!(hundredths(-7, 200), -350);
        assert_eq!(hundredths(-5, 20_000), -3);
    }
}
