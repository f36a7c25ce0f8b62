//! Property tests of the results over generated frameworks (with bonus and deduction items
//! added) and generated rounds.

use super::*;
use crate::framework::arbitrary::framework;
use crate::framework::{Framework, Node, Points, Rule};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn extra(code: String, rule: Rule, max: Option<Points>) -> Node {
    Node {
        code,
        name: "Điểm cộng, điểm trừ".into(),
        name_en: None,
        max,
        guidance: None,
        evidence: None,
        illustrative: false,
        lead_unit: None,
        survey_max: None,
        allow_not_applicable: false,
        not_applicable_when: BTreeMap::new(),
        previous_code: None,
        from_records: None,
        rule: Some(rule),
        children: vec![],
    }
}

/// Adds bonus (`.8`) and deduction (`.9`) items to fields and criteria chosen by `bits`
/// (generated branches have at most three children, so the codes are free).
fn with_extras(mut f: Framework, bits: u64) -> Framework {
    let mut bit = 0;
    let mut take = || {
        bit += 1;
        bits >> (bit % 64) & 1 == 1
    };
    fn add(n: &mut Node, take: &mut dyn FnMut() -> bool) {
        if n.is_leaf() {
            return;
        }
        for c in &mut n.children {
            add(c, take);
        }
        if take() {
            n.children.push(extra(
                format!("{}.8", n.code),
                Rule::Bonus {
                    step: Points::from_scaled(2500),
                },
                Some(Points::from_scaled(5000)),
            ));
        }
        if take() {
            n.children.push(extra(
                format!("{}.9", n.code),
                Rule::Deduction {
                    amount: Points::from_scaled(7500),
                },
                None,
            ));
        }
    }
    for field in &mut f.fields {
        add(field, &mut take);
    }
    f
}

const NAMES: [&str; 8] = [
    "Xã Đông Hòa",
    "Xã An Bình",
    "Phường Bắc Sơn",
    "Xã Ân Thi",
    "Phường Dương Nội",
    "Xã Ăn Khê",
    "Sở Tư pháp",
    "Sở Nội vụ",
];

/// Leaf points from a raw number: often the maximum or the minimum (to make ties), else any
/// value in range.
fn leaf_points(node: &Node, raw: u32) -> Points {
    let (min, max) = match &node.rule {
        Some(Rule::Deduction { amount }) => (-amount.to_scaled().unwrap(), 0),
        _ => (0, node.max.unwrap().to_scaled().unwrap()),
    };
    let v = match raw % 4 {
        0 => max,
        1 => min,
        _ => min + i64::from(raw / 4) % (max - min + 1),
    };
    Points::from_scaled(v)
}

/// A framework and every unit's input.
fn round() -> impl Strategy<Value = (Framework, Vec<UnitInput>)> {
    (framework(), any::<u64>(), 1..9usize)
        .prop_flat_map(|(f, bits, n)| {
            let f = with_extras(f, bits);
            let leaves = f.leaves().len();
            let nodes = f.walk().len();
            let unit = (
                proptest::collection::vec(any::<u32>(), leaves),
                proptest::collection::vec(0u8..12, nodes),
            );
            (Just(f), proptest::collection::vec(unit, n))
        })
        .prop_map(|(f, units)| {
            let leaves = f.leaves();
            let codes: Vec<String> = f.walk().iter().map(|l| l.node.code.clone()).collect();
            let inputs = units
                .into_iter()
                .enumerate()
                .map(|(i, (raw, exempt))| UnitInput {
                    name: format!("{} {}", NAMES[i % NAMES.len()], i / NAMES.len()),
                    group: Some(["Xã, phường", "Sở, ban, ngành"][i % 2].into()),
                    points: leaves
                        .iter()
                        .zip(&raw)
                        .map(|(l, &r)| (l.code.clone(), leaf_points(l, r)))
                        .collect(),
                    exempt: codes
                        .iter()
                        .zip(&exempt)
                        .filter(|(_, e)| **e == 0)
                        .map(|(c, _)| c.clone())
                        .collect(),
                    samples: vec![],
                })
                .collect();
            (f, inputs)
        })
}

fn prepare(l: &Layout, inputs: &[UnitInput]) -> Vec<UnitScores> {
    inputs.iter().map(|i| l.prepare(i).unwrap()).collect()
}

