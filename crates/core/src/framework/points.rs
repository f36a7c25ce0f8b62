//! Points: exact decimals with at most four places, so that 9,5 and 0,25 add up exactly and
//! results round the way published tables do.

use crate::lang::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Mul, Neg, Sub};
use std::str::FromStr;

/// The most decimal places points may carry (they are stored as points × 10 000).
pub const SCALE: u32 = 4;

/// A number of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(Decimal);

impl Points {
    pub const ZERO: Points = Points(Decimal::ZERO);

    /// From a decimal as given (may carry more than [`SCALE`] places; validation says so).
    pub fn new(value: Decimal) -> Points {
        Points(value.normalize())
    }

    /// From whole ten-thousandths, as stored.
    pub fn from_scaled(units: i64) -> Points {
        Points(Decimal::new(units, SCALE).normalize())
    }

    /// As whole ten-thousandths, for storage; `None` if it carries more places.
    pub fn to_scaled(self) -> Option<i64> {
        if !self.fits_scale() {
            return None;
        }
        let mut d = self.0;
        d.rescale(SCALE);
        i64::try_from(d.mantissa()).ok()
    }

    /// Whether the value has at most [`SCALE`] decimal places.
    pub fn fits_scale(self) -> bool {
        self.0.normalize().scale() <= SCALE
    }

    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// As a float, for spreadsheet cells only (the shortest text of the float is the decimal).
    pub fn to_f64(self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.0.to_f64().unwrap_or(0.0)
    }

    /// Whether it is above zero.
    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// Whether it is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    /// Whether `self` is a whole multiple of `step` (a positive step).
    pub fn is_multiple_of(self, step: Points) -> bool {
        step.is_positive() && (self.0 % step.0).is_zero()
    }

    /// Rounded half away from zero to [`SCALE`] places.
    pub fn rounded(self) -> Points {
        Points(
            self.0
                .round_dp_with_strategy(SCALE, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        )
    }

    /// As the interface writes it: `9,5` (Vietnamese) or `9.5`; no trailing zeros.
    pub fn display(self, lang: Lang) -> String {
        let places = self.0.normalize().scale();
        crate::format::decimal(self.0, places, lang)
    }

    /// Parses `9,5`, `9.5` or `0,25` (a comma is a decimal comma here, never a separator).
    pub fn parse(input: &str) -> Option<Points> {
        let s = input.trim().replace(',', ".");
        if s.is_empty() {
            return None;
        }
        Decimal::from_str(&s).ok().map(Points::new)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

impl Mul<Decimal> for Points {
    type Output = Points;
    fn mul(self, rhs: Decimal) -> Points {
        Points(self.0 * rhs)
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, |a, b| a + b)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Written as a plain number; the shortest float text of a 4-place decimal reads back
        // to the same decimal.
        use rust_decimal::prelude::ToPrimitive;
        let n = self.0.normalize();
        if n.scale() == 0
            && let Some(i) = n.to_i64()
        {
            return s.serialize_i64(i);
        }
        s.serialize_f64(n.to_f64().unwrap_or(0.0))
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of points such as 9.5 or \"9,5\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Points, E> {
                Ok(Points(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Points, E> {
                Ok(Points(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Points, E> {
                // The shortest text that reads back as this float is the literal the author
                // wrote (for up to 15 significant digits), so no binary error enters.
                Points::parse(&v.to_string())
                    .ok_or_else(|| E::custom(format!("{v} không phải là số điểm")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Points, E> {
                Points::parse(v).ok_or_else(|| {
                    E::custom(format!(
                        "\"{v}\" không phải là số điểm (viết dạng 9,5 hoặc 9.5)"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    #[test]
    fn decimal_points_add_exactly() {
        let total: Points = ["9,5", "10", "14.5", "11", "16", "7", "16", "15.5"]
            .iter()
            .map(|s| p(s))
            .sum();
        assert_eq!(total, p("99.5"));
        assert_eq!(p("0.1") + p("0.2"), p("0.3"));
        assert_eq!(p("0,25").display(Lang::Vi), "0,25");
        assert_eq!(p("9.50").display(Lang::Vi), "9,5");
        assert_eq!(p("10").display(Lang::En), "10");
    }

    #[test]
    fn scale_and_multiples() {
        assert!(p("0.0001").fits_scale());
        assert!(!p("0.00001").fits_scale());
        assert_eq!(p("8.82").to_scaled(), Some(88_200));
        assert_eq!(Points::from_scaled(88_200), p("8.82"));
        assert!(p("1.5").is_multiple_of(p("0.25")));
        assert!(!p("1.3").is_multiple_of(p("0.25")));
        assert!(!p("1").is_multiple_of(Points::ZERO));
    }

    proptest! {
        #[test]
        fn scaled_round_trip(units in -100_000_000i64..100_000_000) {
            let v = Points::from_scaled(units);
            prop_assert_eq!(v.to_scaled(), Some(units));
            prop_assert_eq!(Points::parse(&v.to_string()), Some(v));
        }
    }
}
