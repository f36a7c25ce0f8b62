//! The YAML form of a questionnaire (see `examples/surveys/`). Errors carry their line and
//! column, as framework files' do.

use super::questionnaire::Questionnaire;
use crate::framework::yaml::{FormatError, strip_location, translate};

/// Reads a questionnaire from YAML text (checking its form only; see [`super::validate`]).
pub fn from_yaml(text: &str) -> Result<Questionnaire, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_saphyr::from_str::<Questionnaire>(text).map_err(|e| {
        let location = e.location();
        let message = e.to_string();
        let first = message.lines().next().unwrap_or("").trim();
        FormatError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: translate(strip_location(first)),
        }
    })
}

/// Writes a questionnaire as YAML.
pub fn to_yaml(q: &Questionnaire) -> String {
    serde_saphyr::to_string(q).expect("a questionnaire always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::survey::validate::validate;

    const EXAMPLES: [(&str, &str); 2] = [
        (
            "lanh-dao-so.yaml",
            include_str!("../../../../examples/surveys/lanh-dao-so.yaml"),
        ),
        (
            "sipas-nguoi-dan.yaml",
            include_str!("../../../../examples/surveys/sipas-nguoi-dan.yaml"),
        ),
    ];

    #[test]
    fn the_examples_are_valid_and_survive_yaml_unchanged() {
        for (name, text) in EXAMPLES {
            let q = from_yaml(text).unwrap_or_else(|e| panic!("{name}: {}", e.message(Lang::En)));
            let problems: Vec<String> = validate(&q).iter().map(|p| p.message(Lang::En)).collect();
            assert_eq!(problems, Vec::<String>::new(), "{name}");
            let back = from_yaml(&to_yaml(&q)).unwrap();
            assert_eq!(back, q, "{name}");
            assert_eq!(back.fingerprint(), q.fingerprint());
        }
    }

    #[test]
    fn a_change_changes_the_fingerprint() {
        let q = from_yaml(EXAMPLES[0].1).unwrap();
        let mut changed = q.clone();
        changed.sections[0].questions[0].options[1].weight = 50.0;
        assert_ne!(q.fingerprint(), changed.fingerprint());
        assert_eq!(q.fingerprint().len(), 64);
    }

    #[test]
    fn format_errors_are_located_and_in_vietnamese() {
        let e =
            from_yaml("code: x\ntitle: y\ngroup: nguoi_dan\nsections: []\nbogus: 1\n").unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(
            e.message(Lang::Vi)
                .starts_with("Dòng 5, cột 1: không có mục \"bogus\""),
            "{}",
            e.message(Lang::Vi)
        );
        let e = from_yaml(
            "code: x\ntitle: y\ngroup: g\nsections:\n  - title: A\n    questions:\n      - { code: Q1, text: t, kind: slider }\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(
            e.message(Lang::Vi).contains("\"slider\" không hợp lệ"),
            "{}",
            e.message(Lang::Vi)
        );
    }
}
