//! Criteria frameworks: the list, one framework as a tree with totals, downloads, and import
//! with a preview (every problem located, or the changes against the stored version) before
//! anything is written.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chiso_core::framework::diff::{ImportDecision, decide_import};
use chiso_core::framework::model::UNIT_ATTRIBUTES;
use chiso_core::framework::{Framework, Points, Rule, yaml};
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_reports::framework_file::{self, LoadError};
use chiso_store::frameworks::FrameworkId;
use serde::Deserialize;

/// A framework version as a list row.
pub struct FrameworkRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_type: &'static str,
    pub year: i32,
    pub version: u32,
    pub nodes: i64,
    pub max: String,
    pub illustrative: bool,
    pub created: String,
}

/// A built-in framework, for loading from the list page.
pub struct LibraryRow {
    pub index: usize,
    pub file: &'static str,
    pub name: String,
    pub unit_type: &'static str,
    pub year: i32,
    pub stored: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "frameworks.html")]
pub struct FrameworksPage {
    ctx: Ctx,
    rows: Vec<FrameworkRow>,
    library: Vec<LibraryRow>,
    can_manage: bool,
}

/// Every stored framework version. Frameworks are public documents: any account may read them.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<FrameworksPage, WebError> {
    let rows = state
        .store
        .list_frameworks()
        .await?
        .into_iter()
        .map(|s| FrameworkRow {
            id: s.id.0,
            code: s.code,
            name: s.name,
            unit_type: s.unit_type.label(ctx.lang),
            year: s.year,
            version: s.version,
            nodes: s.nodes,
            max: Points::from_scaled(s.max_scaled).display(ctx.lang),
            illustrative: s.illustrative,
            created: ctx.time(&s.created_at),
        })
        .collect();
    let can_manage = user.can(Action::ManageFrameworks, Target::Province);
    let mut library = Vec::new();
    if can_manage {
        for (index, (file, parsed)) in chiso_core::framework::library::all()
            .into_iter()
            .enumerate()
        {
            let Ok(f) = parsed else { continue };
            let stored = state
                .store
                .latest_framework(&f.code, f.year)
                .await?
                .is_some();
            library.push(LibraryRow {
                index,
                file,
                name: f.name.clone(),
                unit_type: f.unit_type.label(ctx.lang),
                year: f.year,
                stored,
            });
        }
    }
    Ok(FrameworksPage {
        rows,
        library,
        can_manage,
        ctx,
    })
}

/// Stores a built-in framework (unless that version is stored already).
pub async fn load_built_in(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(index): Path<usize>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (file, parsed) = chiso_core::framework::library::all()
        .into_iter()
        .nth(index)
        .ok_or(WebError::NotFound)?;
    let f = parsed.map_err(WebError::Internal)?;
    let latest = state.store.latest_framework(&f.code, f.year).await?;
    match decide_import(latest.as_ref().map(|(_, s)| s), &f) {
        Ok(ImportDecision::Unchanged) => {
            let id = latest.map(|(s, _)| s.id.0).unwrap_or_default();
            Ok(redirect_with(
                &format!("/frameworks/{id}"),
                Flash::Saved,
                state.config.secure_cookies(),
            ))
        }
        Ok(_) => {
            let id = state
                .store
                .import_framework(&f, file, &user.by(), chrono::Utc::now())
                .await?;
            Ok(redirect_with(
                &format!("/frameworks/{id}"),
                Flash::FrameworkImported,
                state.config.secure_cookies(),
            ))
        }
        Err(conflict) => Err(WebError::Conflict(conflict.message(&f, ctx.lang))),
    }
}

/// A node as a row of the tree table.
pub struct NodeRow {
    pub code: String,
    pub name: String,
    pub depth: usize,
    pub max: String,
    pub rule: &'static str,
    pub survey: bool,
    pub bonus_or_deduction: bool,
    pub detail: String,
    pub lead_unit: String,
    pub exemption: String,
    pub allow_not_applicable: bool,
    pub illustrative: bool,
    pub guidance: String,
    pub evidence: String,
}

