//! `/api/v1/frameworks`: criteria frameworks and their trees, for any signed-in account (as the
//! pages are); administrators import a framework file.

use super::{ApiError, Body, Id, Problem};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chiso_core::framework::diff::{ImportDecision, decide_import};
use chiso_core::framework::{Node, Points};
use chiso_core::policy::{Action, Target};
use chiso_reports::framework_file::{self, LoadError};
use chiso_store::frameworks::{FrameworkId, FrameworkSummary};
use serde::Deserialize;
use serde::Serialize;

/// A framework as listed.
#[derive(Serialize)]
pub struct FrameworkJson {
    id: i64,
    code: String,
    name: String,
    unit_type: &'static str,
    year: i32,
    version: u32,
    decision: Option<String>,
    illustrative: bool,
    /// Maximum points, as an exact decimal string.
    max: String,
    /// Number of nodes (fields, criteria, sub-criteria).
    nodes: i64,
}

impl From<&FrameworkSummary> for FrameworkJson {
    fn from(s: &FrameworkSummary) -> Self {
        FrameworkJson {
            id: s.id.0,
            code: s.code.clone(),
            name: s.name.clone(),
            unit_type: s.unit_type.code(),
            year: s.year,
            version: s.version,
            decision: s.decision.clone(),
            illustrative: s.illustrative,
            max: Points::from_scaled(s.max_scaled).to_string(),
            nodes: s.nodes,
        }
    }
}

/// A framework with its tree of nodes.
#[derive(Serialize)]
pub struct FrameworkTree {
    #[serde(flatten)]
    summary: FrameworkJson,
    name_en: Option<String>,
    fields: Vec<NodeJson>,
}

/// A node of the tree: a field, criterion or sub-criterion.
#[derive(Serialize)]
pub struct NodeJson {
    code: String,
    name: String,
    name_en: Option<String>,
    max: Option<String>,
    /// Points that come from the sociological survey, if any.
    survey_max: Option<String>,
    /// How points are given (`manual`, `boolean`, `levels`, `bands`, …); none above the leaves.
    rule: Option<String>,
    illustrative: bool,
    children: Vec<NodeJson>,
}

impl From<&Node> for NodeJson {
    fn from(n: &Node) -> Self {
        NodeJson {
            code: n.code.clone(),
            name: n.name.clone(),
            name_en: n.name_en.clone(),
            max: n.max.map(|p| p.to_string()),
            survey_max: n.survey_max.map(|p| p.to_string()),
            // The rule's serde tag is its stable code.
            rule: n
                .rule
                .as_ref()
                .and_then(|r| serde_json::to_value(r).ok())
                .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string)),
            illustrative: n.illustrative,
            children: n.children.iter().map(NodeJson::from).collect(),
        }
    }
}

/// Every stored framework version.
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<FrameworkJson>>, WebError> {
    let all = state.store.list_frameworks().await?;
    Ok(Json(all.iter().map(FrameworkJson::from).collect()))
}

/// One framework's tree.
pub async fn show(
    State(state): State<AppState>,
    _user: CurrentUser,
    Id(id): Id,
) -> Result<Json<FrameworkTree>, WebError> {
    let (summary, f) = state.store.framework(FrameworkId(id)).await?;
    Ok(Json(FrameworkTree {
        summary: FrameworkJson::from(&summary),
        name_en: f.name_en.clone(),
        fields: f.fields.iter().map(NodeJson::from).collect(),
    }))
}

/// A framework file as sent: its YAML text (the format `GET /frameworks/{id}/download` gives
/// and docs/framework-format.md describes) and a name to remember where it came from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkBody {
    yaml: String,
    #[serde(default)]
    file_name: String,
}

/// Imports a framework (administrators), decided as the import page decides: a new framework
/// or a new version is stored (201), the same content again changes nothing (200), and a
/// version that clashes with the stored one is refused (409).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Body(body): Body<FrameworkBody>,
) -> Result<(StatusCode, Json<FrameworkJson>), ApiError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let f = match framework_file::load(body.yaml.as_bytes(), "api.yaml", ctx.lang) {
        Ok(f) => f,
        Err(LoadError::Invalid(errors)) => {
            let problems = errors
                .into_iter()
                .map(|e| Problem::field("yaml", e))
                .collect();
            return Err(ApiError::invalid(ctx.t.api_invalid_body, problems));
        }
        Err(LoadError::UnknownFormat) => {
            return Err(WebError::Internal("api.yaml is YAML".into()).into());
        }
    };
    let latest = state.store.latest_framework(&f.code, f.year).await?;
    let (status, id) = match decide_import(latest.as_ref().map(|(_, s)| s), &f) {
        Err(conflict) => return Err(ApiError::conflict(conflict.message(&f, ctx.lang))),
        Ok(ImportDecision::Unchanged) => (
            StatusCode::OK,
            latest.map(|(s, _)| s.id).ok_or(WebError::NotFound)?,
        ),
        Ok(_) => {
            let name = match chiso_core::text::clean(&body.file_name) {
                n if n.is_empty() => "api.yaml".to_string(),
                n => n,
            };
            let id = state
                .store
                .import_framework(&f, &name, &user.by(), chrono::Utc::now())
                .await?;
            (StatusCode::CREATED, id)
        }
    };
    let (summary, _) = state.store.framework(id).await?;
    Ok((status, Json(FrameworkJson::from(&summary))))
}
