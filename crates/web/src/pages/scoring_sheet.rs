//! The scoring sheet round trip: a focal point downloads the unit's items as an Excel sheet,
//! fills it offline, uploads it; every row is checked by the item's rule and the account's
//! rights, the differences are shown, and only the confirmed ones are saved — together, or not
//! at all if any item changed in the meantime.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::grid::{UnitData, field_of, load};
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use chiso_core::framework::{Node, Points, Rule};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::Action;
use chiso_core::round::entry::{SelfEntry, self_score};
use chiso_reports::scoring_sheet::{SheetItem, SheetRow};
use chrono::Utc;

fn how(node: &Node, lang: Lang) -> String {
    match &node.rule {
        Some(Rule::Levels { levels }) => format!(
            "{}: {}",
            node.rule
                .as_ref()
                .map(|r| r.label(lang))
                .unwrap_or_default(),
            levels
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{} = {} ({})", i + 1, l.label, l.points.display(lang)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Some(Rule::Bands {
            numerator,
            denominator,
            ..
        })
        | Some(Rule::Proportional {
            numerator,
            denominator,
        }) => format!(
            "{}: {numerator} / {denominator}",
            node.rule
                .as_ref()
                .map(|r| r.label(lang))
                .unwrap_or_default()
        ),
        Some(r) => r.label(lang).to_string(),
        None => String::new(),
    }
}

/// A figure as the sheet holds it: no thousands separator (read back, "12.450" would be
/// 12,45), the decimal comma in Vietnamese.
fn decimal_text(d: rust_decimal::Decimal, lang: Lang) -> String {
    let text = d.normalize().to_string();
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// An entry as the sheet's cells.
fn cells(entry: &SelfEntry, lang: Lang) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(n) = entry.numerator {
        out.push(("numerator", decimal_text(n, lang)));
    }
    if let Some(d) = entry.denominator {
        out.push(("denominator", decimal_text(d, lang)));
    }
    if let Some(l) = entry.level {
        out.push(("level", (l + 1).to_string()));
    }
    if let Some(m) = entry.met {
        out.push(("met", if m { "có" } else { "không" }.to_string()));
    }
    if let Some(p) = entry.points {
        out.push(("points", p.display(lang)));
    }
    if let Some(r) = &entry.not_applicable {
        out.push(("na", "x".into()));
        out.push(("na_reason", r.clone()));
    }
    out.push(("explanation", entry.explanation.clone()));
    out
}

/// `GET /rounds/{id}/units/{unit}/sheet.xlsx`.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let unit_row = state.store.unit(UnitId(unit)).await?;
    let data = UnitData::load(&state, &l, unit, None).await?;
    let items: Vec<SheetItem> = l
        .items()
        .into_iter()
        .filter(|n| !matches!(n.rule, Some(Rule::Survey { .. })))
        .map(|n| {
            let stored = data.entries.get(&n.code);
            SheetItem {
                code: n.code.clone(),
                name: n.name.clone(),
                how: how(n, ctx.lang),
                max: n.max.map(|m| m.decimal()),
                editable: l.perms(&user, unit, field_of(&n.code)).edit,
                values: stored
                    .map(|s| cells(&s.entry, ctx.lang))
                    .unwrap_or_default(),
                version: stored.map_or(0, |s| s.version),
            }
        })
        .collect();
    let title = match ctx.lang {
        Lang::Vi => format!("PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM — {}", unit_row.name),
        Lang::En => format!("SELF-ASSESSMENT SHEET — {}", unit_row.name),
    };
    let bytes = chiso_reports::scoring_sheet::write(&title, &l.round.name, &items)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!(
            "phieu-cham-diem-{}-{round}.xlsx",
            unit_row.code.to_lowercase()
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
    ))
}

/// A change read from the sheet, as the review shows it.
pub struct Change {
    pub code: String,
    pub name: String,
    pub before: String,
    pub after: String,
    pub score_before: String,
    pub score_after: String,
    /// The form fields that carry it to the confirmation.
    pub fields: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "scoring_sheet_review.html")]
pub struct ReviewPage {
    ctx: Ctx,
    round: i64,
    unit: i64,
    unit_name: String,
    file_name: String,
    changes: Vec<Change>,
    problems: Vec<String>,
    unchanged: usize,
}

