//! `chiso units …` and `chiso create-admin`.

use crate::Failure;
use crate::config::Settings;
use chiso_core::lang::Lang;
use chiso_core::roles::Role;
use chiso_core::units::import;
use chiso_store::Store;
use chiso_store::accounts::{AccountDetails, NewAccount, normalize_username};
use chiso_store::audit::By;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum UnitsCommand {
    /// Import units from a CSV file (all rows or none). Prints every error with its line.
    Import {
        file: PathBuf,
        /// Check the file and show what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write every unit to a file: `.csv` in the import format, `.xlsx` for reading and printing.
    Export { out: PathBuf },
}

pub async fn run(store: &Store, command: UnitsCommand) -> Result<(), Failure> {
    match command {
        UnitsCommand::Import { file, dry_run } => {
            let name = file.display().to_string();
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
            let existing = store
                .all_units()
                .await
                .map_err(|e| Failure::env(e.to_string()))?;
            let plan = import::parse(&bytes)
                .and_then(|rows| import::plan(rows, &existing))
                .map_err(|errors| {
                    let lines: Vec<String> = errors
                        .iter()
                        .map(|e| format!("{name}: {}", e.message(Lang::Vi)))
                        .collect();
                    Failure::input(format!(
                        "{} lỗi, không có gì được nhập:\n{}",
                        errors.len(),
                        lines.join("\n")
                    ))
                })?;
            for c in &plan.creates {
                println!(
                    "  + {} {} ({})",
                    c.draft.code, c.draft.name, c.draft.unit_type
                );
            }
            for u in &plan.updates {
                println!("  ~ {} {}", u.draft.code, u.draft.name);
            }
            if dry_run {
                println!(
                    "Dry run: {} to create, {} to update, {} unchanged. Nothing was written.",
                    plan.creates.len(),
                    plan.updates.len(),
                    plan.unchanged
                );
                return Ok(());
            }
            let outcome = store
                .apply_unit_import(&plan, &name, &By::system("cli"), chrono::Utc::now())
                .await
                .map_err(|e| Failure::env(e.to_string()))?;
            println!(
                "Imported {name}: {} created, {} updated, {} unchanged.",
                outcome.created, outcome.updated, outcome.unchanged
            );
            Ok(())
        }
        UnitsCommand::Export { out } => {
            let mut units = store
                .all_units()
                .await
                .map_err(|e| Failure::env(e.to_string()))?;
            units.sort_by_cached_key(|u| (u.unit_type, chiso_core::text::collation_key(&u.name)));
            let extension = out
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let bytes = match extension.as_deref() {
                Some("xlsx") => {
                    let today = chiso_core::format::vietnam_day(chrono::Utc::now());
                    chiso_reports::units::units_workbook(&units, today, Lang::Vi)
                        .map_err(|e| Failure::env(e.to_string()))?
                }
                Some("csv") => import::export_csv(&units).into_bytes(),
                _ => {
                    return Err(Failure::env(format!(
                        "{}: the file name must end in .csv or .xlsx",
                        out.display()
                    )));
                }
            };
            std::fs::write(&out, bytes)
                .map_err(|e| Failure::env(format!("cannot write {}: {e}", out.display())))?;
            println!("Wrote {} units to {}.", units.len(), out.display());
            Ok(())
        }
    }
}

pub async fn create_admin(
    store: &Store,
    settings: &Settings,
    username: &str,
    name: &str,
    unit_code: &str,
) -> Result<(), Failure> {
    let unit = store
        .unit_by_code(&chiso_core::units::normalize_code(unit_code))
        .await
        .map_err(|e| Failure::env(e.to_string()))?
        .ok_or_else(|| {
            Failure::input(format!(
                "no unit with code {unit_code}; import units first (chiso units import FILE)"
            ))
        })?;
    let mut bytes = [0u8; 9];
    getrandom::fill(&mut bytes).map_err(|e| Failure::env(e.to_string()))?;
    let password: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash =
        chiso_web::auth::password::hash_async(password.clone(), settings.web_config().password)
            .await;
    let new = NewAccount {
        username: normalize_username(username),
        details: AccountDetails {
            full_name: chiso_core::text::clean(name),
            title: String::new(),
            email: None,
            unit: unit.id,
            roles: [Role::Admin].into_iter().collect(),
            fields: vec![],
            active: true,
        },
        password_hash: hash,
        must_change_password: true,
        demo: false,
    };
    store
        .create_account(&new, &By::system("cli"), chrono::Utc::now())
        .await
        .map_err(|e| match e {
            chiso_store::StoreError::Conflict(_) => {
                Failure::input(format!("account {} already exists", new.username))
            }
            e => Failure::env(e.to_string()),
        })?;
    println!("Administrator {} created in {}.", new.username, unit.name);
    println!("One-time password (must be changed at first sign-in): {password}");
    Ok(())
}
