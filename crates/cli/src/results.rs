//! `chiso results …`: rank a CSV of results for data people, with no database.

use crate::Failure;
use chiso_core::framework::Points;
use chiso_core::lang::Lang;
use chiso_core::results::BandScale;
use chiso_core::results::table::{parse_table, rank_table, to_csv, to_json};
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ResultsCommand {
    /// Rank a CSV file: a header row, a `unit` column, one `total` column or score columns
    /// (summed), optional `previous_total` and `previous_rank`. `,` or `;` separators; decimal
    /// commas in `;` files. Rows go to stdout in rank order; every bad row is listed on stderr
    /// with its line (exit 1, nothing on stdout).
    Rank {
        /// The CSV file.
        #[arg(long)]
        input: PathBuf,
        /// The maximum total (the index is total ÷ max × 100).
        #[arg(long, default_value = "100")]
        max: String,
        /// `national` (A ≥ 90, B ≥ 80, C ≥ 70), `internal` (Xuất sắc/Tốt/Khá/Trung bình/Yếu,
        /// default thresholds) or a list such as `A:90,B:80,C:70,D:0`.
        #[arg(long, default_value = "national")]
        bands: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// Runs a results command.
pub fn run(command: ResultsCommand) -> Result<(), Failure> {
    match command {
        ResultsCommand::Rank {
            input,
            max,
            bands,
            format,
        } => {
            let max = Points::parse(&max)
                .filter(|m| m.is_positive())
                .ok_or_else(|| {
                    Failure::env(format!("--max \"{max}\" phải là một số dương, ví dụ 100."))
                })?;
            let bands = BandScale::parse(&bands).map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| e.message(Lang::Vi)).collect();
                Failure::env(format!("--bands: {}", lines.join(" ")))
            })?;
            let name = input.display().to_string();
            let bytes = std::fs::read(&input)
                .map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
            let rows = parse_table(&bytes, max).map_err(|errors| {
                let lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{name}: {}", e.message(Lang::Vi)))
                    .collect();
                Failure::input(format!("{} lỗi:\n{}", errors.len(), lines.join("\n")))
            })?;
            let ranked = rank_table(&rows, max, &bands);
            let text = match format {
                Format::Csv => to_csv(&ranked),
                Format::Json => to_json(&ranked),
            };
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| Failure::env(format!("cannot write the output: {e}")))
        }
    }
}
