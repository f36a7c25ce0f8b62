//! Assignments of a round (phân công), for the administrator in November: who appraises each
//! field, and who enters each field of each unit. A field with nobody named keeps its default,
//! which the page spells out so nobody has to guess who works on what.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as value;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chiso_core::ids::{AccountId, UnitId};
use chiso_core::policy::{Action, Named, Target};
use chiso_core::roles::Role;
use chiso_store::accounts::{Account, AccountFilter};
use chiso_store::rounds::RoundId;
use chrono::Utc;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// An account offered in a field's form.
pub struct Choice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

/// One field's assignment: who is named, who works on it when nobody is.
pub struct FieldRow {
    pub code: String,
    pub name: String,
    /// The lead department, where it enters the field (a province framework).
    pub lead: String,
    pub named: Vec<String>,
    pub default: Vec<String>,
    pub choices: Vec<Choice>,
    /// Focal points not among the choices, to add one from anywhere.
    pub others: Vec<Choice>,
}

/// A named entry assignment, for the round-wide summary.
pub struct EntryRow {
    pub unit_id: i64,
    pub unit: String,
    pub field: String,
    pub accounts: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "round_assignments.html")]
pub struct AssignmentsPage {
    ctx: Ctx,
    id: i64,
    name: String,
    chairs: Vec<String>,
    appraisers: Vec<FieldRow>,
    units: Vec<(i64, String)>,
    unit_id: i64,
    unit_name: String,
    entry: Vec<FieldRow>,
    named_entries: Vec<EntryRow>,
}

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    #[serde(default)]
    unit: Option<i64>,
}

fn label(a: &Account, units: &HashMap<UnitId, String>) -> String {
    format!(
        "{} ({}, {})",
        a.full_name,
        a.username,
        units.get(&a.unit).map(String::as_str).unwrap_or("")
    )
}

/// Active accounts holding `role`.
async fn active(state: &AppState, role: Role) -> Result<Vec<Account>, WebError> {
    let filter = AccountFilter {
        role: Some(role),
        ..AccountFilter::default()
    };
    Ok(state
        .store
        .find_accounts(&filter)
        .await?
        .into_iter()
        .filter(|a| a.active)
        .collect())
}

