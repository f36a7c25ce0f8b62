//! The JSON API: tokens made on the account page, bearer authentication, permissions, JSON
//! errors, and the OpenAPI document checked against the router, the requests and the responses.
//! The write endpoints are tested in `api_writes`, with the helpers here.

use crate::app::{Client, app, stp_round};
use crate::web_tests;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Creates a token on the account page of a demo account; returns the secret shown once.
pub(crate) async fn token_for(router: &Router, username: &str, name: &str) -> String {
    let mut c = Client::new(router.clone());
    c.login_demo(username).await;
    c.get("/account").await;
    let page = c.post("/account/tokens", &[("name", name)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let secret = page.text("#new-api-token");
    assert!(
        secret.starts_with("chiso_") && secret.len() == 6 + 64,
        "{secret}"
    );
    secret
}

/// A request without cookies, with the token if given; (status, JSON body).
async fn call(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, Value) {
    send(router, method, path, token, None).await
}

/// A request without cookies, with the token and a JSON body if given; (status, JSON body).
pub(crate) async fn send(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = router
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("{path}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, body)
}

async fn get(router: &Router, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    call(router, Method::GET, path, token).await
}

pub(crate) fn error_code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
}

/// Follows `$ref`s within the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            resolve(
                doc,
                doc.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling {r}")),
            )
        }
        None => schema,
    }
}

/// Checks a value against the documented schema: types, required fields, and no undocumented
/// fields on objects (so the document and the handlers cannot drift apart silently).
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        // One of the documented shapes must fit (a branch that does not fit panics).
        let fits = branches.iter().any(|b| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(doc, b, value, at)))
                .is_ok()
        });
        assert!(fits, "{at}: fits none of the documented shapes");
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut documented = Vec::new();
        for p in parts {
            let p = resolve(doc, p);
            check_shape(doc, p, value, at, false);
            if let Some(props) = p.get("properties").and_then(Value::as_object) {
                documented.extend(props.keys().cloned());
            }
        }
        for key in value.as_object().unwrap().keys() {
            assert!(
                documented.contains(key),
                "{at}: field {key} is not documented"
            );
        }
        return;
    }
    check_shape(doc, schema, value, at, true);
}

fn check_shape(doc: &Value, schema: &Value, value: &Value, at: &str, closed: bool) {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.is_empty() {
        assert!(
            types.contains(&kind),
            "{at}: {kind} where the document says {types:?}"
        );
    }
    if let (Some(Value::String(p)), Value::String(s)) = (schema.get("pattern"), value) {
        // The decimal pattern only: digits, an optional point and digits.
        assert_eq!(p, r"^-?[0-9]+(\.[0-9]+)?$");
        let digits = s.trim_start_matches('-');
        assert!(
            !digits.is_empty()
                && digits.split('.').count() <= 2
                && digits
                    .split('.')
                    .all(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())),
            "{at}: {s} is not a decimal string"
        );
    }
    if let (Some(Value::String(f)), Value::String(s)) = (schema.get("format"), value)
        && f == "date"
    {
        assert!(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            "{at}: {s} is not an ISO date"
        );
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for r in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap();
                assert!(map.contains_key(r), "{at}: required field {r} missing");
            }
            for (k, v) in map {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => check(doc, s, v, &format!("{at}.{k}")),
                    None => {
                        if let Some(extra) = schema.get("additionalProperties") {
                            assert_ne!(
                                extra,
                                &Value::Bool(false),
                                "{at}: field {k} is not allowed"
                            );
                            check(doc, extra, v, &format!("{at}.{k}"));
                        } else {
                            assert!(!closed, "{at}: field {k} is not documented");
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check(doc, s, v, &format!("{at}[{i}]"));
                }
            }
        }
        _ => {}
    }
}

/// Checks a 200 response against the schema documented for the route.
fn check_response(doc: &Value, route: &str, body: &Value) {
    check_answer(doc, Method::GET, route, StatusCode::OK, body);
}

/// Checks a response against the schema documented for the route, method and status.
pub(crate) fn check_answer(
    doc: &Value,
    method: Method,
    route: &str,
    status: StatusCode,
    body: &Value,
) {
    let m = method.as_str().to_lowercase();
    let response = resolve(doc, &doc["paths"][route][&m]["responses"][status.as_str()]);
    let schema = &response["content"]["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {route} has no documented {status} response"
    );
    check(doc, schema, body, &format!("{method} {route} {status}"));
}

/// Checks a request body against the schema documented for the route and method.
pub(crate) fn check_request(doc: &Value, method: Method, route: &str, body: &Value) {
    let m = method.as_str().to_lowercase();
    let schema = &doc["paths"][route][&m]["requestBody"]["content"]["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {route} has no documented request body"
    );
    check(doc, schema, body, &format!("{method} {route} request"));
}

/// The OpenAPI document as served.
pub(crate) async fn document(router: &Router) -> Value {
    send(router, Method::GET, "/api/openapi.json", None, None)
        .await
        .1
}

