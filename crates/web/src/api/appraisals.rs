//! Appraisal through the API: an appraiser's score for one item (with the reason and what the
//! unit is asked), the unit's answer in the explanation phase, and the steps of a unit's
//! progress (submit, conclude…). Each goes through the same functions as the grid, so the
//! permissions, the phase and window rules, the score ledger and the notifications are the
//! grid's.

use super::{ApiError, Body, Params, Problem};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::pages::appraisal::{Appraised, appraise_item};
use crate::pages::grid::{UnitData, apply_step, field_of, load};
use axum::Json;
use axum::extract::State;
use chiso_core::policy::Action;
use chiso_core::round::appraisal::Stage;
use chiso_core::round::workflow::{Step, StepRefused};
use chiso_store::appraisals::StoredAppraisal;
use chiso_store::rounds::RoundId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An appraisal as sent: a score, or corrected figures the item's rule scores; the reason is
/// required when the score differs from the one the appraisal starts from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppraisalBody {
    /// The version read (0 when the stage was never appraised).
    version: i64,
    points: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
    #[serde(default)]
    reason: String,
    /// `explanation` or `evidence`: what the unit is asked for (round 1).
    ask: Option<String>,
}

/// An appraisal as stored.
#[derive(Serialize)]
pub struct AppraisalJson {
    code: String,
    /// 1 or 2.
    stage: u8,
    version: i64,
    /// The appraised score; null when the item was found not applicable.
    points: Option<String>,
    corrected_numerator: Option<String>,
    corrected_denominator: Option<String>,
    reason: String,
    ask: Option<&'static str>,
    updated_at: DateTime<Utc>,
    updated_by: String,
}

fn stage_number(s: Stage) -> u8 {
    match s {
        Stage::One => 1,
        Stage::Two => 2,
    }
}

fn appraisal_json(code: &str, stage: Stage, a: &StoredAppraisal) -> AppraisalJson {
    let figure = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string());
    AppraisalJson {
        code: code.to_string(),
        stage: stage_number(stage),
        version: a.version,
        points: a.points.map(|p| p.to_string()),
        corrected_numerator: a.corrected.as_ref().and_then(|c| figure(c.numerator)),
        corrected_denominator: a.corrected.as_ref().and_then(|c| figure(c.denominator)),
        reason: a.reason.clone(),
        ask: a.ask.map(|k| k.code()),
        updated_at: a.updated_at,
        updated_by: a.updated_by.clone(),
    }
}

/// The appraisals of one item (round 1, then round 2), for those who see the unit.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
) -> Result<Json<Vec<AppraisalJson>>, ApiError> {
    let l = load(&state, round, unit).await?;
    l.leaf(&code)?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let all = state
        .store
        .appraisals(RoundId(round), chiso_core::ids::UnitId(unit))
        .await?;
    let mut out: Vec<AppraisalJson> = [Stage::One, Stage::Two]
        .into_iter()
        .filter_map(|s| {
            all.get(&(code.clone(), s))
                .map(|a| appraisal_json(&code, s, a))
        })
        .collect();
    out.sort_by_key(|a| a.stage);
    Ok(Json(out))
}

/// An appraiser keeps or changes one item's score in the round's current appraisal.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
    Body(body): Body<AppraisalBody>,
) -> Result<Json<AppraisalJson>, ApiError> {
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?.clone();
    user.require(Action::Appraise, l.target(&user, unit, field_of(&code)))?;
    let Some(stage) = l.perms(&user, unit, field_of(&code)).appraise else {
        return Err(ApiError::conflict(
            StepRefused::WrongState.message(ctx.lang),
        ));
    };
    if let Some(a) = body.ask.as_deref()
        && chiso_core::round::appraisal::Ask::from_code(a).is_none()
    {
        return Err(ApiError::field(
            "ask",
            format!("\"{a}\": explanation | evidence"),
        ));
    }
    // The grid's form, so the figures are read and checked exactly as the page reads them.
    let mut pairs = vec![
        ("version".to_string(), body.version.to_string()),
        ("reason".to_string(), body.reason.clone()),
    ];
    for (k, v) in [
        ("points", &body.points),
        ("numerator", &body.numerator),
        ("denominator", &body.denominator),
        ("ask", &body.ask),
    ] {
        if let Some(v) = v {
            pairs.push((k.to_string(), v.clone()));
        }
    }
    let data = UnitData::load(&state, &l, unit, Some(&code)).await?;
    match appraise_item(
        &state, &user, round, unit, &node, stage, &data, &pairs, &ctx,
    )
    .await?
    {
        Appraised::Saved => {
            let stored = state
                .store
                .appraisals(RoundId(round), chiso_core::ids::UnitId(unit))
                .await?
                .remove(&(code.clone(), stage))
                .ok_or_else(|| {
                    crate::WebError::Internal(format!("appraisal {round}/{unit}/{code} not found"))
                })?;
            Ok(Json(appraisal_json(&code, stage, &stored)))
        }
        Appraised::Conflict(current) => {
            let message = format!(
                "{} {} ({})",
                ctx.t.grid_conflict,
                current.updated_by,
                ctx.time(&current.updated_at)
            );
            let current = serde_json::to_value(appraisal_json(&code, stage, &current))
                .map_err(|e| crate::WebError::Internal(e.to_string()))?;
            Err(ApiError::stale(message, current))
        }
        Appraised::Refused(message, typed) => Err(ApiError::invalid(
            ctx.t.api_invalid_body,
            vec![Problem::field(
                refused_field(&body, typed.is_some()),
                message,
            )],
        )),
    }
}

