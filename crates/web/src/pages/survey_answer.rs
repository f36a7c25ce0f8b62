//! The public answer page, opened by the token in an invitation link or QR code: no login, a
//! light page for a phone on a weak connection (no script), answers saved as the respondent goes
//! and submitted once. In an anonymous campaign the submitted answers are unlinked from the
//! token (the store keeps only that the token was used).

use crate::AppState;
use crate::auth::user::Ctx;
use crate::error::WebError;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::lang::Lang;
use chiso_core::survey::{
    Question, QuestionKind, Questionnaire, ResponseProblem, ResponseProblemKind,
};
use chiso_store::StoreError;
use chiso_store::surveys::{Answers, Campaign, CampaignStatus, Respondent};
use chrono::Utc;
use std::collections::BTreeMap;

/// A choice as shown: value sent, label, whether it is the current answer.
pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A question as shown.
pub struct QuestionView {
    pub code: String,
    pub number: usize,
    pub text: String,
    /// `choice`, `likert`, `yes_no`, `number` or `text`.
    pub kind: &'static str,
    pub required: bool,
    pub choices: Vec<ChoiceView>,
    pub value: String,
    pub problem: String,
}

/// A section as shown.
pub struct SectionView {
    pub title: String,
    pub questions: Vec<QuestionView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_answer.html")]
pub struct AnswerPage {
    ctx: Ctx,
    token: String,
    title: String,
    group: String,
    sections: Vec<SectionView>,
    anonymous: bool,
    saved: bool,
    problems: usize,
    answered: usize,
    total: usize,
}

/// What the page says instead of a form: thanks, closed, not found.
#[derive(Template, WebTemplate)]
#[template(path = "survey_message.html")]
pub struct MessagePage {
    ctx: Ctx,
    heading: String,
    message: String,
}

fn message(ctx: Ctx, status: StatusCode, heading: &str, text: &str) -> Response {
    (
        status,
        MessagePage {
            heading: heading.to_string(),
            message: text.to_string(),
            ctx,
        },
    )
        .into_response()
}

/// The respondent, campaign and questionnaire behind a token, or the page to show instead.
async fn open(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
) -> Result<Result<(Respondent, Campaign, i64, Questionnaire), Response>, WebError> {
    let t = ctx.t;
    let respondent = match state.store.respondent_by_token(token).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => {
            return Ok(Err(message(
                ctx.clone(),
                StatusCode::NOT_FOUND,
                t.survey_link_unknown,
                t.survey_link_unknown_help,
            )));
        }
        Err(e) => return Err(e.into()),
    };
    if respondent.submitted_at.is_some() {
        return Ok(Err(message(
            ctx.clone(),
            StatusCode::OK,
            t.survey_thanks,
            t.survey_already_submitted,
        )));
    }
    let campaign = state.store.campaign(respondent.campaign).await?;
    let past_close = campaign
        .setup
        .closes_on
        .is_some_and(|d| chiso_core::format::vietnam_day(Utc::now()) > d);
    if campaign.status != CampaignStatus::Open || past_close {
        return Ok(Err(message(
            ctx.clone(),
            StatusCode::FORBIDDEN,
            t.survey_closed,
            t.survey_closed_help,
        )));
    }
    let qid = campaign
        .questionnaires
        .iter()
        .find(|(g, _)| *g == respondent.person.group)
        .map(|(_, q)| *q)
        .ok_or(WebError::NotFound)?;
    let stored = state.store.questionnaire(qid).await?;
    let q = chiso_core::survey::from_yaml(&stored.body)
        .map_err(|e| WebError::Internal(format!("questionnaire {qid}: {e:?}")))?;
    Ok(Ok((respondent, campaign, qid, q)))
}

fn choices(q: &Question, value: &str, lang: Lang) -> Vec<ChoiceView> {
    let view = |v: String, label: String| ChoiceView {
        checked: v == value,
        value: v,
        label,
    };
    match q.kind {
        QuestionKind::Choice => q
            .options
            .iter()
            .map(|o| view(o.code.clone(), o.label.clone()))
            .collect(),
        QuestionKind::Likert => {
            let scale = q.scale.unwrap_or(5);
            (1..=scale)
                .map(|k| {
                    let label = q
                        .labels
                        .get(k as usize - 1)
                        .map(|l| format!("{k} — {l}"))
                        .unwrap_or_else(|| k.to_string());
                    view(k.to_string(), label)
                })
                .collect()
        }
        QuestionKind::YesNo => {
            let (yes, no) = match lang {
                Lang::Vi => ("Có", "Không"),
                Lang::En => ("Yes", "No"),
            };
            vec![
                view("có".into(), yes.into()),
                view("không".into(), no.into()),
            ]
        }
        QuestionKind::Number | QuestionKind::Text => Vec::new(),
    }
}

