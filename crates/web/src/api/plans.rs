//! `/api/v1/plans`: improvement plans with goals, KPIs and tasks, for the accounts that may
//! read them on the plans pages (managers, results viewers, units involved in a task or KPI);
//! progress reports on tasks and KPI actuals, by those the plan pages let write them; tasks
//! added and corrected by administrators.

use super::{ApiError, Body, Id, Params, Problem, decimal};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::plans::{
    ask_extension, draft_plan, kpi_from_form, may_read, remove_unused_task, reports_kpi,
    require_report, settle_extension, task_from_form, task_of, task_status,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chiso_core::framework::Points;
use chiso_core::lang::Lang;
use chiso_core::plan::Tally;
use chiso_core::policy::{Action, Target};
use chiso_store::plans::{Goal, Kpi, NewKpi, NewTask, Plan, PlanId, PlanMeta, Task, TaskUpdate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A plan as listed.
#[derive(Serialize)]
pub struct PlanJson {
    id: i64,
    /// The unit the plan is for.
    unit_id: i64,
    year: i32,
    title: String,
    number: String,
    decision_date: Option<NaiveDate>,
    issuer: String,
    /// `draft` or `issued`.
    status: &'static str,
    tasks_summary: TallyJson,
}

/// Task counts by status.
#[derive(Serialize)]
pub struct TallyJson {
    total: usize,
    done_on_time: usize,
    done_late: usize,
    in_progress: usize,
    overdue: usize,
}

/// A plan in full.
#[derive(Serialize)]
pub struct PlanDetail {
    #[serde(flatten)]
    plan: PlanJson,
    /// The round whose results the plan answers, if any.
    round_id: Option<i64>,
    /// `draft_from_results`, `import` or `manual`.
    source: String,
    goals: Vec<GoalJson>,
    kpis: Vec<KpiJson>,
    tasks: Vec<TaskJson>,
}

/// A goal for one field.
#[derive(Serialize)]
pub struct GoalJson {
    field_code: String,
    field_name: String,
    baseline_points: Option<String>,
    baseline_max: Option<String>,
    baseline_percent: Option<String>,
    baseline_rank: Option<i64>,
    target_points: Option<String>,
    target_percent: Option<String>,
    target_rank: Option<i64>,
    target_group: String,
}

/// A KPI and its reported values.
#[derive(Serialize)]
pub struct KpiJson {
    id: i64,
    text: String,
    /// `above`, `at_least`, `at_most`, `decrease` or `increase`.
    direction: &'static str,
    target: String,
    unit_label: String,
    /// The unit that reports actual values.
    unit_id: Option<i64>,
    actuals: Vec<ActualJson>,
    /// Whether the latest value meets the target; none before any value.
    met: Option<bool>,
}

/// A reported KPI value.
#[derive(Serialize)]
pub struct ActualJson {
    period: String,
    value: String,
    source: String,
    reported_at: DateTime<Utc>,
}

/// A task with its computed status.
#[derive(Serialize)]
pub struct TaskJson {
    id: i64,
    text: String,
    field_code: String,
    node_codes: Vec<String>,
    lead_unit_id: Option<i64>,
    cooperating_unit_ids: Vec<i64>,
    /// The deadline as written, in the request's language ("Quý 2/2026", "Q2 2026").
    deadline: String,
    /// The last day the task may be done on time; none for ongoing tasks.
    due_on: Option<NaiveDate>,
    extension_until: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
    output: String,
    expected_points: Option<String>,
    /// `done_on_time`, `done_late`, `in_progress` or `overdue`, as of today.
    status: &'static str,
}

fn pts(p: Option<Points>) -> Option<String> {
    p.map(|p| p.to_string())
}

fn summary(p: &Plan) -> PlanJson {
    let tally: Tally = p.tasks.iter().map(task_status).collect();
    PlanJson {
        id: p.id.0,
        unit_id: p.meta.unit.0,
        year: p.meta.year,
        title: p.meta.title.clone(),
        number: p.meta.number.clone(),
        decision_date: p.meta.decision_date,
        issuer: p.meta.issuer.clone(),
        status: p.status.code(),
        tasks_summary: TallyJson {
            total: tally.total(),
            done_on_time: tally.done_on_time,
            done_late: tally.done_late,
            in_progress: tally.in_progress,
            overdue: tally.overdue,
        },
    }
}

fn goal(g: &Goal) -> GoalJson {
    GoalJson {
        field_code: g.field_code.clone(),
        field_name: g.field_name.clone(),
        baseline_points: pts(g.baseline_points),
        baseline_max: pts(g.baseline_max),
        baseline_percent: g.baseline_percent.map(|d| d.normalize().to_string()),
        baseline_rank: g.baseline_rank,
        target_points: pts(g.target_points),
        target_percent: g.target_percent.map(|d| d.normalize().to_string()),
        target_rank: g.target_rank,
        target_group: g.target_group.clone(),
    }
}

fn kpi(k: &Kpi) -> KpiJson {
    KpiJson {
        id: k.id,
        text: k.text.clone(),
        direction: k.direction.code(),
        target: k.target.normalize().to_string(),
        unit_label: k.unit_label.clone(),
        unit_id: k.unit.map(|u| u.0),
        actuals: k
            .actuals
            .iter()
            .map(|a| ActualJson {
                period: a.period.clone(),
                value: a.value.normalize().to_string(),
                source: a.source.clone(),
                reported_at: a.reported_at,
            })
            .collect(),
        met: k.actuals.last().map(|a| k.direction.met(k.target, a.value)),
    }
}

fn task(t: &Task, ctx: &Ctx) -> TaskJson {
    TaskJson {
        id: t.id,
        text: t.task.text.clone(),
        field_code: t.task.field_code.clone(),
        node_codes: t.task.node_codes.clone(),
        lead_unit_id: t.task.lead_unit.map(|u| u.0),
        cooperating_unit_ids: t.task.cooperators.iter().map(|u| u.0).collect(),
        deadline: t.task.deadline.label(ctx.lang),
        due_on: t.task.deadline.last_day(),
        extension_until: t.extension_until,
        done_on: t.done_on,
        output: t.task.output.clone(),
        expected_points: pts(t.task.expected_points),
        status: task_status(t).code(),
    }
}

/// The plans the account may read.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<PlanJson>>, WebError> {
    if !user.can(Action::ManagePlans, Target::Province)
        && !user.can(Action::ViewResults, Target::Province)
    {
        user.require(
            Action::ReportTaskProgress,
            Target::Unit(user.account().unit),
        )?;
    }
    let plans = state.store.plans().await?;
    Ok(Json(
        plans
            .iter()
            .filter(|p| may_read(&user, p))
            .map(summary)
            .collect(),
    ))
}

/// One plan.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Json<PlanDetail>, WebError> {
    let plan = state.store.plan(PlanId(id)).await?;
    if !may_read(&user, &plan) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    Ok(Json(detail(&plan, &ctx)))
}

