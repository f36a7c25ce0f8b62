//! SIPAS (Chỉ số hài lòng về sự phục vụ hành chính): satisfaction per element and overall,
//! per unit. Questions measure an element with `measures: SIPAS.1` … `SIPAS.5`; the overall
//! index is the mean of the elements present (an element nobody answered is left out, not
//! counted as 0, and the elements used are listed).

use super::aggregate::MeasureStat;
use crate::lang::Lang;
use serde::Serialize;

/// The prefix of SIPAS element codes (upper case).
pub const SIPAS_PREFIX: &str = "SIPAS.";

/// The 5 elements: Vietnamese and English names.
pub const ELEMENTS: [(&str, &str); 5] = [
    ("Tiếp cận dịch vụ", "Access to services"),
    ("Thủ tục hành chính", "Administrative procedures"),
    ("Công chức giải quyết công việc", "Civil servants"),
    ("Kết quả giải quyết công việc", "Service results"),
    (
        "Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị",
        "Handling of feedback",
    ),
];

/// The element number (1–5) of a code such as `SIPAS.3` (case aside).
pub fn element(code: &str) -> Option<u8> {
    let c = code.trim();
    let prefix = c.get(..SIPAS_PREFIX.len())?;
    if !prefix.eq_ignore_ascii_case(SIPAS_PREFIX) {
        return None;
    }
    match &c[SIPAS_PREFIX.len()..] {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        "5" => Some(5),
        _ => None,
    }
}

/// The code of element `k`: `SIPAS.k`.
pub fn code(k: u8) -> String {
    format!("{SIPAS_PREFIX}{k}")
}

/// The name of element `k` (1–5).
pub fn name(k: u8, lang: Lang) -> &'static str {
    let (vi, en) = ELEMENTS[usize::from(k.clamp(1, 5)) - 1];
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// One element for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipasElement {
    pub code: String,
    pub name: &'static str,
    #[serde(serialize_with = "super::report::percent")]
    pub satisfaction: f64,
    pub n: u32,
}

/// A unit's SIPAS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipasStat {
    pub unit: String,
    /// The elements with answers, in order.
    pub elements: Vec<SipasElement>,
    /// The mean of those elements (percent).
    #[serde(serialize_with = "super::report::percent")]
    pub overall: f64,
}

/// SIPAS per unit, from the measure rows (units in their order); units without any element
/// are left out.
pub fn sipas(measures: &[MeasureStat], lang: Lang) -> Vec<SipasStat> {
    let mut out: Vec<SipasStat> = Vec::new();
    for m in measures {
        let Some(k) = element(&m.measure) else {
            continue;
        };
        let e = SipasElement {
            code: code(k),
            name: name(k, lang),
            satisfaction: m.satisfaction,
            n: m.n,
        };
        match out.last_mut() {
            Some(s) if s.unit == m.unit => s.elements.push(e),
            _ => out.push(SipasStat {
                unit: m.unit.clone(),
                elements: vec![e],
                overall: 0.0,
            }),
        }
    }
    for s in &mut out {
        s.elements.sort_by(|a, b| a.code.cmp(&b.code));
        s.overall =
            s.elements.iter().map(|e| e.satisfaction).sum::<f64>() / s.elements.len() as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_codes() {
        assert_eq!(element("SIPAS.1"), Some(1));
        assert_eq!(element(" sipas.5 "), Some(5));
        assert_eq!(element("SIPAS.6"), None);
        assert_eq!(element("2.1.1"), None);
        assert_eq!(element("SIPAS"), None);
        assert_eq!(
            name(5, Lang::Vi),
            "Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị"
        );
    }

    fn stat(unit: &str, measure: &str, s: f64) -> MeasureStat {
        MeasureStat {
            unit: unit.into(),
            measure: measure.into(),
            satisfaction: s,
            n: 10,
            ci95: None,
            groups: vec![],
            missing_groups: vec![],
        }
    }

    #[test]
    fn overall_is_the_mean_of_the_elements_present() {
        let rows = vec![
            stat("X01", "2.1", 50.0),
            stat("X01", "SIPAS.1", 80.0),
            stat("X01", "SIPAS.2", 90.0),
            stat("X01", "SIPAS.4", 70.0),
            stat("X02", "SIPAS.5", 60.0),
        ];
        let s = sipas(&rows, Lang::Vi);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].elements.len(), 3);
        assert!((s[0].overall - 80.0).abs() < 1e-12);
        assert_eq!(s[1].overall, 60.0);
        assert_eq!(
            s[1].elements[0].name,
            "Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị"
        );
    }
}
