//! Results of a round, for leaders and DOHA: the ranking with bands, statistics, year-on-year
//! change and rank stability; each unit's page with where it lost points, a what-if and what
//! it takes to move up; survey points; publishing, and the public page of published results.
//! Every figure is computed by `chiso_core::results` from the stored scores on each request.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chiso_core::framework::{Framework, Points, applicability, crosswalk};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::results::snapshot::Snapshot;
use chiso_core::results::{
    BandScale, Layout, NodeKind, Results, StabilitySettings, SurveySample, UnitChange, UnitInput,
    UnitScores, compute, published, year_on_year,
};
use chiso_core::round::appraisal;
use chiso_core::round::workflow::UnitState;
use chiso_store::rounds::{RoundId, RoundSummary};
use chrono::Utc;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// Everything a round's results are computed from.
pub(crate) struct RoundData {
    pub round: RoundSummary,
    pub framework: Framework,
    pub layout: Layout,
    pub scores: Vec<UnitScores>,
    pub ids: Vec<UnitId>,
    pub bands: BandScale,
    /// Units whose scores are final (round 2 concluded).
    pub final_units: usize,
    /// Applicable survey items without survey points (counted as 0).
    pub survey_missing: usize,
}

/// The settings key of a framework's band scale.
fn bands_key(framework_code: &str) -> String {
    format!("bands.{framework_code}")
}

/// The band scale of a framework: the administrator's, else national bands for a province
/// framework and the internal labels for departments and communes.
async fn bands_of(state: &AppState, f: &Framework) -> Result<BandScale, WebError> {
    if let Some(spec) = state.store.setting(&bands_key(&f.code)).await?
        && let Ok(b) = BandScale::parse(&spec)
    {
        return Ok(b);
    }
    Ok(if f.unit_type == chiso_core::units::UnitType::Province {
        BandScale::national()
    } else {
        BandScale::internal()
    })
}

