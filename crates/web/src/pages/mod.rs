//! Pages and their routes. Each module holds one area; each page struct knows its template.

mod account;
mod accounts;
pub(crate) mod appraisal;
mod assignments;
mod audit;
mod dashboard;
pub(crate) mod exports;
mod external;
mod frameworks;
pub(crate) mod grid;
mod inspections;
mod login;
mod plan_import;
pub(crate) mod plans;
mod reporting;
pub(crate) mod results;
pub(crate) mod rounds;
mod scoring_sheet;
mod self_report;
pub(crate) mod survey_answer;
mod survey_contacts;
pub(crate) mod surveys;
pub(crate) mod units;

use crate::AppState;
use crate::auth::session::{FLASH_COOKIE, LANG_COOKIE, cookie};
use crate::auth::user::{Ctx, Flash};
use crate::middleware::append_cookie;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chiso_core::lang::Lang;
use serde::Deserialize;

/// Every route of the application.
pub fn routes(state: AppState) -> Router<AppState> {
    let upload_limit = state.config.max_upload_bytes;
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(switch_lang))
        .route("/healthz", get(health))
        .route("/account", get(account::show))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(
            "/account/password",
            get(account::password_form).post(account::password_submit),
        )
        .route("/units", get(units::list).post(units::create))
        .route("/units/new", get(units::new_form))
        .route(
            "/units/import",
            get(units::import_form).post(units::import_preview),
        )
        .route("/units/import/apply", post(units::import_apply))
        .route("/units/export.csv", get(units::export))
        .route("/units/export.xlsx", get(units::export_xlsx))
        .route("/units/{id}", get(units::show))
        .route(
            "/units/{id}/edit",
            get(units::edit_form).post(units::update),
        )
        .route(
            "/units/{id}/attributes",
            get(units::attributes_form).post(units::attributes_save),
        )
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route("/accounts/new", get(accounts::new_form))
        .route(
            "/accounts/{id}",
            get(accounts::edit_form).post(accounts::update),
        )
        .route(
            "/accounts/{id}/reset-password",
            post(accounts::reset_password),
        )
        .route("/frameworks", get(frameworks::list))
        .route(
            "/frameworks/import",
            get(frameworks::import_form).post(frameworks::import_preview),
        )
        .route("/frameworks/import/apply", post(frameworks::import_apply))
        .route("/frameworks/{id}", get(frameworks::show))
        .route("/frameworks/{id}/download/{ext}", get(frameworks::download))
        .route("/frameworks/{id}/clone", post(frameworks::clone))
        .route(
            "/frameworks/library/{index}",
            post(frameworks::load_built_in),
        )
        .route(
            "/frameworks/{id}/edit",
            get(frameworks::edit_form).post(frameworks::edit_save),
        )
        .route("/frameworks/{id}/edit/check", post(frameworks::edit_check))
        .route(
            "/frameworks/{id}/leads",
            get(frameworks::leads_form).post(frameworks::leads_save),
        )
        .route("/rounds", get(rounds::list).post(rounds::create))
        .route("/rounds/new", get(rounds::new_form))
        .route("/rounds/{id}", get(rounds::show))
        .route("/rounds/{id}/phase", post(rounds::change_phase))
        .route("/rounds/{id}/assignments", get(assignments::show))
        .route("/results", get(results::list))
        .route("/rounds/{id}/results", get(results::show))
        .route("/rounds/{id}/results/publish", post(results::publish))
        .route("/rounds/{id}/results/bands", post(results::set_bands))
        .route(
            "/rounds/{id}/results/survey",
            get(results::survey_form).post(results::survey_save),
        )
        .route("/rounds/{id}/results/units/{unit}", get(results::unit))
        .route(
            "/rounds/{id}/results/units/{unit}/what-if",
            post(results::what_if),
        )
        .route(
            "/rounds/{id}/results/units/{unit}/target",
            post(results::target),
        )
        .route("/plans", get(plans::list))
        .route(
            "/plans/import",
            get(plan_import::form).post(plan_import::upload),
        )
        .route("/plans/import/save", post(plan_import::save))
        .route("/reports", get(reporting::show))
        .route(
            "/inspections",
            get(inspections::show).post(inspections::plan),
        )
        .route("/inspections/{id}/record", post(inspections::record))
        .route("/inspections/findings/{id}/close", post(inspections::close))
        .route("/initiatives", post(inspections::propose))
        .route("/initiatives/{id}/evaluate", post(inspections::evaluate))
        .route("/reports/calendar", post(reporting::add_entry))
        .route("/reports/{entry}/submit", post(reporting::submit))
        .route("/reports/{entry}/units/{unit}/file", get(reporting::file))
        .route("/plans/{id}", get(plans::show).post(plans::save_meta))
        .route("/plans/{id}/tasks", post(plans::add_task))
        .route("/plans/{id}/{format}", get(plans::export))
        .route("/plans/{id}/kpis", post(plans::add_kpi))
        .route(
            "/plans/{id}/kpis/{kpi}/actuals",
            post(plans::add_kpi_actual),
        )
        .route("/plans/{id}/tasks/{task}", get(plans::task))
        .route("/plans/{id}/tasks/{task}/edit", post(plans::edit_task))
        .route("/plans/{id}/tasks/{task}/remove", post(plans::remove_task))
        .route("/plans/{id}/goals", post(plans::save_goals))
        .route("/plans/{id}/tasks/{task}/report", post(plans::report))
        .route(
            "/plans/{id}/tasks/{task}/updates/{update}/file",
            get(plans::update_file),
        )
        .route(
            "/plans/{id}/tasks/{task}/extensions",
            post(plans::request_extension),
        )
        .route(
            "/plans/{id}/tasks/{task}/extensions/{ext}",
            post(plans::decide_extension),
        )
        .route(
            "/rounds/{id}/results/units/{unit}/draft-plan",
            post(plans::draft_from_results),
        )
        .route(
            "/s/{token}",
            get(survey_answer::show).post(survey_answer::answer),
        )
        .route("/surveys", get(surveys::list))
        .route(
            "/surveys/contacts",
            get(survey_contacts::show).post(survey_contacts::upload),
        )
        .route(
            "/surveys/contacts/export.xlsx",
            get(survey_contacts::export),
        )
        .route(
            "/surveys/questionnaires",
            post(surveys::upload_questionnaire),
        )
        .route("/surveys/questionnaires/{id}", get(surveys::questionnaire))
        .route(
            "/surveys/questionnaires/{id}/{format}",
            get(surveys::questionnaire_file),
        )
        .route("/surveys/campaigns", post(surveys::create_campaign))
        .route("/surveys/campaigns/{id}", get(surveys::campaign))
        .route("/surveys/campaigns/{id}/status", post(surveys::set_status))
        .route("/surveys/campaigns/{id}/quotas", post(surveys::set_quotas))
        .route(
            "/surveys/campaigns/{id}/respondents",
            post(surveys::add_respondents),
        )
        .route("/surveys/campaigns/{id}/invite", post(surveys::invite))
        .route("/surveys/campaigns/{id}/qr", get(surveys::qr_sheet))
        .route("/surveys/campaigns/{id}/sms.csv", get(surveys::sms))
        .route(
            "/surveys/campaigns/{id}/responses",
            post(surveys::import_responses),
        )
        .route(
            "/surveys/campaigns/{id}/points",
            post(surveys::write_points),
        )
        .route(
            "/surveys/campaigns/{id}/paper",
            get(surveys::paper).post(surveys::paper_save),
        )
        .route("/public/results", get(results::public_list))
        .route("/public/results/{id}", get(results::public_show))
        .route(
            "/rounds/{id}/assignments/appraisers",
            post(assignments::set_appraisers),
        )
        .route(
            "/rounds/{id}/assignments/entry",
            post(assignments::set_entry),
        )
        .route(
            "/rounds/{id}/units/{unit}/annex.pdf",
            get(scoring_sheet::annex_pdf),
        )
        .route(
            "/rounds/{id}/units/{unit}/report",
            get(self_report::form).post(self_report::download),
        )
        .route("/exports", get(exports::list).post(exports::create))
        .route("/exports/{id}", get(exports::show))
        .route("/exports/{id}/file", get(exports::file))
        .route(
            "/rounds/{id}/units/{unit}/annex.xlsx",
            get(scoring_sheet::annex),
        )
        .route(
            "/rounds/{id}/units/{unit}/sheet.xlsx",
            get(scoring_sheet::download),
        )
        .route(
            "/rounds/{id}/units/{unit}/sheet",
            post(scoring_sheet::upload),
        )
        .route(
            "/rounds/{id}/units/{unit}/sheet/apply",
            post(scoring_sheet::apply),
        )
        .route("/rounds/{id}/units/{unit}/extension", post(rounds::extend))
        .route("/rounds/{id}/units/{unit}/reopen", post(rounds::reopen))
        .route("/rounds/{round}/units/{unit}", get(grid::show))
        .route(
            "/rounds/{round}/units/{unit}/items/{code}",
            post(grid::save_item),
        )
        .route("/rounds/{round}/units/{unit}/submit", post(grid::submit))
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/evidence",
            post(grid::upload_evidence),
        )
        .route("/evidence/{id}", get(grid::download_evidence))
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/reuse/{evidence}",
            post(grid::reuse_evidence),
        )
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/history",
            get(grid::history),
        )
        .route(
            "/rounds/{round}/units/{unit}/withdraw",
            post(grid::withdraw),
        )
        .route(
            "/rounds/{round}/units/{unit}/explain",
            post(grid::send_explanation),
        )
        .route(
            "/rounds/{round}/units/{unit}/conclude-1",
            post(grid::conclude_1),
        )
        .route(
            "/rounds/{round}/units/{unit}/conclude-2",
            post(grid::conclude_2),
        )
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/appraise",
            post(appraisal::appraise),
        )
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/answer",
            post(appraisal::answer),
        )
        .route(
            "/rounds/{round}/units/{unit}/items/{code}/correct",
            post(appraisal::correct),
        )
        .route("/rounds/{id}/council", get(appraisal::council))
        .route("/inbox", get(appraisal::inbox))
        .route("/inbox/read", post(appraisal::inbox_read))
        .route("/results/external", get(external::show))
        .route(
            "/results/external/import",
            get(external::import_form).post(external::import_preview),
        )
        .route(
            "/results/external/import/apply",
            post(external::import_apply),
        )
        .route("/audit", get(audit::list))
        .route("/static/{*path}", get(crate::assets::serve))
        .layer(DefaultBodyLimit::max(upload_limit))
        .fallback(not_found)
}

