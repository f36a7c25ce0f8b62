//! Results other bodies publish (PAR INDEX of all provinces, SIPAS, PAPI, PCI, DTI): the
//! ranking of one index and year with our province highlighted, our province over the years
//! (table and chart), and the import (upload → preview with every problem on its line, or what
//! will be stored and what it replaces → confirm).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::external::{
    self, Choice, IndexCode, Origin, ParsedFile, PublishedResult, entity_key,
};
use chiso_core::framework::Points;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::text::clean;
use chiso_core::units::UnitType;
use chiso_store::external::ExternalSet;
use chiso_store::units::UnitFilter;
use chrono::Utc;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

/// A value with the language's separators, at least two decimals (`86,44`), more when the
/// figure has more (`0,5123`), so nothing published is hidden by rounding.
fn value_text(p: Points, lang: Lang) -> String {
    let places = p.decimal().normalize().scale().max(2);
    chiso_core::format::decimal(p.decimal(), places, lang)
}

/// A change with its sign (`+1,46`, `-0,50`).
fn change_text(p: Points, lang: Lang) -> String {
    let text = value_text(p, lang);
    if p.is_positive() {
        format!("+{text}")
    } else {
        text
    }
}

/// The province the units table holds (the unit of type Province valid today).
async fn our_province(state: &AppState) -> Result<Option<String>, WebError> {
    let today = chiso_core::format::vietnam_day(Utc::now());
    let found = state
        .store
        .find_units(&UnitFilter {
            unit_type: Some(UnitType::Province),
            active_on: Some(today),
            ..UnitFilter::default()
        })
        .await?;
    Ok(found.into_iter().next().map(|u| u.name))
}

/// An option of a select.
pub struct Choosable {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One row of the ranking.
pub struct RankRow {
    pub rank: u32,
    pub rank_given: bool,
    pub name: String,
    pub value: String,
    pub max: String,
    pub ours: bool,
}

/// Our province in the selected table.
pub struct OurPosition {
    pub name: String,
    pub rank: u32,
    pub value: String,
    /// "cao hơn trung bình 1,37" / "thấp hơn trung bình 0,20".
    pub versus_mean: String,
}

/// One year of our series.
pub struct SeriesRow {
    pub year: i32,
    pub value: String,
    pub value_change: String,
    pub rank: u32,
    /// Entities ranked that year, when known.
    pub count: String,
    pub rank_change: String,
    pub current: bool,
}

/// The selected index × year.
pub struct Selected {
    pub index_label: &'static str,
    pub year: i32,
    pub set: ExternalSet,
    pub imported_at: String,
    pub rows: Vec<RankRow>,
    pub has_max: bool,
    /// Whether some rank was computed (the file gave none).
    pub any_computed: bool,
    pub count: usize,
    pub mean: String,
    pub above_mean: usize,
    pub ours: Option<OurPosition>,
    pub series: Vec<SeriesRow>,
    /// The chart's Chart.js configuration, JSON made safe to sit inside a `<script>`.
    pub chart: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "external.html")]
pub struct ExternalPage {
    ctx: Ctx,
    indices: Vec<Choosable>,
    years: Vec<Choosable>,
    selected: Option<Selected>,
    province: Option<String>,
    can_import: bool,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    index: Option<String>,
    year: Option<String>,
}

/// JSON that can sit inside `<script type="application/json">`: no `<`, `>` or `&` left to
/// end the element or be read as markup (they only occur inside strings, where `\u` escapes
/// mean the same).
fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn number(p: Points) -> serde_json::Value {
    p.decimal()
        .to_f64()
        .map(serde_json::Value::from)
        .unwrap_or(serde_json::Value::Null)
}

/// A line chart of our value (left axis) and rank (right axis, 1 at the top) over the years.
fn chart(series: &[external::SeriesPoint], province: &str, t: &crate::i18n::Texts) -> String {
    let labels: Vec<String> = series.iter().map(|p| p.year.to_string()).collect();
    let values: Vec<serde_json::Value> = series.iter().map(|p| number(p.value)).collect();
    let ranks: Vec<u32> = series.iter().map(|p| p.rank).collect();
    script_json(&serde_json::json!({
        "type": "line",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "label": format!("{} — {}", province, t.external_value),
                    "data": values,
                    "yAxisID": "y",
                    "borderColor": "#1f5fa8",
                    "backgroundColor": "#1f5fa8",
                },
                {
                    "label": format!("{} — {}", province, t.external_rank),
                    "data": ranks,
                    "yAxisID": "rank",
                    "borderColor": "#b3261e",
                    "backgroundColor": "#b3261e",
                    "borderDash": [6, 4],
                },
            ],
        },
        "options": {
            "scales": {
                "y": {
                    "type": "linear",
                    "position": "left",
                    "title": { "display": true, "text": t.external_value },
                },
                "rank": {
                    "type": "linear",
                    "axis": "y",
                    "position": "right",
                    "reverse": true,
                    "min": 1,
                    "ticks": { "precision": 0 },
                    "title": { "display": true, "text": t.external_rank_axis },
                    "grid": { "drawOnChartArea": false },
                },
            },
            "plugins": { "legend": { "position": "bottom" } },
        },
    }))
}

