//! Bands (xếp loại): an ordered list of labels with the lowest published index each requires.
//!
//! The published (rounded) index is compared with the thresholds, because that is the figure a
//! decision prints: 89,995 % is published as 90,00 % and is band A.

use crate::lang::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;

/// One band: its label and the lowest published index (%) it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandThreshold {
    pub label: String,
    pub from: Decimal,
}

/// Bands from the highest threshold down. A published index below every threshold has no band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandScale {
    bands: Vec<BandThreshold>,
}

/// Why a band list cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BandError {
    Empty,
    /// An entry is not `label:number`.
    Malformed(String),
    LabelEmpty,
    NotANumber {
        label: String,
        text: String,
    },
    AboveHundred {
        label: String,
    },
    Negative {
        label: String,
    },
    /// Thresholds must go from the highest down.
    Unordered {
        label: String,
        after: String,
    },
    DuplicateThreshold {
        label: String,
        other: String,
    },
    DuplicateLabel(String),
}

impl BandError {
    /// A sentence naming the band.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (BandError::Empty, Lang::Vi) => "Chưa có mức xếp loại nào.".into(),
            (BandError::Empty, Lang::En) => "No bands given.".into(),
            (BandError::Malformed(e), Lang::Vi) => {
                format!("\"{e}\" không đúng dạng nhãn:ngưỡng, ví dụ A:90.")
            }
            (BandError::Malformed(e), Lang::En) => {
                format!("\"{e}\" is not label:threshold, e.g. A:90.")
            }
            (BandError::LabelEmpty, Lang::Vi) => "Nhãn xếp loại không được để trống.".into(),
            (BandError::LabelEmpty, Lang::En) => "A band label is empty.".into(),
            (BandError::NotANumber { label, text }, Lang::Vi) => {
                format!("{label}: ngưỡng \"{text}\" không phải là số.")
            }
            (BandError::NotANumber { label, text }, Lang::En) => {
                format!("{label}: threshold \"{text}\" is not a number.")
            }
            (BandError::AboveHundred { label }, Lang::Vi) => {
                format!("{label}: ngưỡng không được lớn hơn 100%.")
            }
            (BandError::AboveHundred { label }, Lang::En) => {
                format!("{label}: the threshold cannot be above 100%.")
            }
            (BandError::Negative { label }, Lang::Vi) => format!("{label}: ngưỡng không được âm."),
            (BandError::Negative { label }, Lang::En) => {
                format!("{label}: the threshold cannot be negative.")
            }
            (BandError::Unordered { label, after }, Lang::Vi) => format!(
                "{label}: ngưỡng phải thấp hơn ngưỡng của {after}; xếp các mức từ cao xuống thấp."
            ),
            (BandError::Unordered { label, after }, Lang::En) => format!(
                "{label}: the threshold must be below {after}'s; list bands from the highest down."
            ),
            (BandError::DuplicateThreshold { label, other }, Lang::Vi) => {
                format!("{label}: trùng ngưỡng với {other}.")
            }
            (BandError::DuplicateThreshold { label, other }, Lang::En) => {
                format!("{label}: same threshold as {other}.")
            }
            (BandError::DuplicateLabel(l), Lang::Vi) => format!("Nhãn \"{l}\" bị lặp."),
            (BandError::DuplicateLabel(l), Lang::En) => format!("Label \"{l}\" appears twice."),
        }
    }
}

fn threshold(label: &str, from: i64) -> BandThreshold {
    BandThreshold {
        label: label.into(),
        from: Decimal::from(from),
    }
}

impl BandScale {
    /// Checks a list of bands: labels present and distinct, thresholds within 0–100 and strictly
    /// from the highest down. Every problem is reported.
    pub fn new(bands: Vec<BandThreshold>) -> Result<BandScale, Vec<BandError>> {
        let mut errors = Vec::new();
        if bands.is_empty() {
            errors.push(BandError::Empty);
        }
        for (i, b) in bands.iter().enumerate() {
            if b.label.trim().is_empty() {
                errors.push(BandError::LabelEmpty);
            }
            if b.from > Decimal::ONE_HUNDRED {
                errors.push(BandError::AboveHundred {
                    label: b.label.clone(),
                });
            }
            if b.from < Decimal::ZERO {
                errors.push(BandError::Negative {
                    label: b.label.clone(),
                });
            }
            if let Some(prev) = i.checked_sub(1).map(|j| &bands[j]) {
                if b.from == prev.from {
                    errors.push(BandError::DuplicateThreshold {
                        label: b.label.clone(),
                        other: prev.label.clone(),
                    });
                } else if b.from > prev.from {
                    errors.push(BandError::Unordered {
                        label: b.label.clone(),
                        after: prev.label.clone(),
                    });
                }
            }
            if bands[..i].iter().any(|o| o.label.trim() == b.label.trim()) {
                errors.push(BandError::DuplicateLabel(b.label.trim().to_string()));
            }
        }
        if errors.is_empty() {
            Ok(BandScale { bands })
        } else {
            Err(errors)
        }
    }

    /// The national publication's bands: A ≥ 90 %, B ≥ 80 %, C ≥ 70 %, and below 70 %
    /// (which has no official letter, so it is labelled by its range).
    pub fn national() -> BandScale {
        BandScale {
            bands: vec![
                threshold("A", 90),
                threshold("B", 80),
                threshold("C", 70),
                threshold("Dưới 70%", 0),
            ],
        }
    }

