//! The respondent list the Ministry of Home Affairs asks for each year (deputies, department,
//! division and commune leaders with phone and e-mail): the PAR officer uploads it, sees what is
//! still missing, and downloads it in the Ministry's layout. Survey staff may look.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use chiso_core::ids::UnitId;
use chiso_core::policy::{Action, Target};
use chiso_core::survey::contacts::{self, Contact, ContactCategory};
use chiso_core::units::Unit;
use chiso_store::surveys::NewContact;
use chrono::{Datelike, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// Problems shown at most for one refused file; the rest are counted.
const MAX_PROBLEMS: usize = 50;

fn bad(m: impl Into<String>) -> WebError {
    WebError::BadRequest(m.into())
}

fn this_year() -> i32 {
    chiso_core::format::vietnam_day(Utc::now()).year()
}

/// A year from the query or the form: the current one when absent.
fn year_of(text: Option<&str>, ctx: &Ctx) -> Result<i32, WebError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(this_year()),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| bad(ctx.t.survey_contacts_year_invalid)),
    }
}

/// The day units are checked on: today, or the year's last day for a past year.
fn check_day(year: i32) -> NaiveDate {
    let today = chiso_core::format::vietnam_day(Utc::now());
    NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| today.min(end))
}

fn may_see(user: &CurrentUser) -> Result<(), WebError> {
    if user.can(Action::EnterSurveyResponses, Target::Province) {
        Ok(())
    } else {
        user.require(Action::ManageSurveys, Target::Province)
    }
}

/// A stored contact as the domain sees it; a category code chiso did not write is an error.
fn domain(c: &NewContact) -> Result<Contact, WebError> {
    let category = ContactCategory::from_code(&c.category)
        .ok_or_else(|| WebError::Internal(format!("contact category {:?}", c.category)))?;
    Ok(Contact {
        category,
        unit: c.unit,
        full_name: c.full_name.clone(),
        position: c.position.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
    })
}

/// The year's list in the template's order: by group, then unit name, then as uploaded.
async fn year_list(
    state: &AppState,
    year: i32,
    names: &HashMap<UnitId, String>,
) -> Result<Vec<Contact>, WebError> {
    let mut list: Vec<(i64, Contact)> = Vec::new();
    for c in state.store.contacts(year).await? {
        list.push((c.id, domain(&c.contact)?));
    }
    list.sort_by_cached_key(|(id, c)| {
        let name = names.get(&c.unit).map(String::as_str).unwrap_or("");
        (c.category, chiso_core::text::collation_key(name), *id)
    });
    Ok(list.into_iter().map(|(_, c)| c).collect())
}

/// A person in the table.
pub struct PersonRow {
    pub unit: String,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub phone_ok: bool,
    pub email_ok: bool,
}

/// A group of the list with its people.
pub struct GroupRows {
    pub code: &'static str,
    pub label: &'static str,
    pub people: Vec<PersonRow>,
}