fn rule_detail(rule: &Rule, lang: Lang) -> String {
    let p = |x: &Points| x.display(lang);
    match rule {
        Rule::Manual { step } | Rule::Bonus { step } => format!(
            "{} {}",
            if lang == Lang::Vi { "bước" } else { "step" },
            p(step)
        ),
        Rule::Levels { levels } => levels
            .iter()
            .map(|l| format!("{}: {}", l.label, p(&l.points)))
            .collect::<Vec<_>>()
            .join(" · "),
        Rule::Bands {
            numerator,
            denominator,
            bands,
        } => {
            let b: Vec<String> = bands
                .iter()
                .map(|b| {
                    format!(
                        "{}{}–{}%: {}",
                        if b.exclusive_from { ">" } else { "" },
                        p(&b.from),
                        p(&b.to),
                        p(&b.points)
                    )
                })
                .collect();
            format!("{numerator} / {denominator} — {}", b.join(" · "))
        }
        Rule::Proportional {
            numerator,
            denominator,
        } => format!("{numerator} / {denominator}"),
        Rule::Deduction { amount } => format!("−{}", p(amount)),
        Rule::Survey { measure } => measure.clone().unwrap_or_default(),
        Rule::Boolean => String::new(),
    }
}

fn node_rows(f: &Framework, lang: Lang) -> Vec<NodeRow> {
    f.walk()
        .into_iter()
        .map(|l| {
            let n = l.node;
            let exemption = n
                .not_applicable_when
                .iter()
                .map(|(k, v)| {
                    let label = UNIT_ATTRIBUTES
                        .iter()
                        .find(|(a, _)| a == k)
                        .map(|(_, l)| *l)
                        .unwrap_or(k);
                    format!("{label}: {}", if *v { "có" } else { "không" })
                })
                .collect::<Vec<_>>()
                .join("; ");
            NodeRow {
                code: n.code.clone(),
                name: n.name.clone(),
                depth: l.depth,
                max: n.max.map(|m| m.display(lang)).unwrap_or_default(),
                rule: n.rule.as_ref().map(|r| r.label(lang)).unwrap_or(""),
                survey: matches!(n.rule, Some(Rule::Survey { .. })),
                bonus_or_deduction: n.rule.as_ref().is_some_and(|r| !r.counts_toward_max()),
                detail: n
                    .rule
                    .as_ref()
                    .map(|r| rule_detail(r, lang))
                    .unwrap_or_default(),
                lead_unit: n.lead_unit.clone().unwrap_or_default(),
                exemption,
                allow_not_applicable: n.allow_not_applicable,
                illustrative: n.illustrative,
                guidance: n.guidance.clone().unwrap_or_default(),
                evidence: n.evidence.clone().unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "framework.html")]
pub struct FrameworkPage {
    ctx: Ctx,
    id: i64,
    can_manage: bool,
    next_year: i32,
    f: Framework,
    unit_type: &'static str,
    max: String,
    survey_total: String,
    shape: (usize, usize, usize),
    rows: Vec<NodeRow>,
}

fn survey_total(f: &Framework, lang: Lang) -> String {
    f.leaves()
        .into_iter()
        .filter(|n| matches!(n.rule, Some(Rule::Survey { .. })))
        .filter_map(|n| n.max)
        .sum::<Points>()
        .display(lang)
}

/// One framework as a tree with its totals.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<FrameworkPage, WebError> {
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    let units: std::collections::HashMap<chiso_core::ids::UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let leads: std::collections::HashMap<String, String> = state
        .store
        .field_leads(FrameworkId(id))
        .await?
        .into_iter()
        .filter_map(|l| {
            l.unit
                .and_then(|u| units.get(&u))
                .map(|n| (l.field_code, n.clone()))
        })
        .collect();
    let mut rows = node_rows(&f, ctx.lang);
    for r in rows.iter_mut().filter(|r| r.depth == 0) {
        r.lead_unit = leads.get(&r.code).cloned().unwrap_or_default();
    }
    Ok(FrameworkPage {
        id,
        can_manage: user.can(Action::ManageFrameworks, Target::Province),
        next_year: f.year + 1,
        unit_type: f.unit_type.label(ctx.lang),
        max: f.max.display(ctx.lang),
        survey_total: survey_total(&f, ctx.lang),
        shape: f.shape(),
        rows,
        f,
        ctx,
    })
}

/// A node's editable values, as the edit form shows them.
pub struct EditRow {
    pub code: String,
    pub depth: usize,
    pub name: String,
    pub max: String,
    pub has_max: bool,
    pub guidance: String,
    pub evidence: String,
    pub rule: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "framework_edit.html")]
pub struct EditPage {
    ctx: Ctx,
    id: i64,
    name: String,
    next_version: u32,
    rows: Vec<EditRow>,
    problems: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "framework_edit_problems.html")]
