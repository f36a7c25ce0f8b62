//! Importing a plan document (.txt or .docx): the text is parsed (`chiso_core::plan_import`),
//! every extracted item is shown on a review screen where it can be corrected or left out, and
//! only what the administrator confirms is stored, as a draft plan. A refused save shows the
//! form again with what was typed and every problem named by its row.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chiso_core::format::{date as fmt_date, parse_date};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::plan::imported::{Review, match_unit, review};
use chiso_core::plan::{Deadline, Direction};
use chiso_core::policy::{Action, Target};
use chiso_store::plans::{Goal, NewKpi, NewTask, PlanId, PlanMeta};
use chrono::Utc;
use rust_decimal::Decimal;

#[derive(Template, WebTemplate)]
#[template(path = "plan_import.html")]
pub struct ImportPage {
    ctx: Ctx,
}

/// The upload form.
pub async fn form(ctx: Ctx, user: CurrentUser) -> Result<ImportPage, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    Ok(ImportPage { ctx })
}

/// A goal row of the review form.
pub struct GoalRow {
    pub keep: bool,
    pub field: String,
    pub name: String,
    pub hint: String,
    pub points: String,
    pub percent: String,
    pub rank: String,
    pub group: String,
}

/// A KPI row of the review form.
pub struct KpiRow {
    pub keep: bool,
    pub text: String,
    pub direction: String,
    pub target: String,
    pub unit: String,
}

/// A task row of the review form.
pub struct TaskRow {
    pub keep: bool,
    pub text: String,
    pub field: String,
    pub lead: Option<i64>,
    pub lead_hint: String,
    pub cooperators: Vec<i64>,
    pub cooperating_hint: String,
    pub deadline: String,
    pub deadline_hint: String,
    pub output: String,
    pub criteria: String,
}

impl TaskRow {
    fn is_lead(&self, id: &i64) -> bool {
        self.lead == Some(*id)
    }