/// The error page, rendered by the middleware for every [`crate::WebError`].
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: Ctx,
    pub title: &'static str,
    pub message: String,
    pub status: u16,
}

async fn not_found() -> crate::WebError {
    crate::WebError::NotFound
}

async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ok".into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let lang = Lang::from_tag(&code).unwrap_or_default();
    let mut r =
        Redirect::to(&local_path(q.back.as_deref()).unwrap_or_else(|| "/".into())).into_response();
    append_cookie(
        &mut r,
        &cookie(
            LANG_COOKIE,
            lang.tag(),
            state.config.secure_cookies(),
            Some(365 * 24 * 3600),
        ),
    );
    r
}

/// Accepts only a path on this site (no scheme, no `//host`), to avoid open redirects.
pub fn local_path(p: Option<&str>) -> Option<String> {
    let p = p?.trim();
    if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') {
        Some(p.to_string())
    } else {
        None
    }
}

/// A 303 redirect that shows a notice on the next page.
pub fn redirect_with(to: &str, flash: Flash, secure: bool) -> Response {
    let mut r = Redirect::to(to).into_response();
    append_cookie(
        &mut r,
        &cookie(FLASH_COOKIE, flash.code(), secure, Some(60)),
    );
    r
}

/// A field's error message, for forms that show problems beside their fields.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    /// The messages for one field.
    pub fn get(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a message.
    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }
}

