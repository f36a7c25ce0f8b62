//! The draft of next year's plan from the points a unit lost: a goal per field (baseline from
//! the results, a target that recovers half of what was lost, for the administrator to edit)
//! and a task for each sub-criterion with the most recoverable points, led by the field's lead
//! unit, due before the next self-assessment opens.

use super::Deadline;
use crate::framework::Points;
use crate::ids::UnitId;
use crate::lang::Lang;
use crate::results::{Results, UnitChange, published};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A field's goal in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftGoal {
    pub field_code: String,
    pub field_name: String,
    pub baseline_points: Points,
    pub baseline_max: Points,
    /// As published (2 decimals).
    pub baseline_percent: Option<Decimal>,
    pub baseline_rank: Option<u32>,
    /// Positive = moved up since the year before.
    pub baseline_rank_change: Option<i64>,
    pub target_points: Points,
    pub target_percent: Option<Decimal>,
}

/// A suggested task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftTask {
    pub text: String,
    pub field_code: String,
    pub node_code: String,
    pub lead_unit: Option<UnitId>,
    pub deadline: Deadline,
    /// The points lost there last year: what the task may recover.
    pub expected_points: Points,
}

/// A draft plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub goals: Vec<DraftGoal>,
    pub tasks: Vec<DraftTask>,
}

/// Drafts `plan_year`'s plan for `unit` (its position in `results`) from last year's results.
/// `leads` maps field codes to their lead units; at most `max_tasks` tasks are suggested.
pub fn draft(
    results: &Results<'_>,
    unit: usize,
    change: Option<&UnitChange>,
    leads: &BTreeMap<String, UnitId>,
    plan_year: i32,
    max_tasks: usize,
    lang: Lang,
) -> Draft {
    let layout = results.layout();
    let ranks = results.field_ranks();
    let goals = layout
        .fields()
        .iter()
        .enumerate()
        .filter_map(|(i, &f)| {
            let n = results.node(unit, f);
            if !n.applicable {
                return None;
            }
            let node = &layout.nodes()[f];
            let lost = n.max - n.points;
            // Half of what was lost, to two decimals: a starting point, not a rule.
            let half = Points::new(published(lost.decimal() / Decimal::TWO));
            let target = (n.points + half).min(n.max);
            Some(DraftGoal {
                field_code: node.code.clone(),
                field_name: node.name.clone(),
                baseline_points: n.points,
                baseline_max: n.max,
                baseline_percent: n.published_percent(),
                baseline_rank: ranks.rank(unit, i),
                baseline_rank_change: change
                    .and_then(|c| c.fields.get(i))
                    .and_then(|fc| fc.rank_change),
                target_points: target,
                target_percent: crate::results::percent(target, n.max).map(published),
            })
        })
        .collect();
    let stats = results.leaf_stats();
    let due = NaiveDate::from_ymd_opt(plan_year, 11, 30)
        .map(|date| Deadline::Date { date })
        .unwrap_or(Deadline::Year { year: plan_year });
    let tasks = results
        .lost_points(&stats, unit)
        .into_iter()
        .filter(|l| l.lost.is_positive())
        .take(max_tasks)
        .map(|l| {
            let node = &layout.nodes()[l.node];
            let field_code = node.code.split('.').next().unwrap_or("").to_string();
            let text = match lang {
                Lang::Vi => format!(
                    "Khắc phục điểm bị mất tại tiêu chí {} \"{}\": năm trước đạt {}/{} điểm (đơn vị cao nhất đạt {}).",
                    node.code,
                    node.name,
                    l.points.display(lang),
                    l.max.display(lang),
                    l.best.display(lang)
                ),
                Lang::En => format!(
                    "Recover the points lost on {} \"{}\": {}/{} last year (best unit {}).",
                    node.code,
                    node.name,
                    l.points.display(lang),
                    l.max.display(lang),
                    l.best.display(lang)
                ),
            };
            DraftTask {
                text,
                lead_unit: leads.get(&field_code).copied(),
                field_code,
                node_code: node.code.clone(),
                deadline: due,
                expected_points: l.lost,
            }
        })
        .collect();
    Draft { goals, tasks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::layout::tests::{good, input};
    use crate::results::{Layout, compute};

    #[test]
    fn a_draft_has_a_goal_per_field_and_tasks_for_the_most_lost_points() {
        let f = good();
        let layout = Layout::new(&f);
        let inputs = [
            input(
                "Sở A",
                &[
                    ("1.1.1", "0.5"),
                    ("1.1.2", "1"),
                    ("1.2", "1"),
                    ("2.1", "2"),
                    ("2.2", "2"),
                ],
                &[],
            ),
            input(
                "Sở B",
                &[
                    ("1.1.1", "1"),
                    ("1.1.2", "1"),
                    ("1.2", "2"),
                    ("2.1", "2"),
                    ("2.2", "2"),
                ],
                &[],
            ),
        ];
        let scores: Vec<_> = inputs.iter().map(|i| layout.prepare(i).unwrap()).collect();
        let results = compute(&layout, &scores);
        let leads = BTreeMap::from([("1".to_string(), UnitId(7))]);
        let d = draft(&results, 0, None, &leads, 2026, 2, Lang::Vi);
        assert_eq!(d.goals.len(), 2);
        // Field 1: 2,5 of 4 → target recovers half of 1,5.
        assert_eq!(d.goals[0].baseline_points, Points::parse("2.5").unwrap());
        assert_eq!(d.goals[0].target_points, Points::parse("3.25").unwrap());
        assert_eq!(d.goals[0].baseline_percent, Some(Decimal::new(6250, 2)));
        // Survey item 2.3 (2 points) first, then 1.2 (1 point); two tasks at most.
        assert_eq!(d.tasks.len(), 2);
        assert_eq!(d.tasks[0].node_code, "2.3");
        assert_eq!(d.tasks[1].node_code, "1.2");
        assert_eq!(d.tasks[1].lead_unit, Some(UnitId(7)));
        assert_eq!(d.tasks[1].expected_points, Points::parse("1").unwrap());
        assert!(d.tasks[1].text.contains("1.2"));
        assert_eq!(d.tasks[0].deadline.label(Lang::Vi), "30/11/2026");
    }
}
