//! `chiso framework …`: check, convert and compare framework files, with no database.

use crate::Failure;
use chiso_core::framework::diff::{ImportDecision, decide_import};
use chiso_core::framework::{Framework, crosswalk, diff};
use chiso_core::lang::Lang;
use chiso_reports::framework_file::{self, FileFormat, LoadError};
use chiso_store::Store;
use chiso_store::audit::By;
use chiso_store::frameworks::FrameworkId;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework file; every problem is listed with the node it is on.
    Validate { file: PathBuf },
    /// Convert a framework file; the format comes from each file's extension.
    Convert { input: PathBuf, output: PathBuf },
    /// List what changed from one framework file to another.
    Diff { old: PathBuf, new: PathBuf },
    /// Show which node of OLD each node of NEW continues (by `previous_code` or the same code).
    Crosswalk { old: PathBuf, new: PathBuf },
    /// Copy a stored framework to another year (version 1, same codes) and store it.
    Clone {
        id: i64,
        #[arg(long)]
        year: i32,
    },
    /// Store a framework file as a new version (all or nothing). A new version of a stored
    /// framework shows its changes first.
    Import {
        file: PathBuf,
        /// Check and show what would be stored, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a stored framework to a file (.yaml or .xlsx).
    Export { id: i64, out: PathBuf },
    /// List stored frameworks.
    List,
}

impl FrameworkCommand {
    /// Whether the command works on files alone.
    pub fn needs_database(&self) -> bool {
        matches!(
            self,
            FrameworkCommand::Import { .. }
                | FrameworkCommand::Export { .. }
                | FrameworkCommand::List
                | FrameworkCommand::Clone { .. }
        )
    }
}

