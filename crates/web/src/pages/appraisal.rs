//! Appraisal on the grid: appraisers keep or change each item's score (with a reason), may
//! correct the declared figures and ask the unit to explain or add evidence; the unit answers
//! in the explanation phase; administrators correct final scores. The council view shows every
//! unit × field, self against appraised points, with open questions.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::grid::{Item, UnitData, field_of, item, item_response, load, parse_decimal};
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::round::appraisal::{self, AppraisalInput, Ask, Stage};
use chiso_core::round::workflow::StepRefused;
use chiso_store::appraisals::AppraisalOutcome;
use chiso_store::rounds::RoundId;
use chrono::Utc;
use rust_decimal::Decimal;

fn respond(state: &AppState, ctx: Ctx, round: i64, unit: i64, i: Item) -> Response {
    item_response(state, ctx, round, unit, i)
}

/// Reads the appraisal form; a value that cannot be read is a message.
fn input_from(
    pairs: &[(String, String)],
    data: &UnitData,
    code: &str,
    stage: Stage,
    lang: Lang,
) -> Result<(AppraisalInput, i64), String> {
    let bad = |what: &str, v: &str| match lang {
        Lang::Vi => format!("{what} \"{v}\" không phải là số."),
        Lang::En => format!("{what} \"{v}\" is not a number."),
    };
    let number = |key: &str, what: &str| -> Result<Option<Decimal>, String> {
        match get(pairs, key) {
            "" => Ok(None),
            v => parse_decimal(v).map(Some).ok_or_else(|| bad(what, v)),
        }
    };
    let points = match get(pairs, "points") {
        "" => None,
        v => Some(Points::parse(v).ok_or_else(|| bad("Điểm", v))?),
    };
    let declared = data.base_figures(code, stage);
    let numerator = number("numerator", "Tử số")?;
    let denominator = number("denominator", "Mẫu số")?;
    // Figures count as corrected only when they differ from those the appraisal starts from.
    let corrected = ((numerator.is_some() || denominator.is_some())
        && (numerator != declared.numerator || denominator != declared.denominator))
        .then_some(chiso_core::round::entry::SelfEntry {
            numerator,
            denominator,
            ..declared
        });
    Ok((
        AppraisalInput {
            points: if corrected.is_some() { None } else { points },
            corrected,
            reason: chiso_core::text::clean(get(pairs, "reason")),
            ask: Ask::from_code(get(pairs, "ask")),
        },
        get(pairs, "version").parse().unwrap_or(0),
    ))
}

/// An appraiser keeps or changes one item's score.
pub async fn appraise(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?;
    user.require(Action::Appraise, l.target(&user, unit, field_of(&code)))?;
    let perms = l.perms(&user, unit, field_of(&code));
    let Some(stage) = perms.appraise else {
        return Err(WebError::BadRequest(
            StepRefused::WrongState.message(ctx.lang),
        ));
    };
    let mut data = UnitData::load(&state, &l, unit, Some(&code)).await?;
    let fail = |data: &UnitData, ctx: &Ctx, message: String, typed: Option<&AppraisalInput>| {
        let mut i = item(node, data, perms, ctx);
        if let Some(f) = i.appraise.as_mut() {
            f.message = Some((false, message));
            // Keep what was typed so nothing is lost.
            if let Some(t) = typed {
                f.reason = t.reason.clone();
                f.ask = t.ask.map(Ask::code).unwrap_or("");
                if let Some(p) = t.points {
                    f.points = p.display(ctx.lang);
                }
            }
        }
        i
    };
    let message =
        match appraise_item(&state, &user, round, unit, node, stage, &data, &pairs, &ctx).await? {
            Appraised::Refused(m, typed) => {
                let i = fail(&data, &ctx, m, typed.as_ref());
                return Ok(respond(&state, ctx, round, unit, i));
            }
            Appraised::Saved => (true, ctx.t.flash_saved.to_string()),
            Appraised::Conflict(current) => (
                false,
                format!(
                    "{} {} ({})",
                    ctx.t.grid_conflict,
                    current.updated_by,
                    ctx.time(&current.updated_at)
                ),
            ),
        };
    data.appraisals = state.store.appraisals(RoundId(round), UnitId(unit)).await?;
    let mut i = item(node, &data, perms, &ctx);
    if let Some(f) = i.appraise.as_mut() {
        f.message = Some(message);
    }
    Ok(respond(&state, ctx, round, unit, i))
}

