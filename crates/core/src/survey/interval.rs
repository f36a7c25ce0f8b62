//! 95 % intervals for satisfaction percentages.
//!
//! Method (stated so that a reader of the published tables can redo it):
//! - answers that weigh only 0 or 100 (yes/no, two-option questions) are a proportion: the
//!   **Wilson score interval**, which stays inside 0–100 % and behaves with small samples and
//!   proportions near 0 or 100 %;
//! - other answers: the **normal approximation** mean ± 1,96 · s ÷ √n with the sample standard
//!   deviation s (n − 1 in the denominator), clamped to 0–100 %;
//! - with fewer than 2 answers there is no interval.
//!
//! Both treat respondents as a simple random sample of the group, which a survey by quota is
//! only approximately; the interval shows the size of sampling error, not a guarantee.

use serde::Serialize;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A range of percentages, `low ≤ high`, both within 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Whether `value` lies in the interval.
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }

    /// Half the width, in percentage points (the "± x %" of a published table).
    pub fn margin(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

fn clamp(low: f64, high: f64) -> Interval {
    Interval {
        low: low.clamp(0.0, 100.0),
        high: high.clamp(0.0, 100.0),
    }
}

/// `estimate` ± 1,96 standard errors, clamped to 0–100.
pub fn around(estimate: f64, standard_error: f64) -> Interval {
    let half = Z95 * standard_error;
    clamp(estimate - half, estimate + half)
}

/// Normal approximation around `mean` (percent) with sample standard deviation `sd`.
pub fn normal(mean: f64, sd: f64, n: u32) -> Option<Interval> {
    if n < 2 || !mean.is_finite() || !sd.is_finite() {
        return None;
    }
    Some(around(mean, sd / f64::from(n).sqrt()))
}

/// Wilson score interval for a proportion given in percent.
pub fn wilson(percent: f64, n: u32) -> Option<Interval> {
    if n < 2 || !percent.is_finite() {
        return None;
    }
    let p = (percent / 100.0).clamp(0.0, 1.0);
    let n = f64::from(n);
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // Rounding may leave the estimate a hair outside at p = 0 or 1; the interval must hold it.
    Some(clamp(
        ((centre - half) * 100.0).min(percent),
        ((centre + half) * 100.0).max(percent),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_example() {
        // 81 of 263: 25,53 % to 36,62 % (Newcombe 1998, method 3).
        let i = wilson(81.0 / 263.0 * 100.0, 263).unwrap();
        assert!((i.low - 25.53).abs() < 0.005, "{i:?}");
        assert!((i.high - 36.62).abs() < 0.005, "{i:?}");
        // All yes: the interval ends at 100 % and is not empty.
        let i = wilson(100.0, 30).unwrap();
        assert_eq!(i.high, 100.0);
        assert!((i.low - 88.65).abs() < 0.005, "{i:?}");
    }

    #[test]
    fn normal_is_symmetric_and_clamped() {
        let i = normal(50.0, 10.0, 100).unwrap();
        assert!((i.low - 48.04).abs() < 0.01 && (i.high - 51.96).abs() < 0.01);
        let i = normal(98.0, 20.0, 4).unwrap();
        assert_eq!(i.high, 100.0);
        assert_eq!(normal(50.0, 10.0, 1), None);
        assert_eq!(wilson(50.0, 1), None);
    }
}
