//! Request plumbing around every handler: the session and language, CSRF and cross-origin
//! checks, the forced password change, security headers, and error pages.

use crate::AppState;
use crate::auth::session::{
    FLASH_COOKIE, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, expired_cookie, read_cookie,
    same_secret, token_hash,
};
use crate::auth::user::{Ctx, Flash, RequestInfo, SessionUser};
use crate::error::{ErrorMarker, WebError};
use crate::pages::ErrorPage;
use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chiso_core::lang::Lang;
use chrono::Utc;
use std::net::SocketAddr;
use std::sync::Arc;

/// Paths an account that must change its password may still use.
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 4] =
    ["/account/password", "/logout", "/lang/", "/healthz"];

/// The client address, as seen directly or through a trusted proxy.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// Loads the session, checks CSRF, and renders errors. See the module docs.
pub async fn session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/static/") || path == "/healthz" {
        return next.run(req).await;
    }
    let now = Utc::now();
    let headers = req.headers().clone();
    let lang = read_cookie(&headers, LANG_COOKIE)
        .and_then(Lang::from_tag)
        .unwrap_or_default();
    let htmx = headers.contains_key("hx-request");
    let flash = read_cookie(&headers, FLASH_COOKIE).and_then(Flash::from_code);
    let ip = client_ip(&req, state.config.trust_proxy);
    let mut info = RequestInfo {
        lang,
        user: None,
        path: path.clone(),
        flash,
        htmx,
    };

    let loaded = if path.starts_with("/api/") && headers.contains_key(header::AUTHORIZATION) {
        load_token_user(&state, &headers, now).await.map(Some)
    } else {
        load_user(&state, &headers, now).await
    };
    match loaded {
        Ok(user) => info.user = user,
        Err(e) => return render_error(e, &info, &headers),
    }

    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        if let Err(e) = check_origin(&state, &headers) {
            return render_error(e, &info, &headers);
        }
        let expected = match &info.user {
            // A bearer token is sent deliberately by the client, never by a browser on its own,
            // so such requests need no CSRF token.
            Some(u) if u.api_token.is_some() => None,
            Some(u) => Some(u.csrf.clone()),
            // Before sign-in only the login form posts; it uses a double-submit cookie.
            None if path == "/login" => Some(
                read_cookie(&headers, LOGIN_CSRF_COOKIE)
                    .unwrap_or("")
                    .to_string(),
            ),
            None => None,
        };
        if let Some(expected) = expected {
            let (rebuilt, presented) =
                match presented_token(req, state.config.max_upload_bytes).await {
                    Ok(x) => x,
                    Err(e) => return render_error(e, &info, &headers),
                };
            req = rebuilt;
            if expected.is_empty()
                || !presented
                    .as_deref()
                    .is_some_and(|p| same_secret(p, &expected))
            {
                return render_error(WebError::Csrf, &info, &headers);
            }
        }
    }

    if let Some(user) = &info.user
        && user.account.must_change_password
        && !ALLOWED_BEFORE_PASSWORD_CHANGE
            .iter()
            .any(|p| path.starts_with(p))
    {
        return render_error(WebError::MustChangePassword, &info, &headers);
    }

    req.extensions_mut().insert(info.clone());
    req.extensions_mut().insert(ClientIp(ip));
    let mut response = next.run(req).await;

    if let Some(marker) = response.extensions().get::<ErrorMarker>().cloned() {
        response = render_error_arc(&marker.0, &info, &headers);
    }
    if flash.is_some() && !sets_cookie(response.headers(), FLASH_COOKIE) {
        append_cookie(
            &mut response,
            &expired_cookie(FLASH_COOKIE, state.config.secure_cookies()),
        );
    }
    response
}

async fn load_user(
    state: &AppState,
    headers: &HeaderMap,
    now: chrono::DateTime<Utc>,
) -> Result<Option<Arc<SessionUser>>, WebError> {
    let Some(token) = read_cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let Some(session) = state.store.live_session(&hash, now).await? else {
        return Ok(None);
    };
    let account = state.store.account(session.account).await?;
    // Sliding expiry, written at most every five minutes rather than on every request.
    if now - session.last_seen_at > chrono::Duration::minutes(5) {
        state
            .store
            .extend_session(&hash, now, now + state.config.session_idle)
            .await?;
    }
    Ok(Some(Arc::new(SessionUser {
        account,
        token_hash: hash,
        csrf: session.csrf_token,
        api_token: None,
    })))
}

