//! `/api/v1/surveys/campaigns`: sociological survey campaigns and how far each unit and group
//! has answered, for those who manage surveys or enter paper forms (as the survey pages).

use super::Id;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::pages::surveys::may_see;
use axum::Json;
use axum::extract::State;
use chiso_store::surveys::Campaign;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
