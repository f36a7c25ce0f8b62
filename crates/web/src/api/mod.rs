//! The JSON API under `/api/v1`: reading, and the writes the pages make: a unit's
//! self-assessment entries, documents and steps; appraisals and the unit's answers; units,
//! framework files and rounds (administrators); plan tasks, progress reports, KPI actuals and
//! survey responses.
//!
//! Requests authenticate with a personal API token (`Authorization: Bearer chiso_…`, created on
//! `/account`); the session middleware turns it into the same [`crate::auth::CurrentUser`] a
//! signed-in browser gets, so every handler checks the same permission as the matching page.
//! Errors are `{"error": {"code", "message"}}` (rendered by the middleware for `/api/`); a
//! body that cannot be used is a 422 whose `problems` name each field, and a stale version a
//! 409 whose `current` holds what is stored.
//!
//! Writes take JSON and go through the same store functions as the pages (so the audit log
//! and the score ledger record them), after the same permission checks and domain rules.
//!
//! Field names are English and stable; decimals are strings ("86.44") so they stay exact;
//! dates are ISO `yyyy-mm-dd`. Lists are not paginated: each holds what one province has
//! (units, frameworks, rounds, plans, campaigns), which stays in the hundreds.
//!
//! [`ENDPOINTS`](endpoints) is the one list of routes: the router is built from it and a test
//! checks it against the OpenAPI document in `openapi.json`.

mod appraisals;
mod entries;
mod evidence;
mod frameworks;
mod plans;
mod results;
mod rounds;
mod surveys;
mod units;

use crate::AppState;
use crate::error::WebError;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on};
use chiso_core::lang::Lang;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The OpenAPI 3.1 document describing every route of [`endpoints`].
pub const OPENAPI: &str = include_str!("openapi.json");

/// Where the OpenAPI document is served (without authentication).
pub const OPENAPI_PATH: &str = "/api/openapi.json";

/// One API route.
struct Endpoint {
    method: Method,
    path: &'static str,
    route: MethodRouter<AppState>,
}

fn endpoint<H, T>(method: Method, path: &'static str, handler: H) -> Endpoint
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Endpoint {
        method,
        path,
        route: on(filter, handler),
    }
}

/// Every `/api/v1` route with its handler.
fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(Method::GET, "/api/v1/units", units::list),
        endpoint(Method::POST, "/api/v1/units", units::create),
        endpoint(Method::GET, "/api/v1/units/{id}", units::show),
        endpoint(Method::PUT, "/api/v1/units/{id}", units::update),
        endpoint(Method::GET, "/api/v1/frameworks", frameworks::list),
        endpoint(Method::POST, "/api/v1/frameworks", frameworks::import),
        endpoint(Method::GET, "/api/v1/frameworks/{id}", frameworks::show),
        endpoint(Method::GET, "/api/v1/rounds", rounds::list),
        endpoint(Method::POST, "/api/v1/rounds", rounds::create),
        endpoint(Method::GET, "/api/v1/rounds/{id}", rounds::show),
        endpoint(Method::PUT, "/api/v1/rounds/{id}/phase", rounds::phase),
        endpoint(Method::GET, "/api/v1/rounds/{id}/results", results::show),
        endpoint(
            Method::POST,
            "/api/v1/rounds/{id}/units/{unit}/steps",
            appraisals::step,
        ),
        endpoint(
            Method::GET,
            "/api/v1/rounds/{id}/units/{unit}/evidence",
            evidence::list,
        ),
        endpoint(
            Method::POST,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}/evidence",
            evidence::upload,
        ),
        endpoint(
            Method::GET,
            "/api/v1/evidence/{id}/content",
            crate::pages::grid::download_evidence,
        ),
        endpoint(
            Method::GET,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}/appraisals",
            appraisals::show,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}/appraisal",
            appraisals::save,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}/answer",
            appraisals::answer,
        ),
        endpoint(
            Method::GET,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}",
            entries::show,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/rounds/{id}/units/{unit}/items/{code}",
            entries::save,
        ),
        endpoint(Method::GET, "/api/v1/plans", plans::list),
        endpoint(Method::GET, "/api/v1/plans/{id}", plans::show),
        endpoint(Method::POST, "/api/v1/plans", plans::create),
        endpoint(
            Method::DELETE,
            "/api/v1/plans/{id}/tasks/{task}",
            plans::remove_task,
        ),
        endpoint(Method::POST, "/api/v1/plans/{id}/kpis", plans::add_kpi),
        endpoint(
            Method::POST,
            "/api/v1/plans/{id}/tasks/{task}/extensions",
            plans::request_extension,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/plans/{id}/tasks/{task}/extensions/{ext}",
            plans::decide_extension,
        ),
        endpoint(
            Method::POST,
            "/api/v1/rounds/{id}/units/{unit}/draft-plan",
            plans::draft,
        ),
        endpoint(Method::POST, "/api/v1/plans/{id}/tasks", plans::add_task),
        endpoint(
            Method::PUT,
            "/api/v1/plans/{id}/tasks/{task}",
            plans::edit_task,
        ),
        endpoint(
            Method::POST,
            "/api/v1/plans/{id}/tasks/{task}/reports",
            plans::report,
        ),
        endpoint(
            Method::POST,
            "/api/v1/plans/{id}/kpis/{kpi}/actuals",
            plans::add_actual,
        ),
        endpoint(Method::GET, "/api/v1/surveys/campaigns", surveys::list),
        endpoint(Method::GET, "/api/v1/surveys/campaigns/{id}", surveys::show),
        endpoint(
            Method::POST,
            "/api/v1/surveys/campaigns/{id}/responses",
            surveys::import,
        ),
    ]
}

