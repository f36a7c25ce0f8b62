//! The self-assessment grid (the page focal points live in during December): every scored
//! item of a unit in a round, with the inputs its rule needs, the score computed on save, and
//! per-field progress. Each item saves on its own (htmx), carrying its version so that a stale
//! save shows what is stored instead of overwriting it. The leader submits or withdraws.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::{Ctx, Flash};
use crate::error::WebError;
use crate::pages::redirect_with;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chiso_core::framework::model::{Framework, Node, Rule};
use chiso_core::framework::{Points, applicability};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::policy::{Action, Target};
use chiso_core::round::appraisal::{self, Stage};
use chiso_core::round::assignment::{Assignments, FieldLeads};
use chiso_core::round::entry::{SelfEntry, self_score};
use chiso_core::round::phase::Phase;
use chiso_core::round::workflow::{Step, UnitState};
use chiso_store::appraisals::{StoredAnswer, StoredAppraisal};
use chiso_store::entries::{SaveOutcome, StoredEntry};
use chiso_store::rounds::{RoundId, RoundSummary};
use chrono::Utc;
use rust_decimal::Decimal;
use std::collections::HashMap;

fn today() -> chrono::NaiveDate {
    chiso_core::format::vietnam_day(Utc::now())
}

/// The field (top-level code) a node belongs to.
pub(crate) fn field_of(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// One appraisal of an item, read-only.
pub struct AppraisalView {
    pub stage: i64,
    pub points: String,
    pub reason: String,
    pub ask: &'static str,
    pub by: String,
    pub when: String,
    /// Corrected figures, as text ("400 / 430"), when the appraiser corrected them.
    pub figures: String,
}

/// The appraisal form of an item, for an appraiser who may score it now.
pub struct AppraiseForm {
    pub stage: i64,
    pub version: i64,
    /// The score the appraisal starts from (self score in round 1, round 1's in round 2).
    pub baseline: String,
    pub points: String,
    pub numerator: String,
    pub denominator: String,
    pub reason: String,
    pub ask: &'static str,
    pub message: Option<(bool, String)>,
}

/// One scored item as the grid shows it.
pub struct Item {
    pub code: String,
    pub name: String,
    /// A requirement whose failure subtracts points (`max` then shows the deduction).
    pub deduction: bool,
    pub max: String,
    pub kind: &'static str,
    pub guidance: String,
    pub evidence: String,
    pub levels: Vec<(usize, String)>,
    pub numerator_label: String,
    pub denominator_label: String,
    pub allow_na: bool,
    pub editable: bool,
    // Current values.
    pub numerator: String,
    pub denominator: String,
    pub level: Option<usize>,
    pub met: Option<bool>,
    pub points: String,
    pub na_reason: String,
    pub explanation: String,
    pub score: String,
    pub version: i64,
    pub message: Option<(bool, String)>,
    pub conflict_by: String,
    /// Documents backing the item: (id, label).
    pub docs: Vec<(i64, String)>,
    /// Whether documents may be added now (self-assessment, or the explanation phase).
    pub docs_editable: bool,
    /// Points claimed with neither a document nor an explanation.
    pub unsupported: bool,
    pub appraisals: Vec<AppraisalView>,
    pub appraise: Option<AppraiseForm>,
    /// A question of round 1 to answer.
    pub asked: bool,
    pub answer: String,
    pub answer_editable: bool,
    pub answer_message: Option<(bool, String)>,
    /// The final score once round 2 concluded.
    pub final_points: Option<String>,
    pub correctable: bool,
    pub last_year: Option<LastYearView>,
    /// Figures chiso keeps for this item (plan tasks, periodic reports), offered to use.
    pub records: Option<RecordsView>,
}

/// Figures from chiso's own records for an item: what they are, where to see them.
pub struct RecordsView {
    pub numerator: String,
    pub denominator: String,
    pub label: String,
    pub link: &'static str,
}

/// Last year's item, offered again: its points, what was declared (and the hidden inputs that
/// save it as this year's entry), and its documents.
pub struct LastYearView {
    pub points: String,
    pub declared: String,
    pub inputs: Vec<(&'static str, String)>,
    pub docs: Vec<(i64, String)>,
}

impl Item {
    /// Whether a document already backs the item this year.
    pub fn has_doc(&self, id: &i64) -> bool {
        self.docs.iter().any(|(d, _)| d == id)
    }

    /// Whether a level is the chosen one (for the select).
    pub fn is_level(&self, i: &usize) -> bool {
        self.level == Some(*i)
    }
}

fn decimal_text(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string().replace('.', ","))
        .unwrap_or_default()
}

fn doc_label(e: &chiso_store::evidence::Evidence) -> String {
    let mut parts = vec![e.meta.file_name.clone()];
    if !e.meta.doc_number.is_empty() {
        parts.push(format!("số {}", e.meta.doc_number));
    }
    if let Some(d) = e.meta.doc_date {
        parts.push(chiso_core::format::date(d));
    }
    if !e.meta.issuer.is_empty() {
        parts.push(e.meta.issuer.clone());
    }
    parts.join(" · ")
}

/// Everything stored for one unit in a round, for building items.
pub(crate) struct UnitData {
    pub entries: HashMap<String, StoredEntry>,
    pub docs: HashMap<String, Vec<(i64, String)>>,
    pub appraisals: HashMap<(String, Stage), StoredAppraisal>,
    pub answers: HashMap<String, StoredAnswer>,
    pub finals: HashMap<String, Option<Points>>,
    /// Last year's round, by this year's item code.
    pub last_year: HashMap<String, LastYearItem>,
    /// Figures from chiso's records, by kind (only those the framework asks for).
    pub records: HashMap<chiso_core::framework::model::Records, (u64, u64)>,
}

/// What the unit declared and kept for an item in last year's round.
pub(crate) struct LastYearItem {
    pub entry: Option<SelfEntry>,
    pub points: Option<Points>,
    pub docs: Vec<(i64, String)>,
}

impl UnitData {
    /// Loads the unit's data; with `only`, the entry, documents and last year's item of that
    /// one item (what an item save re-renders), else of every item (the page).
    pub(crate) async fn load(
        state: &AppState,
        l: &Loaded,
        unit: i64,
        only: Option<&str>,
    ) -> Result<Self, WebError> {
        let round = l.round.id.0;
        let (r, u) = (l.round.id, UnitId(unit));
        Ok(UnitData {
            entries: entries_of(state, round, unit, only).await?,
            docs: docs_by_item(state, round, unit, only).await?,
            appraisals: state.store.appraisals(r, u).await?,
            answers: state.store.answers(r, u).await?,
            finals: state.store.final_scores(r, u).await?,
            last_year: last_year(state, l, unit, only).await?,
            records: records_of(state, l, UnitId(unit), only).await?,
        })
    }

    pub(crate) fn self_points(&self, code: &str) -> Option<Points> {
        self.entries.get(code).and_then(|e| e.self_points)
    }

    pub(crate) fn appraisal(&self, code: &str, stage: Stage) -> Option<&StoredAppraisal> {
        self.appraisals.get(&(code.to_string(), stage))
    }

    /// The score an appraisal in `stage` starts from: the self score in round 1, the result of
    /// round 1 in round 2.
    pub(crate) fn baseline(&self, code: &str, stage: Stage) -> Option<Points> {
        let round1 = match stage {
            Stage::One => None,
            Stage::Two => self.appraisal(code, Stage::One).map(|a| a.points),
        };
        appraisal::standing(self.self_points(code), round1, None)
    }

    /// The figures an appraisal in `stage` starts from: round 1's corrected figures in round 2,
    /// else what the unit declared.
    pub(crate) fn base_figures(&self, code: &str, stage: Stage) -> SelfEntry {
        let declared = || {
            self.entries
                .get(code)
                .map(|e| e.entry.clone())
                .unwrap_or_default()
        };
        match stage {
            Stage::Two => self
                .appraisal(code, Stage::One)
                .and_then(|a| a.corrected.clone())
                .unwrap_or_else(declared),
            Stage::One => declared(),
        }
    }

    /// The score that stands now: the last appraisal, else the self score.
    pub(crate) fn standing(&self, code: &str) -> Option<Points> {
        appraisal::standing(
            self.self_points(code),
            self.appraisal(code, Stage::One).map(|a| a.points),
            self.appraisal(code, Stage::Two).map(|a| a.points),
        )
    }

    /// Whether a claimed score lacks both documents and an explanation.
    pub(crate) fn unsupported(&self, code: &str) -> bool {
        let explanation = self
            .entries
            .get(code)
            .map(|e| e.entry.explanation.as_str())
            .unwrap_or("");
        appraisal::unsupported(
            self.self_points(code),
            self.docs.get(code).map_or(0, Vec::len),
            explanation,
        )
    }
}

/// The unit's self entries in a round, of one item or of all.
async fn entries_of(
    state: &AppState,
    round: i64,
    unit: i64,
    only: Option<&str>,
) -> Result<HashMap<String, StoredEntry>, WebError> {
    Ok(match only {
        Some(code) => state
            .store
            .self_entry(round, unit, code)
            .await?
            .map(|e| (code.to_string(), e))
            .into_iter()
            .collect(),
        None => state.store.self_entries(round, unit).await?,
    })
}

/// Last year's entries, final scores and documents of the unit (of one item, or all), keyed by
/// this year's codes (through each item's `previous_code` where the framework renumbered it).
async fn last_year(
    state: &AppState,
    l: &Loaded,
    unit: i64,
    only: Option<&str>,
) -> Result<HashMap<String, LastYearItem>, WebError> {
    let Some(previous) = l.round.previous else {
        return Ok(HashMap::new());
    };
    // A unit that was not in last year's round has nothing to carry over.
    match state.store.round_unit(previous, UnitId(unit)).await {
        Err(chiso_store::StoreError::NotFound) => return Ok(HashMap::new()),
        other => other?,
    };
    let nodes: Vec<&Node> = match only {
        Some(code) => l.framework.node(code).into_iter().collect(),
        None => l.framework.leaves(),
    };
    let old_code = |n: &Node| n.previous_code.clone().unwrap_or_else(|| n.code.clone());
    let old_only = only.and(nodes.first().map(|n| old_code(n)));
    let mut entries = entries_of(state, previous.0, unit, old_only.as_deref()).await?;
    let finals = state.store.final_scores(previous, UnitId(unit)).await?;
    let mut docs = docs_by_item(state, previous.0, unit, old_only.as_deref()).await?;
    let mut out = HashMap::new();
    for node in nodes {
        let old = old_code(node);
        let entry = entries.remove(&old);
        let points = finals
            .get(&old)
            .copied()
            .unwrap_or_else(|| entry.as_ref().and_then(|e| e.self_points));
        let item = LastYearItem {
            entry: entry.map(|e| e.entry),
            points,
            docs: docs.remove(&old).unwrap_or_default(),
        };
        if item.entry.is_some() || !item.docs.is_empty() {
            out.insert(node.code.clone(), item);
        }
    }
    Ok(out)
}

/// What the account may do with the items of one field now.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Perms {
    pub edit: bool,
    pub appraise: Option<Stage>,
    pub explain: bool,
    pub correct: bool,
}