/// The selected table with our province, its series and the chart.
fn selected(
    set: &ExternalSet,
    table: &[PublishedResult],
    series: &[PublishedResult],
    sets: &[ExternalSet],
    province: Option<&str>,
    ctx: &Ctx,
) -> Selected {
    let (lang, t) = (ctx.lang, ctx.t);
    let key = province.map(entity_key);
    let ours_at = key.as_deref().and_then(|k| external::position(table, k));
    let summary = external::summary(table);
    let places = table
        .iter()
        .map(|r| r.value.decimal().normalize().scale())
        .max()
        .unwrap_or(2)
        .max(2);
    let mean = summary.as_ref().map_or(Decimal::ZERO, |s| s.mean);
    let shown_mean =
        mean.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let ours = ours_at.map(|i| {
        let r = &table[i];
        let gap = r.value.decimal() - shown_mean;
        let gap_text = chiso_core::format::decimal(gap.abs(), places, lang);
        OurPosition {
            name: r.name.clone(),
            rank: r.rank,
            value: value_text(r.value, lang),
            versus_mean: if gap >= Decimal::ZERO {
                format!("{} {gap_text}", t.external_above)
            } else {
                format!("{} {gap_text}", t.external_below)
            },
        }
    });
    let points = external::series(series);
    let count_of = |year: i32| {
        sets.iter()
            .find(|s| s.index == set.index && s.year == year)
            .map(|s| s.count)
    };
    let series_rows = points
        .iter()
        .map(|p| SeriesRow {
            year: p.year,
            value: value_text(p.value, lang),
            value_change: p
                .value_change
                .map(|c| change_text(c, lang))
                .unwrap_or_default(),
            rank: p.rank,
            count: count_of(p.year).map(|n| n.to_string()).unwrap_or_default(),
            rank_change: match (p.rank_change, p.previous_year) {
                (Some(c), Some(y)) => format!(
                    "{} ({} {y})",
                    external::rank_change_text(c, lang),
                    t.external_compared_with
                ),
                _ => String::new(),
            },
            current: p.year == set.year,
        })
        .collect();
    let chart = chart(&points, province.unwrap_or_default(), t);
    Selected {
        index_label: set.index.label(lang),
        year: set.year,
        set: set.clone(),
        imported_at: ctx.time(&set.imported_at),
        has_max: table.iter().any(|r| r.max.is_some()),
        any_computed: table.iter().any(|r| !r.rank_given),
        rows: table
            .iter()
            .enumerate()
            .map(|(i, r)| RankRow {
                rank: r.rank,
                rank_given: r.rank_given,
                name: r.name.clone(),
                value: value_text(r.value, lang),
                max: r.max.map(|m| value_text(m, lang)).unwrap_or_default(),
                ours: Some(i) == ours_at,
            })
            .collect(),
        count: table.len(),
        mean: chiso_core::format::decimal(mean, places, lang),
        above_mean: summary.map_or(0, |s| s.above_mean),
        ours,
        series: series_rows,
        chart,
    }
}

/// The ranking of one index and year, our province highlighted, and our province over the years.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<ShowQuery>,
) -> Result<ExternalPage, WebError> {
    user.require(Action::ViewResults, Target::Province)?;
    let can_import = user.can(Action::ManageRounds, Target::Province);
    let sets = state.store.external_sets().await?;
    let province = our_province(&state).await?;
    let asked_index = q.index.as_deref().and_then(IndexCode::from_code);
    let index = asked_index.or_else(|| sets.first().map(|s| s.index));
    let asked_year = q.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok());
    // Sets come newest year first: without a year (or with one not stored), the newest.
    let set = index.and_then(|i| {
        let mut of_index = sets.iter().filter(|s| s.index == i);
        of_index
            .clone()
            .find(|s| Some(s.year) == asked_year)
            .or_else(|| of_index.next())
    });
    let selected = match set {
        Some(set) => {
            let table = state.store.external_table(set.index, set.year).await?;
            let series = match &province {
                Some(name) => state.store.external_series(set.index, name).await?,
                None => Vec::new(),
            };
            Some(selected(
                set,
                &table,
                &series,
                &sets,
                province.as_deref(),
                &ctx,
            ))
        }
        None => None,
    };
    let mut indices: Vec<IndexCode> = sets.iter().map(|s| s.index).collect();
    indices.dedup();
    let indices = indices
        .into_iter()
        .map(|i| Choosable {
            value: i.code().to_string(),
            label: i.label(ctx.lang).to_string(),
            selected: Some(i) == set.map(|s| s.index),
        })
        .collect();
    let years = sets
        .iter()
        .filter(|s| Some(s.index) == set.map(|s| s.index))
        .map(|s| Choosable {
            value: s.year.to_string(),
            label: s.year.to_string(),
            selected: Some(s.year) == set.map(|s| s.year),
        })
        .collect();
    Ok(ExternalPage {
        ctx,
        indices,
        years,
        selected,
        province,
        can_import,
    })
}

