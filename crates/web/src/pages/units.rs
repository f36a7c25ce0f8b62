//! Administrative units: the list, one unit, the create/edit form, and CSV import/export.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::{FieldErrors, redirect_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chiso_core::format::parse_date;
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::text::{clean, collation_key};
use chiso_core::units::import::{self, ImportPlan};
use chiso_core::units::{ParentInfo, Unit, UnitDraft, UnitType, normalize_code, validate};
use chiso_store::accounts::AccountFilter;
use chiso_store::units::UnitFilter;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// A unit as a table row.
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub type_label: &'static str,
    pub parent: String,
    pub valid_from: String,
    pub valid_to: String,
    pub active: bool,
}

fn today() -> NaiveDate {
    chiso_core::format::vietnam_day(Utc::now())
}

fn rows(units: &[Unit], all: &HashMap<UnitId, Unit>, lang: Lang, day: NaiveDate) -> Vec<UnitRow> {
    units
        .iter()
        .map(|u| UnitRow {
            id: u.id.0,
            code: u.code.clone(),
            name: u.name.clone(),
            type_label: u.unit_type.label(lang),
            parent: u
                .parent
                .and_then(|p| all.get(&p))
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            valid_from: chiso_core::format::date(u.valid_from),
            valid_to: u.valid_to.map(chiso_core::format::date).unwrap_or_default(),
            active: u.is_active_on(day),
        })
        .collect()
}

/// Units sorted as a reader expects: by type (province, departments, districts, communes),
/// then by name in Vietnamese order.
fn sort_units(units: &mut [Unit]) {
    units.sort_by_cached_key(|u| (u.unit_type, collation_key(&u.name)));
}

#[derive(Template, WebTemplate)]
#[template(path = "units.html")]
pub struct UnitsPage {
    ctx: Ctx,
    rows: Vec<UnitRow>,
    q: String,
    unit_type: String,
    on: String,
    types: Vec<(&'static str, &'static str)>,
    can_manage: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "units_rows.html")]
pub struct UnitRowsPartial {
    ctx: Ctx,
    rows: Vec<UnitRow>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    unit_type: Option<String>,
    /// The day whose units to show (`dd/mm/yyyy`); empty for all, whatever their dates.
    on: Option<String>,
}

/// The unit list, with search, type and date filters. htmx requests get the rows only.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let can_manage = user.can(Action::ManageUnits, Target::Province);
    if !can_manage && !user.can(Action::ViewUnit, Target::Province) {
        // Accounts that may see only their own unit go straight to it.
        user.require(Action::ViewUnit, Target::Unit(user.account().unit))?;
        return Ok(
            axum::response::Redirect::to(&format!("/units/{}", user.account().unit))
                .into_response(),
        );
    }
    let unit_type = q.unit_type.as_deref().and_then(UnitType::from_code);
    let on_text =
        q.on.clone()
            .unwrap_or_else(|| chiso_core::format::date(today()));
    let on = parse_date(&on_text);
    let filter = UnitFilter {
        query: q.q.clone().map(|s| clean(&s)),
        unit_type,
        active_on: on,
    };
    let mut found = state.store.find_units(&filter).await?;
    sort_units(&mut found);
    let all: HashMap<UnitId, Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let rows = rows(&found, &all, ctx.lang, on.unwrap_or_else(today));
    if ctx.htmx {
        return Ok(UnitRowsPartial { ctx, rows }.into_response());
    }
    Ok(UnitsPage {
        types: UnitType::ALL
            .iter()
            .map(|t| (t.code(), t.label(ctx.lang)))
            .collect(),
        rows,
        q: q.q.unwrap_or_default(),
        unit_type: unit_type.map(|t| t.code().to_string()).unwrap_or_default(),
        on: on.map(chiso_core::format::date).unwrap_or_default(),
        can_manage,
        ctx,
    }
    .into_response())
}

