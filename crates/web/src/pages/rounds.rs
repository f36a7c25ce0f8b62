//! Assessment rounds: the list, creating a round with its dates for every unit of the
//! framework's type, and moving it through its phases.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::{FieldErrors, redirect_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::format::{date, parse_date};
use chiso_core::policy::{Action, Target};
use chiso_core::round::phase::Phase;
use chiso_core::round::schedule::{self, Schedule};
use chiso_store::frameworks::FrameworkId;
use chiso_store::rounds::RoundId;
use chiso_store::units::UnitFilter;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// A round as a list row.
pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub framework: String,
    pub phase: &'static str,
    pub submission_due: String,
    pub progress: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "rounds.html")]
pub struct RoundsPage {
    ctx: Ctx,
    rows: Vec<RoundRow>,
    can_manage: bool,
}

/// Every round. Names and dates are not confidential; management needs ManageRounds.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<RoundsPage, WebError> {
    let frameworks: HashMap<FrameworkId, String> = state
        .store
        .list_frameworks()
        .await?
        .into_iter()
        .map(|f| (f.id, format!("{} ({}, v{})", f.name, f.year, f.version)))
        .collect();
    let rows = state
        .store
        .list_rounds()
        .await?
        .into_iter()
        .map(|r| RoundRow {
            id: r.id.0,
            name: r.name,
            framework: frameworks.get(&r.framework).cloned().unwrap_or_default(),
            phase: r.phase.label(ctx.lang),
            submission_due: date(r.schedule.submission_due),
            progress: format!("{}/{}", r.submitted, r.units),
        })
        .collect();
    Ok(RoundsPage {
        rows,
        can_manage: user.can(Action::ManageRounds, Target::Province),
        ctx,
    })
}

/// The new-round form's values, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RoundForm {
    pub framework_id: String,
    pub name: String,
    pub self_assessment_opens: String,
    pub submission_due: String,
    pub appraisal1_due: String,
    pub explanation_due: String,
    pub appraisal2_due: String,
}

impl RoundForm {
    /// Whether a framework is the selected one.
    pub fn selected(&self, id: &i64) -> bool {
        self.framework_id == id.to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "round_form.html")]
pub struct RoundFormPage {
    ctx: Ctx,
    form: RoundForm,
    frameworks: Vec<(i64, String)>,
    errors: FieldErrors,
    labels: Vec<(&'static str, &'static str)>,
}

impl RoundFormPage {
    /// The typed value of a date field.
    pub fn value(&self, field: &&str) -> &str {
        match *field {
            "self_assessment_opens" => &self.form.self_assessment_opens,
            "submission_due" => &self.form.submission_due,
            "appraisal1_due" => &self.form.appraisal1_due,
            "explanation_due" => &self.form.explanation_due,
            _ => &self.form.appraisal2_due,
        }
    }
}

const DATE_FIELDS: [&str; 5] = [
    "self_assessment_opens",
    "submission_due",
    "appraisal1_due",
    "explanation_due",
    "appraisal2_due",
];

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    form: RoundForm,
    errors: FieldErrors,
) -> Result<RoundFormPage, WebError> {
    // The latest version of each framework code and year.
    let mut seen = std::collections::BTreeSet::new();
    let frameworks = state
        .store
        .list_frameworks()
        .await?
        .into_iter()
        .filter(|f| seen.insert((f.code.clone(), f.year)))
        .map(|f| {
            (
                f.id.0,
                format!(
                    "{} — {} ({}, v{})",
                    f.name,
                    f.unit_type.label(ctx.lang),
                    f.year,
                    f.version
                ),
            )
        })
        .collect();
    let labels = DATE_FIELDS
        .iter()
        .map(|f| (*f, schedule::label(f, ctx.lang)))
        .collect();
    Ok(RoundFormPage {
        ctx,
        form,
        frameworks,
        errors,
        labels,
    })
}

/// The new-round form, with the dates of seed 001 proposed for this year's round.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<RoundFormPage, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let today = chiso_core::format::vietnam_day(Utc::now());
    let y = chrono::Datelike::year(&today);
    let d = |year: i32, m: u32, day: u32| {
        NaiveDate::from_ymd_opt(year, m, day)
            .map(date)
            .unwrap_or_default()
    };
    let form = RoundForm {
        name: format!("Đánh giá Chỉ số CCHC năm {y}"),
        self_assessment_opens: d(y, 12, 1),
        submission_due: d(y, 12, 25),
        appraisal1_due: d(y + 1, 1, 10),
        explanation_due: d(y + 1, 1, 13),
        appraisal2_due: d(y + 1, 1, 15),
        ..RoundForm::default()
    };
    form_page(&state, ctx, form, FieldErrors::default()).await
}

/// A round ready to create: its framework, name, dates and the units that take part.
pub(crate) struct RoundDraft {
    pub framework: FrameworkId,
    pub name: String,
    pub schedule: Schedule,
    pub units: Vec<chiso_core::ids::UnitId>,
}