/// The account of an API request sent with `Authorization: Bearer chiso_…`. The session cookie,
/// if any, is ignored; a missing, unknown or revoked token, or one of a deactivated account, is
/// refused with 401.
async fn load_token_user(
    state: &AppState,
    headers: &HeaderMap,
    now: chrono::DateTime<Utc>,
) -> Result<Arc<SessionUser>, WebError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with(crate::auth::session::API_TOKEN_PREFIX))
        .ok_or(WebError::Unauthenticated)?;
    let hash = token_hash(secret);
    let token = state
        .store
        .live_api_token(&hash, now)
        .await?
        .ok_or(WebError::Unauthenticated)?;
    let account = state.store.account(token.account).await?;
    if !account.active {
        return Err(WebError::Unauthenticated);
    }
    Ok(Arc::new(SessionUser {
        account,
        token_hash: hash,
        csrf: String::new(),
        api_token: Some(token.id),
    }))
}

fn client_ip(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return forwarded.trim().to_string();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Refuses requests a browser marks cross-site, and those whose `Origin` is another site.
fn check_origin(state: &AppState, headers: &HeaderMap) -> Result<(), WebError> {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(WebError::Csrf);
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    if origin == "null" {
        return Err(WebError::Csrf);
    }
    let expected = match state.config.origin() {
        Some(o) => o,
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
            return if origin_host == host {
                Ok(())
            } else {
                Err(WebError::Csrf)
            };
        }
    };
    if origin == expected {
        Ok(())
    } else {
        Err(WebError::Csrf)
    }
}

/// The CSRF token a request presents: the `X-CSRF-Token` header (htmx), a `_csrf` form field,
/// or `_csrf` in the query (file uploads). The body is read and put back.
async fn presented_token(
    req: Request,
    limit: usize,
) -> Result<(Request, Option<String>), WebError> {
    if let Some(v) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let v = v.to_string();
        return Ok((req, Some(v)));
    }
    if let Some(q) = req.uri().query()
        && let Some((_, v)) = serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap_or_default()
            .into_iter()
            .find(|(k, _)| k == "_csrf")
    {
        return Ok((req, Some(v)));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| WebError::BadRequest("request body too large".into()))?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

fn render_error(e: WebError, info: &RequestInfo, headers: &HeaderMap) -> Response {
    render_error_arc(&Arc::new(e), info, headers)
}

fn render_error_arc(e: &Arc<WebError>, info: &RequestInfo, headers: &HeaderMap) -> Response {
    let redirect_to = match e.as_ref() {
        WebError::Unauthenticated if !info.path.starts_with("/api/") => {
            let next = if info.path == "/" || info.path == "/login" {
                String::new()
            } else {
                format!("?next={}", urlencode(&info.path))
            };
            Some(format!("/login{next}"))
        }
        WebError::MustChangePassword if !info.path.starts_with("/api/") => {
            Some("/account/password".to_string())
        }
        _ => None,
    };
    if let Some(to) = redirect_to {
        if info.htmx || headers.contains_key("hx-request") {
            let mut r = StatusCode::OK.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert("hx-redirect", v);
            }
            return r;
        }
        return Redirect::to(&to).into_response();
    }
    if info.path.starts_with("/api/") {
        return e.json(info.lang);
    }
    let (title, message) = e.explain(info.lang);
    let page = ErrorPage {
        ctx: Ctx::from_info(info),
        title,
        message: message.clone(),
        status: e.status().as_u16(),
    };
    match page.render() {
        Ok(html) => (e.status(), Html(html)).into_response(),
        Err(_) => (e.status(), message).into_response(),
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{name}="))))
}

/// Adds a `Set-Cookie` header to a response.
pub fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Headers that make the browser refuse inline scripts, framing and type sniffing.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    if state.config.secure_cookies() {
        set(h, "strict-transport-security", "max-age=31536000");
    }
    response
}
