//! What changed between two versions of a framework, node by node (matched by code).

use super::model::{Framework, Node};
use crate::lang::Lang;
use std::collections::BTreeMap;

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A framework attribute (name, year, total…): what, before, after.
    Meta {
        what: &'static str,
        before: String,
        after: String,
    },
    Added {
        code: String,
        name: String,
    },
    Removed {
        code: String,
        name: String,
    },
    /// A node attribute changed.
    Changed {
        code: String,
        what: &'static str,
        before: String,
        after: String,
    },
}

impl Change {
    /// One line for a person.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Change::Meta {
                what,
                before,
                after,
            } => format!("{what}: {before} → {after}"),
            Change::Added { code, name } => format!(
                "+ {code} {name}{}",
                if vi { " (thêm mới)" } else { " (added)" }
            ),
            Change::Removed { code, name } => {
                format!("- {code} {name}{}", if vi { " (bỏ)" } else { " (removed)" })
            }
            Change::Changed {
                code,
                what,
                before,
                after,
            } => format!("~ {code} {what}: {before} → {after}"),
        }
    }
}

fn rule_text(n: &Node) -> String {
    n.rule
        .as_ref()
        .map(|r| {
            serde_saphyr::to_string(r)
                .unwrap_or_default()
                .replace('\n', " ")
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

fn max_text(n: &Node) -> String {
    n.max.map(|m| m.to_string()).unwrap_or_default()
}

/// Every difference from `old` to `new`, framework attributes first, then nodes in the new
/// order, then removed nodes.
pub fn diff(old: &Framework, new: &Framework) -> Vec<Change> {
    let mut out = Vec::new();
    let mut meta = |what: &'static str, a: String, b: String| {
        if a != b {
            out.push(Change::Meta {
                what,
                before: a,
                after: b,
            });
        }
    };
    meta("code", old.code.clone(), new.code.clone());
    meta("name", old.name.clone(), new.name.clone());
    meta(
        "unit_type",
        old.unit_type.code().into(),
        new.unit_type.code().into(),
    );
    meta("year", old.year.to_string(), new.year.to_string());
    meta("version", old.version.to_string(), new.version.to_string());
    meta(
        "decision",
        old.decision.clone().unwrap_or_default(),
        new.decision.clone().unwrap_or_default(),
    );
    meta("max", old.max.to_string(), new.max.to_string());
    let before: BTreeMap<&str, &Node> = old
        .walk()
        .into_iter()
        .map(|l| (l.node.code.as_str(), l.node))
        .collect();
    let after: BTreeMap<&str, &Node> = new
        .walk()
        .into_iter()
        .map(|l| (l.node.code.as_str(), l.node))
        .collect();
    for l in new.walk() {
        let n = l.node;
        match before.get(n.code.as_str()) {
            None => out.push(Change::Added {
                code: n.code.clone(),
                name: n.name.clone(),
            }),
            Some(o) => {
                let mut changed = |what: &'static str, a: String, b: String| {
                    if a != b {
                        out.push(Change::Changed {
                            code: n.code.clone(),
                            what,
                            before: a,
                            after: b,
                        });
                    }
                };
                changed("name", o.name.clone(), n.name.clone());
                changed("max", max_text(o), max_text(n));
                changed("rule", rule_text(o), rule_text(n));
                changed(
                    "guidance",
                    o.guidance.clone().unwrap_or_default(),
                    n.guidance.clone().unwrap_or_default(),
                );
                changed(
                    "evidence",
                    o.evidence.clone().unwrap_or_default(),
                    n.evidence.clone().unwrap_or_default(),
                );
                changed(
                    "lead_unit",
                    o.lead_unit.clone().unwrap_or_default(),
                    n.lead_unit.clone().unwrap_or_default(),
                );
                changed(
                    "not_applicable_when",
                    format!("{:?}", o.not_applicable_when),
                    format!("{:?}", n.not_applicable_when),
                );
            }
        }
    }
    for l in old.walk() {
        if !after.contains_key(l.node.code.as_str()) {
            out.push(Change::Removed {
                code: l.node.code.clone(),
                name: l.node.name.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::points::Points;
    use crate::framework::yaml::from_yaml;

    const OLD: &str = "code: f\nname: Bộ chỉ số\nunit_type: commune\nyear: 2024\nmax: 3\nfields:\n  - code: \"1\"\n    name: Lĩnh vực 1\n    max: 3\n    children:\n      - code: \"1.1\"\n        name: A\n        max: 2\n        rule: { type: boolean }\n      - code: \"1.2\"\n        name: B\n        max: 1\n        rule: { type: boolean }\n";

    #[test]
    fn changes_are_listed_by_code() {
        let old = from_yaml(OLD).unwrap();
        let mut new = old.clone();
        new.year = 2025;
        new.fields[0].children[0].max = Some(Points::parse("1.5").unwrap());
        new.fields[0].children[0].name = "A mới".into();
        new.fields[0].children.remove(1);
        let mut added = old.fields[0].children[1].clone();
        added.code = "1.3".into();
        added.name = "C".into();
        new.fields[0].children.push(added);
        let lines: Vec<String> = diff(&old, &new)
            .iter()
            .map(|c| c.message(Lang::Vi))
            .collect();
        assert_eq!(
            lines,
            vec![
                "year: 2024 → 2025",
                "~ 1.1 name: A → A mới",
                "~ 1.1 max: 2 → 1.5",
                "+ 1.3 C (thêm mới)",
                "- 1.2 B (bỏ)",
            ]
        );
        assert!(diff(&old, &old).is_empty());
    }
}

/// What storing a framework would do, given the latest stored version with its code and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportDecision {
    /// No version is stored yet.
    New,
    /// The latest stored version is identical: nothing to store.
    Unchanged,
    /// A newer version; these are its changes from the stored one.
    NewVersion(Vec<Change>),
}

/// A changed file that kept (or lowered) the stored version number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionConflict {
    pub stored_version: u32,
}

impl VersionConflict {
    /// What to tell the person importing.
    pub fn message(&self, f: &Framework, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!(
                "{} năm {} đã có phiên bản {} với nội dung khác; hãy tăng \"version\" lên {} để lưu thành phiên bản mới.",
                f.code,
                f.year,
                self.stored_version,
                self.stored_version + 1
            ),
            Lang::En => format!(
                "{} {} already has version {} with other content; raise \"version\" to {} to store a new version.",
                f.code,
                f.year,
                self.stored_version,
                self.stored_version + 1
            ),
        }
    }
}

/// Decides what an import does. Stored versions are never overwritten.
pub fn decide_import(
    latest: Option<&Framework>,
    new: &Framework,
) -> Result<ImportDecision, VersionConflict> {
    match latest {
        None => Ok(ImportDecision::New),
        Some(stored) if stored == new => Ok(ImportDecision::Unchanged),
        Some(stored) if new.version <= stored.version => Err(VersionConflict {
            stored_version: stored.version,
        }),
        Some(stored) => Ok(ImportDecision::NewVersion(diff(stored, new))),
    }
}

#[cfg(test)]
mod decision_tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    #[test]
    fn imports_never_overwrite_a_stored_version() {
        let f = from_yaml(tests_fixture()).unwrap();
        assert_eq!(decide_import(None, &f), Ok(ImportDecision::New));
        assert_eq!(decide_import(Some(&f), &f), Ok(ImportDecision::Unchanged));
        let mut changed = f.clone();
        changed.name = "Tên mới".into();
        assert_eq!(
            decide_import(Some(&f), &changed),
            Err(VersionConflict { stored_version: 1 })
        );
        changed.version = 2;
        match decide_import(Some(&f), &changed) {
            Ok(ImportDecision::NewVersion(c)) => assert_eq!(c.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    fn tests_fixture() -> &'static str {
        "code: f\nname: Bộ chỉ số\nunit_type: commune\nyear: 2024\nmax: 1\nfields:\n  - code: \"1\"\n    name: A\n    max: 1\n    children:\n      - code: \"1.1\"\n        name: B\n        max: 1\n        rule: { type: boolean }\n"
    }
}
