//! Long exports as jobs: the person asks for one, gets a page with a progress bar that refreshes
//! itself, and a download link when the file is ready. Any app server runs queued jobs (see
//! [`run_pending`]); the file is stored by SHA-256 like evidence, so every server can serve it.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::form_value as get;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_store::jobs::{Job, JobStatus};
use chiso_store::rounds::RoundId;
use chrono::Utc;
use serde::{Deserialize, Serialize};

/// What a job produces.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Export {
    /// The round's ranking workbook (overall and per field).
    Ranking { round: i64 },
    /// Every unit's annex table of the round, one workbook each, in a zip.
    Annexes { round: i64 },
    /// The round's ranking as PDF (printed by headless Chromium).
    RankingPdf { round: i64 },
}

impl Export {
    fn code(&self) -> &'static str {
        match self {
            Export::Ranking { .. } => "ranking",
            Export::Annexes { .. } => "annexes",
            Export::RankingPdf { .. } => "ranking_pdf",
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Runs one export, reporting its progress (0–100) as it goes: the file's name, content type
/// and bytes.
async fn produce(
    state: &AppState,
    export: &Export,
    job: i64,
    server: &str,
) -> Result<(String, String, Vec<u8>), String> {
    let lang = Lang::Vi;
    match export {
        Export::Ranking { round } => {
            let report = crate::pages::results::ranking_report(state, RoundId(*round), lang)
                .await
                .map_err(|e| e.to_string())?;
            let bytes = chiso_reports::ranking_xlsx::ranking_workbook(&report)
                .map_err(|e| e.to_string())?;
            Ok((format!("xep-hang-dot-{round}.xlsx"), XLSX.into(), bytes))
        }
        Export::RankingPdf { round } => {
            let _ = state.store.job_progress(job, server, 10, Utc::now()).await;
            let report = crate::pages::results::ranking_report(state, RoundId(*round), lang)
                .await
                .map_err(|e| e.to_string())?;
            let html = askama::Template::render(&PrintRanking { r: &report })
                .map_err(|e| e.to_string())?;
            let bytes = crate::pdf::from_html(&html).await?;
            Ok((
                format!("xep-hang-dot-{round}.pdf"),
                "application/pdf".into(),
                bytes,
            ))
        }
        Export::Annexes { round } => {
            let units = state
                .store
                .round_units(RoundId(*round))
                .await
                .map_err(|e| e.to_string())?;
            let mut files = Vec::with_capacity(units.len());
            for (i, u) in units.iter().enumerate() {
                let annex = crate::pages::grid::annex_report(state, *round, u.unit.0)
                    .await
                    .map_err(|e| e.to_string())?;
                let code = state
                    .store
                    .unit(u.unit)
                    .await
                    .map(|x| x.code.to_lowercase())
                    .map_err(|e| e.to_string())?;
                let bytes =
                    chiso_reports::annex_xlsx::annex_workbook(&annex).map_err(|e| e.to_string())?;
                files.push((format!("phu-bieu-{code}.xlsx"), bytes));
                let done = ((i + 1) * 95 / units.len().max(1)) as i64;
                if let Err(e) = state
                    .store
                    .job_progress(job, server, done, Utc::now())
                    .await
                {
                    tracing::warn!(job, error = %e, "could not report progress");
                }
            }
            let bytes = chiso_reports::bundle::zip_files(&files).map_err(|e| e.to_string())?;
            Ok((
                format!("phu-bieu-dot-{round}.zip"),
                "application/zip".into(),
                bytes,
            ))
        }
    }
}

/// Claims and runs queued jobs until none is left; gives how many ran. Called every few seconds
/// by each app server (and directly by tests).
pub async fn run_pending(state: &AppState, server: &str) -> Result<usize, WebError> {
    let mut ran = 0;
    while let Some(job) = state.store.claim_job(server, Utc::now()).await? {
        ran += 1;
        // Each job runs in its own task: a panic fails that job, not the server's loop.
        let task_state = state.clone();
        let task_server = server.to_string();
        let params = job.params.clone();
        let id = job.id;
        let outcome = tokio::spawn(async move {
            let export = serde_json::from_str::<Export>(&params)
                .map_err(|e| format!("job parameters: {e}"))?;
            let (name, ctype, bytes) = produce(&task_state, &export, id, &task_server).await?;
            let sha = chiso_core::round::evidence::sha256(&bytes);
            task_state
                .files
                .put(&sha, bytes)
                .await
                .map_err(|e| format!("storing the file: {e}"))?;
            Ok::<_, String>((sha, name, ctype))
        })
        .await
        .unwrap_or_else(|e| Err(format!("the export stopped: {e}")));
        match outcome {
            Ok((sha, name, ctype)) => {
                state
                    .store
                    .finish_job(job.id, server, Ok((&sha, &name, &ctype)), Utc::now())
                    .await?;
            }
            Err(message) => {
                tracing::warn!(job = job.id, error = %message, "export failed");
                state
                    .store
                    .finish_job(job.id, server, Err(&message), Utc::now())
                    .await?;
            }
        }
    }
    Ok(ran)
}

/// `POST /exports`: queues an export the account may see.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, WebError> {
    let round: i64 = get(&pairs, "round")
        .parse()
        .map_err(|_| WebError::BadRequest(ctx.t.survey_round_required.to_string()))?;
    let r = state.store.round(RoundId(round)).await?;
    let export = match get(&pairs, "kind") {
        "ranking" => Export::Ranking { round },
        "annexes" => Export::Annexes { round },
        "ranking_pdf" => Export::RankingPdf { round },
        other => {
            return Err(WebError::BadRequest(format!(
                "{}: {other}",
                ctx.t.export_unknown
            )));
        }
    };
    user.require(Action::ViewResults, Target::Province)?;
    let title = match (&export, ctx.lang) {
        (Export::Ranking { .. }, Lang::Vi) => format!("Bảng xếp hạng — {}", r.name),
        (Export::Ranking { .. }, Lang::En) => format!("Ranking workbook — {}", r.name),
        (Export::Annexes { .. }, Lang::Vi) => format!("Phụ biểu của các đơn vị — {}", r.name),
        (Export::Annexes { .. }, Lang::En) => format!("Every unit's annex — {}", r.name),
        (Export::RankingPdf { .. }, Lang::Vi) => format!("Bảng xếp hạng (PDF) — {}", r.name),
        (Export::RankingPdf { .. }, Lang::En) => format!("Ranking (PDF) — {}", r.name),
    };
    let params = serde_json::to_string(&export).map_err(|e| WebError::Internal(e.to_string()))?;
    let id = state
        .store
        .queue_job(
            export.code(),
            &params,
            &title,
            user.account().id,
            Utc::now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/exports/{id}")))
}

/// A job as shown.
pub struct JobView {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub progress: i64,
    pub message: String,
    pub file_name: Option<String>,
    pub created: String,
}

fn view(job: &Job, ctx: &Ctx) -> JobView {
    JobView {
        id: job.id,
        title: job.title.clone(),
        status: match (job.status, ctx.lang) {
            (JobStatus::Queued, Lang::Vi) => "Đang chờ",
            (JobStatus::Queued, Lang::En) => "Queued",
            (JobStatus::Running, Lang::Vi) => "Đang tạo",
            (JobStatus::Running, Lang::En) => "Running",
            (JobStatus::Done, Lang::Vi) => "Xong",
            (JobStatus::Done, Lang::En) => "Done",
            (JobStatus::Failed, Lang::Vi) => "Lỗi",
            (JobStatus::Failed, Lang::En) => "Failed",
        },
        status_code: job.status.code(),
        progress: job.progress,
        message: match (job.status, job.message.as_str()) {
            (_, "") => String::new(),
            (JobStatus::Failed, chiso_store::jobs::INTERRUPTED) => {
                ctx.t.export_interrupted.to_string()
            }
            // What went wrong is technical; say first, in the person's language, what it means.
            (JobStatus::Failed, m) => format!("{}: {m}", ctx.t.export_failed),
            (_, m) => m.to_string(),
        },
        file_name: job.file.as_ref().map(|(_, n, _)| n.clone()),
        created: ctx.time(&job.created_at),
    }
}

fn own_job(user: &CurrentUser, job: &Job) -> Result<(), WebError> {
    if job.account == user.account().id {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "export.html")]
pub struct ExportPage {
    ctx: Ctx,
    job: JobView,
    running: bool,
}

/// `GET /exports/{id}`: the job's progress (the page refreshes itself until it ends).
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<ExportPage, WebError> {
    let job = state.store.job(id).await?;
    own_job(&user, &job)?;
    Ok(ExportPage {
        running: matches!(job.status, JobStatus::Queued | JobStatus::Running),
        job: view(&job, &ctx),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "exports.html")]
pub struct ExportsPage {
    ctx: Ctx,
    jobs: Vec<JobView>,
}

/// `GET /exports`: the account's recent exports.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<ExportsPage, WebError> {
    let jobs = state
        .store
        .jobs_of(user.account().id, 50)
        .await?
        .iter()
        .map(|j| view(j, &ctx))
        .collect();
    Ok(ExportsPage { jobs, ctx })
}

/// `GET /exports/{id}/file`: the finished file, checked against its hash.
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let job = state.store.job(id).await?;
    own_job(&user, &job)?;
    let (sha, name, ctype) = job.file.ok_or(WebError::NotFound)?;
    let bytes = crate::pages::stored_file(&state, &sha, &format!("export {id}")).await?;
    Ok(crate::pages::attachment(bytes, &name, ctype))
}

/// The ranking as a printable page.
#[derive(Template)]
#[template(path = "print_ranking.html")]
struct PrintRanking<'a> {
    r: &'a chiso_reports::ranking_xlsx::Ranking,
}

impl PrintRanking<'_> {
    fn points(&self, d: &rust_decimal::Decimal) -> String {
        chiso_core::format::points(*d, Lang::Vi)
    }

    fn change(&self, c: &Option<i64>) -> String {
        match c {
            Some(0) => "không đổi".into(),
            Some(n) if *n > 0 => format!("tăng {n} bậc"),
            Some(n) => format!("giảm {} bậc", -n),
            None => String::new(),
        }
    }
}
