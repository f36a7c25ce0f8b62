//! The built-in framework library in `frameworks/` loads and validates, and the provincial
//! framework keeps the facts of Decision 876/QĐ-BNV that DOMAIN.md states.

use chiso_core::framework::validate::validate;
use chiso_core::framework::yaml::from_yaml;
use chiso_core::framework::{Framework, Points, Rule};
use chiso_core::lang::Lang;
use chiso_core::units::UnitType;
use std::path::PathBuf;

fn load(name: &str) -> Framework {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../frameworks")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f = from_yaml(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message(Lang::Vi)));
    let problems: Vec<String> = validate(&f).iter().map(|p| p.message(Lang::Vi)).collect();
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    f
}

fn p(s: &str) -> Points {
    Points::parse(s).unwrap()
}

fn survey_total(f: &Framework) -> Points {
    f.leaves()
        .into_iter()
        .filter(|n| matches!(n.rule, Some(Rule::Survey { .. })))
        .map(|n| n.max.unwrap())
        .sum()
}

#[test]
fn the_provincial_framework_keeps_the_facts_of_876() {
    let f = load("par-province-876.yaml");
    assert_eq!(f.unit_type, UnitType::Province);
    assert_eq!(f.shape(), (8, 37, 88));
    assert_eq!(f.max, p("100"));
    assert_eq!(survey_total(&f), p("32"));
    assert_eq!(f.fields[0].max, Some(p("9.5")));
    assert_eq!(f.fields[1].max, Some(p("10")));
    assert_eq!(f.fields[1].survey_max, Some(p("4")));
    assert!(f.decision.as_deref().unwrap_or("").contains("876/QĐ-BNV"));
    // What DOMAIN.md does not know is marked in the data itself.
    assert!(!f.fields[0].illustrative && !f.fields[1].illustrative);
    assert!(f.fields[2..].iter().all(|n| n.illustrative));
    assert_eq!(
        f.fields[2..].iter().map(|n| n.max.unwrap()).sum::<Points>(),
        p("80.5")
    );
}

#[test]
fn internal_frameworks_have_bonus_deduction_and_exemptions() {
    for (name, unit_type) in [
        ("par-department.yaml", UnitType::Department),
        ("par-commune.yaml", UnitType::Commune),
    ] {
        let f = load(name);
        assert_eq!(f.unit_type, unit_type, "{name}");
        assert!(f.illustrative, "{name} is illustrative");
        let leaves = f.leaves();
        assert!(
            leaves
                .iter()
                .any(|n| matches!(n.rule, Some(Rule::Bonus { .. }))),
            "{name}: a bonus item"
        );
        assert!(
            leaves
                .iter()
                .any(|n| matches!(n.rule, Some(Rule::Deduction { .. }))),
            "{name}: a deduction item"
        );
        assert!(
            f.walk()
                .iter()
                .any(|l| !l.node.not_applicable_when.is_empty()),
            "{name}: an exemption"
        );
    }
}

#[test]
fn sipas_has_five_survey_elements() {
    let f = load("sipas.yaml");
    assert_eq!(f.fields.len(), 5);
    assert_eq!(survey_total(&f), f.max);
}
