//! The JSON API under `/api/v1`, read-only for now.
//!
//! Requests authenticate with a personal API token (`Authorization: Bearer chiso_…`, created on
//! `/account`); the session middleware turns it into the same [`crate::auth::CurrentUser`] a
//! signed-in browser gets, so every handler checks the same permission as the matching page.
//! Errors are `{"error": {"code", "message"}}` (rendered by the middleware for `/api/`).
//!
//! Field names are English and stable; decimals are strings ("86.44") so they stay exact;
//! dates are ISO `yyyy-mm-dd`. Lists are not paginated: each holds what one province has
//! (units, frameworks, rounds, plans, campaigns), which stays in the hundreds.
//!
//! [`ENDPOINTS`](endpoints) is the one list of routes: the router is built from it and a test
//! checks it against the OpenAPI document in `openapi.json`.

mod frameworks;
mod plans;
mod results;
mod rounds;
mod surveys;
mod units;

use crate::AppState;
use crate::error::WebError;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, get, on};
use rust_decimal::Decimal;

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
        endpoint(Method::GET, "/api/v1/units/{id}", units::show),
        endpoint(Method::GET, "/api/v1/frameworks", frameworks::list),
        endpoint(Method::GET, "/api/v1/frameworks/{id}", frameworks::show),
        endpoint(Method::GET, "/api/v1/rounds", rounds::list),
        endpoint(Method::GET, "/api/v1/rounds/{id}", rounds::show),
        endpoint(Method::GET, "/api/v1/rounds/{id}/results", results::show),
        endpoint(Method::GET, "/api/v1/plans", plans::list),
        endpoint(Method::GET, "/api/v1/plans/{id}", plans::show),
        endpoint(Method::GET, "/api/v1/surveys/campaigns", surveys::list),
        endpoint(Method::GET, "/api/v1/surveys/campaigns/{id}", surveys::show),
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

/// A published figure with its two decimal places ("86.40").
pub(crate) fn fixed2(d: Decimal) -> String {
    format!("{d:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_json_and_published_figures_keep_two_places() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(fixed2(Decimal::new(864, 1)), "86.40");
        assert_eq!(fixed2(Decimal::new(8644, 2)), "86.44");
    }
}
