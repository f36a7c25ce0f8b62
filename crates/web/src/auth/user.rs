//! The signed-in account of a request, and the page context every template needs.

use crate::error::WebError;
use crate::i18n::{self, Texts};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chiso_core::lang::Lang;
use chiso_core::policy::{self, Action, Target};
use chiso_store::accounts::Account;
use chiso_store::audit::By;
use std::sync::Arc;

/// A live session and its account, loaded once per request by the session middleware.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub account: Account,
    pub token_hash: String,
    /// Empty for requests authenticated by an API token (they carry no ambient credential).
    pub csrf: String,
    /// The API token the request was authenticated by, instead of a session cookie.
    pub api_token: Option<i64>,
}

/// The signed-in account. Extracting it from a request without a session answers with a
/// redirect to the login page.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Arc<SessionUser>);

impl CurrentUser {
    /// The account.
    pub fn account(&self) -> &Account {
        &self.0.account
    }

    /// Refuses with 403 unless the policy allows the action.
    pub fn require(&self, action: Action, target: Target<'_>) -> Result<(), WebError> {
        policy::decide(&self.0.account.actor(), action, target).map_err(WebError::Forbidden)
    }

    /// Whether the policy allows the action (for showing or hiding links).
    pub fn can(&self, action: Action, target: Target<'_>) -> bool {
        policy::allows(&self.0.account.actor(), action, target)
    }

    /// The audit identity.
    pub fn by(&self) -> By {
        self.0.account.by()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestInfo>()
            .and_then(|info| info.user.clone())
            .map(CurrentUser)
            .ok_or(WebError::Unauthenticated)
    }
}

/// A one-shot notice carried in a cookie to the page after a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    Saved,
    PasswordChanged,
    LoggedOut,
    Imported,
    FrameworkImported,
}

impl Flash {
    /// The cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Flash::Saved => "saved",
            Flash::PasswordChanged => "password",
            Flash::LoggedOut => "logout",
            Flash::Imported => "imported",
            Flash::FrameworkImported => "framework",
        }
    }

    /// Every notice.
    pub const ALL: [Flash; 5] = [
        Flash::Saved,
        Flash::PasswordChanged,
        Flash::LoggedOut,
        Flash::Imported,
        Flash::FrameworkImported,
    ];

    /// Parses a cookie value.
    pub fn from_code(code: &str) -> Option<Flash> {
        Flash::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The sentence shown.
    pub fn text(self, t: &Texts) -> &'static str {
        match self {
            Flash::Saved => t.flash_saved,
            Flash::PasswordChanged => t.flash_password_changed,
            Flash::LoggedOut => t.flash_logged_out,
            Flash::Imported => t.flash_imported,
            Flash::FrameworkImported => t.flash_framework_imported,
        }
    }
}

/// What the session middleware learned about a request.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub lang: Lang,
    pub user: Option<Arc<SessionUser>>,
    pub path: String,
    pub flash: Option<Flash>,
    pub htmx: bool,
}

/// A navigation entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
    /// Sections announced in the menu but not built yet are shown without a link.
    pub ready: bool,
}

/// Everything the base layout needs: language, texts, user, CSRF token, menu, notice.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub t: &'static Texts,
    pub user: Option<Arc<SessionUser>>,
    pub csrf: String,
    pub path: String,
    pub flash: Option<&'static str>,
    pub htmx: bool,
}

impl Ctx {
    /// Builds the context from what the middleware stored.
    pub fn from_info(info: &RequestInfo) -> Ctx {
        let t = i18n::texts(info.lang);
        Ctx {
            lang: info.lang,
            t,
            user: info.user.clone(),
            csrf: info
                .user
                .as_ref()
                .map(|u| u.csrf.clone())
                .unwrap_or_default(),
            path: info.path.clone(),
            flash: info.flash.map(|f| f.text(t)),
            htmx: info.htmx,
        }
    }

    /// The other language, for the switch link.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// The label of the other language.
    pub fn other_lang_label(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "English",
            Lang::En => "Tiếng Việt",
        }
    }

    /// The menu for this account: what it may use, plus the sections still to come.
    pub fn nav(&self) -> Vec<NavItem> {
        let t = self.t;
        let Some(user) = &self.user else {
            return Vec::new();
        };
        let actor = user.account.actor();
        let can = |a: Action| policy::allows(&actor, a, Target::Province);
        let own_unit = Target::Unit(user.account.unit);
        let mut items = vec![("/", t.nav_dashboard, true)];
        if can(Action::ManageUnits) || can(Action::ViewUnit) {
            items.push(("/units", t.nav_units, true));
        }
        if can(Action::ManageAccounts) {
            items.push(("/accounts", t.nav_accounts, true));
        }
        if can(Action::ManageFrameworks) || can(Action::ViewResults) {
            items.push(("/frameworks", t.nav_frameworks, true));
        }
        if can(Action::ManageRounds)
            || policy::allows(&actor, Action::EnterSelfAssessment, own_unit)
            || policy::allows(&actor, Action::ApproveSelfAssessment, own_unit)
            || user.account.roles.iter().any(|r| {
                matches!(
                    r,
                    chiso_core::roles::Role::Appraiser | chiso_core::roles::Role::CouncilChair
                )
            })
        {
            items.push(("/rounds", t.nav_rounds, true));
        }
        if can(Action::ViewResults) {
            items.push(("/results", t.nav_results, true));
        }
        if can(Action::ManagePlans) || policy::allows(&actor, Action::ReportTaskProgress, own_unit)
        {
            items.push(("/plans", t.nav_plans, true));
        }
        if can(Action::ManageSurveys) || can(Action::EnterSurveyResponses) {
            items.push(("/surveys", t.nav_surveys, true));
        }
        if can(Action::ViewAuditLog) {
            items.push(("/audit", t.nav_audit, true));
        }
        items
            .into_iter()
            .map(|(href, label, ready)| NavItem {
                href,
                label,
                ready,
                active: if href == "/" {
                    self.path == "/"
                } else {
                    self.path.starts_with(href)
                },
            })
            .collect()
    }

    /// Formats a whole number.
    pub fn int(&self, value: &i64) -> String {
        chiso_core::format::integer(*value, self.lang)
    }

    /// Formats a date.
    pub fn date(&self, value: &chrono::NaiveDate) -> String {
        chiso_core::format::date(*value)
    }

    /// Formats a moment in Vietnam's time zone (UTC+7, no daylight saving).
    pub fn time(&self, value: &chrono::DateTime<chrono::Utc>) -> String {
        let local = chiso_core::format::vietnam_time(*value);
        chiso_core::format::date_time(local)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<RequestInfo>()
            .ok_or_else(|| WebError::Internal("request context missing".into()))?;
        Ok(Ctx::from_info(info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_survives_its_cookie() {
        for f in Flash::ALL {
            // The match in `code` is exhaustive; a variant left out of ALL fails here.
            assert_eq!(Flash::from_code(f.code()), Some(f));
        }
        let codes: std::collections::HashSet<&str> = Flash::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(codes.len(), Flash::ALL.len());
    }
}
