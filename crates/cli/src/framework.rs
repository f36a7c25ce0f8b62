//! `chiso framework …`: check, convert and compare framework files, with no database.

use crate::Failure;
use chiso_core::framework::Framework;
use chiso_core::framework::validate::validate;
use chiso_core::framework::{diff, yaml};
use chiso_core::lang::Lang;
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
}

enum Format {
    Yaml,
}

fn format_of(path: &Path) -> Result<Format, Failure> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("yaml" | "yml") => Ok(Format::Yaml),
        Some("xlsx") => Err(Failure::env(format!(
            "{}: Excel frameworks are not supported yet; use .yaml",
            path.display()
        ))),
        _ => Err(Failure::env(format!(
            "{}: the file name must end in .yaml or .yml",
            path.display()
        ))),
    }
}

/// Reads and checks a file: the framework, or exit 1 with every problem, each prefixed by
/// the file name.
pub fn load(path: &Path) -> Result<Framework, Failure> {
    let name = path.display().to_string();
    let Format::Yaml = format_of(path)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
    let framework = yaml::from_yaml(&text)
        .map_err(|e| Failure::input(format!("{name}: {}", e.message(Lang::Vi))))?;
    let problems = validate(&framework);
    if !problems.is_empty() {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{name}: {}", p.message(Lang::Vi)))
            .collect();
        return Err(Failure::input(format!(
            "{} lỗi:\n{}",
            problems.len(),
            lines.join("\n")
        )));
    }
    Ok(framework)
}

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
            let Format::Yaml = format_of(&output)?;
            std::fs::write(&output, yaml::to_yaml(&f))
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
    }
}