impl Perms {
    /// Documents may be added while self-assessing and, when asked, while explaining.
    pub(crate) fn may_add_documents(self) -> bool {
        self.edit || self.explain
    }
}

fn figures_text(e: &SelfEntry) -> String {
    match (e.numerator, e.denominator) {
        (Some(n), Some(d)) => format!("{} / {}", decimal_text(Some(n)), decimal_text(Some(d))),
        _ => String::new(),
    }
}

pub(crate) fn item(node: &Node, data: &UnitData, perms: Perms, ctx: &Ctx) -> Item {
    let lang = ctx.lang;
    let stored = data.entries.get(&node.code);
    let entry = stored.map(|s| s.entry.clone()).unwrap_or_default();
    let (kind, levels, num, den) = match &node.rule {
        Some(Rule::Levels { levels }) => (
            "levels",
            levels
                .iter()
                .enumerate()
                .map(|(i, l)| (i, format!("{} ({})", l.label, l.points.display(lang))))
                .collect(),
            String::new(),
            String::new(),
        ),
        Some(Rule::Bands {
            numerator,
            denominator,
            ..
        })
        | Some(Rule::Proportional {
            numerator,
            denominator,
        }) => (
            "figures",
            Vec::new(),
            numerator.clone(),
            denominator.clone(),
        ),
        Some(Rule::Boolean) | Some(Rule::Deduction { .. }) => {
            ("met", Vec::new(), String::new(), String::new())
        }
        Some(Rule::Survey { .. }) => ("survey", Vec::new(), String::new(), String::new()),
        _ => ("points", Vec::new(), String::new(), String::new()),
    };
    let max = match &node.rule {
        Some(Rule::Deduction { amount }) => format!("−{}", amount.display(lang)),
        _ => node.max.map(|m| m.display(lang)).unwrap_or_default(),
    };
    let show = |p: Option<Points>| p.map(|p| p.display(lang)).unwrap_or_else(|| "—".into());
    let appraisals: Vec<AppraisalView> = [Stage::One, Stage::Two]
        .into_iter()
        .filter_map(|s| data.appraisal(&node.code, s).map(|a| (s, a)))
        .map(|(s, a)| AppraisalView {
            stage: s.number(),
            points: show(a.points),
            reason: a.reason.clone(),
            ask: a.ask.map(|k| k.label(lang)).unwrap_or(""),
            by: a.updated_by.clone(),
            when: ctx.time(&a.updated_at),
            figures: a.corrected.as_ref().map(figures_text).unwrap_or_default(),
        })
        .collect();
    let survey = kind == "survey";
    let appraise = perms.appraise.filter(|_| !survey).map(|stage| {
        let current = data.appraisal(&node.code, stage);
        let baseline = data.baseline(&node.code, stage);
        let figures = current
            .and_then(|a| a.corrected.clone())
            .unwrap_or_else(|| data.base_figures(&node.code, stage));
        AppraiseForm {
            stage: stage.number(),
            version: current.map_or(0, |a| a.version),
            baseline: show(baseline),
            points: current
                .map(|a| a.points)
                .unwrap_or(baseline)
                .map(|p| p.display(lang))
                .unwrap_or_default(),
            numerator: decimal_text(figures.numerator),
            denominator: decimal_text(figures.denominator),
            reason: current.map(|a| a.reason.clone()).unwrap_or_default(),
            ask: current.and_then(|a| a.ask).map(|a| a.code()).unwrap_or(""),
            message: None,
        }
    });
    let asked = data
        .appraisal(&node.code, Stage::One)
        .is_some_and(|a| a.ask.is_some());
    Item {
        code: node.code.clone(),
        name: node.name.clone(),
        deduction: matches!(node.rule, Some(Rule::Deduction { .. })),
        max,
        kind,
        guidance: node.guidance.clone().unwrap_or_default(),
        evidence: node.evidence.clone().unwrap_or_default(),
        levels,
        numerator_label: num,
        denominator_label: den,
        allow_na: node.allow_not_applicable,
        editable: perms.edit && !survey,
        numerator: decimal_text(entry.numerator),
        denominator: decimal_text(entry.denominator),
        level: entry.level,
        met: entry.met,
        points: entry.points.map(|p| p.display(lang)).unwrap_or_default(),
        na_reason: entry.not_applicable.clone().unwrap_or_default(),
        explanation: entry.explanation.clone(),
        score: stored
            .and_then(|s| s.self_points)
            .map(|p| p.display(lang))
            .unwrap_or_default(),
        version: stored.map_or(0, |s| s.version),
        message: None,
        conflict_by: String::new(),
        docs: data.docs.get(&node.code).cloned().unwrap_or_default(),
        docs_editable: perms.may_add_documents() && !survey,
        unsupported: data.unsupported(&node.code),
        appraisals,
        appraise,
        asked,
        answer: data
            .answers
            .get(&node.code)
            .map(|a| a.answer.clone())
            .unwrap_or_default(),
        answer_editable: perms.explain && !survey,
        answer_message: None,
        final_points: data.finals.get(&node.code).map(|p| show(*p)),
        correctable: perms.correct && data.finals.contains_key(&node.code),
        last_year: data
            .last_year
            .get(&node.code)
            .map(|y| last_year_view(node, y, &entry, ctx)),
        records: records_view(node, data, lang),
    }
}