/// An entry's cells as one line for the review.
fn summary(entry: &SelfEntry, lang: Lang) -> String {
    cells(entry, lang)
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Reads a row's cells into an entry, or says what is wrong, naming the row and column.
fn entry_of(row: &SheetRow, file: &str, lang: Lang) -> Result<(SelfEntry, i64), String> {
    let place = |col: &str| match lang {
        Lang::Vi => format!("{file}, dòng {}, cột {col}", row.row),
        Lang::En => format!("{file}, row {}, column {col}", row.row),
    };
    let number = |key: &str, col: &str| -> Result<Option<rust_decimal::Decimal>, String> {
        match row.get(key) {
            "" => Ok(None),
            v => crate::pages::grid::parse_decimal(v)
                .map(Some)
                .ok_or_else(|| format!("{}: \"{v}\" — {}", place(col), not_a_number(lang))),
        }
    };
    let level = match row.get("level") {
        "" => None,
        v => Some(
            v.parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .map(|n| n - 1)
                .ok_or_else(|| format!("{}: \"{v}\" — {}", place("Mức"), not_a_number(lang)))?,
        ),
    };
    let met = match chiso_core::text::fold(row.get("met")).as_str() {
        "" => None,
        "co" | "x" | "1" | "yes" | "dat" => Some(true),
        "khong" | "0" | "no" | "khong dat" => Some(false),
        v => {
            return Err(format!(
                "{}: \"{v}\" — {}",
                place("Đạt"),
                match lang {
                    Lang::Vi => "ghi \"có\" hoặc \"không\"",
                    Lang::En => "write \"có\" or \"không\"",
                }
            ));
        }
    };
    let points = match row.get("points") {
        "" => None,
        v => Some(
            Points::parse(v)
                .ok_or_else(|| format!("{}: \"{v}\" — {}", place("Điểm"), not_a_number(lang)))?,
        ),
    };
    // Only a mark means "not applicable": "không" in that column does not.
    let na = matches!(
        chiso_core::text::fold(row.get("na")).as_str(),
        "x" | "co" | "1" | "yes"
    );
    let entry = SelfEntry {
        numerator: number("numerator", "Tử số")?,
        denominator: number("denominator", "Mẫu số")?,
        level,
        met,
        points,
        not_applicable: na.then(|| chiso_core::text::clean(row.get("na_reason"))),
        explanation: chiso_core::text::clean(row.get("explanation")),
    };
    Ok((entry, row.get("version").parse().unwrap_or(0)))
}

fn not_a_number(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "không phải là số",
        Lang::En => "not a number",
    }
}

/// The form fields that carry an entry (the grid's names).
fn fields_of(entry: &SelfEntry, version: i64, code: &str) -> Vec<(String, String)> {
    let mut f = vec![(format!("{code}|version"), version.to_string())];
    let mut put = |k: &str, v: String| f.push((format!("{code}|{k}"), v));
    if let Some(n) = entry.numerator {
        put("numerator", n.to_string());
    }
    if let Some(d) = entry.denominator {
        put("denominator", d.to_string());
    }
    if let Some(l) = entry.level {
        put("level", l.to_string());
    }
    if let Some(m) = entry.met {
        put("met", if m { "1" } else { "0" }.into());
    }
    if let Some(p) = entry.points {
        put("points", p.to_string());
    }
    if let Some(r) = &entry.not_applicable {
        put("na", "1".into());
        put("na_reason", r.clone());
    }
    put("explanation", entry.explanation.clone());
    f
}

/// `POST /rounds/{id}/units/{unit}/sheet`: reads an uploaded sheet and shows what would change.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Result<ReviewPage, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let (name, bytes) = crate::pages::read_upload(&mut multipart, "phieu-cham-diem.xlsx")
        .await?
        .ok_or_else(|| WebError::BadRequest(ctx.t.file_required.to_string()))?;
    let rows = chiso_reports::scoring_sheet::read(&bytes).map_err(|errors| {
        WebError::BadRequest(format!(
            "{name}: {}",
            errors
                .iter()
                .map(|e| e.message(ctx.lang))
                .collect::<Vec<_>>()
                .join(" · ")
        ))
    })?;
    let data = UnitData::load(&state, &l, unit, None).await?;
    let unit_row = state.store.unit(UnitId(unit)).await?;
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    let mut unchanged = 0;
    for row in &rows {
        let Some(node) = l.items().into_iter().find(|n| n.code == row.code) else {
            problems.push(format!(
                "{name}, {} {}: {} \"{}\"",
                ctx.t.row, row.row, ctx.t.sheet_unknown_item, row.code
            ));
            continue;
        };
        let (entry, version) = match entry_of(row, &name, ctx.lang) {
            Ok(x) => x,
            Err(m) => {
                problems.push(m);
                continue;
            }
        };
        let stored = data.entries.get(&node.code);
        let current = stored.map(|s| s.entry.clone()).unwrap_or_default();
        if entry == current {
            unchanged += 1;
            continue;
        }
        // Changed on chiso since the sheet was downloaded: the sheet's values would undo that
        // edit, so the row is left out and said so.
        if version != stored.map_or(0, |s| s.version) {
            problems.push(format!(
                "{name}, {} {}: {} {}",
                ctx.t.row, row.row, node.code, ctx.t.sheet_changed_online
            ));
            continue;
        }
        if matches!(node.rule, Some(Rule::Survey { .. }))
            || !l.perms(&user, unit, field_of(&node.code)).edit
        {
            problems.push(format!(
                "{name}, {} {}: {} {}",
                ctx.t.row, row.row, node.code, ctx.t.sheet_not_yours
            ));
            continue;
        }
        let score = match self_score(node, &entry) {
            Ok(s) => s,
            Err(p) => {
                problems.push(format!(
                    "{name}, {} {}: {} — {}",
                    ctx.t.row,
                    row.row,
                    node.code,
                    p.message(ctx.lang)
                ));
                continue;
            }
        };
        let show = |p: Option<Points>| p.map(|p| p.display(ctx.lang)).unwrap_or_default();
        changes.push(Change {
            code: node.code.clone(),
            name: node.name.clone(),
            before: summary(&current, ctx.lang),
            after: summary(&entry, ctx.lang),
            score_before: show(stored.and_then(|s| s.self_points)),
            score_after: show(score),
            fields: fields_of(&entry, version, &node.code),
        });
    }
    Ok(ReviewPage {
        round,
        unit,
        unit_name: unit_row.name,
        file_name: name,
        changes,
        problems,
        unchanged,
        ctx,
    })
}