/// The method and path of every `/api/v1` route, in the router's order.
pub fn routes() -> Vec<(Method, &'static str)> {
    endpoints()
        .into_iter()
        .map(|e| (e.method, e.path))
        .collect()
}

/// The API's routes, including the OpenAPI document.
pub(crate) fn router() -> Router<AppState> {
    endpoints()
        .into_iter()
        .fold(Router::new(), |r, e| r.route(e.path, e.route))
        .route(OPENAPI_PATH, get(openapi))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// A numeric `{id}` path parameter; anything else is a JSON 400 rather than axum's plain text.
pub(crate) struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<i64>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::BadRequest(e.body_text()))?;
        Ok(Id(id))
    }
}

/// Several path parameters (`(i64, i64, String)`); one that cannot be read is a JSON 400.
pub(crate) struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Params<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(p) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::BadRequest(e.body_text()))?;
        Ok(Params(p))
    }
}

/// A JSON request body. A body that is not JSON is a 400; JSON that does not fit (a missing
/// field, a wrong type, an unknown field) is a 422 naming the field.
pub(crate) struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                let text = e.body_text();
                let detail = text.split_once(": ").map_or(text.as_str(), |(_, d)| d);
                let field = json_field(detail).unwrap_or_default();
                Err(ApiError::invalid(
                    format!("The body does not fit: {detail}"),
                    vec![Problem::field(field, detail.to_string())],
                ))
            }
            Err(e) => Err(ApiError::Web(WebError::BadRequest(e.body_text()))),
        }
    }
}

/// The field a serde error names: the path it puts first (`responses[0].unit: invalid type…`),
/// which holds an unknown field itself, followed by a missing field in backquotes
/// (`missing field `version``).
fn json_field(detail: &str) -> Option<String> {
    let (path, message) = match detail.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') => (Some(head), rest),
        _ => (None, detail),
    };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (path, missing) {
        (Some(p), Some(f)) => Some(format!("{p}.{f}")),
        (Some(p), None) => Some(p.to_string()),
        // At the top an unknown field has no path; it is named in the message.
        (None, _) => message
            .split_once("field `")
            .and_then(|(_, rest)| rest.split('`').next())
            .map(str::to_string),
    }
}

/// One thing wrong with a request body.
#[derive(Debug, Serialize)]
pub(crate) struct Problem {
    /// Where: `numerator`, `responses[2].answers.Q1`.
    field: String,
    message: String,
    /// The position in a list of the body, where the problem is in one of its elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    /// The question code, for a survey answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<String>,
}

impl Problem {
    /// The same problem inside element `at` of the body (`tasks[2]` + `deadline`).
    pub(crate) fn under(mut self, at: &str) -> Problem {
        self.field = format!("{at}.{}", self.field);
        self
    }

    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
            index: None,
            question: None,
        }
    }

    /// A problem in element `index` of a list, about `question` if given.
    pub(crate) fn at(
        field: impl Into<String>,
        index: usize,
        question: Option<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
            index: Some(index),
            question,
        }
    }
}

