//! Self-assessment entries: saved with a version (a stale save is refused, showing what is
//! stored now) and with their ledger event in the same transaction.

use crate::Store;
use crate::audit::By;
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::framework::points::Points;
use chiso_core::round::entry::SelfEntry;
use chiso_core::round::ledger::{Event, EventKind};
use chrono::{DateTime, Utc};

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub entry: SelfEntry,
    pub self_points: Option<Points>,
    /// 0 before the first save.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved since this version was read: nothing was written; here is theirs.
    Conflict(Box<StoredEntry>),
}

#[derive(sqlx::FromRow)]
struct CodedEntryRow {
    node_code: String,
    entry: String,
    self_points_scaled: Option<i64>,
    version: i64,
    updated_at: i64,
    updated_by: String,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    entry: String,
    self_points_scaled: Option<i64>,
    version: i64,
    updated_at: i64,
    updated_by: String,
}

fn stored(r: EntryRow) -> Result<StoredEntry, StoreError> {
    Ok(StoredEntry {
        entry: serde_json::from_str(&r.entry)
            .map_err(|e| StoreError::Corrupt(format!("entry: {e}")))?,
        self_points: r.self_points_scaled.map(Points::from_scaled),
        version: r.version,
        updated_at: from_millis(r.updated_at),
        updated_by: r.updated_by,
    })
}

/// Saves one entry through an open transaction: the version check, the write, and the ledger
/// event when the score changed. Gives the outcome; a concurrent writer is `Err(Conflict)`.
macro_rules! save_entry {
    ($tx:ident, $round:expr, $unit:expr, $node:expr, $json:expr, $scaled:expr, $entry:expr, $expected_version:expr, $by:expr, $now:expr) => {{
        let (round, unit, node, json, scaled, entry, expected_version, by, now): (
            i64,
            i64,
            &str,
            &str,
            Option<i64>,
            &SelfEntry,
            i64,
            &By,
            DateTime<Utc>,
        ) = (
            $round,
            $unit,
            $node,
            $json,
            $scaled,
            $entry,
            $expected_version,
            $by,
            $now,
        );
            let current: Option<EntryRow> = sqlx::query_as(
            "SELECT entry, self_points_scaled, version, updated_at, updated_by FROM self_entries \
             WHERE round_id = $1 AND unit_id = $2 AND node_code = $3",
        )
        .bind(round)
        .bind(unit)
        .bind(node)
        .fetch_optional(&mut *$tx)
        .await?;
        let current_version = current.as_ref().map_or(0, |c| c.version);
        if current_version != expected_version {
            // A version for an item never saved (a hand-edited sheet, a client's guess) is a
            // conflict with the empty entry, not an error.
            SaveOutcome::Conflict(Box::new(match current {
                Some(row) => stored(row)?,
                None => StoredEntry {
                    entry: SelfEntry::default(),
                    self_points: None,
                    version: 0,
                    updated_at: now,
                    updated_by: String::new(),
                },
            }))
        } else {
            let version = current_version + 1;
            // The version in the WHERE clause makes a concurrent writer's update a no-op.
            let written = sqlx::query(
                "INSERT INTO self_entries (round_id, unit_id, node_code, entry, self_points_scaled, version, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (round_id, unit_id, node_code) DO UPDATE SET entry = $4, self_points_scaled = $5, \
                 version = $6, updated_at = $7, updated_by = $8 WHERE self_entries.version = $9",
            )
            .bind(round)
            .bind(unit)
            .bind(node)
            .bind(json)
            .bind(scaled)
            .bind(version)
            .bind(to_millis(now))
            .bind(&by.name)
            .bind(current_version)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if written == 0 {
                return Err(StoreError::Conflict(format!("entry {round}/{unit}/{node}")));
            }
            let old = current.as_ref().and_then(|c| c.self_points_scaled);
            if old != scaled || current.is_none() {
                let event = Event {
                    round,
                    unit,
                    node: node.to_string(),
                    kind: EventKind::SelfScore,
                    actor: by.name.clone(),
                    at: to_millis(now),
                    old_value: old.map(|v| v.to_string()),
                    new_value: scaled.map(|v| v.to_string()),
                    reason: entry.not_applicable.clone().unwrap_or_default(),
                };
                append_ledger!($tx, [event]);
            }
            SaveOutcome::Saved { version }
        }
            }};
}