    fn cooperates(&self, id: &i64) -> bool {
        self.cooperators.contains(id)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_import_review.html")]
pub struct ReviewPage {
    ctx: Ctx,
    file_name: String,
    problems: Vec<String>,
    warnings: Vec<String>,
    complete: bool,
    legal_bases: Vec<String>,
    title: String,
    number: String,
    date: String,
    issuer: String,
    year: String,
    unit: i64,
    goals: Vec<GoalRow>,
    kpis: Vec<KpiRow>,
    tasks: Vec<TaskRow>,
    units: Vec<(i64, String)>,
    directions: Vec<(&'static str, &'static str)>,
    /// The document's outline, one heading per line indented by level, editable.
    outline: String,
}

fn num(d: Decimal, lang: Lang) -> String {
    let d = d.normalize();
    chiso_core::format::decimal(d, d.scale(), lang)
}

async fn units(state: &AppState) -> Result<Vec<(UnitId, String)>, WebError> {
    let today = chiso_core::format::vietnam_day(Utc::now());
    let mut u: Vec<(UnitId, String)> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .filter(|u| u.is_active_on(today))
        .map(|u| (u.id, u.name))
        .collect();
    u.sort_by_cached_key(|(_, n)| chiso_core::text::collation_key(n));
    Ok(u)
}

fn page(
    ctx: Ctx,
    file_name: String,
    r: &Review,
    units: &[(UnitId, String)],
    province: i64,
) -> ReviewPage {
    let lang = ctx.lang;
    ReviewPage {
        file_name,
        problems: Vec::new(),
        warnings: r.warnings.clone(),
        complete: r.complete,
        legal_bases: r.legal_bases.clone(),
        title: r.title.clone(),
        number: r.number.clone(),
        date: r.date.map(fmt_date).unwrap_or_default(),
        issuer: r.issuer.clone(),
        year: r.year.map(|y| y.to_string()).unwrap_or_default(),
        unit: province,
        goals: r
            .goals
            .iter()
            .map(|g| GoalRow {
                keep: true,
                field: g.field.clone(),
                name: g.field_name.clone(),
                hint: [g.baseline.as_str(), g.target.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" — "),
                points: g.target_points.map(|d| num(d, lang)).unwrap_or_default(),
                percent: g.target_percent.map(|d| num(d, lang)).unwrap_or_default(),
                rank: g.target_rank.map(|d| d.to_string()).unwrap_or_default(),
                group: g.group.clone(),
            })
            .collect(),
        kpis: r
            .kpis
            .iter()
            .map(|k| KpiRow {
                keep: true,
                text: k.text.clone(),
                direction: k.direction.to_string(),
                target: num(k.target, lang),
                unit: k.unit.clone(),
            })
            .collect(),
        tasks: r
            .tasks
            .iter()
            .map(|t| TaskRow {
                keep: true,
                text: t.text.clone(),
                field: t.field.clone(),
                lead: t
                    .lead_names
                    .first()
                    .and_then(|n| match_unit(n, units))
                    .map(|u| u.0),
                lead_hint: t.lead_names.join("; "),
                cooperators: t
                    .cooperating_names
                    .iter()
                    .filter_map(|n| match_unit(n, units))
                    .map(|u| u.0)
                    .collect(),
                cooperating_hint: t.cooperating_names.join("; "),
                deadline: t.deadline.clone(),
                deadline_hint: t.deadline_text.clone(),
                output: t.output.clone(),
                criteria: t.criteria.join(", "),
            })
            .collect(),
        units: units.iter().map(|(id, n)| (id.0, n.clone())).collect(),
        directions: Direction::ALL
            .iter()
            .map(|d| (d.code(), d.label(lang)))
            .collect(),
        outline: chiso_core::plan::imported::outline_text(&r.outline),
        ctx,
    }
}

/// Reads the uploaded document and shows what was found, to correct before saving.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: axum::extract::Multipart,
) -> Result<ReviewPage, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.to_string());
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("ke-hoach").to_string();
            file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(WebError::BadRequest(ctx.t.import_no_file.to_string()));
    };
    // A .docx is a zip (it starts with "PK"); anything else must be UTF-8 text.
    let text = if bytes.starts_with(b"PK") {
        chiso_reports::docx::docx_text(&bytes)
            .map_err(|e| WebError::BadRequest(format!("{name}: {}", e.message(ctx.lang))))?
    } else {
        chiso_core::text::csv_text(&bytes)
            .ok_or_else(|| WebError::BadRequest(format!("{name}: {}", ctx.t.plan_import_not_text)))?
            .to_string()
    };
    let parsed = chiso_core::plan_import::parse_plan(&text);
    if parsed.found_nothing() {
        return Err(WebError::BadRequest(format!(
            "{name}: {}",
            ctx.t.plan_import_nothing
        )));
    }
    let r = review(&parsed);
    let units = units(&state).await?;
    let province = state
        .store
        .all_units()
        .await?
        .into_iter()
        .find(|u| u.unit_type == chiso_core::units::UnitType::Province)
        .map(|u| u.id.0)
        .unwrap_or_default();
    Ok(page(
        ctx,
        chiso_core::round::evidence::safe_name(&name),
        &r,
        &units,
        province,
    ))
}