/// Reads a multipart form: its text fields, and the `file` field (its name, or `default_name`,
/// and bytes) when a non-empty file was sent.
pub(crate) async fn read_multipart(
    multipart: &mut axum::extract::Multipart,
    default_name: &str,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), crate::WebError> {
    let bad =
        |e: axum::extract::multipart::MultipartError| crate::WebError::BadRequest(e.to_string());
    let mut pairs = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or(default_name).to_string();
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            if !bytes.is_empty() {
                file = Some((file_name, bytes));
            }
        } else {
            pairs.push((name, field.text().await.map_err(bad)?));
        }
    }
    Ok((pairs, file))
}

/// Checks an uploaded document (kind by content, size) and stores it by SHA-256 before anything
/// points at it: gives (SHA-256, content type, safe file name).
pub(crate) async fn store_document(
    state: &AppState,
    name: &str,
    bytes: Vec<u8>,
    lang: chiso_core::lang::Lang,
) -> Result<(String, String, String), crate::WebError> {
    let kind = chiso_core::round::evidence::check(&bytes, state.config.max_upload_bytes)
        .map_err(|r| crate::WebError::BadRequest(r.message(lang)))?;
    let name = chiso_core::round::evidence::safe_name(name);
    let sha = chiso_core::round::evidence::sha256(&bytes);
    state.files.put(&sha, bytes).await?;
    Ok((sha, kind.content_type(&name).to_string(), name))
}

