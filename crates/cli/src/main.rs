//! `chiso`: serve the application, run migrations, import and export data.
//!
//! Exit codes: 0 success, 1 invalid input (a file with errors), 2 usage or environment error
//! (bad flags, unreachable database, port in use).

mod backup;
mod config;
mod framework;
mod generate;
mod plan;
mod results;
mod survey;
mod units;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "chiso",
    version,
    about = "Chỉ số cải cách hành chính — the PAR index platform"
)]
struct Cli {
    /// Configuration file (TOML); `chiso.toml` in the working folder is read when present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (overrides CHISO_DATABASE_URL).
    #[arg(long, global = true)]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<String>,
        /// Fill an empty database with the demo province and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema to the latest version.
    Migrate,
    /// Administrative units.
    Units {
        #[command(subcommand)]
        command: units::UnitsCommand,
    },
    /// Criteria frameworks: validate, convert and compare files (no database needed).
    Framework {
        #[command(subcommand)]
        command: framework::FrameworkCommand,
    },
    /// Results: rank a CSV of results (no database needed).
    Results {
        #[command(subcommand)]
        command: results::ResultsCommand,
    },
    /// Improvement plans: read a plan document into its structure (no database needed).
    Plan {
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
    /// Surveys: check questionnaires, simulate and aggregate responses (no database needed).
    Survey {
        #[command(subcommand)]
        command: survey::SurveyCommand,
    },
    /// Demo data at national scale (`demo generate`).
    Demo {
        #[command(subcommand)]
        command: generate::DemoCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the database and its evidence files into one zip file,
    /// while the server keeps running.
    Backup {
        /// The backup file to write (e.g. chiso-2026-11-25.zip); replaced only when complete.
        out: PathBuf,
    },
    /// Load a backup into an empty database (and its files into the evidence storage), then
    /// check every table's rows and the score ledger.
    Restore {
        /// The backup file written by `chiso backup`.
        input: PathBuf,
    },
    /// Copy every row from one database to another, empty one (e.g. from the embedded SQLite to
    /// PostgreSQL), then check every table's rows and the score ledger. Evidence files stay
    /// where the settings keep them.
    CopyDb {
        /// The database to copy from (sqlite://… or postgres://…).
        #[arg(long)]
        from: String,
        /// The empty database to copy into; it is migrated first.
        #[arg(long)]
        to: String,
    },
    /// Create an administrator account (for a new installation) and print its one-time password.
    CreateAdmin {
        /// Login name, e.g. lan.noivu.
        username: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Code of the unit the account belongs to (usually the Department of Home Affairs).
        #[arg(long)]
        unit: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the score ledger's hash chain: exit 0 when intact, 1 naming the first
    /// altered, removed or reordered entry.
    Verify,
}

/// An error with the exit code it deserves.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad input: exit 1.
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Environment or usage problem: exit 2.
    pub fn env(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::env(format!("{e:#}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // File commands need neither configuration nor a database.
    let cli = match cli.command {
        Command::Framework { command } if !command.needs_database() => {
            return match framework::run(command) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => {
                    eprintln!("chiso: {}", f.message);
                    ExitCode::from(f.code)
                }
            };
        }
        Command::Results { command } => {
            return match results::run(command) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => {
                    eprintln!("chiso: {}", f.message);
                    ExitCode::from(f.code)
                }
            };
        }
        Command::Plan { command } => {
            return match plan::run(command) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => {
                    eprintln!("chiso: {}", f.message);
                    ExitCode::from(f.code)
                }
            };
        }
        Command::Survey { command } => {
            return match survey::run(command) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => {
                    eprintln!("chiso: {}", f.message);
                    ExitCode::from(f.code)
                }
            };
        }
        command => Cli { command, ..cli },
    };
    let settings = match Settings::load(cli.config.as_deref(), cli.db.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("chiso: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&settings.log)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chiso: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("chiso: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

async fn run(command: Command, settings: Settings) -> Result<(), Failure> {
    match command {
        Command::Serve { addr, demo } => serve(settings, addr, demo).await,
        Command::Migrate => {
            let store = open(&settings).await?;
            println!(
                "Database is at the latest schema ({}).",
                chiso_store::redact_url(&settings.database_url)
            );
            store.close().await;
            Ok(())
        }
        Command::Units { command } => {
            let store = open(&settings).await?;
            let result = units::run(&store, command).await;
            store.close().await;
            result
        }
        Command::Framework { command } => {
            let store = open(&settings).await?;
            let result = framework::run_with_store(&store, command).await;
            store.close().await;
            result
        }
        Command::Results { command } => results::run(command),
        Command::Plan { command } => plan::run(command),
        Command::Survey { command } => survey::run(command),
        Command::Demo { command } => {
            let store = open(&settings).await?;
            let result = generate::run(&store, &settings, command).await;
            store.close().await;
            result
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open(&settings).await?;
            let result = store.verify_ledger().await;
            store.close().await;
            match result.map_err(|e| Failure::env(e.to_string()))? {
                Ok(n) => {
                    println!("Sổ điểm nguyên vẹn: {n} bản ghi.");
                    Ok(())
                }
                Err(broken) => Err(Failure::input(broken.message(chiso_core::lang::Lang::Vi))),
            }
        }
        Command::Backup { out } => {
            let store = open(&settings).await?;
            let result = backup::run_backup(&store, &settings, out).await;
            store.close().await;
            result
        }
        Command::Restore { input } => {
            let store = open(&settings).await?;
            let result = backup::run_restore(&store, &settings, input).await;
            store.close().await;
            result
        }
        Command::CopyDb { from, to } => {
            let open_url = |url: String| {
                let settings = Settings {
                    database_url: url,
                    ..settings.clone()
                };
                async move { open(&settings).await }
            };
            let from = open_url(from).await?;
            let to = open_url(to).await?;
            let result = backup::run_copy(&from, &to).await;
            from.close().await;
            to.close().await;
            result
        }
        Command::CreateAdmin {
            username,
            name,
            unit,
        } => {
            let store = open(&settings).await?;
            let result = units::create_admin(&store, &settings, &username, &name, &unit).await;
            store.close().await;
            result
        }
    }
}

/// Opens and migrates the database, or fails with one clear line.
async fn open(settings: &Settings) -> Result<chiso_store::Store, Failure> {
    let store = chiso_store::Store::connect(&settings.database_url, &settings.connect_options())
        .await
        .map_err(|e| Failure::env(e.to_string()))?;
    store
        .migrate()
        .await
        .map_err(|e| Failure::env(e.to_string()))?;
    Ok(store)
}

async fn serve(settings: Settings, addr: Option<String>, demo: bool) -> Result<(), Failure> {
    let addr = addr.unwrap_or_else(|| settings.addr.clone());
    let store = open(&settings).await?;
    // Evidence storage is tried at start, like the database: a wrong bucket, refused keys or an
    // unreachable server stop here with one line, not at the first upload.
    let state = chiso_web::AppState::new(store.clone(), settings.web_config())
        .map_err(|e| Failure::env(e.to_string()))?;
    state
        .files
        .check()
        .await
        .map_err(|e| Failure::env(e.to_string()))?;
    tracing::info!("evidence files: {}", state.files.place());
    if demo {
        let params = settings.web_config().password;
        let hash =
            chiso_web::auth::password::hash_async(chiso_core::demo::PASSWORD.to_string(), params)
                .await;
        match store
            .seed_demo(&hash, chrono::Utc::now())
            .await
            .context("seeding the demo province")?
        {
            chiso_store::demo::SeedOutcome::Seeded { units, accounts } => {
                println!(
                    "Demo province \"tỉnh Minh Sơn\" created: {units} units, {accounts} accounts."
                );
            }
            chiso_store::demo::SeedOutcome::AlreadyFilled => {
                println!("The database already has data; the demo province was not added again.");
            }
        }
        load_library(&store).await?;
        open_demo_rounds(&store).await?;
        if store
            .setting(chiso_store::settings::DEMO)
            .await
            .ok()
            .flatten()
            .is_some()
        {
            print_demo_logins();
        }
    }
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| Failure::env(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::env(e.to_string()))?;
    println!(
        "chiso is serving on http://{local} ({})",
        backend_name(&store)
    );
    chiso_web::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| Failure::env(format!("server error: {e}")))?;
    store.close().await;
    Ok(())
}

/// Stores each built-in framework that is not stored yet (run at every `--demo` start, so an
/// interrupted first start completes).
async fn load_library(store: &chiso_store::Store) -> Result<(), Failure> {
    let mut loaded = 0;
    for (name, parsed) in chiso_core::framework::library::all() {
        let f = parsed.map_err(|e| Failure::env(format!("built-in framework {name}: {e}")))?;
        if let (_, chiso_core::framework::diff::ImportDecision::New) =
            framework::plan_import(store, &f).await?
        {
            store
                .import_framework(
                    &f,
                    name,
                    &chiso_store::audit::By::system("demo"),
                    chrono::Utc::now(),
                )
                .await
                .map_err(|e| Failure::env(e.to_string()))?;
            loaded += 1;
        }
    }
    if loaded > 0 {
        println!("Built-in frameworks loaded: {loaded}.");
    }
    Ok(())
}

/// Opens this year's self-assessment for the demo's departments and communes (once), with
/// dates around today so the December work can be tried at any time of year.
async fn open_demo_rounds(store: &chiso_store::Store) -> Result<(), Failure> {
    use chiso_core::round::phase::Phase;
    use chiso_core::round::schedule::Schedule;
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    if store
        .setting(chiso_store::settings::DEMO)
        .await
        .map_err(env)?
        .is_none()
        || !store.list_rounds().await.map_err(env)?.is_empty()
    {
        return Ok(());
    }
    let today = chiso_core::format::vietnam_day(chrono::Utc::now());
    let days = |n: i64| today + chrono::Duration::days(n);
    let schedule = Schedule {
        self_assessment_opens: days(-7),
        submission_due: days(21),
        appraisal1_due: days(35),
        explanation_due: days(40),
        appraisal2_due: days(45),
    };
    let by = chiso_store::audit::By::system("demo");
    finished_demo_round(store, today).await?;
    demo_plans(store, today).await?;
    for (code, name) in [
        (
            "par-department",
            "Đánh giá Chỉ số CCHC các sở, ban, ngành (dữ liệu mẫu)",
        ),
        ("par-commune", "Đánh giá Chỉ số CCHC cấp xã (dữ liệu mẫu)"),
        // The province's own self-assessment: each field entered by its lead department.
        (
            "par-province",
            "Tự đánh giá Chỉ số CCHC cấp tỉnh (dữ liệu mẫu)",
        ),
    ] {
        let Some((framework, f)) = this_years_framework(store, code, 2025).await? else {
            continue;
        };
        let units: Vec<chiso_core::ids::UnitId> = store
            .find_units(&chiso_store::units::UnitFilter {
                unit_type: Some(f.unit_type),
                active_on: Some(schedule.self_assessment_opens),
                ..Default::default()
            })
            .await
            .map_err(env)?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let id = store
            .create_round(
                framework.id,
                name,
                &schedule,
                &units,
                &by,
                chrono::Utc::now(),
            )
            .await
            .map_err(env)?;
        store
            .set_round_phase(
                id,
                Phase::Preparing,
                Phase::SelfAssessment,
                "",
                &by,
                chrono::Utc::now(),
            )
            .await
            .map_err(env)?;
        println!(
            "Demo round open for self-assessment: {name} ({} units).",
            units.len()
        );
    }
    Ok(())
}

/// The framework of `code` for `year`; a copy of the latest earlier year's when there is none
/// yet (the official provincial table is published for 2024), as an administrator would clone it.
async fn this_years_framework(
    store: &chiso_store::Store,
    code: &str,
    year: i32,
) -> Result<
    Option<(
        chiso_store::frameworks::FrameworkSummary,
        chiso_core::framework::model::Framework,
    )>,
    Failure,
> {
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    if let Some(found) = store.latest_framework(code, year).await.map_err(env)? {
        return Ok(Some(found));
    }
    let Some((_, earlier)) = store.latest_framework(code, year - 1).await.map_err(env)? else {
        return Ok(None);
    };
    let copy = chiso_core::framework::crosswalk::clone_for_year(&earlier, year);
    store
        .import_framework(
            &copy,
            &format!("{code} ({year})"),
            &chiso_store::audit::By::system("demo"),
            chrono::Utc::now(),
        )
        .await
        .map_err(env)?;
    store.latest_framework(code, year).await.map_err(env)
}

/// Last year's round for the departments, run from self-assessment to final scores with the
/// demo's fixed answers: every score is computed by the framework's rules and recorded in the
/// ledger exactly as if the people had typed it.
async fn finished_demo_round(
    store: &chiso_store::Store,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    use chiso_core::framework::{applicability, crosswalk};
    use chiso_core::ids::UnitId;
    use chiso_core::round::appraisal::{self, AppraisalInput, Ask, Stage};
    use chiso_core::round::entry::self_score;
    use chiso_core::round::phase::Phase;
    use chiso_core::round::schedule::Schedule;
    use chiso_core::round::workflow::UnitState;
    use chiso_store::audit::By;
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    let Some((_, current)) = store
        .latest_framework("par-department", 2025)
        .await
        .map_err(env)?
    else {
        return Ok(());
    };
    let year = current.year - 1;
    let now = chrono::Utc::now();
    let by = By::system("demo");
    let framework = crosswalk::clone_for_year(&current, year);
    let fid = match store
        .latest_framework(&framework.code, year)
        .await
        .map_err(env)?
    {
        Some((summary, _)) => summary.id,
        None => store
            .import_framework(
                &framework,
                "par-department (dữ liệu mẫu năm trước)",
                &by,
                now,
            )
            .await
            .map_err(env)?,
    };
    let day = |m: u32, d: u32, y: i32| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    let schedule = Schedule {
        self_assessment_opens: day(12, 1, year),
        submission_due: day(12, 25, year),
        appraisal1_due: day(1, 10, year + 1),
        explanation_due: day(1, 13, year + 1),
        appraisal2_due: day(1, 15, year + 1),
    };
    let units: Vec<UnitId> = store
        .find_units(&chiso_store::units::UnitFilter {
            unit_type: Some(framework.unit_type),
            active_on: Some(schedule.self_assessment_opens),
            ..Default::default()
        })
        .await
        .map_err(env)?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let name = format!("Đánh giá Chỉ số CCHC năm {year} các sở, ban, ngành (dữ liệu mẫu)");
    let round = store
        .create_round(fid, &name, &schedule, &units, &by, now)
        .await
        .map_err(env)?;
    let mut phase = Phase::Preparing;
    let mut advance = |to: Phase| {
        let from = phase;
        phase = to;
        (from, to)
    };
    let step = advance(Phase::SelfAssessment);
    store
        .set_round_phase(round, step.0, step.1, "", &by, now)
        .await
        .map_err(env)?;
    let council = By::system("hung.hoidong");
    // Per unit: (code, items with their self score, lowered items).
    type Scored = Vec<(String, Option<chiso_core::framework::Points>)>;
    let mut worked: Vec<(UnitId, String, Scored)> = Vec::new();
    for &unit in &units {
        let code = store.unit(unit).await.map_err(env)?.code;
        let attributes = store.unit_attributes(unit).await.map_err(env)?;
        let exempt: Vec<String> = applicability::exempt_nodes(&framework, &attributes)
            .iter()
            .map(|n| n.code.clone())
            .collect();
        let focal = By::system(&format!("dau-moi.{}", code.to_lowercase()));
        let mut items = Vec::new();
        for node in framework.leaves() {
            if exempt
                .iter()
                .any(|e| node.code == *e || node.code.starts_with(&format!("{e}.")))
            {
                continue;
            }
            let Some(entry) = chiso_core::demo::sample_entry(node, &code) else {
                continue;
            };
            let Ok(points) = self_score(node, &entry) else {
                continue;
            };
            store
                .save_self_entry(round.0, unit.0, &node.code, &entry, points, 0, &focal, now)
                .await
                .map_err(env)?;
            items.push((node.code.clone(), points));
        }
        store
            .set_unit_state(
                round,
                unit,
                UnitState::Drafting,
                UnitState::Submitted,
                "submit",
                &by,
                now,
            )
            .await
            .map_err(env)?;
        worked.push((unit, code, items));
    }
    let step = advance(Phase::Appraisal1);
    store
        .set_round_phase(round, step.0, step.1, "", &by, now)
        .await
        .map_err(env)?;
    let mut finals: Vec<Scored> = Vec::new();
    let mut asked: Vec<
        Vec<(
            String,
            chiso_core::framework::Points,
            chiso_core::framework::Points,
        )>,
    > = Vec::new();
    for (unit, code, items) in &worked {
        let mut unit_finals = Vec::new();
        let mut unit_asked = Vec::new();
        for (item, points) in items {
            let node = framework
                .node(item)
                .ok_or_else(|| Failure::env(format!("demo item {item}")))?;
            let lowered = match (points, chiso_core::demo::sample_appraisal(code, item)) {
                (Some(p), Some((reason, ask))) if p.is_positive() => {
                    let (min, max) = appraisal::range(node);
                    let cut = (*p - quarter(max)).max(min);
                    let input = AppraisalInput {
                        points: Some(cut),
                        reason: reason.into(),
                        ask: ask.then_some(Ask::Explanation),
                        ..Default::default()
                    };
                    let got = appraisal::appraise(node, *points, &input)
                        .map_err(|e| Failure::env(e.message(chiso_core::lang::Lang::En)))?;
                    store
                        .save_appraisal(
                            round,
                            *unit,
                            item,
                            Stage::One,
                            &input,
                            got,
                            *points,
                            0,
                            &council,
                            now,
                        )
                        .await
                        .map_err(env)?;
                    if ask {
                        unit_asked.push((item.clone(), *p, cut));
                    }
                    got
                }
                _ => *points,
            };
            unit_finals.push((item.clone(), lowered));
        }
        store
            .set_unit_state(
                round,
                *unit,
                UnitState::Submitted,
                UnitState::Appraised1,
                "conclude_appraisal_1",
                &council,
                now,
            )
            .await
            .map_err(env)?;
        finals.push(unit_finals);
        asked.push(unit_asked);
    }
    let step = advance(Phase::Explanation);
    store
        .set_round_phase(round, step.0, step.1, "", &by, now)
        .await
        .map_err(env)?;
    for ((unit, code, _), unit_asked) in worked.iter().zip(&asked) {
        let focal = By::system(&format!("dau-moi.{}", code.to_lowercase()));
        for (item, _, cut) in unit_asked {
            store
                .save_answer(
                    round,
                    *unit,
                    item,
                    "Đơn vị đã bổ sung văn bản và giải trình tại Báo cáo giải trình kèm theo.",
                    Some(*cut),
                    &focal,
                    now,
                )
                .await
                .map_err(env)?;
        }
        store
            .set_unit_state(
                round,
                *unit,
                UnitState::Appraised1,
                UnitState::Explained,
                "send_explanation",
                &by,
                now,
            )
            .await
            .map_err(env)?;
    }
    let step = advance(Phase::Appraisal2);
    store
        .set_round_phase(round, step.0, step.1, "", &by, now)
        .await
        .map_err(env)?;
    for (((unit, _, _), unit_asked), unit_finals) in
        worked.iter().zip(&asked).zip(finals.iter_mut())
    {
        // Half of the explanations are accepted: the declared score is restored.
        for (n, (item, declared, cut)) in unit_asked.iter().enumerate() {
            if n % 2 == 1 {
                continue;
            }
            let input = AppraisalInput {
                points: Some(*declared),
                reason: "Chấp nhận giải trình, tài liệu bổ sung đáp ứng yêu cầu.".into(),
                ..Default::default()
            };
            store
                .save_appraisal(
                    round,
                    *unit,
                    item,
                    Stage::Two,
                    &input,
                    Some(*declared),
                    Some(*cut),
                    0,
                    &council,
                    now,
                )
                .await
                .map_err(env)?;
            if let Some(f) = unit_finals.iter_mut().find(|(c, _)| c == item) {
                f.1 = Some(*declared);
            }
        }
        store
            .conclude_final(
                round,
                *unit,
                UnitState::Explained,
                unit_finals,
                &council,
                now,
            )
            .await
            .map_err(env)?;
    }
    // The survey of last year: a finished campaign whose answers give the survey items' points.
    let codes: Vec<(UnitId, String)> = worked.iter().map(|(u, c, _)| (*u, c.clone())).collect();
    demo_survey_campaign(store, round, year, &codes).await?;
    let step = advance(Phase::Closed);
    store
        .set_round_phase(round, step.0, step.1, "", &by, now)
        .await
        .map_err(env)?;
    println!(
        "Demo round finished last year: {name} ({} units).",
        units.len()
    );
    Ok(())
}

/// The demo's finished survey campaign of a round: the departments' questionnaires, quotas,
/// citizens answering on the web by their token (anonymously), the other groups' forms imported
/// from files (simulated answers, each department its own level of satisfaction), closed, and
/// its points written into the round through the framework's survey rule.
async fn demo_survey_campaign(
    store: &chiso_store::Store,
    round: chiso_store::rounds::RoundId,
    year: i32,
    units: &[(chiso_core::ids::UnitId, String)],
) -> Result<(), Failure> {
    use chiso_store::audit::By;
    use chiso_store::surveys::{
        CampaignStatus, NewCampaign, NewRespondent, NewResponse, ResponseSource,
    };
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    let now = chrono::Utc::now();
    let by = By::system("mai.dieutra");
    let mut chosen = Vec::new();
    let mut weights = std::collections::BTreeMap::new();
    let mut questionnaires = Vec::new();
    for (yaml, quota, weight) in chiso_core::demo::SURVEY_QUESTIONNAIRES {
        let q = chiso_core::survey::from_yaml(yaml)
            .map_err(|e| Failure::env(format!("demo questionnaire: {}", e.message)))?;
        let id = store
            .add_questionnaire(
                &q.code,
                i64::from(q.version),
                &q.title,
                &q.group,
                &q.fingerprint(),
                &chiso_core::survey::to_yaml(&q),
                &by,
                now,
            )
            .await
            .map_err(env)?;
        chosen.push((q.group.clone(), id));
        weights.insert(
            q.group.clone(),
            weight.parse().unwrap_or(rust_decimal::Decimal::ONE),
        );
        questionnaires.push((id, quota, q));
    }
    let setup = NewCampaign {
        round,
        title: format!("Điều tra xã hội học năm {year} các sở, ban, ngành (dữ liệu mẫu)"),
        anonymous: true,
        double_entry: true,
        group_weights: weights,
        closes_on: chrono::NaiveDate::from_ymd_opt(year + 1, 1, 5),
    };
    let campaign = store
        .create_campaign(&setup, &chosen, &by, now)
        .await
        .map_err(env)?;
    store
        .set_campaign_status(campaign, CampaignStatus::Open, &by, now)
        .await
        .map_err(env)?;
    let quotas: Vec<_> = units
        .iter()
        .flat_map(|(u, _)| {
            questionnaires
                .iter()
                .map(move |(_, quota, q)| (*u, q.group.clone(), *quota))
        })
        .collect();
    store
        .set_quotas(campaign, &quotas, &by, now)
        .await
        .map_err(env)?;
    for (i, (unit, code)) in units.iter().enumerate() {
        for (k, (qid, quota, q)) in questionnaires.iter().enumerate() {
            let returned = chiso_core::demo::sample_returned(code, &q.group, *quota);
            let seed = (i * 16 + k) as u64;
            let text = chiso_core::survey::simulate(
                q,
                std::slice::from_ref(code),
                returned as usize,
                seed,
            );
            let parsed = chiso_core::survey::parse_responses(q, &text).map_err(|p| {
                Failure::env(format!(
                    "demo answers: {:?}",
                    p.first().map(|x| x.message(chiso_core::lang::Lang::En))
                ))
            })?;
            let answers: Vec<chiso_store::surveys::Answers> = parsed
                .responses
                .iter()
                .map(|r| {
                    chiso_core::survey::responses::answer_pairs(q, &r.answers)
                        .into_iter()
                        .collect()
                })
                .collect();
            if q.group == "nguoi_dan" {
                // Citizens: a token each (the QR slips), those who answered did so on the web.
                let mut people = Vec::new();
                for _ in 0..*quota {
                    let mut bytes = [0u8; 16];
                    getrandom::fill(&mut bytes).map_err(|e| Failure::env(e.to_string()))?;
                    people.push(NewRespondent {
                        unit: *unit,
                        group: q.group.clone(),
                        token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
                        name: String::new(),
                        position: String::new(),
                        phone: String::new(),
                        email: String::new(),
                    });
                }
                store
                    .add_respondents(campaign, &people, &by, now)
                    .await
                    .map_err(env)?;
                // Those who answered, by the tokens just made (not the whole list each time).
                for (p, a) in people.iter().zip(&answers) {
                    let r = store.respondent_by_token(&p.token).await.map_err(env)?;
                    store
                        .submit_response(&r, *qid, a, true, now)
                        .await
                        .map_err(env)?;
                }
            } else {
                let forms: Vec<NewResponse> = answers
                    .into_iter()
                    .enumerate()
                    .map(|(n, answers)| NewResponse {
                        questionnaire: *qid,
                        unit: *unit,
                        group: q.group.clone(),
                        reference: format!("{code}-{}-{:03}", q.group, n + 1),
                        answers,
                    })
                    .collect();
                store
                    .add_responses(campaign, &forms, ResponseSource::Import, &by, now)
                    .await
                    .map_err(env)?;
            }
        }
    }
    store
        .set_campaign_status(campaign, CampaignStatus::Closed, &by, now)
        .await
        .map_err(env)?;
    chiso_web::write_campaign_points(
        store,
        campaign,
        &format!("Khảo sát \"{}\"", setup.title),
        &By::system("dieu-tra"),
        now,
    )
    .await
    .map_err(|e| Failure::env(e.to_string()))?;
    Ok(())
}

/// Last year's plan of the demo province (partly done, some overdue) and this year's (under
/// way), with tasks for the lead departments, KPIs with reported values and one extension
/// request waiting for the administrator.
async fn demo_plans(store: &chiso_store::Store, today: chrono::NaiveDate) -> Result<(), Failure> {
    use chiso_core::plan::{Deadline, Direction};
    use chiso_store::plans::{Goal, NewKpi, NewTask, PlanMeta};
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    let by = chiso_store::audit::By::system("demo");
    let now = chrono::Utc::now();
    let day = |d: chrono::NaiveDate, n: i64| d + chrono::Duration::days(n);
    let unit = |code: &'static str| async move {
        store
            .unit_by_code(code)
            .await
            .map_err(|e| Failure::env(e.to_string()))?
            .map(|u| u.id)
            .ok_or_else(|| Failure::env(format!("demo unit {code}")))
    };
    let province = unit(chiso_core::demo::PROVINCE_CODE).await?;
    let fields: Vec<(String, String)> = match store
        .latest_framework("par-province", 2024)
        .await
        .map_err(env)?
    {
        Some((_, f)) => f
            .fields
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect(),
        None => Vec::new(),
    };
    for (reference, number) in [(day(today, -365), "45/KH-UBND"), (today, "112/KH-UBND")] {
        let year = chrono::Datelike::year(&reference);
        let mut tasks = Vec::new();
        for t in chiso_core::demo::plan_tasks() {
            let mut cooperators = Vec::new();
            for c in t.cooperators {
                cooperators.push(unit(c).await?);
            }
            tasks.push(NewTask {
                text: t.text.to_string(),
                field_code: t.field.to_string(),
                node_codes: Vec::new(),
                lead_unit: Some(unit(t.lead).await?),
                cooperators,
                deadline: match t.due {
                    Some(n) => Deadline::Date {
                        date: day(reference, n),
                    },
                    None => Deadline::Ongoing,
                },
                output: t.output.to_string(),
                expected_points: None,
            });
        }
        let goals: Vec<Goal> = fields
            .iter()
            .map(|(code, name)| Goal {
                field_code: code.clone(),
                field_name: name.clone(),
                target_percent: Some(rust_decimal::Decimal::from(90)),
                target_group: "Nhóm A (mẫu)".into(),
                ..Default::default()
            })
            .collect();
        let meta = PlanMeta {
            unit: province,
            year,
            title: format!(
                "Kế hoạch nâng cao Chỉ số cải cách hành chính tỉnh Minh Sơn năm {year} (dữ liệu mẫu)"
            ),
            number: number.into(),
            decision_date: Some(day(reference, -200)),
            issuer: "UBND tỉnh Minh Sơn".into(),
        };
        let id = store
            .create_plan(&meta, "manual", None, &goals, &[], &tasks, None, &by, now)
            .await
            .map_err(env)?;
        store.issue_plan(id, &by, now).await.map_err(env)?;
        let plan = store.plan(id).await.map_err(env)?;
        for (task, sample) in plan.tasks.iter().zip(chiso_core::demo::plan_tasks()) {
            let lead =
                chiso_store::audit::By::system(&format!("dau-moi.{}", sample.lead.to_lowercase()));
            if let Some(done) = sample.done {
                store
                    .add_task_update(
                        task.id,
                        task.task.lead_unit.unwrap_or(province),
                        "Đã hoàn thành, gửi kèm sản phẩm.",
                        None,
                        &lead,
                        now,
                    )
                    .await
                    .map_err(env)?;
                store
                    .set_task_done(task.id, Some(day(reference, done)), &lead, now)
                    .await
                    .map_err(env)?;
            }
        }
        let office = unit("VP-UBND").await?;
        let kpi = store
            .add_kpi(
                id,
                &NewKpi {
                    text: "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn".into(),
                    direction: Direction::Above,
                    target: rust_decimal::Decimal::from(95),
                    unit_label: "%".into(),
                    unit: Some(office),
                },
                &by,
                now,
            )
            .await
            .map_err(env)?;
        for (period, value) in [("Quý I", "93.4"), ("Quý II", "96.1")] {
            let v: rust_decimal::Decimal = value.parse().unwrap_or_default();
            store
                .add_kpi_actual(
                    id,
                    kpi,
                    period,
                    v,
                    "Hệ thống thông tin giải quyết TTHC tỉnh (mẫu)",
                    &by,
                    now,
                )
                .await
                .map_err(env)?;
        }
        store
            .add_kpi(
                id,
                &NewKpi {
                    text: "Văn bản điện tử được ký số".into(),
                    direction: Direction::AtLeast,
                    target: rust_decimal::Decimal::from(100),
                    unit_label: "%".into(),
                    unit: None,
                },
                &by,
                now,
            )
            .await
            .map_err(env)?;
        if reference == today {
            // An overdue inspection task asks for more time.
            if let Some(t) = plan.tasks.get(1) {
                store
                    .request_extension(
                        t.id,
                        day(today, 30),
                        "Chờ kết quả kiểm tra của đoàn liên ngành.",
                        &chiso_store::audit::By::system("dau-moi.snv"),
                        now,
                    )
                    .await
                    .map_err(env)?;
            }
        }
    }
    demo_reports_and_inspections(store, today).await?;
    println!(
        "Demo plans: last year's and this year's, {} tasks each.",
        chiso_core::demo::plan_tasks().len()
    );
    Ok(())
}

/// This year's periodic reports of the departments (some on time, some late, some missing),
/// inspections of a few units with findings partly remedied, and two initiatives.
async fn demo_reports_and_inspections(
    store: &chiso_store::Store,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    use chiso_core::units::UnitType;
    use chrono::Datelike;
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    let by = chiso_store::audit::By::system("demo");
    let now = chrono::Utc::now();
    let year = today.year();
    let departments = store
        .find_units(&chiso_store::units::UnitFilter {
            unit_type: Some(UnitType::Department),
            active_on: Some(today),
            ..Default::default()
        })
        .await
        .map_err(env)?;
    for (n, (title, month, day)) in [
        ("Báo cáo CCHC quý I", 3, 15),
        ("Báo cáo CCHC 6 tháng", 6, 15),
        ("Báo cáo CCHC quý III", 9, 15),
        ("Báo cáo CCHC năm", 12, 15),
    ]
    .into_iter()
    .enumerate()
    {
        let Some(due) = chrono::NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        let entry = store
            .add_report_entry(
                year,
                &format!("{title}/{year}"),
                UnitType::Department,
                due,
                &by,
                now,
            )
            .await
            .map_err(env)?;
        if due > today {
            continue;
        }
        for (i, u) in departments.iter().enumerate() {
            // Most send on time, every fifth sends late, every seventh does not send.
            if (i + n) % 7 == 6 {
                continue;
            }
            let sent = if (i + n) % 5 == 4 {
                due + chrono::Duration::days(4)
            } else {
                due - chrono::Duration::days(2)
            };
            let at = sent
                .and_hms_opt(3, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or(now);
            store
                .submit_report(
                    entry,
                    u.id,
                    "Báo cáo đã ký, gửi kèm (dữ liệu mẫu)",
                    None,
                    &chiso_store::audit::By::system("dau-moi"),
                    at,
                )
                .await
                .map_err(env)?;
        }
    }
    for (i, u) in departments.iter().take(5).enumerate() {
        let planned = today - chrono::Duration::days(120 - 20 * i as i64);
        if planned.year() != year {
            continue;
        }
        let id = store
            .plan_inspection(year, u.id, planned, &by, now)
            .await
            .map_err(env)?;
        if i < 4 {
            let findings = vec![
                (
                    "Niêm yết TTHC tại bộ phận một cửa chưa đầy đủ".to_string(),
                    "Niêm yết lại đủ thủ tục".to_string(),
                    Some(planned + chrono::Duration::days(30)),
                ),
                (
                    "Báo cáo CCHC quý gửi chậm".to_string(),
                    "Phân công người theo dõi, gửi đúng hạn".to_string(),
                    None,
                ),
            ];
            store
                .record_inspection(id, planned, &findings, &by, now)
                .await
                .map_err(env)?;
            if i % 2 == 0 {
                let all = store.inspections(year).await.map_err(env)?;
                if let Some(f) = all
                    .iter()
                    .find(|x| x.id == id)
                    .and_then(|x| x.findings.first())
                {
                    store
                        .close_finding(f.id, Some(planned + chrono::Duration::days(20)), &by, now)
                        .await
                        .map_err(env)?;
                }
            }
        }
    }
    if let Some(u) = departments.first() {
        let a = store
            .add_initiative(
                year,
                u.id,
                "Tiếp nhận hồ sơ TTHC qua tin nhắn Zalo OA (dữ liệu mẫu)",
                "Nhắc lịch hẹn trả kết quả tự động",
                &by,
                now,
            )
            .await
            .map_err(env)?;
        store
            .evaluate_initiative(a, true, "Hội đồng sáng kiến công nhận (mẫu)", &by, now)
            .await
            .map_err(env)?;
    }
    if let Some(u) = departments.get(1) {
        store
            .add_initiative(
                year,
                u.id,
                "Số hóa sổ theo dõi văn bản đến (dữ liệu mẫu)",
                "",
                &by,
                now,
            )
            .await
            .map_err(env)?;
    }
    Ok(())
}

/// A quarter of an item's maximum, the demo council's usual cut.
fn quarter(max: chiso_core::framework::Points) -> chiso_core::framework::Points {
    chiso_core::framework::Points::from_scaled(max.to_scaled().unwrap_or(0) / 4)
}

fn backend_name(store: &chiso_store::Store) -> &'static str {
    match store.backend() {
        chiso_store::Backend::Sqlite => "SQLite",
        chiso_store::Backend::Postgres => "PostgreSQL",
    }
}

fn print_demo_logins() {
    println!();
    println!(
        "Demo logins (password for all: {}):",
        chiso_core::demo::PASSWORD
    );
    for a in chiso_core::demo::accounts() {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label_vi()).collect();
        println!(
            "  {:<16} {:<18} {}",
            a.username,
            a.full_name,
            roles.join(", ")
        );
    }
    println!();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