/// Loads a round's scores and turns them into results input: for each item the final score
/// once round 2 concluded, else the standing one (round 2, round 1, self); survey items from
/// their survey points; exemptions by attribute and items declared not applicable.
pub(crate) async fn load_data(
    state: &AppState,
    round: RoundId,
    lang: Lang,
) -> Result<RoundData, WebError> {
    let round = state.store.round(round).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let layout = Layout::new(&framework);
    let units: HashMap<UnitId, chiso_core::units::Unit> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let members = state.store.round_units(round.id).await?;
    let attributes = state.store.all_unit_attributes().await?;
    let mut na: HashMap<UnitId, Vec<String>> = HashMap::new();
    for (u, code) in state.store.not_applicable_items(round.id).await? {
        na.entry(u).or_default().push(code);
    }
    let mut points: HashMap<UnitId, Vec<(String, Points)>> = HashMap::new();
    let survey_leaf: BTreeSet<&str> = layout
        .nodes()
        .iter()
        .filter(|n| n.kind == NodeKind::Survey)
        .map(|n| n.code.as_str())
        .collect();
    for s in state.store.round_scores(round.id).await? {
        // Survey items take their points from the survey only.
        if survey_leaf.contains(s.node.as_str()) {
            continue;
        }
        let p = match s.final_points {
            Some(f) => f,
            None => appraisal::standing(s.self_points, s.round1, s.round2),
        };
        if let Some(p) = p {
            points.entry(s.unit).or_default().push((s.node, p));
        }
    }
    let mut samples: HashMap<UnitId, Vec<SurveySample>> = HashMap::new();
    let mut surveyed: BTreeSet<(UnitId, String)> = BTreeSet::new();
    for s in state.store.survey_points(round.id).await? {
        surveyed.insert((s.unit, s.node.clone()));
        if let Some(n) = s.sample_size.and_then(|n| u32::try_from(n).ok()) {
            samples.entry(s.unit).or_default().push(SurveySample {
                code: s.node.clone(),
                n,
                ratio: None,
            });
        }
        points.entry(s.unit).or_default().push((s.node, s.points));
    }
    let empty = Default::default();
    let mut scores = Vec::with_capacity(members.len());
    let mut ids = Vec::with_capacity(members.len());
    let mut final_units = 0;
    let mut survey_missing = 0;
    for m in &members {
        let Some(unit) = units.get(&m.unit) else {
            continue;
        };
        if m.state == UnitState::Final {
            final_units += 1;
        }
        let mut exempt: Vec<String> =
            applicability::exempt_nodes(&framework, attributes.get(&m.unit).unwrap_or(&empty))
                .iter()
                .map(|n| n.code.clone())
                .collect();
        exempt.extend(na.remove(&m.unit).unwrap_or_default());
        // Group averages: communes by their district where they had one (data before
        // 01/07/2025), every other unit by its type.
        let group = unit
            .parent
            .and_then(|p| units.get(&p))
            .filter(|p| p.unit_type == chiso_core::units::UnitType::District)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| unit.unit_type.label(lang).to_string());
        let input = UnitInput {
            name: unit.name.clone(),
            group: Some(group),
            points: points.remove(&m.unit).unwrap_or_default(),
            exempt,
            samples: samples.remove(&m.unit).unwrap_or_default(),
        };
        let prepared = layout.prepare(&input).map_err(|problems| {
            WebError::Internal(format!(
                "{}: {}",
                unit.name,
                problems
                    .iter()
                    .map(|p| p.message(lang))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        survey_missing += layout
            .nodes()
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                n.kind == NodeKind::Survey
                    && prepared.applies(*i)
                    && !surveyed.contains(&(m.unit, n.code.clone()))
            })
            .count();
        scores.push(prepared);
        ids.push(m.unit);
    }
    let bands = bands_of(state, &framework).await?;
    Ok(RoundData {
        round,
        framework,
        layout,
        scores,
        ids,
        bands,
        final_units,
        survey_missing,
    })
}

/// Last year's round results and the change of each unit, where the round continues one.
struct Previous {
    data: RoundData,
}

async fn previous_of(
    state: &AppState,
    data: &RoundData,
    lang: Lang,
) -> Result<Option<Previous>, WebError> {
    match data.round.previous {
        Some(p) => Ok(Some(Previous {
            data: load_data(state, p, lang).await?,
        })),
        None => Ok(None),
    }
}

fn changes(
    now: &Results<'_>,
    ids: &[UnitId],
    previous: &Option<Previous>,
    f: &Framework,
) -> Vec<Option<UnitChange>> {
    let Some(p) = previous else {
        return vec![None; ids.len()];
    };
    let before = compute(&p.data.layout, &p.data.scores);
    let matches: Vec<Option<usize>> = ids
        .iter()
        .map(|id| p.data.ids.iter().position(|x| x == id))
        .collect();
    year_on_year(
        now,
        &before,
        &crosswalk::crosswalk(&p.data.framework, f),
        &matches,
    )
}

/// Who may see a round's results: those who view results province-wide; a unit's own staff
/// see their own unit's page once the results are published.
async fn require_results(
    state: &AppState,
    user: &CurrentUser,
    round: RoundId,
    unit: Option<UnitId>,
) -> Result<(), WebError> {
    if user.can(Action::ViewResults, Target::Province) {
        return Ok(());
    }
    if let Some(u) = unit
        && user.can(Action::ViewOwnResults, Target::Unit(u))
        && state.store.is_published(round).await?
    {
        return Ok(());
    }
    user.require(Action::ViewResults, Target::Province)
}

/// A round's data and the position of one unit in it, for those who may see that unit's results.
async fn unit_data(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    lang: Lang,
) -> Result<(RoundData, usize), WebError> {
    require_results(state, user, RoundId(round), Some(UnitId(unit))).await?;
    let data = load_data(state, RoundId(round), lang).await?;
    let u = data
        .ids
        .iter()
        .position(|x| x.0 == unit)
        .ok_or(WebError::NotFound)?;
    Ok((data, u))
}

fn pct(value: Decimal, lang: Lang) -> String {
    chiso_core::format::points(value, lang)
}

fn signed(value: Decimal, lang: Lang) -> String {
    let text = pct(value, lang);
    if value > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// "tăng 8 bậc" / "giảm 3 bậc" / "giữ nguyên".
fn rank_change_text(change: i64, lang: Lang) -> String {
    match (change.signum(), lang) {
        (1, Lang::Vi) => format!("tăng {change} bậc"),
        (-1, Lang::Vi) => format!("giảm {} bậc", -change),
        (_, Lang::Vi) => "giữ nguyên".into(),
        (1, Lang::En) => format!("up {change}"),
        (-1, Lang::En) => format!("down {}", -change),
        (_, Lang::En) => "unchanged".into(),
    }
}

/// Chart.js configuration as a JSON data island (drawn by /static/charts.js).
fn chart_json(value: serde_json::Value) -> String {
    // Nothing in the JSON can close or confuse the script element it sits in.
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

/// The results list: rounds with their state of results, and published results.
#[derive(Template, WebTemplate)]
#[template(path = "results_list.html")]
pub struct ResultsListPage {
    ctx: Ctx,
    rounds: Vec<(i64, String, &'static str, usize)>,
}

/// `/results`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> Result<ResultsListPage, WebError> {
    user.require(Action::ViewResults, Target::Province)?;
    let mut rounds = Vec::new();
    for r in state.store.list_rounds().await? {
        let published = state.store.count_publications(r.id).await?;
        rounds.push((r.id.0, r.name, r.phase.label(ctx.lang), published));
    }
    Ok(ResultsListPage { ctx, rounds })
}

/// One ranking row.
pub struct RankRow {
    pub unit_id: i64,
    pub rank: u32,
    pub name: String,
    pub group: String,
    pub total: String,
    pub max: String,
    pub index: String,
    pub band: String,
    pub points_change: String,
    pub rank_change: String,
    pub fields: Vec<String>,
    pub interval: String,
    pub near_tie: bool,
    sort_index: Decimal,
    sort_change: i64,
    sort_fields: Vec<Decimal>,
}

#[derive(Deserialize, Default)]
pub struct RankingQuery {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    band: String,
    /// Appraisal uncertainty for the rank intervals, points (e.g. `0,5`).
    #[serde(default)]
    sd: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "results.html")]
pub struct ResultsPage {
    ctx: Ctx,
    id: i64,
    name: String,
    framework: String,
    provisional: bool,
    final_units: usize,
    unit_count: usize,
    survey_missing: usize,
    fields: Vec<(String, String)>,
    rows: Vec<RankRow>,
    shown: usize,
    sort: String,
    q: String,
    group: String,
    band: String,
    groups: Vec<(String, String, String)>,
    band_counts: Vec<(String, String)>,
    band_names: Vec<String>,
    mean: String,
    median: String,
    above_mean: String,
    has_previous: bool,
    near_ties: Vec<String>,
    distribution: Vec<(String, usize)>,
    chart: String,
    can_manage: bool,
    can_publish: bool,
    bands_spec: String,
    publications: Vec<(i64, String, String, bool)>,
    today: String,
    sd: String,
}

/// The province overview of a round's results.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<RankingQuery>,
) -> Result<ResultsPage, WebError> {
    user.require(Action::ViewResults, Target::Province)?;
    let data = load_data(&state, RoundId(id), ctx.lang).await?;
    let previous = previous_of(&state, &data, ctx.lang).await?;
    let results = compute(&data.layout, &data.scores);
    let stats = results.statistics(&data.bands);
    let change = changes(&results, &data.ids, &previous, &data.framework);
    let field_ranks = results.field_ranks();
    let mut settings = StabilitySettings::default();
    if let Some(sd) = Points::parse(&q.sd).filter(|p| *p >= Points::ZERO && p.fits_scale()) {
        settings.appraisal_sd = sd;
    }
    let stability = results.stability(&settings);
    let mut near: BTreeSet<usize> = BTreeSet::new();
    let mut near_ties = Vec::new();
    for t in &stability.near_ties {
        near.insert(t.upper);
        near.insert(t.lower);
        near_ties.push(format!(
            "{} — {}: {} {}",
            data.scores[t.upper].name(),
            data.scores[t.lower].name(),
            match ctx.lang {
                Lang::Vi => "cách nhau",
                Lang::En => "apart by",
            },
            pct(t.gap, ctx.lang)
        ));
    }
    let lang = ctx.lang;
    let fields_pos = data.layout.fields().to_vec();
    let mut rows: Vec<RankRow> = results
        .order()
        .iter()
        .map(|&u| {
            let r = &results.units()[u];
            let c = change[u].as_ref();
            let iv = stability.units[u];
            RankRow {
                unit_id: data.ids[u].0,
                rank: r.rank,
                name: data.scores[u].name().to_string(),
                group: data.scores[u].group().unwrap_or("").to_string(),
                total: pct(r.total.decimal(), lang),
                max: r.max.display(lang),
                index: pct(r.published_index, lang),
                band: data
                    .bands
                    .label(r.published_index)
                    .unwrap_or("")
                    .to_string(),
                points_change: c
                    .map(|c| signed(published(c.total_change.decimal()), lang))
                    .unwrap_or_default(),
                rank_change: c
                    .map(|c| rank_change_text(c.rank_change, lang))
                    .unwrap_or_default(),
                fields: fields_pos
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| {
                        let n = results.node(u, f);
                        match (n.applicable, n.published_percent()) {
                            (true, Some(p)) => format!(
                                "{}{}",
                                pct(p, lang),
                                field_ranks
                                    .rank(u, i)
                                    .map(|k| format!(" ({k})"))
                                    .unwrap_or_default()
                            ),
                            _ => "—".into(),
                        }
                    })
                    .collect(),
                interval: if iv.best == iv.worst {
                    iv.best.to_string()
                } else {
                    format!("{}–{}", iv.best, iv.worst)
                },
                near_tie: near.contains(&u),
                sort_index: r.published_index,
                sort_change: c.map(|c| c.rank_change).unwrap_or(i64::MIN),
                sort_fields: fields_pos
                    .iter()
                    .map(|&f| {
                        results
                            .node(u, f)
                            .published_percent()
                            .unwrap_or(Decimal::MIN)
                    })
                    .collect(),
            }
        })
        .collect();
    // Distribution of the published index in 5-point bins, for the chart and its table.
    let mut bins: Vec<(String, usize)> = Vec::new();
    if !rows.is_empty() {
        let low = rows.iter().map(|r| r.sort_index).min().unwrap_or_default();
        let mut from = (to_f64(low) / 5.0).floor() as i64 * 5;
        while from < 100 {
            let to = from + 5;
            let count = rows
                .iter()
                .filter(|r| {
                    let v = to_f64(r.sort_index);
                    v >= from as f64 && (v < to as f64 || (to == 100 && v <= 100.0))
                })
                .count();
            bins.push((format!("{from}–{to}"), count));
            from = to;
        }
    }
    let chart = chart_json(serde_json::json!({
        "type": "bar",
        "data": {
            "labels": bins.iter().map(|b| b.0.clone()).collect::<Vec<_>>(),
            "datasets": [{
                "label": match lang { Lang::Vi => "Số đơn vị", Lang::En => "Units" },
                "data": bins.iter().map(|b| b.1).collect::<Vec<_>>(),
                "backgroundColor": "#0b5cad",
            }],
        },
        "options": { "plugins": { "legend": { "display": false } },
                     "scales": { "y": { "beginAtZero": true, "ticks": { "precision": 0 } } } },
    }));

    // Filter, then sort as asked (the table's headers are links).
    let folded = chiso_core::text::fold(&q.q);
    rows.retain(|r| {
        (folded.is_empty() || chiso_core::text::fold(&r.name).contains(&folded))
            && (q.group.is_empty() || r.group == q.group)
            && (q.band.is_empty() || r.band == q.band)
    });
    match q.sort.as_str() {
        "name" => rows.sort_by_cached_key(|r| chiso_core::text::collation_key(&r.name)),
        "change" => rows.sort_by_key(|r| std::cmp::Reverse(r.sort_change)),
        s if s.starts_with("field-") => {
            if let Some(i) = fields_pos
                .iter()
                .position(|&f| format!("field-{}", data.layout.nodes()[f].code) == s)
            {
                rows.sort_by_key(|r| std::cmp::Reverse(r.sort_fields[i]));
            }
        }
        _ => {}
    }
    let groups: Vec<(String, String, String)> = stats
        .groups
        .iter()
        .map(|g| {
            (
                g.label.clone(),
                ctx.int(&(g.count as i64)),
                pct(published(g.mean), lang),
            )
        })
        .collect();
    let mut band_counts: Vec<(String, String)> = stats
        .bands
        .iter()
        .map(|b| (b.label.clone(), ctx.int(&(b.count as i64))))
        .collect();
    if stats.unbanded > 0 {
        band_counts.push((
            match lang {
                Lang::Vi => "Chưa xếp loại".into(),
                Lang::En => "Below every band".into(),
            },
            ctx.int(&(stats.unbanded as i64)),
        ));
    }
    let publications = state
        .store
        .publications(data.round.id)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.id,
                p.decision_number,
                chiso_core::format::date(p.decision_date),
                p.public,
            )
        })
        .collect();
    let unit_count = data.scores.len();
    Ok(ResultsPage {
        id,
        name: data.round.name.clone(),
        framework: format!("{} ({})", data.framework.name, data.framework.year),
        provisional: data.final_units < unit_count,
        final_units: data.final_units,
        unit_count,
        survey_missing: data.survey_missing,
        fields: fields_pos
            .iter()
            .map(|&f| {
                let n = &data.layout.nodes()[f];
                (n.code.clone(), n.name.clone())
            })
            .collect(),
        shown: rows.len(),
        rows,
        sort: q.sort,
        q: q.q,
        group: q.group,
        band: q.band,
        groups,
        band_counts,
        band_names: data.bands.bands().iter().map(|b| b.label.clone()).collect(),
        mean: pct(published(stats.mean), lang),
        median: pct(published(stats.median), lang),
        above_mean: ctx.int(&(stats.above_mean as i64)),
        has_previous: previous.is_some(),
        near_ties,
        distribution: bins,
        chart,
        can_manage: user.can(Action::ManageFrameworks, Target::Province),
        can_publish: user.can(Action::ManageRounds, Target::Province),
        bands_spec: data.bands.to_spec(lang),
        publications,
        today: chiso_core::format::date(chiso_core::format::vietnam_day(Utc::now())),
        sd: settings.appraisal_sd.display(lang),
        ctx,
    })
}

