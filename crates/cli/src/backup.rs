//! `chiso backup OUT`, `chiso restore IN` and `chiso copy-db --from URL --to URL`.
//!
//! A backup is one zip file: `chiso-backup.json` (the format, the schema version, each table's
//! columns and row count, the ledger's length and head), `tables/NAME.jsonl` (one JSON array of
//! values per row, read in one consistent snapshot while the server keeps running) and
//! `files/SHA256` (every evidence or report file a row names, checked against its hash). It does
//! not depend on the backend, so the same file restores into SQLite or PostgreSQL; `copy-db`
//! is a backup into a temporary file and a restore, then a check that every table has the same
//! rows and the ledger verifies.

use crate::Failure;
use crate::config::Settings;
use chiso_store::Store;
use chiso_store::backup::{Dumped, Table};
use chiso_store::evidence::Files;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

const MANIFEST: &str = "chiso-backup.json";
const FORMAT: u32 = 1;

/// What a backup holds, written last into the zip.
#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    schema_version: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    chiso_version: String,
    tables: Vec<TableEntry>,
    files: usize,
    ledger_entries: i64,
}

#[derive(Serialize, Deserialize)]
struct TableEntry {
    #[serde(flatten)]
    table: Table,
    rows: u64,
}

fn env(e: impl std::fmt::Display) -> Failure {
    Failure::env(e.to_string())
}

/// Writes a backup of `store` (and the files rows name, from `files`) to `out`, through a
/// temporary file renamed at the end: `out` is whole or absent.
async fn backup(store: &Store, files: Option<&Files>, out: &Path) -> Result<Manifest, Failure> {
    let tmp = out.with_extension("partial");
    let file =
        std::fs::File::create(&tmp).map_err(|e| Failure::env(format!("{}: {e}", tmp.display())))?;
    let result = write_backup(store, files, file).await;
    match result {
        Ok(m) => {
            std::fs::rename(&tmp, out)
                .map_err(|e| Failure::env(format!("{}: {e}", out.display())))?;
            Ok(m)
        }
        Err(f) => {
            let _ = std::fs::remove_file(&tmp);
            Err(f)
        }
    }
}

async fn write_backup(
    store: &Store,
    files: Option<&Files>,
    file: std::fs::File,
) -> Result<Manifest, Failure> {
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let schema_version = store.schema_version().await.map_err(env)?;
    let mut tables: Vec<TableEntry> = Vec::new();
    let mut shas: BTreeSet<String> = BTreeSet::new();
    let mut line = Vec::new();
    store
        .export_tables(|d| match d {
            Dumped::Table(t) => {
                zip.start_file(format!("tables/{}.jsonl", t.name), deflated)
                    .map_err(|e| chiso_store::StoreError::Files(e.to_string()))?;
                tables.push(TableEntry {
                    table: t.clone(),
                    rows: 0,
                });
                Ok(())
            }
            Dumped::Row(t, values) => {
                // Columns named for a SHA-256 hold the key of a stored file.
                for (c, v) in t.columns.iter().zip(&values) {
                    if c.name.ends_with("sha256")
                        && let Value::String(s) = v
                    {
                        shas.insert(s.clone());
                    }
                }
                line.clear();
                serde_json::to_writer(&mut line, &values)
                    .map_err(|e| chiso_store::StoreError::Corrupt(e.to_string()))?;
                line.push(b'\n');
                zip.write_all(&line)
                    .map_err(|e| chiso_store::StoreError::Files(e.to_string()))?;
                if let Some(last) = tables.last_mut() {
                    last.rows += 1;
                }
                Ok(())
            }
        })
        .await
        .map_err(env)?;
    let mut copied = 0;
    if let Some(files) = files {
        for sha in &shas {
            let bytes = files.get(sha).await.map_err(|e| {
                Failure::env(format!(
                    "the file {sha} named in the database cannot be read: {e}"
                ))
            })?;
            if chiso_core::round::evidence::sha256(&bytes) != *sha {
                return Err(Failure::env(format!(
                    "the stored file {sha} does not match its SHA-256; it is damaged"
                )));
            }
            zip.start_file(format!("files/{sha}"), stored)
                .map_err(env)?;
            zip.write_all(&bytes).map_err(env)?;
            copied += 1;
        }
    }
    let ledger_entries = match store.verify_ledger().await.map_err(env)? {
        Ok(n) => n,
        Err(broken) => {
            return Err(Failure::input(broken.message(chiso_core::lang::Lang::Vi)));
        }
    };
    let manifest = Manifest {
        format: FORMAT,
        schema_version,
        created_at: chrono::Utc::now(),
        chiso_version: env!("CARGO_PKG_VERSION").to_string(),
        tables,
        files: copied,
        ledger_entries,
    };
    zip.start_file(MANIFEST, deflated).map_err(env)?;
    serde_json::to_writer_pretty(&mut zip, &manifest).map_err(env)?;
    let mut inner = zip.finish().map_err(env)?;
    inner.flush().map_err(env)?;
    inner
        .into_inner()
        .map_err(|e| Failure::env(e.to_string()))?
        .sync_all()
        .map_err(env)?;
    Ok(manifest)
}