/// The figures chiso keeps for a unit in the round's year, for the kinds its framework uses
/// (with `only`, just that item's: an item save reads no records unless the item takes them):
/// tasks of issued plans the unit leads (done, all), periodic reports due from it (on time,
/// due), inspections.
async fn records_of(
    state: &AppState,
    l: &Loaded,
    unit: UnitId,
    only: Option<&str>,
) -> Result<HashMap<chiso_core::framework::model::Records, (u64, u64)>, WebError> {
    use chiso_core::framework::model::Records;
    let wanted: std::collections::BTreeSet<Records> = l
        .framework
        .leaves()
        .into_iter()
        .filter(|n| only.is_none_or(|c| c == n.code))
        .filter_map(|n| n.from_records)
        .collect();
    let mut out = HashMap::new();
    let year = l.framework.year;
    let today = today();
    if wanted.contains(&Records::PlanCompletion) {
        let (mut done, mut all) = (0, 0);
        for p in state.store.plans().await? {
            if p.status != chiso_store::plans::PlanStatus::Issued || p.meta.year != year {
                continue;
            }
            for t in p.tasks.iter().filter(|t| t.task.lead_unit == Some(unit)) {
                all += 1;
                if t.done_on.is_some() {
                    done += 1;
                }
            }
        }
        if all > 0 {
            out.insert(Records::PlanCompletion, (done, all));
        }
    }
    if wanted.contains(&Records::ReportsOnTime) {
        use chiso_core::plan::reporting::{ReportState, report_state};
        let unit_type = state.store.unit(unit).await?.unit_type;
        let sent: HashMap<i64, chrono::NaiveDate> = state
            .store
            .report_submissions(year)
            .await?
            .into_iter()
            .filter(|s| s.unit == unit)
            .map(|s| (s.entry, chiso_core::format::vietnam_day(s.submitted_at)))
            .collect();
        let states: Vec<ReportState> = state
            .store
            .report_calendar(year)
            .await?
            .iter()
            .filter(|e| e.unit_type == unit_type)
            .map(|e| report_state(e.due, sent.get(&e.id).copied(), today))
            .filter(|s| *s != ReportState::NotDue)
            .collect();
        if !states.is_empty() {
            let on_time = states.iter().filter(|s| **s == ReportState::OnTime).count();
            out.insert(
                Records::ReportsOnTime,
                (on_time as u64, states.len() as u64),
            );
        }
    }
    if wanted.contains(&Records::InspectionCoverage) || wanted.contains(&Records::FindingsHandled) {
        let inspections = state.store.inspections(year).await?;
        let province =
            state.store.unit(unit).await?.unit_type == chiso_core::units::UnitType::Province;
        if wanted.contains(&Records::InspectionCoverage) {
            let mut units = 0u64;
            for t in [
                chiso_core::units::UnitType::Department,
                chiso_core::units::UnitType::Commune,
            ] {
                units += state
                    .store
                    .find_units(&chiso_store::units::UnitFilter {
                        unit_type: Some(t),
                        active_on: Some(today),
                        ..Default::default()
                    })
                    .await?
                    .len() as u64;
            }
            let done = inspections.iter().filter(|i| i.done_on.is_some()).count() as u64;
            if units > 0 {
                out.insert(Records::InspectionCoverage, (done, units));
            }
        }
        if wanted.contains(&Records::FindingsHandled) {
            let findings: Vec<_> = inspections
                .iter()
                .filter(|i| province || i.unit == unit)
                .flat_map(|i| &i.findings)
                .collect();
            let closed = findings.iter().filter(|f| f.closed_on.is_some()).count() as u64;
            if !findings.is_empty() {
                out.insert(Records::FindingsHandled, (closed, findings.len() as u64));
            }
        }
    }
    Ok(out)
}

