//! Periodic PAR reports: DOHA keeps the year's reporting calendar; each unit sends its report
//! (a summary and the signed file) and sees whether it was on time; DOHA sees who has not sent
//! and each unit's on-time rate, the figure the scoring asks for.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chiso_core::format::{date as fmt_date, parse_date, vietnam_day};
use chiso_core::ids::UnitId;
use chiso_core::plan::reporting::{ReportState, on_time_rate, report_state};
use chiso_core::policy::{Action, Target};
use chiso_core::units::UnitType;
use chiso_store::reporting::{ReportEntry, ReportFile, Submission};
use chiso_store::units::UnitFilter;
use chrono::{Datelike, Utc};
use serde::Deserialize;
use std::collections::HashMap;

fn today() -> chrono::NaiveDate {
    vietnam_day(Utc::now())
}

fn state_of(e: &ReportEntry, s: Option<&Submission>) -> ReportState {
    report_state(e.due, s.map(|s| vietnam_day(s.submitted_at)), today())
}

/// A calendar line.
pub struct EntryLine {
    pub id: i64,
    pub title: String,
    pub unit_type: &'static str,
    pub due: String,
    pub sent: usize,
    pub on_time: usize,
    pub expected: usize,
    /// For a unit's own view.
    pub state_code: &'static str,
    pub state: &'static str,
    pub sent_on: String,
    pub summary: String,
}