pub struct EditProblems {
    ctx: Ctx,
    problems: Vec<String>,
}

fn edit_rows(f: &Framework, lang: Lang) -> Vec<EditRow> {
    f.walk()
        .into_iter()
        .map(|l| EditRow {
            code: l.node.code.clone(),
            depth: l.depth,
            name: l.node.name.clone(),
            max: l.node.max.map(|m| m.display(lang)).unwrap_or_default(),
            has_max: l.node.max.is_some(),
            guidance: l.node.guidance.clone().unwrap_or_default(),
            evidence: l.node.evidence.clone().unwrap_or_default(),
            rule: l.node.rule.as_ref().map(|r| r.label(lang)).unwrap_or(""),
        })
        .collect()
}

/// Applies edited values (`name_<code>`, `max_<code>`, `guidance_<code>`, `evidence_<code>`)
/// to a copy of `f`. Values that cannot be read become problems; the rest is validated.
fn apply_edits(f: &Framework, pairs: &[(String, String)], lang: Lang) -> (Framework, Vec<String>) {
    use std::collections::HashMap;
    let values: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut problems = Vec::new();
    let mut edited = f.clone();
    fn visit(
        nodes: &mut [chiso_core::framework::Node],
        values: &HashMap<&str, &str>,
        problems: &mut Vec<String>,
        lang: Lang,
    ) {
        for n in nodes {
            let key = |what: &str| format!("{what}_{}", n.code);
            if let Some(v) = values.get(key("name").as_str()) {
                n.name = chiso_core::text::clean(v);
            }
            if let Some(v) = values.get(key("max").as_str()) {
                match Points::parse(v) {
                    Some(p) => n.max = Some(p),
                    None if v.trim().is_empty() && n.max.is_none() => {}
                    None => problems.push(match lang {
                        Lang::Vi => format!("{}: \"{v}\" không phải là số điểm", n.code),
                        Lang::En => format!("{}: \"{v}\" is not a number of points", n.code),
                    }),
                }
            }
            if let Some(v) = values.get(key("guidance").as_str()) {
                n.guidance = Some(chiso_core::text::clean(v)).filter(|s| !s.is_empty());
            }
            if let Some(v) = values.get(key("evidence").as_str()) {
                n.evidence = Some(chiso_core::text::clean(v)).filter(|s| !s.is_empty());
            }
            visit(&mut n.children, values, problems, lang);
        }
    }
    visit(&mut edited.fields, &values, &mut problems, lang);
    if let Some(v) = values.get("framework_max") {
        match Points::parse(v) {
            Some(p) => edited.max = p,
            None => problems.push(format!("\"{v}\"")),
        }
    }
    problems.extend(
        chiso_core::framework::validate::validate(&edited)
            .iter()
            .map(|p| p.message(lang)),
    );
    (edited, problems)
}

/// The edit form: every node's name, maximum, guidance and evidence.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<EditPage, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    let latest = state
        .store
        .latest_framework(&f.code, f.year)
        .await?
        .map(|(s, _)| s.version)
        .unwrap_or(f.version);
    Ok(EditPage {
        id,
        name: f.name.clone(),
        next_version: latest + 1,
        rows: edit_rows(&f, ctx.lang),
        problems: Vec::new(),
        ctx,
    })
}

/// Checks edited values as they are typed (htmx): the list of problems, or none.
pub async fn edit_check(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<EditProblems, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    let (_, problems) = apply_edits(&f, &pairs, ctx.lang);
    Ok(EditProblems { ctx, problems })
}

/// Stores the edited framework as the next version, if it is valid.
pub async fn edit_save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    let (mut edited, problems) = apply_edits(&f, &pairs, ctx.lang);
    let latest = state
        .store
        .latest_framework(&f.code, f.year)
        .await?
        .map(|(s, _)| s.version)
        .unwrap_or(f.version);
    if !problems.is_empty() {
        let page = EditPage {
            id,
            name: f.name.clone(),
            next_version: latest + 1,
            rows: edit_rows(&edited, ctx.lang),
            problems,
            ctx,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    edited.version = latest + 1;
    let mut unchanged = edited.clone();
    unchanged.version = f.version;
    if unchanged == f {
        return Ok(redirect_with(
            &format!("/frameworks/{id}"),
            Flash::Saved,
            state.config.secure_cookies(),
        ));
    }
    let new_id = state
        .store
        .import_framework(
            &edited,
            &format!("edit of #{id}"),
            &user.by(),
            chrono::Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/frameworks/{new_id}"),
        Flash::FrameworkImported,
        state.config.secure_cookies(),
    ))
}