fn records_view(node: &Node, data: &UnitData, lang: Lang) -> Option<RecordsView> {
    use chiso_core::framework::model::Records;
    let kind = node.from_records?;
    let (n, d) = *data.records.get(&kind)?;
    let (label, link) = match (kind, lang) {
        (Records::PlanCompletion, Lang::Vi) => (
            format!("Theo kế hoạch trên hệ thống: {n}/{d} nhiệm vụ đơn vị chủ trì đã hoàn thành"),
            "/plans",
        ),
        (Records::PlanCompletion, Lang::En) => (
            format!("From the plans in chiso: {n} of {d} tasks the unit leads are done"),
            "/plans",
        ),
        (Records::ReportsOnTime, Lang::Vi) => (
            format!("Theo báo cáo định kỳ trên hệ thống: {n}/{d} báo cáo gửi đúng hạn"),
            "/reports",
        ),
        (Records::ReportsOnTime, Lang::En) => (
            format!("From the periodic reports in chiso: {n} of {d} sent on time"),
            "/reports",
        ),
        (Records::InspectionCoverage, Lang::Vi) => (
            format!("Theo kế hoạch kiểm tra trên hệ thống: đã kiểm tra {n}/{d} đơn vị"),
            "/inspections",
        ),
        (Records::InspectionCoverage, Lang::En) => (
            format!("From the inspections in chiso: {n} of {d} units inspected"),
            "/inspections",
        ),
        (Records::FindingsHandled, Lang::Vi) => (
            format!("Theo kết quả kiểm tra trên hệ thống: đã khắc phục {n}/{d} vấn đề phát hiện"),
            "/inspections",
        ),
        (Records::FindingsHandled, Lang::En) => (
            format!("From the inspections in chiso: {n} of {d} findings handled"),
            "/inspections",
        ),
    };
    Some(RecordsView {
        numerator: n.to_string(),
        denominator: d.to_string(),
        label,
        link,
    })
}

fn last_year_view(node: &Node, y: &LastYearItem, current: &SelfEntry, ctx: &Ctx) -> LastYearView {
    let lang = ctx.lang;
    let mut inputs = Vec::new();
    let mut declared = String::new();
    if let Some(e) = &y.entry {
        if let Some(reason) = &e.not_applicable {
            inputs.push(("na", "1".to_string()));
            inputs.push(("na_reason", reason.clone()));
            declared = format!("{}: {reason}", ctx.t.exempt);
        } else {
            if e.numerator.is_some() || e.denominator.is_some() {
                inputs.push(("numerator", decimal_text(e.numerator)));
                inputs.push(("denominator", decimal_text(e.denominator)));
                declared = figures_text(e);
            }
            if let Some(level) = e.level {
                inputs.push(("level", level.to_string()));
                if let Some(Rule::Levels { levels }) = &node.rule {
                    declared = levels
                        .get(level)
                        .map(|l| l.label.clone())
                        .unwrap_or_default();
                }
            }
            if let Some(met) = e.met {
                inputs.push(("met", if met { "1" } else { "0" }.to_string()));
                declared = if met { ctx.t.yes } else { ctx.t.no }.to_string();
            }
            if let Some(p) = e.points {
                inputs.push(("points", p.display(lang)));
                declared = p.display(lang);
            }
        }
    }
    // Taking last year's figures keeps this year's explanation.
    inputs.push(("explanation", current.explanation.clone()));
    LastYearView {
        points: y
            .points
            .map(|p| p.display(lang))
            .unwrap_or_else(|| "—".into()),
        declared,
        inputs,
        docs: y.docs.clone(),
    }
}

/// The documents of each item of a unit in a round (or of one item), for the grid.
async fn docs_by_item(
    state: &AppState,
    round: i64,
    unit: i64,
    node: Option<&str>,
) -> Result<HashMap<String, Vec<(i64, String)>>, WebError> {
    let mut out: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (code, e) in state.store.evidence_for(round, UnitId(unit), node).await? {
        out.entry(code).or_default().push((e.id, doc_label(&e)));
    }
    Ok(out)
}

/// Progress of one field.
pub struct FieldProgress {
    pub code: String,
    pub name: String,
    pub items: usize,
    pub scored: usize,
    pub evidenced: usize,
    pub explained: usize,
    pub points: String,
    pub appraised: String,
    pub max: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "grid.html")]
pub struct GridPage {
    ctx: Ctx,
    round_id: i64,
    round_name: String,
    unit_id: i64,
    unit_name: String,
    phase: &'static str,
    state: &'static str,
    due: String,
    closed_notice: bool,
    progress: Vec<FieldProgress>,
    /// (field code, field name, items)
    fields: Vec<(String, String, Vec<Item>)>,
    exempt: Vec<String>,
    can_submit: bool,
    can_withdraw: bool,
    can_send_explanation: bool,
    can_conclude_1: bool,
    can_conclude_2: bool,
    show_appraisal: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "grid_item.html")]
pub struct ItemPartial {
    pub(crate) ctx: Ctx,
    pub(crate) round_id: i64,
    pub(crate) unit_id: i64,
    pub(crate) i: Item,
}

/// Answers an item form: the item alone for htmx, else back to the grid at the item.
pub(crate) fn item_response(
    state: &AppState,
    ctx: Ctx,
    round: i64,
    unit: i64,
    i: Item,
) -> Response {
    if ctx.htmx {
        ItemPartial {
            ctx,
            round_id: round,
            unit_id: unit,
            i,
        }
        .into_response()
    } else {
        redirect_with(
            &format!("/rounds/{round}/units/{unit}#item-{}", i.code),
            Flash::Saved,
            state.config.secure_cookies(),
        )
    }
}

pub(crate) struct Loaded {
    pub round: RoundSummary,
    pub framework: Framework,
    pub state: UnitState,
    /// Whether the unit's own window (self-assessment or explanation) is open today.
    pub window_open: bool,
    /// Codes of the nodes that do not apply to the unit (by its attributes).
    pub exempt: Vec<String>,
    /// Who the round names to enter and appraise each field.
    pub assignments: Assignments,
    /// The lead department of each field, where they enter the unit's fields (a province).
    pub leads: FieldLeads,
}