/// Reads and checks a file: the framework, or exit 1 with every problem, each prefixed by
/// the file name.
pub fn load(path: &Path) -> Result<Framework, Failure> {
    let name = path.display().to_string();
    if FileFormat::of(&name).is_none() {
        return Err(unknown_format(path));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
    framework_file::load(&bytes, &name, Lang::Vi).map_err(|e| match e {
        LoadError::UnknownFormat => unknown_format(path),
        LoadError::Invalid(messages) => {
            let lines: Vec<String> = messages.iter().map(|m| format!("{name}: {m}")).collect();
            Failure::input(format!("{} lỗi:\n{}", messages.len(), lines.join("\n")))
        }
    })
}

fn unknown_format(path: &Path) -> Failure {
    Failure::env(format!(
        "{}: the file name must end in .yaml, .yml or .xlsx",
        path.display()
    ))
}

/// Runs a command that needs no database.
pub fn run(command: FrameworkCommand) -> Result<(), Failure> {
    match command {
        FrameworkCommand::Validate { file } => {
            let f = load(&file)?;
            let (fields, criteria, leaves) = f.shape();
            println!(
                "{}: hợp lệ — {} ({}, {}), {fields} lĩnh vực, {criteria} tiêu chí, {leaves} tiêu chí được chấm điểm, tổng {} điểm.",
                file.display(),
                f.name,
                f.unit_type.label(Lang::Vi),
                f.year,
                f.max.display(Lang::Vi)
            );
            Ok(())
        }
        FrameworkCommand::Convert { input, output } => {
            let f = load(&input)?;
            let bytes = framework_file::save(&f, &output.display().to_string())
                .map_err(|_| unknown_format(&output))?;
            std::fs::write(&output, bytes)
                .map_err(|e| Failure::env(format!("cannot write {}: {e}", output.display())))?;
            println!("Wrote {}.", output.display());
            Ok(())
        }
        FrameworkCommand::Diff { old, new } => {
            let (a, b) = (load(&old)?, load(&new)?);
            let changes = diff::diff(&a, &b);
            if changes.is_empty() {
                println!("Không có thay đổi.");
            }
            for c in changes {
                println!("{}", c.message(Lang::Vi));
            }
            Ok(())
        }
        FrameworkCommand::Crosswalk { old, new } => {
            let (a, b) = (load(&old)?, load(&new)?);
            let cw = crosswalk::crosswalk(&a, &b);
            if !cw.problems.is_empty() {
                let lines: Vec<String> = cw
                    .problems
                    .iter()
                    .map(|p| format!("{}: {}", new.display(), p.message(Lang::Vi)))
                    .collect();
                return Err(Failure::input(lines.join("\n")));
            }
            for (o, n) in &cw.pairs {
                if o == n {
                    println!("{o} = {n}");
                } else {
                    println!("{o} → {n}");
                }
            }
            for n in &cw.added {
                println!("+ {n} (mới)");
            }
            for o in &cw.removed {
                println!("- {o} (không còn)");
            }
            Ok(())
        }
        FrameworkCommand::Import { .. }
        | FrameworkCommand::Export { .. }
        | FrameworkCommand::List
        | FrameworkCommand::Clone { .. } => Err(Failure::env("this command needs a database")),
    }
}

/// Runs a command against the database.
pub async fn run_with_store(store: &Store, command: FrameworkCommand) -> Result<(), Failure> {
    let env = |e: chiso_store::StoreError| Failure::env(e.to_string());
    match command {
        FrameworkCommand::Import { file, dry_run } => {
            let f = load(&file)?;
            let name = file.display().to_string();
            match plan_import(store, &f).await? {
                (stored, ImportDecision::Unchanged) => {
                    let id = stored.map(|i| i.to_string()).unwrap_or_default();
                    println!("{name}: giống hệt phiên bản đã lưu (mã {id}); không có gì để nhập.");
                    return Ok(());
                }
                (_, ImportDecision::NewVersion(changes)) => {
                    println!(
                        "{name}: phiên bản mới {} của {} năm {}; thay đổi so với phiên bản trước:",
                        f.version, f.code, f.year
                    );
                    for c in changes {
                        println!("  {}", c.message(Lang::Vi));
                    }
                }
                (_, ImportDecision::New) => println!(
                    "{name}: bộ chỉ số mới {} năm {}, phiên bản {}.",
                    f.code, f.year, f.version
                ),
            }
            if dry_run {
                println!("Chạy thử: chưa ghi gì vào cơ sở dữ liệu.");
                return Ok(());
            }
            let id = store
                .import_framework(&f, &name, &By::system("cli"), chrono::Utc::now())
                .await
                .map_err(env)?;
            println!("Đã lưu với mã {id}.");
            Ok(())
        }
        FrameworkCommand::Export { id, out } => {
            let (_, f) = store
                .framework(FrameworkId(id))
                .await
                .map_err(|e| match e {
                    chiso_store::StoreError::NotFound => {
                        Failure::input(format!("no framework with id {id}"))
                    }
                    e => env(e),
                })?;
            let bytes = framework_file::save(&f, &out.display().to_string())
                .map_err(|_| unknown_format(&out))?;
            std::fs::write(&out, bytes)
                .map_err(|e| Failure::env(format!("cannot write {}: {e}", out.display())))?;
            println!("Wrote {}.", out.display());
            Ok(())
        }
        FrameworkCommand::List => {
            let list = store.list_frameworks().await.map_err(env)?;
            if list.is_empty() {
                println!("Chưa có bộ chỉ số nào.");
            }
            for s in list {
                println!(
                    "{:>4}  {:<16} {} v{}  {:<20} {}",
                    s.id.0,
                    s.code,
                    s.year,
                    s.version,
                    s.unit_type.label(Lang::Vi),
                    s.name
                );
            }
            Ok(())
        }
        FrameworkCommand::Clone { id, year } => {
            let (_, f) = store
                .framework(FrameworkId(id))
                .await
                .map_err(|e| match e {
                    chiso_store::StoreError::NotFound => {
                        Failure::input(format!("no framework with id {id}"))
                    }
                    e => env(e),
                })?;
            let next = crosswalk::clone_for_year(&f, year);
            if store
                .latest_framework(&next.code, year)
                .await
                .map_err(env)?
                .is_some()
            {
                return Err(Failure::input(format!(
                    "{} already has a framework for {year}",
                    next.code
                )));
            }
            let new_id = store
                .import_framework(
                    &next,
                    &format!("clone of {id}"),
                    &By::system("cli"),
                    chrono::Utc::now(),
                )
                .await
                .map_err(env)?;
            println!("Đã tạo {} năm {year} (mã {new_id}) từ mã {id}.", next.code);
            Ok(())
        }
        other => run(other),
    }
}

/// Decides what importing `f` does against the latest stored version of its code and year.
pub async fn plan_import(
    store: &Store,
    f: &Framework,
) -> Result<(Option<FrameworkId>, ImportDecision), Failure> {
    let latest = store
        .latest_framework(&f.code, f.year)
        .await
        .map_err(|e| Failure::env(e.to_string()))?;
    let decision = decide_import(latest.as_ref().map(|(_, stored)| stored), f)
        .map_err(|c| Failure::input(c.message(f, Lang::Vi)))?;
    Ok((latest.map(|(s, _)| s.id), decision))
}
