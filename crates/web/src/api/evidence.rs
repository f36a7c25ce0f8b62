//! Evidence through the API: the documents backing a unit's items (their metadata), adding a
//! document to an item (multipart, as the grid's upload, with the same checks by content and
//! size), and a document's bytes.

use super::{ApiError, Params};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::pages::grid::{add_document, load, may_add_documents};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use chiso_core::policy::Action;
use chiso_store::evidence::Evidence;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A document backing an item, as the API shows it (its metadata, not its bytes).
#[derive(Serialize)]
pub struct EvidenceJson {
    id: i64,
    code: String,
    file_name: String,
    content_type: String,
    size: i64,
    sha256: String,
    doc_number: String,
    doc_date: Option<chrono::NaiveDate>,
    issuer: String,
    effective_date: Option<chrono::NaiveDate>,
    uploaded_by: String,
    uploaded_at: DateTime<Utc>,
}

fn evidence_json(code: String, e: Evidence) -> EvidenceJson {
    EvidenceJson {
        id: e.id,
        code,
        file_name: e.meta.file_name,
        content_type: e.meta.content_type,
        size: e.size,
        sha256: e.sha256,
        doc_number: e.meta.doc_number,
        doc_date: e.meta.doc_date,
        issuer: e.meta.issuer,
        effective_date: e.meta.effective_date,
        uploaded_by: e.uploaded_by,
        uploaded_at: e.uploaded_at,
    }
}

/// The documents backing a unit's items in a round, for those who see the unit.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Params((round, unit)): Params<(i64, i64)>,
) -> Result<Json<Vec<EvidenceJson>>, ApiError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let docs = state
        .store
        .evidence_for(round, chiso_core::ids::UnitId(unit), None)
        .await?;
    Ok(Json(
        docs.into_iter()
            .map(|(code, e)| evidence_json(code, e))
            .collect(),
    ))
}

/// Adds a document to an item: a multipart body with `file` and optionally `doc_number`,
/// `doc_date`, `issuer`, `effective_date` (`yyyy-mm-dd`). The same account, phase and window
/// rules as the grid; the kind is checked by content. A document the unit already has (the
/// same bytes) is linked, not stored twice.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Params((round, unit, code)): Params<(i64, i64, String)>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<EvidenceJson>), ApiError> {
    // Refused before the body is read: the item's field, unit and window.
    may_add_documents(&state, &user, round, unit, &code, ctx.lang)
        .await
        .map_err(|e| match e {
            crate::WebError::BadRequest(m) => ApiError::conflict(m),
            e => ApiError::Web(e),
        })?;
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "tai-lieu").await?;
    if file.is_none() {
        return Err(ApiError::field("file", ctx.t.import_no_file));
    }
    let unread: Vec<super::Problem> = ["doc_date", "effective_date"]
        .into_iter()
        .filter_map(|k| {
            let v = crate::pages::form_value(&pairs, k).trim();
            (!v.is_empty() && chiso_core::format::parse_date(v).is_none())
                .then(|| super::Problem::field(k, format!("{}: \"{v}\"", ctx.t.date_invalid)))
        })
        .collect();
    if !unread.is_empty() {
        return Err(ApiError::invalid(ctx.t.api_invalid_body, unread));
    }
    let id = add_document(&state, &user, round, unit, &code, &pairs, file, &ctx)
        .await
        .map_err(|e| match e {
            // The kind or size refused: the grid's sentence.
            crate::WebError::BadRequest(m) => {
                ApiError::invalid(m.clone(), vec![super::Problem::field("file", m)])
            }
            e => ApiError::Web(e),
        })?;
    let e = state.store.evidence(id).await?;
    Ok((StatusCode::CREATED, Json(evidence_json(code, e))))
}