/// A field and its lead unit, for the assignment form.
pub struct LeadRow {
    pub code: String,
    pub name: String,
    pub unit: Option<i64>,
    pub overridden: bool,
}

impl LeadRow {
    /// Whether `id` is the chosen unit (for the select).
    pub fn is(&self, id: &i64) -> bool {
        self.unit == Some(*id)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "framework_leads.html")]
pub struct LeadsPage {
    ctx: Ctx,
    id: i64,
    name: String,
    rows: Vec<LeadRow>,
    units: Vec<(i64, String)>,
}

/// The lead department of each field, for the administrator to change.
pub async fn leads_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<LeadsPage, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (summary, _) = state.store.framework(FrameworkId(id)).await?;
    let today = chiso_core::format::vietnam_day(chrono::Utc::now());
    let mut units: Vec<chiso_core::units::Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .filter(|u| u.unit_type == chiso_core::units::UnitType::Department && u.is_active_on(today))
        .collect();
    units.sort_by_cached_key(|u| chiso_core::text::collation_key(&u.name));
    let rows = state
        .store
        .field_leads(FrameworkId(id))
        .await?
        .into_iter()
        .map(|l| LeadRow {
            code: l.field_code,
            name: l.field_name,
            unit: l.unit.map(|u| u.0),
            overridden: l.overridden,
        })
        .collect();
    Ok(LeadsPage {
        ctx,
        id,
        name: summary.name,
        rows,
        units: units.into_iter().map(|u| (u.id.0, u.name)).collect(),
    })
}

