//! `/api/v1/surveys/campaigns`: sociological survey campaigns and how far each unit and group
//! has answered, for those who manage surveys or enter paper forms (as the survey pages); and
//! the import of one group's responses, as the campaign page imports a responses file.

use super::{ApiError, Body, Id, Problem};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::surveys::{Load, campaign_data, may_see};
use axum::Json;
use axum::extract::State;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::survey::responses::{ResponseProblemKind, answer_pairs, read_answers};
use chiso_store::surveys::{Campaign, CampaignStatus, NewResponse, ResponseSource};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A campaign as listed.
#[derive(Serialize)]
pub struct CampaignJson {
    id: i64,
    round_id: i64,
    title: String,
    /// `draft`, `open` or `closed`.
    status: &'static str,
    /// Answers are unlinked from their respondent once submitted.
    anonymous: bool,
    /// Paper forms count only when two staff entered them alike.
    double_entry: bool,
    closes_on: Option<NaiveDate>,
    /// Responses received, all units and groups.
    responses: u32,
}

/// A campaign in full.
#[derive(Serialize)]
pub struct CampaignDetail {
    #[serde(flatten)]
    campaign: CampaignJson,
    /// Weight of each respondent group (exact decimals), by group code.
    group_weights: BTreeMap<String, String>,
    questionnaires: Vec<QuestionnaireRef>,
    progress: Vec<ProgressJson>,
}

/// The questionnaire a respondent group answers.
#[derive(Serialize)]
pub struct QuestionnaireRef {
    group: String,
    questionnaire_id: i64,
}

/// Responses of one unit and group against its quota.
#[derive(Serialize)]
pub struct ProgressJson {
    unit_id: i64,
    group: String,
    quota: Option<u32>,
    responses: u32,
}

fn summary(c: &Campaign, responses: u32) -> CampaignJson {
    CampaignJson {
        id: c.id,
        round_id: c.setup.round.0,
        title: c.setup.title.clone(),
        status: c.status.code(),
        anonymous: c.setup.anonymous,
        double_entry: c.setup.double_entry,
        closes_on: c.setup.closes_on,
        responses,
    }
}

/// Every campaign, newest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<CampaignJson>>, WebError> {
    may_see(&user)?;
    let mut out = Vec::new();
    for c in state.store.campaigns().await? {
        let responses = state.store.response_counts(c.id).await?.values().sum();
        out.push(summary(&c, responses));
    }
    Ok(Json(out))
}

/// One campaign with its progress per unit and group.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Json<CampaignDetail>, WebError> {
    may_see(&user)?;
    let c = state.store.campaign(id).await?;
    let counts = state.store.response_counts(id).await?;
    // Every (unit, group) with a quota or responses.
    let keys: BTreeSet<_> = c
        .quotas
        .iter()
        .map(|(u, g, _)| (*u, g.clone()))
        .chain(counts.keys().cloned())
        .collect();
    let progress = keys
        .into_iter()
        .map(|(u, g)| ProgressJson {
            unit_id: u.0,
            quota: c
                .quotas
                .iter()
                .find(|(qu, qg, _)| *qu == u && *qg == g)
                .map(|(_, _, q)| *q),
            responses: counts.get(&(u, g.clone())).copied().unwrap_or(0),
            group: g,
        })
        .collect();
    Ok(Json(CampaignDetail {
        campaign: summary(&c, counts.values().sum()),
        group_weights: c
            .setup
            .group_weights
            .iter()
            .map(|(g, w)| (g.clone(), w.normalize().to_string()))
            .collect(),
        questionnaires: c
            .questionnaires
            .iter()
            .map(|(g, q)| QuestionnaireRef {
                group: g.clone(),
                questionnaire_id: *q,
            })
            .collect(),
        progress,
    }))
}

/// Responses of one respondent group, as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The respondent group (`nguoi_dan`): which of the campaign's questionnaires they answer.
    group: String,
    /// Store the good responses and leave out the bad ones (listed in the answer), rather
    /// than refusing all.
    #[serde(default)]
    skip_bad_rows: bool,
    responses: Vec<ResponseBody>,
}

/// One form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    /// The unit's code (`STP`).
    unit: String,
    /// The form's id in the sending system: a form already stored under it is not stored again.
    respondent: String,
    /// Answer text by question code, as a responses file holds it.
    answers: BTreeMap<String, String>,
}

/// What an import did.
#[derive(Serialize)]
pub struct ImportJson {
    /// Forms stored now.
    imported: usize,
    /// Forms left out because one with the same respondent id was stored before.
    already_imported: usize,
    /// Forms left out for their problems (with `skip_bad_rows`).
    refused: usize,
    /// The problems of the refused forms.
    problems: Vec<Problem>,
}

