//! `/api/v1/rounds`: assessment rounds, their schedule and the state of each unit, for any
//! signed-in account (as the pages are); administrators create rounds and move their phases.

use super::{ApiError, Body, Id};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::rounds::{RoundForm, check_round, move_phase};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chiso_core::policy::{Action, Target};
use chiso_core::round::schedule::Schedule;
use chiso_store::rounds::{RoundId, RoundSummary};
use chrono::NaiveDate;
use chrono::Utc;
use serde::Deserialize;
use serde::Serialize;

/// A round as listed.
#[derive(Serialize)]
pub struct RoundJson {
    id: i64,
    framework_id: i64,
    name: String,
    /// The phase code (`preparing`, `self_assessment`, …).
    phase: &'static str,
    /// Last year's round this one continues.
    previous_round_id: Option<i64>,
    schedule: Schedule,
    /// Units in the round.
    units: i64,
    /// Units that have submitted their self-assessment.
    submitted: i64,
}

impl From<&RoundSummary> for RoundJson {
    fn from(r: &RoundSummary) -> Self {
        RoundJson {
            id: r.id.0,
            framework_id: r.framework.0,
            name: r.name.clone(),
            phase: r.phase.code(),
            previous_round_id: r.previous.map(|p| p.0),
            schedule: r.schedule,
            units: r.units,
            submitted: r.submitted,
        }
    }
}

/// A round with each unit's state.
#[derive(Serialize)]
pub struct RoundDetail {
    #[serde(flatten)]
    round: RoundJson,
    unit_states: Vec<UnitStateJson>,
}

/// Where one unit stands in a round.
#[derive(Serialize)]
pub struct UnitStateJson {
    unit_id: i64,
    /// `drafting`, `submitted`, `appraised_1`, `explained` or `final`.
    state: &'static str,
    extension_until: Option<NaiveDate>,
}

/// Every round, newest first.
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<RoundJson>>, WebError> {
    let all = state.store.list_rounds().await?;
    Ok(Json(all.iter().map(RoundJson::from).collect()))
}

/// One round.
pub async fn show(
    State(state): State<AppState>,
    _user: CurrentUser,
    Id(id): Id,
) -> Result<Json<RoundDetail>, WebError> {
    Ok(Json(detail(&state, RoundId(id)).await?))
}

/// A round with each unit's state, as `GET /api/v1/rounds/{id}` gives it.
async fn detail(state: &AppState, id: RoundId) -> Result<RoundDetail, WebError> {
    let round = state.store.round(id).await?;
    let unit_states = state
        .store
        .round_units(round.id)
        .await?
        .into_iter()
        .map(|u| UnitStateJson {
            unit_id: u.unit.0,
            state: u.state.code(),
            extension_until: u.extension_until,
        })
        .collect();
    Ok(RoundDetail {
        round: RoundJson::from(&round),
        unit_states,
    })
}

/// A round as sent to create it: the framework, a name and the five dates.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundBody {
    framework_id: i64,
    name: String,
    schedule: Schedule,
}

/// Creates a round (administrators) for every unit of the framework's type in operation on the
/// opening day, by the page's rules (the dates follow each other, some unit takes part).
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Body(body): Body<RoundBody>,
) -> Result<(StatusCode, Json<RoundDetail>), ApiError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let s = body.schedule;
    let form = RoundForm {
        framework_id: body.framework_id.to_string(),
        name: body.name,
        self_assessment_opens: s.self_assessment_opens.to_string(),
        submission_due: s.submission_due.to_string(),
        appraisal1_due: s.appraisal1_due.to_string(),
        explanation_due: s.explanation_due.to_string(),
        appraisal2_due: s.appraisal2_due.to_string(),
    };
    let draft = check_round(&state, &ctx, &form)
        .await?
        .map_err(|errors| ApiError::from_fields(ctx.t.api_invalid_body, errors))?;
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
    Ok((StatusCode::CREATED, Json(detail(&state, id).await?)))
}

/// A phase change as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseBody {
    /// The next phase, or the previous one to reopen it (then `reason` is required).
    to: String,
    #[serde(default)]
    reason: String,
}

/// Moves a round one phase forward, or back with a reason (administrators).
pub async fn phase(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(id): Id,
    Body(body): Body<PhaseBody>,
) -> Result<Json<RoundDetail>, ApiError> {
    move_phase(&state, &user, id, &body.to, &body.reason, &ctx)
        .await
        .map_err(|e| match e {
            WebError::BadRequest(m) => {
                let field = if body.reason.trim().is_empty() && m == ctx.t.round_reopen_reason {
                    "reason"
                } else {
                    "to"
                };
                ApiError::field(field, m)
            }
            e => ApiError::Web(e),
        })?;
    Ok(Json(detail(&state, RoundId(id)).await?))
}
