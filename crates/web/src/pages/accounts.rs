//! Account administration: list, create (with a one-time password), edit, reset password.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::password::hash_async;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::{FieldErrors, parse_field_codes, redirect_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::ids::{AccountId, UnitId};
use chiso_core::policy::{Action, Target};
use chiso_core::roles::Role;
use chiso_core::text::{clean, collation_key};
use chiso_core::units::Unit;
use chiso_store::StoreError;
use chiso_store::accounts::{
    Account, AccountDetails, AccountFilter, NewAccount, normalize_username,
};
use chrono::Utc;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// An account as a table row.
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub unit: String,
    pub roles: String,
    pub active: bool,
    pub must_change: bool,
    pub last_login: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    ctx: Ctx,
    rows: Vec<AccountRow>,
    q: String,
    role: String,
    roles: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
}

/// The account list.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<AccountsPage, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let role = q.role.as_deref().and_then(Role::from_code);
    let accounts = state
        .store
        .find_accounts(&AccountFilter {
            query: q.q.clone(),
            role,
            unit: None,
        })
        .await?;
    let units: HashMap<UnitId, Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let rows = accounts
        .into_iter()
        .map(|a| AccountRow {
            id: a.id.0,
            unit: units
                .get(&a.unit)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            roles: chiso_core::roles::labels(&a.roles, ctx.lang),
            active: a.active,
            must_change: a.must_change_password,
            last_login: a.last_login_at.map(|t| ctx.time(&t)).unwrap_or_default(),
            username: a.username,
            full_name: a.full_name,
        })
        .collect();
    Ok(AccountsPage {
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), r.label(ctx.lang)))
            .collect(),
        rows,
        q: q.q.unwrap_or_default(),
        role: role.map(|r| r.code().to_string()).unwrap_or_default(),
        ctx,
    })
}

/// The account form's values, as typed.
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    pub username: String,
    pub full_name: String,
    pub title: String,
    pub email: String,
    pub unit_id: String,
    pub roles: BTreeSet<String>,
    pub fields: String,
    pub active: bool,
}

