//! PAR inspections and initiatives for DOHA: the year's inspections against the coverage
//! target (seed 000: "từ 30% trở lên số cơ quan"), findings tracked to closed ("xử lý 100% vấn
//! đề phát hiện qua kiểm tra"), and the initiatives register with the council's evaluation
//! ("ít nhất 3 sáng kiến"). Units see their own inspections and propose initiatives.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chiso_core::format::{date as fmt_date, parse_date, vietnam_day};
use chiso_core::ids::UnitId;
use chiso_core::policy::{Action, Target};
use chiso_core::units::UnitType;
use chiso_store::units::UnitFilter;
use chrono::{Datelike, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

/// The share of units to inspect each year, unless the administrator set another (%).
const DEFAULT_TARGET: i64 = 30;

/// An inspection as shown.
pub struct InspectionLine {
    pub id: i64,
    pub unit: String,
    pub planned: String,
    pub done: String,
    pub findings: Vec<(i64, String, String, String, String)>,
}

/// An initiative as shown.
pub struct InitiativeLine {
    pub id: i64,
    pub unit: String,
    pub title: String,
    pub description: String,
    pub evaluation: &'static str,
    pub pending: bool,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "inspections.html")]
pub struct InspectionsPage {
    ctx: Ctx,
    year: i32,
    admin: bool,
    coverage: String,
    target: i64,
    meets: bool,
    handled: String,
    inspections: Vec<InspectionLine>,
    initiatives: Vec<InitiativeLine>,
    recognised: usize,
    units: Vec<(i64, String)>,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
}

fn pct(n: usize, d: usize, lang: chiso_core::lang::Lang) -> String {
    if d == 0 {
        return "—".into();
    }
    let v = Decimal::from(n * 100) / Decimal::from(d);
    format!("{} %", chiso_core::format::points(v, lang))
}

/// `/inspections`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<InspectionsPage, WebError> {
    let admin = user.can(Action::ManagePlans, Target::Province);
    let own = user.account().unit;
    if !admin {
        user.require(Action::ReportTaskProgress, Target::Unit(own))?;
    }
    let today = vietnam_day(Utc::now());
    let year = q.year.unwrap_or_else(|| today.year());
    let lang = ctx.lang;
    let day = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let mut units = Vec::new();
    for t in [UnitType::Department, UnitType::Commune] {
        units.extend(
            state
                .store
                .find_units(&UnitFilter {
                    unit_type: Some(t),
                    // Units of a past year as they were at its end; this year's as they are.
                    active_on: Some(if year < today.year() { day } else { today }),
                    ..Default::default()
                })
                .await?,
        );
    }
    let names: HashMap<UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let name = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
    let all = state.store.inspections(year).await?;
    let done = all.iter().filter(|i| i.done_on.is_some()).count();
    let findings: Vec<_> = all.iter().flat_map(|i| &i.findings).collect();
    let closed = findings.iter().filter(|f| f.closed_on.is_some()).count();
    let target = match state.store.setting("inspection_target").await? {
        Some(v) => v.parse().unwrap_or(DEFAULT_TARGET),
        None => DEFAULT_TARGET,
    };
    let meets = !units.is_empty() && (done as i64) * 100 >= target * units.len() as i64;
    let inspections = all
        .iter()
        .filter(|i| admin || i.unit == own)
        .map(|i| InspectionLine {
            id: i.id,
            unit: name(&i.unit),
            planned: fmt_date(i.planned_on),
            done: i.done_on.map(fmt_date).unwrap_or_default(),
            findings: i
                .findings
                .iter()
                .map(|f| {
                    (
                        f.id,
                        f.text.clone(),
                        f.remedy.clone(),
                        f.due.map(fmt_date).unwrap_or_default(),
                        f.closed_on.map(fmt_date).unwrap_or_default(),
                    )
                })
                .collect(),
        })
        .collect();
    let initiatives_all = state.store.initiatives(year).await?;
    let recognised = initiatives_all
        .iter()
        .filter(|i| i.evaluation == "recognised")
        .count();
    let initiatives = initiatives_all
        .iter()
        .filter(|i| admin || i.unit == own)
        .map(|i| InitiativeLine {
            id: i.id,
            unit: name(&i.unit),
            title: i.title.clone(),
            description: i.description.clone(),
            evaluation: match (i.evaluation.as_str(), lang) {
                ("recognised", chiso_core::lang::Lang::Vi) => "Được công nhận",
                ("not_recognised", chiso_core::lang::Lang::Vi) => "Không được công nhận",
                (_, chiso_core::lang::Lang::Vi) => "Chờ Hội đồng đánh giá",
                ("recognised", chiso_core::lang::Lang::En) => "Recognised",
                ("not_recognised", chiso_core::lang::Lang::En) => "Not recognised",
                (_, chiso_core::lang::Lang::En) => "Awaiting the council",
            },
            pending: i.evaluation == "pending",
            note: i.evaluation_note.clone(),
        })
        .collect();
    let mut unit_list: Vec<(i64, String)> =
        units.iter().map(|u| (u.id.0, u.name.clone())).collect();
    unit_list.sort_by_cached_key(|(_, n)| chiso_core::text::collation_key(n));
    Ok(InspectionsPage {
        year,
        admin,
        coverage: format!("{done}/{} ({})", units.len(), pct(done, units.len(), lang)),
        target,
        meets,
        handled: format!(
            "{closed}/{} ({})",
            findings.len(),
            pct(closed, findings.len(), lang)
        ),
        inspections,
        initiatives,
        recognised,
        units: unit_list,
        today: fmt_date(today),
        ctx,
    })
}

