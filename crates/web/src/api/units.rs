//! `/api/v1/units`: administrative units, for those who may view units province-wide (the list)
//! or the unit itself (one unit).

use super::Id;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::State;
use chiso_core::ids::UnitId;
use chiso_core::policy::{Action, Target};
use chiso_core::text::collation_key;
use chiso_core::units::Unit;
use chrono::NaiveDate;
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
    let all = state.store.all_units().await?;
    let unit = all.iter().find(|u| u.id == id).ok_or(WebError::NotFound)?;
    let children = sorted(all.iter().filter(|u| u.parent == Some(id)).collect());
    Ok(Json(UnitDetail {
        unit: UnitJson::from(unit),
        children,
    }))
}