/// The body field a refused appraisal is about: a figure that cannot be read, else (the rules
/// refused it) the missing reason, else the score or figures out of range.
fn refused_field(b: &AppraisalBody, read: bool) -> &'static str {
    let figures = b.numerator.is_some() || b.denominator.is_some();
    match (read, figures) {
        (true, _) if b.reason.trim().is_empty() => "reason",
        (_, true) => "numerator",
        (_, false) => "points",
    }
}

/// The unit's answer to an appraisal, as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    answer: String,
}

/// The unit's answer as stored.
#[derive(Serialize)]
pub struct AnswerJson {
    code: String,
    answer: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
}

/// The unit answers the appraisal of one item (explanation phase, its window open).
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
    Body(body): Body<AnswerBody>,
) -> Result<Json<AnswerJson>, ApiError> {
    let l = load(&state, round, unit).await?;
    l.leaf(&code)?;
    user.require(
        Action::EnterSelfAssessment,
        l.target(&user, unit, field_of(&code)),
    )?;
    if !l.perms(&user, unit, field_of(&code)).explain {
        let why = l.explain_refused().unwrap_or(StepRefused::WrongState);
        return Err(ApiError::conflict(why.message(ctx.lang)));
    }
    let text = chiso_core::text::clean(&body.answer);
    if text.is_empty() {
        return Err(ApiError::field("answer", ctx.t.answer_required));
    }
    let data = UnitData::load(&state, &l, unit, Some(&code)).await?;
    let (r, u) = (RoundId(round), chiso_core::ids::UnitId(unit));
    state
        .store
        .save_answer(
            r,
            u,
            &code,
            &text,
            data.standing(&code),
            &user.by(),
            Utc::now(),
        )
        .await?;
    let stored = state
        .store
        .answers(r, u)
        .await?
        .remove(&code)
        .ok_or_else(|| {
            crate::WebError::Internal(format!("answer {round}/{unit}/{code} not found"))
        })?;
    Ok(Json(AnswerJson {
        code,
        answer: stored.answer,
        updated_at: stored.updated_at,
        updated_by: stored.updated_by,
    }))
}

/// A step in a unit's progress, as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// `submit`, `withdraw`, `send_explanation`, `conclude_appraisal_1` or
    /// `conclude_appraisal_2`.
    step: String,
}

/// Where the unit stands after the step.
#[derive(Serialize)]
pub struct StepJson {
    round_id: i64,
    unit_id: i64,
    state: &'static str,
}

fn step_of(code: &str) -> Option<Step> {
    Some(match code {
        "submit" => Step::Submit,
        "withdraw" => Step::Withdraw,
        "send_explanation" => Step::SendExplanation,
        "conclude_appraisal_1" => Step::ConcludeAppraisal1,
        "conclude_appraisal_2" => Step::ConcludeAppraisal2,
        _ => return None,
    })
}

/// Takes a step: the leader submits (refused while a claimed point lacks both evidence and an
/// explanation), withdraws or sends the explanations; the council chair concludes an appraisal.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit)): Params<(i64, i64)>,
    Body(body): Body<StepBody>,
) -> Result<Json<StepJson>, ApiError> {
    let Some(step) = step_of(body.step.trim()) else {
        return Err(ApiError::field(
            "step",
            format!("{}: \"{}\"", ctx.t.api_step_unknown, body.step),
        ));
    };
    let to = apply_step(&state, &user, round, unit, step, &ctx)
        .await
        .map_err(|e| match e {
            // The page's refusals (wrong phase or state, window closed, unsupported points)
            // are conflicts with the unit's current state here.
            crate::WebError::BadRequest(m) => ApiError::conflict(m),
            e => ApiError::Web(e),
        })?;
    Ok(Json(StepJson {
        round_id: round,
        unit_id: unit,
        state: to.code(),
    }))
}