fn back(state: &AppState, year: i32) -> Response {
    redirect_with(
        &format!("/inspections?year={year}"),
        Flash::Saved,
        state.config.secure_cookies(),
    )
}

/// DOHA plans the inspection of a unit.
pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let unit: i64 = get(&pairs, "unit")
        .parse()
        .map_err(|_| WebError::BadRequest(ctx.t.unit_required.to_string()))?;
    state.store.unit(UnitId(unit)).await?;
    let on = parse_date(get(&pairs, "planned_on")).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{}: {}",
            ctx.t.date_invalid,
            get(&pairs, "planned_on")
        ))
    })?;
    state
        .store
        .plan_inspection(on.year(), UnitId(unit), on, &user.by(), Utc::now())
        .await
        .map_err(|e| match e {
            chiso_store::StoreError::Conflict(_) => {
                WebError::BadRequest(ctx.t.inspection_twice.to_string())
            }
            e => e.into(),
        })?;
    Ok(back(&state, on.year()))
}

/// DOHA records an inspection as done, with its findings: one a line, "finding | remedy |
/// dd/mm/yyyy" (remedy and due date optional).
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let on = parse_date(get(&pairs, "done_on")).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{}: {}",
            ctx.t.date_invalid,
            get(&pairs, "done_on")
        ))
    })?;
    let mut findings = Vec::new();
    for (n, line) in get(&pairs, "findings")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let mut parts = line.split('|').map(str::trim);
        let text = chiso_core::text::clean(parts.next().unwrap_or(""));
        let remedy = chiso_core::text::clean(parts.next().unwrap_or(""));
        let due = match parts.next().unwrap_or("") {
            "" => None,
            d => Some(parse_date(d).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "{} {}: {}: {d}",
                    ctx.t.inspection_finding,
                    n + 1,
                    ctx.t.date_invalid
                ))
            })?),
        };
        findings.push((text, remedy, due));
    }
    state
        .store
        .record_inspection(id, on, &findings, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, on.year()))
}

/// DOHA closes a finding (its remedy is done).
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let on = parse_date(get(&pairs, "closed_on")).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{}: {}",
            ctx.t.date_invalid,
            get(&pairs, "closed_on")
        ))
    })?;
    state
        .store
        .close_finding(id, Some(on), &user.by(), Utc::now())
        .await?;
    let year = get(&pairs, "year").parse().unwrap_or(on.year());
    Ok(back(&state, year))
}

/// A unit proposes an initiative (DOHA may register one for any unit).
pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let unit = if user.can(Action::ManagePlans, Target::Province) {
        get(&pairs, "unit")
            .parse()
            .map(UnitId)
            .unwrap_or(user.account().unit)
    } else {
        let own = user.account().unit;
        user.require(Action::ReportTaskProgress, Target::Unit(own))?;
        own
    };
    let title = chiso_core::text::clean(get(&pairs, "title"));
    if title.is_empty() {
        return Err(WebError::BadRequest(
            ctx.t.initiative_title_required.to_string(),
        ));
    }
    let year = vietnam_day(Utc::now()).year();
    state
        .store
        .add_initiative(
            year,
            unit,
            &title,
            &chiso_core::text::clean(get(&pairs, "description")),
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(back(&state, year))
}

/// DOHA records the council's evaluation of an initiative (a note is required to refuse).
pub async fn evaluate(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let recognised = get(&pairs, "recognised") == "1";
    let note = chiso_core::text::clean(get(&pairs, "note"));
    if !recognised && note.is_empty() {
        return Err(WebError::BadRequest(ctx.t.reason_required.to_string()));
    }
    state
        .store
        .evaluate_initiative(id, recognised, &note, &user.by(), Utc::now())
        .await?;
    let year = get(&pairs, "year")
        .parse()
        .unwrap_or_else(|_| vietnam_day(Utc::now()).year());
    Ok(back(&state, year))
}