/// Reads the `file` field of an upload form: its name (or `default_name`) and bytes; `None`
/// when no non-empty file was sent.
pub async fn read_upload(
    multipart: &mut axum::extract::Multipart,
    default_name: &str,
) -> Result<Option<(String, Vec<u8>)>, crate::WebError> {
    let bad =
        |e: axum::extract::multipart::MultipartError| crate::WebError::BadRequest(e.to_string());
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(default_name).to_string();
            let bytes = field.bytes().await.map_err(bad)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    Ok(file.filter(|(_, b)| !b.is_empty()))
}

/// A stored file's bytes, checked against the SHA-256 they are stored under: a file altered on
/// disk or in the bucket is never served.
pub(crate) async fn stored_file(
    state: &AppState,
    sha256: &str,
    what: &str,
) -> Result<Vec<u8>, crate::WebError> {
    let bytes = state.files.get(sha256).await?;
    if chiso_core::round::evidence::sha256(&bytes) != sha256 {
        return Err(crate::WebError::Internal(format!(
            "{what} does not match its SHA-256"
        )));
    }
    Ok(bytes)
}

/// A download: the bytes with their type, as an attachment under an ASCII-safe file name.
pub(crate) fn attachment(bytes: Vec<u8>, name: &str, content_type: String) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A posted form's value for `key`, trimmed; empty when absent (forms read as pairs keep
/// repeated keys such as multi-selects).
pub(crate) fn form_value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

/// A reason the person must give (reopening, extending): cleaned, or a 400 saying so.
pub fn required_reason(reason: &str, t: &crate::i18n::Texts) -> Result<String, crate::WebError> {
    let r = chiso_core::text::clean(reason);
    if r.is_empty() {
        Err(crate::WebError::BadRequest(t.reason_required.to_string()))
    } else {
        Ok(r)
    }
}

/// Parses a comma- or space-separated list of field codes ("1, 2; 5").
pub fn parse_field_codes(input: &str) -> Vec<String> {
    let mut codes: Vec<String> = input
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path(Some("/units?q=x")), Some("/units?q=x".into()));
        assert_eq!(local_path(Some("//evil.example")), None);
        assert_eq!(local_path(Some("https://evil.example")), None);
        assert_eq!(local_path(Some("/\\evil")), None);
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn field_codes_are_split_sorted_and_deduplicated() {
        assert_eq!(parse_field_codes(" 5, 1;2 1 "), vec!["1", "2", "5"]);
        assert!(parse_field_codes("  ").is_empty());
    }
}