fn detail(plan: &Plan, ctx: &Ctx) -> PlanDetail {
    PlanDetail {
        plan: summary(plan),
        round_id: plan.round.map(|r| r.0),
        source: plan.source.clone(),
        goals: plan.goals.iter().map(goal).collect(),
        kpis: plan.kpis.iter().map(kpi).collect(),
        tasks: plan.tasks.iter().map(|t| task(t, ctx)).collect(),
    }
}

/// A progress report as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// What was done.
    text: Option<String>,
    /// Marks the task done on this day (the lead unit or an administrator only).
    done_on: Option<NaiveDate>,
}

/// A progress report as stored.
#[derive(Serialize)]
pub struct UpdateJson {
    id: i64,
    unit_id: i64,
    text: String,
    at: DateTime<Utc>,
    by: String,
    /// Whether an evidence file came with it (files are sent on the task page).
    has_file: bool,
}

/// A task with its progress reports, after a report.
#[derive(Serialize)]
pub struct TaskProgress {
    task: TaskJson,
    updates: Vec<UpdateJson>,
}

fn update(u: &TaskUpdate) -> UpdateJson {
    UpdateJson {
        id: u.id,
        unit_id: u.unit.0,
        text: u.text.clone(),
        at: u.at,
        by: u.by.clone(),
        has_file: u.file.is_some(),
    }
}

