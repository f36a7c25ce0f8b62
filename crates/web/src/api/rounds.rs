//! `/api/v1/rounds`: assessment rounds, their schedule and the state of each unit, for any
//! signed-in account (as the pages are).

use super::Id;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::State;
use chiso_core::round::schedule::Schedule;
use chiso_store::rounds::{RoundId, RoundSummary};
use chrono::NaiveDate;
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
    let round = state.store.round(RoundId(id)).await?;
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
    Ok(Json(RoundDetail {
        round: RoundJson::from(&round),
        unit_states,
    }))
}
