//! Surveys for the PAR officers and survey staff: questionnaires (YAML or Excel, versioned), a
//! campaign per round with its questionnaires, group weights and quotas, respondents imported
//! with a token each, invitations (e-mail, printable QR sheet, text for SMS), responses imported
//! from files, progress against quotas, the aggregated satisfaction with its uncertainty, and the
//! survey points written into the round without typing any result by hand.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::survey::{Aggregation, GroupWeights, Questionnaire, Survey};
use chiso_store::rounds::RoundId;
use chiso_store::surveys::{
    Campaign, CampaignStatus, NewCampaign, NewRespondent, NewResponse, ResponseSource,
    StoredQuestionnaire,
};
use chrono::Utc;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

fn back(state: &AppState, path: &str) -> Response {
    redirect_with(path, Flash::Saved, state.config.secure_cookies())
}

fn bad(m: impl Into<String>) -> WebError {
    WebError::BadRequest(m.into())
}

fn percent(v: f64, lang: Lang) -> String {
    let d = Decimal::from_f64_retain(v).unwrap_or_default().round_dp(2);
    format!("{} %", chiso_core::format::points(d, lang))
}

/// CSV text from an upload: UTF-8 (a BOM is fine); anything else is refused naming the file.
fn csv_text(name: &str, bytes: Vec<u8>, lang: Lang) -> Result<String, WebError> {
    chiso_core::text::csv_text(&bytes)
        .map(str::to_string)
        .ok_or_else(|| {
            bad(match lang {
                Lang::Vi => {
                    format!("{name}: tệp không phải văn bản UTF-8 (hãy lưu CSV dạng UTF-8).")
                }
                Lang::En => format!("{name}: the file is not UTF-8 text (save the CSV as UTF-8)."),
            })
        })
}

/// A CSV reader with the file's own separator (`;` as Excel writes it in Vietnam, or `,`).
fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(chiso_core::text::csv_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The text of an uploaded table: a CSV as it is, or the first sheet of an .xlsx written out
/// as CSV (a sheet starting at A1 keeps its row numbers as line numbers).
fn table_text(name: &str, bytes: Vec<u8>, lang: Lang) -> Result<String, WebError> {
    if !name.to_lowercase().ends_with(".xlsx") {
        return csv_text(name, bytes, lang);
    }
    let sheet = chiso_reports::sheet_rows::first_sheet(&bytes)
        .map_err(|e| bad(format!("{name}: {}", e.message(lang))))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for (_, cells) in &sheet.rows {
        out.write_record(cells)
            .map_err(|e| WebError::Internal(e.to_string()))?;
    }
    String::from_utf8(
        out.into_inner()
            .map_err(|e| WebError::Internal(e.to_string()))?,
    )
    .map_err(|e| WebError::Internal(e.to_string()))
}

/// A stored questionnaire read back.
fn parsed(q: &StoredQuestionnaire) -> Result<Questionnaire, WebError> {
    chiso_core::survey::from_yaml(&q.body)
        .map_err(|e| WebError::Internal(format!("questionnaire {}: {}", q.id, e.message)))
}

/// Reads an uploaded questionnaire (YAML or Excel) and checks it; every problem named.
fn read_questionnaire(name: &str, bytes: Vec<u8>, lang: Lang) -> Result<Questionnaire, WebError> {
    let lower = name.to_lowercase();
    let q = if lower.ends_with(".xlsx") {
        chiso_reports::survey_xlsx::read(&bytes).map_err(|errors| {
            bad(format!(
                "{name}: {}",
                errors
                    .iter()
                    .map(|e| e.message(lang))
                    .collect::<Vec<_>>()
                    .join(" · ")
            ))
        })?
    } else {
        let text = csv_text(name, bytes, lang)?;
        chiso_core::survey::from_yaml(&text)
            .map_err(|e| bad(format!("{name}: {}", e.message(lang))))?
    };
    let problems = chiso_core::survey::validate(&q);
    if !problems.is_empty() {
        return Err(bad(format!(
            "{name}: {}",
            problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join(" · ")
        )));
    }
    Ok(q)
}

/// A questionnaire in the list.
pub struct QuestionnaireRow {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub title: String,
    pub group: String,
    pub questions: usize,
}

/// A campaign in the list.
pub struct CampaignRow {
    pub id: i64,
    pub title: String,
    pub round: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub responses: u32,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys.html")]
pub struct SurveysPage {
    ctx: Ctx,
    questionnaires: Vec<QuestionnaireRow>,
    campaigns: Vec<CampaignRow>,
    rounds: Vec<(i64, String)>,
    /// The newest version of each questionnaire, for a new campaign.
    latest: Vec<QuestionnaireRow>,
    can_manage: bool,
}

fn status_label(s: CampaignStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (CampaignStatus::Draft, Lang::Vi) => "Đang chuẩn bị",
        (CampaignStatus::Draft, Lang::En) => "Being set up",
        (CampaignStatus::Open, Lang::Vi) => "Đang thu phiếu",
        (CampaignStatus::Open, Lang::En) => "Collecting",
        (CampaignStatus::Closed, Lang::Vi) => "Đã kết thúc",
        (CampaignStatus::Closed, Lang::En) => "Closed",
    }
}

/// Whether the account may see surveys: it manages them or enters paper forms.
pub(crate) fn may_see(user: &CurrentUser) -> Result<(), WebError> {
    if user.can(Action::EnterSurveyResponses, Target::Province) {
        Ok(())
    } else {
        user.require(Action::ManageSurveys, Target::Province)
    }
}

/// `/surveys`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<SurveysPage, WebError> {
    may_see(&user)?;
    let stored = state.store.questionnaires().await?;
    let mut questionnaires = Vec::new();
    for q in &stored {
        let p = parsed(q)?;
        questionnaires.push(QuestionnaireRow {
            id: q.id,
            code: q.code.clone(),
            version: q.version,
            title: q.title.clone(),
            group: p.group_label().to_string(),
            questions: p.questions().count(),
        });
    }
    // Stored newest version first within a code.
    let mut latest: Vec<QuestionnaireRow> = Vec::new();
    for q in &questionnaires {
        if !latest.iter().any(|l| l.code == q.code) {
            latest.push(QuestionnaireRow {
                id: q.id,
                code: q.code.clone(),
                version: q.version,
                title: q.title.clone(),
                group: q.group.clone(),
                questions: q.questions,
            });
        }
    }
    let rounds: HashMap<i64, String> = state
        .store
        .list_rounds()
        .await?
        .into_iter()
        .map(|r| (r.id.0, r.name))
        .collect();
    let mut campaigns = Vec::new();
    for c in state.store.campaigns().await? {
        let responses = state.store.response_counts(c.id).await?.values().sum();
        campaigns.push(CampaignRow {
            id: c.id,
            title: c.setup.title.clone(),
            round: rounds.get(&c.setup.round.0).cloned().unwrap_or_default(),
            status: status_label(c.status, ctx.lang),
            status_code: c.status.code(),
            responses,
        });
    }
    let mut rounds: Vec<(i64, String)> = rounds.into_iter().collect();
    rounds.sort_by_key(|r| std::cmp::Reverse(r.0));
    Ok(SurveysPage {
        questionnaires,
        campaigns,
        rounds,
        latest,
        can_manage: user.can(Action::ManageSurveys, Target::Province),
        ctx,
    })
}