/// What an appraisal save came to.
pub(crate) enum Appraised {
    Saved,
    /// Another appraiser saved since the version sent; nothing was written.
    Conflict(Box<chiso_store::appraisals::StoredAppraisal>),
    /// The form cannot be used: the message, and what was typed when it could be read.
    Refused(String, Option<AppraisalInput>),
}

/// Reads an appraisal form (the page's fields: points, numerator, denominator, reason, ask,
/// version) and saves it at `stage` after the domain's checks, for the page and the API.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn appraise_item(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    node: &chiso_core::framework::model::Node,
    stage: Stage,
    data: &UnitData,
    pairs: &[(String, String)],
    ctx: &Ctx,
) -> Result<Appraised, WebError> {
    let code = &node.code;
    let (input, version) = match input_from(pairs, data, code, stage, ctx.lang) {
        Ok(x) => x,
        Err(m) => return Ok(Appraised::Refused(m, None)),
    };
    let baseline = data.baseline(code, stage);
    let points = match appraisal::appraise(node, baseline, &input) {
        Ok(p) => p,
        Err(p) => return Ok(Appraised::Refused(p.message(ctx.lang), Some(input))),
    };
    let outcome = state
        .store
        .save_appraisal(
            RoundId(round),
            UnitId(unit),
            code,
            stage,
            &input,
            points,
            baseline,
            version,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(match outcome {
        AppraisalOutcome::Saved { .. } => Appraised::Saved,
        AppraisalOutcome::Conflict(current) => Appraised::Conflict(current),
    })
}

/// The unit answers the appraisal of one item in the explanation phase.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?;
    user.require(
        Action::EnterSelfAssessment,
        l.target(&user, unit, field_of(&code)),
    )?;
    let perms = l.perms(&user, unit, field_of(&code));
    if !perms.explain {
        let why = l.explain_refused().unwrap_or(StepRefused::WrongState);
        return Err(WebError::BadRequest(why.message(ctx.lang)));
    }
    let mut data = UnitData::load(&state, &l, unit, Some(&code)).await?;
    let text = chiso_core::text::clean(get(&pairs, "answer"));
    if text.is_empty() {
        let mut i = item(node, &data, perms, &ctx);
        i.answer_message = Some((false, ctx.t.answer_required.to_string()));
        return Ok(respond(&state, ctx, round, unit, i));
    }
    state
        .store
        .save_answer(
            RoundId(round),
            UnitId(unit),
            &code,
            &text,
            data.standing(&code),
            &user.by(),
            Utc::now(),
        )
        .await?;
    data.answers = state.store.answers(RoundId(round), UnitId(unit)).await?;
    let mut i = item(node, &data, perms, &ctx);
    i.answer_message = Some((true, ctx.t.flash_saved.to_string()));
    Ok(respond(&state, ctx, round, unit, i))
}