/// Loads a backup into `store` (freshly migrated, empty) and its files into `files`; checks
/// the row counts and the ledger afterwards.
async fn restore(store: &Store, files: Option<&Files>, input: &Path) -> Result<Manifest, Failure> {
    let open = || -> Result<zip::ZipArchive<std::fs::File>, Failure> {
        let f = std::fs::File::open(input)
            .map_err(|e| Failure::input(format!("{}: {e}", input.display())))?;
        zip::ZipArchive::new(f)
            .map_err(|e| Failure::input(format!("{}: not a chiso backup ({e})", input.display())))
    };
    let mut zip = open()?;
    let manifest: Manifest = {
        let entry = zip.by_name(MANIFEST).map_err(|_| {
            Failure::input(format!(
                "{}: not a chiso backup (no {MANIFEST})",
                input.display()
            ))
        })?;
        serde_json::from_reader(entry)
            .map_err(|e| Failure::input(format!("{}: {MANIFEST}: {e}", input.display())))?
    };
    if manifest.format != FORMAT {
        return Err(Failure::input(format!(
            "{}: backup format {} (this chiso reads {FORMAT})",
            input.display(),
            manifest.format
        )));
    }
    let ours = store.schema_version().await.map_err(env)?;
    if manifest.schema_version > ours {
        return Err(Failure::input(format!(
            "{}: made by a newer chiso (schema {}, this one {ours}); restore it with that version",
            input.display(),
            manifest.schema_version
        )));
    }
    // The files first, so that no row ever names a file that is not there.
    if let Some(files) = files {
        let names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n.starts_with("files/"))
            .map(|n| n.to_string())
            .collect();
        for name in names {
            let sha = name.trim_start_matches("files/").to_string();
            let mut bytes = Vec::new();
            zip.by_name(&name)
                .map_err(env)?
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::input(format!("{}: {name}: {e}", input.display())))?;
            if chiso_core::round::evidence::sha256(&bytes) != sha {
                return Err(Failure::input(format!(
                    "{}: {name} does not match its SHA-256; the backup is damaged",
                    input.display()
                )));
            }
            files.put(&sha, bytes).await.map_err(env)?;
        }
    }
    let tables: Vec<(Table, Vec<String>)> = manifest
        .tables
        .iter()
        .map(|t| {
            let names = t.table.columns.iter().map(|c| c.name.clone()).collect();
            (t.table.clone(), names)
        })
        .collect();
    let path = input.display().to_string();
    store
        .import_tables(&tables, |t| {
            let name = format!("tables/{}.jsonl", t.name);
            let bad = |e: &dyn std::fmt::Display| {
                chiso_store::StoreError::Corrupt(format!("{path}: {name}: {e}"))
            };
            // One table at a time, unpacked to a nameless temporary file and read line by line,
            // so a table of millions of rows never sits in memory.
            let spill = std::env::temp_dir().join(format!(
                "chiso-restore-{}-{}.jsonl",
                std::process::id(),
                t.name
            ));
            let mut out = std::fs::File::create(&spill).map_err(|e| bad(&e))?;
            std::io::copy(&mut zip.by_name(&name).map_err(|e| bad(&e))?, &mut out)
                .map_err(|e| bad(&e))?;
            let reader = std::fs::File::open(&spill).map_err(|e| bad(&e))?;
            let _ = std::fs::remove_file(&spill);
            let path = path.clone();
            Ok(BufReader::new(reader)
                .lines()
                .enumerate()
                .map(move |(i, l)| {
                    let l = l.map_err(|e| {
                        chiso_store::StoreError::Corrupt(format!("{path}: {name}: {e}"))
                    })?;
                    serde_json::from_str::<Vec<Value>>(&l).map_err(|e| {
                        chiso_store::StoreError::Corrupt(format!(
                            "{path}: {name}, line {}: {e}",
                            i + 1
                        ))
                    })
                }))
        })
        .await
        .map_err(|e| Failure::input(e.to_string()))?;
    check_copy(store, &manifest).await?;
    Ok(manifest)
}