/// A line of the completeness check.
pub struct GapLine {
    pub code: &'static str,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_contacts.html")]
pub struct ContactsPage {
    ctx: Ctx,
    year: i32,
    can_manage: bool,
    groups: Vec<GroupRows>,
    total: usize,
    gaps: Vec<GapLine>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

/// `GET /surveys/contacts?year=…`: the year's list by group, with the completeness check.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<ContactsPage, WebError> {
    may_see(&user)?;
    let year = year_of(q.year.as_deref(), &ctx)?;
    let units = state.store.all_units().await?;
    let names: HashMap<UnitId, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let list = year_list(&state, year, &names).await?;
    let lang = ctx.lang;
    let gaps = contacts::check(&list, &units, check_day(year))
        .iter()
        .map(|g| GapLine {
            code: g.code(),
            text: g.message(lang),
        })
        .collect();
    let groups = ContactCategory::ALL
        .iter()
        .map(|&category| GroupRows {
            code: category.code(),
            label: category.label(lang),
            people: list
                .iter()
                .filter(|c| c.category == category)
                .map(|c| PersonRow {
                    unit: names.get(&c.unit).cloned().unwrap_or_default(),
                    full_name: c.full_name.clone(),
                    position: c.position.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                    phone_ok: contacts::is_mobile(&c.phone),
                    email_ok: contacts::is_email(&c.email),
                })
                .collect(),
        })
        .collect();
    Ok(ContactsPage {
        year,
        can_manage: user.can(Action::ManageSurveys, Target::Province),
        groups,
        total: list.len(),
        gaps,
        ctx,
    })
}

/// Finds a unit by what a list's unit cell holds: its code, or else its exact name when no
/// other unit bears it (so the workbook chiso exports can be uploaded again).
fn unit_finder(units: &[Unit]) -> impl Fn(&str) -> Option<UnitId> + use<> {
    let fold = chiso_core::text::fold;
    let by_code: HashMap<String, UnitId> = units.iter().map(|u| (fold(&u.code), u.id)).collect();
    let mut by_name: HashMap<String, Option<UnitId>> = HashMap::new();
    for u in units {
        by_name
            .entry(fold(&u.name))
            .and_modify(|seen| *seen = None)
            .or_insert(Some(u.id));
    }
    move |text: &str| {
        let k = fold(text);
        by_code
            .get(&k)
            .copied()
            .or_else(|| by_name.get(&k).copied().flatten())
    }
}

/// Reads an uploaded list (CSV or .xlsx); every problem named with the file, row and column.
fn read_list(
    name: &str,
    bytes: &[u8],
    units: &[Unit],
    ctx: &Ctx,
) -> Result<Vec<Contact>, WebError> {
    let lang = ctx.lang;
    let rows = if name.to_lowercase().ends_with(".xlsx") {
        chiso_reports::sheet_rows::first_sheet(bytes)
            .map_err(|e| bad(format!("{name}: {}", e.message(lang))))?
            .rows
    } else {
        let text = chiso_core::text::csv_text(bytes)
            .ok_or_else(|| bad(format!("{name}: {}", ctx.t.survey_contacts_not_text)))?;
        contacts::csv_rows(text).map_err(|p| bad(format!("{name}: {}", p.message(lang))))?
    };
    contacts::read_rows(&rows, unit_finder(units)).map_err(|problems| {
        let mut lines: Vec<String> = problems
            .iter()
            .take(MAX_PROBLEMS)
            .map(|p| p.message(lang))
            .collect();
        if problems.len() > MAX_PROBLEMS {
            lines.push(format!("… (+{})", problems.len() - MAX_PROBLEMS));
        }
        bad(format!("{name}: {}", lines.join(" · ")))
    })
}

/// `POST /surveys/contacts`: a list file replacing the year's list. A row that cannot be
/// placed refuses the whole file; missing phones and e-mails show in the check instead.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "danh-sach").await?;
    let year = year_of(Some(get(&pairs, "year")), &ctx)?;
    let (name, bytes) = file.ok_or_else(|| bad(ctx.t.file_required))?;
    let units = state.store.all_units().await?;
    let list: Vec<NewContact> = read_list(&name, &bytes, &units, &ctx)?
        .into_iter()
        .map(|c| NewContact {
            category: c.category.code().to_string(),
            unit: c.unit,
            full_name: c.full_name,
            position: c.position,
            phone: c.phone,
            email: c.email,
        })
        .collect();
    state
        .store
        .set_contacts(year, &list, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/surveys/contacts?year={year}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// `GET /surveys/contacts/export.xlsx?year=…`: the list in the Ministry's layout.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    may_see(&user)?;
    let year = year_of(q.year.as_deref(), &ctx)?;
    let names: HashMap<UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let lines: Vec<chiso_reports::contacts_xlsx::ContactLine> = year_list(&state, year, &names)
        .await?
        .into_iter()
        .map(|c| chiso_reports::contacts_xlsx::ContactLine {
            category: c.category,
            unit: names.get(&c.unit).cloned().unwrap_or_default(),
            full_name: c.full_name,
            position: c.position,
            phone: c.phone,
            email: c.email,
        })
        .collect();
    let bytes = chiso_reports::contacts_xlsx::contacts_workbook(year, &lines)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!("danh-sach-dieu-tra-xhh-{year}.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str, name: &str) -> Unit {
        Unit {
            id: UnitId(id),
            code: code.into(),
            name: name.into(),
            unit_type: chiso_core::units::UnitType::Department,
            parent: None,
            valid_from: NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
            valid_to: None,
        }
    }

    #[test]
    fn units_are_found_by_code_or_by_a_name_no_other_unit_bears() {
        let units = vec![
            unit(1, "STP", "Sở Tư pháp"),
            unit(2, "XA-A", "Xã An"),
            unit(3, "XA-A-CU", "Xã An"),
        ];
        let find = unit_finder(&units);
        assert_eq!(find("stp"), Some(UnitId(1)));
        assert_eq!(find("so tu phap"), Some(UnitId(1)));
        assert_eq!(find("Xã An"), None, "two units bear that name");
        assert_eq!(find("XA-A-CU"), Some(UnitId(3)));
        assert_eq!(find(""), None);
    }

    #[test]
    fn a_past_year_is_checked_on_its_last_day() {
        assert_eq!(
            check_day(2020),
            NaiveDate::from_ymd_opt(2020, 12, 31).unwrap()
        );
        assert!(check_day(2099) <= chiso_core::format::vietnam_day(Utc::now()));
    }
}