/// An administrator corrects a final score, with the reason (e.g. the council's decision).
pub async fn correct(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?;
    if !l.perms(&user, unit, field_of(&code)).correct {
        return Err(WebError::BadRequest(
            StepRefused::WrongState.message(ctx.lang),
        ));
    }
    let reason = chiso_core::text::clean(get(&pairs, "reason"));
    if reason.is_empty() {
        return Err(WebError::BadRequest(ctx.t.reason_required.to_string()));
    }
    let points = match get(&pairs, "points") {
        "" => None,
        v => {
            let p = Points::parse(v).ok_or_else(|| {
                WebError::BadRequest(format!("{}: \"{v}\"", ctx.t.correction_points))
            })?;
            let (min, max) = appraisal::range(node);
            if p < min || p > max {
                return Err(WebError::BadRequest(
                    appraisal::AppraisalProblem::OutOfRange { min, max }.message(ctx.lang),
                ));
            }
            Some(p)
        }
    };
    state
        .store
        .correct_final(
            RoundId(round),
            UnitId(unit),
            &code,
            points,
            &reason,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{round}/units/{unit}#item-{code}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// One unit's line in the council view.
pub struct CouncilRow {
    pub unit_id: i64,
    pub name: String,
    pub state: &'static str,
    /// Per field: (self, appraised or final, whether they differ).
    pub cells: Vec<(String, String, bool)>,
    pub self_total: String,
    pub total: String,
    pub open_questions: usize,
    pub changed: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "council.html")]
pub struct CouncilPage {
    ctx: Ctx,
    round_id: i64,
    round_name: String,
    phase: &'static str,
    fields: Vec<(String, String)>,
    rows: Vec<CouncilRow>,
}

/// Every unit × field of a round: self points against appraised (or final) points, how many
/// items changed and how many questions are still open.
pub async fn council(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<CouncilPage, WebError> {
    user.require(Action::ViewResults, Target::Province)?;
    let round = state.store.round(RoundId(id)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    // Grouped once by unit: the rows below then touch each item once.
    let mut by_unit: std::collections::HashMap<UnitId, Vec<chiso_store::appraisals::ItemScores>> =
        std::collections::HashMap::new();
    for s in state.store.round_scores(round.id).await? {
        by_unit.entry(s.unit).or_default().push(s);
    }
    let units = state.store.round_units(round.id).await?;
    let names: std::collections::HashMap<UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let fields: Vec<(String, String)> = framework
        .fields
        .iter()
        .map(|f| (f.code.clone(), f.name.clone()))
        .collect();
    let lang = ctx.lang;
    let mut rows = Vec::new();
    for ru in &units {
        let mine: &[chiso_store::appraisals::ItemScores] =
            by_unit.get(&ru.unit).map(Vec::as_slice).unwrap_or_default();
        let standing = |s: &chiso_store::appraisals::ItemScores| {
            s.final_points
                .unwrap_or_else(|| appraisal::standing(s.self_points, s.round1, s.round2))
        };
        let mut cells = Vec::new();
        let (mut self_total, mut total) = (Points::ZERO, Points::ZERO);
        for (code, _) in &fields {
            let in_field: Vec<_> = mine
                .iter()
                .filter(|s| field_of(&s.node) == code.as_str())
                .collect();
            let own: Points = in_field.iter().filter_map(|s| s.self_points).sum();
            let appraised: Points = in_field.iter().filter_map(|s| standing(s)).sum();
            self_total = self_total + own;
            total = total + appraised;
            cells.push((own.display(lang), appraised.display(lang), own != appraised));
        }
        rows.push(CouncilRow {
            unit_id: ru.unit.0,
            name: names.get(&ru.unit).cloned().unwrap_or_default(),
            state: ru.state.label(lang),
            cells,
            self_total: self_total.display(lang),
            total: total.display(lang),
            open_questions: mine.iter().filter(|s| s.open_question).count(),
            changed: mine.iter().filter(|s| standing(s) != s.self_points).count(),
        });
    }
    rows.sort_by_cached_key(|r| chiso_core::text::collation_key(&r.name));
    Ok(CouncilPage {
        round_id: id,
        round_name: round.name,
        phase: round.phase.label(lang),
        fields,
        rows,
        ctx,
    })
}

/// One notice in the inbox.
pub struct NoticeRow {
    pub heading: String,
    pub subject: String,
    pub link: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    ctx: Ctx,
    notices: Vec<NoticeRow>,
}

/// The signed-in account's notices, newest first.
pub async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<InboxPage, WebError> {
    let notices = state
        .store
        .inbox(user.account().id, 200)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            heading: crate::notify::Kind::label_of(&n.kind, ctx.lang),
            subject: n.subject,
            link: n.link,
            when: ctx.time(&n.created_at),
            unread: !n.read,
        })
        .collect();
    Ok(InboxPage { ctx, notices })
}

/// Marks every notice read.
pub async fn inbox_read(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    state
        .store
        .mark_all_read(user.account().id, Utc::now())
        .await?;
    Ok(redirect_with(
        "/inbox",
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_typed_the_vietnamese_way_are_read() {
        assert_eq!(
            parse_decimal("1.234,5"),
            None,
            "thousands dots are not guessed"
        );
        assert_eq!(parse_decimal("412"), "412".parse().ok());
        assert_eq!(parse_decimal("0,75"), "0.75".parse().ok());
    }
}