impl Store {
    /// Every stored entry of a unit in a round, by node code, in one query.
    pub async fn self_entries(
        &self,
        round: i64,
        unit: i64,
    ) -> Result<std::collections::HashMap<String, StoredEntry>, StoreError> {
        let rows: Vec<CodedEntryRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT node_code, entry, self_points_scaled, version, updated_at, updated_by FROM self_entries \
                 WHERE round_id = $1 AND unit_id = $2",
            )
            .bind(round)
            .bind(unit)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                let e = stored(EntryRow {
                    entry: r.entry,
                    self_points_scaled: r.self_points_scaled,
                    version: r.version,
                    updated_at: r.updated_at,
                    updated_by: r.updated_by,
                })?;
                Ok((r.node_code, e))
            })
            .collect()
    }

    /// The stored entry for one item, if any.
    pub async fn self_entry(
        &self,
        round: i64,
        unit: i64,
        node: &str,
    ) -> Result<Option<StoredEntry>, StoreError> {
        let row: Option<EntryRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT entry, self_points_scaled, version, updated_at, updated_by FROM self_entries \
                 WHERE round_id = $1 AND unit_id = $2 AND node_code = $3",
            )
            .bind(round)
            .bind(unit)
            .bind(node)
            .fetch_optional(pool)
            .await
        })?;
        row.map(stored).transpose()
    }

    /// Saves an entry read at `expected_version` (0 if new) with its computed self score.
    /// A changed score is appended to the ledger in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_self_entry(
        &self,
        round: i64,
        unit: i64,
        node: &str,
        entry: &SelfEntry,
        self_points: Option<Points>,
        expected_version: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        let json = serde_json::to_string(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let scaled = self_points.and_then(Points::to_scaled);
        match self
            .try_save(
                round,
                unit,
                node,
                &json,
                scaled,
                entry,
                expected_version,
                by,
                now,
            )
            .await
        {
            // A writer that committed between our check and our write: show theirs.
            Err(StoreError::Conflict(_)) => {
                let current = self
                    .self_entry(round, unit, node)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("conflict without a row".into()))?;
                Ok(SaveOutcome::Conflict(Box::new(current)))
            }
            other => other,
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn try_save(
        &self,
        round: i64,
        unit: i64,
        node: &str,
        json: &str,
        scaled: Option<i64>,
        entry: &SelfEntry,
        expected_version: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        let outcome = transaction!(self, |tx| {
            save_entry!(
                tx,
                round,
                unit,
                node,
                json,
                scaled,
                entry,
                expected_version,
                by,
                now
            )
        });
        Ok(outcome)
    }

    /// Saves several entries of a unit in one transaction (an uploaded scoring sheet): all or
    /// none. Any entry changed since it was read refuses the whole batch, naming those codes.
    pub async fn save_self_entries(
        &self,
        round: i64,
        unit: i64,
        items: &[(String, SelfEntry, Option<Points>, i64)],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut rows = Vec::with_capacity(items.len());
        for (node, entry, points, version) in items {
            let json =
                serde_json::to_string(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            rows.push((
                node,
                entry,
                json,
                points.and_then(Points::to_scaled),
                *version,
            ));
        }
        transaction!(self, |tx| {
            let mut conflicts = Vec::new();
            for (node, entry, json, scaled, version) in &rows {
                let outcome = save_entry!(
                    tx, round, unit, node, json, *scaled, entry, *version, by, now
                );
                if let SaveOutcome::Conflict(_) = outcome {
                    conflicts.push(node.to_string());
                }
            }
            if !conflicts.is_empty() {
                return Err(StoreError::Conflict(conflicts.join(", ")));
            }
        });
        Ok(items.len())
    }
}