/// Checks a new-round form (the page's and the API's): the framework exists, the dates read
/// and follow each other, and some unit of the framework's type exists when it opens.
pub(crate) async fn check_round(
    state: &AppState,
    ctx: &Ctx,
    form: &RoundForm,
) -> Result<Result<RoundDraft, FieldErrors>, WebError> {
    let mut errors = FieldErrors::default();
    let framework = match form.framework_id.trim().parse::<i64>() {
        Ok(id) => match state.store.framework(FrameworkId(id)).await {
            Ok((s, _)) => Some(s),
            Err(chiso_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    if framework.is_none() {
        errors.push("framework_id", ctx.t.round_framework_required);
    }
    let name = chiso_core::text::clean(&form.name);
    if name.is_empty() {
        errors.push("name", ctx.t.full_name_required);
    }
    let mut dates: Vec<Option<NaiveDate>> = Vec::new();
    for (field, text) in DATE_FIELDS.iter().zip([
        &form.self_assessment_opens,
        &form.submission_due,
        &form.appraisal1_due,
        &form.explanation_due,
        &form.appraisal2_due,
    ]) {
        let d = parse_date(text);
        if d.is_none() {
            errors.push(field, ctx.t.date_invalid);
        }
        dates.push(d);
    }
    let schedule = match dates.as_slice() {
        [Some(a), Some(b), Some(c), Some(d), Some(e)] => Some(Schedule {
            self_assessment_opens: *a,
            submission_due: *b,
            appraisal1_due: *c,
            explanation_due: *d,
            appraisal2_due: *e,
        }),
        _ => None,
    };
    if let Some(s) = &schedule {
        for p in s.validate() {
            errors.push(p.field, p.message(ctx.lang));
        }
    }
    let (Some(framework), Some(schedule)) = (framework, schedule) else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let units: Vec<chiso_core::ids::UnitId> = state
        .store
        .find_units(&UnitFilter {
            unit_type: Some(framework.unit_type),
            active_on: Some(schedule.self_assessment_opens),
            ..UnitFilter::default()
        })
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if units.is_empty() {
        errors.push("framework_id", ctx.t.round_no_units);
        return Ok(Err(errors));
    }
    Ok(Ok(RoundDraft {
        framework: framework.id,
        name,
        schedule,
        units,
    }))
}

/// Creates a round for every unit of the framework's type that exists when it opens.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<RoundForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let draft = match check_round(&state, &ctx, &form).await? {
        Ok(d) => d,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, form, errors).await?,
            )
                .into_response());
        }
    };
    let id = state
        .store
        .create_round(
            draft.framework,
            &draft.name,
            &draft.schedule,
            &draft.units,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A unit in the round page.
pub struct UnitStateRow {
    pub id: i64,
    pub name: String,
    pub state: &'static str,
    pub extension: String,
    /// The administrator may reopen this unit's self-assessment now.
    pub reopenable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub struct RoundPage {
    ctx: Ctx,
    id: i64,
    name: String,
    framework_id: i64,
    framework: String,
    unit_type: &'static str,
    phase: &'static str,
    next: Option<(&'static str, &'static str)>,
    previous: Option<(&'static str, &'static str)>,
    dates: Vec<(&'static str, String)>,
    units: Vec<UnitStateRow>,
    can_manage: bool,
    show_council: bool,
}

/// One round: its phase, dates and units.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<RoundPage, WebError> {
    let round = state.store.round(RoundId(id)).await?;
    let (summary, _) = state.store.framework(round.framework).await?;
    let names: HashMap<chiso_core::ids::UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut units: Vec<UnitStateRow> = state
        .store
        .round_units(round.id)
        .await?
        .into_iter()
        .map(|u| UnitStateRow {
            id: u.unit.0,
            name: names.get(&u.unit).cloned().unwrap_or_default(),
            state: u.state.label(ctx.lang),
            extension: u.extension_until.map(date).unwrap_or_default(),
            reopenable: u.state == chiso_core::round::workflow::UnitState::Submitted
                && u.state
                    .apply(chiso_core::round::workflow::Step::Reopen, round.phase, true)
                    .is_ok(),
        })
        .collect();
    units.sort_by_cached_key(|u| chiso_core::text::collation_key(&u.name));
    let s = round.schedule;
    let dates = vec![
        (
            schedule::label("self_assessment_opens", ctx.lang),
            date(s.self_assessment_opens),
        ),
        (
            schedule::label("submission_due", ctx.lang),
            date(s.submission_due),
        ),
        (
            schedule::label("appraisal1_due", ctx.lang),
            date(s.appraisal1_due),
        ),
        (
            schedule::label("explanation_due", ctx.lang),
            date(s.explanation_due),
        ),
        (
            schedule::label("appraisal2_due", ctx.lang),
            date(s.appraisal2_due),
        ),
    ];
    let mut dates = dates;
    if let Some(previous) = round.previous {
        let name = state.store.round(previous).await?.name;
        dates.push((ctx.t.round_previous, name));
    }
    Ok(RoundPage {
        id,
        name: round.name,
        framework_id: summary.id.0,
        framework: format!("{} ({}, v{})", summary.name, summary.year, summary.version),
        unit_type: summary.unit_type.label(ctx.lang),
        phase: round.phase.label(ctx.lang),
        next: round.phase.next().map(|p| (p.code(), p.label(ctx.lang))),
        previous: round
            .phase
            .previous()
            .map(|p| (p.code(), p.label(ctx.lang))),
        dates,
        units,
        can_manage: user.can(Action::ManageRounds, Target::Province),
        show_council: user.can(Action::ViewResults, Target::Province)
            && round.phase >= Phase::Appraisal1,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct PhaseForm {
    to: String,
    #[serde(default)]
    reason: String,
}

/// Moves the round forward one phase, or back one to reopen it (a reason is required then).
pub async fn change_phase(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<PhaseForm>,
) -> Result<Response, WebError> {
    move_phase(&state, &user, id, &form.to, &form.reason, &ctx).await?;
    Ok(redirect_with(
        &format!("/rounds/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// Changes a round's phase for the page and the API: one step forward, or one back with a
/// reason; opening the self-assessment notifies the units. Gives the new phase.
pub(crate) async fn move_phase(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    to: &str,
    reason: &str,
    ctx: &Ctx,
) -> Result<Phase, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let round = state.store.round(RoundId(id)).await?;
    let to = Phase::from_code(to)
        .ok_or_else(|| WebError::BadRequest(format!("{}: \"{to}\"", ctx.t.round_phase_unknown)))?;
    round.phase.change_to(to).map_err(|_| {
        WebError::BadRequest(format!(
            "{} → {}",
            round.phase.label(ctx.lang),
            to.label(ctx.lang)
        ))
    })?;
    let reason = chiso_core::text::clean(reason);
    if Some(to) == round.phase.previous() && reason.is_empty() {
        return Err(WebError::BadRequest(ctx.t.round_reopen_reason.to_string()));
    }
    state
        .store
        .set_round_phase(round.id, round.phase, to, &reason, &user.by(), Utc::now())
        .await?;
    if round.phase == Phase::Preparing && to == Phase::SelfAssessment {
        crate::notify::round_opened(state, round.id).await;
    }
    Ok(to)
}

#[derive(Deserialize)]
pub struct UnitActionForm {
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// Gives one unit a later last day (empty date removes it); a reason is required.
pub async fn extend(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, unit)): Path<(i64, i64)>,
    Form(form): Form<UnitActionForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let reason = crate::pages::required_reason(&form.reason, ctx.t)?;
    let until = match form.until.trim() {
        "" => None,
        t => Some(
            parse_date(t).ok_or_else(|| WebError::BadRequest(ctx.t.date_invalid.to_string()))?,
        ),
    };
    state
        .store
        .set_extension(
            RoundId(id),
            chiso_core::ids::UnitId(unit),
            until,
            &reason,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// Reopens one unit's submitted self-assessment (a reason is required; logged).
pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, unit)): Path<(i64, i64)>,
    Form(form): Form<UnitActionForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let reason = crate::pages::required_reason(&form.reason, ctx.t)?;
    let round = state.store.round(RoundId(id)).await?;
    let unit = chiso_core::ids::UnitId(unit);
    let ru = state.store.round_unit(round.id, unit).await?;
    let to = ru
        .state
        .apply(chiso_core::round::workflow::Step::Reopen, round.phase, true)
        .map_err(|r| WebError::BadRequest(r.message(ctx.lang)))?;
    state
        .store
        .set_unit_state(
            round.id,
            unit,
            ru.state,
            to,
            &format!("reopen ({reason})"),
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// The units of a round by name (Vietnamese order), and the one asked for (else the first): the
/// unit picker of the round's per-unit pages.
pub(crate) async fn pick_unit(
    state: &AppState,
    round: RoundId,
    names: &HashMap<chiso_core::ids::UnitId, String>,
    asked: Option<i64>,
) -> Result<(Vec<(i64, String)>, i64), WebError> {
    let mut units: Vec<(i64, String)> = state
        .store
        .round_units(round)
        .await?
        .into_iter()
        .map(|m| (m.unit.0, names.get(&m.unit).cloned().unwrap_or_default()))
        .collect();
    units.sort_by_cached_key(|(_, n)| chiso_core::text::collation_key(n));
    let chosen = asked
        .filter(|u| units.iter().any(|(x, _)| x == u))
        .or_else(|| units.first().map(|(x, _)| *x))
        .ok_or(WebError::NotFound)?;
    Ok((units, chosen))
}
