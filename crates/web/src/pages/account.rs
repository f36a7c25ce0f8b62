//! The signed-in person's own account: details, password change and API tokens.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::password::{hash_async, verify_async};
use crate::auth::session::{new_api_token, token_hash};
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::{FieldErrors, redirect_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chiso_core::password::{PasswordProblem, check_new};
use chrono::Utc;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    ctx: Ctx,
    username: String,
    full_name: String,
    title: String,
    email: String,
    unit_name: String,
    roles: Vec<&'static str>,
    fields: String,
    last_login: String,
    tokens: Vec<TokenRow>,
    /// A token secret just created, shown this once.
    new_token: Option<String>,
    token_error: Option<&'static str>,
}

/// An API token as listed on the account page.
pub struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

async fn account_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    new_token: Option<String>,
    token_error: Option<&'static str>,
) -> Result<AccountPage, WebError> {
    let a = user.account();
    let unit = state.store.unit(a.unit).await?;
    let tokens = state
        .store
        .api_tokens(a.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: ctx.time(&t.created_at),
            last_used: t
                .last_used_at
                .map(|u| ctx.time(&u))
                .unwrap_or_else(|| ctx.t.api_token_never_used.to_string()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(AccountPage {
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        title: a.title.clone(),
        email: a.email.clone().unwrap_or_default(),
        unit_name: unit.name,
        roles: a.roles.iter().map(|r| r.label(ctx.lang)).collect(),
        fields: if a.fields.is_empty() {
            ctx.t.all_fields.to_string()
        } else {
            a.fields.join(", ")
        },
        last_login: a.last_login_at.map(|t| ctx.time(&t)).unwrap_or_default(),
        tokens,
        new_token,
        token_error,
        ctx,
    })
}

/// The account page.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<AccountPage, WebError> {
    account_page(&state, ctx, &user, None, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Creates an API token for the signed-in account and shows its secret once. Only a browser
/// session may do this: a token cannot mint further tokens.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let name = chiso_core::text::clean(&form.name);
    if name.is_empty() || name.chars().count() > 100 {
        let t = ctx.t;
        let page = account_page(&state, ctx, &user, None, Some(t.api_token_name_required)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let secret = new_api_token();
    state
        .store
        .create_api_token(
            user.account().id,
            &name,
            &token_hash(&secret),
            &user.by(),
            Utc::now(),
        )
        .await?;
    let page = account_page(&state, ctx, &user, Some(secret), None).await?;
    // The secret must not linger in caches.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// Revokes one of the signed-in account's API tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    state
        .store
        .revoke_api_token(user.account().id, id, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        "/account",
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub struct PasswordPage {
    ctx: Ctx,
    forced: bool,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

/// The password change form.
pub async fn password_form(ctx: Ctx, user: CurrentUser) -> PasswordPage {
    PasswordPage {
        forced: user.account().must_change_password,
        ctx,
        errors: FieldErrors::default(),
    }
}

/// Changes the password; other sessions of the account are signed out.
pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let a = user.account();
    let mut errors = FieldErrors::default();
    let hash = state.store.password_hash(a.id).await?;
    if !verify_async(form.current.clone(), Some(hash), state.config.password).await {
        errors.push("current", ctx.t.password_current_wrong);
    }
    match check_new(&a.username, &form.new, &form.repeat) {
        Ok(()) if form.new == form.current => {
            errors.push("new", PasswordProblem::SameAsOld.message(ctx.lang));
        }
        Ok(()) => {}
        Err(p @ PasswordProblem::Mismatch) => errors.push("repeat", p.message(ctx.lang)),
        Err(p) => errors.push("new", p.message(ctx.lang)),
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            forced: a.must_change_password,
            ctx,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let new_hash = hash_async(form.new, state.config.password).await;
    state
        .store
        .set_password(
            a.id,
            &new_hash,
            false,
            Some(&user.0.token_hash),
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        "/",
        Flash::PasswordChanged,
        state.config.secure_cookies(),
    ))
}
