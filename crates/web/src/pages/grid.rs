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
use chiso_core::round::entry::{SelfEntry, self_score};
use chiso_core::round::phase::Phase;
use chiso_core::round::workflow::Step;
use chiso_store::entries::{SaveOutcome, StoredEntry};
use chiso_store::rounds::{RoundId, RoundSummary};
use chrono::Utc;
use rust_decimal::Decimal;

fn today() -> chrono::NaiveDate {
    chiso_core::format::vietnam_day(Utc::now())
}

/// The field (top-level code) a node belongs to.
fn field_of(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
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
}

impl Item {
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

fn item(
    node: &Node,
    stored: Option<&StoredEntry>,
    editable: bool,
    lang: Lang,
    docs: Vec<(i64, String)>,
) -> Item {
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
        editable: editable && kind != "survey",
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
        docs,
    }
}

/// The documents of each item of a unit in a round (or of one item), for the grid.
async fn docs_by_item(
    state: &AppState,
    round: i64,
    unit: i64,
    node: Option<&str>,
) -> Result<std::collections::HashMap<String, Vec<(i64, String)>>, WebError> {
    let mut out: std::collections::HashMap<String, Vec<(i64, String)>> =
        std::collections::HashMap::new();
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
    pub explained: usize,
    pub points: String,
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
    window_open: bool,
    progress: Vec<FieldProgress>,
    /// (field code, field name, items)
    fields: Vec<(String, String, Vec<Item>)>,
    exempt: Vec<String>,
    can_submit: bool,
    can_withdraw: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "grid_item.html")]
pub struct ItemPartial {
    ctx: Ctx,
    round_id: i64,
    unit_id: i64,
    i: Item,
}

struct Loaded {
    round: RoundSummary,
    framework: Framework,
    state: chiso_core::round::workflow::UnitState,
    window_open: bool,
    attributes: applicability::Attributes,
}

async fn load(state: &AppState, round: i64, unit: i64) -> Result<Loaded, WebError> {
    let round = state.store.round(RoundId(round)).await?;
    let ru = state.store.round_unit(round.id, UnitId(unit)).await?;
    let (_, framework) = state.store.framework(round.framework).await?;
    let window_open = round
        .schedule
        .open_for(Phase::SelfAssessment, today(), ru.extension_until);
    let attributes = state.store.unit_attributes(UnitId(unit)).await?;
    Ok(Loaded {
        round,
        framework,
        state: ru.state,
        window_open,
        attributes,
    })
}

/// Whether this account may edit an item of this field now.
fn may_edit(user: &CurrentUser, l: &Loaded, unit: i64, field: &str) -> bool {
    user.can(
        Action::EnterSelfAssessment,
        Target::UnitField(UnitId(unit), field),
    ) && l
        .state
        .may_edit_self_assessment(l.round.phase, l.window_open)
}

/// The grid of one unit in one round.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<GridPage, WebError> {
    user.require(Action::ViewUnit, Target::Unit(UnitId(unit)))?;
    let l = load(&state, round, unit).await?;
    let unit_row = state.store.unit(UnitId(unit)).await?;
    let entries = state.store.self_entries(round, unit).await?;
    let docs = docs_by_item(&state, round, unit, None).await?;
    let exempt_nodes = applicability::exempt_nodes(&l.framework, &l.attributes);
    let exempt_codes: Vec<&str> = exempt_nodes.iter().map(|n| n.code.as_str()).collect();
    let is_exempt = |code: &str| {
        exempt_codes
            .iter()
            .any(|e| code == *e || code.starts_with(&format!("{e}.")))
    };
    let mut fields = Vec::new();
    let mut progress = Vec::new();
    for field in &l.framework.fields {
        if is_exempt(&field.code) {
            continue;
        }
        let editable = may_edit(&user, &l, unit, &field.code);
        let leaves: Vec<&Node> = leaves_of(field)
            .into_iter()
            .filter(|n| !is_exempt(&n.code))
            .collect();
        let items: Vec<Item> = leaves
            .iter()
            .map(|n| {
                let d = docs.get(&n.code).cloned().unwrap_or_default();
                item(n, entries.get(&n.code), editable, ctx.lang, d)
            })
            .collect();
        let scored = leaves
            .iter()
            .filter(|n| {
                entries
                    .get(&n.code)
                    .is_some_and(|e| e.self_points.is_some() || e.entry.not_applicable.is_some())
            })
            .count();
        let explained = leaves
            .iter()
            .filter(|n| {
                entries
                    .get(&n.code)
                    .is_some_and(|e| !e.entry.explanation.trim().is_empty())
            })
            .count();
        let points: Points = leaves
            .iter()
            .filter_map(|n| entries.get(&n.code).and_then(|e| e.self_points))
            .sum();
        progress.push(FieldProgress {
            code: field.code.clone(),
            name: field.name.clone(),
            items: leaves.len(),
            scored,
            explained,
            points: points.display(ctx.lang),
            max: field.max.map(|m| m.display(ctx.lang)).unwrap_or_default(),
        });
        fields.push((field.code.clone(), field.name.clone(), items));
    }
    let own = Target::Unit(UnitId(unit));
    Ok(GridPage {
        round_id: round,
        round_name: l.round.name.clone(),
        unit_id: unit,
        unit_name: unit_row.name,
        phase: l.round.phase.label(ctx.lang),
        state: l.state.label(ctx.lang),
        due: chiso_core::format::date(l.round.schedule.submission_due),
        window_open: l.window_open,
        progress,
        fields,
        exempt: exempt_nodes
            .iter()
            .map(|n| format!("{} {}", n.code, n.name))
            .collect(),
        can_submit: user.can(Action::ApproveSelfAssessment, own)
            && l.state
                .apply(Step::Submit, l.round.phase, l.window_open)
                .is_ok(),
        can_withdraw: user.can(Action::ApproveSelfAssessment, own)
            && l.state
                .apply(Step::Withdraw, l.round.phase, l.window_open)
                .is_ok(),
        ctx,
    })
}