/// A progress report on a task, as the task page takes it (without a file): by the lead or a
/// cooperating unit, or an administrator; `done_on` also marks the task done.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((plan, id)): Params<(i64, i64)>,
    Body(body): Body<ReportBody>,
) -> Result<(StatusCode, Json<TaskProgress>), ApiError> {
    let (t, _, _) = task_of(&state, plan, id).await?;
    require_report(&user, &t)?;
    let text = chiso_core::text::clean(body.text.as_deref().unwrap_or(""));
    if text.is_empty() && body.done_on.is_none() {
        return Err(ApiError::field("text", ctx.t.plan_report_required));
    }
    let unit = user.account().unit;
    // Only the lead unit (or an administrator) closes a task; cooperators report their parts.
    if body.done_on.is_some()
        && t.task.lead_unit != Some(unit)
        && !user.can(Action::ManagePlans, Target::Province)
    {
        return Err(ApiError::forbidden(ctx.t.plan_done_lead_only));
    }
    if !text.is_empty() {
        state
            .store
            .add_task_update(id, unit, &text, None, &user.by(), Utc::now())
            .await?;
    }
    if let Some(on) = body.done_on {
        state
            .store
            .set_task_done(id, Some(on), &user.by(), Utc::now())
            .await?;
    }
    let (t, updates, _) = task_of(&state, plan, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(TaskProgress {
            task: task(&t, &ctx),
            updates: updates.iter().map(update).collect(),
        }),
    ))
}

/// A KPI actual as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActualBody {
    /// The period it covers ("Quý 1/2026").
    period: String,
    /// The value, a decimal string.
    value: String,
    /// Where the figure comes from.
    source: String,
}

/// A KPI's actual value for a period, as the plan page takes it: by the KPI's reporting unit
/// or an administrator. The response is the KPI with all its values.
pub async fn add_actual(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((id, kpi_id)): Params<(i64, i64)>,
    Body(body): Body<ActualBody>,
) -> Result<(StatusCode, Json<KpiJson>), ApiError> {
    let plan = state.store.plan(PlanId(id)).await?;
    let k = plan
        .kpis
        .iter()
        .find(|k| k.id == kpi_id)
        .ok_or(WebError::NotFound)?;
    if !reports_kpi(&user, k) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let period = chiso_core::text::clean(&body.period);
    let source = chiso_core::text::clean(&body.source);
    let mut problems = Vec::new();
    let required = match ctx.lang {
        Lang::Vi => "Bắt buộc.",
        Lang::En => "Required.",
    };
    if period.is_empty() {
        problems.push(Problem::field("period", required));
    }
    if source.is_empty() {
        problems.push(Problem::field("source", required));
    }
    let value = match decimal("value", body.value.trim(), ctx.lang) {
        // Values are kept to four decimal places.
        Ok(v) if Points::new(v).to_scaled().is_none() => {
            problems.push(Problem::field(
                "value",
                match ctx.lang {
                    Lang::Vi => "Tối đa bốn chữ số thập phân.",
                    Lang::En => "At most four decimal places.",
                },
            ));
            None
        }
        Ok(v) => Some(v),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let Some(value) = value.filter(|_| problems.is_empty()) else {
        return Err(ApiError::invalid(ctx.t.plan_actual_invalid, problems));
    };
    state
        .store
        .add_kpi_actual(
            PlanId(id),
            kpi_id,
            &period,
            value,
            &source,
            &user.by(),
            Utc::now(),
        )
        .await?;
    let plan = state.store.plan(PlanId(id)).await?;
    let k = plan
        .kpis
        .iter()
        .find(|k| k.id == kpi_id)
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(kpi(k))))
}

/// A task as sent to add or correct it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    text: String,
    #[serde(default)]
    field_code: String,
    #[serde(default)]
    node_codes: Vec<String>,
    lead_unit_id: Option<i64>,
    #[serde(default)]
    cooperating_unit_ids: Vec<i64>,
    /// As a plan writes it: `2026-06-30`, `Quý 2/2026`, `6 tháng đầu năm 2026`, `Năm 2026`,
    /// `Thường xuyên`.
    deadline: String,
    #[serde(default)]
    output: String,
    expected_points: Option<String>,
}