pub(crate) async fn load(state: &AppState, round: i64, unit: i64) -> Result<Loaded, WebError> {
    let round = state.store.round(RoundId(round)).await?;
    let ru = state.store.round_unit(round.id, UnitId(unit)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let window_open = round
        .schedule
        .open_for(round.phase, today(), ru.extension_until);
    let attributes = state.store.unit_attributes(UnitId(unit)).await?;
    let exempt = applicability::exempt_nodes(&framework, &attributes)
        .iter()
        .map(|n| n.code.clone())
        .collect();
    let assignments = state.store.round_assignments(round.id).await?;
    let leads = field_leads(state, round.framework, framework.unit_type).await?;
    Ok(Loaded {
        round,
        framework,
        state: ru.state,
        window_open,
        exempt,
        assignments,
        leads,
    })
}

/// The lead departments of a framework's fields, read only where they enter the unit's fields.
pub(crate) async fn field_leads(
    state: &AppState,
    framework: chiso_store::frameworks::FrameworkId,
    unit_type: chiso_core::units::UnitType,
) -> Result<FieldLeads, WebError> {
    let leads = if unit_type == chiso_core::units::UnitType::Province {
        state
            .store
            .field_leads(framework)
            .await?
            .into_iter()
            .filter_map(|l| Some((l.field_code, l.unit?)))
            .collect()
    } else {
        Default::default()
    };
    Ok(FieldLeads::new(unit_type, leads))
}

impl Loaded {
    /// What `user` may do with the items of `field` of `unit` now.
    /// The policy target of one field of `unit` in this round, for `user`.
    pub(crate) fn target<'a>(&self, user: &CurrentUser, unit: i64, field: &'a str) -> Target<'a> {
        let scope =
            self.assignments
                .scope(&user.account().actor(), UnitId(unit), field, &self.leads);
        Target::RoundField(UnitId(unit), field, scope)
    }

    /// The policy target of `unit` in this round: whether `user` enters one of its fields.
    pub(crate) fn unit_target(&self, user: &CurrentUser, unit: i64) -> Target<'static> {
        let enters = self.assignments.enters_any(
            &user.account().actor(),
            UnitId(unit),
            self.framework.fields.iter().map(|f| f.code.as_str()),
            &self.leads,
        );
        Target::RoundUnit(UnitId(unit), enters)
    }

    pub(crate) fn perms(&self, user: &CurrentUser, unit: i64, field: &str) -> Perms {
        let target = self.target(user, unit, field);
        let phase = self.round.phase;
        Perms {
            edit: user.can(Action::EnterSelfAssessment, target)
                && self.state.may_edit_self_assessment(phase, self.window_open),
            appraise: (user.can(Action::Appraise, target) && self.state.may_appraise(phase))
                .then_some(if phase == Phase::Appraisal2 {
                    Stage::Two
                } else {
                    Stage::One
                }),
            explain: user.can(Action::EnterSelfAssessment, target)
                && self.state.may_explain(phase, self.window_open),
            correct: user.can(Action::ManageRounds, Target::Province)
                && self.state == UnitState::Final,
        }
    }

    /// Whether a node applies to the unit (neither it nor an ancestor is exempt).
    pub(crate) fn applies(&self, code: &str) -> bool {
        !self.exempt.iter().any(|e| {
            code == e
                || code
                    .strip_prefix(e.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// The items of the unit that are scored (leaves that apply to it).
    pub(crate) fn items(&self) -> Vec<&Node> {
        self.framework
            .leaves()
            .into_iter()
            .filter(|n| self.applies(&n.code))
            .collect()
    }

    /// Why the unit cannot answer the appraisal now, if it cannot.
    pub(crate) fn explain_refused(&self) -> Option<chiso_core::round::workflow::StepRefused> {
        use chiso_core::round::workflow::StepRefused;
        if self.state.may_explain(self.round.phase, self.window_open) {
            None
        } else if self.round.phase != Phase::Explanation {
            Some(StepRefused::WrongPhase {
                needed: Phase::Explanation,
            })
        } else if !self.window_open {
            Some(StepRefused::Closed)
        } else {
            Some(StepRefused::WrongState)
        }
    }

    /// Why the unit's self-assessment cannot be changed now, if it cannot.
    pub(crate) fn edit_refused(&self) -> Option<chiso_core::round::workflow::StepRefused> {
        use chiso_core::round::workflow::StepRefused;
        if self
            .state
            .may_edit_self_assessment(self.round.phase, self.window_open)
        {
            None
        } else if self.round.phase != Phase::SelfAssessment {
            Some(StepRefused::WrongPhase {
                needed: Phase::SelfAssessment,
            })
        } else if !self.window_open {
            Some(StepRefused::Closed)
        } else {
            Some(StepRefused::WrongState)
        }
    }

    /// A scored item of the round's framework, or 404.
    pub(crate) fn leaf(&self, code: &str) -> Result<&Node, WebError> {
        self.framework
            .node(code)
            .filter(|n| n.is_leaf())
            .ok_or(WebError::NotFound)
    }
}

/// The grid of one unit in one round.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<GridPage, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let unit_row = state.store.unit(UnitId(unit)).await?;
    let data = UnitData::load(&state, &l, unit, None).await?;
    let mut fields = Vec::new();
    let mut progress = Vec::new();
    for field in &l.framework.fields {
        if !l.applies(&field.code) {
            continue;
        }
        let perms = l.perms(&user, unit, &field.code);
        let leaves: Vec<&Node> = field
            .leaves()
            .into_iter()
            .filter(|n| l.applies(&n.code))
            .collect();
        let items: Vec<Item> = leaves.iter().map(|n| item(n, &data, perms, &ctx)).collect();
        let count = |f: &dyn Fn(&str) -> bool| leaves.iter().filter(|n| f(&n.code)).count();
        let scored = count(&|c| {
            data.entries
                .get(c)
                .is_some_and(|e| e.self_points.is_some() || e.entry.not_applicable.is_some())
        });
        let evidenced = count(&|c| data.docs.get(c).is_some_and(|d| !d.is_empty()));
        let explained = count(&|c| {
            data.entries
                .get(c)
                .is_some_and(|e| !e.entry.explanation.trim().is_empty())
        });
        let points: Points = leaves
            .iter()
            .filter_map(|n| data.self_points(&n.code))
            .sum();
        let appraised: Points = leaves.iter().filter_map(|n| data.standing(&n.code)).sum();
        progress.push(FieldProgress {
            code: field.code.clone(),
            name: field.name.clone(),
            items: leaves.len(),
            scored,
            evidenced,
            explained,
            points: points.display(ctx.lang),
            appraised: appraised.display(ctx.lang),
            max: field.max.map(|m| m.display(ctx.lang)).unwrap_or_default(),
        });
        fields.push((field.code.clone(), field.name.clone(), items));
    }
    let own = Target::Unit(UnitId(unit));
    let step_ok = |s: Step| l.state.apply(s, l.round.phase, l.window_open).is_ok();
    let chair = user.can(Action::ConcludeAppraisal, own);
    Ok(GridPage {
        round_id: round,
        round_name: l.round.name.clone(),
        unit_id: unit,
        unit_name: unit_row.name,
        phase: l.round.phase.label(ctx.lang),
        state: l.state.label(ctx.lang),
        due: chiso_core::format::date(
            l.round
                .schedule
                .due(if l.round.phase == Phase::Explanation {
                    Phase::Explanation
                } else {
                    Phase::SelfAssessment
                })
                .unwrap_or(l.round.schedule.submission_due),
        ),
        closed_notice: matches!(l.round.phase, Phase::SelfAssessment | Phase::Explanation)
            && !l.window_open,
        progress,
        fields,
        exempt: l
            .exempt
            .iter()
            .filter_map(|c| l.framework.node(c))
            .map(|n| format!("{} {}", n.code, n.name))
            .collect(),
        can_submit: user.can(Action::ApproveSelfAssessment, own) && step_ok(Step::Submit),
        can_withdraw: user.can(Action::ApproveSelfAssessment, own) && step_ok(Step::Withdraw),
        can_send_explanation: user.can(Action::ApproveSelfAssessment, own)
            && step_ok(Step::SendExplanation),
        can_conclude_1: chair && step_ok(Step::ConcludeAppraisal1),
        can_conclude_2: chair && step_ok(Step::ConcludeAppraisal2),
        show_appraisal: l.round.phase >= Phase::Appraisal1,
        ctx,
    })
}

/// A decimal typed the Vietnamese way (`0,75`, spaces allowed); `None` if empty or unreadable.
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim().replace(' ', "").replace(',', ".");
    if t.is_empty() { None } else { t.parse().ok() }
}

/// Reads an item form into an entry; a value that cannot be read is a message.
pub(crate) fn entry_from(
    pairs: &[(String, String)],
    lang: Lang,
) -> Result<(SelfEntry, i64), String> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let bad = |what: &str, v: &str| match lang {
        Lang::Vi => format!("{what} \"{v}\" không phải là số."),
        Lang::En => format!("{what} \"{v}\" is not a number."),
    };
    let numerator = match get("numerator") {
        "" => None,
        v => Some(parse_decimal(v).ok_or_else(|| bad("Tử số", v))?),
    };
    let denominator = match get("denominator") {
        "" => None,
        v => Some(parse_decimal(v).ok_or_else(|| bad("Mẫu số", v))?),
    };
    let points = match get("points") {
        "" => None,
        v => Some(Points::parse(v).ok_or_else(|| bad("Điểm", v))?),
    };
    let entry = SelfEntry {
        numerator,
        denominator,
        level: get("level").parse().ok(),
        met: match get("met") {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        points,
        not_applicable: (get("na") == "1").then(|| chiso_core::text::clean(get("na_reason"))),
        explanation: chiso_core::text::clean(get("explanation")),
    };
    Ok((entry, get("version").parse().unwrap_or(0)))
}

/// Saves one item: the score is computed from the entry by the item's rule.
pub async fn save_item(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    let node = l.leaf(&code)?.clone();
    user.require(
        Action::EnterSelfAssessment,
        l.target(&user, unit, field_of(&code)),
    )?;
    if let Some(reason) = l.edit_refused() {
        return Err(WebError::BadRequest(reason.message(ctx.lang)));
    }
    let perms = l.perms(&user, unit, field_of(&code));
    let mut data = UnitData::load(&state, &l, unit, Some(&code)).await?;
    let respond = |ctx: Ctx, mut i: Item, message: (bool, String)| -> Response {
        i.message = Some(message);
        item_response(&state, ctx, round, unit, i)
    };
    let (entry, version) = match entry_from(&pairs, ctx.lang) {
        Ok(x) => x,
        Err(m) => {
            let i = item(&node, &data, perms, &ctx);
            return Ok(respond(ctx, i, (false, m)));
        }
    };
    let score = match self_score(&node, &entry) {
        Ok(s) => s,
        Err(p) => {
            let mut i = item(&node, &data, perms, &ctx);
            // Keep what was typed so nothing is lost.
            i.explanation = entry.explanation.clone();
            let message = p.message(ctx.lang);
            return Ok(respond(ctx, i, (false, message)));
        }
    };
    match state
        .store
        .save_self_entry(
            round,
            unit,
            &code,
            &entry,
            score,
            version,
            &user.by(),
            Utc::now(),
        )
        .await?
    {
        SaveOutcome::Saved { .. } => {
            if let Some(fresh) = state.store.self_entry(round, unit, &code).await? {
                data.entries.insert(code.clone(), fresh);
            }
            let i = item(&node, &data, perms, &ctx);
            let msg = ctx.t.flash_saved.to_string();
            Ok(respond(ctx, i, (true, msg)))
        }
        SaveOutcome::Conflict(current) => {
            let by = current.updated_by.clone();
            let at = ctx.time(&current.updated_at);
            data.entries.insert(code.clone(), *current);
            let mut i = item(&node, &data, perms, &ctx);
            i.conflict_by = by.clone();
            let msg = format!("{} {} ({})", ctx.t.grid_conflict, by, at);
            Ok(respond(ctx, i, (false, msg)))
        }
    }
}

async fn step(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    step: Step,
    ctx: &Ctx,
) -> Result<Response, WebError> {
    apply_step(state, user, round, unit, step, ctx).await?;
    Ok(back(state, round, unit))
}

/// Takes one step in a unit's progress (submit, conclude…) after the same checks for the page
/// and the API; returns the unit's new state.
pub(crate) async fn apply_step(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    step: Step,
    ctx: &Ctx,
) -> Result<UnitState, WebError> {
    let own = Target::Unit(UnitId(unit));
    let (action, name) = match step {
        Step::Submit => (Action::ApproveSelfAssessment, "submit"),
        Step::Withdraw => (Action::ApproveSelfAssessment, "withdraw"),
        Step::SendExplanation => (Action::ApproveSelfAssessment, "send_explanation"),
        Step::ConcludeAppraisal1 => (Action::ConcludeAppraisal, "conclude_appraisal_1"),
        Step::ConcludeAppraisal2 => (Action::ConcludeAppraisal, "conclude_appraisal_2"),
        Step::Reopen => (Action::ManageRounds, "reopen"),
    };
    user.require(action, own)?;
    let l = load(state, round, unit).await?;
    let to = l
        .state
        .apply(step, l.round.phase, l.window_open)
        .map_err(|r| WebError::BadRequest(r.message(ctx.lang)))?;
    let now = Utc::now();
    match step {
        Step::Submit => {
            // A point claimed without evidence requires an explanation (DOMAIN).
            let data = UnitData::load(state, &l, unit, None).await?;
            let missing: Vec<String> = l
                .items()
                .into_iter()
                .filter(|n| data.unsupported(&n.code))
                .map(|n| n.code.clone())
                .collect();
            if !missing.is_empty() {
                return Err(WebError::BadRequest(format!(
                    "{} {}",
                    ctx.t.grid_unsupported_refused,
                    missing.join(", ")
                )));
            }
        }
        Step::ConcludeAppraisal2 => {
            let data = UnitData::load(state, &l, unit, None).await?;
            let finals: Vec<(String, Option<Points>)> = l
                .items()
                .into_iter()
                .map(|n| (n.code.clone(), data.standing(&n.code)))
                .collect();
            state
                .store
                .conclude_final(l.round.id, UnitId(unit), l.state, &finals, &user.by(), now)
                .await?;
            crate::notify::unit_event(
                state,
                l.round.id,
                UnitId(unit),
                crate::notify::Kind::AppraisalFinished,
            )
            .await;
            return Ok(to);
        }
        _ => {}
    }
    state
        .store
        .set_unit_state(l.round.id, UnitId(unit), l.state, to, name, &user.by(), now)
        .await?;
    if step == Step::ConcludeAppraisal1 {
        let asked = state
            .store
            .appraisals(l.round.id, UnitId(unit))
            .await?
            .iter()
            .any(|((_, s), a)| *s == Stage::One && a.ask.is_some());
        if asked {
            crate::notify::unit_event(
                state,
                l.round.id,
                UnitId(unit),
                crate::notify::Kind::ReturnedForExplanation,
            )
            .await;
        }
    }
    Ok(to)
}

fn back(state: &AppState, round: i64, unit: i64) -> Response {
    redirect_with(
        &format!("/rounds/{round}/units/{unit}"),
        Flash::Saved,
        state.config.secure_cookies(),
    )
}

macro_rules! step_handler {
    ($(#[$doc:meta])* $name:ident, $step:expr) => {
        $(#[$doc])*
        pub async fn $name(
            State(state): State<AppState>,
            ctx: Ctx,
            user: CurrentUser,
            Path((round, unit)): Path<(i64, i64)>,
        ) -> Result<Response, WebError> {
            step(&state, &user, round, unit, $step, &ctx).await
        }
    };
}

step_handler!(
    /// The leader approves and submits.
    submit, Step::Submit);
step_handler!(
    /// The leader takes the submission back, before appraisal starts.
    withdraw, Step::Withdraw);
step_handler!(
    /// The leader sends the unit's explanations.
    send_explanation, Step::SendExplanation);
step_handler!(
    /// The council chair concludes round 1 for the unit.
    conclude_1, Step::ConcludeAppraisal1);
step_handler!(
    /// The council chair settles the unit's scores (round 2): they become final.
    conclude_2, Step::ConcludeAppraisal2);

/// One score event in an item's history.
pub struct HistoryRow {
    pub seq: i64,
    pub when: String,
    pub actor: String,
    pub kind: &'static str,
    pub old: String,
    pub new: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "item_history.html")]
pub struct HistoryPage {
    ctx: Ctx,
    round_id: i64,
    unit_id: i64,
    code: String,
    name: String,
    rows: Vec<HistoryRow>,
}

/// Every score event of one item, oldest first, from the ledger.
pub async fn history(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
) -> Result<HistoryPage, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let node = l.framework.node(&code).ok_or(WebError::NotFound)?;
    let show = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| s.parse::<i64>().ok())
            .map(|x| Points::from_scaled(x).display(ctx.lang))
            .unwrap_or_else(|| "—".into())
    };
    let rows = state
        .store
        .ledger_for(round, unit, &code)
        .await?
        .into_iter()
        .map(|e| HistoryRow {
            seq: e.seq,
            when: ctx.time(&chiso_store::from_millis(e.event.at)),
            actor: e.event.actor.clone(),
            kind: e.event.kind.label(ctx.lang),
            old: show(&e.event.old_value),
            new: show(&e.event.new_value),
            reason: e.event.reason.clone(),
        })
        .collect();
    Ok(HistoryPage {
        round_id: round,
        unit_id: unit,
        code: node.code.clone(),
        name: node.name.clone(),
        rows,
        ctx,
    })
}

