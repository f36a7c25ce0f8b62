//! `chiso demo generate`: fills an empty database with a national-scale demo dataset — the
//! demo province's departments and accounts, thousands of generated communes, finished yearly
//! rounds with every score, appraisal, final score and ledger event, evidence documents, survey
//! responses, improvement plans, and this year's round open for self-assessment with focal-point
//! accounts ready for a load test. Everything is drawn from `--seed` (and `--today`), so the
//! same arguments give the same data; see `docs/PERFORMANCE.md`.
//!
//! Scores go through the framework's rules (`self_score`, `appraise`) as typed in the grid;
//! the rows and their ledger events are written many at a time (`chiso_store::bulk`).

use crate::Failure;
use crate::config::Settings;
use chiso_core::demo_scale::{self as scale, Draws, Purpose};
use chiso_core::framework::{Framework, Points, applicability, crosswalk, model::Rule};
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::plan::Deadline;
use chiso_core::plan::draft::{Draft, DraftGoal, DraftTask};
use chiso_core::results::{
    BandScale, FieldRanks, Layout, LeafStats, NodeKind, Results, SurveySample, UnitInput,
    UnitScores, compute, percent, published,
};
use chiso_core::round::appraisal::{self, AppraisalInput, Ask, Stage};
use chiso_core::round::entry::self_score;
use chiso_core::round::phase::Phase;
use chiso_core::round::schedule::Schedule;
use chiso_core::round::workflow::UnitState;
use chiso_core::units::UnitType;
use chiso_store::Store;
use chiso_store::audit::By;
use chiso_store::bulk::{
    BulkAnswer, BulkAppraisal, BulkEntry, BulkEvidence, BulkFinal, BulkPlan, NewUnit,
};
use chiso_store::evidence::{EvidenceMeta, Files};
use chiso_store::frameworks::FrameworkId;
use chiso_store::results::SurveyPoint;
use chiso_store::rounds::RoundId;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use clap::{Args, Subcommand};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Subcommand)]
pub enum DemoCommand {
    /// Fill an EMPTY database with a reproducible national-scale dataset (communes, finished
    /// rounds with every score and ledger entry, evidence, survey responses, plans) and an open
    /// round with focal-point logins for load tests.
    Generate(GenerateArgs),
}

#[derive(Args)]
pub struct GenerateArgs {
    /// Communes, wards and special zones (3 321 is the country after 1/7/2025).
    #[arg(long, default_value_t = 3321)]
    communes: usize,
    /// Finished yearly rounds, the last one for --last-year.
    #[arg(long, default_value_t = 3)]
    years: usize,
    /// Survey responses in the last finished round's campaign; 0 types survey points in as
    /// from a published decision. Default: 30 per commune.
    #[arg(long)]
    responses: Option<usize>,
    /// Seed of every draw: the same seed (and --today) gives the same data.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Focal-point accounts focal0001… in communes of the open round.
    #[arg(long, default_value_t = 200)]
    focal: usize,
    /// Evidence documents per commune and finished round.
    #[arg(long, default_value_t = 2)]
    evidence: usize,
    /// Year of the last finished round (default: the year before --today); the open round is
    /// for the year after it.
    #[arg(long)]
    last_year: Option<i32>,
    /// The day taken as today, YYYY-MM-DD (default: today in Vietnam): the open round's
    /// self-assessment window surrounds it.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Also write the focal-point logins as CSV: username, password, unit code, grid path.
    #[arg(long)]
    logins: Option<PathBuf>,
}

/// Communes per bulk call when writing a round (about 12 000 items).
const COMMUNES_PER_CALL: usize = 250;

pub async fn run(store: &Store, settings: &Settings, command: DemoCommand) -> Result<(), Failure> {
    match command {
        DemoCommand::Generate(args) => generate(store, settings, args).await,
    }
}

fn env(e: impl std::fmt::Display) -> Failure {
    Failure::env(e.to_string())
}

