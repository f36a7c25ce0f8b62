//! `chiso framework …`: check, convert and compare framework files, with no database.

use crate::Failure;
use chiso_core::framework::{Framework, diff};
use chiso_core::lang::Lang;
use chiso_reports::framework_file::{self, FileFormat, LoadError};
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
    }
}