/// Refuses unless the account may add documents to this item now (its field, its unit, the
/// self-assessment or explanation window).
pub(crate) async fn may_add_documents(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    code: &str,
    lang: Lang,
) -> Result<(), WebError> {
    let l = load(state, round, unit).await?;
    l.leaf(code)?;
    user.require(
        Action::EnterSelfAssessment,
        l.target(user, unit, field_of(code)),
    )?;
    if !l.perms(user, unit, field_of(code)).may_add_documents() {
        return Err(WebError::BadRequest(
            chiso_core::round::workflow::StepRefused::Closed.message(lang),
        ));
    }
    Ok(())
}

/// Uploads a document for an item: checked by content and size, stored once per content, with
/// its number, date, issuer and effective date.
pub async fn upload_evidence(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    may_add_documents(&state, &user, round, unit, &code, ctx.lang).await?;
    let (pairs, file) = crate::pages::read_multipart(&mut multipart, "tai-lieu").await?;
    add_document(&state, &user, round, unit, &code, &pairs, file, &ctx).await?;
    Ok(redirect_with(
        &format!("/rounds/{round}/units/{unit}#item-{code}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// Adds a document to an item for the page and the API: the same permission and window checks,
/// its dates read before anything is stored; gives the document's id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn add_document(
    state: &AppState,
    user: &CurrentUser,
    round: i64,
    unit: i64,
    code: &str,
    pairs: &[(String, String)],
    file: Option<(String, Vec<u8>)>,
    ctx: &Ctx,
) -> Result<i64, WebError> {
    may_add_documents(state, user, round, unit, code, ctx.lang).await?;
    let Some((file_name, bytes)) = file else {
        return Err(WebError::BadRequest(ctx.t.import_no_file.to_string()));
    };
    let get = |k: &str| crate::pages::form_value(pairs, k);
    let date_of = |k: &str| -> Result<Option<chrono::NaiveDate>, WebError> {
        match get(k).trim() {
            "" => Ok(None),
            t => chiso_core::format::parse_date(t)
                .map(Some)
                .ok_or_else(|| WebError::BadRequest(format!("{}: {}", ctx.t.date_invalid, t))),
        }
    };
    let doc_date = date_of("doc_date")?;
    let effective_date = date_of("effective_date")?;
    let size = bytes.len() as i64;
    // The content first: a document row never points at missing bytes.
    let (sha, content_type, file_name) =
        crate::pages::store_document(state, &file_name, bytes, ctx.lang).await?;
    let meta = chiso_store::evidence::EvidenceMeta {
        content_type,
        file_name,
        doc_number: chiso_core::text::clean(get("doc_number")),
        doc_date,
        issuer: chiso_core::text::clean(get("issuer")),
        effective_date,
    };
    Ok(state
        .store
        .attach_evidence(
            round,
            UnitId(unit),
            code,
            &sha,
            size,
            &meta,
            &user.by(),
            Utc::now(),
        )
        .await?)
}

/// Links one of last year's documents to an item of this year's round.
pub async fn reuse_evidence(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code, evidence)): Path<(i64, i64, String, i64)>,
) -> Result<Response, WebError> {
    may_add_documents(&state, &user, round, unit, &code, ctx.lang).await?;
    state
        .store
        .reuse_evidence(round, UnitId(unit), &code, evidence, &user.by(), Utc::now())
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{round}/units/{unit}#item-{code}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// A document, for those who may see its unit: PDF and images shown in place, others downloaded.
pub async fn download_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let e = state.store.evidence(id).await?;
    if let Err(refused) = user.require(Action::ViewUnit, Target::Unit(e.unit)) {
        // Those who enter a field of the unit in a round that uses the document may read it.
        let mut allowed = false;
        for r in state.store.evidence_rounds(id).await? {
            let l = load(&state, r.0, e.unit.0).await?;
            if user.can(Action::ViewUnit, l.unit_target(&user, e.unit.0)) {
                allowed = true;
                break;
            }
        }
        if !allowed {
            return Err(refused);
        }
    }
    let bytes = crate::pages::stored_file(&state, &e.sha256, &format!("evidence {id}")).await?;
    let inline =
        e.meta.content_type == "application/pdf" || e.meta.content_type.starts_with("image/");
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        e.meta
            .file_name
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            })
            .collect::<String>()
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                e.meta.content_type.clone(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Each applicable node's points in four columns — self score, appraisal 1, appraisal 2, final
/// — a leaf's as stored, a branch's as the results compute it (deductions, bonuses, each branch
/// kept within 0 and its maximum), so that reports agree with the published figures. A column
/// stays empty for a branch when none of its items has a value there.
pub(crate) fn node_columns(l: &Loaded, data: &UnitData) -> HashMap<String, [Option<Points>; 4]> {
    let leaf_values = |n: &Node| -> [Option<Points>; 4] {
        let a = |s: Stage| {
            data.appraisals
                .get(&(n.code.clone(), s))
                .and_then(|a| a.points)
        };
        [
            data.self_points(&n.code),
            a(Stage::One),
            a(Stage::Two),
            data.finals.get(&n.code).copied().flatten(),
        ]
    };
    let layout = chiso_core::results::Layout::new(&l.framework);
    let position: HashMap<&str, usize> = layout
        .nodes()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.code.as_str(), i))
        .collect();
    let exempt: Vec<String> = l
        .framework
        .walk()
        .iter()
        .filter(|x| !l.applies(&x.node.code))
        .map(|x| x.node.code.clone())
        .collect();
    let leaves: Vec<&Node> = l.items();
    let columns: Vec<Option<chiso_core::results::UnitScores>> = (0..4)
        .map(|c| {
            let input = chiso_core::results::UnitInput {
                name: String::new(),
                group: None,
                points: leaves
                    .iter()
                    .filter_map(|n| leaf_values(n)[c].map(|p| (n.code.clone(), p)))
                    .collect(),
                exempt: exempt.clone(),
                samples: Vec::new(),
            };
            layout.prepare(&input).ok()
        })
        .collect();
    let computed: Vec<Option<chiso_core::results::Results<'_>>> = columns
        .iter()
        .map(|c| {
            c.as_ref()
                .map(|s| chiso_core::results::compute(&layout, std::slice::from_ref(s)))
        })
        .collect();
    let mut out = HashMap::new();
    for located in l.framework.walk() {
        let n = located.node;
        if !l.applies(&n.code) {
            continue;
        }
        let values = if n.is_leaf() {
            leaf_values(n)
        } else {
            let mut totals: [Option<Points>; 4] = [None; 4];
            for (c, total) in totals.iter_mut().enumerate() {
                let any = n
                    .leaves()
                    .iter()
                    .any(|x| l.applies(&x.code) && leaf_values(x)[c].is_some());
                if let (true, Some(results), Some(&i)) =
                    (any, &computed[c], position.get(n.code.as_str()))
                {
                    *total = Some(results.node(0, i).points);
                }
            }
            totals
        };
        out.insert(n.code.clone(), values);
    }
    out
}