/// An API error: the web layer's (rendered as JSON by the middleware), or one the API renders
/// itself because it carries more than a message (the problems, the stored record).
#[derive(Debug)]
pub(crate) enum ApiError {
    Web(WebError),
    Json {
        status: StatusCode,
        code: &'static str,
        message: String,
        problems: Vec<Problem>,
        current: Option<serde_json::Value>,
    },
}

impl ApiError {
    /// 422: the body is JSON of the right shape but cannot be used; each problem named.
    pub(crate) fn invalid(message: impl Into<String>, problems: Vec<Problem>) -> ApiError {
        ApiError::Json {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "unprocessable",
            message: message.into(),
            problems,
            current: None,
        }
    }

    /// 422 from a page form's checks: each field's messages.
    pub(crate) fn from_fields(
        message: impl Into<String>,
        errors: crate::pages::FieldErrors,
    ) -> ApiError {
        let problems = errors
            .0
            .into_iter()
            .map(|(f, m)| Problem::field(f, m))
            .collect();
        ApiError::invalid(message, problems)
    }

    /// 422 for one field.
    pub(crate) fn field(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError::invalid(message.clone(), vec![Problem::field(field, message)])
    }

    /// 409: the record is not in a state that allows this now (a closed window or campaign).
    pub(crate) fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::Json {
            status: StatusCode::CONFLICT,
            code: "conflict",
            message: message.into(),
            problems: Vec::new(),
            current: None,
        }
    }

    /// 409: someone saved since the given version; `current` is what is stored.
    pub(crate) fn stale(message: impl Into<String>, current: serde_json::Value) -> ApiError {
        ApiError::Json {
            status: StatusCode::CONFLICT,
            code: "version_conflict",
            message: message.into(),
            problems: Vec::new(),
            current: Some(current),
        }
    }

    /// 403 with the page's own sentence (a rule about who may do it, beyond the roles).
    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::Json {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
            problems: Vec::new(),
            current: None,
        }
    }
}

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError::Web(e)
    }
}

impl From<chiso_store::StoreError> for ApiError {
    fn from(e: chiso_store::StoreError) -> Self {
        ApiError::Web(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Web(e) => e.into_response(),
            ApiError::Json {
                status,
                code,
                message,
                problems,
                current,
            } => {
                let mut error = serde_json::json!({ "code": code, "message": message });
                if !problems.is_empty() {
                    error["problems"] = serde_json::json!(problems);
                }
                if let Some(c) = current {
                    error["current"] = c;
                }
                (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
            }
        }
    }
}

/// A decimal sent as a string ("412", "0.75"): digits with an optional point, nothing else.
pub(crate) fn decimal(field: &str, s: &str, lang: Lang) -> Result<Decimal, Problem> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let well_formed = !digits.is_empty()
        && digits.split('.').count() <= 2
        && digits
            .split('.')
            .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    match (well_formed, s.parse::<Decimal>()) {
        (true, Ok(d)) => Ok(d),
        _ => Err(Problem::field(
            field,
            match lang {
                Lang::Vi => format!("\"{s}\" không phải là số thập phân (viết như \"0.75\")."),
                Lang::En => format!("\"{s}\" is not a decimal (write it as \"0.75\")."),
            },
        )),
    }
}

/// A published figure with its two decimal places ("86.40").
pub(crate) fn fixed2(d: Decimal) -> String {
    format!("{d:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_errors_name_their_field() {
        let f = |d: &str| json_field(d).unwrap_or_default();
        assert_eq!(
            f("numerator: invalid type: integer `412`, expected a string at line 1 column 30"),
            "numerator"
        );
        assert_eq!(f("missing field `version` at line 1 column 2"), "version");
        assert_eq!(
            f("numerater: unknown field `numerater`, expected one of `version`"),
            "numerater"
        );
        assert_eq!(
            f("unknown field `numerater`, expected one of `version`"),
            "numerater"
        );
        assert_eq!(
            f("responses[0]: missing field `respondent` at line 1 column 9"),
            "responses[0].respondent"
        );
        assert_eq!(
            f("responses[0].answers.Q1: invalid type: integer `1`"),
            "responses[0].answers.Q1"
        );
    }

    #[test]
    fn the_document_is_json_and_published_figures_keep_two_places() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(fixed2(Decimal::new(864, 1)), "86.40");
        assert_eq!(fixed2(Decimal::new(8644, 2)), "86.44");
    }
}