/// One row to be stored, as the preview shows it.
pub struct PreviewRow {
    pub line: u64,
    pub rank: u32,
    pub rank_given: bool,
    pub name: String,
    pub value: String,
    pub max: String,
}

/// The stored set an import replaces.
pub struct Replaced {
    pub count: usize,
    pub source: String,
    pub at: String,
    pub by: String,
}

/// One index × year of the file, what it replaces and how it differs.
pub struct PreviewSet {
    pub label: String,
    pub rows: Vec<PreviewRow>,
    pub has_max: bool,
    /// What is stored now; `None` when nothing is.
    pub replaces: Option<Replaced>,
    pub diff: external::SetDiff,
}

#[derive(Template, WebTemplate)]
#[template(path = "external_import.html")]
pub struct ImportPage {
    ctx: Ctx,
    indices: Vec<Choosable>,
    year: String,
    filename: String,
    errors: Vec<String>,
    ignored: Vec<String>,
    preview: Vec<PreviewSet>,
    /// Whether some rank of the preview was computed (the file gave none).
    any_computed: bool,
    /// The file in canonical CSV, carried to the confirm step; empty before a good file.
    csv: String,
}

fn index_options(chosen: Option<IndexCode>, lang: Lang) -> Vec<Choosable> {
    IndexCode::ALL
        .iter()
        .map(|i| Choosable {
            value: i.code().to_string(),
            label: i.label(lang).to_string(),
            selected: Some(*i) == chosen,
        })
        .collect()
}

fn import_page(ctx: Ctx, choice: Choice, filename: String, errors: Vec<String>) -> ImportPage {
    ImportPage {
        indices: index_options(choice.index, ctx.lang),
        year: choice.year.map(|y| y.to_string()).unwrap_or_default(),
        filename,
        errors,
        ignored: Vec::new(),
        preview: Vec::new(),
        any_computed: false,
        csv: String::new(),
        ctx,
    }
}

/// The import page: choose a file, and the index and year if the file does not say.
pub async fn import_form(ctx: Ctx, user: CurrentUser) -> Result<ImportPage, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    Ok(import_page(
        ctx,
        Choice::default(),
        String::new(),
        Vec::new(),
    ))
}

/// What the upload form sent.
struct Upload {
    file: Option<(String, Vec<u8>)>,
    index: String,
    year: String,
}

async fn read_form(multipart: &mut Multipart) -> Result<Upload, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.to_string());
    let mut upload = Upload {
        file: None,
        index: String::new(),
        year: String::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("ket-qua.csv").to_string();
                let bytes = field.bytes().await.map_err(bad)?;
                upload.file = Some((name, bytes.to_vec())).filter(|(_, b)| !b.is_empty());
            }
            Some("index") => upload.index = field.text().await.map_err(bad)?,
            Some("year") => upload.year = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    Ok(upload)
}

/// Reads a CSV or .xlsx file into checked sets, or every problem as a sentence.
fn parse_file(
    filename: &str,
    bytes: &[u8],
    choice: &Choice,
    ctx: &Ctx,
) -> Result<ParsedFile, Vec<String>> {
    let lower = filename.to_lowercase();
    let messages = |errors: Vec<external::ExternalError>| {
        errors
            .iter()
            .map(|e| e.message(ctx.lang))
            .collect::<Vec<_>>()
    };
    if lower.ends_with(".xls") {
        return Err(vec![ctx.t.external_xls.to_string()]);
    }
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        let sheet =
            chiso_reports::sheet_rows::first_sheet(bytes).map_err(|e| vec![e.message(ctx.lang)])?;
        return external::parse_rows(&Origin::Sheet(sheet.name), sheet.rows, true, choice)
            .map_err(messages);
    }
    external::parse_csv(bytes, choice).map_err(messages)
}