/// `POST /rounds/{id}/units/{unit}/sheet/apply`: saves the confirmed changes, checked again,
/// all together; an item changed since the sheet was read refuses them all.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    let chosen: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "apply")
        .map(|(_, v)| v.as_str())
        .collect();
    if chosen.is_empty() {
        return Err(WebError::BadRequest(ctx.t.sheet_nothing_chosen.to_string()));
    }
    let mut items = Vec::new();
    for code in chosen {
        let node = l.leaf(code)?;
        if matches!(node.rule, Some(Rule::Survey { .. })) {
            return Err(WebError::BadRequest(format!(
                "{code} {}",
                ctx.t.sheet_not_yours
            )));
        }
        user.require(
            Action::EnterSelfAssessment,
            l.target(&user, unit, field_of(code)),
        )?;
        if !l.perms(&user, unit, field_of(code)).edit {
            return Err(WebError::BadRequest(format!(
                "{code} {}",
                ctx.t.sheet_not_yours
            )));
        }
        // The grid's own reading of an item's fields, under the item's prefix.
        let own: Vec<(String, String)> = pairs
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&format!("{code}|"))
                    .map(|f| (f.to_string(), v.clone()))
            })
            .collect();
        let (entry, version) =
            crate::pages::grid::entry_from(&own, ctx.lang).map_err(WebError::BadRequest)?;
        let score = self_score(node, &entry)
            .map_err(|p| WebError::BadRequest(format!("{code}: {}", p.message(ctx.lang))))?;
        items.push((code.to_string(), entry, score, version));
    }
    match state
        .store
        .save_self_entries(round, unit, &items, &user.by(), Utc::now())
        .await
    {
        Ok(_) => Ok(redirect_with(
            &format!("/rounds/{round}/units/{unit}"),
            Flash::Saved,
            state.config.secure_cookies(),
        )),
        Err(chiso_store::StoreError::Conflict(codes)) => Err(WebError::BadRequest(format!(
            "{} {codes}",
            ctx.t.sheet_changed_meanwhile
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /rounds/{id}/units/{unit}/annex.xlsx`: the unit's annex table, for those who see it.
pub async fn annex(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let annex = crate::pages::grid::annex_report(&state, round, unit).await?;
    let code = state.store.unit(UnitId(unit)).await?.code.to_lowercase();
    let bytes = chiso_reports::annex_xlsx::annex_workbook(&annex)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!("phu-bieu-{code}-{round}.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
    ))
}

/// A row of the printable annex.
pub struct PrintRow {
    pub code: String,
    pub name: String,
    pub depth: u8,
    pub max: String,
    pub self_score: String,
    pub a1: String,
    pub a2: String,
    pub final_score: String,
    pub reason: String,
    pub evidence: String,
}

/// The annex as a printable page (for PDF): the same rows as the workbook.
#[derive(Template)]
#[template(path = "print_annex.html")]
pub struct PrintAnnex<'a> {
    a: &'a chiso_reports::annex_xlsx::Annex,
    rows: Vec<PrintRow>,
}

/// `GET /rounds/{id}/units/{unit}/annex.pdf`.
pub async fn annex_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let annex = crate::pages::grid::annex_report(&state, round, unit).await?;
    let show = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| Points::new(d).display(Lang::Vi))
            .unwrap_or_default()
    };
    let rows = annex
        .rows
        .iter()
        .map(|r| PrintRow {
            code: r.code.clone(),
            name: r.name.clone(),
            depth: r.depth,
            max: show(r.max),
            self_score: show(r.self_score),
            a1: show(r.appraisal1),
            a2: show(r.appraisal2),
            final_score: show(r.final_score),
            reason: r.reason.clone(),
            evidence: r.evidence.join("; "),
        })
        .collect();
    let html = askama::Template::render(&PrintAnnex { a: &annex, rows })
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let pdf = crate::pdf::from_html(&html)
        .await
        .map_err(|e| WebError::BadRequest(format!("{}: {e}", ctx.t.pdf_unavailable)))?;
    let code = state.store.unit(UnitId(unit)).await?.code.to_lowercase();
    Ok(crate::pages::attachment(
        pdf,
        &format!("phu-bieu-{code}-{round}.pdf"),
        "application/pdf".into(),
    ))
}
