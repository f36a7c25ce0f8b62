//! Which parts of a framework apply to a unit, from the unit's attributes, and the maximum
//! that remains: an exempt node leaves both the score and the maximum (the index is rescaled).

use super::model::{Framework, Node};
use super::points::Points;
use std::collections::BTreeMap;

/// A unit's known attributes; a missing name is unknown.
pub type Attributes = BTreeMap<String, bool>;

/// The top-most nodes that do not apply to a unit with these attributes.
pub fn exempt_nodes<'a>(f: &'a Framework, attributes: &Attributes) -> Vec<&'a Node> {
    fn go<'a>(nodes: &'a [Node], attributes: &Attributes, out: &mut Vec<&'a Node>) {
        for n in nodes {
            if n.applies_to(attributes) {
                go(&n.children, attributes, out);
            } else {
                out.push(n);
            }
        }
    }
    let mut out = Vec::new();
    go(&f.fields, attributes, &mut out);
    out
}

/// The framework's maximum for a unit with these attributes.
pub fn applicable_max(f: &Framework, attributes: &Attributes) -> Points {
    f.max
        - exempt_nodes(f, attributes)
            .into_iter()
            .map(Node::counted_max)
            .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::yaml::from_yaml;

    fn good() -> Framework {
        from_yaml(include_str!("../../tests/golden/frameworks/good.yaml")).unwrap()
    }

    #[test]
    fn a_unit_without_procedures_loses_the_procedures_field_from_its_maximum() {
        let f = good();
        let mut attrs = Attributes::new();
        assert_eq!(
            applicable_max(&f, &attrs),
            f.max,
            "unknown attributes exempt nothing"
        );
        attrs.insert("has_procedures".into(), true);
        assert_eq!(applicable_max(&f, &attrs), f.max);
        attrs.insert("has_procedures".into(), false);
        let exempt: Vec<&str> = exempt_nodes(&f, &attrs)
            .iter()
            .map(|n| n.code.as_str())
            .collect();
        assert_eq!(exempt, vec!["2"]);
        assert_eq!(applicable_max(&f, &attrs), Points::parse("4").unwrap());
    }
}
