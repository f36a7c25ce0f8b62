//! KPI targets (chỉ tiêu) with a direction: "trên 95% hồ sơ đúng hạn" (above), "100% văn bản
//! điện tử ký số" (at least), "giảm 2,5% đơn vị sự nghiệp" (a decrease by), and whether an
//! actual value meets them.

use crate::lang::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How an actual value is compared with the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Strictly above ("trên").
    Above,
    /// At least ("đạt", "100%", "tối thiểu").
    AtLeast,
    /// At most ("không quá", "dưới" taken as at most).
    AtMost,
    /// A decrease of at least the target ("giảm"): the actual is the decrease achieved.
    Decrease,
    /// An increase of at least the target ("tăng").
    Increase,
}

impl Direction {
    pub const ALL: [Direction; 5] = [
        Direction::Above,
        Direction::AtLeast,
        Direction::AtMost,
        Direction::Decrease,
        Direction::Increase,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Above => "above",
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Decrease => "decrease",
            Direction::Increase => "increase",
        }
    }

    pub fn from_code(code: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Direction::Above, Lang::Vi) => "trên",
            (Direction::AtLeast, Lang::Vi) => "tối thiểu",
            (Direction::AtMost, Lang::Vi) => "không quá",
            (Direction::Decrease, Lang::Vi) => "giảm",
            (Direction::Increase, Lang::Vi) => "tăng",
            (Direction::Above, Lang::En) => "above",
            (Direction::AtLeast, Lang::En) => "at least",
            (Direction::AtMost, Lang::En) => "at most",
            (Direction::Decrease, Lang::En) => "decrease by",
            (Direction::Increase, Lang::En) => "increase by",
        }
    }

    /// Whether `actual` meets `target`.
    pub fn met(self, target: Decimal, actual: Decimal) -> bool {
        match self {
            Direction::Above => actual > target,
            Direction::AtLeast | Direction::Decrease | Direction::Increase => actual >= target,
            Direction::AtMost => actual <= target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_compare_as_plans_mean_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(!Direction::Above.met(d("95"), d("95")));
        assert!(Direction::Above.met(d("95"), d("95.1")));
        assert!(Direction::AtLeast.met(d("100"), d("100")));
        assert!(Direction::AtMost.met(d("5"), d("4.9")));
        assert!(Direction::Decrease.met(d("2.5"), d("2.5")));
        assert!(!Direction::Decrease.met(d("2.5"), d("2.4")));
        for x in Direction::ALL {
            assert_eq!(Direction::from_code(x.code()), Some(x));
        }
    }
}
