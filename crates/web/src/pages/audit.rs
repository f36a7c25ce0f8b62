//! The audit log viewer, newest first, paged backwards.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chiso_core::policy::{Action, Target};
use chiso_store::audit::Filter;
use serde::Deserialize;

const PAGE: i64 = 50;

/// One entry as a row.
pub struct EntryRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub summary: String,
    pub before: String,
    pub after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    ctx: Ctx,
    rows: Vec<EntryRow>,
    entity: String,
    entity_id: String,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    before: Option<i64>,
}

/// The audit log.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, WebError> {
    user.require(Action::ViewAuditLog, Target::Province)?;
    let filter = Filter {
        entity: q.entity.clone().filter(|s| !s.is_empty()),
        entity_id: q.entity_id.clone().filter(|s| !s.is_empty()),
        actor_id: None,
        before_id: q.before,
        limit: PAGE,
    };
    let entries = state.store.audit_entries(&filter).await?;
    let older = if entries.len() as i64 == PAGE {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            when: ctx.time(&e.at),
            actor: e.actor,
            action: e.action,
            entity: format!("{} {}", e.entity, e.entity_id),
            summary: e.summary,
            before: e.before.unwrap_or_default(),
            after: e.after.unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        rows,
        entity: q.entity.unwrap_or_default(),
        entity_id: q.entity_id.unwrap_or_default(),
        older,
        ctx,
    })
}