impl AccountForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> AccountForm {
        let mut f = AccountForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "username" => f.username = v,
                "full_name" => f.full_name = v,
                "title" => f.title = v,
                "email" => f.email = v,
                "unit_id" => f.unit_id = v,
                "roles" => {
                    f.roles.insert(v);
                }
                "fields" => f.fields = v,
                "active" => f.active = true,
                _ => {}
            }
        }
        f
    }

    fn from_account(a: &Account) -> AccountForm {
        AccountForm {
            username: a.username.clone(),
            full_name: a.full_name.clone(),
            title: a.title.clone(),
            email: a.email.clone().unwrap_or_default(),
            unit_id: a.unit.to_string(),
            roles: a.roles.iter().map(|r| r.code().to_string()).collect(),
            fields: a.fields.join(", "),
            active: a.active,
        }
    }

    /// Whether a role box is ticked.
    pub fn has_role(&self, code: &&str) -> bool {
        self.roles.contains(*code)
    }

    /// Whether a unit is the selected one.
    pub fn unit_selected(&self, id: &i64) -> bool {
        self.unit_id == id.to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account_form.html")]
pub struct AccountFormPage {
    ctx: Ctx,
    id: Option<i64>,
    /// Fields the account's unit leads ("2 Cải cách thể chế — Bộ chỉ số …").
    fields_led: Vec<String>,
    form: AccountForm,
    units: Vec<(i64, String)>,
    roles: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    id: Option<i64>,
    form: AccountForm,
    errors: FieldErrors,
) -> Result<AccountFormPage, WebError> {
    let today = chiso_core::format::vietnam_day(Utc::now());
    let mut units: Vec<Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .filter(|u| u.is_active_on(today))
        .collect();
    units.sort_by_cached_key(|u| (u.unit_type, collation_key(&u.name)));
    let fields_led = match form.unit_id.parse::<i64>() {
        Ok(unit) => state
            .store
            .fields_led_by(UnitId(unit))
            .await?
            .into_iter()
            .map(|(f, l)| {
                format!(
                    "{} {} — {} ({})",
                    l.field_code, l.field_name, f.name, f.year
                )
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(AccountFormPage {
        fields_led,
        units: units.into_iter().map(|u| (u.id.0, u.name)).collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), r.label(ctx.lang)))
            .collect(),
        ctx,
        id,
        form,
        errors,
    })
}

/// Validates the form into account details.
async fn check(
    state: &AppState,
    ctx: &Ctx,
    form: &AccountForm,
    creating: bool,
) -> Result<Result<AccountDetails, FieldErrors>, WebError> {
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    if creating {
        let u = normalize_username(&form.username);
        let ok = (3..=64).contains(&u.len())
            && u.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !ok {
            errors.push("username", t.username_invalid);
        }
    }
    let full_name = clean(&form.full_name);
    if full_name.is_empty() {
        errors.push("full_name", t.full_name_required);
    }
    let email = clean(&form.email);
    if !email.is_empty() && (!email.contains('@') || email.contains(' ')) {
        errors.push("email", t.email_invalid);
    }
    let unit = match form.unit_id.parse::<i64>() {
        Ok(id) => match state.store.unit(UnitId(id)).await {
            Ok(u) => Some(u.id),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    if unit.is_none() {
        errors.push("unit_id", t.unit_required);
    }
    let roles: BTreeSet<Role> = form
        .roles
        .iter()
        .filter_map(|c| Role::from_code(c))
        .collect();
    if roles.is_empty() {
        errors.push("roles", t.role_required);
    }
    match unit {
        Some(unit) if errors.is_empty() => Ok(Ok(AccountDetails {
            full_name,
            title: clean(&form.title),
            email: Some(email).filter(|e| !e.is_empty()),
            unit,
            roles,
            fields: parse_field_codes(&form.fields),
            active: form.active,
        })),
        _ => Ok(Err(errors)),
    }
}

/// The empty account form.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<AccountFormPage, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let form = AccountForm {
        active: true,
        ..AccountForm::default()
    };
    form_page(&state, ctx, None, form, FieldErrors::default()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "account_password_once.html")]
pub struct OneTimePasswordPage {
    ctx: Ctx,
    id: i64,
    username: String,
    full_name: String,
    password: String,
    created: bool,
}

/// A readable one-time password: three groups of four letters and digits, no look-alikes.
fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Creates an account with a one-time password, which must be changed at first sign-in.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let form = AccountForm::from_pairs(pairs);
    let details = match check(&state, &ctx, &form, true).await? {
        Ok(d) => d,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, None, form, errors).await?,
            )
                .into_response());
        }
    };
    let password = one_time_password();
    let new = NewAccount {
        username: normalize_username(&form.username),
        details,
        password_hash: hash_async(password.clone(), state.config.password).await,
        must_change_password: true,
        demo: false,
    };
    match state
        .store
        .create_account(&new, &user.by(), Utc::now())
        .await
    {
        Ok(id) => Ok(OneTimePasswordPage {
            ctx,
            id: id.0,
            username: new.username,
            full_name: new.details.full_name,
            password,
            created: true,
        }
        .into_response()),
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.push("username", ctx.t.username_taken);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, None, form, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The edit form of an account.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<AccountFormPage, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let account = state.store.account(AccountId(id)).await?;
    form_page(
        &state,
        ctx,
        Some(id),
        AccountForm::from_account(&account),
        FieldErrors::default(),
    )
    .await
}

/// Saves an edited account.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let account = state.store.account(AccountId(id)).await?;
    let mut form = AccountForm::from_pairs(pairs);
    form.username = account.username.clone();
    let mut details = match check(&state, &ctx, &form, false).await? {
        Ok(d) => d,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, Some(id), form, errors).await?,
            )
                .into_response());
        }
    };
    // An administrator cannot lock themselves out.
    if account.id == user.account().id && (!details.active || !details.roles.contains(&Role::Admin))
    {
        let mut errors = FieldErrors::default();
        errors.push("roles", ctx.t.cannot_lock_self_out);
        details.active = true;
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, ctx, Some(id), form, errors).await?,
        )
            .into_response());
    }
    state
        .store
        .update_account(account.id, &details, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        "/accounts",
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// Gives an account a new one-time password and signs it out everywhere.
pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<OneTimePasswordPage, WebError> {
    user.require(Action::ManageAccounts, Target::Province)?;
    let account = state.store.account(AccountId(id)).await?;
    let password = one_time_password();
    let hash = hash_async(password.clone(), state.config.password).await;
    state
        .store
        .set_password(account.id, &hash, true, None, &user.by(), Utc::now())
        .await?;
    Ok(OneTimePasswordPage {
        ctx,
        id,
        username: account.username,
        full_name: account.full_name,
        password,
        created: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_readable_and_long_enough() {
        let p = one_time_password();
        assert_eq!(p.len(), 14);
        assert_eq!(p.matches('-').count(), 2);
        assert!(chiso_core::password::check_new("", &p, &p).is_ok());
        assert_ne!(p, one_time_password());
    }
}