impl TaskBody {
    /// The task form the plan page reads, so the rules are the page's.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("text".to_string(), self.text.clone()),
            ("field_code".to_string(), self.field_code.clone()),
            ("node_codes".to_string(), self.node_codes.join(",")),
            ("deadline".to_string(), self.deadline.clone()),
            ("output".to_string(), self.output.clone()),
        ];
        if let Some(u) = self.lead_unit_id {
            pairs.push(("lead_unit".to_string(), u.to_string()));
        }
        if let Some(p) = &self.expected_points {
            pairs.push(("expected_points".to_string(), p.clone()));
        }
        for u in &self.cooperating_unit_ids {
            pairs.push(("cooperator".to_string(), u.to_string()));
        }
        pairs
    }
}

/// The task a body describes, or a 422 naming the field the page's check refused.
async fn task_body(state: &AppState, ctx: &Ctx, body: &TaskBody) -> Result<NewTask, ApiError> {
    let named = body
        .lead_unit_id
        .map(|u| ("lead_unit_id".to_string(), u))
        .into_iter()
        .chain(
            body.cooperating_unit_ids
                .iter()
                .enumerate()
                .map(|(i, u)| (format!("cooperating_unit_ids[{i}]"), *u)),
        );
    let mut problems = Vec::new();
    for (field, u) in named {
        match state.store.unit(chiso_core::ids::UnitId(u)).await {
            Ok(_) => {}
            Err(chiso_store::StoreError::NotFound) => {
                problems.push(Problem::field(
                    field,
                    format!("{}: {u}", ctx.t.unit_required),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(ctx.t.api_invalid_body, problems));
    }
    task_from_form(state, ctx, &body.pairs())
        .await
        .map_err(|e| match e {
            WebError::BadRequest(m) => {
                let t = ctx.t;
                let field = if m == t.plan_task_text_required {
                    "text"
                } else if m.starts_with(t.plan_deadline_invalid) {
                    "deadline"
                } else if m == t.unit_required {
                    "lead_unit_id"
                } else {
                    "expected_points"
                };
                ApiError::field(field, m)
            }
            e => ApiError::Web(e),
        })
}

/// Adds a task to a plan (administrators).
pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(plan): Id,
    Body(body): Body<TaskBody>,
) -> Result<(StatusCode, Json<TaskJson>), ApiError> {
    user.require(Action::ManagePlans, Target::Province)?;
    state.store.plan(PlanId(plan)).await?;
    let new = task_body(&state, &ctx, &body).await?;
    let id = state
        .store
        .add_task(PlanId(plan), &new, &user.by(), Utc::now())
        .await?;
    let (t, _, _) = task_of(&state, plan, id).await?;
    Ok((StatusCode::CREATED, Json(task(&t, &ctx))))
}

/// Corrects a task (administrators); its reports, done date and extensions stay.
pub async fn edit_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((plan, id)): Params<(i64, i64)>,
    Body(body): Body<TaskBody>,
) -> Result<Json<TaskJson>, ApiError> {
    user.require(Action::ManagePlans, Target::Province)?;
    task_of(&state, plan, id).await?;
    let new = task_body(&state, &ctx, &body).await?;
    state
        .store
        .update_task(id, &new, &user.by(), Utc::now())
        .await?;
    let (t, _, _) = task_of(&state, plan, id).await?;
    Ok(Json(task(&t, &ctx)))
}

/// A KPI as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiBody {
    text: String,
    /// `at_least`, `at_most`, `above`, `increase` or `decrease`.
    direction: String,
    target: String,
    #[serde(default)]
    unit_label: String,
    /// The unit that reports the KPI's values.
    unit_id: Option<i64>,
}

impl KpiBody {
    fn pairs(&self) -> Vec<(String, String)> {
        vec![
            ("text".to_string(), self.text.clone()),
            ("direction".to_string(), self.direction.clone()),
            ("target".to_string(), self.target.clone()),
            ("unit_label".to_string(), self.unit_label.clone()),
            (
                "unit".to_string(),
                self.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            ),
        ]
    }
}

