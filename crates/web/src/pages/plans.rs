//! Improvement plans: the list with task counts, a plan's goals, KPIs and tasks with their
//! computed status and counts per unit and field, each task's progress reports, done date and
//! extension requests, and the draft built in one click from the points a unit lost.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chiso_core::format::{date as fmt_date, parse_date, vietnam_day};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::plan::{Deadline, Direction, Tally, TaskStatus, status};
use chiso_core::policy::{Action, Target};
use chiso_store::plans::{Goal, NewTask, Plan, PlanId, PlanMeta, PlanStatus, Task};
use chiso_store::rounds::RoundId;
use chrono::Utc;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

fn today() -> chrono::NaiveDate {
    vietnam_day(Utc::now())
}

/// A task's status today.
pub(crate) fn task_status(t: &Task) -> TaskStatus {
    status(&t.task.deadline, t.extension_until, t.done_on, today())
}

fn num(d: Decimal, lang: Lang) -> String {
    chiso_core::format::decimal(d.normalize(), d.normalize().scale().min(2), lang)
}

/// Whether the account works on a plan: it manages plans, reads results, or its unit leads or
/// cooperates on one of the tasks or reports one of the KPIs.
pub(crate) fn may_read(user: &CurrentUser, plan: &Plan) -> bool {
    user.can(Action::ManagePlans, Target::Province)
        || user.can(Action::ViewResults, Target::Province)
        || plan.tasks.iter().any(|t| involved(user, t))
        || plan.kpis.iter().any(|k| reports_kpi(user, k))
}

/// Whether the account reports a KPI's actual values for its unit.
pub(crate) fn reports_kpi(user: &CurrentUser, k: &chiso_store::plans::Kpi) -> bool {
    let unit = user.account().unit;
    k.unit == Some(unit) && user.can(Action::ReportTaskProgress, Target::Unit(unit))
}

/// Whether the account reports on a task for its unit (lead or cooperating).
fn involved(user: &CurrentUser, t: &Task) -> bool {
    let unit = user.account().unit;
    (t.task.lead_unit == Some(unit) || t.task.cooperators.contains(&unit))
        && user.can(Action::ReportTaskProgress, Target::Unit(unit))
}

/// A row of counts.
pub struct TallyRow {
    pub label: String,
    pub total: usize,
    pub on_time: usize,
    pub late: usize,
    pub in_progress: usize,
    pub overdue: usize,
    pub overdue_share: String,
}

fn tally_row(label: String, t: &Tally, lang: Lang) -> TallyRow {
    TallyRow {
        label,
        total: t.total(),
        on_time: t.done_on_time,
        late: t.done_late,
        in_progress: t.in_progress,
        overdue: t.overdue,
        overdue_share: t
            .overdue_share()
            .map(|d| format!("{} %", chiso_core::format::points(d, lang)))
            .unwrap_or_default(),
    }
}

/// A plan in the list.
pub struct PlanRow {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub number: String,
    pub draft: bool,
    pub tally: TallyRow,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
pub struct PlansPage {
    ctx: Ctx,
    rows: Vec<PlanRow>,
    can_manage: bool,
}

/// `/plans`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<PlansPage, WebError> {
    if !user.can(Action::ManagePlans, Target::Province)
        && !user.can(Action::ViewResults, Target::Province)
    {
        user.require(
            Action::ReportTaskProgress,
            Target::Unit(user.account().unit),
        )?;
    }
    let rows = state
        .store
        .plans()
        .await?
        .into_iter()
        .filter(|p| may_read(&user, p))
        .map(|p| {
            let tally: Tally = p.tasks.iter().map(task_status).collect();
            PlanRow {
                id: p.id.0,
                year: p.meta.year,
                title: p.meta.title.clone(),
                number: p.meta.number.clone(),
                draft: p.status == PlanStatus::Draft,
                tally: tally_row(String::new(), &tally, ctx.lang),
            }
        })
        .collect();
    Ok(PlansPage {
        rows,
        can_manage: user.can(Action::ManagePlans, Target::Province),
        ctx,
    })
}

/// A goal as shown.
pub struct GoalLine {
    pub field: String,
    pub baseline: String,
    pub baseline_rank: String,
    pub target: String,
    /// The target's parts as the edit form shows them.
    pub target_points: String,
    pub target_percent: String,
    pub target_rank: String,
    pub target_group: String,
}

/// A KPI as shown.
pub struct KpiLine {
    pub id: i64,
    pub text: String,
    /// The unit that reports its actual values.
    pub unit: String,
    /// Whether the viewer may report an actual value.
    pub can_report: bool,
    pub target: String,
    pub latest: String,
    pub met: Option<bool>,
    pub actuals: Vec<String>,
}

/// A task as a row.
pub struct TaskLine {
    pub id: i64,
    pub text: String,
    pub field: String,
    pub lead: String,
    pub cooperators: String,
    pub deadline: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub expected: String,
    pub mine: bool,
}