/// An account in a unit's page.
pub struct MemberRow {
    pub username: String,
    pub full_name: String,
    pub roles: String,
}

/// A unit attribute as shown: label and "có" / "không" / "chưa xác định".
pub struct AttributeRow {
    pub name: &'static str,
    pub label: &'static str,
    pub value: &'static str,
    /// "yes", "no" or "" for the form's select.
    pub code: &'static str,
}

/// A framework of the unit's type, with what applies to this unit.
pub struct ApplicableRow {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub max: String,
    pub applicable_max: String,
    pub exempt: Vec<String>,
}

fn attribute_rows(
    attrs: &std::collections::BTreeMap<String, bool>,
    t: &crate::i18n::Texts,
) -> Vec<AttributeRow> {
    chiso_core::framework::model::UNIT_ATTRIBUTES
        .iter()
        .map(|(name, label)| {
            let v = attrs.get(*name).copied();
            AttributeRow {
                name,
                label,
                value: match v {
                    Some(true) => t.yes,
                    Some(false) => t.no,
                    None => t.unknown,
                },
                code: match v {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "",
                },
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
pub struct UnitPage {
    ctx: Ctx,
    unit: UnitRow,
    children: Vec<UnitRow>,
    members: Vec<MemberRow>,
    attributes: Vec<AttributeRow>,
    frameworks: Vec<ApplicableRow>,
    can_manage: bool,
}

/// One unit with the units under it and its accounts.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<UnitPage, WebError> {
    let id = UnitId(id);
    user.require(Action::ViewUnit, Target::Unit(id))?;
    let all: HashMap<UnitId, Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let unit = all.get(&id).ok_or(WebError::NotFound)?;
    let mut children: Vec<Unit> = all
        .values()
        .filter(|u| u.parent == Some(id))
        .cloned()
        .collect();
    sort_units(&mut children);
    let members = state
        .store
        .find_accounts(&AccountFilter {
            unit: Some(id),
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|a| MemberRow {
            username: a.username,
            full_name: a.full_name,
            roles: chiso_core::roles::labels(&a.roles, ctx.lang),
        })
        .collect();
    let day = today();
    let attrs = state.store.unit_attributes(id).await?;
    // The latest version of each framework code for this unit type.
    let mut seen = std::collections::BTreeSet::new();
    let mut frameworks = Vec::new();
    for s in state.store.list_frameworks().await? {
        if s.unit_type != unit.unit_type || !seen.insert(s.code.clone()) {
            continue;
        }
        let (_, f) = state.store.framework(s.id).await?;
        let exempt = chiso_core::framework::applicability::exempt_nodes(&f, &attrs)
            .into_iter()
            .map(|n| format!("{} {}", n.code, n.name))
            .collect();
        frameworks.push(ApplicableRow {
            id: s.id.0,
            name: f.name.clone(),
            year: f.year,
            max: f.max.display(ctx.lang),
            applicable_max: chiso_core::framework::applicability::applicable_max(&f, &attrs)
                .display(ctx.lang),
            exempt,
        });
    }
    Ok(UnitPage {
        attributes: attribute_rows(&attrs, ctx.t),
        frameworks,
        unit: rows(std::slice::from_ref(unit), &all, ctx.lang, day).remove(0),
        children: rows(&children, &all, ctx.lang, day),
        members,
        can_manage: user.can(Action::ManageUnits, Target::Province),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_form.html")]
pub struct UnitFormPage {
    ctx: Ctx,
    /// `None` when creating.
    id: Option<i64>,
    form: UnitForm,
    types: Vec<(&'static str, &'static str)>,
    parents: Vec<(i64, String)>,
    errors: FieldErrors,
}

/// The unit form's fields, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct UnitForm {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub parent_id: String,
    pub valid_from: String,
    pub valid_to: String,
}

impl UnitForm {
    fn from_unit(u: &Unit) -> UnitForm {
        UnitForm {
            code: u.code.clone(),
            name: u.name.clone(),
            unit_type: u.unit_type.code().to_string(),
            parent_id: u.parent.map(|p| p.to_string()).unwrap_or_default(),
            valid_from: chiso_core::format::date(u.valid_from),
            valid_to: u.valid_to.map(chiso_core::format::date).unwrap_or_default(),
        }
    }

    /// Parent select: keeps the chosen id selected when re-rendering.
    pub fn parent_selected(&self, id: &i64) -> bool {
        self.parent_id == id.to_string()
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    id: Option<i64>,
    form: UnitForm,
    errors: FieldErrors,
) -> Result<UnitFormPage, WebError> {
    let mut parents: Vec<Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .filter(|u| {
            matches!(u.unit_type, UnitType::Province | UnitType::District) && Some(u.id.0) != id
        })
        .collect();
    sort_units(&mut parents);
    Ok(UnitFormPage {
        types: UnitType::ALL
            .iter()
            .map(|t| (t.code(), t.label(ctx.lang)))
            .collect(),
        parents: parents
            .into_iter()
            .map(|u| {
                let label = match u.valid_to {
                    Some(end) => format!(
                        "{} ({}) — đến {}",
                        u.name,
                        u.code,
                        chiso_core::format::date(end)
                    ),
                    None => format!("{} ({})", u.name, u.code),
                };
                (u.id.0, label)
            })
            .collect(),
        ctx,
        id,
        form,
        errors,
    })
}

/// Checks a submitted form against the unit rules. Returns the draft and parent, or errors.
pub(crate) async fn check(
    state: &AppState,
    ctx: &Ctx,
    form: &UnitForm,
) -> Result<Result<(UnitDraft, Option<UnitId>), FieldErrors>, WebError> {
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    let unit_type = UnitType::from_code(&form.unit_type);
    if unit_type.is_none() {
        errors.push("unit_type", t.unit_type_required);
    }
    let valid_from = parse_date(&form.valid_from);
    if valid_from.is_none() {
        errors.push("valid_from", t.date_invalid);
    }
    let valid_to = if form.valid_to.trim().is_empty() {
        Some(None)
    } else {
        parse_date(&form.valid_to).map(Some)
    };
    if valid_to.is_none() {
        errors.push("valid_to", t.date_invalid);
    }
    let parent = match form.parent_id.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(id) => match state.store.unit(UnitId(id)).await {
                Ok(u) => Some(u),
                Err(chiso_store::StoreError::NotFound) => {
                    errors.push("parent_id", t.parent_missing);
                    None
                }
                Err(e) => return Err(e.into()),
            },
            Err(_) => {
                errors.push("parent_id", t.parent_missing);
                None
            }
        },
    };
    let (Some(unit_type), Some(valid_from), Some(valid_to)) = (unit_type, valid_from, valid_to)
    else {
        return Ok(Err(errors));
    };
    let draft = UnitDraft {
        code: normalize_code(&form.code),
        name: clean(&form.name),
        unit_type,
        valid_from,
        valid_to,
    };
    for p in validate(&draft, parent.as_ref().map(ParentInfo::from).as_ref()) {
        let field = match p.field() {
            "parent_code" => "parent_id",
            "code" => "code",
            "name" => "name",
            "valid_from" => "valid_from",
            _ => "valid_to",
        };
        errors.push(field, p.message(ctx.lang));
    }
    if errors.is_empty() {
        Ok(Ok((draft, parent.map(|p| p.id))))
    } else {
        Ok(Err(errors))
    }
}

/// The empty unit form.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<UnitFormPage, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let form = UnitForm {
        valid_from: chiso_core::format::date(today()),
        ..UnitForm::default()
    };
    form_page(&state, ctx, None, form, FieldErrors::default()).await
}

/// Creates a unit.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<UnitForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let (draft, parent) = match check(&state, &ctx, &form).await? {
        Ok(x) => x,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, None, form, errors).await?,
            )
                .into_response());
        }
    };
    match state
        .store
        .create_unit(&draft, parent, &user.by(), Utc::now())
        .await
    {
        Ok(id) => Ok(redirect_with(
            &format!("/units/{id}"),
            Flash::Saved,
            state.config.secure_cookies(),
        )),
        Err(chiso_store::StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.push("code", ctx.t.unit_code_taken);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, None, form, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The edit form of a unit.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<UnitFormPage, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let unit = state.store.unit(UnitId(id)).await?;
    form_page(
        &state,
        ctx,
        Some(id),
        UnitForm::from_unit(&unit),
        FieldErrors::default(),
    )
    .await
}

/// Saves an edited unit.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<UnitForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    state.store.unit(UnitId(id)).await?;
    let (draft, parent) = match check(&state, &ctx, &form).await? {
        Ok(x) => x,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, Some(id), form, errors).await?,
            )
                .into_response());
        }
    };
    match state
        .store
        .update_unit(UnitId(id), &draft, parent, &user.by(), Utc::now())
        .await
    {
        Ok(()) => Ok(redirect_with(
            &format!("/units/{id}"),
            Flash::Saved,
            state.config.secure_cookies(),
        )),
        Err(chiso_store::StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.push("code", ctx.t.unit_code_taken);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, ctx, Some(id), form, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_attributes.html")]
pub struct AttributesPage {
    ctx: Ctx,
    id: i64,
    name: String,
    attributes: Vec<AttributeRow>,
}

/// The attributes form of a unit.
pub async fn attributes_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<AttributesPage, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let unit = state.store.unit(UnitId(id)).await?;
    let attrs = state.store.unit_attributes(unit.id).await?;
    Ok(AttributesPage {
        attributes: attribute_rows(&attrs, ctx.t),
        ctx,
        id,
        name: unit.name,
    })
}

/// Saves a unit's attributes: "yes", "no", or empty for unknown.
pub async fn attributes_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let unit = state.store.unit(UnitId(id)).await?;
    let mut attrs = std::collections::BTreeMap::new();
    for (name, value) in pairs {
        if !chiso_core::framework::model::UNIT_ATTRIBUTES
            .iter()
            .any(|(n, _)| *n == name)
        {
            continue;
        }
        match value.as_str() {
            "yes" => {
                attrs.insert(name, true);
            }
            "no" => {
                attrs.insert(name, false);
            }
            "" => {}
            other => return Err(WebError::BadRequest(format!("{name}: \"{other}\""))),
        }
    }
    state
        .store
        .set_unit_attributes(unit.id, &attrs, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/units/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A planned change, as a preview row.
pub struct PlanRow {
    pub line: u64,
    pub change: &'static str,
    pub code: String,
    pub name: String,
    pub type_label: &'static str,
    pub parent: String,
    pub valid_from: String,
    pub valid_to: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "units_import.html")]
pub struct ImportPage {
    ctx: Ctx,
    filename: String,
    errors: Vec<String>,
    plan: Vec<PlanRow>,
    unchanged: usize,
    /// The file's text, carried to the apply step; empty before a file is chosen.
    csv: String,
    columns: Vec<&'static str>,
}

fn plan_rows(
    plan: &ImportPlan,
    lang: Lang,
    t: &crate::i18n::Texts,
    units: &[Unit],
) -> Vec<PlanRow> {
    use import::ParentRef;
    let by_id: HashMap<UnitId, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let parent = |p: &ParentRef| match p {
        ParentRef::None => String::new(),
        ParentRef::Existing(id) => by_id.get(id).map(|u| u.code.clone()).unwrap_or_default(),
        ParentRef::New(code) => code.clone(),
    };
    let mut rows: Vec<PlanRow> = plan
        .creates
        .iter()
        .map(|c| (c.line, t.import_create, &c.draft, parent(&c.parent)))
        .chain(
            plan.updates
                .iter()
                .map(|u| (u.line, t.import_update, &u.draft, parent(&u.parent))),
        )
        .map(|(line, change, d, parent)| PlanRow {
            line,
            change,
            code: d.code.clone(),
            name: d.name.clone(),
            type_label: d.unit_type.label(lang),
            parent,
            valid_from: chiso_core::format::date(d.valid_from),
            valid_to: d.valid_to.map(chiso_core::format::date).unwrap_or_default(),
        })
        .collect();
    rows.sort_by_key(|r| r.line);
    rows
}

fn import_page(
    ctx: Ctx,
    filename: String,
    csv: String,
    errors: Vec<String>,
    plan: Vec<PlanRow>,
    unchanged: usize,
) -> ImportPage {
    ImportPage {
        ctx,
        filename,
        errors,
        plan,
        unchanged,
        csv,
        columns: import::COLUMNS.iter().map(|(c, _)| *c).collect(),
    }
}

/// The import page: choose a file.
pub async fn import_form(ctx: Ctx, user: CurrentUser) -> Result<ImportPage, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    Ok(import_page(
        ctx,
        String::new(),
        String::new(),
        Vec::new(),
        Vec::new(),
        0,
    ))
}