pub(crate) fn problem_text(kind: ResponseProblemKind, lang: Lang) -> String {
    ResponseProblem {
        row: 0,
        column: None,
        kind,
    }
    .message(lang)
}

/// Questions as shown, numbered from `first`, with the values and problems by code.
fn views(
    questions: &[Question],
    first: usize,
    values: &Answers,
    problems: &BTreeMap<String, String>,
    lang: Lang,
) -> Vec<QuestionView> {
    questions
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let value = values.get(&x.code).cloned().unwrap_or_default();
            QuestionView {
                code: x.code.clone(),
                number: first + i,
                text: x.text.clone(),
                kind: x.kind.code(),
                required: x.required,
                choices: choices(x, &value, lang),
                problem: problems.get(&x.code).cloned().unwrap_or_default(),
                value,
            }
        })
        .collect()
}

/// Every question of a questionnaire as shown (the paper entry screen lists them flat).
pub(crate) fn question_views(
    q: &Questionnaire,
    values: &Answers,
    problems: &BTreeMap<String, String>,
    lang: Lang,
) -> Vec<QuestionView> {
    let all: Vec<Question> = q.questions().cloned().collect();
    views(&all, 1, values, problems, lang)
}

fn page(
    ctx: Ctx,
    token: &str,
    q: &Questionnaire,
    campaign: &Campaign,
    values: &Answers,
    problems: &BTreeMap<String, String>,
    saved: bool,
) -> AnswerPage {
    let mut first = 1;
    let sections = q
        .sections
        .iter()
        .map(|s| {
            let questions = views(&s.questions, first, values, problems, ctx.lang);
            first += s.questions.len();
            SectionView {
                title: s.title.clone(),
                questions,
            }
        })
        .collect();
    AnswerPage {
        token: token.to_string(),
        title: q.title.clone(),
        group: q.group_label().to_string(),
        sections,
        anonymous: campaign.setup.anonymous,
        saved,
        problems: problems.len(),
        answered: values.values().filter(|v| !v.trim().is_empty()).count(),
        total: q.questions().count(),
        ctx,
    }
}

/// `GET /s/{token}`: the form, with what was saved before.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (respondent, campaign, _, q) = match open(&state, &ctx, &token).await? {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let draft = state.store.draft(respondent.id).await?.unwrap_or_default();
    Ok(page(ctx, &token, &q, &campaign, &draft, &BTreeMap::new(), false).into_response())
}

/// `POST /s/{token}`: `action=save` keeps the answers so far; `action=submit` checks them all
/// and submits once, or shows the form again with each problem beside its question.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (respondent, campaign, qid, q) = match open(&state, &ctx, &token).await? {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    // Only this questionnaire's questions are read; anything else in the form is ignored.
    let values: Answers = pairs
        .iter()
        .filter_map(|(k, v)| {
            let code = k.strip_prefix("q_")?;
            q.question(code)?;
            let v = chiso_core::text::clean(v);
            (!v.is_empty()).then(|| (code.to_string(), v))
        })
        .collect();
    let submit = crate::pages::form_value(&pairs, "action") == "submit";
    if !submit {
        match state
            .store
            .save_draft(respondent.id, &values, Utc::now())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Ok(message(
                    ctx.clone(),
                    StatusCode::OK,
                    ctx.t.survey_thanks,
                    ctx.t.survey_already_submitted,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        return Ok(
            page(ctx, &token, &q, &campaign, &values, &BTreeMap::new(), true).into_response(),
        );
    }
    let answers = match chiso_core::survey::responses::read_answers(
        &q,
        values.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ) {
        Ok(a) => a,
        Err(problems) => {
            let problems: BTreeMap<String, String> = problems
                .into_iter()
                .map(|(code, kind)| (code, problem_text(kind, ctx.lang)))
                .collect();
            // Keep what was typed, so nothing is lost if the phone drops the page.
            state
                .store
                .save_draft(respondent.id, &values, Utc::now())
                .await?;
            let p = page(ctx, &token, &q, &campaign, &values, &problems, false);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    let normalised: Answers = chiso_core::survey::responses::answer_pairs(&q, &answers)
        .into_iter()
        .collect();
    match state
        .store
        .submit_response(
            &respondent,
            qid,
            &normalised,
            campaign.setup.anonymous,
            Utc::now(),
        )
        .await
    {
        Ok(()) => Ok(message(
            ctx.clone(),
            StatusCode::OK,
            ctx.t.survey_thanks,
            ctx.t.survey_submitted,
        )),
        Err(StoreError::Conflict(_)) => Ok(message(
            ctx.clone(),
            StatusCode::CONFLICT,
            ctx.t.survey_thanks,
            ctx.t.survey_already_submitted,
        )),
        Err(e) => Err(e.into()),
    }
}