/// Checks a loaded database against the manifest: every table's rows, and the ledger.
async fn check_copy(store: &Store, manifest: &Manifest) -> Result<(), Failure> {
    let counts = store.table_counts().await.map_err(env)?;
    for t in &manifest.tables {
        let n = counts.get(&t.table.name).copied().unwrap_or(0);
        if n as u64 != t.rows {
            return Err(Failure::env(format!(
                "table {}: {} rows loaded, {} in the backup",
                t.table.name, n, t.rows
            )));
        }
    }
    match store.verify_ledger().await.map_err(env)? {
        Ok(n) if n == manifest.ledger_entries => Ok(()),
        Ok(n) => Err(Failure::env(format!(
            "the ledger has {n} entries, the backup {}",
            manifest.ledger_entries
        ))),
        Err(broken) => Err(Failure::env(broken.message(chiso_core::lang::Lang::Vi))),
    }
}

/// The evidence storage the settings name.
fn files_of(store: &Store, settings: &Settings) -> Result<Files, Failure> {
    Ok(
        chiso_web::AppState::new(store.clone(), settings.web_config())
            .map_err(env)?
            .files,
    )
}

fn summary(what: &str, m: &Manifest) {
    let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
    println!(
        "{what}: {} bảng, {rows} dòng, {} tệp, sổ điểm {} bản ghi (lược đồ {}).",
        m.tables.len(),
        m.files,
        m.ledger_entries,
        m.schema_version
    );
}

/// `chiso backup OUT`.
pub async fn run_backup(store: &Store, settings: &Settings, out: PathBuf) -> Result<(), Failure> {
    let files = files_of(store, settings)?;
    let m = backup(store, Some(&files), &out).await?;
    summary(&format!("Đã sao lưu vào {}", out.display()), &m);
    Ok(())
}

/// `chiso restore IN`.
pub async fn run_restore(
    store: &Store,
    settings: &Settings,
    input: PathBuf,
) -> Result<(), Failure> {
    let files = files_of(store, settings)?;
    let m = restore(store, Some(&files), &input).await?;
    summary(&format!("Đã khôi phục từ {}", input.display()), &m);
    Ok(())
}

/// `chiso copy-db --from URL --to URL`: the rows move; evidence files stay where the settings
/// keep them (both databases name the same files).
pub async fn run_copy(from: &Store, to: &Store) -> Result<(), Failure> {
    let tmp = std::env::temp_dir().join(format!(
        "chiso-copy-{}-{}.zip",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    ));
    let result = async {
        let m = backup(from, None, &tmp).await?;
        restore(to, None, &tmp).await?;
        let (a, b) = (
            from.table_counts().await.map_err(env)?,
            to.table_counts().await.map_err(env)?,
        );
        let differ: BTreeMap<&String, (i64, i64)> = a
            .iter()
            .filter_map(|(t, n)| {
                let m = b.get(t).copied().unwrap_or(-1);
                (m != *n).then_some((t, (*n, m)))
            })
            .collect();
        if !differ.is_empty() {
            return Err(Failure::env(format!("the copy differs: {differ:?}")));
        }
        Ok(m)
    }
    .await;
    let _ = std::fs::remove_file(&tmp);
    let m = result?;
    summary("Đã chép cơ sở dữ liệu", &m);
    Ok(())
}
