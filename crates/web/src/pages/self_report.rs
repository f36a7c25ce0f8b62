//! The self-assessment report a unit sends with its scores (báo cáo tự đánh giá), as .docx: the
//! form prefilled from the unit's assessment (heading, per-field scores, the items claimed
//! without evidence or whose evidence the council found incomplete, the approving leader who
//! submitted it and when), the person adds difficulties and recommendations, one click gives
//! the document. The annex table and this report also come as PDF where Chromium is installed.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::user::Ctx;
use crate::error::WebError;
use crate::pages::form_value as get;
use crate::pages::grid::{UnitData, load};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chiso_core::framework::{Points, Rule};
use chiso_core::ids::UnitId;
use chiso_core::policy::Action;
use chiso_core::round::appraisal::Stage;
use chiso_reports::self_assessment_docx::{
    EvidenceGap, Explanation, FieldScore, SelfAssessmentReport, Signer,
};
use chrono::NaiveDate;

/// What the form starts from.
struct Prefill {
    issuer: String,
    unit_name: String,
    place: String,
    signer_name: String,
    signed_on: Option<NaiveDate>,
}

async fn prefill(state: &AppState, round: i64, unit: i64) -> Result<Prefill, WebError> {
    let unit_row = state.store.unit(UnitId(unit)).await?;
    // The province is the top of the unit tree; its People's Committee issues for the units
    // under it.
    let mut top = unit_row.clone();
    while let Some(p) = top.parent {
        top = state.store.unit(p).await?;
    }
    let place = top
        .name
        .trim_start_matches("tỉnh ")
        .trim_start_matches("Tỉnh ")
        .trim_start_matches("thành phố ")
        .to_string();
    let issuer = if top.id == unit_row.id {
        String::new()
    } else {
        format!("UBND {}", top.name.to_uppercase())
    };
    // The leader who submitted the self-assessment, from the audit trail; only while it stands
    // submitted (a withdrawn or reopened one has no approver).
    let state_now = state
        .store
        .round_unit(chiso_store::rounds::RoundId(round), UnitId(unit))
        .await?
        .state;
    let submitted = state
        .store
        .last_audit_entry(
            "round.unit_state",
            "round",
            &round.to_string(),
            &format!("submit: {}", UnitId(unit)),
        )
        .await?
        .filter(|_| state_now != chiso_core::round::workflow::UnitState::Drafting);
    Ok(Prefill {
        issuer,
        unit_name: unit_row.name,
        place,
        signer_name: submitted
            .as_ref()
            .map(|e| e.actor.clone())
            .unwrap_or_default(),
        signed_on: submitted
            .as_ref()
            .map(|e| chiso_core::format::vietnam_day(e.at)),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "self_report.html")]
pub struct ReportForm {
    ctx: Ctx,
    round: i64,
    unit: i64,
    unit_name: String,
    issuer: String,
    place: String,
    date: String,
    signer_name: String,
    signed_on: String,
    pdf_available: bool,
}

/// `GET /rounds/{id}/units/{unit}/report`: the report's form, prefilled.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
) -> Result<ReportForm, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let p = prefill(&state, round, unit).await?;
    let today = chiso_core::format::vietnam_day(chrono::Utc::now());
    Ok(ReportForm {
        round,
        unit,
        unit_name: p.unit_name,
        issuer: p.issuer,
        place: p.place,
        date: chiso_core::format::date(today),
        signer_name: p.signer_name,
        signed_on: p
            .signed_on
            .map(chiso_core::format::date)
            .unwrap_or_default(),
        pdf_available: crate::pdf::available(),
        ctx,
    })
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(chiso_core::text::clean)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The report's content from the unit's assessment and the form.
async fn report(
    state: &AppState,
    round: i64,
    unit: i64,
    pairs: &[(String, String)],
) -> Result<SelfAssessmentReport, WebError> {
    let l = load(state, round, unit).await?;
    let data = UnitData::load(state, &l, unit, None).await?;
    let p = prefill(state, round, unit).await?;
    let date = match get(pairs, "date") {
        "" => chiso_core::format::vietnam_day(chrono::Utc::now()),
        t => chiso_core::format::parse_date(t)
            .ok_or_else(|| WebError::BadRequest(format!("{t}: dd/mm/yyyy")))?,
    };
    // The tree as the unit scored it: each field, criterion and sub-criterion with the
    // self-assessed part of its maximum (survey items are not self-scored) and the points.
    let columns = crate::pages::grid::node_columns(&l, &data);
    let mut fields = Vec::new();
    for located in l.framework.walk() {
        let n = located.node;
        if !l.applies(&n.code) {
            continue;
        }
        let own: Vec<_> = if n.is_leaf() { vec![n] } else { n.leaves() }
            .into_iter()
            .filter(|x| l.applies(&x.code) && !matches!(x.rule, Some(Rule::Survey { .. })))
            .collect();
        if own.is_empty() {
            continue;
        }
        let max: Points = own.iter().filter_map(|x| x.max).sum();
        // As the results compute it: a deduction or a bonus never takes a branch outside 0
        // and its maximum.
        let score = columns
            .get(&n.code)
            .and_then(|c| c[0])
            .unwrap_or(Points::ZERO);
        fields.push(FieldScore {
            code: n.code.clone(),
            name: n.name.clone(),
            max: max.decimal(),
            self_score: score.decimal(),
            depth: u8::try_from(located.depth).unwrap_or(u8::MAX),
        });
    }
    let mut explanations = Vec::new();
    for n in l.items() {
        let claimed = data.self_points(&n.code).is_some_and(|p| p > Points::ZERO);
        let docs = data.docs.get(&n.code).map_or(0, Vec::len);
        let explanation = data
            .entries
            .get(&n.code)
            .map(|e| e.entry.explanation.clone())
            .unwrap_or_default();
        let asked = data
            .appraisal(&n.code, Stage::One)
            .is_some_and(|a| a.ask.is_some());
        let gap = if claimed && docs == 0 {
            Some(EvidenceGap::Missing)
        } else if asked {
            Some(EvidenceGap::Incomplete)
        } else {
            None
        };
        if let Some(gap) = gap {
            let answer = data
                .answers
                .get(&n.code)
                .map(|a| a.answer.clone())
                .unwrap_or_default();
            explanations.push(Explanation {
                code: n.code.clone(),
                name: n.name.clone(),
                gap,
                text: if answer.is_empty() {
                    explanation
                } else {
                    answer
                },
            });
        }
    }
    let signer_name = chiso_core::text::clean(get(pairs, "signer_name"));
    Ok(SelfAssessmentReport {
        issuer: chiso_core::text::clean(get(pairs, "issuer")),
        unit_name: p.unit_name,
        number: chiso_core::text::clean(get(pairs, "number")),
        place: chiso_core::text::clean(get(pairs, "place")),
        date,
        year: l.framework.year,
        opening: chiso_core::text::clean(get(pairs, "opening")),
        fields,
        explanations,
        difficulties: paragraphs(get(pairs, "difficulties")),
        recommendations: paragraphs(get(pairs, "recommendations")),
        signer: Signer {
            position: chiso_core::text::clean(get(pairs, "signer_position")),
            name: if signer_name.is_empty() {
                p.signer_name
            } else {
                signer_name
            },
            signed_on: p.signed_on,
        },
        recipients: paragraphs(get(pairs, "recipients")),
    })
}