/// `POST /surveys/questionnaires`: a YAML or Excel questionnaire, stored as a version.
pub async fn upload_questionnaire(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let (_, file) = crate::pages::read_multipart(&mut multipart, "tep").await?;
    let (name, bytes) = file.ok_or_else(|| bad(ctx.t.file_required))?;
    let q = read_questionnaire(&name, bytes, ctx.lang)?;
    let body = chiso_core::survey::to_yaml(&q);
    let id = state
        .store
        .add_questionnaire(
            &q.code,
            i64::from(q.version),
            &q.title,
            &q.group,
            &q.fingerprint(),
            &body,
            &user.by(),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            chiso_store::StoreError::Conflict(_) => bad(format!(
                "{name}: {} {} v{}",
                ctx.t.survey_version_taken, q.code, q.version
            )),
            other => other.into(),
        })?;
    Ok(back(&state, &format!("/surveys/questionnaires/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_questionnaire.html")]
pub struct QuestionnairePage {
    ctx: Ctx,
    id: i64,
    q: Questionnaire,
    version: i64,
}

impl QuestionnairePage {
    fn kind_label(&self, q: &chiso_core::survey::Question) -> &'static str {
        q.kind.label(self.ctx.lang)
    }

    fn options_text(&self, q: &chiso_core::survey::Question) -> String {
        q.options
            .iter()
            .map(|o| format!("{} {} ({} %)", o.code, o.label, o.weight))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `/surveys/questionnaires/{id}`.
pub async fn questionnaire(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<QuestionnairePage, WebError> {
    may_see(&user)?;
    let stored = state.store.questionnaire(id).await?;
    Ok(QuestionnairePage {
        id,
        q: parsed(&stored)?,
        version: stored.version,
        ctx,
    })
}

/// `/surveys/questionnaires/{id}/file.{yaml|xlsx}`.
pub async fn questionnaire_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    may_see(&user)?;
    let stored = state.store.questionnaire(id).await?;
    let name = format!("{}-v{}", stored.code, stored.version);
    match format.as_str() {
        "file.yaml" => Ok(crate::pages::attachment(
            stored.body.into_bytes(),
            &format!("{name}.yaml"),
            "application/yaml; charset=utf-8".into(),
        )),
        "file.xlsx" => {
            let bytes = chiso_reports::survey_xlsx::write(&parsed(&stored)?)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            Ok(crate::pages::attachment(
                bytes,
                &format!("{name}.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            ))
        }
        _ => Err(WebError::NotFound),
    }
}

/// `POST /surveys/campaigns`: a campaign of a round with the chosen questionnaires (one per
/// group) and their weights.
pub async fn create_campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let title = chiso_core::text::clean(get(&pairs, "title"));
    if title.is_empty() {
        return Err(bad(ctx.t.survey_title_required));
    }
    let round: i64 = get(&pairs, "round")
        .parse()
        .map_err(|_| bad(ctx.t.survey_round_required))?;
    state.store.round(RoundId(round)).await?;
    let mut chosen: Vec<(String, i64)> = Vec::new();
    let mut weights = BTreeMap::new();
    for (k, v) in &pairs {
        let Some(qid) = k.strip_prefix("use_").and_then(|x| x.parse::<i64>().ok()) else {
            continue;
        };
        if v != "1" {
            continue;
        }
        let q = parsed(&state.store.questionnaire(qid).await?)?;
        if chosen.iter().any(|(g, _)| *g == q.group) {
            return Err(bad(format!(
                "{}: {}",
                ctx.t.survey_one_per_group,
                q.group_label()
            )));
        }
        let w = match get(&pairs, &format!("weight_{qid}")) {
            "" => Decimal::ONE,
            t => crate::pages::grid::parse_decimal(t)
                .filter(|d| *d >= Decimal::ZERO)
                .ok_or_else(|| {
                    bad(format!(
                        "{}: \"{t}\" {}",
                        q.group_label(),
                        ctx.t.not_a_number
                    ))
                })?,
        };
        weights.insert(q.group.clone(), w);
        chosen.push((q.group.clone(), qid));
    }
    if chosen.is_empty() {
        return Err(bad(ctx.t.survey_pick_questionnaire));
    }
    let closes_on = match get(&pairs, "closes_on") {
        "" => None,
        t => Some(
            chiso_core::format::parse_date(t)
                .ok_or_else(|| bad(format!("{}: {t}", ctx.t.date_invalid)))?,
        ),
    };
    let setup = NewCampaign {
        round: RoundId(round),
        title,
        anonymous: get(&pairs, "anonymous") == "1",
        double_entry: get(&pairs, "double_entry") == "1",
        group_weights: weights,
        closes_on,
    };
    let id = state
        .store
        .create_campaign(&setup, &chosen, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/surveys/campaigns/{id}")))
}

/// Everything a campaign page and its points need: units by id and code, the questionnaires,
/// the responses read with their questionnaire, and the aggregation.
pub(crate) struct CampaignData {
    pub campaign: Campaign,
    pub units: HashMap<UnitId, chiso_core::units::Unit>,
    pub by_code: HashMap<String, UnitId>,
    /// (group, questionnaire id, questionnaire).
    pub questionnaires: Vec<(String, i64, Questionnaire)>,
    pub aggregation: Aggregation,
    /// Stored responses that no longer read under their questionnaire (never expected).
    pub unreadable: usize,
}

/// How much of a campaign to load: pages that enter or print forms need only its set-up, not
/// every answer aggregated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Load {
    Setup,
    Answers,
}

pub(crate) async fn campaign_data(
    store: &chiso_store::Store,
    id: i64,
    load: Load,
) -> Result<CampaignData, WebError> {
    let campaign = store.campaign(id).await?;
    let units: HashMap<UnitId, chiso_core::units::Unit> = store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let by_code = units.values().map(|u| (u.code.clone(), u.id)).collect();
    let mut questionnaires = Vec::new();
    for (group, qid) in &campaign.questionnaires {
        questionnaires.push((
            group.clone(),
            *qid,
            parsed(&store.questionnaire(*qid).await?)?,
        ));
    }
    let mut per_group: Vec<Vec<chiso_core::survey::Response>> =
        vec![Vec::new(); questionnaires.len()];
    let mut unreadable = 0;
    let stored = match load {
        Load::Setup => Vec::new(),
        Load::Answers => store.responses(id).await?,
    };
    for r in stored {
        let Some(i) = questionnaires
            .iter()
            .position(|(_, qid, _)| *qid == r.questionnaire)
        else {
            unreadable += 1;
            continue;
        };
        let q = &questionnaires[i].2;
        match chiso_core::survey::responses::read_answers(
            q,
            r.answers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ) {
            Ok(answers) => per_group[i].push(chiso_core::survey::Response {
                row: u64::try_from(r.id).unwrap_or(0),
                unit: units
                    .get(&r.unit)
                    .map(|u| u.code.clone())
                    .unwrap_or_default(),
                respondent: r.reference.clone().unwrap_or_default(),
                answers,
            }),
            Err(_) => unreadable += 1,
        }
    }
    let surveys: Vec<Survey<'_>> = questionnaires
        .iter()
        .zip(&per_group)
        .map(|((_, _, q), responses)| Survey {
            questionnaire: q,
            responses,
        })
        .collect();
    let weights = GroupWeights::new(
        campaign
            .setup
            .group_weights
            .iter()
            .map(|(g, w)| (g.clone(), w.to_string().parse::<f64>().unwrap_or(0.0))),
    )
    .unwrap_or_default();
    let aggregation = chiso_core::survey::aggregate(&surveys, &weights);
    Ok(CampaignData {
        campaign,
        units,
        by_code,
        questionnaires,
        aggregation,
        unreadable,
    })
}

/// A row of progress: a unit and group against its quota.
pub struct ProgressRow {
    pub unit: String,
    pub group: String,
    pub answered: u32,
    pub quota: String,
    pub short: bool,
    pub respondents: usize,
    pub invited: usize,
    pub submitted: usize,
}

/// A measure of a unit as shown.
pub struct MeasureRow {
    pub unit: String,
    pub measure: String,
    pub satisfaction: String,
    pub n: u32,
    pub interval: String,
    pub missing: String,
}

/// A unit's SIPAS as shown.
pub struct SipasRow {
    pub unit: String,
    pub elements: Vec<(String, String)>,
    pub overall: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_campaign.html")]
pub struct CampaignPage {
    ctx: Ctx,
    id: i64,
    title: String,
    round: String,
    round_id: i64,
    status: &'static str,
    status_code: &'static str,
    anonymous: bool,
    double_entry: bool,
    groups: Vec<(String, String, String)>,
    /// (group code, group name) for the selects.
    group_codes: Vec<(String, String)>,
    progress: Vec<ProgressRow>,
    measures: Vec<MeasureRow>,
    sipas: Vec<SipasRow>,
    pending_paper: usize,
    can_manage: bool,
    can_enter: bool,
    /// Satisfaction per unit is a result: shown to those who may read results.
    can_view_results: bool,
    total: u32,
    unreadable: usize,
}

/// `/surveys/campaigns/{id}`.
pub async fn campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<CampaignPage, WebError> {
    may_see(&user)?;
    let lang = ctx.lang;
    let data = campaign_data(&state.store, id, Load::Answers).await?;
    let c = &data.campaign;
    let round = state.store.round(c.setup.round).await?;
    let name = |u: &UnitId| {
        data.units
            .get(u)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let name_of_code = |code: &str| {
        data.by_code
            .get(code)
            .map(&name)
            .unwrap_or_else(|| code.to_string())
    };
    let group_label = |g: &str| {
        data.questionnaires
            .iter()
            .find(|(x, _, _)| x == g)
            .map(|(_, _, q)| q.group_label().to_string())
            .unwrap_or_else(|| g.to_string())
    };
    let respondents = state.store.respondents(id).await?;
    let counts = state.store.response_counts(id).await?;
    // Respondents listed, invited and answered per (unit, group), counted once.
    let mut people: HashMap<(UnitId, String), (usize, usize, usize)> = HashMap::new();
    for r in &respondents {
        let c = people
            .entry((r.person.unit, r.person.group.clone()))
            .or_default();
        c.0 += 1;
        c.1 += usize::from(r.invited_at.is_some());
        c.2 += usize::from(r.submitted_at.is_some());
    }
    // Every (unit, group) with a quota, respondents or responses.
    let mut keys: Vec<(UnitId, String)> = c
        .quotas
        .iter()
        .map(|(u, g, _)| (*u, g.clone()))
        .chain(
            respondents
                .iter()
                .map(|r| (r.person.unit, r.person.group.clone())),
        )
        .chain(counts.keys().cloned())
        .collect();
    keys.sort_by_cached_key(|(u, g)| (chiso_core::text::collation_key(&name(u)), g.clone()));
    keys.dedup();
    let progress = keys
        .iter()
        .map(|(u, g)| {
            let quota = c
                .quotas
                .iter()
                .find(|(qu, qg, _)| qu == u && qg == g)
                .map(|(_, _, q)| *q);
            let answered = counts.get(&(*u, g.clone())).copied().unwrap_or(0);
            let (listed, invited, submitted) =
                people.get(&(*u, g.clone())).copied().unwrap_or_default();
            ProgressRow {
                unit: name(u),
                group: group_label(g),
                answered,
                quota: quota.map(|q| q.to_string()).unwrap_or_default(),
                short: quota.is_some_and(|q| answered < q),
                respondents: listed,
                invited,
                submitted,
            }
        })
        .collect();
    let measures = data
        .aggregation
        .measures
        .iter()
        .map(|m| MeasureRow {
            unit: name_of_code(&m.unit),
            measure: m.measure.clone(),
            satisfaction: percent(m.satisfaction, lang),
            n: m.n,
            interval: m
                .ci95
                .map(|i| format!("{} – {}", percent(i.low, lang), percent(i.high, lang)))
                .unwrap_or_default(),
            missing: m
                .missing_groups
                .iter()
                .map(|g| group_label(g))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let sipas = chiso_core::survey::sipas(&data.aggregation.measures, lang)
        .into_iter()
        .map(|s| SipasRow {
            unit: name_of_code(&s.unit),
            elements: s
                .elements
                .iter()
                .map(|e| (e.name.to_string(), percent(e.satisfaction, lang)))
                .collect(),
            overall: percent(s.overall, lang),
        })
        .collect();
    Ok(CampaignPage {
        id,
        title: c.setup.title.clone(),
        round: round.name.clone(),
        round_id: round.id.0,
        status: status_label(c.status, lang),
        status_code: c.status.code(),
        anonymous: c.setup.anonymous,
        double_entry: c.setup.double_entry,
        groups: data
            .questionnaires
            .iter()
            .map(|(g, qid, q)| {
                (
                    format!("/surveys/questionnaires/{qid}"),
                    format!("{} — {}", q.group_label(), q.title),
                    c.setup
                        .group_weights
                        .get(g)
                        .map(|w| chiso_core::format::points(*w, lang))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        group_codes: data
            .questionnaires
            .iter()
            .map(|(g, _, q)| (g.clone(), q.group_label().to_string()))
            .collect(),
        progress,
        measures,
        sipas,
        pending_paper: state.store.pending_paper_entries(id).await?,
        can_manage: user.can(Action::ManageSurveys, Target::Province),
        can_enter: user.can(Action::EnterSurveyResponses, Target::Province),
        can_view_results: user.can(Action::ViewResults, Target::Province),
        total: counts.values().sum(),
        unreadable: data.unreadable,
        ctx,
    })
}

/// `POST /surveys/campaigns/{id}/status`: open, close or reopen.
pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let next = CampaignStatus::from_code(get(&pairs, "status"))
        .ok_or_else(|| bad(ctx.t.survey_bad_status))?;
    let current = state.store.campaign(id).await?.status;
    if !current.may_become(next) {
        return Err(bad(ctx.t.survey_bad_status));
    }
    state
        .store
        .set_campaign_status(id, next, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/surveys/campaigns/{id}")))
}

/// `POST /surveys/campaigns/{id}/quotas`: a CSV `unit,group,quota`, or one quota for every
/// unit of the round and a group.
pub async fn set_quotas(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let c = state.store.campaign(id).await?;
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "tep").await?;
    let groups: Vec<&str> = c.questionnaires.iter().map(|(g, _)| g.as_str()).collect();
    let by_code: HashMap<String, UnitId> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (chiso_core::text::fold(&u.code), u.id))
        .collect();
    let mut quotas: Vec<(UnitId, String, u32)> = Vec::new();
    match file {
        Some((name, bytes)) => {
            let text = csv_text(&name, bytes, ctx.lang)?;
            let mut reader = csv_reader(&text);
            let mut lines = chiso_core::text::CsvLines::new(&text);
            let mut problems = Vec::new();
            for row in reader.records() {
                let row = row.map_err(|e| bad(format!("{name}: {e}")))?;
                let line = lines.at(row.position());
                let cell = |k: usize| row.get(k).map(str::trim).unwrap_or("");
                let unit = by_code.get(&chiso_core::text::fold(cell(0)));
                let group = cell(1);
                let quota = cell(2).parse::<u32>();
                match (unit, groups.contains(&group), quota) {
                    (Some(u), true, Ok(q)) => quotas.push((*u, group.to_string(), q)),
                    (None, _, _) => problems.push(format!(
                        "{name}, {} {line}: {} \"{}\"",
                        ctx.t.row,
                        ctx.t.unit_unknown,
                        cell(0)
                    )),
                    (_, false, _) => problems.push(format!(
                        "{name}, {} {line}: {} \"{group}\"",
                        ctx.t.row, ctx.t.survey_group_unknown
                    )),
                    (_, _, Err(_)) => problems.push(format!(
                        "{name}, {} {line}: \"{}\" {}",
                        ctx.t.row,
                        cell(2),
                        ctx.t.not_a_number
                    )),
                }
            }
            if !problems.is_empty() {
                return Err(bad(problems.join(" · ")));
            }
        }
        None => {
            let group = get(&pairs, "group");
            if !groups.contains(&group) {
                return Err(bad(format!("{} \"{group}\"", ctx.t.survey_group_unknown)));
            }
            let quota: u32 = get(&pairs, "quota").parse().map_err(|_| {
                bad(format!(
                    "\"{}\" {}",
                    get(&pairs, "quota"),
                    ctx.t.not_a_number
                ))
            })?;
            // Kept: other groups' quotas; replaced: this group's.
            quotas = c
                .quotas
                .iter()
                .filter(|(_, g, _)| g != group)
                .cloned()
                .collect();
            for u in state.store.round_units(c.setup.round).await? {
                quotas.push((u.unit, group.to_string(), quota));
            }
        }
    }
    // A unit and group listed twice: the later line counts.
    let mut seen = std::collections::HashSet::new();
    quotas.reverse();
    quotas.retain(|(u, g, _)| seen.insert((*u, g.clone())));
    quotas.reverse();
    state
        .store
        .set_quotas(id, &quotas, &user.by(), Utc::now())
        .await?;
    Ok(back(&state, &format!("/surveys/campaigns/{id}#progress")))
}

/// A new respondent's token: 128 random bits, URL-safe.
fn new_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `POST /surveys/campaigns/{id}/respondents`: a CSV `unit,group,name,position,phone,email`;
/// each respondent gets a token. Every row is checked first; nothing is stored if one is wrong.
pub async fn add_respondents(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let c = state.store.campaign(id).await?;
    let (_, file) = crate::pages::read_multipart(&mut multipart, "tep").await?;
    let (name, bytes) = file.ok_or_else(|| bad(ctx.t.file_required))?;
    let text = csv_text(&name, bytes, ctx.lang)?;
    let groups: Vec<&str> = c.questionnaires.iter().map(|(g, _)| g.as_str()).collect();
    let by_code: HashMap<String, UnitId> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (chiso_core::text::fold(&u.code), u.id))
        .collect();
    let mut reader = csv_reader(&text);
    let mut lines = chiso_core::text::CsvLines::new(&text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(format!("{name}: {e}")))?
        .iter()
        .map(|h| chiso_core::text::fold(h.trim()))
        .collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(unit_col), Some(group_col)) = (
        col(&["unit", "don vi", "ma don vi"]),
        col(&["group", "nhom", "doi tuong"]),
    ) else {
        return Err(bad(format!("{name}: {}", ctx.t.survey_respondents_header)));
    };
    let name_col = col(&["name", "ho ten", "ho va ten"]);
    let position_col = col(&["position", "chuc vu"]);
    let phone_col = col(&["phone", "dien thoai", "so dien thoai"]);
    let email_col = col(&["email", "e-mail", "thu dien tu"]);
    let mut people = Vec::new();
    let mut problems = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(format!("{name}: {e}")))?;
        let line = lines.at(row.position());
        let cell = |k: Option<usize>| {
            k.and_then(|k| row.get(k))
                .map(chiso_core::text::clean)
                .unwrap_or_default()
        };
        let unit_code = cell(Some(unit_col));
        let group = cell(Some(group_col));
        let unit = by_code.get(&chiso_core::text::fold(&unit_code));
        if unit.is_none() {
            problems.push(format!(
                "{name}, {} {line}: {} \"{unit_code}\"",
                ctx.t.row, ctx.t.unit_unknown
            ));
        }
        if !groups.contains(&group.as_str()) {
            problems.push(format!(
                "{name}, {} {line}: {} \"{group}\"",
                ctx.t.row, ctx.t.survey_group_unknown
            ));
        }
        let email = cell(email_col);
        if !email.is_empty() && !email.contains('@') {
            problems.push(format!(
                "{name}, {} {line}: {} \"{email}\"",
                ctx.t.row, ctx.t.survey_bad_email
            ));
        }
        if let Some(u) = unit {
            people.push(NewRespondent {
                unit: *u,
                group,
                token: new_token()?,
                name: cell(name_col),
                position: cell(position_col),
                phone: cell(phone_col),
                email,
            });
        }
    }
    if !problems.is_empty() {
        return Err(bad(problems.join(" · ")));
    }
    if people.is_empty() {
        return Err(bad(format!("{name}: {}", ctx.t.survey_no_rows)));
    }
    // The same list uploaded again (or with people added) adds only those not there yet, so
    // nobody gets two links.
    let key = |p: &NewRespondent| {
        let who = [&p.email, &p.phone, &p.name]
            .into_iter()
            .find(|v| !v.is_empty())
            .map(|v| chiso_core::text::fold(v));
        who.map(|w| (p.unit, p.group.clone(), w))
    };
    let known: std::collections::HashSet<_> = state
        .store
        .respondents(id)
        .await?
        .iter()
        .filter_map(|r| key(&r.person))
        .collect();
    people.retain(|p| key(p).is_none_or(|k| !known.contains(&k)));
    if people.is_empty() {
        return Err(bad(format!("{name}: {}", ctx.t.survey_respondents_known)));
    }
    state
        .store
        .add_respondents(id, &people, &user.by(), Utc::now())
        .await?;
    Ok(back(
        &state,
        &format!("/surveys/campaigns/{id}#respondents"),
    ))
}

/// The address of a respondent's answer page: under the configured public address, or else
/// the address this page was asked on (a link a phone can open either way).
fn link(state: &AppState, headers: &axum::http::HeaderMap, token: &str) -> String {
    let base = match state.config.base_url.as_deref() {
        Some(b) => b.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = headers
                .get("x-forwarded-proto")
                .and_then(|h| h.to_str().ok())
                .filter(|_| state.config.trust_proxy)
                .unwrap_or("http");
            format!("{scheme}://{host}")
        }
    };
    format!("{base}/s/{token}")
}

/// `GET /surveys/campaigns/{id}/sms.csv`: phone and message per respondent not yet answered,
/// for an SMS gateway.
pub async fn sms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let c = state.store.campaign(id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let w = |e: csv::Error| WebError::Internal(e.to_string());
    out.write_record(["phone", "name", "message"]).map_err(w)?;
    for r in state.store.respondents(id).await? {
        if r.submitted_at.is_some() || r.person.phone.is_empty() {
            continue;
        }
        let message = format!(
            "Kinh moi Ong/Ba tham gia khao sat \"{}\": {}",
            chiso_core::text::fold(&c.setup.title),
            link(&state, &headers, &r.person.token)
        );
        // A cell starting with = + - @ would be a formula when the file is opened in a
        // spreadsheet.
        let cell = |v: &str| {
            if v.starts_with(['=', '+', '-', '@']) {
                format!("'{v}")
            } else {
                v.to_string()
            }
        };
        out.write_record([cell(&r.person.phone), cell(&r.person.name), message])
            .map_err(w)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!("sms-khao-sat-{id}.csv"),
        "text/csv; charset=utf-8".into(),
    ))
}

/// A respondent's slip on the QR sheet.
pub struct Slip {
    pub unit: String,
    pub group: String,
    pub name: String,
    pub link: String,
    pub qr: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_qr.html")]
pub struct QrPage {
    ctx: Ctx,
    id: i64,
    title: String,
    slips: Vec<Slip>,
}

/// `GET /surveys/campaigns/{id}/qr`: a printable sheet, one slip per respondent not yet
/// answered, each with its link as a QR code.
pub async fn qr_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<QrPage, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let data = campaign_data(&state.store, id, Load::Setup).await?;
    let mut slips = Vec::new();
    for r in state.store.respondents(id).await? {
        if r.submitted_at.is_some() {
            continue;
        }
        let url = link(&state, &headers, &r.person.token);
        let code =
            qrcode::QrCode::new(url.as_bytes()).map_err(|e| WebError::Internal(e.to_string()))?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(140, 140)
            .build();
        slips.push(Slip {
            unit: data
                .units
                .get(&r.person.unit)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            group: data
                .questionnaires
                .iter()
                .find(|(g, _, _)| *g == r.person.group)
                .map(|(_, _, q)| q.group_label().to_string())
                .unwrap_or_default(),
            name: r.person.name.clone(),
            link: url,
            qr: svg,
        });
    }
    Ok(QrPage {
        id,
        title: data.campaign.setup.title.clone(),
        slips,
        ctx,
    })
}

/// `POST /surveys/campaigns/{id}/invite`: e-mails every respondent with an address who has not
/// answered nor been invited yet; says how many went and how many could not.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let c = state.store.campaign(id).await?;
    if c.status != CampaignStatus::Open {
        return Err(bad(ctx.t.survey_invite_when_open));
    }
    let people: Vec<(i64, String, String, String)> = state
        .store
        .respondents(id)
        .await?
        .into_iter()
        .filter(|r| {
            r.submitted_at.is_none() && r.invited_at.is_none() && !r.person.email.is_empty()
        })
        .map(|r| {
            let url = link(&state, &headers, &r.person.token);
            (r.id, r.person.name, r.person.email, url)
        })
        .collect();
    let sent = crate::notify::send_invitations(&state, &c.setup.title, &people)
        .await
        .map_err(|e| bad(format!("{}: {e}", ctx.t.survey_mail_unavailable)))?;
    state.store.mark_invited(&sent, Utc::now()).await?;
    Ok(back(
        &state,
        &format!("/surveys/campaigns/{id}#respondents"),
    ))
}

/// `POST /surveys/campaigns/{id}/responses`: a responses file (CSV) for one questionnaire, as
/// LimeSurvey or KoboToolbox export it. Every row is checked; with a bad row nothing is stored
/// unless the user chose to skip bad rows.
pub async fn import_responses(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let data = campaign_data(&state.store, id, Load::Setup).await?;
    // Where paper forms are entered twice, a file (which skips that check) is the PAR
    // officer's to import.
    if data.campaign.setup.double_entry || !user.can(Action::EnterSurveyResponses, Target::Province)
    {
        user.require(Action::ManageSurveys, Target::Province)?;
    }
    if data.campaign.status == CampaignStatus::Closed {
        return Err(bad(ctx.t.survey_campaign_closed));
    }
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "tep").await?;
    let (name, bytes) = file.ok_or_else(|| bad(ctx.t.file_required))?;
    let group = get(&pairs, "group");
    let (_, qid, q) = data
        .questionnaires
        .iter()
        .find(|(g, _, _)| g == group)
        .ok_or_else(|| bad(format!("{} \"{group}\"", ctx.t.survey_group_unknown)))?;
    let text = table_text(&name, bytes, ctx.lang)?;
    let round_units: Vec<String> = state
        .store
        .round_units(data.campaign.setup.round)
        .await?
        .iter()
        .filter_map(|u| data.units.get(&u.unit).map(|x| x.code.clone()))
        .collect();
    let options = chiso_core::survey::ParseOptions {
        units: Some(round_units),
        ..Default::default()
    };
    let parsed =
        chiso_core::survey::parse_responses_with(q, &text, &options).map_err(|problems| {
            bad(format!(
                "{name}: {}",
                problems
                    .iter()
                    .map(|p| p.message(ctx.lang))
                    .collect::<Vec<_>>()
                    .join(" · ")
            ))
        })?;
    // Problems of the header (a renamed or missing column) concern every row: never skipped.
    let skip = get(&pairs, "skip_bad_rows") == "1" && parsed.problems.iter().all(|p| p.row > 1);
    if !parsed.problems.is_empty() && !skip {
        let mut lines: Vec<String> = parsed
            .problems
            .iter()
            .take(50)
            .map(|p| p.message(ctx.lang))
            .collect();
        if parsed.problems.len() > 50 {
            lines.push(format!("… (+{})", parsed.problems.len() - 50));
        }
        return Err(bad(format!(
            "{name}: {} {} · {}",
            parsed.refused_rows(),
            ctx.t.survey_rows_refused,
            lines.join(" · ")
        )));
    }
    // Forms already imported (the same export again, or a newer one with more rows) are
    // skipped, so nothing is counted twice.
    let known = state.store.response_references(id, group).await?;
    let mut responses = Vec::with_capacity(parsed.responses.len());
    for r in &parsed.responses {
        let unit = *data
            .by_code
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(&r.unit))
            .map(|(_, u)| u)
            .ok_or_else(|| bad(format!("{name}: {} \"{}\"", ctx.t.unit_unknown, r.unit)))?;
        // A file without form ids still names each form by its row, so that the same file
        // imported again is recognised.
        let reference = if r.respondent.is_empty() {
            format!("{name}#{}", r.row)
        } else {
            r.respondent.clone()
        };
        if known.contains(&reference) {
            continue;
        }
        responses.push(NewResponse {
            questionnaire: *qid,
            unit,
            group: group.to_string(),
            reference,
            answers: chiso_core::survey::responses::answer_pairs(q, &r.answers)
                .into_iter()
                .collect(),
        });
    }
    if responses.is_empty() {
        return Err(bad(format!("{name}: {}", ctx.t.survey_already_imported)));
    }
    state
        .store
        .add_responses(
            id,
            &responses,
            ResponseSource::Import,
            &user.by(),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            chiso_store::StoreError::Conflict(what) => bad(format!(
                "{name}: {} ({what})",
                ctx.t.survey_already_imported
            )),
            other => other.into(),
        })?;
    Ok(back(&state, &format!("/surveys/campaigns/{id}#progress")))
}

