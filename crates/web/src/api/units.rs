//! `/api/v1/units`: administrative units, for those who may view units province-wide (the list)
//! or the unit itself (one unit); administrators create and change them by the page's rules.

use super::{ApiError, Body, Id};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::units::{UnitForm, check};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chiso_core::ids::UnitId;
use chiso_core::policy::{Action, Target};
use chiso_core::text::collation_key;
use chiso_core::units::Unit;
use chiso_core::units::UnitDraft;
use chrono::NaiveDate;
use chrono::Utc;
use serde::Deserialize;
use serde::Serialize;

/// A unit.
#[derive(Serialize)]
pub struct UnitJson {
    id: i64,
    code: String,
    name: String,
    /// `province`, `department`, `district` or `commune`.
    unit_type: &'static str,
    parent_id: Option<i64>,
    valid_from: NaiveDate,
    /// The last day the unit existed (merged or dissolved), if it no longer does.
    valid_to: Option<NaiveDate>,
}

impl From<&Unit> for UnitJson {
    fn from(u: &Unit) -> Self {
        UnitJson {
            id: u.id.0,
            code: u.code.clone(),
            name: u.name.clone(),
            unit_type: u.unit_type.code(),
            parent_id: u.parent.map(|p| p.0),
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        }
    }
}

/// A unit with the units under it.
#[derive(Serialize)]
pub struct UnitDetail {
    #[serde(flatten)]
    unit: UnitJson,
    children: Vec<UnitJson>,
}

fn sorted(mut units: Vec<&Unit>) -> Vec<UnitJson> {
    units.sort_by_cached_key(|u| (u.unit_type, collation_key(&u.name)));
    units.into_iter().map(UnitJson::from).collect()
}

/// Every unit, past ones included, by type then name.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<UnitJson>>, WebError> {
    user.require(Action::ViewUnit, Target::Province)?;
    let all = state.store.all_units().await?;
    Ok(Json(sorted(all.iter().collect())))
}

/// One unit and its children.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Json<UnitDetail>, WebError> {
    let id = UnitId(id);
    user.require(Action::ViewUnit, Target::Unit(id))?;
    Ok(Json(detail(&state, id).await?))
}

/// A unit as sent to create or change it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitBody {
    code: String,
    name: String,
    /// `province`, `department`, `district` or `commune`.
    unit_type: String,
    parent_id: Option<i64>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

impl UnitBody {
    /// The unit form the pages check, so the rules are the page's.
    fn form(&self) -> UnitForm {
        UnitForm {
            code: self.code.clone(),
            name: self.name.clone(),
            unit_type: self.unit_type.clone(),
            parent_id: self.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            valid_from: self.valid_from.to_string(),
            valid_to: self.valid_to.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// The stored unit with its children, as `GET /api/v1/units/{id}` gives it.
async fn detail(state: &AppState, id: UnitId) -> Result<UnitDetail, WebError> {
    let all = state.store.all_units().await?;
    let unit = all.iter().find(|u| u.id == id).ok_or(WebError::NotFound)?;
    let children = sorted(all.iter().filter(|u| u.parent == Some(id)).collect());
    Ok(UnitDetail {
        unit: UnitJson::from(unit),
        children,
    })
}

/// Checks a unit body by the page's rules; each problem names its field.
async fn checked(
    state: &AppState,
    ctx: &Ctx,
    body: &UnitBody,
) -> Result<(UnitDraft, Option<UnitId>), ApiError> {
    check(state, ctx, &body.form())
        .await?
        .map_err(|errors| ApiError::from_fields(ctx.t.api_invalid_body, errors))
}

fn code_taken(ctx: &Ctx) -> ApiError {
    ApiError::field("code", ctx.t.unit_code_taken)
}

/// Creates a unit (administrators).
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Body(body): Body<UnitBody>,
) -> Result<(StatusCode, Json<UnitDetail>), ApiError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let (draft, parent) = checked(&state, &ctx, &body).await?;
    match state
        .store
        .create_unit(&draft, parent, &user.by(), Utc::now())
        .await
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(detail(&state, id).await?))),
        Err(chiso_store::StoreError::Conflict(_)) => Err(code_taken(&ctx)),
        Err(e) => Err(e.into()),
    }
}

/// Changes a unit (administrators): its code, name, type, parent and dates.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(id): Id,
    Body(body): Body<UnitBody>,
) -> Result<Json<UnitDetail>, ApiError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let id = UnitId(id);
    state.store.unit(id).await?;
    let (draft, parent) = checked(&state, &ctx, &body).await?;
    match state
        .store
        .update_unit(id, &draft, parent, &user.by(), Utc::now())
        .await
    {
        Ok(()) => Ok(Json(detail(&state, id).await?)),
        Err(chiso_store::StoreError::Conflict(_)) => Err(code_taken(&ctx)),
        Err(e) => Err(e.into()),
    }
}