/// Imports one group's responses: every form is checked against the questionnaire; with a bad
/// one nothing is stored unless `skip_bad_rows`. Forms already stored (by respondent id) are
/// left out, so sending the same batch again counts nothing twice.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Id(id): Id,
    Body(body): Body<ImportBody>,
) -> Result<Json<ImportJson>, ApiError> {
    let lang = ctx.lang;
    let data = campaign_data(&state.store, id, Load::Setup).await?;
    // Where paper forms are entered twice, an import (which skips that check) is the PAR
    // officer's.
    if data.campaign.setup.double_entry || !user.can(Action::EnterSurveyResponses, Target::Province)
    {
        user.require(Action::ManageSurveys, Target::Province)?;
    }
    if data.campaign.status == CampaignStatus::Closed {
        return Err(ApiError::conflict(ctx.t.survey_campaign_closed));
    }
    let group = body.group.trim();
    let (_, qid, q) = data
        .questionnaires
        .iter()
        .find(|(g, _, _)| g == group)
        .ok_or_else(|| {
            ApiError::field(
                "group",
                format!("{} \"{group}\"", ctx.t.survey_group_unknown),
            )
        })?;
    if body.responses.is_empty() {
        return Err(ApiError::field(
            "responses",
            match lang {
                Lang::Vi => "Không có phiếu nào.",
                Lang::En => "No responses.",
            },
        ));
    }
    let round_units: Vec<chiso_core::ids::UnitId> = state
        .store
        .round_units(data.campaign.setup.round)
        .await?
        .iter()
        .map(|u| u.unit)
        .collect();
    let mut problems = Vec::new();
    let mut refused = BTreeSet::new();
    let mut good = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, r) in body.responses.iter().enumerate() {
        let mut bad = |field: String, question: Option<String>, message: String| {
            problems.push(Problem::at(field, i, question, message));
            refused.insert(i);
        };
        let code = r.unit.trim();
        let unit = data
            .by_code
            .iter()
            .find(|(c, u)| c.eq_ignore_ascii_case(code) && round_units.contains(u))
            .map(|(_, u)| *u);
        if unit.is_none() {
            let kind = if code.is_empty() {
                ResponseProblemKind::MissingUnit
            } else {
                ResponseProblemKind::UnknownUnit(code.to_string())
            };
            bad(
                format!("responses[{i}].unit"),
                None,
                crate::pages::survey_answer::problem_text(kind, lang),
            );
        }
        let reference = chiso_core::text::clean(&r.respondent);
        if reference.is_empty() {
            bad(
                format!("responses[{i}].respondent"),
                None,
                match lang {
                    Lang::Vi => "Thiếu mã phiếu của hệ thống gửi.".into(),
                    Lang::En => "The sending system's form id is missing.".into(),
                },
            );
        } else if let Some(first) = first_seen.get(&reference) {
            bad(
                format!("responses[{i}].respondent"),
                None,
                match lang {
                    Lang::Vi => format!("Mã phiếu \"{reference}\" đã có ở phiếu số {first}."),
                    Lang::En => {
                        format!("Form id \"{reference}\" already appears at index {first}.")
                    }
                },
            );
        } else {
            first_seen.insert(reference.clone(), i);
        }
        let values: Vec<(String, String)> = r
            .answers
            .iter()
            .map(|(k, v)| (k.trim().to_string(), chiso_core::text::clean(v)))
            .collect();
        let answers = match read_answers(q, values.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            Ok(a) => Some(a),
            Err(list) => {
                for (question, kind) in list {
                    bad(
                        format!("responses[{i}].answers.{question}"),
                        Some(question),
                        crate::pages::survey_answer::problem_text(kind, lang),
                    );
                }
                None
            }
        };
        if let (Some(unit), Some(answers), false) = (unit, answers, refused.contains(&i)) {
            good.push(NewResponse {
                questionnaire: *qid,
                unit,
                group: group.to_string(),
                reference,
                answers: answer_pairs(q, &answers).into_iter().collect(),
            });
        }
    }
    if !problems.is_empty() && !body.skip_bad_rows {
        let message = match lang {
            Lang::Vi => format!(
                "{} phiếu bị từ chối; không phiếu nào được nhập.",
                refused.len()
            ),
            Lang::En => format!("{} responses refused; nothing was imported.", refused.len()),
        };
        return Err(ApiError::invalid(message, problems));
    }
    // Forms already stored (the same batch again, or a longer one) are left out.
    let known = state.store.response_references(id, group).await?;
    let before = good.len();
    good.retain(|r| !known.contains(&r.reference));
    let already_imported = before - good.len();
    if !good.is_empty() {
        state
            .store
            .add_responses(id, &good, ResponseSource::Import, &user.by(), Utc::now())
            .await
            .map_err(|e| match e {
                chiso_store::StoreError::Conflict(what) => {
                    ApiError::conflict(format!("{} ({what})", ctx.t.survey_already_imported))
                }
                other => other.into(),
            })?;
    }
    Ok(Json(ImportJson {
        imported: good.len(),
        already_imported,
        refused: refused.len(),
        problems,
    }))
}