/// Sends a documented write: the body is checked against the documented request schema and
/// the answer against the documented response of its status. Gives (status, body).
pub(crate) async fn write(
    router: &Router,
    doc: &Value,
    method: Method,
    route: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    check_request(doc, method.clone(), route, &body);
    let (status, answer) = send(router, method.clone(), path, Some(token), Some(&body)).await;
    check_answer(doc, method, route, status, &answer);
    (status, answer)
}

web_tests! {
    async fn a_token_reads_the_api_without_a_session(db) {
        let router = app(db.store.clone());
        let (round, stp) = stp_round(&db.store, 10).await;
        crate::surveys::open_campaign(&db.store, round, stp, &["api-test"], false).await;
        {
            use chiso_store::plans::{Goal, NewTask, PlanMeta};
            let meta = PlanMeta { unit: chiso_core::ids::UnitId(stp), year: 2026, title: "Kế hoạch".into(), number: String::new(), decision_date: None, issuer: String::new() };
            let goal = Goal { field_code: "2".into(), field_name: "Thể chế".into(), baseline_max: chiso_core::framework::Points::parse("10"), ..Default::default() };
            let task = NewTask {
                text: "Rà soát".into(), field_code: "2".into(), node_codes: vec![], lead_unit: Some(chiso_core::ids::UnitId(stp)), cooperators: vec![],
                deadline: chiso_core::plan::Deadline::Half { year: 2026, half: 2 }, output: String::new(), expected_points: None,
            };
            db.store.create_plan(&meta, "manual", None, &[goal], &[], &[task], None, &chiso_store::audit::By::system("t"), chrono::Utc::now()).await.unwrap();
        }
        let token = token_for(&router, "lan.noivu", "Báo cáo tuần").await;
        let (_, doc) = get(&router, "/api/openapi.json", None).await;

        let (status, units) = get(&router, "/api/v1/units", Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{units}");
        check_response(&doc, "/api/v1/units", &units);
        let stp_json = units.as_array().unwrap().iter().find(|u| u["code"] == "STP").unwrap();
        assert_eq!(stp_json["id"], stp);

        let (status, unit) = get(&router, &format!("/api/v1/units/{stp}"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        check_response(&doc, "/api/v1/units/{id}", &unit);

        let (_, frameworks) = get(&router, "/api/v1/frameworks", Some(&token)).await;
        check_response(&doc, "/api/v1/frameworks", &frameworks);
        let fid = frameworks[0]["id"].as_i64().unwrap();
        let (status, tree) = get(&router, &format!("/api/v1/frameworks/{fid}"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        check_response(&doc, "/api/v1/frameworks/{id}", &tree);
        assert!(!tree["fields"].as_array().unwrap().is_empty());

        let (_, rounds) = get(&router, "/api/v1/rounds", Some(&token)).await;
        check_response(&doc, "/api/v1/rounds", &rounds);
        let (_, r) = get(&router, &format!("/api/v1/rounds/{round}"), Some(&token)).await;
        check_response(&doc, "/api/v1/rounds/{id}", &r);
        assert_eq!(r["phase"], "self_assessment");
        assert_eq!(r["unit_states"][0]["unit_id"], stp);

        let (status, results) = get(&router, &format!("/api/v1/rounds/{round}/results"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{results}");
        check_response(&doc, "/api/v1/rounds/{id}/results", &results);
        assert_eq!(results["units"][0]["unit_id"], stp);
        assert_eq!(results["units"][0]["rank"], 1);
        assert_eq!(results["provisional"], true);

        let (_, plans) = get(&router, "/api/v1/plans", Some(&token)).await;
        check_response(&doc, "/api/v1/plans", &plans);
        {
            let p = &plans[0];
            let (_, plan) = get(&router, &format!("/api/v1/plans/{}", p["id"]), Some(&token)).await;
            check_response(&doc, "/api/v1/plans/{id}", &plan);
            assert_eq!(plan["tasks"][0]["due_on"], "2026-12-31");
            assert_eq!(plan["goals"][0]["baseline_max"], "10");
        }
        let (_, campaigns) = get(&router, "/api/v1/surveys/campaigns", Some(&token)).await;
        check_response(&doc, "/api/v1/surveys/campaigns", &campaigns);
        {
            let c = &campaigns[0];
            let (_, campaign) = get(&router, &format!("/api/v1/surveys/campaigns/{}", c["id"]), Some(&token)).await;
            check_response(&doc, "/api/v1/surveys/campaigns/{id}", &campaign);
            assert_eq!(campaign["status"], "open");
        }

        // Errors are JSON with a code.
        let (status, body) = get(&router, "/api/v1/units/999999", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));
        let (status, body) = get(&router, "/api/v1/units/abc", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));
        let (status, body) = get(&router, "/api/v1/nothing", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));

        // The account page lists the token with its last use.
        let mut c = Client::new(router.clone());
        c.login_demo("lan.noivu").await;
        let page = c.get("/account").await;
        assert_eq!(page.texts("#api-token-list tbody tr td:first-child"), ["Báo cáo tuần"]);
        assert!(!page.body.contains(&token), "the secret is shown only once");
    }

    async fn missing_wrong_and_revoked_tokens_get_401(db) {
        let router = app(db.store.clone());
        let (status, body) = get(&router, "/api/v1/units", None).await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
        let wrong = format!("chiso_{}", "0".repeat(64));
        let (status, body) = get(&router, "/api/v1/units", Some(&wrong)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));

        let token = token_for(&router, "lan.noivu", "Tạm").await;
        assert_eq!(get(&router, "/api/v1/units", Some(&token)).await.0, StatusCode::OK);
        // A token is not a session: pages ignore it.
        let page = router.clone().oneshot(
            Request::get("/units").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
        ).await.unwrap();
        assert_eq!(page.status(), StatusCode::SEE_OTHER);

        let mut c = Client::new(router.clone());
        c.login_demo("lan.noivu").await;
        let page = c.get("/account").await;
        let id = page.html()
            .select(&scraper::Selector::parse("#api-token-list tbody tr").unwrap())
            .next().unwrap().value().attr("data-token-id").unwrap().to_string();
        let r = c.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (status, body) = get(&router, "/api/v1/units", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
        assert_eq!(c.get("/account").await.texts("#api-token-list tbody tr td:last-child"), ["Đã thu hồi"]);

        // An empty name is refused beside the field.
        let r = c.post("/account/tokens", &[("name", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.count("#api-token-error"), 1);
    }

    async fn a_focal_points_token_has_only_its_permissions(db) {
        let router = app(db.store.clone());
        let token = token_for(&router, "minh.tuphap", "Minh").await;
        let (status, body) = get(&router, "/api/v1/units", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        let (status, body) = get(&router, "/api/v1/surveys/campaigns", Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        // Its own unit is allowed, another is not.
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0;
        assert_eq!(get(&router, &format!("/api/v1/units/{stp}"), Some(&token)).await.0, StatusCode::OK);
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id.0;
        assert_eq!(get(&router, &format!("/api/v1/units/{snv}"), Some(&token)).await.0, StatusCode::FORBIDDEN);
    }

    async fn unsafe_methods_with_a_token_need_no_csrf_token(db) {
        let router = app(db.store.clone());
        let token = token_for(&router, "lan.noivu", "Ghi").await;
        // The request passes the CSRF check and meets the handler (a body that is not JSON: 400),
        // not 403.
        let res = router.clone().oneshot(
            Request::post("/api/v1/units").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
        ).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }

    async fn the_openapi_document_matches_the_router(db) {
        let router = app(db.store.clone());
        let (status, doc) = get(&router, "/api/openapi.json", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object().unwrap()
            .iter()
            .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
            .collect();
        let mut routed: Vec<(String, String)> = chiso_web::api::routes()
            .into_iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        documented.sort();
        routed.sort();
        assert_eq!(documented, routed, "the OpenAPI paths and the API router differ");
        for (method, path) in &routed {
            let op = &doc["paths"][path][method.to_lowercase()];
            for name in path.split('{').skip(1).map(|s| s.split('}').next().unwrap()) {
                assert!(
                    op["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == name && p["in"] == "path"),
                    "{method} {path}: path parameter {name} is not documented"
                );
            }
            assert!(op["responses"]["401"].is_object(), "{method} {path}: 401 not documented");
            // Every documented response has a schema that resolves: JSON, or a document's
            // bytes.
            for (status, response) in op["responses"].as_object().unwrap() {
                let content = &resolve(&doc, response)["content"];
                let schema = if content["application/octet-stream"].is_object() {
                    &content["application/octet-stream"]["schema"]
                } else {
                    &content["application/json"]["schema"]
                };
                assert!(!schema.is_null(), "{method} {path} {status}: no schema");
                resolve(&doc, schema);
            }
            // Writes document their body (JSON, or a multipart upload) and its refusal; a
            // removal has no body.
            if method != "GET" && method != "DELETE" {
                let content = &op["requestBody"]["content"];
                let schema = if content["multipart/form-data"].is_object() {
                    &content["multipart/form-data"]["schema"]
                } else {
                    &content["application/json"]["schema"]
                };
                assert!(op["requestBody"]["required"] == true && !schema.is_null(), "{method} {path}: no request body");
                assert_eq!(resolve(&doc, schema)["type"], "object", "{method} {path}");
                assert!(op["responses"]["422"].is_object(), "{method} {path}: 422 not documented");
            }
            // Every route exists (with no token: 401, never 404 or 405).
            let concrete = path
                .split('/')
                .map(|s| if s.starts_with('{') { "1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let (status, _) = call(&router, method.parse().unwrap(), &concrete, None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {concrete}");
        }
    }
}