/// Turns a campaign's answers into the survey points of its round, through the framework's
/// survey rule: each change goes into the ledger with its sample size. Gives how many points
/// changed; `None` when no survey criterion of the framework is measured by the answers.
pub async fn write_campaign_points(
    store: &chiso_store::Store,
    id: i64,
    source: &str,
    by: &chiso_store::audit::By,
    now: chrono::DateTime<Utc>,
) -> Result<Option<usize>, WebError> {
    let data = campaign_data(store, id, Load::Answers).await?;
    let round = store.round(data.campaign.setup.round).await?;
    let (_, framework) = store.framework(round.framework).await?;
    let points = chiso_core::survey::survey_points(&framework, &data.aggregation);
    let in_round: Vec<UnitId> = store
        .round_units(round.id)
        .await?
        .iter()
        .map(|u| u.unit)
        .collect();
    let rows: Vec<chiso_store::results::SurveyPoint> = points
        .rows
        .iter()
        .filter_map(|r| {
            let unit = *data.by_code.get(&r.unit)?;
            in_round
                .contains(&unit)
                .then(|| chiso_store::results::SurveyPoint {
                    unit,
                    node: r.node.clone(),
                    points: r.points,
                    sample_size: Some(i64::from(r.n)),
                    source: source.to_string(),
                })
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        store.set_survey_points(round.id, &rows, by, now).await?,
    ))
}