/// Reads, checks and plans a file without changing anything: the preview.
fn plan_file(
    bytes: &[u8],
    filename: &str,
    units: &[Unit],
    lang: Lang,
) -> Result<ImportPlan, Vec<String>> {
    import::parse(bytes)
        .and_then(|rows| import::plan(rows, units))
        .map_err(|errs| {
            errs.iter()
                .map(|e| format!("{filename}: {}", e.message(lang)))
                .collect()
        })
}

/// Shows what a file would change (a dry run), or every error in it.
pub async fn import_preview(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let file = crate::pages::read_upload(&mut multipart, "units.csv").await?;
    let Some((filename, bytes)) = file else {
        let msg = ctx.t.import_no_file.to_string();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(ctx, String::new(), String::new(), vec![msg], Vec::new(), 0),
        )
            .into_response());
    };
    let units = state.store.all_units().await?;
    match plan_file(&bytes, &filename, &units, ctx.lang) {
        Ok(plan) => {
            let rows = plan_rows(&plan, ctx.lang, ctx.t, &units);
            // A plan that parsed is valid UTF-8.
            let csv = String::from_utf8_lossy(&bytes).into_owned();
            Ok(import_page(ctx, filename, csv, Vec::new(), rows, plan.unchanged).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(ctx, filename, String::new(), errors, Vec::new(), 0),
        )
            .into_response()),
    }
}

#[derive(Deserialize)]
pub struct ApplyForm {
    filename: String,
    csv: String,
}

/// Applies a previewed file: checked again against the units as they are now, then written
/// in one transaction.
pub async fn import_apply(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let units = state.store.all_units().await?;
    let filename = clean(&form.filename);
    match plan_file(form.csv.as_bytes(), &filename, &units, ctx.lang) {
        Ok(plan) => {
            state
                .store
                .apply_unit_import(&plan, &filename, &user.by(), Utc::now())
                .await?;
            Ok(redirect_with(
                "/units",
                Flash::Imported,
                state.config.secure_cookies(),
            ))
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(ctx, filename, String::new(), errors, Vec::new(), 0),
        )
            .into_response()),
    }
}

/// Every unit as an Excel workbook, for reading and printing.
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let mut units = state.store.all_units().await?;
    sort_units(&mut units);
    let bytes = chiso_reports::units::units_workbook(&units, today(), ctx.lang)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"don-vi.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Every unit as a CSV file in the import format.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Action::ManageUnits, Target::Province)?;
    let mut units = state.store.all_units().await?;
    sort_units(&mut units);
    let body = import::export_csv(&units);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"don-vi.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