impl TaskLine {
    /// A task as shown, with its status today and whether `user`'s unit reports on it.
    fn of(t: &Task, user: &CurrentUser, names: &HashMap<UnitId, String>, lang: Lang) -> TaskLine {
        let name = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
        let s = task_status(t);
        TaskLine {
            id: t.id,
            text: t.task.text.clone(),
            field: t.task.field_code.clone(),
            lead: t.task.lead_unit.map(|u| name(&u)).unwrap_or_default(),
            cooperators: t
                .task
                .cooperators
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join(", "),
            deadline: deadline_label(t, lang),
            status_code: s.code(),
            status: s.label(lang),
            expected: t
                .task
                .expected_points
                .map(|p| p.display(lang))
                .unwrap_or_default(),
            mine: involved(user, t),
        }
    }
}

/// The deadline as written, with an approved extension after an arrow.
fn deadline_label(t: &Task, lang: Lang) -> String {
    match t.extension_until {
        Some(e) => format!("{} → {}", t.task.deadline.label(lang), fmt_date(e)),
        None => t.task.deadline.label(lang),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    ctx: Ctx,
    id: i64,
    title: String,
    number: String,
    decision_date: String,
    issuer: String,
    year: i32,
    unit: String,
    draft: bool,
    source: String,
    goals: Vec<GoalLine>,
    kpis: Vec<KpiLine>,
    tasks: Vec<TaskLine>,
    total: TallyRow,
    by_unit: Vec<TallyRow>,
    by_field: Vec<TallyRow>,
    can_manage: bool,
    units: Vec<(i64, String)>,
    directions: Vec<(&'static str, &'static str)>,
    legal_bases: Vec<String>,
    /// The imported document's headings, flattened with their depth.
    outline: Vec<(usize, String)>,
}

fn flatten(
    items: &[chiso_core::plan::imported::OutlineItem],
    depth: usize,
    out: &mut Vec<(usize, String)>,
) {
    for i in items {
        out.push((depth, i.heading.clone()));
        flatten(&i.children, depth + 1, out);
    }
}

/// Units for a select, in Vietnamese alphabetical order.
fn sorted_units(names: &HashMap<UnitId, String>) -> Vec<(i64, String)> {
    let mut units: Vec<(i64, String)> = names.iter().map(|(id, n)| (id.0, n.clone())).collect();
    units.sort_by_cached_key(|(_, n)| chiso_core::text::collation_key(n));
    units
}

async fn unit_names(state: &AppState) -> Result<HashMap<UnitId, String>, WebError> {
    Ok(state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// One plan.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<PlanPage, WebError> {
    let plan = state.store.plan(PlanId(id)).await?;
    if !may_read(&user, &plan) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let lang = ctx.lang;
    let names = unit_names(&state).await?;
    let name = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
    let pts = |p: Option<chiso_core::framework::Points>| p.map(|p| p.display(lang));
    let goals = plan
        .goals
        .iter()
        .map(|g: &Goal| GoalLine {
            field: format!("{} {}", g.field_code, g.field_name),
            baseline: match (pts(g.baseline_points), pts(g.baseline_max)) {
                (Some(p), Some(m)) => format!(
                    "{p}/{m}{}",
                    g.baseline_percent
                        .map(|x| format!(" ({} %)", chiso_core::format::points(x, lang)))
                        .unwrap_or_default()
                ),
                _ => String::new(),
            },
            baseline_rank: g
                .baseline_rank
                .map(|r| {
                    format!(
                        "{r}{}",
                        g.baseline_rank_change
                            .map(|c| format!(" ({c:+})"))
                            .unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
            target: [
                pts(g.target_points),
                g.target_percent
                    .map(|x| format!("{} %", chiso_core::format::points(x, lang))),
                g.target_rank.map(|r| format!("#{r}")),
                (!g.target_group.is_empty()).then(|| g.target_group.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
            target_points: pts(g.target_points).unwrap_or_default(),
            target_percent: g
                .target_percent
                .map(|x| chiso_core::format::points(x, lang))
                .unwrap_or_default(),
            target_rank: g.target_rank.map(|r| r.to_string()).unwrap_or_default(),
            target_group: g.target_group.clone(),
        })
        .collect();
    let kpis = plan
        .kpis
        .iter()
        .map(|k| {
            let last = k.actuals.last();
            KpiLine {
                id: k.id,
                text: k.text.clone(),
                unit: k.unit.map(|u| name(&u)).unwrap_or_default(),
                can_report: reports_kpi(&user, k)
                    || user.can(Action::ManagePlans, Target::Province),
                target: format!(
                    "{} {} {}",
                    k.direction.label(lang),
                    num(k.target, lang),
                    k.unit_label
                ),
                latest: last
                    .map(|a| format!("{} {} ({})", num(a.value, lang), k.unit_label, a.period))
                    .unwrap_or_default(),
                met: last.map(|a| k.direction.met(k.target, a.value)),
                actuals: k
                    .actuals
                    .iter()
                    .map(|a| {
                        format!(
                            "{}: {} {} — {}",
                            a.period,
                            num(a.value, lang),
                            k.unit_label,
                            a.source
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let mut total = Tally::default();
    let mut by_unit: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_field: BTreeMap<String, Tally> = BTreeMap::new();
    let tasks = plan
        .tasks
        .iter()
        .map(|t| {
            let s = task_status(t);
            total.add(s);
            by_unit
                .entry(t.task.lead_unit.map(|u| name(&u)).unwrap_or_default())
                .or_default()
                .add(s);
            by_field
                .entry(t.task.field_code.clone())
                .or_default()
                .add(s);
            TaskLine::of(t, &user, &names, lang)
        })
        .collect();
    let mut by_unit: Vec<TallyRow> = by_unit
        .iter()
        .map(|(u, t)| tally_row(u.clone(), t, lang))
        .collect();
    by_unit.sort_by_cached_key(|r| chiso_core::text::collation_key(&r.label));
    let by_field = by_field
        .iter()
        .map(|(f, t)| tally_row(f.clone(), t, lang))
        .collect();
    let units = sorted_units(&names);
    Ok(PlanPage {
        id,
        title: plan.meta.title.clone(),
        number: plan.meta.number.clone(),
        decision_date: plan.meta.decision_date.map(fmt_date).unwrap_or_default(),
        issuer: plan.meta.issuer.clone(),
        year: plan.meta.year,
        unit: name(&plan.meta.unit),
        draft: plan.status == PlanStatus::Draft,
        source: match (plan.source.as_str(), lang) {
            ("draft_from_results", Lang::Vi) => "Dự thảo từ kết quả đánh giá".into(),
            ("draft_from_results", Lang::En) => "Drafted from the results".into(),
            ("import", Lang::Vi) => "Nhập từ văn bản kế hoạch".into(),
            ("import", Lang::En) => "Imported from a plan document".into(),
            (_, Lang::Vi) => "Lập trên hệ thống".into(),
            (_, Lang::En) => "Written in chiso".into(),
        },
        goals,
        kpis,
        tasks,
        total: tally_row(String::new(), &total, lang),
        by_unit,
        by_field,
        can_manage: user.can(Action::ManagePlans, Target::Province),
        units,
        directions: Direction::ALL
            .iter()
            .map(|d| (d.code(), d.label(lang)))
            .collect(),
        legal_bases: plan.document.legal_bases.clone(),
        outline: {
            let mut out = Vec::new();
            flatten(&plan.document.outline, 0, &mut out);
            out
        },
        ctx,
    })
}

fn back(state: &AppState, path: &str) -> Response {
    redirect_with(path, Flash::Saved, state.config.secure_cookies())
}

/// Saves a draft plan's metadata, or issues it (`issue=1`): number and date are required then.
pub async fn save_meta(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let plan = state.store.plan(PlanId(id)).await?;
    let title = chiso_core::text::clean(get(&pairs, "title"));
    if title.is_empty() {
        return Err(WebError::BadRequest(ctx.t.plan_title_required.to_string()));
    }
    let decision_date = match get(&pairs, "decision_date") {
        "" => None,
        t => Some(
            parse_date(t)
                .ok_or_else(|| WebError::BadRequest(format!("{}: {t}", ctx.t.date_invalid)))?,
        ),
    };
    let meta = PlanMeta {
        unit: plan.meta.unit,
        year: get(&pairs, "year").parse().unwrap_or(plan.meta.year),
        title,
        number: chiso_core::text::clean(get(&pairs, "number")),
        decision_date,
        issuer: chiso_core::text::clean(get(&pairs, "issuer")),
    };
    let issue = get(&pairs, "issue") == "1";
    if issue && (meta.number.is_empty() || meta.decision_date.is_none()) {
        return Err(WebError::BadRequest(ctx.t.plan_issue_needs.to_string()));
    }
    if meta != plan.meta {
        state
            .store
            .set_plan_meta(PlanId(id), &meta, &user.by(), Utc::now())
            .await?;
    }
    if issue {
        state
            .store
            .issue_plan(PlanId(id), &user.by(), Utc::now())
            .await?;
    }
    Ok(back(&state, &format!("/plans/{id}")))
}

/// A task as the administrator wrote it in the form; every unit named must exist.
pub(crate) async fn task_from_form(
    state: &AppState,
    ctx: &Ctx,
    pairs: &[(String, String)],
) -> Result<NewTask, WebError> {
    let text = chiso_core::text::clean(get(pairs, "text"));
    if text.is_empty() {
        return Err(WebError::BadRequest(
            ctx.t.plan_task_text_required.to_string(),
        ));
    }
    let deadline = Deadline::parse(get(pairs, "deadline")).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{}: \"{}\"",
            ctx.t.plan_deadline_invalid,
            get(pairs, "deadline")
        ))
    })?;
    let unit_of = |v: &str| -> Result<Option<UnitId>, WebError> {
        match v {
            "" => Ok(None),
            v => v
                .parse()
                .map(|n| Some(UnitId(n)))
                .map_err(|_| WebError::BadRequest(ctx.t.unit_required.to_string())),
        }
    };
    let lead = unit_of(get(pairs, "lead_unit"))?;
    let mut cooperators = Vec::new();
    for (k, v) in pairs {
        if k == "cooperator"
            && let Some(u) = unit_of(v.trim())?
            && Some(u) != lead
            && !cooperators.contains(&u)
        {
            cooperators.push(u);
        }
    }
    for u in lead.iter().chain(&cooperators) {
        state.store.unit(*u).await?;
    }
    let expected = match get(pairs, "expected_points") {
        "" => None,
        v => Some(
            chiso_core::framework::Points::parse(v)
                .ok_or_else(|| WebError::BadRequest(format!("\"{v}\" {}", ctx.t.not_a_number)))?,
        ),
    };
    Ok(NewTask {
        text,
        field_code: chiso_core::text::clean(get(pairs, "field_code")),
        node_codes: get(pairs, "node_codes")
            .split([',', ' ', ';'])
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        lead_unit: lead,
        cooperators,
        deadline,
        output: chiso_core::text::clean(get(pairs, "output")),
        expected_points: expected,
    })
}

/// Adds a task to a plan (administrators).
pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    state.store.plan(PlanId(id)).await?;
    let task = task_from_form(&state, &ctx, &pairs).await?;
    state
        .store
        .add_task(PlanId(id), &task, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/plans/{id}#tasks")))
}

/// Corrects a task (administrators): its progress, done date and extensions stay.
pub async fn edit_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan, id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    task_of(&state, plan, id).await?;
    let task = task_from_form(&state, &ctx, &pairs).await?;
    state
        .store
        .update_task(id, &task, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/plans/{plan}/tasks/{id}")))
}

/// Removes a task written by mistake (administrators); one that units reported on stays.
pub async fn remove_task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan, id)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    remove_unused_task(&state, &user, plan, id, &ctx).await?;
    Ok(back(&state, &format!("/plans/{plan}#tasks")))
}

/// Removes a task nobody reported on, extended or finished (administrators).
pub(crate) async fn remove_unused_task(
    state: &AppState,
    user: &CurrentUser,
    plan: i64,
    id: i64,
    ctx: &Ctx,
) -> Result<(), WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let (t, updates, extensions) = task_of(state, plan, id).await?;
    if !updates.is_empty() || !extensions.is_empty() || t.done_on.is_some() {
        return Err(WebError::BadRequest(ctx.t.plan_task_in_use.to_string()));
    }
    state.store.remove_task(id, &user.by(), Utc::now()).await?;
    Ok(())
}

/// Corrects a draft plan's goals: each field's baseline and target.
pub async fn save_goals(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let plan = state.store.plan(PlanId(id)).await?;
    if plan.status != PlanStatus::Draft {
        return Err(WebError::BadRequest(ctx.t.plan_goals_issued.to_string()));
    }
    let points = |k: &str| -> Result<Option<chiso_core::framework::Points>, WebError> {
        match get(&pairs, k) {
            "" => Ok(None),
            v => chiso_core::framework::Points::parse(v)
                .map(Some)
                .ok_or_else(|| {
                    WebError::BadRequest(format!("{k}: \"{v}\" {}", ctx.t.not_a_number))
                }),
        }
    };
    let decimal = |k: &str| -> Result<Option<Decimal>, WebError> {
        match get(&pairs, k) {
            "" => Ok(None),
            v => crate::pages::grid::parse_decimal(v)
                .map(Some)
                .ok_or_else(|| {
                    WebError::BadRequest(format!("{k}: \"{v}\" {}", ctx.t.not_a_number))
                }),
        }
    };
    let rank = |k: &str| -> Result<Option<i64>, WebError> {
        match get(&pairs, k) {
            "" => Ok(None),
            v => v
                .parse::<i64>()
                .ok()
                .filter(|r| *r > 0)
                .map(Some)
                .ok_or_else(|| {
                    WebError::BadRequest(format!("{k}: \"{v}\" {}", ctx.t.not_a_number))
                }),
        }
    };
    let mut goals = Vec::new();
    for (i, g) in plan.goals.iter().enumerate() {
        if get(&pairs, &format!("remove_{i}")) == "1" {
            continue;
        }
        let target_percent = decimal(&format!("target_percent_{i}"))?;
        if target_percent.is_some_and(|p| p < Decimal::ZERO || p > Decimal::ONE_HUNDRED) {
            return Err(WebError::BadRequest(format!(
                "{} {}: {}",
                ctx.t.field, g.field_code, ctx.t.plan_percent_range
            )));
        }
        let target_points = points(&format!("target_points_{i}"))?;
        if let (Some(t), Some(max)) = (target_points, g.baseline_max)
            && t > max
        {
            return Err(WebError::BadRequest(format!(
                "{} {}: {} > {}",
                ctx.t.field,
                g.field_code,
                t.display(ctx.lang),
                max.display(ctx.lang)
            )));
        }
        goals.push(Goal {
            target_points,
            target_percent,
            target_rank: rank(&format!("target_rank_{i}"))?,
            target_group: chiso_core::text::clean(get(&pairs, &format!("target_group_{i}"))),
            ..g.clone()
        });
    }
    if goals != plan.goals {
        state
            .store
            .set_goals(PlanId(id), &goals, &user.by(), Utc::now())
            .await?;
    }
    Ok(back(&state, &format!("/plans/{id}#goals")))
}

/// Adds a KPI to a plan.
pub async fn add_kpi(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    state.store.plan(PlanId(id)).await?;
    let kpi = kpi_from_form(&state, &ctx, &pairs).await?;
    state
        .store
        .add_kpi(PlanId(id), &kpi, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/plans/{id}#kpis")))
}

/// A KPI as the administrator wrote it (text, direction, target, label, reporting unit).
pub(crate) async fn kpi_from_form(
    state: &AppState,
    ctx: &Ctx,
    pairs: &[(String, String)],
) -> Result<chiso_store::plans::NewKpi, WebError> {
    let text = chiso_core::text::clean(get(pairs, "text"));
    let direction = Direction::from_code(get(pairs, "direction"));
    let target = crate::pages::grid::parse_decimal(get(pairs, "target"));
    let (Some(direction), Some(target), false) = (direction, target, text.is_empty()) else {
        return Err(WebError::BadRequest(ctx.t.plan_kpi_invalid.to_string()));
    };
    let unit = match get(pairs, "unit") {
        "" => None,
        v => {
            let u = UnitId(
                v.parse()
                    .map_err(|_| WebError::BadRequest(ctx.t.unit_required.to_string()))?,
            );
            state.store.unit(u).await?;
            Some(u)
        }
    };
    Ok(chiso_store::plans::NewKpi {
        text,
        direction,
        target,
        unit_label: chiso_core::text::clean(get(pairs, "unit_label")),
        unit,
    })
}

/// Reports a KPI's actual value for a period: the KPI's reporting unit or an administrator.
pub async fn add_kpi_actual(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, kpi)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let plan = state.store.plan(PlanId(id)).await?;
    let k = plan
        .kpis
        .iter()
        .find(|k| k.id == kpi)
        .ok_or(WebError::NotFound)?;
    if !reports_kpi(&user, k) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let value = crate::pages::grid::parse_decimal(get(&pairs, "value"));
    let period = chiso_core::text::clean(get(&pairs, "period"));
    let source = chiso_core::text::clean(get(&pairs, "source"));
    let (Some(value), false, false) = (value, period.is_empty(), source.is_empty()) else {
        return Err(WebError::BadRequest(ctx.t.plan_actual_invalid.to_string()));
    };
    state
        .store
        .add_kpi_actual(
            PlanId(id),
            kpi,
            &period,
            value,
            &source,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(back(&state, &format!("/plans/{id}#kpis")))
}

/// An update as shown.
pub struct UpdateLine {
    pub unit: String,
    pub text: String,
    pub when: String,
    pub by: String,
    /// The evidence file's name and link, if any.
    pub file: Option<(String, String)>,
}

/// An extension request as shown.
pub struct ExtensionLine {
    pub id: i64,
    pub until: String,
    pub reason: String,
    pub by: String,
    pub decision: String,
    pub pending: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_task.html")]
pub struct TaskPage {
    ctx: Ctx,
    plan_id: i64,
    plan_title: String,
    id: i64,
    line: TaskLine,
    output: String,
    nodes: String,
    done_on: String,
    updates: Vec<UpdateLine>,
    extensions: Vec<ExtensionLine>,
    can_report: bool,
    can_manage: bool,
    today: String,
    /// The edit form's values (administrators).
    edit: TaskForm,
    /// Whether the task may still be removed: nobody reported on it.
    can_remove: bool,
}

impl TaskForm {
    fn is_lead(&self, unit: &i64) -> bool {
        self.lead == Some(*unit)
    }

    fn cooperates(&self, unit: &i64) -> bool {
        self.cooperators.contains(unit)
    }
}

/// A task's values as its edit form shows them.
pub struct TaskForm {
    pub text: String,
    pub field_code: String,
    pub node_codes: String,
    pub lead: Option<i64>,
    pub cooperators: Vec<i64>,
    pub deadline: String,
    pub output: String,
    pub expected_points: String,
    pub units: Vec<(i64, String)>,
}

pub(crate) async fn task_of(
    state: &AppState,
    plan: i64,
    task: i64,
) -> Result<
    (
        Task,
        Vec<chiso_store::plans::TaskUpdate>,
        Vec<chiso_store::plans::Extension>,
    ),
    WebError,
> {
    let (t, u, e) = state.store.task(task).await?;
    if t.plan.0 != plan {
        return Err(WebError::NotFound);
    }
    Ok((t, u, e))
}

/// One task: its progress reports, done date and extension requests.
pub async fn task(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan_id, id)): Path<(i64, i64)>,
) -> Result<TaskPage, WebError> {
    let plan = state.store.plan(PlanId(plan_id)).await?;
    let (t, updates, extensions) = task_of(&state, plan_id, id).await?;
    if !may_read(&user, &plan) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let lang = ctx.lang;
    let names = unit_names(&state).await?;
    let name = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
    Ok(TaskPage {
        plan_id,
        plan_title: plan.meta.title.clone(),
        id,
        line: TaskLine::of(&t, &user, &names, lang),
        output: t.task.output.clone(),
        nodes: t.task.node_codes.join(", "),
        done_on: t.done_on.map(fmt_date).unwrap_or_default(),
        updates: updates
            .iter()
            .map(|u| UpdateLine {
                unit: name(&u.unit),
                text: u.text.clone(),
                when: ctx.time(&u.at),
                by: u.by.clone(),
                file: u.file.as_ref().map(|(_, n, _)| {
                    (
                        n.clone(),
                        format!("/plans/{plan_id}/tasks/{id}/updates/{}/file", u.id),
                    )
                }),
            })
            .collect(),
        extensions: extensions
            .iter()
            .map(|e| ExtensionLine {
                id: e.id,
                until: fmt_date(e.until),
                reason: e.reason.clone(),
                by: e.requested_by.clone(),
                decision: match e.approved {
                    Some(true) => format!("{} ({})", ctx.t.plan_extension_approved, e.note),
                    Some(false) => format!("{} ({})", ctx.t.plan_extension_refused, e.note),
                    None => ctx.t.plan_extension_pending.to_string(),
                },
                pending: e.approved.is_none(),
            })
            .collect(),
        can_report: involved(&user, &t),
        can_manage: user.can(Action::ManagePlans, Target::Province),
        today: fmt_date(today()),
        can_remove: updates.is_empty() && extensions.is_empty() && t.done_on.is_none(),
        edit: TaskForm {
            text: t.task.text.clone(),
            field_code: t.task.field_code.clone(),
            node_codes: t.task.node_codes.join(", "),
            lead: t.task.lead_unit.map(|u| u.0),
            cooperators: t.task.cooperators.iter().map(|u| u.0).collect(),
            deadline: t.task.deadline.input(),
            output: t.task.output.clone(),
            expected_points: t
                .task
                .expected_points
                .map(|p| p.display(lang))
                .unwrap_or_default(),
            units: sorted_units(&names),
        },
        ctx,
    })
}

/// Who may report on a task: its lead or cooperating units' staff, or an administrator.
pub(crate) fn require_report(user: &CurrentUser, t: &Task) -> Result<(), WebError> {
    if involved(user, t) || user.can(Action::ManagePlans, Target::Province) {
        Ok(())
    } else {
        user.require(Action::ReportTaskProgress, Target::Province)
    }
}

/// A progress report with its evidence file if any; `done=1` with a date also marks the task
/// done (lead unit or admin). Everything is checked before anything is stored.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan, id)): Path<(i64, i64)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (t, _, _) = task_of(&state, plan, id).await?;
    require_report(&user, &t)?;
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "minh-chung").await?;
    let text = chiso_core::text::clean(get(&pairs, "text"));
    let done = get(&pairs, "done") == "1";
    if text.is_empty() && !done && file.is_none() {
        return Err(WebError::BadRequest(ctx.t.plan_report_required.to_string()));
    }
    let unit = user.account().unit;
    // Only the lead unit (or an administrator) closes a task; cooperators report their parts.
    if done && t.task.lead_unit != Some(unit) && !user.can(Action::ManagePlans, Target::Province) {
        return Err(WebError::BadRequest(ctx.t.plan_done_lead_only.to_string()));
    }
    let on = match get(&pairs, "done_on") {
        "" => today(),
        v => parse_date(v)
            .ok_or_else(|| WebError::BadRequest(format!("{}: {v}", ctx.t.date_invalid)))?,
    };
    // The content first: an update never points at missing bytes.
    let stored = match file {
        Some((name, bytes)) => {
            Some(crate::pages::store_document(&state, &name, bytes, ctx.lang).await?)
        }
        None => None,
    };
    if !text.is_empty() || stored.is_some() {
        state
            .store
            .add_task_update(
                id,
                unit,
                &text,
                stored
                    .as_ref()
                    .map(|(sha, ctype, name)| (sha.as_str(), name.as_str(), ctype.as_str())),
                &user.by(),
                Utc::now(),
            )
            .await?;
    }
    if done {
        state
            .store
            .set_task_done(id, Some(on), &user.by(), Utc::now())
            .await?;
    }
    Ok(back(&state, &format!("/plans/{plan}/tasks/{id}")))
}

/// The evidence sent with a progress report, for those who see the plan.
pub async fn update_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, id, update)): Path<(i64, i64, i64)>,
) -> Result<Response, WebError> {
    let p = state.store.plan(PlanId(plan)).await?;
    if !may_read(&user, &p) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let (_, updates, _) = task_of(&state, plan, id).await?;
    let (sha, name, ctype) = updates
        .into_iter()
        .find(|u| u.id == update)
        .and_then(|u| u.file)
        .ok_or(WebError::NotFound)?;
    let bytes = crate::pages::stored_file(&state, &sha, &format!("task update {update}")).await?;
    Ok(crate::pages::attachment(bytes, &name, ctype))
}

/// The lead unit asks for a later deadline, with a reason.
pub async fn request_extension(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan, id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    ask_extension(
        &state,
        &user,
        (plan, id),
        get(&pairs, "until"),
        get(&pairs, "reason"),
        &ctx,
    )
    .await?;
    Ok(back(&state, &format!("/plans/{plan}/tasks/{id}")))
}

/// Records a request for a later deadline on task `id` of `plan` by those who report on it.
pub(crate) async fn ask_extension(
    state: &AppState,
    user: &CurrentUser,
    (plan, id): (i64, i64),
    until: &str,
    reason: &str,
    ctx: &Ctx,
) -> Result<(), WebError> {
    let (t, _, _) = task_of(state, plan, id).await?;
    require_report(user, &t)?;
    let until = parse_date(until)
        .ok_or_else(|| WebError::BadRequest(format!("{}: {}", ctx.t.date_invalid, until)))?;
    let reason = crate::pages::required_reason(reason, ctx.t)?;
    state
        .store
        .request_extension(id, until, &reason, &user.by(), Utc::now())
        .await?;
    Ok(())
}

/// The administrator approves or refuses an extension request.
pub async fn decide_extension(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((plan, id, ext)): Path<(i64, i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let approve = get(&pairs, "approve") == "1";
    settle_extension(
        &state,
        &user,
        (plan, id, ext),
        approve,
        get(&pairs, "note"),
        &ctx,
    )
    .await?;
    Ok(back(&state, &format!("/plans/{plan}/tasks/{id}")))
}

/// Approves or refuses extension `ext` of task `id` of `plan` (administrators); a refusal
/// needs a note.
pub(crate) async fn settle_extension(
    state: &AppState,
    user: &CurrentUser,
    (plan, id, ext): (i64, i64, i64),
    approve: bool,
    note: &str,
    ctx: &Ctx,
) -> Result<(), WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let (_, _, extensions) = task_of(state, plan, id).await?;
    if !extensions.iter().any(|e| e.id == ext) {
        return Err(WebError::NotFound);
    }
    let note = chiso_core::text::clean(note);
    if !approve && note.is_empty() {
        return Err(WebError::BadRequest(ctx.t.reason_required.to_string()));
    }
    state
        .store
        .decide_extension(ext, approve, &note, &user.by(), Utc::now())
        .await?;
    Ok(())
}

/// One click from a unit's results: next year's draft plan from the points it lost.
pub async fn draft_from_results(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let id = draft_plan(&state, &user, round, unit, ctx.lang).await?;
    Ok(back(&state, &format!("/plans/{}", id.0)))
}

/// Stores next year's draft plan for `unit` from the points it lost in `round`.
pub(crate) async fn draft_plan(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    lang: Lang,
) -> Result<PlanId, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let data = crate::pages::results::load_data(state, RoundId(round), lang).await?;
    let u = data
        .ids
        .iter()
        .position(|x| x.0 == unit)
        .ok_or(WebError::NotFound)?;
    let results = chiso_core::results::compute(&data.layout, &data.scores);
    let leads: BTreeMap<String, UnitId> = state
        .store
        .field_leads(data.round.framework)
        .await?
        .into_iter()
        .filter_map(|l| Some((l.field_code, l.unit?)))
        .collect();
    let year = data.framework.year + 1;
    let province = data.framework.unit_type == chiso_core::units::UnitType::Province;
    let d = chiso_core::plan::draft::draft(&results, u, None, &leads, year, 15, lang);
    let unit_name = data.scores[u].name().to_string();
    let meta = PlanMeta {
        unit: UnitId(unit),
        year,
        title: match lang {
            Lang::Vi => format!("Kế hoạch nâng cao Chỉ số CCHC năm {year} — {unit_name}"),
            Lang::En => format!("Plan to raise the PAR index in {year} — {unit_name}"),
        },
        number: String::new(),
        decision_date: None,
        issuer: String::new(),
    };
    let goals: Vec<Goal> = d
        .goals
        .iter()
        .map(|g| Goal {
            field_code: g.field_code.clone(),
            field_name: g.field_name.clone(),
            baseline_points: Some(g.baseline_points),
            baseline_max: Some(g.baseline_max),
            baseline_percent: g.baseline_percent,
            baseline_rank: g.baseline_rank.map(i64::from),
            baseline_rank_change: g.baseline_rank_change,
            target_points: Some(g.target_points),
            target_percent: g.target_percent,
            target_rank: None,
            target_group: String::new(),
        })
        .collect();
    let tasks: Vec<NewTask> = d
        .tasks
        .iter()
        .map(|t| NewTask {
            text: t.text.clone(),
            field_code: t.field_code.clone(),
            node_codes: vec![t.node_code.clone()],
            // A province's tasks go to the lead department of their field; a department's or
            // commune's own plan is carried out by the unit, the field's lead department helping.
            lead_unit: if province {
                t.lead_unit
            } else {
                Some(UnitId(unit))
            },
            cooperators: match (province, t.lead_unit) {
                (false, Some(l)) if l != UnitId(unit) => vec![l],
                _ => Vec::new(),
            },
            deadline: t.deadline,
            output: String::new(),
            expected_points: Some(t.expected_points),
        })
        .collect();
    let id = state
        .store
        .create_plan(
            &meta,
            "draft_from_results",
            Some(data.round.id),
            &goals,
            &[],
            &tasks,
            None,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(id)
}

/// The plan's progress as an Excel workbook (tasks, counts per lead unit and per field), or as
/// PDF (`export.pdf`, printed by headless Chromium).
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let pdf = match format.as_str() {
        "export.xlsx" => false,
        "export.pdf" => true,
        _ => return Err(WebError::NotFound),
    };
    let plan = state.store.plan(PlanId(id)).await?;
    if !may_read(&user, &plan) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let names = unit_names(&state).await?;
    let name = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
    // Fields by name where the plan's goals name them.
    let field_names: HashMap<&str, &str> = plan
        .goals
        .iter()
        .map(|g| (g.field_code.as_str(), g.field_name.as_str()))
        .collect();
    let lines: Vec<chiso_reports::plan_xlsx::TaskLine> = plan
        .tasks
        .iter()
        .map(|t| chiso_reports::plan_xlsx::TaskLine {
            text: t.task.text.clone(),
            field: match field_names.get(t.task.field_code.as_str()) {
                Some(name) if !name.is_empty() => format!("{}. {name}", t.task.field_code),
                _ => t.task.field_code.clone(),
            },
            lead: t.task.lead_unit.map(|u| name(&u)).unwrap_or_default(),
            cooperators: t
                .task
                .cooperators
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join(", "),
            deadline: deadline_label(t, ctx.lang),
            status: task_status(t),
            done_on: t.done_on,
            output: t.task.output.clone(),
        })
        .collect();
    if pdf {
        let tally: Tally = plan.tasks.iter().map(task_status).collect();
        let html = askama::Template::render(&PrintPlan {
            title: &plan.meta.title,
            today: fmt_date(today()),
            lines: &lines,
            tally: tally_row(String::new(), &tally, Lang::Vi),
        })
        .map_err(|e| WebError::Internal(e.to_string()))?;
        let bytes = crate::pdf::from_html(&html)
            .await
            .map_err(|e| WebError::BadRequest(format!("{}: {e}", ctx.t.pdf_unavailable)))?;
        return Ok(crate::pages::attachment(
            bytes,
            &format!("ke-hoach-{id}.pdf"),
            "application/pdf".to_string(),
        ));
    }
    let bytes =
        chiso_reports::plan_xlsx::plan_workbook(&plan.meta.title, &lines, today(), ctx.lang)
            .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!("ke-hoach-{id}.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
    ))
}

/// The plan's progress as a printable page (for PDF).
#[derive(Template)]
#[template(path = "print_plan.html")]
struct PrintPlan<'a> {
    title: &'a str,
    today: String,
    lines: &'a [chiso_reports::plan_xlsx::TaskLine],
    tally: TallyRow,
}

impl PrintPlan<'_> {
    fn status(&self, t: &chiso_reports::plan_xlsx::TaskLine) -> &'static str {
        t.status.label(Lang::Vi)
    }

    fn done_on(&self, t: &chiso_reports::plan_xlsx::TaskLine) -> String {
        t.done_on.map(fmt_date).unwrap_or_default()
    }
}