/// The documented rule, written directly over the tree: (points, applicable max).
fn reference(
    n: &Node,
    points: &BTreeMap<&str, Points>,
    exempt: &BTreeSet<&str>,
) -> (Points, Points) {
    if exempt.contains(n.code.as_str()) {
        return (Points::ZERO, Points::ZERO);
    }
    if n.is_leaf() {
        return (
            points.get(n.code.as_str()).copied().unwrap_or(Points::ZERO),
            n.counted_max(),
        );
    }
    let (mut sum, mut max) = (Points::ZERO, Points::ZERO);
    for c in &n.children {
        let (p, m) = reference(c, points, exempt);
        sum = sum + p;
        max = max + m;
    }
    (sum.max(Points::ZERO).min(max), max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_fast_computation_matches_the_documented_rule((f, inputs) in round()) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        for (u, input) in inputs.iter().enumerate() {
            let points: BTreeMap<&str, Points> =
                input.points.iter().map(|(c, p)| (c.as_str(), *p)).collect();
            let exempt: BTreeSet<&str> = input.exempt.iter().map(String::as_str).collect();
            let (mut total, mut max) = (Points::ZERO, Points::ZERO);
            for field in &f.fields {
                let (p, m) = reference(field, &points, &exempt);
                prop_assert_eq!(r.node(u, l.position(&field.code).unwrap()).points, p);
                prop_assert_eq!(r.node(u, l.position(&field.code).unwrap()).max, m);
                total = total + p;
                max = max + m;
            }
            prop_assert_eq!(r.units()[u].total, total);
            prop_assert_eq!(r.units()[u].max, max);
        }
    }

    #[test]
    fn a_higher_index_never_gets_a_worse_rank((f, inputs) in round()) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        let units = r.units();
        for a in units {
            prop_assert_eq!(a.published_index, published(a.index()));
            let above = units.iter().filter(|b| b.published_index > a.published_index).count();
            prop_assert_eq!(a.rank as usize, above + 1);
            for b in units {
                if a.published_index > b.published_index {
                    prop_assert!(a.rank < b.rank);
                }
                if a.published_index == b.published_index {
                    prop_assert_eq!(a.rank, b.rank);
                }
            }
        }
        // The display order is by rank.
        let ranks: Vec<u32> = r.order().iter().map(|&i| units[i].rank).collect();
        prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn exemptions_never_push_an_index_above_100((f, inputs) in round()) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        let hundred = rust_decimal::Decimal::ONE_HUNDRED;
        for (u, unit) in r.units().iter().enumerate() {
            prop_assert!(unit.index() >= rust_decimal::Decimal::ZERO && unit.index() <= hundred);
            prop_assert!(unit.total <= unit.max);
            prop_assert!(unit.max <= l.max());
            for node in 0..l.nodes().len() {
                if let Some(pct) = r.node(u, node).percent()
                    && l.nodes()[node].kind == NodeKind::Branch
                {
                    prop_assert!(pct >= rust_decimal::Decimal::ZERO && pct <= hundred);
                }
            }
        }
    }

    #[test]
    fn what_if_without_changes_is_the_computed_result((f, inputs) in round()) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        for (u, unit) in r.units().iter().enumerate() {
            let w = r.what_if(u, &[]).unwrap();
            prop_assert_eq!(
                (w.total, w.max, w.published_index, w.rank),
                (unit.total, unit.max, unit.published_index, unit.rank)
            );
        }
    }

    #[test]
    fn a_rank_never_improves_when_only_own_points_drop(
        (f, inputs) in round(),
        pick in any::<prop::sample::Index>(),
        leaf in any::<prop::sample::Index>(),
        raw in any::<u32>(),
    ) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        let u = pick.index(inputs.len());
        let leaves = f.leaves();
        let node = leaves[leaf.index(leaves.len())];
        let now = inputs[u].points.iter().find(|(c, _)| *c == node.code).unwrap().1;
        let lower = leaf_points(node, raw).min(now);
        let w = r.what_if(u, &[(&node.code, lower)]).unwrap();
        prop_assert!(w.rank >= r.units()[u].rank);
        prop_assert!(w.total <= r.units()[u].total);
        // The fast what-if agrees with recomputing everything.
        let mut changed = inputs.clone();
        for p in &mut changed[u].points {
            if p.0 == node.code {
                p.1 = lower;
            }
        }
        let again = prepare(&l, &changed);
        let r2 = compute(&l, &again);
        prop_assert_eq!((w.total, w.rank), (r2.units()[u].total, r2.units()[u].rank));
    }

    #[test]
    fn a_reachable_target_is_reached_by_its_steps_and_its_total_is_the_least(
        (f, inputs) in round(),
        pick in any::<prop::sample::Index>(),
        k in 1u32..10,
        survey in any::<bool>(),
    ) {
        let l = Layout::new(&f);
        let scores = prepare(&l, &inputs);
        let r = compute(&l, &scores);
        let u = pick.index(inputs.len());
        let plan = r.target(u, &Target::Rank(k), survey);
        let needed = plan.total_needed.to_scaled().unwrap();
        let max = r.units()[u].max.to_scaled().unwrap();
        if max > 0 && needed > 0 {
            prop_assert!(from_hundredths(hundredths(needed, max)) >= plan.index_needed);
            prop_assert!(from_hundredths(hundredths(needed - 1, max)) < plan.index_needed);
        }
        match plan.outcome {
            TargetOutcome::AlreadyReached => {
                prop_assert!(r.units()[u].rank <= k);
                prop_assert!(r.units()[u].published_index >= plan.index_needed);
                prop_assert!(plan.steps.is_empty());
            }
            TargetOutcome::Reachable => {
                let changes: Vec<(&str, Points)> = plan
                    .steps
                    .iter()
                    .map(|s| (l.nodes()[s.node].code.as_str(), s.to))
                    .collect();
                let w = r.what_if(u, &changes).unwrap();
                prop_assert_eq!(w.total, plan.total_after);
                prop_assert!(w.published_index >= plan.index_needed);
                prop_assert!(w.rank <= k);
                let gains: Points = plan.steps.iter().map(|s| s.gain).sum();
                prop_assert_eq!(plan.total_now + gains, plan.total_after);
            }
            TargetOutcome::Impossible => {
                prop_assert!(plan.published_after < plan.index_needed);
            }
        }
    }
}
