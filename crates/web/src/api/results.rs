//! `/api/v1/rounds/{id}/results`: the computed results of a round per unit, for those who view
//! results province-wide (as the results page). Figures come from `chiso_core::results` on the
//! data the results page loads; nothing is computed here.

use super::{Id, fixed2};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::results::load_data;
use axum::Json;
use axum::extract::State;
use chiso_core::policy::{Action, Target};
use chiso_core::results::compute;
use chiso_store::rounds::RoundId;
use serde::Serialize;

/// A round's results.
#[derive(Serialize)]
pub struct ResultsJson {
    round_id: i64,
    framework_id: i64,
    /// True until every unit's scores are final (round 2 concluded).
    provisional: bool,
    /// Applicable survey items without survey points yet (counted as 0).
    survey_missing: usize,
    /// Units in rank order.
    units: Vec<UnitResultJson>,
}

/// One unit's result.
#[derive(Serialize)]
pub struct UnitResultJson {
    unit_id: i64,
    name: String,
    /// The comparison group (unit type, or former district for communes).
    group: Option<String>,
    /// Rank on the published index (1, 2, 2, 4).
    rank: u32,
    /// Total points as published, two decimals.
    total: String,
    /// The unit's maximum (sum of applicable maxima), exact.
    max: String,
    /// total ÷ max × 100, two decimals, as published.
    index: String,
    /// The band label of the index, if the framework's scale has one for it.
    band: Option<String>,
    fields: Vec<FieldResultJson>,
}

/// One field of one unit.
#[derive(Serialize)]
pub struct FieldResultJson {
    code: String,
    /// Points as published, two decimals.
    points: String,
    max: String,
    /// Share of the maximum (%), two decimals; none when the field does not apply.
    percent: Option<String>,
    applicable: bool,
}

/// The results of one round.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Json<ResultsJson>, WebError> {
    user.require(Action::ViewResults, Target::Province)?;
    let data = load_data(&state, RoundId(id), ctx.lang).await?;
    let results = compute(&data.layout, &data.scores);
    let fields = data.layout.fields();
    let units = results
        .order()
        .iter()
        .map(|&u| {
            let r = &results.units()[u];
            UnitResultJson {
                unit_id: data.ids[u].0,
                name: data.scores[u].name().to_string(),
                group: data.scores[u].group().map(str::to_string),
                rank: r.rank,
                total: fixed2(r.published_total()),
                max: r.max.to_string(),
                index: fixed2(r.published_index),
                band: data.bands.label(r.published_index).map(str::to_string),
                fields: fields
                    .iter()
                    .map(|&f| {
                        let n = results.node(u, f);
                        FieldResultJson {
                            code: data.layout.nodes()[f].code.clone(),
                            points: fixed2(n.published_points()),
                            max: n.max.to_string(),
                            percent: n.published_percent().filter(|_| n.applicable).map(fixed2),
                            applicable: n.applicable,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(ResultsJson {
        round_id: data.round.id.0,
        framework_id: data.round.framework.0,
        provisional: data.final_units < data.ids.len(),
        survey_missing: data.survey_missing,
        units,
    }))
}