fn leaves_of(n: &Node) -> Vec<&Node> {
    if n.is_leaf() {
        vec![n]
    } else {
        n.children.iter().flat_map(leaves_of).collect()
    }
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim().replace(' ', "").replace(',', ".");
    if t.is_empty() { None } else { t.parse().ok() }
}

/// Reads an item form into an entry; a value that cannot be read is a message.
fn entry_from(pairs: &[(String, String)], lang: Lang) -> Result<(SelfEntry, i64), String> {
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
    let node = l
        .framework
        .node(&code)
        .filter(|n| n.is_leaf())
        .ok_or(WebError::NotFound)?
        .clone();
    user.require(
        Action::EnterSelfAssessment,
        Target::UnitField(UnitId(unit), field_of(&code)),
    )?;
    if !l
        .state
        .may_edit_self_assessment(l.round.phase, l.window_open)
    {
        let reason = if l.round.phase != Phase::SelfAssessment {
            chiso_core::round::workflow::StepRefused::WrongPhase {
                needed: Phase::SelfAssessment,
            }
        } else if !l.window_open {
            chiso_core::round::workflow::StepRefused::Closed
        } else {
            chiso_core::round::workflow::StepRefused::WrongState
        };
        return Err(WebError::BadRequest(reason.message(ctx.lang)));
    }
    let stored = state.store.self_entry(round, unit, &code).await?;
    let docs = docs_by_item(&state, round, unit, Some(&code))
        .await?
        .remove(&code)
        .unwrap_or_default();
    let respond = |ctx: Ctx, mut i: Item, message: (bool, String)| -> Response {
        i.message = Some(message);
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
    };
    let (entry, version) = match entry_from(&pairs, ctx.lang) {
        Ok(x) => x,
        Err(m) => {
            let i = item(&node, stored.as_ref(), true, ctx.lang, docs.clone());
            return Ok(respond(ctx, i, (false, m)));
        }
    };
    let score = match self_score(&node, &entry) {
        Ok(s) => s,
        Err(p) => {
            let mut i = item(&node, stored.as_ref(), true, ctx.lang, docs.clone());
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
            let fresh = state.store.self_entry(round, unit, &code).await?;
            let i = item(&node, fresh.as_ref(), true, ctx.lang, docs.clone());
            let msg = ctx.t.flash_saved.to_string();
            Ok(respond(ctx, i, (true, msg)))
        }
        SaveOutcome::Conflict(current) => {
            let mut i = item(&node, Some(&current), true, ctx.lang, docs.clone());
            i.conflict_by = current.updated_by.clone();
            let msg = format!(
                "{} {} ({})",
                ctx.t.grid_conflict,
                current.updated_by,
                ctx.time(&current.updated_at)
            );
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
    name: &str,
    lang: Lang,
) -> Result<Response, WebError> {
    user.require(Action::ApproveSelfAssessment, Target::Unit(UnitId(unit)))?;
    let l = load(state, round, unit).await?;
    let to = l
        .state
        .apply(step, l.round.phase, l.window_open)
        .map_err(|r| WebError::BadRequest(r.message(lang)))?;
    state
        .store
        .set_unit_state(
            l.round.id,
            UnitId(unit),
            l.state,
            to,
            name,
            &user.by(),
            Utc::now(),
        )
        .await?;
    Ok(redirect_with(
        &format!("/rounds/{round}/units/{unit}"),
        Flash::Saved,
        state.config.secure_cookies(),
    ))
}

/// The leader approves and submits.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    step(&state, &user, round, unit, Step::Submit, "submit", ctx.lang).await
}

/// The leader takes the submission back, before appraisal starts.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    step(
        &state,
        &user,
        round,
        unit,
        Step::Withdraw,
        "withdraw",
        ctx.lang,
    )
    .await
}

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

