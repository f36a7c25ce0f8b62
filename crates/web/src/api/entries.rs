//! `PUT /api/v1/rounds/{id}/units/{unit}/items/{code}`: a unit's self-assessment entry for one
//! item, as the grid saves it: the same permission, phase and window checks, the score computed
//! by the item's rule, and the version that refuses to overwrite someone else's save.

use super::{ApiError, Body, Params, Problem, decimal};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::pages::grid::{field_of, load};
use axum::Json;
use axum::extract::State;
use chiso_core::framework::Points;
use chiso_core::framework::model::{Node, Rule};
use chiso_core::framework::rules::ScoreError;
use chiso_core::lang::Lang;
use chiso_core::policy::Action;
use chiso_core::round::entry::{EntryProblem, SelfEntry, self_score};
use chiso_store::entries::{SaveOutcome, StoredEntry};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An entry as sent. Which parts matter depends on the item's rule; decimals are strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    /// The version read (0 for an item never saved).
    version: i64,
    numerator: Option<String>,
    denominator: Option<String>,
    level: Option<usize>,
    met: Option<bool>,
    points: Option<String>,
    /// Declared not applicable, with the reason.
    not_applicable: Option<String>,
    explanation: Option<String>,
}

/// An entry as stored, with the score computed from it.
#[derive(Serialize)]
pub struct EntryJson {
    round_id: i64,
    unit_id: i64,
    code: String,
    version: i64,
    self_points: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
    level: Option<usize>,
    met: Option<bool>,
    points: Option<String>,
    not_applicable: Option<String>,
    explanation: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
}

fn entry_json(round: i64, unit: i64, code: &str, s: &StoredEntry) -> EntryJson {
    let d = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string());
    EntryJson {
        round_id: round,
        unit_id: unit,
        code: code.to_string(),
        version: s.version,
        self_points: s.self_points.map(|p| p.to_string()),
        numerator: d(s.entry.numerator),
        denominator: d(s.entry.denominator),
        level: s.entry.level,
        met: s.entry.met,
        points: s.entry.points.map(|p| p.to_string()),
        not_applicable: s.entry.not_applicable.clone(),
        explanation: s.entry.explanation.clone(),
        updated_at: s.updated_at,
        updated_by: s.updated_by.clone(),
    }
}

/// The entry the body describes, or every field that cannot be read.
fn entry_of(b: &EntryBody, lang: Lang) -> Result<SelfEntry, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut figure = |field: &str, v: &Option<String>| match v {
        None => None,
        Some(s) => decimal(field, s.trim(), lang)
            .map_err(|p| problems.push(p))
            .ok(),
    };
    let numerator = figure("numerator", &b.numerator);
    let denominator = figure("denominator", &b.denominator);
    let points = figure("points", &b.points).map(Points::new);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SelfEntry {
        numerator,
        denominator,
        level: b.level,
        met: b.met,
        points,
        not_applicable: b.not_applicable.as_deref().map(chiso_core::text::clean),
        explanation: chiso_core::text::clean(b.explanation.as_deref().unwrap_or("")),
    })
}

/// The body field a scoring problem is about.
fn problem_field(node: &Node, p: &EntryProblem) -> &'static str {
    match p {
        EntryProblem::NotApplicableNotAllowed | EntryProblem::ReasonMissing => "not_applicable",
        EntryProblem::Score(e) => match (&node.rule, e) {
            (_, ScoreError::RatioAboveOne) => "numerator",
            (_, ScoreError::BadFigures) => "denominator",
            (_, ScoreError::NoSuchLevel) => "level",
            (_, ScoreError::OutOfRange { .. } | ScoreError::NotAStep { .. }) => "points",
            (Some(Rule::Boolean | Rule::Deduction { .. }), _) => "met",
            (Some(Rule::Levels { .. }), _) => "level",
            (Some(Rule::Bands { .. } | Rule::Proportional { .. }), _) => "numerator",
            _ => "points",
        },
    }
}

/// One item's stored entry with its version (404 when never saved: send version 0).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
) -> Result<Json<EntryJson>, ApiError> {
    let l = load(&state, round, unit).await?;
    l.leaf(&code)?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let stored = state
        .store
        .self_entry(round, unit, &code)
        .await?
        .ok_or(crate::WebError::NotFound)?;
    Ok(Json(entry_json(round, unit, &code, &stored)))
}

/// Saves one item's entry; the response is the stored entry with its score and new version.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
    Body(body): Body<EntryBody>,
) -> Result<Json<EntryJson>, ApiError> {
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?.clone();
    user.require(
        Action::EnterSelfAssessment,
        l.target(&user, unit, field_of(&code)),
    )?;
    if let Some(reason) = l.edit_refused() {
        return Err(ApiError::conflict(reason.message(ctx.lang)));
    }
    let entry = entry_of(&body, ctx.lang).map_err(|problems| {
        let message = match ctx.lang {
            Lang::Vi => "Có số liệu không đọc được; không lưu gì.",
            Lang::En => "Some figures cannot be read; nothing was saved.",
        };
        ApiError::invalid(message, problems)
    })?;
    let score = self_score(&node, &entry)
        .map_err(|p| ApiError::field(problem_field(&node, &p), p.message(ctx.lang)))?;
    match state
        .store
        .save_self_entry(
            round,
            unit,
            &code,
            &entry,
            score,
            body.version,
            &user.by(),
            Utc::now(),
        )
        .await?
    {
        SaveOutcome::Saved { .. } => {
            let stored = state.store.self_entry(round, unit, &code).await?.ok_or(
                crate::error::WebError::Internal(format!(
                    "entry {round}/{unit}/{code} saved but not found"
                )),
            )?;
            Ok(Json(entry_json(round, unit, &code, &stored)))
        }
        SaveOutcome::Conflict(current) => {
            let message = format!(
                "{} {} ({})",
                ctx.t.grid_conflict,
                current.updated_by,
                ctx.time(&current.updated_at)
            );
            let current = serde_json::to_value(entry_json(round, unit, &code, &current))
                .map_err(|e| crate::error::WebError::Internal(e.to_string()))?;
            Err(ApiError::stale(message, current))
        }
    }
}