/// The KPI a body describes; problems are named under `prefix` (`kpis[0].`).
async fn kpi_body(
    state: &AppState,
    ctx: &Ctx,
    body: &KpiBody,
    prefix: &str,
) -> Result<NewKpi, Vec<Problem>> {
    let mut problems = Vec::new();
    if chiso_core::text::clean(&body.text).is_empty() {
        problems.push(Problem::field(
            format!("{prefix}text"),
            ctx.t.plan_kpi_invalid,
        ));
    }
    if chiso_core::plan::Direction::from_code(&body.direction).is_none() {
        problems.push(Problem::field(
            format!("{prefix}direction"),
            format!(
                "\"{}\": at_least | at_most | above | increase | decrease",
                body.direction
            ),
        ));
    }
    if let Err(p) = decimal(&format!("{prefix}target"), body.target.trim(), ctx.lang) {
        problems.push(p);
    }
    if let Some(u) = body.unit_id {
        match state.store.unit(chiso_core::ids::UnitId(u)).await {
            Ok(_) => {}
            Err(chiso_store::StoreError::NotFound) => problems.push(Problem::field(
                format!("{prefix}unit_id"),
                format!("{}: {u}", ctx.t.unit_required),
            )),
            Err(_) => problems.push(Problem::field(
                format!("{prefix}unit_id"),
                ctx.t.unit_required,
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    kpi_from_form(state, ctx, &body.pairs())
        .await
        .map_err(|e| vec![Problem::field(format!("{prefix}text"), e.to_string())])
}

/// Adds a KPI to a plan (administrators).
pub async fn add_kpi(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(plan): Id,
    Body(body): Body<KpiBody>,
) -> Result<(StatusCode, Json<KpiJson>), ApiError> {
    user.require(Action::ManagePlans, Target::Province)?;
    state.store.plan(PlanId(plan)).await?;
    let new = kpi_body(&state, &ctx, &body, "")
        .await
        .map_err(|p| ApiError::invalid(ctx.t.api_invalid_body, p))?;
    state
        .store
        .add_kpi(PlanId(plan), &new, &user.by(), Utc::now())
        .await?;
    let stored = state.store.plan(PlanId(plan)).await?;
    let k = stored
        .kpis
        .iter()
        .max_by_key(|k| k.id)
        .ok_or_else(|| WebError::Internal(format!("plan {plan}: KPI not stored")))?;
    Ok((StatusCode::CREATED, Json(kpi(k))))
}

/// Removes a task written by mistake (administrators); one reported on, extended or done is
/// refused (409). Gives the plan as it is after.
pub async fn remove_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((plan, id)): Params<(i64, i64)>,
) -> Result<Json<PlanDetail>, ApiError> {
    remove_unused_task(&state, &user, plan, id, &ctx)
        .await
        .map_err(|e| match e {
            WebError::BadRequest(m) => ApiError::conflict(m),
            e => ApiError::Web(e),
        })?;
    let stored = state.store.plan(PlanId(plan)).await?;
    Ok(Json(detail(&stored, &ctx)))
}

/// A plan as sent to create it: whose, which year, its decision, KPIs and tasks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    unit_id: i64,
    year: i32,
    title: String,
    #[serde(default)]
    number: String,
    decision_date: Option<NaiveDate>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    kpis: Vec<KpiBody>,
    #[serde(default)]
    tasks: Vec<TaskBody>,
}

/// Creates a plan (administrators), every KPI and task checked as the plan page checks them
/// and named by its position; nothing is stored unless all of it can be.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Body(body): Body<PlanBody>,
) -> Result<(StatusCode, Json<PlanDetail>), ApiError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let mut problems = Vec::new();
    let title = chiso_core::text::clean(&body.title);
    if title.is_empty() {
        problems.push(Problem::field("title", ctx.t.plan_title_required));
    }
    if !(2000..=2100).contains(&body.year) {
        problems.push(Problem::field("year", ctx.t.plan_import_year));
    }
    match state
        .store
        .unit(chiso_core::ids::UnitId(body.unit_id))
        .await
    {
        Ok(_) => {}
        Err(chiso_store::StoreError::NotFound) => {
            problems.push(Problem::field("unit_id", ctx.t.unit_required));
        }
        Err(e) => return Err(e.into()),
    }
    let mut kpis = Vec::new();
    for (i, k) in body.kpis.iter().enumerate() {
        match kpi_body(&state, &ctx, k, &format!("kpis[{i}].")).await {
            Ok(k) => kpis.push(k),
            Err(p) => problems.extend(p),
        }
    }
    let mut tasks = Vec::new();
    for (i, t) in body.tasks.iter().enumerate() {
        match task_body(&state, &ctx, t).await {
            Ok(t) => tasks.push(t),
            Err(ApiError::Json {
                problems: found, ..
            }) => problems.extend(found.into_iter().map(|p| p.under(&format!("tasks[{i}]")))),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(ctx.t.api_invalid_body, problems));
    }
    let meta = PlanMeta {
        unit: chiso_core::ids::UnitId(body.unit_id),
        year: body.year,
        title,
        number: chiso_core::text::clean(&body.number),
        decision_date: body.decision_date,
        issuer: chiso_core::text::clean(&body.issuer),
    };
    let id = state
        .store
        .create_plan(
            &meta,
            "api",
            None,
            &[],
            &kpis,
            &tasks,
            None,
            &user.by(),
            Utc::now(),
        )
        .await?;
    let stored = state.store.plan(id).await?;
    Ok((StatusCode::CREATED, Json(detail(&stored, &ctx))))
}

