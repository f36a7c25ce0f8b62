//! Improvement plans in storage: the plan and its goals, KPIs with reported actuals, tasks with
//! their lead and cooperating units, progress updates and extension requests. Every change is
//! written with its audit entry in one transaction. Status is not stored: it is computed from
//! the deadline, an approved extension and the day the task was done (`chiso_core::plan`).

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::rounds::RoundId;
use crate::time::{from_millis, to_millis};
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use chiso_core::plan::imported::OutlineItem;
use chiso_core::plan::{Deadline, Direction};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A plan's identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanId(pub i64);

/// Whether a plan is still being written or was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Issued,
}

impl PlanStatus {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Issued => "issued",
        }
    }

    fn from_code(code: &str) -> Option<PlanStatus> {
        match code {
            "draft" => Some(PlanStatus::Draft),
            "issued" => Some(PlanStatus::Issued),
            _ => None,
        }
    }
}

/// The metadata of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMeta {
    /// The unit whose plan it is (the province, a department).
    pub unit: UnitId,
    pub year: i32,
    pub title: String,
    pub number: String,
    pub decision_date: Option<NaiveDate>,
    pub issuer: String,
}

/// A goal of one field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Goal {
    pub field_code: String,
    pub field_name: String,
    pub baseline_points: Option<Points>,
    pub baseline_max: Option<Points>,
    pub baseline_percent: Option<Decimal>,
    pub baseline_rank: Option<i64>,
    pub baseline_rank_change: Option<i64>,
    pub target_points: Option<Points>,
    pub target_percent: Option<Decimal>,
    pub target_rank: Option<i64>,
    /// A group such as "top 15", "nhóm A".
    pub target_group: String,
}

/// A task as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub text: String,
    pub field_code: String,
    pub node_codes: Vec<String>,
    pub lead_unit: Option<UnitId>,
    pub cooperators: Vec<UnitId>,
    pub deadline: Deadline,
    pub output: String,
    pub expected_points: Option<Points>,
}

/// A KPI as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKpi {
    pub text: String,
    pub direction: Direction,
    pub target: Decimal,
    pub unit_label: String,
    /// The unit that reports the actual values, if not only the plan's administrators.
    pub unit: Option<UnitId>,
}

/// A stored task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub plan: PlanId,
    pub task: NewTask,
    pub done_on: Option<NaiveDate>,
    pub extension_until: Option<NaiveDate>,
}

/// A KPI's reported value for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiActual {
    pub period: String,
    pub value: Decimal,
    pub source: String,
    pub reported_at: DateTime<Utc>,
    pub reported_by: String,
}

/// A KPI (chỉ tiêu).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kpi {
    pub id: i64,
    pub text: String,
    pub direction: Direction,
    pub target: Decimal,
    pub unit_label: String,
    /// The unit that reports the actual values, if not only the plan's administrators.
    pub unit: Option<UnitId>,
    pub actuals: Vec<KpiActual>,
}

/// What an imported plan document says beyond its goals, KPIs and tasks: its legal bases and
/// its outline (section headings, nested), kept to show with the plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PlanDocument {
    #[serde(default)]
    pub legal_bases: Vec<String>,
    #[serde(default)]
    pub outline: Vec<OutlineItem>,
}

/// A plan with everything in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: PlanId,
    pub meta: PlanMeta,
    pub status: PlanStatus,
    pub source: String,
    pub round: Option<RoundId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub goals: Vec<Goal>,
    pub kpis: Vec<Kpi>,
    pub tasks: Vec<Task>,
    pub document: PlanDocument,
}

/// A progress update on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskUpdate {
    pub id: i64,
    pub unit: UnitId,
    pub text: String,
    pub at: DateTime<Utc>,
    pub by: String,
    /// The evidence sent with it: (SHA-256, file name, content type).
    pub file: Option<(String, String, String)>,
}

/// An extension request and its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub id: i64,
    pub task: i64,
    pub until: NaiveDate,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// `None` while pending.
    pub approved: Option<bool>,
    pub decided_by: Option<String>,
    pub note: String,
}