/// 08:00 in Vietnam (01:00 UTC) on `day`, `minutes` later.
fn at(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    day.and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A generated commune once stored.
struct Stored {
    id: UnitId,
    code: String,
    name: String,
    attributes: BTreeMap<String, bool>,
}

/// What one step took, for the summary.
struct Timer {
    started: Instant,
    step: Instant,
}

impl Timer {
    fn lap(&mut self, what: &str) {
        println!("  {what} ({:.1} s)", self.step.elapsed().as_secs_f64());
        self.step = Instant::now();
    }
}

fn thousands(n: impl Into<i64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && c.is_ascii_digit() {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

async fn generate(store: &Store, settings: &Settings, args: GenerateArgs) -> Result<(), Failure> {
    if !(1..=scale::MAX_COMMUNES).contains(&args.communes) {
        return Err(Failure::env(format!(
            "--communes must be from 1 to {}",
            scale::MAX_COMMUNES
        )));
    }
    if !(1..=20).contains(&args.years) || args.evidence > 10 {
        return Err(Failure::env(
            "--years must be from 1 to 20 and --evidence at most 10",
        ));
    }
    let today = args
        .today
        .unwrap_or_else(|| chiso_core::format::vietnam_day(Utc::now()));
    let last = args.last_year.unwrap_or(today.year() - 1);
    let first = last - args.years as i32 + 1;
    let open_year = last + 1;
    let responses = args.responses.unwrap_or(30 * args.communes);
    let seed = args.seed;
    // Only an empty database: mixing generated rows into real ones could not be undone.
    let counts: HashMap<&str, i64> = store.row_counts().await.map_err(env)?.into_iter().collect();
    let filled: Vec<String> = ["units", "accounts", "frameworks", "rounds"]
        .iter()
        .filter(|t| counts.get(*t).copied().unwrap_or(0) > 0)
        .map(|t| format!("{} {t}", counts[t]))
        .collect();
    if !filled.is_empty() {
        return Err(Failure::env(format!(
            "the database is not empty ({}): `chiso demo generate` fills only an empty database; \
             give --db a new SQLite file or an empty PostgreSQL database",
            filled.join(", ")
        )));
    }
    let config = settings.web_config();
    let files = match &config.evidence_s3 {
        Some(s3) => Files::s3(s3),
        None => Files::local(&config.evidence_dir),
    }
    .map_err(env)?;
    files.check().await.map_err(env)?;
    println!(
        "Generating {} communes, rounds {first}–{last} finished and {open_year} open, seed {seed}, on {} …",
        thousands(args.communes as i64),
        crate::backend_name(store)
    );
    let mut timer = Timer {
        started: Instant::now(),
        step: Instant::now(),
    };
    let by = By::system("demo-generate");

    // Units and accounts.
    let setup_day = ymd(first - 1, 10, 1);
    let hash = chiso_web::auth::password::hash_async(
        chiso_core::demo::PASSWORD.to_string(),
        config.password,
    )
    .await;
    let generated = scale::communes(args.communes, seed);
    let communes = store_units(store, &generated, first, seed, &by, at(setup_day, 0)).await?;
    let focal = scale::spread(communes.len(), args.focal);
    store_accounts(store, &communes, &focal, &hash, &by, at(setup_day, 10)).await?;
    store
        .set_setting(chiso_store::settings::DEMO, "1")
        .await
        .map_err(env)?;
    timer.lap(&format!(
        "units: province, departments and {} communes; {} accounts",
        thousands(communes.len() as i64),
        chiso_core::demo::accounts().len() + focal.len()
    ));

    // One framework version per year, as an administrator clones them.
    let library = chiso_core::framework::library::all()
        .into_iter()
        .find(|(name, _)| name.contains("commune"))
        .and_then(|(_, f)| f.ok())
        .ok_or_else(|| Failure::env("the built-in commune framework is missing"))?;
    let mut frameworks: BTreeMap<i32, (FrameworkId, Framework)> = BTreeMap::new();
    for year in first..=open_year {
        let f = if year == library.year {
            library.clone()
        } else {
            crosswalk::clone_for_year(&library, year)
        };
        let source = format!("par-commune.yaml ({year})");
        let id = store
            .import_framework(&f, &source, &by, at(ymd(year, 10, 1), 0))
            .await
            .map_err(env)?;
        frameworks.insert(year, (id, f));
    }

    // The finished rounds.
    let mut last_round = None;
    for (k, year) in (first..=last).enumerate() {
        let (fid, f) = &frameworks[&year];
        let campaign = (year == last && responses > 0).then_some(responses);
        let round = finished_round(
            store, &files, *fid, f, year, k, &communes, seed, &args, campaign, &by,
        )
        .await?;
        last_round = Some(round);
        timer.lap(&format!("round {year} written"));
    }

    // Plans for the open year, drafted from the last results as the results page drafts them.
    let last_round = last_round.ok_or_else(|| Failure::env("no finished round"))?;
    let (last_fid, last_framework) = &frameworks[&last];
    let (plans, tasks, mean, best) = plans_from_results(
        store,
        last_round,
        *last_fid,
        last_framework,
        open_year,
        &communes,
        today,
        seed,
        &by,
    )
    .await?;
    timer.lap(&format!(
        "plans {open_year}: {} plans, {} tasks",
        thousands(plans as i64),
        thousands(tasks as i64)
    ));

    // This year's round, open for self-assessment, partly filled by the focal communes.
    let (open_fid, open_framework) = &frameworks[&open_year];
    let (open_round, filled) = open_round(
        store,
        *open_fid,
        open_framework,
        open_year,
        &communes,
        &focal,
        today,
        seed,
        &by,
    )
    .await?;
    timer.lap(&format!(
        "round {open_year}: open for self-assessment, {} entries of {} focal communes",
        thousands(filled as i64),
        focal.len()
    ));
    store.analyze().await.map_err(env)?;
    timer.lap("statistics refreshed (ANALYZE)");

    // Summary.
    let elapsed = timer.started.elapsed().as_secs_f64();
    let counts = store.row_counts().await.map_err(env)?;
    let (entries, head) = store.ledger_head().await.map_err(env)?;
    println!();
    println!("Generated in {elapsed:.1} s:");
    for (table, n) in &counts {
        println!("  {table:<18} {:>12}", thousands(*n));
    }
    println!("  ledger head: {entries} entries, hash {head}");
    println!(
        "Results {last}: mean index {mean} %, first {}; ranking at /rounds/{}/results",
        best, last_round.0
    );
    println!();
    println!("Logins (password for all: {}):", chiso_core::demo::PASSWORD);
    for a in chiso_core::demo::accounts() {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label_vi()).collect();
        println!("  {:<16} {}", a.username, roles.join(", "));
    }
    let grid = |i: usize| {
        let c = &communes[focal[i]];
        format!("/rounds/{}/units/{}", open_round.0, c.id.0)
    };
    if let (Some(first_focal), Some(last_focal)) = (focal.first(), focal.last()) {
        println!(
            "  focal0001 … focal{:04}: focal points of {} … {}, each with its grid in round {} \
             (e.g. focal0001 → {})",
            focal.len(),
            communes[*first_focal].name,
            communes[*last_focal].name,
            open_round.0,
            grid(0)
        );
    }
    if let Some(path) = &args.logins {
        let mut csv = String::from("username,password,unit_code,grid\n");
        for (i, c) in focal.iter().enumerate() {
            csv.push_str(&format!(
                "focal{:04},{},{},{}\n",
                i + 1,
                chiso_core::demo::PASSWORD,
                communes[*c].code,
                grid(i)
            ));
        }
        std::fs::write(path, csv)
            .map_err(|e| Failure::env(format!("cannot write {}: {e}", path.display())))?;
        println!("  (all focal logins in {})", path.display());
    }
    Ok(())
}

/// The demo province and its departments (with the demo's codes, for its accounts) and the
/// generated communes directly under the province, valid since before the first round so
/// that every year has the same units (year-on-year comparisons need that).
async fn store_units(
    store: &Store,
    generated: &[scale::Commune],
    first: i32,
    seed: u64,
    by: &By,
    now: DateTime<Utc>,
) -> Result<Vec<Stored>, Failure> {
    let mut units: Vec<NewUnit> = chiso_core::demo::units()
        .into_iter()
        .filter(|u| matches!(u.unit_type, UnitType::Province | UnitType::Department))
        .map(|u| NewUnit {
            code: u.code,
            name: u.name,
            unit_type: u.unit_type,
            parent_code: u.parent_code,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        })
        .collect();
    let since = ymd(2020, 1, 1).min(ymd(first, 1, 1));
    units.extend(generated.iter().map(|c| NewUnit {
        code: c.code.clone(),
        name: c.name.clone(),
        unit_type: UnitType::Commune,
        parent_code: Some(chiso_core::demo::PROVINCE_CODE.to_string()),
        valid_from: since,
        valid_to: None,
    }));
    let ids = store.bulk_units(&units, by, now).await.map_err(env)?;
    let demo_attributes = chiso_core::demo::unit_attributes();
    let mut rows = Vec::new();
    let mut out = Vec::with_capacity(generated.len());
    for (i, c) in generated.iter().enumerate() {
        let mut attributes: BTreeMap<String, bool> = scale::commune_attributes(seed, i)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        for (code, name, value) in &demo_attributes {
            if *code == c.code {
                attributes.insert(name.to_string(), *value);
            }
        }
        let id = ids[&c.code];
        rows.extend(attributes.iter().map(|(k, v)| (id, k.clone(), *v)));
        out.push(Stored {
            id,
            code: c.code.clone(),
            name: c.name.clone(),
            attributes,
        });
    }
    for (code, name, value) in demo_attributes {
        if let Some(id) = ids.get(code)
            && !generated.iter().any(|c| c.code == code)
        {
            rows.push((*id, name.to_string(), value));
        }
    }
    store.bulk_unit_attributes(&rows).await.map_err(env)?;
    Ok(out)
}

/// The demo's accounts and one focal point per chosen commune, all with the demo password.
async fn store_accounts(
    store: &Store,
    communes: &[Stored],
    focal: &[usize],
    hash: &str,
    by: &By,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    use chiso_store::accounts::{AccountDetails, NewAccount};
    let mut accounts = Vec::new();
    for a in chiso_core::demo::accounts() {
        let unit = match communes.iter().find(|c| c.code == a.unit_code) {
            Some(c) => c.id,
            None => {
                store
                    .unit_by_code(a.unit_code)
                    .await
                    .map_err(env)?
                    .ok_or_else(|| Failure::env(format!("demo unit {}", a.unit_code)))?
                    .id
            }
        };
        accounts.push(NewAccount {
            username: a.username.to_string(),
            details: AccountDetails {
                full_name: a.full_name.to_string(),
                title: a.title.to_string(),
                email: None,
                unit,
                roles: a.roles.iter().copied().collect(),
                fields: a.fields.iter().map(|f| f.to_string()).collect(),
                active: true,
            },
            password_hash: hash.to_string(),
            must_change_password: false,
            demo: true,
        });
    }
    for (i, c) in focal.iter().enumerate() {
        let c = &communes[*c];
        accounts.push(NewAccount {
            username: format!("focal{:04}", i + 1),
            details: AccountDetails {
                full_name: format!("Đầu mối CCHC {:04}", i + 1),
                title: format!("Công chức Văn phòng - Thống kê, UBND {}", c.name),
                email: None,
                unit: c.id,
                roles: [chiso_core::roles::Role::FocalPoint].into(),
                fields: Vec::new(),
                active: true,
            },
            password_hash: hash.to_string(),
            must_change_password: false,
            demo: true,
        });
    }
    store.bulk_accounts(&accounts, by, now).await.map_err(env)?;
    Ok(())
}

/// Codes of the nodes that do not apply to a unit.
fn exempt_codes(f: &Framework, attributes: &BTreeMap<String, bool>) -> Vec<String> {
    applicability::exempt_nodes(f, attributes)
        .iter()
        .map(|n| n.code.clone())
        .collect()
}

fn under(code: &str, exempt: &[String]) -> bool {
    exempt
        .iter()
        .any(|e| code == e || code.starts_with(&format!("{e}.")))
}

/// Everything one finished round writes, before it is written.
#[derive(Default)]
struct RoundWork {
    entries: Vec<BulkEntry>,
    appraisals1: Vec<BulkAppraisal>,
    answers: Vec<BulkAnswer>,
    appraisals2: Vec<BulkAppraisal>,
    finals: Vec<BulkFinal>,
    survey: Vec<SurveyPoint>,
    evidence: Vec<(BulkEvidence, Vec<u8>)>,
}

/// One commune's year: its entries scored by the rules, the council's cuts, answers and
/// second appraisals, final scores, survey points (unless a campaign gives them) and documents.
#[allow(clippy::too_many_arguments)]
fn commune_year(
    work: &mut RoundWork,
    f: &Framework,
    round: RoundId,
    year: i32,
    year_index: usize,
    i: usize,
    c: &Stored,
    seed: u64,
    documents: usize,
    typed_survey: bool,
) -> Result<(), Failure> {
    let q = scale::year_quality(seed, i, year_index);
    let mut d = Draws::new(seed, Purpose::Entries, &[i as u64, year as u64]);
    let mut council = Draws::new(seed, Purpose::Council, &[i as u64, year as u64]);
    let mut survey = Draws::new(seed, Purpose::Survey, &[i as u64, year as u64]);
    let exempt = exempt_codes(f, &c.attributes);
    let focal = format!("dau-moi.{}", c.code.to_lowercase());
    let council_name = "hung.hoidong".to_string();
    let entry_day = ymd(year, 12, 1 + (i % 24) as u32);
    let next = |m: u32, d: u32| ymd(year + 1, m, d);
    let mut backed = Vec::new();
    for (j, node) in f.leaves().into_iter().enumerate() {
        if under(&node.code, &exempt) {
            continue;
        }
        if matches!(node.rule, Some(Rule::Survey { .. })) {
            if typed_survey {
                let (points, n) =
                    scale::survey_points(node.max.unwrap_or(Points::ZERO), q, &mut survey);
                work.survey.push(SurveyPoint {
                    unit: c.id,
                    node: node.code.clone(),
                    points,
                    sample_size: Some(n),
                    source: format!("Kết quả điều tra xã hội học năm {year} (dữ liệu mẫu)"),
                });
            }
            continue;
        }
        let Some(entry) = scale::self_entry(node, q, &mut d) else {
            continue;
        };
        let declared = self_score(node, &entry)
            .map_err(|e| Failure::env(format!("{}: {}", node.code, e.message(Lang::En))))?;
        let not_applicable = entry.not_applicable.is_some();
        work.entries.push(BulkEntry {
            unit: c.id,
            node: node.code.clone(),
            entry,
            points: declared,
            actor: focal.clone(),
            at: at(entry_day, 3 * j as i64 + (i % 17) as i64),
        });
        if !not_applicable && node.evidence.is_some() {
            backed.push(node);
        }
        let mut standing = declared;
        if let Some(p) = declared.filter(|p| p.is_positive())
            && let Some((reason, ask)) = scale::council_cut(q, &mut council)
        {
            let (min, max) = appraisal::range(node);
            let input = AppraisalInput {
                points: Some(scale::cut(p, max, min)),
                reason: reason.into(),
                ask: ask.then_some(Ask::Explanation),
                ..Default::default()
            };
            let cut = appraisal::appraise(node, declared, &input)
                .map_err(|e| Failure::env(format!("{}: {}", node.code, e.message(Lang::En))))?;
            work.appraisals1.push(BulkAppraisal {
                unit: c.id,
                node: node.code.clone(),
                stage: Stage::One,
                points: cut,
                baseline: declared,
                reason: reason.into(),
                ask: input.ask,
                actor: council_name.clone(),
                at: at(next(1, 2 + (i % 8) as u32), j as i64),
            });
            standing = cut;
            if ask {
                work.answers.push(BulkAnswer {
                    unit: c.id,
                    node: node.code.clone(),
                    answer: scale::ANSWER.into(),
                    standing: cut,
                    actor: focal.clone(),
                    at: at(next(1, 12), (i % 300) as i64 + j as i64),
                });
                // Half of the explanations are accepted: the declared score comes back.
                if council.chance(0.5) {
                    work.appraisals2.push(BulkAppraisal {
                        unit: c.id,
                        node: node.code.clone(),
                        stage: Stage::Two,
                        points: declared,
                        baseline: cut,
                        reason: scale::ACCEPTED.into(),
                        ask: None,
                        actor: council_name.clone(),
                        at: at(next(1, 14), (i % 300) as i64 + j as i64),
                    });
                    standing = declared;
                }
            }
        }
        work.finals.push(BulkFinal {
            unit: c.id,
            node: node.code.clone(),
            points: standing,
            actor: council_name.clone(),
            at: at(next(1, 15), (i % 400) as i64),
        });
    }
    // A few documents, each backing the item whose evidence it is.
    let mut docs = Draws::new(seed, Purpose::Evidence, &[i as u64, year as u64]);
    let mut chosen = BTreeSet::new();
    for _ in 0..documents.min(backed.len()) {
        let mut k = docs.below(backed.len() as u64) as usize;
        while !chosen.insert(k) {
            k = (k + 1) % backed.len();
        }
        let node = backed[k];
        let Some((title, abbr)) = scale::document_title(node) else {
            continue;
        };
        let number = 1 + docs.below(300);
        let doc_date = ymd(year, 2 + docs.below(10) as u32, 1 + docs.below(28) as u32);
        let issuer = format!("UBND {}", c.name);
        let text = format!(
            "{title}\nSố: {number}/{abbr}-UBND, ngày {}\nCơ quan ban hành: {issuer}\n\
             Tài liệu kiểm chứng tiêu chí {} — {}\n(Dữ liệu mẫu của chiso demo generate, hạt giống {seed}.)\n",
            doc_date.format("%d/%m/%Y"),
            node.code,
            node.name
        );
        let bytes = text.into_bytes();
        let ascii_abbr = chiso_core::text::fold(abbr).to_uppercase();
        work.evidence.push((
            BulkEvidence {
                unit: c.id,
                sha256: scale::sha256_hex(&bytes),
                size: bytes.len() as i64,
                meta: EvidenceMeta {
                    file_name: format!("{ascii_abbr}-{number}-{year}-{}.txt", c.code),
                    content_type: "text/plain; charset=utf-8".into(),
                    doc_number: format!("{number}/{abbr}-UBND"),
                    doc_date: Some(doc_date),
                    issuer,
                    effective_date: Some(doc_date),
                },
                uploaded_by: focal.clone(),
                at: at(entry_day, 200 + chosen.len() as i64),
                links: vec![(round, node.code.clone())],
            },
            bytes,
        ));
    }
    Ok(())
}

/// Stores contents under their hashes, a few at a time.
async fn put_files(files: &Files, contents: Vec<(String, Vec<u8>)>) -> Result<(), Failure> {
    let mut running: tokio::task::JoinSet<Result<(), chiso_store::StoreError>> =
        tokio::task::JoinSet::new();
    for (sha, bytes) in contents {
        if running.len() >= 16
            && let Some(done) = running.join_next().await
        {
            done.map_err(env)?.map_err(env)?;
        }
        let files = files.clone();
        running.spawn(async move { files.put(&sha, bytes).await });
    }
    while let Some(done) = running.join_next().await {
        done.map_err(env)?.map_err(env)?;
    }
    Ok(())
}

/// One year's round from preparation to closed: every phase in order, every score and ledger
/// event, the documents, and the survey (a campaign of `campaign` responses, or typed points).
#[allow(clippy::too_many_arguments)]
async fn finished_round(
    store: &Store,
    files: &Files,
    fid: FrameworkId,
    f: &Framework,
    year: i32,
    year_index: usize,
    communes: &[Stored],
    seed: u64,
    args: &GenerateArgs,
    campaign: Option<usize>,
    by: &By,
) -> Result<RoundId, Failure> {
    let next = |m, d| ymd(year + 1, m, d);
    let schedule = Schedule {
        self_assessment_opens: ymd(year, 12, 1),
        submission_due: ymd(year, 12, 25),
        appraisal1_due: next(1, 10),
        explanation_due: next(1, 13),
        appraisal2_due: next(1, 15),
    };
    let ids: Vec<UnitId> = communes.iter().map(|c| c.id).collect();
    let name = format!("Đánh giá Chỉ số CCHC năm {year} các xã, phường, đặc khu (dữ liệu mẫu)");
    let round = store
        .create_round(fid, &name, &schedule, &ids, by, at(ymd(year, 11, 20), 0))
        .await
        .map_err(env)?;
    let council = By::system("hung.hoidong");
    let phase = |from: Phase, to: Phase, day: NaiveDate| {
        let by = if to == Phase::SelfAssessment {
            by.clone()
        } else {
            council.clone()
        };
        async move {
            store
                .set_round_phase(round, from, to, "", &by, at(day, 0))
                .await
                .map_err(env)
        }
    };
    phase(Phase::Preparing, Phase::SelfAssessment, ymd(year, 12, 1)).await?;
    let mut work = RoundWork::default();
    for (i, c) in communes.iter().enumerate() {
        commune_year(
            &mut work,
            f,
            round,
            year,
            year_index,
            i,
            c,
            seed,
            args.evidence,
            campaign.is_none(),
        )?;
    }
    // In time order, as people would have saved them.
    work.entries.sort_by_key(|e| e.at);
    work.appraisals1.sort_by_key(|a| a.at);
    let per_call = COMMUNES_PER_CALL * f.leaves().len();
    for chunk in work.entries.chunks(per_call) {
        store
            .bulk_self_entries(round, chunk, by, at(ymd(year, 12, 25), 0))
            .await
            .map_err(env)?;
    }
    let contents: Vec<(String, Vec<u8>)> = work
        .evidence
        .iter_mut()
        .map(|(e, bytes)| (e.sha256.clone(), std::mem::take(bytes)))
        .collect();
    put_files(files, contents).await?;
    let docs: Vec<BulkEvidence> = work.evidence.into_iter().map(|(e, _)| e).collect();
    for chunk in docs.chunks(5000) {
        store
            .bulk_evidence(chunk, by, at(ymd(year, 12, 25), 0))
            .await
            .map_err(env)?;
    }
    store
        .bulk_round_state(
            round,
            UnitState::Drafting,
            UnitState::Submitted,
            by,
            at(ymd(year, 12, 25), 0),
        )
        .await
        .map_err(env)?;
    phase(Phase::SelfAssessment, Phase::Appraisal1, next(1, 1)).await?;
    for chunk in work.appraisals1.chunks(per_call) {
        store
            .bulk_appraisals(round, chunk, &council, at(next(1, 10), 0))
            .await
            .map_err(env)?;
    }
    store
        .bulk_round_state(
            round,
            UnitState::Submitted,
            UnitState::Appraised1,
            &council,
            at(next(1, 10), 0),
        )
        .await
        .map_err(env)?;
    phase(Phase::Appraisal1, Phase::Explanation, next(1, 11)).await?;
    for chunk in work.answers.chunks(per_call) {
        store
            .bulk_answers(round, chunk, by, at(next(1, 13), 0))
            .await
            .map_err(env)?;
    }
    store
        .bulk_round_state(
            round,
            UnitState::Appraised1,
            UnitState::Explained,
            by,
            at(next(1, 13), 0),
        )
        .await
        .map_err(env)?;
    phase(Phase::Explanation, Phase::Appraisal2, next(1, 14)).await?;
    for chunk in work.appraisals2.chunks(per_call) {
        store
            .bulk_appraisals(round, chunk, &council, at(next(1, 14), 600))
            .await
            .map_err(env)?;
    }
    for chunk in work.finals.chunks(per_call) {
        store
            .bulk_finals(round, chunk, &council, at(next(1, 15), 600))
            .await
            .map_err(env)?;
    }
    store
        .bulk_round_state(
            round,
            UnitState::Explained,
            UnitState::Final,
            &council,
            at(next(1, 15), 600),
        )
        .await
        .map_err(env)?;
    let surveyed = match campaign {
        Some(total) => survey_campaign(store, round, year, communes, total, seed).await?,
        None => {
            let survey_by = By::system("mai.dieutra");
            for chunk in work.survey.chunks(per_call) {
                store
                    .bulk_survey_points(round, chunk, &survey_by, at(next(1, 16), 0))
                    .await
                    .map_err(env)?;
            }
            format!(
                "{} survey points typed in",
                thousands(work.survey.len() as i64)
            )
        }
    };
    phase(Phase::Appraisal2, Phase::Closed, next(1, 16)).await?;
    println!(
        "  round {year}: {} entries, {} + {} appraisals, {} answers, {} final scores, {} documents; {surveyed}",
        thousands(work.entries.len() as i64),
        thousands(work.appraisals1.len() as i64),
        thousands(work.appraisals2.len() as i64),
        thousands(work.answers.len() as i64),
        thousands(work.finals.len() as i64),
        thousands(docs.len() as i64),
    );
    Ok(round)
}

/// The round's survey campaign, as survey staff run it: the commune questionnaires, quotas,
/// `total` simulated forms imported, the campaign closed and its points written into the round
/// through the framework's survey rules.
async fn survey_campaign(
    store: &Store,
    round: RoundId,
    year: i32,
    communes: &[Stored],
    total: usize,
    seed: u64,
) -> Result<String, Failure> {
    use chiso_store::surveys::{CampaignStatus, NewCampaign, NewResponse, ResponseSource};
    let by = By::system("mai.dieutra");
    let opened = at(ymd(year, 11, 25), 0);
    let mut chosen = Vec::new();
    let mut weights = BTreeMap::new();
    let mut questionnaires = Vec::new();
    for (yaml, share) in scale::SURVEY_QUESTIONNAIRES {
        let q = chiso_core::survey::from_yaml(yaml)
            .map_err(|e| Failure::env(format!("questionnaire: {}", e.message)))?;
        let id = store
            .add_questionnaire(
                &q.code,
                i64::from(q.version),
                &q.title,
                &q.group,
                &q.fingerprint(),
                &chiso_core::survey::to_yaml(&q),
                &by,
                opened,
            )
            .await
            .map_err(env)?;
        chosen.push((q.group.clone(), id));
        weights.insert(q.group.clone(), rust_decimal::Decimal::ONE);
        questionnaires.push((id, share, q));
    }
    let title = format!("Điều tra xã hội học năm {year} các xã, phường, đặc khu (dữ liệu mẫu)");
    let campaign = store
        .create_campaign(
            &NewCampaign {
                round,
                title: title.clone(),
                anonymous: true,
                double_entry: false,
                group_weights: weights,
                closes_on: Some(ymd(year + 1, 1, 5)),
            },
            &chosen,
            &by,
            opened,
        )
        .await
        .map_err(env)?;
    store
        .set_campaign_status(campaign, CampaignStatus::Open, &by, opened)
        .await
        .map_err(env)?;
    let codes: Vec<String> = communes.iter().map(|c| c.code.clone()).collect();
    let index: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut quotas = Vec::new();
    let mut stored = 0;
    let started = Instant::now();
    for (k, (qid, share, q)) in questionnaires.iter().enumerate() {
        let counts = scale::response_counts(total, *share, communes.len());
        for (c, n) in communes.iter().zip(&counts) {
            quotas.push((c.id, q.group.clone(), (*n as u32).max(1)));
        }
        let most = counts.iter().copied().max().unwrap_or(0);
        if most == 0 {
            continue;
        }
        let text = chiso_core::survey::simulate(q, &codes, most, seed.wrapping_add(k as u64));
        let parsed = chiso_core::survey::parse_responses(q, &text).map_err(|p| {
            Failure::env(format!(
                "simulated answers: {:?}",
                p.first().map(|x| x.message(Lang::En))
            ))
        })?;
        let mut taken = vec![0usize; communes.len()];
        let mut forms = Vec::with_capacity(counts.iter().sum());
        for r in &parsed.responses {
            let Some(&i) = index.get(r.unit.as_str()) else {
                continue;
            };
            if taken[i] >= counts[i] {
                continue;
            }
            taken[i] += 1;
            forms.push(NewResponse {
                questionnaire: *qid,
                unit: communes[i].id,
                group: q.group.clone(),
                reference: r.respondent.clone(),
                answers: chiso_core::survey::responses::answer_pairs(q, &r.answers)
                    .into_iter()
                    .collect(),
            });
        }
        for chunk in forms.chunks(10_000) {
            store
                .add_responses(
                    campaign,
                    chunk,
                    ResponseSource::Import,
                    &by,
                    at(ymd(year, 12, 20), 0),
                )
                .await
                .map_err(env)?;
        }
        stored += forms.len();
    }
    store
        .set_quotas(campaign, &quotas, &by, opened)
        .await
        .map_err(env)?;
    let imported = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let closed = at(ymd(year + 1, 1, 5), 0);
    store
        .set_campaign_status(campaign, CampaignStatus::Closed, &by, closed)
        .await
        .map_err(env)?;
    let points = chiso_web::write_campaign_points(
        store,
        campaign,
        &format!("Khảo sát \"{title}\""),
        &by,
        at(ymd(year + 1, 1, 16), 0),
    )
    .await
    .map_err(|e| Failure::env(e.to_string()))?
    .unwrap_or(0);
    Ok(format!(
        "survey campaign {campaign}: {} responses imported in {imported:.1} s, {} survey points \
         computed and written in {:.1} s",
        thousands(stored as i64),
        thousands(points as i64),
        started.elapsed().as_secs_f64()
    ))
}

/// A round's results from what is stored, as the results page computes them: final scores,
/// survey points, exemptions by attribute and items declared not applicable.
async fn stored_results(
    store: &Store,
    round: RoundId,
    f: &Framework,
    communes: &[Stored],
) -> Result<(Layout, Vec<UnitScores>, Vec<UnitId>), Failure> {
    let layout = Layout::new(f);
    let survey_leaf: BTreeSet<&str> = layout
        .nodes()
        .iter()
        .filter(|n| n.kind == NodeKind::Survey)
        .map(|n| n.code.as_str())
        .collect();
    let mut points: HashMap<UnitId, Vec<(String, Points)>> = HashMap::new();
    for s in store.round_scores(round).await.map_err(env)? {
        if survey_leaf.contains(s.node.as_str()) {
            continue;
        }
        let p = match s.final_points {
            Some(p) => p,
            None => appraisal::standing(s.self_points, s.round1, s.round2),
        };
        if let Some(p) = p {
            points.entry(s.unit).or_default().push((s.node, p));
        }
    }
    let mut samples: HashMap<UnitId, Vec<SurveySample>> = HashMap::new();
    for s in store.survey_points(round).await.map_err(env)? {
        if let Some(n) = s.sample_size.and_then(|n| u32::try_from(n).ok()) {
            samples.entry(s.unit).or_default().push(SurveySample {
                code: s.node.clone(),
                n,
                ratio: None,
            });
        }
        points.entry(s.unit).or_default().push((s.node, s.points));
    }
    let mut na: HashMap<UnitId, Vec<String>> = HashMap::new();
    for (u, code) in store.not_applicable_items(round).await.map_err(env)? {
        na.entry(u).or_default().push(code);
    }
    let attributes = store.all_unit_attributes().await.map_err(env)?;
    let by_id: HashMap<UnitId, &Stored> = communes.iter().map(|c| (c.id, c)).collect();
    let empty = BTreeMap::new();
    let mut scores = Vec::new();
    let mut ids = Vec::new();
    for m in store.round_units(round).await.map_err(env)? {
        let Some(c) = by_id.get(&m.unit) else {
            continue;
        };
        let mut exempt = exempt_codes(f, attributes.get(&m.unit).unwrap_or(&empty));
        exempt.extend(na.remove(&m.unit).unwrap_or_default());
        let input = UnitInput {
            name: c.name.clone(),
            group: Some(UnitType::Commune.label(Lang::Vi).to_string()),
            points: points.remove(&m.unit).unwrap_or_default(),
            exempt,
            samples: samples.remove(&m.unit).unwrap_or_default(),
        };
        let prepared = layout.prepare(&input).map_err(|problems| {
            Failure::env(format!(
                "{}: {}",
                c.name,
                problems
                    .iter()
                    .map(|p| p.message(Lang::En))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        scores.push(prepared);
        ids.push(m.unit);
    }
    Ok((layout, scores, ids))
}

/// Each commune's plan for `year`, drafted from its results in the last round as the results
/// page drafts one (a goal per field, tasks for the most points lost), then issued; some tasks
/// done by `today`. Gives the plans and tasks written, the mean index and the first commune.
#[allow(clippy::too_many_arguments)]
async fn plans_from_results(
    store: &Store,
    round: RoundId,
    fid: FrameworkId,
    f: &Framework,
    year: i32,
    communes: &[Stored],
    today: NaiveDate,
    seed: u64,
    by: &By,
) -> Result<(usize, usize, String, String), Failure> {
    use chiso_store::plans::{Goal, NewTask, PlanMeta};
    let (layout, scores, ids) = stored_results(store, round, f, communes).await?;
    let results = compute(&layout, &scores);
    let stats = results.statistics(&BandScale::internal());
    let by_id: HashMap<UnitId, &Stored> = communes.iter().map(|c| (c.id, c)).collect();
    let best = results
        .order()
        .first()
        .map(|&u| {
            format!(
                "{} {} %",
                by_id[&ids[u]].name,
                results.units()[u].published_index
            )
        })
        .unwrap_or_default();
    let ranks = results.field_ranks();
    let stats_by_leaf = results.leaf_stats();
    let leads: BTreeMap<String, UnitId> = store
        .field_leads(fid)
        .await
        .map_err(env)?
        .into_iter()
        .filter_map(|l| Some((l.field_code, l.unit?)))
        .collect();
    let issued = ymd(year, 2, 20);
    let last_done = today.min(ymd(year, 11, 30));
    let mut plans = Vec::with_capacity(ids.len());
    let mut tasks = 0;
    for (u, id) in ids.iter().enumerate() {
        let c = by_id[id];
        let mut d = Draws::new(seed, Purpose::Plans, &[u as u64, year as u64]);
        let draft = quick_draft(&results, &ranks, &stats_by_leaf, u, &leads, year, 6);
        let goals = draft
            .goals
            .iter()
            .map(|g| Goal {
                field_code: g.field_code.clone(),
                field_name: g.field_name.clone(),
                baseline_points: Some(g.baseline_points),
                baseline_max: Some(g.baseline_max),
                baseline_percent: g.baseline_percent,
                baseline_rank: g.baseline_rank.map(i64::from),
                baseline_rank_change: g.baseline_rank_change,
                target_points: Some(g.target_points),
                target_percent: g.target_percent,
                target_rank: None,
                target_group: String::new(),
            })
            .collect();
        let plan_tasks: Vec<(NewTask, Option<NaiveDate>)> = draft
            .tasks
            .iter()
            .map(|t| {
                let span = (last_done - ymd(year, 3, 1)).num_days();
                let done = (span >= 0 && d.chance(0.45))
                    .then(|| ymd(year, 3, 1) + Duration::days(d.below(span as u64 + 1) as i64));
                (
                    NewTask {
                        text: t.text.clone(),
                        field_code: t.field_code.clone(),
                        node_codes: vec![t.node_code.clone()],
                        // The commune carries out its own plan; the field's lead department helps.
                        lead_unit: Some(*id),
                        cooperators: t.lead_unit.filter(|l| l != id).into_iter().collect(),
                        deadline: t.deadline,
                        output: String::new(),
                        expected_points: Some(t.expected_points),
                    },
                    done,
                )
            })
            .collect();
        tasks += plan_tasks.len();
        plans.push(BulkPlan {
            meta: PlanMeta {
                unit: *id,
                year,
                title: format!("Kế hoạch nâng cao Chỉ số CCHC năm {year} — {}", c.name),
                number: format!("{}/KH-UBND", 10 + d.below(90)),
                decision_date: Some(issued),
                issuer: format!("UBND {}", c.name),
            },
            source: "draft_from_results".into(),
            round: Some(round),
            issued: true,
            goals,
            tasks: plan_tasks,
            created_by: format!("dau-moi.{}", c.code.to_lowercase()),
            at: at(ymd(year, 2, 15), (u % 480) as i64),
        });
    }
    for chunk in plans.chunks(1000) {
        store
            .bulk_plans(chunk, by, at(issued, 0))
            .await
            .map_err(env)?;
    }
    Ok((plans.len(), tasks, stats.mean.round_dp(2).to_string(), best))
}

/// This year's round with every commune, open for self-assessment around `today`; the focal
/// communes have filled part of their items.
#[allow(clippy::too_many_arguments)]
async fn open_round(
    store: &Store,
    fid: FrameworkId,
    f: &Framework,
    year: i32,
    communes: &[Stored],
    focal: &[usize],
    today: NaiveDate,
    seed: u64,
    by: &By,
) -> Result<(RoundId, usize), Failure> {
    let day = |n: i64| today + Duration::days(n);
    let schedule = Schedule {
        self_assessment_opens: day(-7),
        submission_due: day(30),
        appraisal1_due: day(45),
        explanation_due: day(50),
        appraisal2_due: day(60),
    };
    let ids: Vec<UnitId> = communes.iter().map(|c| c.id).collect();
    let name = format!("Đánh giá Chỉ số CCHC năm {year} các xã, phường, đặc khu (dữ liệu mẫu)");
    let round = store
        .create_round(fid, &name, &schedule, &ids, by, at(day(-10), 0))
        .await
        .map_err(env)?;
    store
        .set_round_phase(
            round,
            Phase::Preparing,
            Phase::SelfAssessment,
            "",
            by,
            at(day(-7), 0),
        )
        .await
        .map_err(env)?;
    let mut entries = Vec::new();
    for (n, &i) in focal.iter().enumerate() {
        let c = &communes[i];
        let q = scale::quality(seed, i);
        let mut d = Draws::new(seed, Purpose::Open, &[i as u64, year as u64]);
        let share = 0.3 + 0.4 * d.unit();
        let exempt = exempt_codes(f, &c.attributes);
        for (j, node) in f.leaves().into_iter().enumerate() {
            if under(&node.code, &exempt) || !d.chance(share) {
                continue;
            }
            let Some(entry) = scale::self_entry(node, q, &mut d) else {
                continue;
            };
            let points = self_score(node, &entry)
                .map_err(|e| Failure::env(format!("{}: {}", node.code, e.message(Lang::En))))?;
            entries.push(BulkEntry {
                unit: c.id,
                node: node.code.clone(),
                entry,
                points,
                actor: format!("focal{:04}", n + 1),
                at: at(day(-6 + (n % 6) as i64), 2 * j as i64),
            });
        }
    }
    entries.sort_by_key(|e| e.at);
    for chunk in entries.chunks(20_000) {
        store
            .bulk_self_entries(round, chunk, by, at(today, 0))
            .await
            .map_err(env)?;
    }
    Ok((round, entries.len()))
}

/// The draft of `unit`'s plan for `plan_year`, exactly as `chiso_core::plan::draft::draft`
/// makes it (the test below holds them equal), but from leaf statistics and field ranks
/// computed once for every unit: `draft` computes both on each call, which is right for one
/// page and quadratic for thousands of communes.
fn quick_draft(
    results: &Results<'_>,
    ranks: &FieldRanks,
    stats: &LeafStats,
    unit: usize,
    leads: &BTreeMap<String, UnitId>,
    plan_year: i32,
    max_tasks: usize,
) -> Draft {
    let layout = results.layout();
    let goals = layout
        .fields()
        .iter()
        .enumerate()
        .filter_map(|(i, &f)| {
            let n = results.node(unit, f);
            if !n.applicable {
                return None;
            }
            let node = &layout.nodes()[f];
            let lost = n.max - n.points;
            let half = Points::new(published(lost.decimal() / rust_decimal::Decimal::TWO));
            let target = (n.points + half).min(n.max);
            Some(DraftGoal {
                field_code: node.code.clone(),
                field_name: node.name.clone(),
                baseline_points: n.points,
                baseline_max: n.max,
                baseline_percent: n.published_percent(),
                baseline_rank: ranks.rank(unit, i),
                baseline_rank_change: None,
                target_points: target,
                target_percent: percent(target, n.max).map(published),
            })
        })
        .collect();
    let due = NaiveDate::from_ymd_opt(plan_year, 11, 30)
        .map(|date| Deadline::Date { date })
        .unwrap_or(Deadline::Year { year: plan_year });
    let tasks = results
        .lost_points(stats, unit)
        .into_iter()
        .filter(|l| l.lost.is_positive())
        .take(max_tasks)
        .map(|l| {
            let node = &layout.nodes()[l.node];
            let field_code = node.code.split('.').next().unwrap_or("").to_string();
            let text = format!(
                "Khắc phục điểm bị mất tại tiêu chí {} \"{}\": năm trước đạt {}/{} điểm (đơn vị cao nhất đạt {}).",
                node.code,
                node.name,
                l.points.display(Lang::Vi),
                l.max.display(Lang::Vi),
                l.best.display(Lang::Vi)
            );
            DraftTask {
                text,
                lead_unit: leads.get(&field_code).copied(),
                field_code,
                node_code: node.code.clone(),
                deadline: due,
                expected_points: l.lost,
            }
        })
        .collect();
    Draft { goals, tasks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_drafts_equal_the_results_pages_drafts() {
        let f = chiso_core::framework::library::all()
            .into_iter()
            .find(|(n, _)| n.contains("commune"))
            .and_then(|(_, f)| f.ok())
            .unwrap();
        let layout = Layout::new(&f);
        let mut scores = Vec::new();
        for i in 0..25 {
            let q = scale::quality(3, i);
            let mut d = Draws::new(3, Purpose::Entries, &[i as u64]);
            let mut points = Vec::new();
            for node in f.leaves() {
                if let Some(e) = scale::self_entry(node, q, &mut d)
                    && let Ok(Some(p)) = self_score(node, &e)
                {
                    points.push((node.code.clone(), p));
                }
            }
            let input = UnitInput {
                name: format!("Xã {i}"),
                points,
                exempt: if i % 4 == 0 {
                    vec!["4.4".into()]
                } else {
                    Vec::new()
                },
                ..Default::default()
            };
            scores.push(layout.prepare(&input).unwrap());
        }
        let results = compute(&layout, &scores);
        let (ranks, stats) = (results.field_ranks(), results.leaf_stats());
        let leads = BTreeMap::from([("3".to_string(), UnitId(9))]);
        for u in 0..scores.len() {
            let slow = chiso_core::plan::draft::draft(&results, u, None, &leads, 2026, 6, Lang::Vi);
            assert_eq!(
                quick_draft(&results, &ranks, &stats, u, &leads, 2026, 6),
                slow
            );
            assert!(!slow.tasks.is_empty() && !slow.goals.is_empty());
        }
    }
}
