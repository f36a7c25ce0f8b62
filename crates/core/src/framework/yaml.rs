//! The YAML form of a framework (see `docs/framework-format.md`).

use super::model::Framework;
use crate::lang::Lang;

/// A file that is not a framework at all (bad YAML, wrong types, unknown keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl FormatError {
    /// "Dòng 12, cột 5: …".
    pub fn message(&self, lang: Lang) -> String {
        match (self.line, self.column, lang) {
            (Some(l), Some(c), Lang::Vi) => format!("Dòng {l}, cột {c}: {}", self.message),
            (Some(l), Some(c), Lang::En) => format!("Line {l}, column {c}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Reads a framework from YAML text.
pub fn from_yaml(text: &str) -> Result<Framework, FormatError> {
    serde_saphyr::from_str::<Framework>(text).map_err(|e| {
        let location = e.location();
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("").trim();
        FormatError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: translate(strip_location(first)),
        }
    })
}

/// The library prefixes "error: line L column C: "; the location is reported separately.
pub(crate) fn strip_location(message: &str) -> &str {
    let m = message.strip_prefix("error: ").unwrap_or(message);
    if m.starts_with("line ")
        && let Some(i) = m.find(": ")
    {
        return &m[i + 2..];
    }
    m
}

/// Serde's usual messages in Vietnamese, so that a province's officer can act on them.
pub(crate) fn translate(message: &str) -> String {
    let between = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = s[start..].find('`')? + start;
        Some(s[start..end].to_string())
    };
    let after = |s: &str, marker: &str| s.find(marker).map(|i| s[i + marker.len()..].to_string());
    if message.starts_with("missing field")
        && let Some(f) = between(message)
    {
        return format!("thiếu mục bắt buộc \"{f}\"");
    }
    if message.starts_with("unknown field")
        && let (Some(f), Some(list)) = (between(message), after(message, "expected one of "))
    {
        return format!("không có mục \"{f}\"; các mục hợp lệ: {list}");
    }
    if message.starts_with("unknown variant")
        && let (Some(v), Some(list)) = (between(message), after(message, "expected one of "))
    {
        return format!("giá trị \"{v}\" không hợp lệ; dùng một trong: {list}");
    }
    if message.starts_with("duplicate field")
        && let Some(f) = between(message)
    {
        return format!("mục \"{f}\" bị khai báo hai lần");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("sai kiểu dữ liệu ({rest})");
    }
    // Our own messages are Vietnamese already; the parser's remaining ones are syntax errors.
    if message.is_ascii() {
        return format!("tệp YAML sai cú pháp ({message})");
    }
    message.to_string()
}

/// Writes a framework as YAML.
pub fn to_yaml(f: &Framework) -> String {
    serde_saphyr::to_string(f).expect("a framework always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::arbitrary::framework;
    use crate::framework::validate::validate;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_valid_framework_survives_yaml_unchanged(f in framework()) {
            prop_assert_eq!(validate(&f), vec![]);
            let text = to_yaml(&f);
            let back = from_yaml(&text);
            prop_assert_eq!(back.as_ref().ok(), Some(&f), "YAML was:\n{}", text);
        }
    }

    #[test]
    fn format_errors_are_located_and_in_vietnamese() {
        let e = from_yaml(
            "code: x\nname: y\nunit_type: province\nyear: 2025\nmax: 1\nfields: []\nbogus: 1\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(
            e.message(Lang::Vi)
                .starts_with("Dòng 7, cột 1: không có mục \"bogus\""),
            "{}",
            e.message(Lang::Vi)
        );
    }
}