fn scaled(d: Decimal) -> Result<i64, StoreError> {
    Points::new(d)
        .to_scaled()
        .ok_or_else(|| StoreError::Corrupt(format!("{d}: more than four decimals")))
}

fn unscaled(v: i64) -> Decimal {
    Points::from_scaled(v).decimal()
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    unit_id: i64,
    year: i64,
    title: String,
    number: String,
    decision_date: Option<NaiveDate>,
    issuer: String,
    status: String,
    source: String,
    round_id: Option<i64>,
    created_at: i64,
    created_by: String,
    sections: String,
}

type GoalRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
);

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    plan_id: i64,
    text: String,
    field_code: String,
    node_codes: String,
    lead_unit_id: Option<i64>,
    deadline: String,
    output: String,
    expected_points: Option<i64>,
    done_on: Option<NaiveDate>,
    extension_until: Option<NaiveDate>,
}

impl TaskRow {
    fn into_task(self, cooperators: Vec<UnitId>) -> Result<Task, StoreError> {
        let deadline: Deadline = serde_json::from_str(&self.deadline)
            .map_err(|e| StoreError::Corrupt(format!("task {} deadline: {e}", self.id)))?;
        Ok(Task {
            id: self.id,
            plan: PlanId(self.plan_id),
            task: NewTask {
                text: self.text,
                field_code: self.field_code,
                node_codes: self
                    .node_codes
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                lead_unit: self.lead_unit_id.map(UnitId),
                cooperators,
                deadline,
                output: self.output,
                expected_points: self.expected_points.map(Points::from_scaled),
            },
            done_on: self.done_on,
            extension_until: self.extension_until,
        })
    }
}

/// A goal's numbers as stored (scaled decimals), refused when more precise than four decimals.
fn goal_values(g: &Goal) -> Result<[Option<i64>; 8], StoreError> {
    Ok([
        g.baseline_points.and_then(Points::to_scaled),
        g.baseline_max.and_then(Points::to_scaled),
        g.baseline_percent.map(scaled).transpose()?,
        g.baseline_rank,
        g.baseline_rank_change,
        g.target_points.and_then(Points::to_scaled),
        g.target_percent.map(scaled).transpose()?,
        g.target_rank,
    ])
}

