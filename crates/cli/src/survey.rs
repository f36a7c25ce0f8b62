//! `chiso survey …`: check questionnaires, simulate and aggregate responses files, with no
//! database.

use crate::Failure;
use chiso_core::lang::Lang;
use chiso_core::survey::aggregate::code_order;
use chiso_core::survey::report::rounded;
use chiso_core::survey::{
    Aggregation, GroupWeights, Interval, Parsed, Questionnaire, QuestionnaireSummary, Quota,
    Report, Survey, SurveyPoints, aggregate, from_yaml, parse_responses, quota_progress, simulate,
    sipas, survey_points, to_yaml, validate,
};
use clap::Subcommand;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Check a questionnaire (.yaml or .xlsx); every problem is listed with its question.
    Check { questionnaire: PathBuf },
    /// Write simulated responses for a questionnaire in the import format (CSV), each unit
    /// with its own satisfaction level; the same seed gives the same file.
    Simulate {
        questionnaire: PathBuf,
        /// The CSV file to write.
        out: PathBuf,
        /// Number of units, coded DV001, DV002, …
        #[arg(long, required_unless_present = "units_file")]
        units: Option<u32>,
        /// A file with one unit code per line (the first column of a CSV; a header `code` or
        /// `unit` is skipped), instead of --units.
        #[arg(long, conflicts_with = "units")]
        units_file: Option<PathBuf>,
        /// Forms per unit.
        #[arg(long)]
        responses: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Satisfaction per unit, group and question, per measure (sub-criterion or SIPAS
    /// element) and SIPAS, from one or more QUESTIONNAIRE RESPONSES.csv pairs. A file with bad
    /// rows is refused (exit 1, every problem listed) unless --skip-bad-rows.
    Aggregate {
        /// QUESTIONNAIRE.yaml RESPONSES.csv, repeated for each respondent group.
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Leave bad rows out (and list them) instead of refusing the file.
        #[arg(long)]
        skip_bad_rows: bool,
        /// A group's weight when measures combine groups, e.g. `lanh_dao_so=0.6` (repeat for
        /// each group; unlisted groups then count for nothing). Default: equal weights.
        #[arg(long = "weight", value_name = "GROUP=WEIGHT")]
        weights: Vec<String>,
        /// A framework (.yaml or .xlsx): survey points of its survey leaves.
        #[arg(long)]
        framework: Option<PathBuf>,
        /// Forms expected per unit and group: progress and shortfalls.
        #[arg(long)]
        quota: Option<u32>,
    },
    /// Convert a questionnaire between .yaml and .xlsx (by the files' extensions).
    Convert { input: PathBuf, output: PathBuf },
}

/// Runs a survey command.
pub fn run(command: SurveyCommand) -> Result<(), Failure> {
    match command {
        SurveyCommand::Check { questionnaire } => {
            let q = load(&questionnaire)?;
            println!("{}", describe(&questionnaire, &q));
            Ok(())
        }
        SurveyCommand::Simulate {
            questionnaire,
            out,
            units,
            units_file,
            responses,
            seed,
        } => {
            let q = load(&questionnaire)?;
            let codes = match (units, units_file) {
                (_, Some(path)) => read_units(&path)?,
                (Some(n), None) => (1..=n).map(|i| format!("DV{i:03}")).collect(),
                (None, None) => return Err(Failure::env("give --units N or --units-file FILE")),
            };
            if codes.is_empty() {
                return Err(Failure::env("no unit to simulate"));
            }
            let text = simulate(&q, &codes, responses, seed);
            std::fs::write(&out, text)
                .map_err(|e| Failure::env(format!("cannot write {}: {e}", out.display())))?;
            println!(
                "{}: {} phiếu của {} đơn vị (nhóm {}).",
                out.display(),
                codes.len() * responses,
                codes.len(),
                q.group
            );
            Ok(())
        }
        SurveyCommand::Aggregate {
            files,
            json,
            skip_bad_rows,
            weights,
            framework,
            quota,
        } => run_aggregate(
            &files,
            json,
            skip_bad_rows,
            &weights,
            framework.as_deref(),
            quota,
        ),
        SurveyCommand::Convert { input, output } => {
            let q = load(&input)?;
            let name = output.display().to_string();
            let bytes = match extension(&output).as_str() {
                "yaml" | "yml" => to_yaml(&q).into_bytes(),
                "xlsx" => chiso_reports::survey_xlsx::write(&q)
                    .map_err(|e| Failure::env(format!("{name}: {e}")))?,
                _ => return Err(unknown_format(&output)),
            };
            std::fs::write(&output, bytes)
                .map_err(|e| Failure::env(format!("cannot write {name}: {e}")))?;
            println!("{name}: {}", q.title);
            Ok(())
        }
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default()
}

fn unknown_format(path: &Path) -> Failure {
    Failure::env(format!(
        "{}: the file name must end in .yaml, .yml or .xlsx",
        path.display()
    ))
}

/// Reads and checks a questionnaire: it, or exit 1 with every problem prefixed by the file.
fn load(path: &Path) -> Result<Questionnaire, Failure> {
    let name = path.display().to_string();
    let ext = extension(path);
    if !matches!(ext.as_str(), "yaml" | "yml" | "xlsx") {
        return Err(unknown_format(path));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
    let invalid = |messages: Vec<String>| {
        let lines: Vec<String> = messages.iter().map(|m| format!("{name}: {m}")).collect();
        Failure::input(format!("{} lỗi:\n{}", messages.len(), lines.join("\n")))
    };
    let q = if ext == "xlsx" {
        chiso_reports::survey_xlsx::read(&bytes)
            .map_err(|e| invalid(e.iter().map(|x| x.message(Lang::Vi)).collect()))?
    } else {
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::input(format!("{name}: tệp không phải văn bản UTF-8.")))?;
        from_yaml(&text).map_err(|e| invalid(vec![e.message(Lang::Vi)]))?
    };
    let problems = validate(&q);
    if !problems.is_empty() {
        return Err(invalid(
            problems.iter().map(|p| p.message(Lang::Vi)).collect(),
        ));
    }
    Ok(q)
}

/// One line about a valid questionnaire.
fn describe(path: &Path, q: &Questionnaire) -> String {
    let questions = q.questions().count();
    let scored = q.questions().filter(|x| x.kind.is_scored()).count();
    let mut measures: Vec<&str> = q
        .questions()
        .filter_map(|x| x.measures.as_deref())
        .collect();
    measures.sort_by(|a, b| code_order(a, b));
    measures.dedup();
    format!(
        "{}: hợp lệ — {} (phiên bản {}, nhóm {}), {} phần, {questions} câu hỏi ({scored} tính điểm), đo {}: {}; dấu vân tay {}.",
        path.display(),
        q.title,
        q.version,
        q.group_label(),
        q.sections.len(),
        measures.len(),
        measures.join(", "),
        &q.fingerprint()[..16]
    )
}

/// Unit codes from a file: the first cell of each line, a header skipped.
fn read_units(path: &Path) -> Result<Vec<String>, Failure> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
    let text = chiso_core::text::csv_text(&bytes)
        .ok_or_else(|| Failure::input(format!("{name}: tệp không phải UTF-8.")))?;
    let mut codes = Vec::new();
    for line in text.lines() {
        let first = line.split([',', ';']).next().unwrap_or("").trim();
        let first = first.trim_matches('"');
        let folded = chiso_core::text::fold(first);
        if first.is_empty() || matches!(folded.as_str(), "code" | "unit" | "ma" | "ma don vi") {
            continue;
        }
        codes.push(chiso_core::units::normalize_code(first));
    }
    Ok(codes)
}

fn parse_weights(list: &[String]) -> Result<GroupWeights, Failure> {
    let mut pairs = Vec::new();
    for item in list {
        let parsed = item.split_once('=').and_then(|(g, w)| {
            let w = w.trim().replace(',', ".").parse::<f64>().ok()?;
            Some((g.trim().to_string(), w))
        });
        match parsed {
            Some(p) => pairs.push(p),
            None => {
                return Err(Failure::env(format!(
                    "--weight \"{item}\": write GROUP=WEIGHT, e.g. lanh_dao_so=0.6"
                )));
            }
        }
    }
    GroupWeights::new(pairs)
        .ok_or_else(|| Failure::env("--weight: weights must be numbers ≥ 0".to_string()))
}

fn run_aggregate(
    files: &[PathBuf],
    json: bool,
    skip_bad_rows: bool,
    weights: &[String],
    framework: Option<&Path>,
    quota: Option<u32>,
) -> Result<(), Failure> {
    if !files.len().is_multiple_of(2) {
        return Err(Failure::env(
            "give files in pairs: QUESTIONNAIRE.yaml RESPONSES.csv …",
        ));
    }
    let weights = parse_weights(weights)?;
    let framework = framework.map(crate::framework::load).transpose()?;
    let mut loaded: Vec<(Questionnaire, Parsed)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for pair in files.chunks(2) {
        let q = load(&pair[0])?;
        let name = pair[1].display().to_string();
        let bytes = std::fs::read(&pair[1])
            .map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
        let text = chiso_core::text::csv_text(&bytes).ok_or_else(|| {
            Failure::input(format!(
                "{name}: tệp không phải UTF-8. Trong Excel chọn Lưu thành \"CSV UTF-8\"."
            ))
        })?;
        let parsed = parse_responses(&q, text).map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("{name}: {}", e.message(Lang::Vi)))
                .collect();
            Failure::input(format!("{} lỗi:\n{}", lines.len(), lines.join("\n")))
        })?;
        problems.extend(
            parsed
                .problems
                .iter()
                .map(|p| format!("{name}: {}", p.message(Lang::Vi))),
        );
        loaded.push((q, parsed));
    }
    if !problems.is_empty() && !skip_bad_rows {
        return Err(Failure::input(format!(
            "{} lỗi (thêm --skip-bad-rows để bỏ qua các dòng lỗi):\n{}",
            problems.len(),
            problems.join("\n")
        )));
    }
    let surveys: Vec<Survey> = loaded
        .iter()
        .map(|(q, p)| Survey {
            questionnaire: q,
            responses: &p.responses,
        })
        .collect();
    let a = aggregate(&surveys, &weights);
    let sipas = sipas(&a.measures, Lang::Vi);
    let points = framework.as_ref().map(|f| survey_points(f, &a));
    let quotas = quota
        .map(|n| {
            let list: Vec<Quota> = a
                .units
                .iter()
                .flat_map(|u| {
                    loaded.iter().map(move |(q, _)| Quota {
                        unit: u.clone(),
                        group: q.group.clone(),
                        quota: n,
                    })
                })
                .collect();
            quota_progress(&a, &list)
        })
        .unwrap_or_default();
    let report = Report {
        questionnaires: loaded
            .iter()
            .map(|(q, p)| QuestionnaireSummary {
                code: q.code.clone(),
                version: q.version,
                group: q.group.clone(),
                fingerprint: q.fingerprint(),
                rows: p.rows,
                accepted: p.responses.len(),
            })
            .collect(),
        questions: &a.questions,
        measures: &a.measures,
        sipas: &sipas,
        points: points.as_ref(),
        quotas: &quotas,
        unweighted_groups: &a.unweighted_groups,
        problems,
    };
    let out = if json {
        report.to_json()
    } else {
        tables(&report, &a, points.as_ref())
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| Failure::env(format!("cannot write the output: {e}")))
}