/// `POST /surveys/campaigns/{id}/points`: the campaign's aggregation turned into the round's
/// survey points.
pub async fn write_points(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let c = state.store.campaign(id).await?;
    let source = match ctx.lang {
        Lang::Vi => format!("Khảo sát \"{}\"", c.setup.title),
        Lang::En => format!("Survey \"{}\"", c.setup.title),
    };
    if write_campaign_points(&state.store, id, &source, &user.by(), Utc::now())
        .await?
        .is_none()
    {
        return Err(bad(ctx.t.survey_no_points));
    }
    Ok(back(
        &state,
        &format!("/rounds/{}/results/survey", c.setup.round.0),
    ))
}

/// Paper forms: the entry screen for survey staff.
#[derive(Template, WebTemplate)]
#[template(path = "survey_paper.html")]
pub struct PaperPage {
    ctx: Ctx,
    id: i64,
    title: String,
    double_entry: bool,
    groups: Vec<(String, String)>,
    group: String,
    units: Vec<(i64, String)>,
    unit: i64,
    reference: String,
    questions: Vec<crate::pages::survey_answer::QuestionView>,
    /// What happened with the last form (entered, waiting for second entry, differences).
    outcome: String,
    differences: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn paper_page(
    state: &AppState,
    ctx: Ctx,
    data: &CampaignData,
    group: &str,
    unit: i64,
    reference: &str,
    values: &BTreeMap<String, String>,
    problems: &BTreeMap<String, String>,
    outcome: String,
    differences: Vec<String>,
) -> Result<PaperPage, WebError> {
    let (group, q) = data
        .questionnaires
        .iter()
        .find(|(g, _, _)| g == group)
        .or(data.questionnaires.first())
        .map(|(g, _, q)| (g.clone(), q))
        .ok_or(WebError::NotFound)?;
    let mut units: Vec<(i64, String)> = state
        .store
        .round_units(data.campaign.setup.round)
        .await?
        .iter()
        .filter_map(|u| data.units.get(&u.unit).map(|x| (u.unit.0, x.name.clone())))
        .collect();
    units.sort_by_cached_key(|(_, n)| chiso_core::text::collation_key(n));
    Ok(PaperPage {
        id: data.campaign.id,
        title: data.campaign.setup.title.clone(),
        double_entry: data.campaign.setup.double_entry,
        groups: data
            .questionnaires
            .iter()
            .map(|(g, _, q)| (g.clone(), q.group_label().to_string()))
            .collect(),
        group,
        units,
        unit,
        reference: reference.to_string(),
        questions: crate::pages::survey_answer::question_views(q, values, problems, ctx.lang),
        outcome,
        differences,
        ctx,
    })
}

/// `GET /surveys/campaigns/{id}/paper?group=…`.
pub async fn paper(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<PaperPage, WebError> {
    user.require(Action::EnterSurveyResponses, Target::Province)?;
    let data = campaign_data(&state.store, id, Load::Setup).await?;
    let unit = get(&query, "unit").parse().unwrap_or(0);
    paper_page(
        &state,
        ctx,
        &data,
        get(&query, "group"),
        unit,
        "",
        &BTreeMap::new(),
        &BTreeMap::new(),
        String::new(),
        Vec::new(),
    )
    .await
}

/// `POST /surveys/campaigns/{id}/paper`: one paper form. With double entry, the first entry
/// waits; the second (by someone else) must agree with it before the form counts.
pub async fn paper_save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::EnterSurveyResponses, Target::Province)?;
    let data = campaign_data(&state.store, id, Load::Setup).await?;
    if data.campaign.status == CampaignStatus::Closed {
        return Err(bad(ctx.t.survey_campaign_closed));
    }
    let group = get(&pairs, "group").to_string();
    let (_, qid, q) = data
        .questionnaires
        .iter()
        .find(|(g, _, _)| *g == group)
        .ok_or_else(|| bad(format!("{} \"{group}\"", ctx.t.survey_group_unknown)))?;
    let unit: i64 = get(&pairs, "unit").parse().unwrap_or(0);
    // Form numbers as people type them: "p-7" and "P-7" are one form.
    let reference = chiso_core::text::clean(get(&pairs, "reference")).to_uppercase();
    let values: BTreeMap<String, String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let code = k.strip_prefix("q_")?;
            q.question(code)?;
            let v = chiso_core::text::clean(v);
            (!v.is_empty()).then(|| (code.to_string(), v))
        })
        .collect();
    let mut problems = BTreeMap::new();
    let in_round = state
        .store
        .round_units(data.campaign.setup.round)
        .await?
        .iter()
        .any(|u| u.unit.0 == unit);
    let answers = match chiso_core::survey::responses::read_answers(
        q,
        values.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ) {
        Ok(a) => Some(a),
        Err(list) => {
            for (code, kind) in list {
                problems.insert(
                    code,
                    crate::pages::survey_answer::problem_text(kind, ctx.lang),
                );
            }
            None
        }
    };
    let mut outcome_problems = Vec::new();
    if !in_round {
        outcome_problems.push(ctx.t.unit_required.to_string());
    }
    if reference.is_empty() {
        outcome_problems.push(ctx.t.survey_form_number_required.to_string());
    }
    let (Some(answers), true) = (answers, outcome_problems.is_empty()) else {
        let page = paper_page(
            &state,
            ctx.clone(),
            &data,
            &group,
            unit,
            &reference,
            &values,
            &problems,
            ctx.t.survey_fix.to_string(),
            outcome_problems,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let form = NewResponse {
        questionnaire: *qid,
        unit: UnitId(unit),
        group: group.clone(),
        reference: reference.clone(),
        answers: chiso_core::survey::responses::answer_pairs(q, &answers)
            .into_iter()
            .collect(),
    };
    let by = user.by();
    let now = Utc::now();
    let conflict = |e: chiso_store::StoreError| match e {
        chiso_store::StoreError::Conflict(_) => {
            bad(format!("{} {reference}", ctx.t.survey_form_already_counted))
        }
        other => other.into(),
    };
    let (outcome, differences) = if !data.campaign.setup.double_entry {
        state
            .store
            .add_responses(
                id,
                std::slice::from_ref(&form),
                ResponseSource::Paper,
                &by,
                now,
            )
            .await
            .map_err(conflict)?;
        (
            format!("{} {reference}", ctx.t.survey_form_entered),
            Vec::new(),
        )
    } else {
        match state.store.paper_entry(id, &group, &reference).await? {
            None => {
                state
                    .store
                    .add_paper_entry(id, &form, &by, now)
                    .await
                    .map_err(conflict)?;
                (
                    format!("{} {reference}", ctx.t.survey_form_first_entry),
                    Vec::new(),
                )
            }
            // The first typist corrects their own entry; the second must be someone else.
            Some(first) if first.entered_by == by.name => {
                state
                    .store
                    .replace_paper_entry(first.id, &form, now)
                    .await?;
                (
                    format!("{} {reference}", ctx.t.survey_form_corrected),
                    Vec::new(),
                )
            }
            Some(first) => {
                let differences: Vec<String> = q
                    .questions()
                    .filter(|x| first.answers.get(&x.code) != form.answers.get(&x.code))
                    // Blind: which questions differ, never what the first typist entered.
                    .map(|x| x.code.clone())
                    .chain((first.unit != form.unit).then(|| ctx.t.unit.to_string()))
                    .collect();
                if differences.is_empty() {
                    state
                        .store
                        .confirm_paper_entry(id, first.id, &form, &by, now)
                        .await
                        .map_err(conflict)?;
                    (
                        format!("{} {reference}", ctx.t.survey_form_confirmed),
                        Vec::new(),
                    )
                } else {
                    let page = paper_page(
                        &state,
                        ctx.clone(),
                        &data,
                        &group,
                        unit,
                        &reference,
                        &values,
                        &BTreeMap::new(),
                        format!("{} {reference}", ctx.t.survey_form_differs),
                        differences,
                    )
                    .await?;
                    return Ok((StatusCode::CONFLICT, page).into_response());
                }
            }
        }
    };
    // Ready for the next form of the same group and unit.
    let page = paper_page(
        &state,
        ctx,
        &data,
        &group,
        unit,
        "",
        &BTreeMap::new(),
        &BTreeMap::new(),
        outcome,
        differences,
    )
    .await?;
    Ok(page.into_response())
}