/// The preview of each set: its rows, and what it replaces.
async fn preview(
    state: &AppState,
    file: &ParsedFile,
    ctx: &Ctx,
) -> Result<Vec<PreviewSet>, WebError> {
    let sets = state.store.external_sets().await?;
    let mut out = Vec::with_capacity(file.sets.len());
    for set in &file.sets {
        let stored = state.store.external_table(set.index, set.year).await?;
        let replaces = sets
            .iter()
            .find(|s| s.index == set.index && s.year == set.year)
            .map(|s| Replaced {
                count: s.count,
                source: s.source.clone(),
                at: ctx.time(&s.imported_at),
                by: s.imported_by.clone(),
            });
        out.push(PreviewSet {
            label: format!("{} {}", set.index.label(ctx.lang), set.year),
            has_max: set.rows.iter().any(|r| r.result.max.is_some()),
            rows: set
                .rows
                .iter()
                .map(|r| PreviewRow {
                    line: r.line,
                    rank: r.result.rank,
                    rank_given: r.result.rank_given,
                    name: r.result.name.clone(),
                    value: value_text(r.result.value, ctx.lang),
                    max: r
                        .result
                        .max
                        .map(|m| value_text(m, ctx.lang))
                        .unwrap_or_default(),
                })
                .collect(),
            replaces,
            diff: external::compare(&stored, &set.results()),
        });
    }
    Ok(out)
}

/// Checks an uploaded file without storing anything: every problem on its line, or the rows
/// to be stored and what they replace.
pub async fn import_preview(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let upload = read_form(&mut multipart).await?;
    let mut form_errors = Vec::new();
    let index = match upload.index.trim() {
        "" => None,
        code => {
            let i = IndexCode::from_code(code);
            if i.is_none() {
                form_errors.push(ctx.t.external_index_invalid.to_string());
            }
            i
        }
    };
    let year = match upload.year.trim() {
        "" => None,
        text => {
            let y = text
                .parse::<i32>()
                .ok()
                .filter(|y| external::YEARS.contains(y));
            if y.is_none() {
                form_errors.push(ctx.t.external_year_invalid.to_string());
            }
            y
        }
    };
    let choice = Choice { index, year };
    let refuse = |ctx: Ctx, filename: String, errors: Vec<String>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(ctx, choice, filename, errors),
        )
            .into_response()
    };
    let Some((filename, bytes)) = upload.file else {
        form_errors.push(ctx.t.import_no_file.to_string());
        return Ok(refuse(ctx, String::new(), form_errors));
    };
    let filename = clean(&filename);
    if !form_errors.is_empty() {
        return Ok(refuse(ctx, filename, form_errors));
    }
    match parse_file(&filename, &bytes, &choice, &ctx) {
        Ok(file) => {
            let preview = preview(&state, &file, &ctx).await?;
            let mut page = import_page(ctx, choice, filename, Vec::new());
            page.csv = external::to_csv(&file);
            page.any_computed = file
                .sets
                .iter()
                .any(|s| s.rows.iter().any(|r| !r.result.rank_given));
            page.ignored = file.ignored_columns;
            page.preview = preview;
            Ok(page.into_response())
        }
        Err(errors) => Ok(refuse(ctx, filename, errors)),
    }
}

#[derive(Deserialize)]
pub struct ApplyForm {
    filename: String,
    csv: String,
}

/// Stores a previewed file (checked again): each index × year it holds replaces the stored
/// one, in one transaction.
pub async fn import_apply(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let filename = clean(&form.filename);
    match external::parse_csv(form.csv.as_bytes(), &Choice::default()) {
        Ok(file) => {
            state
                .store
                .import_external_results(&file, &filename, &user.by(), Utc::now())
                .await?;
            // The newest year of the file's first index.
            let first = file.sets.first().map(|s| s.index);
            let to = file
                .sets
                .iter()
                .rfind(|s| Some(s.index) == first)
                .map_or_else(
                    || "/results/external".to_string(),
                    |s| format!("/results/external?index={}&year={}", s.index, s.year),
                );
            Ok(redirect_with(
                &to,
                Flash::Saved,
                state.config.secure_cookies(),
            ))
        }
        Err(errors) => {
            let errors = errors.iter().map(|e| e.message(ctx.lang)).collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                import_page(ctx, Choice::default(), filename, errors),
            )
                .into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_decimals_and_changes_their_sign() {
        let p = |s: &str| Points::parse(s).unwrap();
        assert_eq!(value_text(p("86.44"), Lang::Vi), "86,44");
        assert_eq!(value_text(p("90.5"), Lang::Vi), "90,50");
        assert_eq!(value_text(p("0.5123"), Lang::Vi), "0,5123");
        assert_eq!(value_text(p("86.44"), Lang::En), "86.44");
        assert_eq!(change_text(p("1.46"), Lang::Vi), "+1,46");
        assert_eq!(change_text(p("-0.5"), Lang::Vi), "-0,50");
        assert_eq!(change_text(p("0"), Lang::Vi), "0,00");
    }

    #[test]
    fn chart_json_cannot_end_its_script_element() {
        let v = serde_json::json!({ "label": "</script><b>&" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