fn pct(v: f64) -> String {
    let d = Decimal::from_f64(rounded(v)).unwrap_or_default();
    chiso_core::format::decimal(d, 2, Lang::Vi)
}

fn ci(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!("{}–{}", pct(i.low), pct(i.high)),
        None => "—".into(),
    }
}

/// The readable form: per unit, its questions and measures; then SIPAS, points, quotas and
/// the problems left out.
fn tables(r: &Report, a: &Aggregation, points: Option<&SurveyPoints>) -> String {
    let mut s = String::new();
    for q in &r.questionnaires {
        let _ = writeln!(
            s,
            "Phiếu {} (phiên bản {}, nhóm {}): {} phiếu hợp lệ / {} dòng.",
            q.code, q.version, q.group, q.accepted, q.rows
        );
    }
    for unit in &a.units {
        let _ = writeln!(s, "\nĐơn vị {unit}");
        let _ = writeln!(
            s,
            "  {:<16} {:<10} {:>12} {:>7}  KTC 95%",
            "Nhóm", "Câu hỏi", "Hài lòng (%)", "n"
        );
        for x in r.questions.iter().filter(|x| &x.unit == unit) {
            let _ = writeln!(
                s,
                "  {:<16} {:<10} {:>12} {:>7}  {}",
                x.group,
                x.question,
                x.satisfaction.map(pct).unwrap_or_else(|| "—".into()),
                x.n,
                ci(&x.ci95)
            );
        }
        let measures: Vec<_> = r.measures.iter().filter(|m| &m.unit == unit).collect();
        if !measures.is_empty() {
            let _ = writeln!(
                s,
                "  {:<27} {:>12} {:>7}  KTC 95%",
                "Tiêu chí đo", "Hài lòng (%)", "n"
            );
            for m in measures {
                let missing = if m.missing_groups.is_empty() {
                    String::new()
                } else {
                    format!("  (chưa có: {})", m.missing_groups.join(", "))
                };
                let _ = writeln!(
                    s,
                    "  {:<27} {:>12} {:>7}  {}{missing}",
                    m.measure,
                    pct(m.satisfaction),
                    m.n,
                    ci(&m.ci95)
                );
            }
        }
    }
    if !r.sipas.is_empty() {
        let _ = writeln!(s, "\nSIPAS (%)");
        for x in r.sipas {
            let parts: Vec<String> = x
                .elements
                .iter()
                .map(|e| format!("{} {}", e.code, pct(e.satisfaction)))
                .collect();
            let _ = writeln!(
                s,
                "  {}: chung {} — {}",
                x.unit,
                pct(x.overall),
                parts.join(", ")
            );
        }
    }
    if let Some(p) = points {
        let _ = writeln!(s, "\nĐiểm điều tra xã hội học");
        for row in &p.rows {
            let _ = writeln!(
                s,
                "  {} {:<8} {:>6} điểm  (tỷ lệ {}, n = {})",
                row.unit,
                row.node,
                row.points.display(Lang::Vi),
                chiso_core::format::decimal(row.ratio, 4, Lang::Vi),
                row.n
            );
        }
        if !p.unmeasured.is_empty() {
            let _ = writeln!(s, "  Chưa có phiếu nào đo: {}", p.unmeasured.join(", "));
        }
        for m in &p.missing {
            let _ = writeln!(s, "  {}: chưa có phiếu cho {}", m.unit, m.node);
        }
    }
    let short: Vec<_> = r.quotas.iter().filter(|q| q.is_short()).collect();
    if !r.quotas.is_empty() {
        let _ = writeln!(
            s,
            "\nChỉ tiêu phiếu: {} / {} đạt",
            r.quotas.len() - short.len(),
            r.quotas.len()
        );
        for q in short {
            let _ = writeln!(
                s,
                "  {} {}: {}/{} (thiếu {})",
                q.unit, q.group, q.answered, q.quota, q.short
            );
        }
    }
    if !r.unweighted_groups.is_empty() {
        let _ = writeln!(
            s,
            "\nNhóm không có trọng số (không được tính): {}",
            r.unweighted_groups.join(", ")
        );
    }
    if !r.problems.is_empty() {
        let _ = writeln!(s, "\nDòng bị bỏ qua ({} lỗi):", r.problems.len());
        for p in &r.problems {
            let _ = writeln!(s, "  {p}");
        }
    }
    s
}
