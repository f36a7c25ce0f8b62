//! Year to year: a framework cloned for the next year, and the crosswalk that says which node
//! of one version became which node of the next, so results can be compared across years.

use super::model::Framework;
use crate::lang::Lang;
use std::collections::{BTreeMap, BTreeSet};

/// A copy of `f` for `year`: version 1, the same codes (so the crosswalk is the identity).
pub fn clone_for_year(f: &Framework, year: i32) -> Framework {
    let mut next = f.clone();
    next.year = year;
    next.version = 1;
    fn clear(nodes: &mut [super::model::Node]) {
        for n in nodes {
            n.previous_code = None;
            clear(&mut n.children);
        }
    }
    clear(&mut next.fields);
    next
}

/// Which node of the old framework each node of the new one continues.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Crosswalk {
    /// (old code, new code), in the new framework's order.
    pub pairs: Vec<(String, String)>,
    /// New nodes with no predecessor.
    pub added: Vec<String>,
    /// Old nodes nothing continues.
    pub removed: Vec<String>,
    /// `previous_code` values that name no node of the old framework, or name one twice.
    pub problems: Vec<CrosswalkProblem>,
}

/// A crosswalk entry that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrosswalkProblem {
    UnknownPrevious { code: String, previous: String },
    TakenTwice { previous: String, by: Vec<String> },
}

impl CrosswalkProblem {
    /// A sentence naming the node.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CrosswalkProblem::UnknownPrevious { code, previous }, Lang::Vi) => {
                format!("{code}: mã năm trước \"{previous}\" không có trong bộ chỉ số năm trước")
            }
            (CrosswalkProblem::UnknownPrevious { code, previous }, Lang::En) => {
                format!("{code}: previous code \"{previous}\" is not in the previous framework")
            }
            (CrosswalkProblem::TakenTwice { previous, by }, Lang::Vi) => {
                format!(
                    "mã năm trước \"{previous}\" được nối với nhiều tiêu chí: {}",
                    by.join(", ")
                )
            }
            (CrosswalkProblem::TakenTwice { previous, by }, Lang::En) => {
                format!(
                    "previous code \"{previous}\" is continued by several nodes: {}",
                    by.join(", ")
                )
            }
        }
    }
}

/// Builds the crosswalk from `old` to `new`: a node continues the old node named by its
/// `previous_code`, or else the old node with its own code.
pub fn crosswalk(old: &Framework, new: &Framework) -> Crosswalk {
    let old_codes: BTreeSet<&str> = old.walk().iter().map(|l| l.node.code.as_str()).collect();
    let explicit: BTreeSet<&str> = new
        .walk()
        .iter()
        .filter_map(|l| l.node.previous_code.as_deref())
        .collect();
    let mut out = Crosswalk::default();
    let mut taken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in new.walk() {
        let n = l.node;
        let previous = match &n.previous_code {
            Some(p) if old_codes.contains(p.as_str()) => Some(p.clone()),
            Some(p) => {
                out.problems.push(CrosswalkProblem::UnknownPrevious {
                    code: n.code.clone(),
                    previous: p.clone(),
                });
                None
            }
            // Its own code continues only if no other node explicitly took that old code.
            None if old_codes.contains(n.code.as_str()) && !explicit.contains(n.code.as_str()) => {
                Some(n.code.clone())
            }
            None => None,
        };
        match previous {
            Some(p) => {
                taken.entry(p.clone()).or_default().push(n.code.clone());
                out.pairs.push((p, n.code.clone()));
            }
            None => out.added.push(n.code.clone()),
        }
    }
    for (previous, by) in &taken {
        if by.len() > 1 {
            out.problems.push(CrosswalkProblem::TakenTwice {
                previous: previous.clone(),
                by: by.clone(),
            });
        }
    }
    out.removed = old
        .walk()
        .iter()
        .map(|l| l.node.code.clone())
        .filter(|c| !taken.contains_key(c))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    const OLD: &str = "code: f\nname: F\nunit_type: commune\nyear: 2025\nmax: 2\nfields:\n  - code: \"1\"\n    name: A\n    max: 2\n    children:\n      - code: \"1.1\"\n        name: B\n        max: 1\n        rule: { type: boolean }\n      - code: \"1.2\"\n        name: C\n        max: 1\n        rule: { type: boolean }\n";

    #[test]
    fn a_clone_continues_every_node() {
        let old = from_yaml(OLD).unwrap();
        let next = clone_for_year(&old, 2026);
        assert_eq!((next.year, next.version), (2026, 1));
        let cw = crosswalk(&old, &next);
        assert_eq!(cw.pairs.len(), 3);
        assert!(cw.added.is_empty() && cw.removed.is_empty() && cw.problems.is_empty());
    }

    #[test]
    fn renumbered_nodes_follow_their_previous_code() {
        let old = from_yaml(OLD).unwrap();
        let mut next = clone_for_year(&old, 2026);
        // 1.2 is now 1.1; the old 1.1 is dropped; a new 1.2 appears.
        next.fields[0].children[1].code = "1.1".into();
        next.fields[0].children[1].previous_code = Some("1.2".into());
        next.fields[0].children[0].code = "1.2".into();
        next.fields[0].children[0].name = "Mới".into();
        next.fields[0].children.swap(0, 1);
        let cw = crosswalk(&old, &next);
        assert_eq!(
            cw.pairs,
            vec![("1".into(), "1".into()), ("1.2".into(), "1.1".into())]
        );
        assert_eq!(cw.added, vec!["1.2".to_string()]);
        assert_eq!(cw.removed, vec!["1.1".to_string()]);
        assert!(cw.problems.is_empty());
    }

    #[test]
    fn impossible_crosswalks_are_reported() {
        let old = from_yaml(OLD).unwrap();
        let mut next = clone_for_year(&old, 2026);
        next.fields[0].previous_code = Some("9.9".into());
        next.fields[0].children[0].previous_code = Some("1.2".into());
        next.fields[0].children[1].previous_code = Some("1.2".into());
        let cw = crosswalk(&old, &next);
        let msgs: Vec<String> = cw.problems.iter().map(|p| p.message(Lang::Vi)).collect();
        assert_eq!(
            msgs,
            vec![
                "1: mã năm trước \"9.9\" không có trong bộ chỉ số năm trước".to_string(),
                "mã năm trước \"1.2\" được nối với nhiều tiêu chí: 1.1, 1.2".to_string(),
            ]
        );
    }
}
