//! The built-in framework library (`frameworks/` in the repository), compiled into the binary
//! so that a new installation and the demo can load it without files.

use super::model::Framework;
use super::yaml::from_yaml;

/// File name and YAML text of every built-in framework.
pub const FILES: [(&str, &str); 4] = [
    (
        "par-province-876.yaml",
        include_str!("../../../../frameworks/par-province-876.yaml"),
    ),
    (
        "par-department.yaml",
        include_str!("../../../../frameworks/par-department.yaml"),
    ),
    (
        "par-commune.yaml",
        include_str!("../../../../frameworks/par-commune.yaml"),
    ),
    (
        "sipas.yaml",
        include_str!("../../../../frameworks/sipas.yaml"),
    ),
];

/// Every built-in framework with its file name. The library is checked by tests, so a parse
/// failure here is a build defect, reported rather than hidden.
pub fn all() -> Vec<(&'static str, Result<Framework, String>)> {
    FILES
        .iter()
        .map(|(name, text)| {
            (
                *name,
                from_yaml(text).map_err(|e| e.message(crate::lang::Lang::En)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::validate::validate;

    #[test]
    fn every_built_in_framework_parses_and_validates() {
        for (name, f) in all() {
            let f = f.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(validate(&f), vec![], "{name}");
        }
    }
}