/// Asking for a draft plan: nothing to say beyond the path.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {}

/// Stores next year's draft plan for a unit from the points it lost in a round, as the
/// results page's button does (administrators).
pub async fn draft(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit)): Params<(i64, i64)>,
    Body(DraftBody {}): Body<DraftBody>,
) -> Result<(StatusCode, Json<PlanDetail>), ApiError> {
    let id = draft_plan(&state, &user, round, unit, ctx.lang).await?;
    let stored = state.store.plan(id).await?;
    Ok((StatusCode::CREATED, Json(detail(&stored, &ctx))))
}

/// A request for a later deadline, as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionBody {
    until: NaiveDate,
    reason: String,
}

/// A decision on a request, as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    approve: bool,
    /// Required when refusing.
    #[serde(default)]
    note: String,
}

/// A request for a later deadline and its decision.
#[derive(Serialize)]
pub struct ExtensionJson {
    id: i64,
    until: NaiveDate,
    reason: String,
    requested_by: String,
    requested_at: DateTime<Utc>,
    /// Null while pending.
    approved: Option<bool>,
    decided_by: Option<String>,
    note: String,
}

async fn extensions(
    state: &AppState,
    plan: i64,
    task: i64,
) -> Result<Vec<ExtensionJson>, WebError> {
    let (_, _, all) = task_of(state, plan, task).await?;
    Ok(all
        .into_iter()
        .map(|e| ExtensionJson {
            id: e.id,
            until: e.until,
            reason: e.reason,
            requested_by: e.requested_by,
            requested_at: e.requested_at,
            approved: e.approved,
            decided_by: e.decided_by,
            note: e.note,
        })
        .collect())
}

/// The lead or a cooperating unit asks for a later deadline, with the reason.
pub async fn request_extension(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((plan, id)): Params<(i64, i64)>,
    Body(body): Body<ExtensionBody>,
) -> Result<(StatusCode, Json<Vec<ExtensionJson>>), ApiError> {
    if body.reason.trim().is_empty() {
        return Err(ApiError::field("reason", ctx.t.reason_required));
    }
    ask_extension(
        &state,
        &user,
        (plan, id),
        &body.until.to_string(),
        &body.reason,
        &ctx,
    )
    .await
    .map_err(|e| match e {
        WebError::BadRequest(m) => ApiError::field("until", m),
        e => ApiError::Web(e),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(extensions(&state, plan, id).await?),
    ))
}

/// The administrator approves or refuses a request (a refusal says why).
pub async fn decide_extension(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((plan, id, ext)): Params<(i64, i64, i64)>,
    Body(body): Body<DecisionBody>,
) -> Result<Json<Vec<ExtensionJson>>, ApiError> {
    settle_extension(
        &state,
        &user,
        (plan, id, ext),
        body.approve,
        &body.note,
        &ctx,
    )
    .await
    .map_err(|e| match e {
        WebError::BadRequest(m) => ApiError::field("note", m),
        e => ApiError::Web(e),
    })?;
    Ok(Json(extensions(&state, plan, id).await?))
}