/// A unit's annex table (phụ biểu) for a round: every node of the framework that applies, each
/// leaf with its self score, appraisal scores, final score, the appraisers' reason and its
/// documents; a branch with the sums of its items.
pub(crate) async fn annex_report(
    state: &AppState,
    round: i64,
    unit: i64,
) -> Result<chiso_reports::annex_xlsx::Annex, WebError> {
    use chiso_reports::annex_xlsx::{Annex, AnnexRow};
    let l = load(state, round, unit).await?;
    let data = UnitData::load(state, &l, unit, None).await?;
    let unit_row = state.store.unit(UnitId(unit)).await?;
    let columns = node_columns(&l, &data);
    let mut rows = Vec::new();
    for located in l.framework.walk() {
        let n = located.node;
        let Some(values) = columns.get(&n.code).copied() else {
            continue;
        };
        let reason = [Stage::Two, Stage::One]
            .iter()
            .find_map(|s| {
                data.appraisals
                    .get(&(n.code.clone(), *s))
                    .map(|a| a.reason.clone())
                    .filter(|r| !r.is_empty())
            })
            .unwrap_or_default();
        rows.push(AnnexRow {
            code: n.code.clone(),
            name: n.name.clone(),
            depth: u8::try_from(located.depth).unwrap_or(u8::MAX),
            max: n.max.map(|m| m.decimal()),
            self_score: values[0].map(|p| p.decimal()),
            appraisal1: values[1].map(|p| p.decimal()),
            appraisal2: values[2].map(|p| p.decimal()),
            final_score: values[3].map(|p| p.decimal()),
            survey: matches!(n.rule, Some(Rule::Survey { .. })),
            reason,
            evidence: data
                .docs
                .get(&n.code)
                .map(|d| d.iter().map(|(_, name)| name.clone()).collect())
                .unwrap_or_default(),
        });
    }
    Ok(Annex {
        unit_name: unit_row.name,
        round_name: l.round.name.clone(),
        framework_name: l.framework.name.clone(),
        year: l.framework.year,
        rows,
        signed_by: None,
    })
}
