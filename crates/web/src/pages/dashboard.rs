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
    latest: Option<crate::pages::results::LatestResults>,
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
    // Open rounds where the account works: its own unit's, and the units whose fields the round
    // has it enter (a province's fields entered by lead departments, or named accounts).
    let mut my_rounds = Vec::new();
    let actor = account.actor();
    for r in state.store.list_rounds().await? {
        if r.phase == chiso_core::round::phase::Phase::Closed {
            continue;
        }
        let units = state.store.round_units(r.id).await?;
        let mut mine: Vec<(chiso_core::ids::UnitId, &'static str)> = units
            .iter()
            .filter(|u| u.unit == account.unit)
            .map(|u| (u.unit, u.state.label(ctx.lang)))
            .collect();
        if account.roles.contains(&chiso_core::roles::Role::FocalPoint) {
            let (_, framework) = state.store.framework(r.framework).await?;
            let leads =
                crate::pages::grid::field_leads(&state, r.framework, framework.unit_type).await?;
            let assignments = state.store.round_assignments(r.id).await?;
            let fields: Vec<&str> = framework.fields.iter().map(|f| f.code.as_str()).collect();
            let entered =
                assignments.units_entered_by(&actor, units.iter().map(|u| u.unit), &fields, &leads);
            mine.extend(
                units
                    .iter()
                    .filter(|u| entered.contains(&u.unit))
                    .map(|u| (u.unit, u.state.label(ctx.lang))),
            );
        }
        for (unit, state_label) in mine {
            let name = if unit == account.unit {
                r.name.clone()
            } else {
                format!("{} — {}", r.name, state.store.unit(unit).await?.name)
            };
            my_rounds.push(MyRound {
                href: format!("/rounds/{}/units/{}", r.id, unit),
                name,
                phase: r.phase.label(ctx.lang),
                state: state_label,
                due: chiso_core::format::date(r.schedule.submission_due),
            });
        }
    }
    let latest = if user.can(Action::ViewResults, Target::Province) {
        crate::pages::results::latest(&state, ctx.lang).await?
    } else {
        None
    };
    Ok(DashboardPage {
        latest,
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