/// The assignments page of a round.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<UnitQuery>,
) -> Result<AssignmentsPage, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let round = state.store.round(RoundId(id)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let asg = state.store.round_assignments(round.id).await?;
    let leads =
        crate::pages::grid::field_leads(&state, round.framework, framework.unit_type).await?;
    let unit_names: HashMap<UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let appraiser_accounts = active(&state, Role::Appraiser).await?;
    let focal_accounts = active(&state, Role::FocalPoint).await?;
    let chairs = active(&state, Role::CouncilChair)
        .await?
        .iter()
        .map(|a| label(a, &unit_names))
        .collect();
    let by_id: HashMap<AccountId, &Account> = appraiser_accounts
        .iter()
        .chain(&focal_accounts)
        .map(|a| (a.id, a))
        .collect();
    let name_of = |a: &AccountId| {
        by_id
            .get(a)
            .map(|a| label(a, &unit_names))
            .unwrap_or_else(|| format!("#{a}"))
    };

    let appraisers = framework
        .fields
        .iter()
        .map(|f| {
            let named = asg.appraisal.get(&f.code).cloned().unwrap_or_default();
            FieldRow {
                code: f.code.clone(),
                name: f.name.clone(),
                lead: String::new(),
                named: named.iter().map(name_of).collect(),
                default: appraiser_accounts
                    .iter()
                    .filter(|a| a.actor().fields.covers(&f.code))
                    .map(|a| label(a, &unit_names))
                    .collect(),
                choices: appraiser_accounts
                    .iter()
                    .map(|a| Choice {
                        id: a.id.0,
                        label: label(a, &unit_names),
                        checked: named.contains(&a.id),
                    })
                    .collect(),
                others: Vec::new(),
            }
        })
        .collect();

    let (units, unit_id) =
        crate::pages::rounds::pick_unit(&state, round.id, &unit_names, q.unit).await?;
    let unit = UnitId(unit_id);
    let members: BTreeSet<i64> = units.iter().map(|(id, _)| *id).collect();
    let entry = framework
        .fields
        .iter()
        .map(|f| {
            let named = asg
                .entry
                .get(&(unit, f.code.clone()))
                .cloned()
                .unwrap_or_default();
            let lead = leads
                .leads
                .get(&f.code)
                .copied()
                .filter(|_| leads.by_lead_departments);
            // Who enters the field when nobody is named: the policy's own answer per account.
            let empty = chiso_core::round::assignment::Assignments::default();
            let default: Vec<&Account> = focal_accounts
                .iter()
                .filter(|a| {
                    let actor = a.actor();
                    let scope = empty.scope(&actor, unit, &f.code, &leads);
                    let own = scope.enter == Named::Default
                        && actor.unit == unit
                        && actor.fields.covers(&f.code);
                    own || scope.enter == Named::Actor
                })
                .collect();
            let near =
                |a: &Account| a.unit == unit || Some(a.unit) == lead || named.contains(&a.id);
            FieldRow {
                code: f.code.clone(),
                name: f.name.clone(),
                lead: lead
                    .and_then(|l| unit_names.get(&l).cloned())
                    .unwrap_or_default(),
                named: named.iter().map(name_of).collect(),
                default: default.iter().map(|a| label(a, &unit_names)).collect(),
                choices: focal_accounts
                    .iter()
                    .filter(|a| near(a))
                    .map(|a| Choice {
                        id: a.id.0,
                        label: label(a, &unit_names),
                        checked: named.contains(&a.id),
                    })
                    .collect(),
                // Never a competitor: staff of another unit assessed in the same round.
                others: focal_accounts
                    .iter()
                    .filter(|a| !near(a) && !members.contains(&a.unit.0))
                    .map(|a| Choice {
                        id: a.id.0,
                        label: label(a, &unit_names),
                        checked: false,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut named_entries: Vec<EntryRow> = asg
        .entry
        .iter()
        .filter(|(_, accounts)| !accounts.is_empty())
        .map(|((u, field), accounts)| EntryRow {
            unit_id: u.0,
            unit: unit_names.get(u).cloned().unwrap_or_default(),
            field: field.clone(),
            accounts: accounts.iter().map(name_of).collect(),
        })
        .collect();
    named_entries
        .sort_by_cached_key(|r| (chiso_core::text::collation_key(&r.unit), r.field.clone()));
    Ok(AssignmentsPage {
        id,
        name: round.name,
        chairs,
        appraisers,
        unit_name: unit_names.get(&unit).cloned().unwrap_or_default(),
        units,
        unit_id,
        entry,
        named_entries,
        ctx,
    })
}

/// The accounts ticked in a form (`account`, and `add` from the list of others), each checked
/// to be active and to hold `role`.
async fn accounts_of(
    state: &AppState,
    ctx: &Ctx,
    pairs: &[(String, String)],
    role: Role,
) -> Result<BTreeSet<AccountId>, WebError> {
    let mut out = BTreeSet::new();
    for (k, v) in pairs {
        if (k != "account" && k != "add") || v.trim().is_empty() {
            continue;
        }
        let id: i64 = v
            .trim()
            .parse()
            .map_err(|_| WebError::BadRequest(format!("{}: {v}", ctx.t.assign_bad_account)))?;
        let account = match state.store.account(AccountId(id)).await {
            Ok(a) => a,
            Err(chiso_store::StoreError::NotFound) => {
                return Err(WebError::BadRequest(format!(
                    "{}: {v}",
                    ctx.t.assign_bad_account
                )));
            }
            Err(e) => return Err(e.into()),
        };
        if !account.active || !account.roles.contains(&role) {
            return Err(WebError::BadRequest(format!(
                "{}: {} — {}",
                ctx.t.assign_bad_account,
                account.username,
                role.label(ctx.lang)
            )));
        }
        out.insert(account.id);
    }
    Ok(out)
}

/// A field code of the round's framework, or a clear refusal.
async fn field_of_round(
    state: &AppState,
    ctx: &Ctx,
    round: RoundId,
    field: &str,
) -> Result<(), WebError> {
    let r = state.store.round(round).await?;
    let (_, framework) = state.store.framework(r.framework).await?;
    if framework.fields.iter().any(|f| f.code == field) {
        Ok(())
    } else {
        Err(WebError::BadRequest(format!(
            "{}: {field}",
            ctx.t.assign_bad_field
        )))
    }
}

/// Names the appraisers of one field in the round (none ticked: back to account scopes).
pub async fn set_appraisers(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let field = value(&pairs, "field").to_string();
    field_of_round(&state, &ctx, RoundId(id), &field).await?;
    let accounts = accounts_of(&state, &ctx, &pairs, Role::Appraiser).await?;
    state
        .store
        .set_round_appraisers(RoundId(id), &field, &accounts, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}/assignments#appraise-{field}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// Names the accounts that enter one field of one unit (none ticked: back to the default).
pub async fn set_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let field = value(&pairs, "field").to_string();
    let unit: i64 = value(&pairs, "unit")
        .parse()
        .map_err(|_| WebError::BadRequest(ctx.t.unit_required.to_string()))?;
    // The unit must be in the round.
    state.store.round_unit(RoundId(id), UnitId(unit)).await?;
    field_of_round(&state, &ctx, RoundId(id), &field).await?;
    let accounts = accounts_of(&state, &ctx, &pairs, Role::FocalPoint).await?;
    // Staff of another unit assessed in the same round would be entering a competitor's scores.
    let members: BTreeSet<UnitId> = state
        .store
        .round_units(RoundId(id))
        .await?
        .into_iter()
        .map(|m| m.unit)
        .collect();
    for a in &accounts {
        let account = state.store.account(*a).await?;
        if account.unit != UnitId(unit) && members.contains(&account.unit) {
            return Err(WebError::BadRequest(format!(
                "{}: {}",
                ctx.t.assign_competitor, account.username
            )));
        }
    }
    state
        .store
        .set_entry_assignment(
            RoundId(id),
            UnitId(unit),
            &field,
            &accounts,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}/assignments?unit={unit}#enter-{field}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}
