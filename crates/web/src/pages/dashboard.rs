//! The first page after sign-in: where the province stands and what to do next.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chiso_core::policy::{Action, Target};
use chiso_core::units::UnitType;
use chiso_store::audit::Filter;
use chrono::Utc;

/// An open round the account's unit takes part in.
pub struct MyRound {
    pub href: String,
    pub name: String,
    pub phase: &'static str,
    pub state: &'static str,
    pub due: String,
}

/// One line of recent activity.
pub struct ActivityRow {
    pub when: String,
    pub actor: String,
    pub summary: String,
    pub action: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    ctx: Ctx,
    unit_name: String,
    roles: Vec<&'static str>,
    today: String,
    departments: String,
    communes: String,
    accounts: String,
    show_counts: bool,
    activity: Vec<ActivityRow>,
    can_manage: bool,
    my_rounds: Vec<MyRound>,
}

/// The dashboard.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<DashboardPage, WebError> {
    let account = user.account();
    let unit = state.store.unit(account.unit).await?;
    let now = Utc::now();
    let today = chiso_core::format::vietnam_day(now);
    let show_counts = user.can(Action::ViewResults, Target::Province)
        || user.can(Action::ManageUnits, Target::Province);
    let counts = if show_counts {
        state.store.count_units_by_type(today).await?
    } else {
        Default::default()
    };
    let count = |t: UnitType| ctx.int(counts.get(&t).unwrap_or(&0));
    let can_manage = user.can(Action::ManageAccounts, Target::Province);
    let accounts = if can_manage {
        ctx.int(&state.store.count_accounts().await?)
    } else {
        String::new()
    };
    let activity = if user.can(Action::ViewAuditLog, Target::Province) {
        state
            .store
            .audit_entries(&Filter {
                limit: 8,
                ..Filter::default()
            })
            .await?
            .into_iter()
            .map(|e| ActivityRow {
                when: ctx.time(&e.at),
                actor: e.actor,
                summary: e.summary,
                action: e.action,
            })
            .collect()
    } else {
        Vec::new()
    };
    let roles = account.roles.iter().map(|r| r.label(ctx.lang)).collect();
    // Rounds the account's own unit is in, not yet closed: where a focal point or leader works.
    let mut my_rounds = Vec::new();
    for r in state.store.list_rounds().await? {
        if r.phase == chiso_core::round::phase::Phase::Closed {
            continue;
        }
        if let Ok(ru) = state.store.round_unit(r.id, account.unit).await {
            my_rounds.push(MyRound {
                href: format!("/rounds/{}/units/{}", r.id, account.unit),
                name: r.name.clone(),
                phase: r.phase.label(ctx.lang),
                state: ru.state.label(ctx.lang),
                due: chiso_core::format::date(r.schedule.submission_due),
            });
        }
    }
    Ok(DashboardPage {
        my_rounds,
        departments: count(UnitType::Department),
        communes: count(UnitType::Commune),
        accounts,
        show_counts,
        today: ctx.date(&today),
        unit_name: unit.name,
        roles,
        activity,
        can_manage,
        ctx,
    })
}