/// `POST /rounds/{id}/units/{unit}/report`: the .docx, or the PDF with `format=pdf`.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path((round, unit)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = load(&state, round, unit).await?;
    user.require(Action::ViewUnit, l.unit_target(&user, unit))?;
    let r = report(&state, round, unit, &pairs).await?;
    let code = state.store.unit(UnitId(unit)).await?.code.to_lowercase();
    let name = format!("bao-cao-tu-danh-gia-{code}-{round}");
    if get(&pairs, "format") == "pdf" {
        let html = PrintReport::new(&r)
            .render()
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let pdf = crate::pdf::from_html(&html)
            .await
            .map_err(|e| WebError::BadRequest(format!("{}: {e}", ctx.t.pdf_unavailable)))?;
        return Ok(crate::pages::attachment(
            pdf,
            &format!("{name}.pdf"),
            "application/pdf".into(),
        ));
    }
    let bytes = chiso_reports::self_assessment_docx::self_assessment_docx(&r)
        .map_err(|e| WebError::Internal(format!("{e:?}")))?;
    Ok(crate::pages::attachment(
        bytes,
        &format!("{name}.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
    ))
}

/// The report as a printable page (for PDF): the same content as the .docx.
#[derive(Template)]
#[template(path = "print_report.html")]
pub struct PrintReport<'a> {
    r: &'a SelfAssessmentReport,
    title: String,
    date_line: String,
    total_self: String,
    total_max: String,
    rows: Vec<(String, String, String, String, String)>,
    signed_on: String,
}

impl<'a> PrintReport<'a> {
    fn new(r: &'a SelfAssessmentReport) -> PrintReport<'a> {
        let lang = chiso_core::lang::Lang::Vi;
        let show = |d: rust_decimal::Decimal| Points::new(d).display(lang);
        let fields = || r.fields.iter().filter(|f| f.depth == 0);
        let total_self: rust_decimal::Decimal = fields().map(|f| f.self_score).sum();
        let total_max: rust_decimal::Decimal = fields().map(|f| f.max).sum();
        PrintReport {
            title: chiso_reports::self_assessment_docx::title(r.year),
            date_line: chiso_reports::self_assessment_docx::date_line(&r.place, r.date),
            total_self: show(total_self),
            total_max: show(total_max),
            rows: r
                .fields
                .iter()
                .map(|f| {
                    let pct = if f.max.is_zero() {
                        String::new()
                    } else {
                        chiso_core::format::points(
                            (f.self_score / f.max * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2),
                            lang,
                        )
                    };
                    (
                        f.code.clone(),
                        f.name.clone(),
                        show(f.max),
                        show(f.self_score),
                        pct,
                    )
                })
                .collect(),
            signed_on: r
                .signer
                .signed_on
                .map(chiso_core::format::date)
                .unwrap_or_default(),
            r,
        }
    }

    fn gap(&self, e: &Explanation) -> &'static str {
        match e.gap {
            EvidenceGap::Missing => "Chưa có tài liệu kiểm chứng",
            EvidenceGap::Incomplete => "Tài liệu kiểm chứng chưa đầy đủ",
        }
    }
}