    /// Internal labels (Xuất sắc, Tốt, Khá, Trung bình, Yếu) with **default** thresholds
    /// 90/80/70/50/0: each province sets its own, so replace them with the province's.
    pub fn internal() -> BandScale {
        BandScale {
            bands: vec![
                threshold("Xuất sắc", 90),
                threshold("Tốt", 80),
                threshold("Khá", 70),
                threshold("Trung bình", 50),
                threshold("Yếu", 0),
            ],
        }
    }

    /// A preset name (`national`, `internal`) or a list such as `A:90,B:80,C:70,D:0`.
    /// Entries may be separated by `;` instead, and then thresholds may use a decimal comma
    /// (`A:92,5;B:80`).
    pub fn parse(spec: &str) -> Result<BandScale, Vec<BandError>> {
        let spec = spec.trim();
        match spec.to_ascii_lowercase().as_str() {
            "national" => return Ok(BandScale::national()),
            "internal" => return Ok(BandScale::internal()),
            _ => {}
        }
        let semicolons = spec.contains(';');
        let entries = spec
            .split(if semicolons { ';' } else { ',' })
            .map(str::trim)
            .filter(|e| !e.is_empty());
        let mut bands = Vec::new();
        let mut errors = Vec::new();
        for e in entries {
            let Some((label, number)) = e.rsplit_once(':') else {
                errors.push(BandError::Malformed(e.to_string()));
                continue;
            };
            let (label, number) = (label.trim(), number.trim().trim_end_matches('%').trim());
            let text = if semicolons {
                number.replace(',', ".")
            } else {
                number.to_string()
            };
            match Decimal::from_str(&text) {
                Ok(from) => bands.push(BandThreshold {
                    label: label.to_string(),
                    from,
                }),
                Err(_) => errors.push(BandError::NotANumber {
                    label: label.to_string(),
                    text: number.to_string(),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        BandScale::new(bands)
    }

    /// The bands, highest first.
    pub fn bands(&self) -> &[BandThreshold] {
        &self.bands
    }

    /// The position of the band a published index falls in.
    pub fn classify(&self, published_index: Decimal) -> Option<usize> {
        self.bands.iter().position(|b| published_index >= b.from)
    }

    /// The label of the band a published index falls in.
    pub fn label(&self, published_index: Decimal) -> Option<&str> {
        self.classify(published_index)
            .map(|i| self.bands[i].label.as_str())
    }

    /// The list as text that [`BandScale::parse`] reads back: `A:90;B:80` with the language's
    /// decimal separator (`;` between entries so a decimal comma is unambiguous).
    pub fn to_spec(&self, lang: Lang) -> String {
        self.bands
            .iter()
            .map(|b| {
                let n = b.from.normalize().to_string();
                let n = match lang {
                    Lang::Vi => n.replace('.', ","),
                    Lang::En => n,
                };
                format!("{}:{n}", b.label)
            })
            .collect::<Vec<_>>()
            .join(";")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn published_values_are_compared_with_thresholds() {
        let n = BandScale::national();
        assert_eq!(n.label(d("90.00")), Some("A"));
        assert_eq!(n.label(d("89.99")), Some("B"));
        assert_eq!(n.label(d("70")), Some("C"));
        assert_eq!(n.label(d("12.5")), Some("Dưới 70%"));
        let i = BandScale::internal();
        assert_eq!(i.label(d("55")), Some("Trung bình"));
        let partial = BandScale::parse("A:90,B:80,C:70").unwrap();
        assert_eq!(partial.label(d("69.99")), None);
    }

    #[test]
    fn specs_parse_with_either_separator() {
        assert_eq!(
            BandScale::parse(" National ").unwrap(),
            BandScale::national()
        );
        let s = BandScale::parse("A:90,B:80,C:70,D:0").unwrap();
        assert_eq!(s.bands().len(), 4);
        let s = BandScale::parse("Xuất sắc:92,5; Tốt: 85 ;Khá:70%;Yếu:0").unwrap();
        assert_eq!(s.bands()[0].from, d("92.5"));
        assert_eq!(s.to_spec(Lang::Vi), "Xuất sắc:92,5;Tốt:85;Khá:70;Yếu:0");
        assert_eq!(BandScale::parse(&s.to_spec(Lang::Vi)).unwrap(), s);
        assert_eq!(BandScale::parse(&s.to_spec(Lang::En)).unwrap(), s);
    }

    #[test]
    fn every_problem_in_a_spec_is_reported() {
        let msgs = |spec: &str| -> Vec<String> {
            BandScale::parse(spec)
                .unwrap_err()
                .iter()
                .map(|e| e.message(Lang::Vi))
                .collect()
        };
        assert_eq!(
            msgs("A:80,B:90,A:101,C:90,D:-1"),
            vec![
                "B: ngưỡng phải thấp hơn ngưỡng của A; xếp các mức từ cao xuống thấp.",
                "A: ngưỡng không được lớn hơn 100%.",
                "A: ngưỡng phải thấp hơn ngưỡng của B; xếp các mức từ cao xuống thấp.",
                "Nhãn \"A\" bị lặp.",
                "D: ngưỡng không được âm.",
            ]
        );
        assert_eq!(msgs("A:90,B:90"), vec!["B: trùng ngưỡng với A."]);
        assert_eq!(
            msgs("A=90,B:chín"),
            vec![
                "\"A=90\" không đúng dạng nhãn:ngưỡng, ví dụ A:90.",
                "B: ngưỡng \"chín\" không phải là số."
            ]
        );
        assert_eq!(msgs(""), vec!["Chưa có mức xếp loại nào."]);
        assert_eq!(msgs(":90"), vec!["Nhãn xếp loại không được để trống."]);
    }
}