/// One field on a unit's page.
pub struct FieldLine {
    pub code: String,
    pub name: String,
    pub points: String,
    pub max: String,
    pub percent: String,
    pub rank: String,
    pub change: String,
}

/// One sub-criterion where the unit lost points.
pub struct LostLine {
    pub code: String,
    pub name: String,
    pub points: String,
    pub max: String,
    pub lost: String,
    pub best: String,
    pub median: String,
    /// The current points, as typed in the what-if form.
    pub input: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "results_unit.html")]
pub struct UnitResultsPage {
    ctx: Ctx,
    round_id: i64,
    round_name: String,
    unit_id: i64,
    name: String,
    rank: String,
    index: String,
    total: String,
    max: String,
    band: String,
    change: String,
    fields: Vec<FieldLine>,
    lost: Vec<LostLine>,
    trend: Vec<(String, String, String, String)>,
    radar: String,
    trend_chart: String,
    band_names: Vec<String>,
    count: usize,
    can_plan: bool,
}

/// A unit's results: fields, trend over the years, where points were lost, what-if.
pub async fn unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, unit)): Path<(i64, i64)>,
) -> Result<UnitResultsPage, WebError> {
    let lang = ctx.lang;
    let (data, u) = unit_data(&state, &user, id, unit, lang).await?;
    let results = compute(&data.layout, &data.scores);
    let r = &results.units()[u];
    let previous = previous_of(&state, &data, lang).await?;
    let change = changes(&results, &data.ids, &previous, &data.framework);
    let c = change[u].as_ref();
    let field_ranks = results.field_ranks();
    let fields: Vec<FieldLine> = data
        .layout
        .fields()
        .iter()
        .enumerate()
        .map(|(i, &f)| {
            let n = results.node(u, f);
            let node = &data.layout.nodes()[f];
            FieldLine {
                code: node.code.clone(),
                name: node.name.clone(),
                points: pct(n.points.decimal(), lang),
                max: n.max.display(lang),
                percent: n
                    .applicable
                    .then(|| n.published_percent())
                    .flatten()
                    .map(|p| pct(p, lang))
                    .unwrap_or_else(|| "—".into()),
                rank: field_ranks
                    .rank(u, i)
                    .map(|k| k.to_string())
                    .unwrap_or_default(),
                change: c
                    .and_then(|c| c.fields.get(i))
                    .and_then(|fc| fc.percent_change)
                    .map(|d| signed(published(d), lang))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let stats = results.leaf_stats();
    let lost = results
        .lost_points(&stats, u)
        .into_iter()
        .map(|l| {
            let node = &data.layout.nodes()[l.node];
            LostLine {
                code: node.code.clone(),
                name: node.name.clone(),
                points: l.points.display(lang),
                max: l.max.display(lang),
                lost: l.lost.display(lang),
                best: l.best.display(lang),
                median: l.median.display(lang),
                input: l.points.display(lang),
            }
        })
        .collect();
    // The trend: this round and the rounds it continues, oldest first.
    let mut trend = vec![(
        data.framework.year,
        r.published_index,
        r.rank,
        data.scores.len(),
    )];
    let mut back = previous;
    let mut guard = 0;
    while let Some(p) = back.take() {
        let res = compute(&p.data.layout, &p.data.scores);
        if let Some(j) = p.data.ids.iter().position(|x| x.0 == unit) {
            let pr = &res.units()[j];
            trend.push((
                p.data.framework.year,
                pr.published_index,
                pr.rank,
                p.data.scores.len(),
            ));
        }
        guard += 1;
        if guard < 5 {
            back = previous_of(&state, &p.data, lang).await?;
        }
    }
    trend.reverse();
    let radar = chart_json(serde_json::json!({
        "type": "radar",
        "data": {
            "labels": fields.iter().map(|f| format!("{} {}", f.code, f.name)).collect::<Vec<_>>(),
            "datasets": [{
                "label": "%",
                "data": data.layout.fields().iter().map(|&f| results.node(u, f).published_percent().map(to_f64)).collect::<Vec<_>>(),
                "borderColor": "#8b1c1c",
                "backgroundColor": "rgba(139,28,28,0.15)",
            }],
        },
        "options": { "scales": { "r": { "min": 0, "max": 100 } },
                     "plugins": { "legend": { "display": false } } },
    }));
    let trend_chart = chart_json(serde_json::json!({
        "type": "line",
        "data": {
            "labels": trend.iter().map(|t| t.0.to_string()).collect::<Vec<_>>(),
            "datasets": [{
                "label": match lang { Lang::Vi => "Chỉ số (%)", Lang::En => "Index (%)" },
                "data": trend.iter().map(|t| to_f64(t.1)).collect::<Vec<_>>(),
                "borderColor": "#0b5cad",
            }],
        },
        "options": { "plugins": { "legend": { "display": false } } },
    }));
    Ok(UnitResultsPage {
        round_id: id,
        round_name: data.round.name.clone(),
        unit_id: unit,
        name: data.scores[u].name().to_string(),
        rank: format!("{}/{}", r.rank, data.scores.len()),
        index: pct(r.published_index, lang),
        total: pct(r.total.decimal(), lang),
        max: r.max.display(lang),
        band: data
            .bands
            .label(r.published_index)
            .unwrap_or("")
            .to_string(),
        change: c
            .map(|c| {
                format!(
                    "{} ({} {})",
                    rank_change_text(c.rank_change, lang),
                    signed(published(c.total_change.decimal()), lang),
                    match lang {
                        Lang::Vi => "điểm",
                        Lang::En => "points",
                    }
                )
            })
            .unwrap_or_default(),
        fields,
        lost,
        trend: trend
            .iter()
            .map(|t| {
                (
                    t.0.to_string(),
                    pct(t.1, lang),
                    t.2.to_string(),
                    t.3.to_string(),
                )
            })
            .collect(),
        radar,
        trend_chart,
        band_names: data.bands.bands().iter().map(|b| b.label.clone()).collect(),
        count: data.scores.len(),
        can_plan: user.can(Action::ManagePlans, Target::Province),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "results_what_if.html")]
pub struct WhatIfPartial {
    ctx: Ctx,
    error: String,
    total: String,
    index: String,
    rank: String,
    before: String,
    band: String,
    lines: Vec<String>,
    steps: Vec<(String, String, String, String, String)>,
}

fn what_if_page(ctx: Ctx) -> WhatIfPartial {
    WhatIfPartial {
        ctx,
        error: String::new(),
        total: String::new(),
        index: String::new(),
        rank: String::new(),
        before: String::new(),
        band: String::new(),
        lines: Vec::new(),
        steps: Vec::new(),
    }
}

/// What-if: the unit's total, index and rank with the points typed, at once (htmx).
pub async fn what_if(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, unit)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (data, u) = unit_data(&state, &user, id, unit, lang).await?;
    let results = compute(&data.layout, &data.scores);
    let mut page = what_if_page(ctx);
    let mut changes: Vec<(String, Points)> = Vec::new();
    for (k, v) in &pairs {
        let Some(code) = k.strip_prefix("p:") else {
            continue;
        };
        if v.trim().is_empty() {
            continue;
        }
        match Points::parse(v) {
            Some(p) => changes.push((code.to_string(), p)),
            None => {
                page.error = format!("{code}: \"{v}\" {}", page.ctx.t.not_a_number);
                return Ok(page.into_response());
            }
        }
    }
    let refs: Vec<(&str, Points)> = changes.iter().map(|(c, p)| (c.as_str(), *p)).collect();
    match results.what_if(u, &refs) {
        Ok(w) => {
            page.total = pct(w.total.decimal(), lang);
            page.index = pct(w.published_index, lang);
            page.rank = format!("{}/{}", w.rank, data.scores.len());
            page.before = format!(
                "{} % — {}/{}",
                pct(w.published_before, lang),
                w.rank_before,
                data.scores.len()
            );
            page.band = data
                .bands
                .label(w.published_index)
                .unwrap_or("")
                .to_string();
        }
        Err(problems) => {
            page.error = problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join("; ");
        }
    }
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    target: String,
}

/// What it takes to reach a rank or a band, explained.
pub async fn target(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((id, unit)): Path<(i64, i64)>,
    Form(form): Form<TargetForm>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (data, u) = unit_data(&state, &user, id, unit, lang).await?;
    let results = compute(&data.layout, &data.scores);
    let mut page = what_if_page(ctx);
    let t = form.target.trim();
    let goal = if let Some(rank) = t.strip_prefix("rank:") {
        rank.trim()
            .parse::<u32>()
            .ok()
            .filter(|k| *k >= 1)
            .map(chiso_core::results::Target::Rank)
    } else {
        t.strip_prefix("band:").and_then(|label| {
            data.bands
                .bands()
                .iter()
                .find(|b| b.label == label)
                .cloned()
                .map(chiso_core::results::Target::Band)
        })
    };
    let Some(goal) = goal else {
        page.error = page.ctx.t.results_target_invalid.to_string();
        return Ok(page.into_response());
    };
    let plan = results.target(u, &goal, false);
    page.lines = plan.explain(&data.layout, lang);
    page.steps = plan
        .steps
        .iter()
        .map(|s| {
            let n = &data.layout.nodes()[s.node];
            (
                n.code.clone(),
                n.name.clone(),
                s.from.display(lang),
                s.to.display(lang),
                s.gain.display(lang),
            )
        })
        .collect();
    page.index = pct(plan.published_after, lang);
    page.rank = format!("{}/{}", plan.rank_after, data.scores.len());
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    public: Option<String>,
    /// Publishing although some survey items have no survey points (counted as 0).
    #[serde(default)]
    without_survey: Option<String>,
}

/// Freezes the round's results under the decision announcing them.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageRounds, Target::Province)?;
    let number = chiso_core::text::clean(&form.decision_number);
    if number.is_empty() {
        return Err(WebError::BadRequest(
            ctx.t.results_decision_required.to_string(),
        ));
    }
    let date = chiso_core::format::parse_date(form.decision_date.trim()).ok_or_else(|| {
        WebError::BadRequest(format!("{}: {}", ctx.t.date_invalid, form.decision_date))
    })?;
    let data = load_data(&state, RoundId(id), Lang::Vi).await?;
    if data.final_units < data.scores.len() {
        return Err(WebError::BadRequest(ctx.t.results_not_final.to_string()));
    }
    if data.survey_missing > 0 && form.without_survey.is_none() {
        return Err(WebError::BadRequest(format!(
            "{} {}",
            data.survey_missing, ctx.t.results_publish_survey_missing
        )));
    }
    let results = compute(&data.layout, &data.scores);
    let snapshot = Snapshot::of(
        &results,
        &data.bands,
        &data.round.name,
        &data.framework.name,
        data.framework.year,
    );
    let json = serde_json::to_string(&snapshot).map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .publish_results(
            data.round.id,
            &number,
            date,
            form.public.is_some(),
            &json,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}/results"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

#[derive(Deserialize)]
pub struct BandsForm {
    #[serde(default)]
    spec: String,
}

/// Sets the band scale of the round's framework (by framework code, so next year keeps it).
pub async fn set_bands(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<BandsForm>,
) -> Result<Response, WebError> {
    user.require(Action::ManageFrameworks, Target::Province)?;
    let scale = BandScale::parse(&form.spec).map_err(|errors| {
        WebError::BadRequest(
            errors
                .iter()
                .map(|e| e.message(ctx.lang))
                .collect::<Vec<_>>()
                .join(" "),
        )
    })?;
    let round = state.store.round(RoundId(id)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    state
        .store
        .set_setting_audited(
            &bands_key(&framework.code),
            &scale.to_spec(Lang::Vi),
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}/results"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

#[derive(Deserialize, Default)]
pub struct SurveyQuery {
    #[serde(default)]
    unit: Option<i64>,
}

/// One survey item's inputs.
pub struct SurveyLine {
    pub code: String,
    pub name: String,
    pub max: String,
    pub points: String,
    pub n: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "results_survey.html")]
pub struct SurveyPage {
    ctx: Ctx,
    id: i64,
    name: String,
    units: Vec<(i64, String)>,
    unit_id: i64,
    lines: Vec<SurveyLine>,
    source: String,
}

/// Survey points of one unit: typed from the survey's published results.
pub async fn survey_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<SurveyQuery>,
) -> Result<SurveyPage, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let round = state.store.round(RoundId(id)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let names: HashMap<UnitId, String> = state
        .store
        .all_units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let (units, unit_id) =
        crate::pages::rounds::pick_unit(&state, round.id, &names, q.unit).await?;
    let stored: HashMap<String, chiso_store::results::SurveyPoint> = state
        .store
        .survey_points(round.id)
        .await?
        .into_iter()
        .filter(|s| s.unit.0 == unit_id)
        .map(|s| (s.node.clone(), s))
        .collect();
    let source = stored
        .values()
        .next()
        .map(|s| s.source.clone())
        .unwrap_or_default();
    let lines = framework
        .leaves()
        .into_iter()
        .filter(|n| matches!(n.rule, Some(chiso_core::framework::Rule::Survey { .. })))
        .map(|n| SurveyLine {
            code: n.code.clone(),
            name: n.name.clone(),
            max: n.max.map(|m| m.display(ctx.lang)).unwrap_or_default(),
            points: stored
                .get(&n.code)
                .map(|s| s.points.display(ctx.lang))
                .unwrap_or_default(),
            n: stored
                .get(&n.code)
                .and_then(|s| s.sample_size)
                .map(|n| n.to_string())
                .unwrap_or_default(),
        })
        .collect();
    Ok(SurveyPage {
        id,
        name: round.name,
        units,
        unit_id,
        lines,
        source,
        ctx,
    })
}

/// Saves one unit's survey points: each within 0…max; all or nothing; ledger and audit.
pub async fn survey_save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Action::ManageSurveys, Target::Province)?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    };
    let unit: i64 = get("unit")
        .parse()
        .map_err(|_| WebError::BadRequest(ctx.t.unit_required.to_string()))?;
    state.store.round_unit(RoundId(id), UnitId(unit)).await?;
    let source = chiso_core::text::clean(get("source"));
    if source.is_empty() {
        return Err(WebError::BadRequest(
            ctx.t.results_source_required.to_string(),
        ));
    }
    let round = state.store.round(RoundId(id)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for n in framework.leaves() {
        if !matches!(n.rule, Some(chiso_core::framework::Rule::Survey { .. })) {
            continue;
        }
        let typed = get(&format!("p:{}", n.code));
        if typed.is_empty() {
            continue;
        }
        let max = n.max.unwrap_or(Points::ZERO);
        let points = match Points::parse(typed) {
            Some(p) if p >= Points::ZERO && p <= max && p.fits_scale() => p,
            _ => {
                errors.push(format!(
                    "{}: \"{typed}\" — {} 0…{}",
                    n.code,
                    ctx.t.results_survey_range,
                    max.display(ctx.lang)
                ));
                continue;
            }
        };
        let sample = match get(&format!("n:{}", n.code)) {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(format!("{} (n): \"{t}\" {}", n.code, ctx.t.not_a_number));
                    continue;
                }
            },
        };
        rows.push(chiso_store::results::SurveyPoint {
            unit: UnitId(unit),
            node: n.code.clone(),
            points,
            sample_size: sample,
            source: source.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(WebError::BadRequest(errors.join("; ")));
    }
    state
        .store
        .set_survey_points(RoundId(id), &rows, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{id}/results/survey?unit={unit}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "public_results.html")]
pub struct PublicListPage {
    ctx: Ctx,
    items: Vec<(i64, String, String, String)>,
}

/// The public list of published results (no sign-in).
pub async fn public_list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<PublicListPage, WebError> {
    // A correction is a new publication: only the latest of each round is shown.
    let mut seen = BTreeSet::new();
    let items = state
        .store
        .public_publications()
        .await?
        .into_iter()
        .filter(|p| seen.insert(p.round))
        .filter_map(|p| {
            let s: Snapshot = serde_json::from_str(&p.snapshot).ok()?;
            Some((
                p.id,
                s.round,
                p.decision_number,
                chiso_core::format::date(p.decision_date),
            ))
        })
        .collect();
    Ok(PublicListPage { ctx, items })
}

#[derive(Template, WebTemplate)]
#[template(path = "public_result.html")]
pub struct PublicResultPage {
    ctx: Ctx,
    decision: String,
    snapshot: Snapshot,
}

impl PublicResultPage {
    // Templates pass fields by value or by reference depending on the loop.
    fn num(&self, d: impl std::borrow::Borrow<Decimal>) -> String {
        pct(*d.borrow(), self.ctx.lang)
    }

    fn pct_opt(&self, d: impl std::borrow::Borrow<Option<Decimal>>) -> String {
        d.borrow()
            .map(|d| pct(d, self.ctx.lang))
            .unwrap_or_else(|| "—".into())
    }
}

/// One published table (no sign-in), only if it was published as public.
pub async fn public_show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<PublicResultPage, WebError> {
    let p = state.store.publication(id).await?;
    if !p.public {
        return Err(WebError::NotFound);
    }
    let snapshot: Snapshot =
        serde_json::from_str(&p.snapshot).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(PublicResultPage {
        decision: format!(
            "{} {}",
            p.decision_number,
            chiso_core::format::date(p.decision_date)
        ),
        snapshot,
        ctx,
    })
}

/// The latest results on the dashboard: where the province stands and who drags it down.
pub struct LatestResults {
    pub href: String,
    pub name: String,
    pub mean: String,
    pub provisional: bool,
    /// (name, published index) of the best three and the last three.
    pub top: Vec<(String, String)>,
    pub bottom: Vec<(String, String)>,
}

/// The most recent round with final scores for at least one unit, summarised.
pub(crate) async fn latest(
    state: &AppState,
    lang: Lang,
) -> Result<Option<LatestResults>, WebError> {
    for r in state.store.list_rounds().await? {
        if r.phase < chiso_core::round::phase::Phase::Appraisal2 {
            continue;
        }
        let data = match load_data(state, r.id, lang).await {
            Ok(d) => d,
            Err(e) => {
                // One broken round must not take the dashboard down.
                tracing::warn!("results of round {} not shown: {e}", r.id);
                continue;
            }
        };
        if data.final_units == 0 {
            continue;
        }
        let results = compute(&data.layout, &data.scores);
        let stats = results.statistics(&data.bands);
        let row = |&u: &usize| {
            (
                data.scores[u].name().to_string(),
                pct(results.units()[u].published_index, lang),
            )
        };
        let order = results.order();
        let n = order.len();
        return Ok(Some(LatestResults {
            href: format!("/rounds/{}/results", r.id),
            name: r.name,
            mean: pct(published(stats.mean), lang),
            provisional: data.final_units < n,
            top: order.iter().take(3).map(row).collect(),
            bottom: order
                .iter()
                .skip(n.saturating_sub(3).max(3))
                .map(row)
                .collect(),
        }));
    }
    Ok(None)
}

/// A round's ranking as the Excel workbook lays it out: every unit in rank order with its
/// points per field, index, band and change from last year's round.
pub(crate) async fn ranking_report(
    state: &AppState,
    round: RoundId,
    lang: Lang,
) -> Result<chiso_reports::ranking_xlsx::Ranking, WebError> {
    let data = load_data(state, round, lang).await?;
    let previous = previous_of(state, &data, lang).await?;
    let results = compute(&data.layout, &data.scores);
    let change = changes(&results, &data.ids, &previous, &data.framework);
    let fields_pos = data.layout.fields().to_vec();
    let nodes = data.layout.nodes();
    Ok(chiso_reports::ranking_xlsx::Ranking {
        title: match lang {
            Lang::Vi => format!("KẾT QUẢ XẾP HẠNG — {}", data.round.name.to_uppercase()),
            Lang::En => format!("RANKING — {}", data.round.name),
        },
        year: data.framework.year,
        fields: fields_pos
            .iter()
            .map(|&f| chiso_reports::ranking_xlsx::RankingField {
                code: nodes[f].code.clone(),
                name: nodes[f].name.clone(),
                max: nodes[f].max.decimal(),
            })
            .collect(),
        rows: results
            .order()
            .iter()
            .map(|&u| {
                let r = &results.units()[u];
                chiso_reports::ranking_xlsx::RankingRow {
                    rank: r.rank,
                    unit_name: data.scores[u].name().to_string(),
                    total: r.published_total(),
                    index: r.published_index,
                    band: data
                        .bands
                        .label(r.published_index)
                        .unwrap_or("")
                        .to_string(),
                    field_points: fields_pos
                        .iter()
                        .map(|&f| {
                            let n = results.node(u, f);
                            n.applicable.then(|| n.published_points())
                        })
                        .collect(),
                    change: change[u].as_ref().map(|c| c.rank_change),
                }
            })
            .collect(),
    })
}