fn event_label(kind: chiso_core::round::ledger::EventKind, lang: Lang) -> &'static str {
    use chiso_core::round::ledger::EventKind::*;
    let vi = lang == Lang::Vi;
    match kind {
        SelfScore => {
            if vi {
                "Tự chấm"
            } else {
                "Self score"
            }
        }
        Appraisal1 => {
            if vi {
                "Thẩm định lần 1"
            } else {
                "Appraisal 1"
            }
        }
        Explanation => {
            if vi {
                "Giải trình"
            } else {
                "Explanation"
            }
        }
        Appraisal2 => {
            if vi {
                "Thẩm định lần 2"
            } else {
                "Appraisal 2"
            }
        }
        Final => {
            if vi {
                "Chốt điểm"
            } else {
                "Final"
            }
        }
        AdminCorrection => {
            if vi {
                "Quản trị điều chỉnh"
            } else {
                "Admin correction"
            }
        }
    }
}

/// Every score event of one item, oldest first, from the ledger.
pub async fn history(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
) -> Result<HistoryPage, WebError> {
    user.require(Action::ViewUnit, Target::Unit(UnitId(unit)))?;
    let l = load(&state, round, unit).await?;
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
            kind: event_label(e.event.kind, ctx.lang),
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

/// Uploads a document for an item: checked by content and size, stored once per content, with
/// its number, date, issuer and effective date.
pub async fn upload_evidence(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit, code)): Path<(i64, i64, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    l.framework
        .node(&code)
        .filter(|n| n.is_leaf())
        .ok_or(WebError::NotFound)?;
    user.require(
        Action::EnterSelfAssessment,
        Target::UnitField(UnitId(unit), field_of(&code)),
    )?;
    if !l
        .state
        .may_edit_self_assessment(l.round.phase, l.window_open)
    {
        return Err(WebError::BadRequest(
            chiso_core::round::workflow::StepRefused::Closed.message(ctx.lang),
        ));
    }
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.to_string());
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut fields: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("tai-lieu").to_string();
            file = Some((file_name, field.bytes().await.map_err(bad)?.to_vec()));
        } else {
            fields.insert(name, field.text().await.map_err(bad)?);
        }
    }
    let Some((file_name, bytes)) = file else {
        return Err(WebError::BadRequest(ctx.t.import_no_file.to_string()));
    };
    let kind = chiso_core::round::evidence::check(&bytes, state.config.max_upload_bytes)
        .map_err(|r| WebError::BadRequest(r.message(ctx.lang)))?;
    let date_of = |k: &str| -> Result<Option<chrono::NaiveDate>, WebError> {
        match fields.get(k).map(|s| s.trim()).unwrap_or("") {
            "" => Ok(None),
            t => chiso_core::format::parse_date(t)
                .map(Some)
                .ok_or_else(|| WebError::BadRequest(format!("{}: {}", ctx.t.date_invalid, t))),
        }
    };
    let file_name = chiso_core::round::evidence::safe_name(&file_name);
    let meta = chiso_store::evidence::EvidenceMeta {
        content_type: kind.content_type(&file_name).to_string(),
        file_name,
        doc_number: chiso_core::text::clean(
            fields.get("doc_number").map(String::as_str).unwrap_or(""),
        ),
        doc_date: date_of("doc_date")?,
        issuer: chiso_core::text::clean(fields.get("issuer").map(String::as_str).unwrap_or("")),
        effective_date: date_of("effective_date")?,
    };
    let sha = chiso_core::round::evidence::sha256(&bytes);
    let size = bytes.len() as i64;
    // The content first: a document row never points at missing bytes.
    state.files.put(&sha, bytes).await?;
    state
        .store
        .attach_evidence(
            round,
            UnitId(unit),
            &code,
            &sha,
            size,
            &meta,
            &user.by(),
            Utc::now(),
        )
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
    user.require(Action::ViewUnit, Target::Unit(e.unit))?;
    let bytes = state.files.get(&e.sha256).await?;
    // The stored hash is checked on every read: a file altered on disk is not served.
    if chiso_core::round::evidence::sha256(&bytes) != e.sha256 {
        return Err(WebError::Internal(format!(
            "evidence {id} does not match its SHA-256"
        )));
    }
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
