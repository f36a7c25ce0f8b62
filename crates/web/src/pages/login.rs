//! Signing in and out.

use crate::AppState;
use crate::auth::password::verify_async;
use crate::auth::session::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, cookie, expired_cookie, new_token, read_cookie, token_hash,
};
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::middleware::{ClientIp, append_cookie};
use crate::pages::{local_path, redirect_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chiso_core::throttle::{ThrottleDecision, ThrottlePolicy};
use chiso_store::accounts::normalize_username;
use chiso_store::audit::NewEntry;
use chiso_store::sessions::NewSession;
use chrono::Utc;
use serde::Deserialize;

/// A demo account as listed on the login page.
pub struct DemoLogin {
    pub username: &'static str,
    pub full_name: &'static str,
    pub title: &'static str,
    pub roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    ctx: Ctx,
    login_csrf: String,
    username: String,
    next: String,
    error: Option<String>,
    demo: Vec<DemoLogin>,
    demo_password: &'static str,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: Ctx,
    username: String,
    next: String,
    error: Option<String>,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let demo = if state
        .store
        .setting(chiso_store::settings::DEMO)
        .await?
        .is_some()
    {
        chiso_core::demo::accounts()
            .into_iter()
            .map(|a| DemoLogin {
                username: a.username,
                full_name: a.full_name,
                title: a.title,
                roles: chiso_core::roles::labels(a.roles, ctx.lang),
            })
            .collect()
    } else {
        Vec::new()
    };
    // Reuse the browser's login token when it has one, so two open tabs both work.
    let login_csrf = read_cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .map(str::to_string)
        .unwrap_or_else(new_token);
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let secure = state.config.secure_cookies();
    let mut r = (
        status,
        LoginPage {
            ctx,
            login_csrf: login_csrf.clone(),
            username,
            next,
            error,
            demo,
            demo_password: chiso_core::demo::PASSWORD,
        },
    )
        .into_response();
    append_cookie(
        &mut r,
        &cookie(LOGIN_CSRF_COOKIE, &login_csrf, secure, Some(3600)),
    );
    Ok(r)
}

/// The login form (or the dashboard, for someone already signed in).
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let next = local_path(q.next.as_deref()).unwrap_or_default();
    page(&state, ctx, String::new(), next, None, &headers).await
}

/// Checks the password, throttled, and opens a session.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let username = normalize_username(&form.username);
    let next = local_path(form.next.as_deref()).unwrap_or_default();
    let t = ctx.t;
    let policy = ThrottlePolicy::default();
    let failures = state
        .store
        .recent_login_failures(&username, &ip, policy.window_start(now))
        .await?;
    if let ThrottleDecision::LockedUntil(until) = policy.decide(&failures, now) {
        let msg = format!("{} {}.", t.login_locked, ctx.time(&until));
        return page(&state, ctx, username, next, Some(msg), &headers).await;
    }
    let found = state.store.account_for_login(&username).await?;
    let hash = found.as_ref().map(|(_, h)| h.clone());
    let ok = verify_async(form.password, hash, state.config.password).await;
    let account = match found {
        Some((a, _)) if ok && a.active => a,
        _ => {
            state
                .store
                .record_login_attempt(&username, &ip, now, false)
                .await?;
            return page(
                &state,
                ctx,
                username,
                next,
                Some(t.login_failed.to_string()),
                &headers,
            )
            .await;
        }
    };
    state
        .store
        .record_login_attempt(&username, &ip, now, true)
        .await?;
    let token = new_token();
    let hashed = token_hash(&token);
    let csrf = new_token();
    let user_agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>();
    state
        .store
        .create_session(&NewSession {
            token_hash: &hashed,
            account: account.id,
            csrf_token: &csrf,
            now,
            expires_at: now + state.config.session_idle,
            user_agent: &user_agent,
            ip: &ip,
        })
        .await?;
    state.store.touch_login(account.id, now).await?;
    state
        .store
        .record(
            NewEntry::new(
                now,
                &account.by(),
                "account.login",
                "account",
                account.id,
                account.username.clone(),
            )
            .after(&serde_json::json!({ "ip": ip })),
        )
        .await?;
    let to = if account.must_change_password {
        "/account/password".to_string()
    } else if next.is_empty() {
        "/".to_string()
    } else {
        next
    };
    let secure = state.config.secure_cookies();
    let mut r = Redirect::to(&to).into_response();
    // No Max-Age: the cookie ends with the browser; the server ends idle sessions.
    append_cookie(&mut r, &cookie(SESSION_COOKIE, &token, secure, None));
    append_cookie(&mut r, &expired_cookie(LOGIN_CSRF_COOKIE, secure));
    Ok(r)
}

/// Ends the session.
pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let secure = state.config.secure_cookies();
    if let Some(user) = &ctx.user {
        state.store.delete_session(&user.token_hash).await?;
        state
            .store
            .record(NewEntry::new(
                Utc::now(),
                &user.account.by(),
                "account.logout",
                "account",
                user.account.id,
                user.account.username.clone(),
            ))
            .await?;
    }
    let mut r = redirect_with("/login", Flash::LoggedOut, secure);
    append_cookie(&mut r, &expired_cookie(SESSION_COOKIE, secure));
    Ok(r)
}