/// Inserts one goal at a position through an open transaction.
macro_rules! insert_goal {
    ($tx:expr, $plan:expr, $i:expr, $g:expr, $v:expr) => {{
        let (g, v): (&Goal, &[Option<i64>; 8]) = ($g, $v);
        sqlx::query(
            "INSERT INTO plan_goals (plan_id, position, field_code, field_name, baseline_points, baseline_max, baseline_percent, \
             baseline_rank, baseline_rank_change, target_points, target_percent, target_rank, target_group) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind($plan)
        .bind($i as i64)
        .bind(&g.field_code)
        .bind(&g.field_name)
        .bind(v[0])
        .bind(v[1])
        .bind(v[2])
        .bind(v[3])
        .bind(v[4])
        .bind(v[5])
        .bind(v[6])
        .bind(v[7])
        .bind(&g.target_group)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// A task as written, for the audit trail.
fn task_json(t: &NewTask) -> serde_json::Value {
    serde_json::json!({
        "text": t.text,
        "field": t.field_code,
        "nodes": t.node_codes,
        "lead": t.lead_unit.map(|u| u.0),
        "cooperators": t.cooperators.iter().map(|u| u.0).collect::<Vec<_>>(),
        "deadline": t.deadline,
        "output": t.output,
        "expected_points": t.expected_points.map(|p| p.to_string()),
    })
}

/// Goals' targets, for the audit trail.
fn goals_json(goals: &[Goal]) -> serde_json::Value {
    goals
        .iter()
        .map(|g| {
            serde_json::json!({
                "field": g.field_code,
                "target_points": g.target_points.map(|p| p.to_string()),
                "target_percent": g.target_percent.map(|p| p.to_string()),
                "target_rank": g.target_rank,
                "target_group": g.target_group,
            })
        })
        .collect()
}

/// Inserts a task and its cooperating units through an open transaction; gives its id.
macro_rules! insert_task {
    ($tx:expr, $plan:expr, $t:expr, $now:expr) => {{
        let t: &NewTask = $t;
        let deadline =
            serde_json::to_string(&t.deadline).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO plan_tasks (plan_id, text, field_code, node_codes, lead_unit_id, deadline, output, expected_points, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind($plan)
        .bind(&t.text)
        .bind(&t.field_code)
        .bind(t.node_codes.join(","))
        .bind(t.lead_unit.map(|u| u.0))
        .bind(deadline)
        .bind(&t.output)
        .bind(t.expected_points.and_then(Points::to_scaled))
        .bind(to_millis($now))
        .fetch_one(&mut *$tx)
        .await?;
        for u in &t.cooperators {
            sqlx::query("INSERT INTO task_cooperators (task_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(u.0)
                .execute(&mut *$tx)
                .await?;
        }
        id
    }};
}

const TASK_COLUMNS: &str = "id, plan_id, text, field_code, node_codes, lead_unit_id, deadline, output, expected_points, done_on, extension_until";

impl Store {
    /// Creates a plan (a draft) with its goals and tasks, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_plan(
        &self,
        meta: &PlanMeta,
        source: &str,
        round: Option<RoundId>,
        goals: &[Goal],
        kpis: &[NewKpi],
        tasks: &[NewTask],
        document: Option<&PlanDocument>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<PlanId, StoreError> {
        let document = serde_json::to_string(&document.cloned().unwrap_or_default())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let kpi_targets: Vec<i64> = kpis
            .iter()
            .map(|k| scaled(k.target))
            .collect::<Result<_, _>>()?;
        let goal_values: Vec<[Option<i64>; 8]> =
            goals.iter().map(goal_values).collect::<Result<_, _>>()?;
        let id = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plans (unit_id, year, title, number, decision_date, issuer, status, source, round_id, sections, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(meta.unit.0)
            .bind(i64::from(meta.year))
            .bind(&meta.title)
            .bind(&meta.number)
            .bind(meta.decision_date)
            .bind(&meta.issuer)
            .bind(PlanStatus::Draft.code())
            .bind(source)
            .bind(round.map(|r| r.0))
            .bind(&document)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await?;
            for (i, (g, v)) in goals.iter().zip(&goal_values).enumerate() {
                insert_goal!(tx, id, i, g, v);
            }
            for t in tasks {
                insert_task!(tx, id, t, now);
            }
            for (k, target) in kpis.iter().zip(&kpi_targets) {
                sqlx::query(
                    "INSERT INTO plan_kpis (plan_id, text, direction, target, unit_label, unit_id) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(&k.text)
                .bind(k.direction.code())
                .bind(*target)
                .bind(&k.unit_label)
                .bind(k.unit.map(|u| u.0))
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(now, by, "plan.create", "plan", id, meta.title.clone())
                .after(&serde_json::json!({ "source": source, "goals": goals.len(), "kpis": kpis.len(), "tasks": tasks.len() }));
            record_audit!(tx, entry);
            id
        });
        Ok(PlanId(id))
    }

    /// Every plan with its tasks (for lists and counts), newest year first.
    pub async fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let rows: Vec<PlanRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, year, title, number, decision_date, issuer, status, source, round_id, created_at, created_by, sections \
                 FROM plans ORDER BY year DESC, id DESC",
            )
            .fetch_all(pool)
            .await
        })?;
        let mut tasks = self.tasks_where(None).await?;
        rows.into_iter()
            .map(|r| {
                let id = r.id;
                let mut p = plan_of(r)?;
                p.tasks = tasks.remove(&id).unwrap_or_default();
                Ok(p)
            })
            .collect()
    }

    /// One plan with its goals, KPIs (and actuals) and tasks.
    pub async fn plan(&self, id: PlanId) -> Result<Plan, StoreError> {
        let row: Option<PlanRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, year, title, number, decision_date, issuer, status, source, round_id, created_at, created_by, sections \
                 FROM plans WHERE id = $1",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await
        })?;
        let mut plan = plan_of(row.ok_or(StoreError::NotFound)?)?;
        let goals: Vec<GoalRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, field_code, field_name, baseline_points, baseline_max, baseline_percent, baseline_rank, baseline_rank_change, \
                 target_points, target_percent, target_rank, target_group FROM plan_goals WHERE plan_id = $1 ORDER BY position",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        plan.goals = goals
            .into_iter()
            .map(|g| Goal {
                field_code: g.1,
                field_name: g.2,
                baseline_points: g.3.map(Points::from_scaled),
                baseline_max: g.4.map(Points::from_scaled),
                baseline_percent: g.5.map(unscaled),
                baseline_rank: g.6,
                baseline_rank_change: g.7,
                target_points: g.8.map(Points::from_scaled),
                target_percent: g.9.map(unscaled),
                target_rank: g.10,
                target_group: g.11,
            })
            .collect();
        let kpis: Vec<(i64, String, String, i64, String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, text, direction, target, unit_label, unit_id FROM plan_kpis WHERE plan_id = $1 ORDER BY id",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        let actuals: Vec<(i64, String, i64, String, i64, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.kpi_id, a.period, a.value, a.source, a.reported_at, a.reported_by FROM kpi_actuals a \
                 JOIN plan_kpis k ON k.id = a.kpi_id WHERE k.plan_id = $1 ORDER BY a.id",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        plan.kpis = kpis
            .into_iter()
            .map(|(kid, text, direction, target, unit_label, unit)| {
                Ok(Kpi {
                    id: kid,
                    text,
                    direction: Direction::from_code(&direction)
                        .ok_or_else(|| StoreError::Corrupt(format!("kpi direction {direction}")))?,
                    target: unscaled(target),
                    unit_label,
                    unit: unit.map(UnitId),
                    actuals: actuals
                        .iter()
                        .filter(|a| a.0 == kid)
                        .map(|a| KpiActual {
                            period: a.1.clone(),
                            value: unscaled(a.2),
                            source: a.3.clone(),
                            reported_at: from_millis(a.4),
                            reported_by: a.5.clone(),
                        })
                        .collect(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        plan.tasks = self
            .tasks_where(Some(id))
            .await?
            .remove(&id.0)
            .unwrap_or_default();
        Ok(plan)
    }

    /// Tasks of one plan (or of all), grouped by plan, with their cooperating units.
    async fn tasks_where(
        &self,
        plan: Option<PlanId>,
    ) -> Result<HashMap<i64, Vec<Task>>, StoreError> {
        let rows: Vec<TaskRow> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {TASK_COLUMNS} FROM plan_tasks WHERE ($1 IS NULL OR plan_id = $1) ORDER BY id"
            )))
            .bind(plan.map(|p| p.0))
            .fetch_all(pool)
            .await
        })?;
        let coop: Vec<(i64, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.task_id, c.unit_id FROM task_cooperators c JOIN plan_tasks t ON t.id = c.task_id \
                 WHERE ($1 IS NULL OR t.plan_id = $1) ORDER BY c.unit_id",
            )
            .bind(plan.map(|p| p.0))
            .fetch_all(pool)
            .await
        })?;
        let mut by_task: HashMap<i64, Vec<UnitId>> = HashMap::new();
        for (t, u) in coop {
            by_task.entry(t).or_default().push(UnitId(u));
        }
        let mut out: HashMap<i64, Vec<Task>> = HashMap::new();
        for r in rows {
            let plan_id = r.plan_id;
            let c = by_task.remove(&r.id).unwrap_or_default();
            out.entry(plan_id).or_default().push(r.into_task(c)?);
        }
        Ok(out)
    }

    /// One task with its updates and extension requests.
    pub async fn task(
        &self,
        id: i64,
    ) -> Result<(Task, Vec<TaskUpdate>, Vec<Extension>), StoreError> {
        let row: Option<TaskRow> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {TASK_COLUMNS} FROM plan_tasks WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        let row = row.ok_or(StoreError::NotFound)?;
        let coop: Vec<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT unit_id FROM task_cooperators WHERE task_id = $1 ORDER BY unit_id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        let task = row.into_task(coop.into_iter().map(UnitId).collect())?;
        type UpdateRow = (
            i64,
            i64,
            String,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let updates: Vec<UpdateRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, text, at, by_name, file_sha256, file_name, content_type FROM task_updates \
                 WHERE task_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        type ExtensionRow = (
            i64,
            NaiveDate,
            String,
            String,
            i64,
            String,
            Option<String>,
            String,
        );
        let extensions: Vec<ExtensionRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, requested_until, reason, requested_by, requested_at, decision, decided_by, note \
                 FROM task_extensions WHERE task_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        Ok((
            task,
            updates
                .into_iter()
                .map(|(uid, u, text, at, by, sha, name, ctype)| TaskUpdate {
                    id: uid,
                    unit: UnitId(u),
                    text,
                    at: from_millis(at),
                    by,
                    file: match (sha, name) {
                        (Some(sha), Some(name)) => Some((sha, name, ctype.unwrap_or_default())),
                        _ => None,
                    },
                })
                .collect(),
            extensions
                .into_iter()
                .map(|e| Extension {
                    id: e.0,
                    task: id,
                    until: e.1,
                    reason: e.2,
                    requested_by: e.3,
                    requested_at: from_millis(e.4),
                    approved: match e.5.as_str() {
                        "approved" => Some(true),
                        "refused" => Some(false),
                        _ => None,
                    },
                    decided_by: e.6,
                    note: e.7,
                })
                .collect(),
        ))
    }

    /// Changes a plan's metadata, with an audit entry.
    pub async fn set_plan_meta(
        &self,
        id: PlanId,
        meta: &PlanMeta,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.plan(id).await?.meta;
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE plans SET year = $2, title = $3, number = $4, decision_date = $5, issuer = $6 WHERE id = $1",
            )
            .bind(id.0)
            .bind(i64::from(meta.year))
            .bind(&meta.title)
            .bind(&meta.number)
            .bind(meta.decision_date)
            .bind(&meta.issuer)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(now, by, "plan.meta", "plan", id.0, meta.title.clone())
                .before(&serde_json::json!({ "title": before.title, "number": before.number, "date": before.decision_date }))
                .after(&serde_json::json!({ "title": meta.title, "number": meta.number, "date": meta.decision_date }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Issues a draft plan (its number and date must be set; the caller checks).
    pub async fn issue_plan(
        &self,
        id: PlanId,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed = sqlx::query("UPDATE plans SET status = $2 WHERE id = $1 AND status = $3")
                .bind(id.0)
                .bind(PlanStatus::Issued.code())
                .bind(PlanStatus::Draft.code())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "plan {} is not a draft",
                    id.0
                )));
            }
            let entry = NewEntry::new(now, by, "plan.issue", "plan", id.0, String::new());
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Adds a task to a plan.
    pub async fn add_task(
        &self,
        plan: PlanId,
        task: &NewTask,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(transaction!(self, |tx| {
            let id = insert_task!(tx, plan.0, task, now);
            let entry = NewEntry::new(now, by, "plan.task_add", "plan", plan.0, task.text.clone());
            record_audit!(tx, entry);
            id
        }))
    }

    /// Rewrites a task as the administrator corrected it (text, field, lead and cooperating
    /// units, deadline, output, expected points); progress, done date and extensions stay.
    pub async fn update_task(
        &self,
        task: i64,
        new: &NewTask,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (old, _, _) = self.task(task).await?;
        let deadline =
            serde_json::to_string(&new.deadline).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE plan_tasks SET text = $2, field_code = $3, node_codes = $4, lead_unit_id = $5, deadline = $6, \
                 output = $7, expected_points = $8 WHERE id = $1",
            )
            .bind(task)
            .bind(&new.text)
            .bind(&new.field_code)
            .bind(new.node_codes.join(","))
            .bind(new.lead_unit.map(|u| u.0))
            .bind(&deadline)
            .bind(&new.output)
            .bind(new.expected_points.and_then(Points::to_scaled))
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM task_cooperators WHERE task_id = $1")
                .bind(task)
                .execute(&mut *tx)
                .await?;
            for u in &new.cooperators {
                sqlx::query("INSERT INTO task_cooperators (task_id, unit_id) VALUES ($1, $2)")
                    .bind(task)
                    .bind(u.0)
                    .execute(&mut *tx)
                    .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "plan.task_edit",
                "plan",
                old.plan.0,
                format!("{task}: {}", new.text),
            )
            .before(&task_json(&old.task))
            .after(&task_json(new));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Removes a task written by mistake. A task someone has reported on or asked more time
    /// for is refused: what units sent is never thrown away.
    pub async fn remove_task(
        &self,
        task: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (old, _, _) = self.task(task).await?;
        transaction!(self, |tx| {
            let used: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM task_updates WHERE task_id = $1) \
                 + (SELECT COUNT(*) FROM task_extensions WHERE task_id = $1)",
            )
            .bind(task)
            .fetch_one(&mut *tx)
            .await?;
            if used > 0 || old.done_on.is_some() {
                return Err(StoreError::Conflict(format!(
                    "task {task} has progress reports or extension requests"
                )));
            }
            sqlx::query("DELETE FROM plan_tasks WHERE id = $1")
                .bind(task)
                .execute(&mut *tx)
                .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.task_remove",
                "plan",
                old.plan.0,
                format!("{task}: {}", old.task.text),
            )
            .before(&task_json(&old.task));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Replaces a plan's goals (their baselines and targets) as the administrator corrected them.
    pub async fn set_goals(
        &self,
        plan: PlanId,
        goals: &[Goal],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.plan(plan).await?.goals;
        let values: Vec<[Option<i64>; 8]> =
            goals.iter().map(goal_values).collect::<Result<_, _>>()?;
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM plan_goals WHERE plan_id = $1")
                .bind(plan.0)
                .execute(&mut *tx)
                .await?;
            for (i, (g, v)) in goals.iter().zip(&values).enumerate() {
                insert_goal!(tx, plan.0, i, g, v);
            }
            let entry = NewEntry::new(
                now,
                by,
                "plan.goals",
                "plan",
                plan.0,
                format!("{} goals", goals.len()),
            )
            .before(&goals_json(&before))
            .after(&goals_json(goals));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Marks a task done on a day (or not done with `None`).
    pub async fn set_task_done(
        &self,
        task: i64,
        done_on: Option<NaiveDate>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (t, _, _) = self.task(task).await?;
        transaction!(self, |tx| {
            sqlx::query("UPDATE plan_tasks SET done_on = $2 WHERE id = $1")
                .bind(task)
                .bind(done_on)
                .execute(&mut *tx)
                .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.task_done",
                "plan",
                t.plan.0,
                format!("{task}"),
            )
            .before(&serde_json::json!({ "task": task, "done_on": t.done_on }))
            .after(&serde_json::json!({ "task": task, "done_on": done_on }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Records a unit's progress report on a task.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_task_update(
        &self,
        task: i64,
        unit: UnitId,
        text: &str,
        file: Option<(&str, &str, &str)>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (t, _, _) = self.task(task).await?;
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO task_updates (task_id, unit_id, text, at, by_name, file_sha256, file_name, content_type) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(task)
            .bind(unit.0)
            .bind(text)
            .bind(to_millis(now))
            .bind(&by.name)
            .bind(file.map(|f| f.0))
            .bind(file.map(|f| f.1))
            .bind(file.map(|f| f.2))
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.task_update",
                "plan",
                t.plan.0,
                format!("{task}: {text}"),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Asks for a later deadline.
    pub async fn request_extension(
        &self,
        task: i64,
        until: NaiveDate,
        reason: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (t, _, _) = self.task(task).await?;
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO task_extensions (task_id, requested_until, reason, requested_by, requested_at, decision, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(task)
            .bind(until)
            .bind(reason)
            .bind(&by.name)
            .bind(to_millis(now))
            .bind("pending")
            .bind("")
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.extension_request",
                "plan",
                t.plan.0,
                format!("{task}: {until} — {reason}"),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Approves (moving the task's deadline) or refuses a pending extension request.
    pub async fn decide_extension(
        &self,
        extension: i64,
        approve: bool,
        note: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let row: Option<(i64, NaiveDate)> = sqlx::query_as(
                "SELECT task_id, requested_until FROM task_extensions WHERE id = $1 AND decision = $2",
            )
            .bind(extension)
            .bind("pending")
            .fetch_optional(&mut *tx)
            .await?;
            let Some((task, until)) = row else {
                return Err(StoreError::Conflict(format!(
                    "extension {extension} was decided"
                )));
            };
            sqlx::query(
                "UPDATE task_extensions SET decision = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1",
            )
            .bind(extension)
            .bind(if approve { "approved" } else { "refused" })
            .bind(&by.name)
            .bind(to_millis(now))
            .bind(note)
            .execute(&mut *tx)
            .await?;
            if approve {
                sqlx::query("UPDATE plan_tasks SET extension_until = $2 WHERE id = $1")
                    .bind(task)
                    .bind(until)
                    .execute(&mut *tx)
                    .await?;
            }
            let plan: i64 = sqlx::query_scalar("SELECT plan_id FROM plan_tasks WHERE id = $1")
                .bind(task)
                .fetch_one(&mut *tx)
                .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.extension_decision",
                "plan",
                plan,
                format!("{task}: {} {until}", if approve { "approved" } else { "refused" }),
            )
            .after(&serde_json::json!({ "task": task, "approved": approve, "until": until, "note": note }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Adds a KPI to a plan.
    pub async fn add_kpi(
        &self,
        plan: PlanId,
        kpi: &NewKpi,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let target_scaled = scaled(kpi.target)?;
        Ok(transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_kpis (plan_id, text, direction, target, unit_label, unit_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(plan.0)
            .bind(&kpi.text)
            .bind(kpi.direction.code())
            .bind(target_scaled)
            .bind(&kpi.unit_label)
            .bind(kpi.unit.map(|u| u.0))
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::new(now, by, "plan.kpi_add", "plan", plan.0, kpi.text.clone());
            record_audit!(tx, entry);
            id
        }))
    }

    /// Reports a KPI's actual value for a period, with its source.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_kpi_actual(
        &self,
        plan: PlanId,
        kpi: i64,
        period: &str,
        value: Decimal,
        source: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let v = scaled(value)?;
        transaction!(self, |tx| {
            let owned: Option<i64> =
                sqlx::query_scalar("SELECT id FROM plan_kpis WHERE id = $1 AND plan_id = $2")
                    .bind(kpi)
                    .bind(plan.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO kpi_actuals (kpi_id, period, value, source, reported_at, reported_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(kpi)
            .bind(period)
            .bind(v)
            .bind(source)
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "plan.kpi_actual",
                "plan",
                plan.0,
                format!("{kpi} {period}: {value} ({source})"),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }
}

fn plan_of(r: PlanRow) -> Result<Plan, StoreError> {
    Ok(Plan {
        id: PlanId(r.id),
        meta: PlanMeta {
            unit: UnitId(r.unit_id),
            year: i32::try_from(r.year)
                .map_err(|_| StoreError::Corrupt(format!("plan year {}", r.year)))?,
            title: r.title,
            number: r.number,
            decision_date: r.decision_date,
            issuer: r.issuer,
        },
        status: PlanStatus::from_code(&r.status)
            .ok_or_else(|| StoreError::Corrupt(format!("plan status {}", r.status)))?,
        source: r.source,
        round: r.round_id.map(RoundId),
        created_at: from_millis(r.created_at),
        created_by: r.created_by,
        goals: Vec::new(),
        kpis: Vec::new(),
        tasks: Vec::new(),
        // Plans written in chiso store "[]": no document.
        document: serde_json::from_str(&r.sections).unwrap_or_default(),
    })
}