fn all<'a>(pairs: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Stores what the review confirms as a draft plan; a problem anywhere saves nothing and shows
/// the form again with every problem named.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let vi = ctx.lang == Lang::Vi;
    let count = |k: &str| get(&pairs, k).parse::<usize>().unwrap_or(0).min(2000);
    let units = units(&state).await?;
    let known = |id: i64| units.iter().any(|(u, _)| u.0 == id);
    let mut problems = Vec::new();
    let dec = |s: &str| crate::pages::grid::parse_decimal(s);

    let goals_rows: Vec<GoalRow> = (0..count("n_goals"))
        .map(|i| GoalRow {
            keep: get(&pairs, &format!("goal_keep_{i}")) == "1",
            field: get(&pairs, &format!("goal_field_{i}")).to_string(),
            name: get(&pairs, &format!("goal_name_{i}")).to_string(),
            hint: get(&pairs, &format!("goal_hint_{i}")).to_string(),
            points: get(&pairs, &format!("goal_points_{i}")).to_string(),
            percent: get(&pairs, &format!("goal_percent_{i}")).to_string(),
            rank: get(&pairs, &format!("goal_rank_{i}")).to_string(),
            group: get(&pairs, &format!("goal_group_{i}")).to_string(),
        })
        .collect();
    let kpi_rows: Vec<KpiRow> = (0..count("n_kpis"))
        .map(|i| KpiRow {
            keep: get(&pairs, &format!("kpi_keep_{i}")) == "1",
            text: get(&pairs, &format!("kpi_text_{i}")).to_string(),
            direction: get(&pairs, &format!("kpi_dir_{i}")).to_string(),
            target: get(&pairs, &format!("kpi_target_{i}")).to_string(),
            unit: get(&pairs, &format!("kpi_unit_{i}")).to_string(),
        })
        .collect();
    let task_rows: Vec<TaskRow> = (0..count("n_tasks"))
        .map(|i| TaskRow {
            keep: get(&pairs, &format!("task_keep_{i}")) == "1",
            text: get(&pairs, &format!("task_text_{i}")).to_string(),
            field: get(&pairs, &format!("task_field_{i}")).to_string(),
            lead: get(&pairs, &format!("task_lead_{i}")).parse().ok(),
            lead_hint: get(&pairs, &format!("task_lead_hint_{i}")).to_string(),
            cooperators: all(&pairs, &format!("task_coop_{i}"))
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect(),
            cooperating_hint: get(&pairs, &format!("task_coop_hint_{i}")).to_string(),
            deadline: get(&pairs, &format!("task_deadline_{i}")).to_string(),
            deadline_hint: get(&pairs, &format!("task_deadline_hint_{i}")).to_string(),
            output: get(&pairs, &format!("task_output_{i}")).to_string(),
            criteria: get(&pairs, &format!("task_criteria_{i}")).to_string(),
        })
        .collect();

    let title = chiso_core::text::clean(get(&pairs, "title"));
    if title.is_empty() {
        problems.push(ctx.t.plan_title_required.to_string());
    }
    let year: Option<i32> = get(&pairs, "year").parse().ok();
    if year.is_none() {
        problems.push(ctx.t.plan_import_year.to_string());
    }
    let decision_date = match get(&pairs, "decision_date") {
        "" => None,
        t => {
            let d = parse_date(t);
            if d.is_none() {
                problems.push(format!("{}: {t}", ctx.t.date_invalid));
            }
            d
        }
    };
    let unit: i64 = get(&pairs, "unit").parse().unwrap_or(0);
    if !known(unit) {
        problems.push(ctx.t.unit_required.to_string());
    }
    let mut goals = Vec::new();
    for (i, g) in goals_rows.iter().enumerate().filter(|(_, g)| g.keep) {
        let row = if vi {
            format!("Mục tiêu {}", i + 1)
        } else {
            format!("Goal {}", i + 1)
        };
        let number = |s: &str, what: &str, problems: &mut Vec<String>| match s {
            "" => None,
            v => {
                let d = dec(v);
                if d.is_none() {
                    problems.push(format!("{row}, {what}: \"{v}\" {}", ctx.t.not_a_number));
                }
                d
            }
        };
        let points = number(&g.points, ctx.t.plan_import_points, &mut problems);
        let percent = number(&g.percent, "%", &mut problems);
        goals.push(Goal {
            field_code: chiso_core::text::clean(&g.field),
            field_name: chiso_core::text::clean(&g.name),
            target_points: points.map(chiso_core::framework::Points::new),
            target_percent: percent,
            target_rank: g.rank.parse().ok(),
            target_group: chiso_core::text::clean(&g.group),
            ..Default::default()
        });
    }
    let mut kpis = Vec::new();
    for (i, k) in kpi_rows.iter().enumerate().filter(|(_, k)| k.keep) {
        let row = if vi {
            format!("Chỉ tiêu {}", i + 1)
        } else {
            format!("KPI {}", i + 1)
        };
        match (
            Direction::from_code(&k.direction),
            dec(&k.target),
            k.text.is_empty(),
        ) {
            (Some(d), Some(t), false) => kpis.push(NewKpi {
                text: chiso_core::text::clean(&k.text),
                direction: d,
                target: t,
                unit_label: chiso_core::text::clean(&k.unit),
                unit: None,
            }),
            _ => problems.push(format!("{row}: {}", ctx.t.plan_kpi_invalid)),
        }
    }
    let mut tasks = Vec::new();
    for (i, t) in task_rows.iter().enumerate().filter(|(_, t)| t.keep) {
        let row = if vi {
            format!("Nhiệm vụ {}", i + 1)
        } else {
            format!("Task {}", i + 1)
        };
        let deadline = Deadline::parse(&t.deadline);
        if t.text.trim().is_empty() {
            problems.push(format!("{row}: {}", ctx.t.plan_task_text_required));
        }
        if deadline.is_none() {
            problems.push(format!(
                "{row}: {} \"{}\"",
                ctx.t.plan_deadline_invalid, t.deadline
            ));
        }
        let lead = t.lead.filter(|l| known(*l));
        if lead.is_none() {
            problems.push(format!("{row}: {}", ctx.t.plan_import_lead_required));
        }
        if let (Some(deadline), Some(lead)) = (deadline, lead) {
            tasks.push(NewTask {
                text: chiso_core::text::clean(&t.text),
                field_code: chiso_core::text::clean(&t.field),
                node_codes: t
                    .criteria
                    .split([',', ' '])
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                lead_unit: Some(UnitId(lead)),
                cooperators: t
                    .cooperators
                    .iter()
                    .filter(|c| known(**c) && **c != lead)
                    .map(|c| UnitId(*c))
                    .collect(),
                deadline,
                output: chiso_core::text::clean(&t.output),
                expected_points: None,
            });
        }
    }
    if !problems.is_empty() {
        let mut p = ReviewPage {
            file_name: get(&pairs, "file_name").to_string(),
            problems,
            warnings: all(&pairs, "warning")
                .iter()
                .map(|s| s.to_string())
                .collect(),
            complete: get(&pairs, "complete") == "1",
            legal_bases: all(&pairs, "legal_basis")
                .iter()
                .map(|s| s.to_string())
                .collect(),
            title,
            number: get(&pairs, "number").to_string(),
            date: get(&pairs, "decision_date").to_string(),
            issuer: get(&pairs, "issuer").to_string(),
            year: get(&pairs, "year").to_string(),
            unit,
            goals: goals_rows,
            kpis: kpi_rows,
            tasks: task_rows,
            units: units.iter().map(|(id, n)| (id.0, n.clone())).collect(),
            directions: Direction::ALL
                .iter()
                .map(|d| (d.code(), d.label(ctx.lang)))
                .collect(),
            outline: get(&pairs, "outline").to_string(),
            ctx,
        };
        p.problems.dedup();
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let meta = PlanMeta {
        unit: UnitId(unit),
        year: year.unwrap_or_default(),
        title,
        number: chiso_core::text::clean(get(&pairs, "number")),
        decision_date,
        issuer: chiso_core::text::clean(get(&pairs, "issuer")),
    };
    let document = chiso_store::plans::PlanDocument {
        legal_bases: all(&pairs, "legal_basis")
            .iter()
            .map(|s| chiso_core::text::clean(s))
            .fold(Vec::new(), |mut kept: Vec<String>, b| {
                // The user may have typed one that was already there.
                if !kept.contains(&b) {
                    kept.push(b);
                }
                kept
            }),
        outline: chiso_core::plan::imported::parse_outline_text(get(&pairs, "outline")),
    };
    let now = Utc::now();
    let id = state
        .store
        .create_plan(
            &meta,
            "import",
            None,
            &goals,
            &kpis,
            &tasks,
            Some(&document),
            &user.by(),
            now,
        )
        .await?;
    Ok(redirect_with(
        &format!("/plans/{}", PlanId(id.0).0),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}