/// One unit's line for a report, or its yearly on-time rate.
pub struct UnitLine {
    pub id: i64,
    pub name: String,
    pub state_code: &'static str,
    pub state: &'static str,
    pub sent_on: String,
    pub summary: String,
    pub file: String,
    pub rate: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reporting.html")]
pub struct ReportingPage {
    ctx: Ctx,
    year: i32,
    admin: bool,
    entries: Vec<EntryLine>,
    selected: Option<(i64, String)>,
    units: Vec<UnitLine>,
    rates: Vec<UnitLine>,
    types: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ReportingQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    entry: Option<i64>,
}

fn may_send(user: &CurrentUser) -> bool {
    user.can(
        Action::ReportTaskProgress,
        Target::Unit(user.account().unit),
    )
}

/// `/reports`: the calendar with who sent what (DOHA), or the unit's own reports.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<ReportingQuery>,
) -> Result<ReportingPage, WebError> {
    let admin = user.can(Action::ManagePlans, Target::Province);
    if !admin && !may_send(&user) {
        user.require(Action::ManagePlans, Target::Province)?;
    }
    let year = q.year.unwrap_or_else(|| today().year());
    let lang = ctx.lang;
    let calendar = state.store.report_calendar(year).await?;
    let submissions = state.store.report_submissions(year).await?;
    let by_key: HashMap<(i64, UnitId), &Submission> =
        submissions.iter().map(|s| ((s.entry, s.unit), s)).collect();
    let own = user.account().unit;
    let own_type = state.store.unit(own).await?.unit_type;
    // The units each report is expected from: those of its type in operation on its due date.
    let mut expected: HashMap<i64, Vec<chiso_core::units::Unit>> = HashMap::new();
    for e in &calendar {
        let units = state
            .store
            .find_units(&UnitFilter {
                unit_type: Some(e.unit_type),
                active_on: Some(e.due),
                ..Default::default()
            })
            .await?;
        expected.insert(e.id, units);
    }
    let entries: Vec<EntryLine> = calendar
        .iter()
        .filter(|e| admin || e.unit_type == own_type)
        .map(|e| {
            let units = &expected[&e.id];
            let states: Vec<ReportState> = units
                .iter()
                .map(|u| state_of(e, by_key.get(&(e.id, u.id)).copied()))
                .collect();
            let mine = by_key.get(&(e.id, own)).copied();
            let my_state = state_of(e, mine);
            EntryLine {
                id: e.id,
                title: e.title.clone(),
                unit_type: e.unit_type.label(lang),
                due: fmt_date(e.due),
                sent: states
                    .iter()
                    .filter(|s| matches!(s, ReportState::OnTime | ReportState::Late))
                    .count(),
                on_time: states.iter().filter(|s| **s == ReportState::OnTime).count(),
                expected: units.len(),
                state_code: my_state.code(),
                state: my_state.label(lang),
                sent_on: mine.map(|s| ctx.time(&s.submitted_at)).unwrap_or_default(),
                summary: mine.map(|s| s.summary.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let line = |e: &ReportEntry, u: &chiso_core::units::Unit| {
        let s = by_key.get(&(e.id, u.id)).copied();
        let st = state_of(e, s);
        UnitLine {
            id: u.id.0,
            name: u.name.clone(),
            state_code: st.code(),
            state: st.label(lang),
            sent_on: s.map(|s| ctx.time(&s.submitted_at)).unwrap_or_default(),
            summary: s.map(|s| s.summary.clone()).unwrap_or_default(),
            file: s
                .and_then(|s| s.file.as_ref())
                .map(|_| format!("/reports/{}/units/{}/file", e.id, u.id))
                .unwrap_or_default(),
            rate: String::new(),
        }
    };
    let selected = if admin {
        q.entry
            .or_else(|| calendar.first().map(|e| e.id))
            .and_then(|id| calendar.iter().find(|e| e.id == id))
    } else {
        None
    };
    let mut units: Vec<UnitLine> = selected
        .map(|e| expected[&e.id].iter().map(|u| line(e, u)).collect())
        .unwrap_or_default();
    units.sort_by_cached_key(|u| chiso_core::text::collation_key(&u.name));
    // Each unit's on-time rate over the year's reports already due.
    let mut rates: Vec<UnitLine> = Vec::new();
    if admin {
        let mut per_unit: HashMap<UnitId, (String, Vec<ReportState>)> = HashMap::new();
        for e in &calendar {
            for u in &expected[&e.id] {
                per_unit
                    .entry(u.id)
                    .or_insert_with(|| (u.name.clone(), Vec::new()))
                    .1
                    .push(state_of(e, by_key.get(&(e.id, u.id)).copied()));
            }
        }
        for (id, (name, states)) in per_unit {
            rates.push(UnitLine {
                id: id.0,
                name,
                state_code: "",
                state: "",
                sent_on: String::new(),
                summary: String::new(),
                file: String::new(),
                rate: on_time_rate(&states)
                    .map(|r| format!("{} %", chiso_core::format::points(r, lang)))
                    .unwrap_or_else(|| "—".into()),
            });
        }
        rates.sort_by_cached_key(|u| chiso_core::text::collation_key(&u.name));
    }
    Ok(ReportingPage {
        year,
        admin,
        entries,
        selected: selected.map(|e| (e.id, e.title.clone())),
        units,
        rates,
        types: [UnitType::Department, UnitType::Commune, UnitType::Province]
            .iter()
            .map(|t| (t.code(), t.label(lang)))
            .collect(),
        ctx,
    })
}

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    unit_type: String,
    #[serde(default)]
    due: String,
}

/// DOHA adds a report to the calendar.
pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManagePlans, Target::Province)?;
    let title = chiso_core::text::clean(&form.title);
    let unit_type = UnitType::from_code(&form.unit_type);
    let due = parse_date(form.due.trim());
    let (false, Some(unit_type), Some(due)) = (title.is_empty(), unit_type, due) else {
        return Err(WebError::BadRequest(
            ctx.t.reporting_entry_invalid.to_string(),
        ));
    };
    state
        .store
        .add_report_entry(due.year(), &title, unit_type, due, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/reports?year={}", due.year()),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A unit sends (or corrects) its report: a summary and, optionally, the signed file.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(entry): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let unit = user.account().unit;
    user.require(Action::ReportTaskProgress, Target::Unit(unit))?;
    let own_type = state.store.unit(unit).await?.unit_type;
    let year_entries = state.store.report_entry(entry).await?;
    if year_entries.unit_type != own_type {
        return Err(WebError::NotFound);
    }
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "bao-cao").await?;
    let summary = chiso_core::text::clean(crate::pages::form_value(&pairs, "summary"));
    if summary.is_empty() && file.is_none() {
        return Err(WebError::BadRequest(ctx.t.reporting_empty.to_string()));
    }
    let stored = match file {
        Some((name, bytes)) => {
            let (sha, content_type, name) =
                crate::pages::store_document(&state, &name, bytes, ctx.lang).await?;
            Some(ReportFile {
                content_type,
                sha256: sha,
                name,
            })
        }
        None => None,
    };
    state
        .store
        .submit_report(
            entry,
            unit,
            &summary,
            stored.as_ref(),
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/reports?year={}", year_entries.year),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A report's file, for DOHA and the unit that sent it.
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((entry, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    if !user.can(Action::ManagePlans, Target::Province) {
        user.require(Action::ViewUnit, Target::Unit(UnitId(unit)))?;
    }
    let s = state
        .store
        .report_submission(entry, UnitId(unit))
        .await?
        .ok_or(WebError::NotFound)?;
    let f = s.file.ok_or(WebError::NotFound)?;
    let bytes =
        crate::pages::stored_file(&state, &f.sha256, &format!("report file {entry}/{unit}"))
            .await?;
    Ok(crate::pages::attachment(bytes, &f.name, f.content_type))
}