/// Saves changed lead departments (`field_<code>` = unit id).
pub async fn leads_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let current = state.store.field_leads(FrameworkId(id)).await?;
    for (key, value) in pairs {
        let Some(code) = key.strip_prefix("field_") else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let unit = value
            .parse::<i64>()
            .map(chiso_core::ids::UnitId)
            .map_err(|_| WebError::BadRequest(format!("{key}: \"{value}\"")))?;
        state.store.unit(unit).await?;
        if current
            .iter()
            .any(|l| l.field_code == code && l.unit == Some(unit))
        {
            continue;
        }
        state
            .store
            .set_field_lead(FrameworkId(id), code, unit, &user.by(), chrono::Utc::now())
            .await?;
    }
    Ok(redirect_with(
        &format!("/frameworks/{id}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A stored framework as a file (`yaml` or `xlsx`).
pub async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((id, ext)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    let file_name = format!("{}-{}-v{}.{ext}", f.code, f.year, f.version);
    let bytes = framework_file::save(&f, &file_name).map_err(|_| WebError::NotFound)?;
    let mime = if ext == "xlsx" {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "application/yaml; charset=utf-8"
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CloneForm {
    year: i32,
}

/// Copies a framework to another year (version 1, same codes) and stores it.
pub async fn clone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CloneForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let (_, f) = state.store.framework(FrameworkId(id)).await?;
    if !(2000..=2100).contains(&form.year) {
        return Err(WebError::BadRequest(format!("{}", form.year)));
    }
    let next = chiso_core::framework::crosswalk::clone_for_year(&f, form.year);
    if let Some((existing, _)) = state.store.latest_framework(&next.code, form.year).await? {
        return Err(WebError::Conflict(format!(
            "{} {} (#{})",
            next.code, form.year, existing.id
        )));
    }
    let new_id = state
        .store
        .import_framework(
            &next,
            &format!("clone #{id}"),
            &user.by(),
            chrono::Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/frameworks/{new_id}"),
        Flash::FrameworkImported,
        state.config.secure_cookies(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "framework_import.html")]
pub struct ImportPage {
    ctx: Ctx,
    filename: String,
    errors: Vec<String>,
    /// Set when the file is valid.
    preview: Option<Preview>,
}

/// What a valid file would do.
pub struct Preview {
    pub name: String,
    pub code: String,
    pub year: i32,
    pub version: u32,
    pub unit_type: &'static str,
    pub shape: (usize, usize, usize),
    pub max: String,
    pub survey_total: String,
    /// "new", "unchanged" or "version".
    pub decision: &'static str,
    pub changes: Vec<String>,
    /// The framework as YAML, carried to the apply step.
    pub yaml: String,
}

/// The import form.
pub async fn import_form(ctx: Ctx, user: CurrentUser) -> Result<ImportPage, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    Ok(ImportPage {
        ctx,
        filename: String::new(),
        errors: Vec::new(),
        preview: None,
    })
}

/// Checks a framework against what is stored: the decision and its changes, or the conflict.
async fn preview(
    state: &AppState,
    f: Framework,
    lang: Lang,
) -> Result<Result<Preview, String>, WebError> {
    let latest = state.store.latest_framework(&f.code, f.year).await?;
    let decision = match decide_import(latest.as_ref().map(|(_, s)| s), &f) {
        Ok(d) => d,
        Err(conflict) => return Ok(Err(conflict.message(&f, lang))),
    };
    let (decision, changes) = match decision {
        ImportDecision::New => ("new", Vec::new()),
        ImportDecision::Unchanged => ("unchanged", Vec::new()),
        ImportDecision::NewVersion(c) => ("version", c.iter().map(|c| c.message(lang)).collect()),
    };
    Ok(Ok(Preview {
        name: f.name.clone(),
        code: f.code.clone(),
        year: f.year,
        version: f.version,
        unit_type: f.unit_type.label(lang),
        shape: f.shape(),
        max: f.max.display(lang),
        survey_total: survey_total(&f, lang),
        decision,
        changes,
        yaml: yaml::to_yaml(&f),
    }))
}

/// Reads an uploaded file and shows what importing it would do. Nothing is written.
pub async fn import_preview(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let file = crate::pages::read_upload(&mut multipart, "framework.yaml").await?;
    let refuse = |ctx: Ctx, filename: String, errors: Vec<String>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ImportPage {
                ctx,
                filename,
                errors,
                preview: None,
            },
        )
            .into_response()
    };
    let Some((filename, bytes)) = file else {
        let msg = ctx.t.import_no_file.to_string();
        return Ok(refuse(ctx, String::new(), vec![msg]));
    };
    let f = match framework_file::load(&bytes, &filename, ctx.lang) {
        Ok(f) => f,
        Err(LoadError::UnknownFormat) => {
            let msg = ctx.t.framework_file_types.to_string();
            return Ok(refuse(ctx, filename, vec![msg]));
        }
        Err(LoadError::Invalid(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| format!("{filename}: {e}"))
                .collect();
            return Ok(refuse(ctx, filename, errors));
        }
    };
    match preview(&state, f, ctx.lang).await? {
        Ok(p) => Ok(ImportPage {
            ctx,
            filename,
            errors: Vec::new(),
            preview: Some(p),
        }
        .into_response()),
        Err(conflict) => Ok(refuse(
            ctx,
            filename.clone(),
            vec![format!("{filename}: {conflict}")],
        )),
    }
}

#[derive(Deserialize)]
pub struct ApplyForm {
    filename: String,
    yaml: String,
}

/// Stores a previewed framework, checked again against what is stored now.
pub async fn import_apply(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let filename = chiso_core::text::clean(&form.filename);
    let f = match framework_file::load(form.yaml.as_bytes(), "preview.yaml", ctx.lang) {
        Ok(f) => f,
        Err(LoadError::Invalid(errors)) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                ImportPage {
                    ctx,
                    filename,
                    errors,
                    preview: None,
                },
            )
                .into_response());
        }
        Err(LoadError::UnknownFormat) => return Err(WebError::Internal("preview is YAML".into())),
    };
    let latest = state.store.latest_framework(&f.code, f.year).await?;
    match decide_import(latest.as_ref().map(|(_, s)| s), &f) {
        Ok(ImportDecision::Unchanged) => {
            let id = latest.map(|(s, _)| s.id.0).unwrap_or_default();
            Ok(redirect_with(
                &format!("/frameworks/{id}"),
                Flash::Saved,
                state.config.secure_cookies(),
            ))
        }
        Ok(_) => {
            let id = state
                .store
                .import_framework(&f, &filename, &user.by(), chrono::Utc::now())
                .await?;
            Ok(redirect_with(
                &format!("/frameworks/{id}"),
                Flash::FrameworkImported,
                state.config.secure_cookies(),
            ))
        }
        Err(conflict) => {
            let errors = vec![conflict.message(&f, ctx.lang)];
            Ok((
                StatusCode::CONFLICT,
                ImportPage {
                    ctx,
                    filename,
                    errors,
                    preview: None,
                },
            )
                .into_response())
        }
    }
}
