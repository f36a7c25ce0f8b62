//! Bulk writes for large generated datasets (`chiso demo generate`): multi-row INSERTs, one
//! transaction per call, the same SQL on both backends.
//!
//! Score rows are written with the ledger events the one-at-a-time functions write for a first
//! save (`save_self_entry`, `save_appraisal`, `save_answer`, `conclude_final`,
//! `set_survey_points`), chained after the stored head with
//! [`chiso_core::round::ledger::chain_hash`], so [`Store::verify_ledger`] holds. The head row
//! is locked first, as `append_ledger!` does, so concurrent appends wait rather than fork the
//! chain. Each call adds one audit entry that says what it wrote (the one-at-a-time functions
//! write one per change). These functions insert: a row that already exists fails the whole
//! call, which then writes nothing.

use crate::Store;
use crate::accounts::{NewAccount, normalize_username};
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::evidence::EvidenceMeta;
use crate::plans::{Goal, NewTask, PlanMeta, PlanStatus};
use crate::results::SurveyPoint;
use crate::rounds::RoundId;
use crate::time::to_millis;
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use chiso_core::round::appraisal::{Ask, Stage};
use chiso_core::round::entry::SelfEntry;
use chiso_core::round::ledger::{Event, EventKind, chain_hash};
use chiso_core::round::workflow::UnitState;
use chiso_core::text::fold;
use chiso_core::units::UnitType;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Bind parameters per statement: under SQLite's 32 766 (PostgreSQL allows 65 535).
const MAX_PARAMS: usize = 30_000;
/// Rows per statement: beyond a few hundred, longer statements gain little.
const MAX_ROWS: usize = 1_000;

/// How many rows of `columns` values one statement carries.
fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns.max(1)).clamp(1, MAX_ROWS)
}

/// `head` followed by `rows` groups of placeholders, then `tail`: numbered (`$1, $2, …`) for
/// PostgreSQL, anonymous (`?`) for SQLite, which binds those in order (for a named one it
/// looks the name up in a list, which makes long statements cost the square of their length).
fn values_sql(head: &str, columns: usize, rows: usize, tail: &str, numbered: bool) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * columns * 6);
    sql.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { " (" } else { ", (" });
        for c in 0..columns {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Whether a store's SQL numbers its placeholders (see [`values_sql`]).
fn numbered(store: &Store) -> bool {
    store.backend() == crate::Backend::Postgres
}

/// Inserts `$rows` through an open transaction, as many per statement as the parameter limit
/// allows; `$bind` binds one row's `$columns` values to `$q`.
macro_rules! insert_rows {
    ($store:expr, $tx:expr, $head:expr, $columns:expr, $rows:expr, |$q:ident, $r:ident| $bind:expr) => {{
        let numbered = numbered($store);
        for chunk in $rows.chunks(rows_per_statement($columns)) {
            let sql = values_sql($head, $columns, chunk.len(), "", numbered);
            let mut $q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for $r in chunk {
                $q = $bind;
            }
            $q.execute(&mut *$tx).await?;
        }
    }};
}

/// As `insert_rows!`, collecting what `$tail` (a `RETURNING` clause) gives as `$out` rows.
macro_rules! insert_returning {
    ($store:expr, $tx:expr, $head:expr, $columns:expr, $tail:expr, $rows:expr, $out:ty, |$q:ident, $r:ident| $bind:expr) => {{
        let numbered = numbered($store);
        let mut got: Vec<$out> = Vec::new();
        for chunk in $rows.chunks(rows_per_statement($columns)) {
            let sql = values_sql($head, $columns, chunk.len(), $tail, numbered);
            let mut $q = sqlx::query_as::<_, $out>(sqlx::AssertSqlSafe(sql));
            for $r in chunk {
                $q = $bind;
            }
            got.extend($q.fetch_all(&mut *$tx).await?);
        }
        got
    }};
}

/// Appends `$events` (a `Vec<Event>`) to the ledger through an open transaction: the head row
/// is locked and read once, the hashes chained in order, the rows inserted many at a time and
/// the head moved to the last one.
macro_rules! append_ledger_bulk {
    ($store:expr, $tx:expr, $events:expr) => {{
        let events: Vec<Event> = $events;
        if !events.is_empty() {
            let (mut seq, mut prev): (i64, String) = sqlx::query_as(
                "UPDATE ledger_head SET last_seq = last_seq WHERE id = 1 RETURNING last_seq, last_hash",
            )
            .fetch_one(&mut *$tx)
            .await?;
            let mut rows = Vec::with_capacity(events.len());
            for event in events {
                seq += 1;
                let hash = chain_hash(&prev, seq, &event);
                let prev_hash = std::mem::replace(&mut prev, hash.clone());
                rows.push((seq, event, prev_hash, hash));
            }
            insert_rows!(
                $store,
                $tx,
                "INSERT INTO score_ledger (seq, round_id, unit_id, node_code, kind, actor, at, old_value, new_value, reason, prev_hash, hash) VALUES",
                12,
                rows,
                |q, r| q
                    .bind(r.0)
                    .bind(r.1.round)
                    .bind(r.1.unit)
                    .bind(&r.1.node)
                    .bind(r.1.kind.code())
                    .bind(&r.1.actor)
                    .bind(r.1.at)
                    .bind(r.1.old_value.as_deref())
                    .bind(r.1.new_value.as_deref())
                    .bind(&r.1.reason)
                    .bind(&r.2)
                    .bind(&r.3)
            );
            sqlx::query("UPDATE ledger_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&prev)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// A unit to create; its parent is named by code (created in the same call or before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub parent_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A self-assessment entry saved once (version 1) by `actor` at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkEntry {
    pub unit: UnitId,
    pub node: String,
    pub entry: SelfEntry,
    pub points: Option<Points>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// An appraisal saved once: `points` appraised from `baseline` (the ledger's old value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkAppraisal {
    pub unit: UnitId,
    pub node: String,
    pub stage: Stage,
    pub points: Option<Points>,
    pub baseline: Option<Points>,
    pub reason: String,
    pub ask: Option<Ask>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A unit's answer to the appraisal of an item, with the score standing then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkAnswer {
    pub unit: UnitId,
    pub node: String,
    pub answer: String,
    pub standing: Option<Points>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A final score, written when round 2 concludes for the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkFinal {
    pub unit: UnitId,
    pub node: String,
    pub points: Option<Points>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A document of a unit (its content already stored in `Files`) and the items it backs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkEvidence {
    pub unit: UnitId,
    pub sha256: String,
    pub size: i64,
    pub meta: EvidenceMeta,
    pub uploaded_by: String,
    pub at: DateTime<Utc>,
    /// (round, item) pairs it is linked to.
    pub links: Vec<(RoundId, String)>,
}

/// A plan with its goals and tasks; `done_on` per task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPlan {
    pub meta: PlanMeta,
    pub source: String,
    pub round: Option<RoundId>,
    pub issued: bool,
    pub goals: Vec<Goal>,
    pub tasks: Vec<(NewTask, Option<NaiveDate>)>,
    pub created_by: String,
    pub at: DateTime<Utc>,
}

/// Tables counted by [`Store::row_counts`].
pub const COUNTED_TABLES: [&str; 21] = [
    "units",
    "unit_attributes",
    "accounts",
    "frameworks",
    "framework_nodes",
    "rounds",
    "round_units",
    "self_entries",
    "appraisals",
    "explanations",
    "final_scores",
    "survey_points",
    "score_ledger",
    "evidence",
    "evidence_links",
    "plans",
    "plan_goals",
    "plan_tasks",
    "questionnaires",
    "survey_responses",
    "audit_log",
];

fn scaled(d: Decimal) -> Result<i64, StoreError> {
    Points::new(d)
        .to_scaled()
        .ok_or_else(|| StoreError::Corrupt(format!("{d}: more than four decimals")))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Creates units, parents before children, and gives every code's id.
    pub async fn bulk_units(
        &self,
        units: &[NewUnit],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, UnitId>, StoreError> {
        let ms = to_millis(now);
        let mut ids: HashMap<String, UnitId> = HashMap::new();
        transaction!(self, |tx| {
            let mut left: Vec<&NewUnit> = units.iter().collect();
            while !left.is_empty() {
                let (ready, wait): (Vec<&NewUnit>, Vec<&NewUnit>) = left
                    .into_iter()
                    .partition(|u| u.parent_code.as_ref().is_none_or(|p| ids.contains_key(p)));
                if ready.is_empty() {
                    return Err(StoreError::Corrupt(format!(
                        "unit {}: its parent is not among the units",
                        wait[0].code
                    )));
                }
                let got = insert_returning!(
                    self,
                    tx,
                    "INSERT INTO units (code, name, name_search, unit_type, parent_id, valid_from, valid_to, created_at, updated_at) VALUES",
                    9,
                    " RETURNING id, code",
                    ready,
                    (i64, String),
                    |q, u| q
                        .bind(&u.code)
                        .bind(&u.name)
                        .bind(fold(&u.name))
                        .bind(u.unit_type.code())
                        .bind(u.parent_code.as_ref().and_then(|p| ids.get(p)).map(|i| i.0))
                        .bind(u.valid_from)
                        .bind(u.valid_to)
                        .bind(ms)
                        .bind(ms)
                );
                for (id, code) in got {
                    ids.insert(code, UnitId(id));
                }
                left = wait;
            }
            let entry = NewEntry::new(
                now,
                by,
                "bulk.units",
                "unit",
                "bulk",
                format!("{} units", units.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(ids)
    }

    /// Sets units' attributes (each unit and name once).
    pub async fn bulk_unit_attributes(
        &self,
        rows: &[(UnitId, String, bool)],
    ) -> Result<usize, StoreError> {
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO unit_attributes (unit_id, name, value) VALUES",
                3,
                rows,
                |q, r| q.bind(r.0.0).bind(&r.1).bind(r.2)
            );
        });
        Ok(rows.len())
    }

    /// Creates accounts with their roles and field scopes, active, their password changed
    /// `now`.
    pub async fn bulk_accounts(
        &self,
        accounts: &[NewAccount],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let ms = to_millis(now);
        transaction!(self, |tx| {
            let got = insert_returning!(
                self,
                tx,
                "INSERT INTO accounts (username, full_name, full_name_search, title, email, unit_id, password_hash, \
                 must_change_password, active, demo, password_changed_at, created_at, updated_at) VALUES",
                13,
                " RETURNING id, username",
                accounts,
                (i64, String),
                |q, a| q
                    .bind(normalize_username(&a.username))
                    .bind(&a.details.full_name)
                    .bind(fold(&a.details.full_name))
                    .bind(&a.details.title)
                    .bind(a.details.email.as_deref())
                    .bind(a.details.unit.0)
                    .bind(&a.password_hash)
                    .bind(a.must_change_password)
                    .bind(a.details.active)
                    .bind(a.demo)
                    .bind(ms)
                    .bind(ms)
                    .bind(ms)
            );
            let id_of: HashMap<String, i64> = got.into_iter().map(|(i, u)| (u, i)).collect();
            let mut roles = Vec::new();
            let mut fields = Vec::new();
            for a in accounts {
                let id = id_of[&normalize_username(&a.username)];
                roles.extend(a.details.roles.iter().map(|r| (id, r.code())));
                fields.extend(a.details.fields.iter().map(|f| (id, f.as_str())));
            }
            insert_rows!(
                self,
                tx,
                "INSERT INTO account_roles (account_id, role) VALUES",
                2,
                roles,
                |q, r| q.bind(r.0).bind(r.1)
            );
            insert_rows!(
                self,
                tx,
                "INSERT INTO account_fields (account_id, field_code) VALUES",
                2,
                fields,
                |q, r| q.bind(r.0).bind(r.1)
            );
            let entry = NewEntry::new(
                now,
                by,
                "bulk.accounts",
                "account",
                "bulk",
                format!("{} accounts", accounts.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(accounts.len())
    }

    /// Saves first self-assessment entries (version 1) of a round, each with its `self`
    /// ledger event as `save_self_entry` writes it.
    pub async fn bulk_self_entries(
        &self,
        round: RoundId,
        rows: &[BulkEntry],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let prepared: Vec<(&BulkEntry, String, Option<i64>)> = rows
            .iter()
            .map(|r| Ok((r, json(&r.entry)?, r.points.and_then(Points::to_scaled))))
            .collect::<Result<_, StoreError>>()?;
        let events: Vec<Event> = prepared
            .iter()
            .map(|(r, _, scaled)| Event {
                round: round.0,
                unit: r.unit.0,
                node: r.node.clone(),
                kind: EventKind::SelfScore,
                actor: r.actor.clone(),
                at: to_millis(r.at),
                old_value: None,
                new_value: scaled.map(|v| v.to_string()),
                reason: r.entry.not_applicable.clone().unwrap_or_default(),
            })
            .collect();
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO self_entries (round_id, unit_id, node_code, entry, self_points_scaled, version, updated_at, updated_by) VALUES",
                8,
                prepared,
                |q, r| q
                    .bind(round.0)
                    .bind(r.0.unit.0)
                    .bind(&r.0.node)
                    .bind(&r.1)
                    .bind(r.2)
                    .bind(1i64)
                    .bind(to_millis(r.0.at))
                    .bind(&r.0.actor)
            );
            append_ledger_bulk!(self, tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "bulk.self_entries",
                "round",
                round,
                format!("{} entries", rows.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Saves first appraisals (version 1) of a round, each with its ledger event as
    /// `save_appraisal` writes it (the baseline as old value).
    pub async fn bulk_appraisals(
        &self,
        round: RoundId,
        rows: &[BulkAppraisal],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let events: Vec<Event> = rows
            .iter()
            .map(|r| Event {
                round: round.0,
                unit: r.unit.0,
                node: r.node.clone(),
                kind: r.stage.event(),
                actor: r.actor.clone(),
                at: to_millis(r.at),
                old_value: r
                    .baseline
                    .and_then(Points::to_scaled)
                    .map(|v| v.to_string()),
                new_value: r.points.and_then(Points::to_scaled).map(|v| v.to_string()),
                reason: r.reason.clone(),
            })
            .collect();
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO appraisals (round_id, unit_id, node_code, stage, points_scaled, corrected, reason, ask, version, updated_at, updated_by) VALUES",
                11,
                rows,
                |q, r| q
                    .bind(round.0)
                    .bind(r.unit.0)
                    .bind(&r.node)
                    .bind(r.stage.number())
                    .bind(r.points.and_then(Points::to_scaled))
                    .bind(None::<String>)
                    .bind(&r.reason)
                    .bind(r.ask.map(Ask::code))
                    .bind(1i64)
                    .bind(to_millis(r.at))
                    .bind(&r.actor)
            );
            append_ledger_bulk!(self, tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "bulk.appraisals",
                "round",
                round,
                format!("{} appraisals", rows.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Records units' answers of a round, each with its `explanation` ledger event as
    /// `save_answer` writes it.
    pub async fn bulk_answers(
        &self,
        round: RoundId,
        rows: &[BulkAnswer],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let events: Vec<Event> = rows
            .iter()
            .map(|r| {
                let value = r
                    .standing
                    .and_then(Points::to_scaled)
                    .map(|v| v.to_string());
                Event {
                    round: round.0,
                    unit: r.unit.0,
                    node: r.node.clone(),
                    kind: EventKind::Explanation,
                    actor: r.actor.clone(),
                    at: to_millis(r.at),
                    old_value: value.clone(),
                    new_value: value,
                    reason: r.answer.clone(),
                }
            })
            .collect();
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO explanations (round_id, unit_id, node_code, answer, updated_at, updated_by) VALUES",
                6,
                rows,
                |q, r| q
                    .bind(round.0)
                    .bind(r.unit.0)
                    .bind(&r.node)
                    .bind(&r.answer)
                    .bind(to_millis(r.at))
                    .bind(&r.actor)
            );
            append_ledger_bulk!(self, tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "bulk.answers",
                "round",
                round,
                format!("{} answers", rows.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Writes final scores of a round, each with its `final` ledger event as `conclude_final`
    /// writes it. The units' states are moved separately ([`Store::bulk_round_state`]).
    pub async fn bulk_finals(
        &self,
        round: RoundId,
        rows: &[BulkFinal],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let events: Vec<Event> = rows
            .iter()
            .map(|r| Event {
                round: round.0,
                unit: r.unit.0,
                node: r.node.clone(),
                kind: EventKind::Final,
                actor: r.actor.clone(),
                at: to_millis(r.at),
                old_value: None,
                new_value: r.points.and_then(Points::to_scaled).map(|v| v.to_string()),
                reason: String::new(),
            })
            .collect();
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO final_scores (round_id, unit_id, node_code, points_scaled, updated_at, updated_by) VALUES",
                6,
                rows,
                |q, r| q
                    .bind(round.0)
                    .bind(r.unit.0)
                    .bind(&r.node)
                    .bind(r.points.and_then(Points::to_scaled))
                    .bind(to_millis(r.at))
                    .bind(&r.actor)
            );
            append_ledger_bulk!(self, tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "bulk.final_scores",
                "round",
                round,
                format!("{} final scores", rows.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Stores first survey points of a round, each with its `survey` ledger event as
    /// `set_survey_points` writes it.
    pub async fn bulk_survey_points(
        &self,
        round: RoundId,
        rows: &[SurveyPoint],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let scaled: Vec<i64> = rows
            .iter()
            .map(|r| {
                r.points.to_scaled().ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "survey points {} of {}: more than four decimals",
                        r.points, r.node
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        let events: Vec<Event> = rows
            .iter()
            .zip(&scaled)
            .map(|(r, s)| Event {
                round: round.0,
                unit: r.unit.0,
                node: r.node.clone(),
                kind: EventKind::Survey,
                actor: by.name.clone(),
                at: to_millis(now),
                old_value: None,
                new_value: Some(s.to_string()),
                reason: match r.sample_size {
                    Some(n) => format!("{} (n = {n})", r.source),
                    None => r.source.clone(),
                },
            })
            .collect();
        let pairs: Vec<(&SurveyPoint, i64)> = rows.iter().zip(scaled).collect();
        transaction!(self, |tx| {
            insert_rows!(
                self,
                tx,
                "INSERT INTO survey_points (round_id, unit_id, node_code, points_scaled, sample_size, source, updated_at, updated_by) VALUES",
                8,
                pairs,
                |q, r| q
                    .bind(round.0)
                    .bind(r.0.unit.0)
                    .bind(&r.0.node)
                    .bind(r.1)
                    .bind(r.0.sample_size)
                    .bind(&r.0.source)
                    .bind(to_millis(now))
                    .bind(&by.name)
            );
            append_ledger_bulk!(self, tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "bulk.survey_points",
                "round",
                round,
                format!("{} survey points", rows.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Moves every unit of a round that is in state `from` to `to`; gives how many moved.
    pub async fn bulk_round_state(
        &self,
        round: RoundId,
        from: UnitState,
        to: UnitState,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let moved = transaction!(self, |tx| {
            let moved =
                sqlx::query("UPDATE round_units SET state = $2 WHERE round_id = $1 AND state = $3")
                    .bind(round.0)
                    .bind(to.code())
                    .bind(from.code())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            let entry = NewEntry::new(
                now,
                by,
                "bulk.unit_state",
                "round",
                round,
                format!("{moved} units: {} → {}", from.code(), to.code()),
            );
            record_audit!(tx, entry);
            moved
        });
        Ok(moved)
    }

    /// Records documents (contents already stored) and links each to its items. A document's
    /// (unit, SHA-256) must be new.
    pub async fn bulk_evidence(
        &self,
        docs: &[BulkEvidence],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        transaction!(self, |tx| {
            let got = insert_returning!(
                self,
                tx,
                "INSERT INTO evidence (unit_id, sha256, file_name, content_type, size, doc_number, doc_date, issuer, \
                 effective_date, uploaded_by, uploaded_at) VALUES",
                11,
                " RETURNING id, unit_id, sha256",
                docs,
                (i64, i64, String),
                |q, d| q
                    .bind(d.unit.0)
                    .bind(&d.sha256)
                    .bind(&d.meta.file_name)
                    .bind(&d.meta.content_type)
                    .bind(d.size)
                    .bind(&d.meta.doc_number)
                    .bind(d.meta.doc_date)
                    .bind(&d.meta.issuer)
                    .bind(d.meta.effective_date)
                    .bind(&d.uploaded_by)
                    .bind(to_millis(d.at))
            );
            let id_of: HashMap<(i64, String), i64> =
                got.into_iter().map(|(i, u, s)| ((u, s), i)).collect();
            let mut links = Vec::new();
            for d in docs {
                let id = id_of[&(d.unit.0, d.sha256.clone())];
                links.extend(d.links.iter().map(|(round, node)| (round.0, d, node, id)));
            }
            insert_rows!(
                self,
                tx,
                "INSERT INTO evidence_links (round_id, unit_id, node_code, evidence_id, linked_at, linked_by) VALUES",
                6,
                links,
                |q, l| q
                    .bind(l.0)
                    .bind(l.1.unit.0)
                    .bind(l.2)
                    .bind(l.3)
                    .bind(to_millis(l.1.at))
                    .bind(&l.1.uploaded_by)
            );
            let entry = NewEntry::new(
                now,
                by,
                "bulk.evidence",
                "evidence",
                "bulk",
                format!("{} documents, {} links", docs.len(), links.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(docs.len())
    }

    /// Creates plans with their goals and tasks (and the tasks' cooperating units). Each
    /// (unit, year) at most once per call, each task text at most once per plan.
    pub async fn bulk_plans(
        &self,
        plans: &[BulkPlan],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let document = json(&crate::plans::PlanDocument::default())?;
        let mut goals = Vec::new();
        let mut tasks = Vec::new();
        for (i, p) in plans.iter().enumerate() {
            for (position, g) in p.goals.iter().enumerate() {
                let values = [
                    g.baseline_points.and_then(Points::to_scaled),
                    g.baseline_max.and_then(Points::to_scaled),
                    g.baseline_percent.map(scaled).transpose()?,
                    g.baseline_rank,
                    g.baseline_rank_change,
                    g.target_points.and_then(Points::to_scaled),
                    g.target_percent.map(scaled).transpose()?,
                    g.target_rank,
                ];
                goals.push((i, position as i64, g, values));
            }
            let mut texts = std::collections::HashSet::new();
            for (t, done) in &p.tasks {
                if !texts.insert(&t.text) {
                    return Err(StoreError::Conflict(format!(
                        "task \"{}\" twice in plan {}",
                        t.text, p.meta.title
                    )));
                }
                tasks.push((i, t, *done, json(&t.deadline)?));
            }
        }
        transaction!(self, |tx| {
            let got = insert_returning!(
                self,
                tx,
                "INSERT INTO plans (unit_id, year, title, number, decision_date, issuer, status, source, round_id, sections, created_at, created_by) VALUES",
                12,
                " RETURNING id, unit_id, year",
                plans,
                (i64, i64, i64),
                |q, p| q
                    .bind(p.meta.unit.0)
                    .bind(i64::from(p.meta.year))
                    .bind(&p.meta.title)
                    .bind(&p.meta.number)
                    .bind(p.meta.decision_date)
                    .bind(&p.meta.issuer)
                    .bind(
                        if p.issued {
                            PlanStatus::Issued
                        } else {
                            PlanStatus::Draft
                        }
                        .code()
                    )
                    .bind(&p.source)
                    .bind(p.round.map(|r| r.0))
                    .bind(&document)
                    .bind(to_millis(p.at))
                    .bind(&p.created_by)
            );
            let by_key: HashMap<(i64, i64), i64> =
                got.into_iter().map(|(id, u, y)| ((u, y), id)).collect();
            let plan_ids: Vec<i64> = plans
                .iter()
                .map(|p| by_key[&(p.meta.unit.0, i64::from(p.meta.year))])
                .collect();
            insert_rows!(
                self,
                tx,
                "INSERT INTO plan_goals (plan_id, position, field_code, field_name, baseline_points, baseline_max, baseline_percent, \
                 baseline_rank, baseline_rank_change, target_points, target_percent, target_rank, target_group) VALUES",
                13,
                goals,
                |q, g| q
                    .bind(plan_ids[g.0])
                    .bind(g.1)
                    .bind(&g.2.field_code)
                    .bind(&g.2.field_name)
                    .bind(g.3[0])
                    .bind(g.3[1])
                    .bind(g.3[2])
                    .bind(g.3[3])
                    .bind(g.3[4])
                    .bind(g.3[5])
                    .bind(g.3[6])
                    .bind(g.3[7])
                    .bind(&g.2.target_group)
            );
            let got = insert_returning!(
                self,
                tx,
                "INSERT INTO plan_tasks (plan_id, text, field_code, node_codes, lead_unit_id, deadline, output, expected_points, done_on, created_at) VALUES",
                10,
                " RETURNING id, plan_id, text",
                tasks,
                (i64, i64, String),
                |q, t| q
                    .bind(plan_ids[t.0])
                    .bind(&t.1.text)
                    .bind(&t.1.field_code)
                    .bind(t.1.node_codes.join(","))
                    .bind(t.1.lead_unit.map(|u| u.0))
                    .bind(&t.3)
                    .bind(&t.1.output)
                    .bind(t.1.expected_points.and_then(Points::to_scaled))
                    .bind(t.2)
                    .bind(to_millis(plans[t.0].at))
            );
            let task_id: HashMap<(i64, String), i64> = got
                .into_iter()
                .map(|(id, p, text)| ((p, text), id))
                .collect();
            let mut cooperators = Vec::new();
            for (i, t, _, _) in &tasks {
                let id = task_id[&(plan_ids[*i], t.text.clone())];
                cooperators.extend(t.cooperators.iter().map(|u| (id, u.0)));
            }
            insert_rows!(
                self,
                tx,
                "INSERT INTO task_cooperators (task_id, unit_id) VALUES",
                2,
                cooperators,
                |q, c| q.bind(c.0).bind(c.1)
            );
            let entry = NewEntry::new(
                now,
                by,
                "bulk.plans",
                "plan",
                "bulk",
                format!("{} plans, {} tasks", plans.len(), tasks.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(plans.len())
    }

    /// The ledger's head: the number of entries and the last hash (the genesis when empty).
    /// Two databases with the same score events in the same order have the same head.
    pub async fn ledger_head(&self) -> Result<(i64, String), StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as("SELECT last_seq, last_hash FROM ledger_head WHERE id = 1")
                .fetch_one(pool)
                .await
        })?)
    }

    /// The number of rows of each of [`COUNTED_TABLES`].
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::with_capacity(COUNTED_TABLES.len());
        for table in COUNTED_TABLES {
            let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
            let n: i64 = read!(self, |pool| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_one(pool)
                    .await
            })?;
            out.push((table, n));
        }
        Ok(out)
    }

    /// Refreshes the query planner's statistics (`ANALYZE`, on either backend): worth it after
    /// a bulk load, before the first queries.
    ///
    /// On SQLite only the row counts per index (`sqlite_stat1`) are kept: with the value samples
    /// of `sqlite_stat4`, SQLite prepares a statement again each time it is run with other
    /// values (its plan might depend on them), which cost a fifth of the server's throughput
    /// under load (`bench/load`), for plans no better on chiso's queries.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match &self.db {
            crate::db::Db::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                sqlx::query("ANALYZE").execute(&mut *conn).await?;
                let stat4: Option<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'",
                )
                .fetch_optional(&mut *conn)
                .await?;
                if stat4.is_some() {
                    sqlx::query("DELETE FROM sqlite_stat4")
                        .execute(&mut *conn)
                        .await?;
                    // Reloads the statistics into this connection's schema.
                    sqlx::query("ANALYZE sqlite_schema")
                        .execute(&mut *conn)
                        .await?;
                }
            }
            crate::db::Db::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;
    use chiso_core::round::appraisal::AppraisalInput;
    use chiso_core::round::entry::self_score;

    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b) VALUES", 2, 2, " RETURNING a", true),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a, b) VALUES", 2, 2, "", false),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(rows_per_statement(12), 1000);
        assert_eq!(rows_per_statement(100), 300);
    }

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_765_000_000 + 60 * minute, 0).unwrap()
    }

    /// A round of two communes on the commune framework, in a fresh database.
    async fn round(db: &TestDb) -> (RoundId, Vec<UnitId>, chiso_core::framework::Framework) {
        let store = &db.store;
        store.seed_demo("hash", at(0)).await.unwrap();
        let f = chiso_core::framework::library::all()
            .into_iter()
            .find(|(n, _)| n.contains("commune"))
            .and_then(|(_, f)| f.ok())
            .unwrap();
        let by = By::system("t");
        let fid = store.import_framework(&f, "t", &by, at(1)).await.unwrap();
        let mut units = Vec::new();
        for code in ["XA-TANLAP", "XA-HOABINH"] {
            units.push(store.unit_by_code(code).await.unwrap().unwrap().id);
        }
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let schedule = chiso_core::round::schedule::Schedule {
            self_assessment_opens: d(12, 1),
            submission_due: d(12, 20),
            appraisal1_due: d(12, 24),
            explanation_due: d(12, 27),
            appraisal2_due: d(12, 30),
        };
        let r = store
            .create_round(fid, "t", &schedule, &units, &by, at(2))
            .await
            .unwrap();
        (r, units, f)
    }

    /// What the one-at-a-time functions and the bulk ones write for the same work: the same
    /// rows and the same ledger, hash for hash.
    async fn same_as_one_at_a_time(one: TestDb, bulk: TestDb) {
        let (r, units, f) = round(&one).await;
        assert_eq!(round(&bulk).await.0, r);
        let leaves: Vec<_> = f
            .leaves()
            .into_iter()
            .filter(|n| n.rule.as_ref().is_some_and(|r| r.kind() == "levels"))
            .take(4)
            .collect();
        let survey = f
            .leaves()
            .into_iter()
            .find(|n| n.rule.as_ref().is_some_and(|r| r.kind() == "survey"))
            .unwrap();
        let council = By::system("hung.hoidong");
        let by = By::system("t");
        let mut entries = Vec::new();
        let mut finals = Vec::new();
        for (k, u) in units.iter().enumerate() {
            for (i, node) in leaves.iter().enumerate() {
                let entry = SelfEntry {
                    level: Some((i + k) % 2),
                    explanation: "x".into(),
                    ..Default::default()
                };
                let points = self_score(node, &entry).unwrap();
                entries.push(BulkEntry {
                    unit: *u,
                    node: node.code.clone(),
                    entry,
                    points,
                    actor: format!("dau-moi.{k}"),
                    at: at(10 + i as i64),
                });
                finals.push(BulkFinal {
                    unit: *u,
                    node: node.code.clone(),
                    points,
                    actor: council.name.clone(),
                    at: at(40),
                });
            }
        }
        let first = &entries[0];
        let cut = Points::ZERO;
        let appraisal = |stage, points, baseline, ask| BulkAppraisal {
            unit: first.unit,
            node: first.node.clone(),
            stage,
            points,
            baseline,
            reason: "thiếu tài liệu".into(),
            ask,
            actor: council.name.clone(),
            at: at(20),
        };
        let one_a = appraisal(Stage::One, Some(cut), first.points, Some(Ask::Explanation));
        let two_a = appraisal(Stage::Two, first.points, Some(cut), None);
        let answer = BulkAnswer {
            unit: first.unit,
            node: first.node.clone(),
            answer: "đã bổ sung".into(),
            standing: Some(cut),
            actor: "dau-moi.0".into(),
            at: at(30),
        };
        let points = vec![SurveyPoint {
            unit: units[1],
            node: survey.code.clone(),
            points: Points::parse("2.75").unwrap(),
            sample_size: Some(31),
            source: "Khảo sát".into(),
        }];
        // One at a time.
        let s = &one.store;
        for e in &entries {
            s.save_self_entry(
                r.0,
                e.unit.0,
                &e.node,
                &e.entry,
                e.points,
                0,
                &By::system(&e.actor),
                e.at,
            )
            .await
            .unwrap();
        }
        for a in [&one_a, &two_a] {
            let input = AppraisalInput {
                points: a.points,
                reason: a.reason.clone(),
                ask: a.ask,
                ..Default::default()
            };
            s.save_appraisal(
                r, a.unit, &a.node, a.stage, &input, a.points, a.baseline, 0, &council, a.at,
            )
            .await
            .unwrap();
            if a.stage == Stage::One {
                s.save_answer(
                    r,
                    answer.unit,
                    &answer.node,
                    &answer.answer,
                    answer.standing,
                    &By::system(&answer.actor),
                    answer.at,
                )
                .await
                .unwrap();
            }
        }
        for u in &units {
            let mine: Vec<(String, Option<Points>)> = finals
                .iter()
                .filter(|f| f.unit == *u)
                .map(|f| (f.node.clone(), f.points))
                .collect();
            s.conclude_final(r, *u, UnitState::Drafting, &mine, &council, at(40))
                .await
                .unwrap();
        }
        s.set_survey_points(r, &points, &by, at(50)).await.unwrap();
        // In bulk.
        let b = &bulk.store;
        b.bulk_self_entries(r, &entries, &by, at(60)).await.unwrap();
        b.bulk_appraisals(r, std::slice::from_ref(&one_a), &by, at(60))
            .await
            .unwrap();
        b.bulk_answers(r, std::slice::from_ref(&answer), &by, at(60))
            .await
            .unwrap();
        b.bulk_appraisals(r, std::slice::from_ref(&two_a), &by, at(60))
            .await
            .unwrap();
        b.bulk_finals(r, &finals, &by, at(60)).await.unwrap();
        assert_eq!(
            b.bulk_round_state(r, UnitState::Drafting, UnitState::Final, &by, at(60))
                .await
                .unwrap(),
            2
        );
        b.bulk_survey_points(r, &points, &by, at(50)).await.unwrap();

        assert_eq!(
            s.ledger_head().await.unwrap(),
            b.ledger_head().await.unwrap()
        );
        assert_eq!(s.ledger_head().await.unwrap().0, 8 + 2 + 1 + 8 + 1);
        assert_eq!(b.verify_ledger().await.unwrap(), Ok(20));
        assert_eq!(
            s.round_scores(r).await.unwrap(),
            b.round_scores(r).await.unwrap()
        );
        assert_eq!(
            s.survey_points(r).await.unwrap(),
            b.survey_points(r).await.unwrap()
        );
        assert_eq!(
            s.round_units(r).await.unwrap(),
            b.round_units(r).await.unwrap()
        );
        for u in &units {
            assert_eq!(
                s.self_entries(r.0, u.0).await.unwrap(),
                b.self_entries(r.0, u.0).await.unwrap()
            );
            assert_eq!(
                s.appraisals(r, *u).await.unwrap(),
                b.appraisals(r, *u).await.unwrap()
            );
            assert_eq!(
                s.answers(r, *u).await.unwrap(),
                b.answers(r, *u).await.unwrap()
            );
        }
        one.finish().await;
        bulk.finish().await;
    }

    #[tokio::test]
    async fn bulk_writes_equal_one_at_a_time_writes_on_sqlite() {
        same_as_one_at_a_time(TestDb::sqlite().await, TestDb::sqlite().await).await;
    }

    #[tokio::test]
    async fn bulk_writes_equal_one_at_a_time_writes_on_postgres() {
        let (Some(one), Some(bulk)) = (TestDb::postgres().await, TestDb::postgres().await) else {
            return;
        };
        same_as_one_at_a_time(one, bulk).await;
    }

    #[tokio::test]
    async fn units_accounts_evidence_and_plans_in_bulk() {
        for db in [Some(TestDb::sqlite().await), TestDb::postgres().await]
            .into_iter()
            .flatten()
        {
            let s = &db.store;
            let by = By::system("t");
            let day = |m, d| NaiveDate::from_ymd_opt(2020, m, d).unwrap();
            let unit = |code: &str, t, parent: Option<&str>| NewUnit {
                code: code.into(),
                name: format!("Đơn vị {code}"),
                unit_type: t,
                parent_code: parent.map(str::to_string),
                valid_from: day(1, 1),
                valid_to: None,
            };
            // Children listed before their parent still find it.
            let ids = s
                .bulk_units(
                    &[
                        unit("XA-A", UnitType::Commune, Some("P")),
                        unit("P", UnitType::Province, None),
                        unit("SNV", UnitType::Department, Some("P")),
                    ],
                    &by,
                    at(0),
                )
                .await
                .unwrap();
            assert_eq!(ids.len(), 3);
            assert_eq!(s.unit(ids["XA-A"]).await.unwrap().parent, Some(ids["P"]));
            s.bulk_unit_attributes(&[(ids["XA-A"], "has_one_stop_shop".into(), false)])
                .await
                .unwrap();
            let account = NewAccount {
                username: "Focal0001".into(),
                details: crate::accounts::AccountDetails {
                    full_name: "Đầu mối".into(),
                    title: "Công chức".into(),
                    email: None,
                    unit: ids["XA-A"],
                    roles: [chiso_core::roles::Role::FocalPoint].into(),
                    fields: vec!["1".into(), "2".into()],
                    active: true,
                },
                password_hash: "hash".into(),
                must_change_password: false,
                demo: true,
            };
            s.bulk_accounts(&[account], &by, at(0)).await.unwrap();
            let (a, _) = s.account_for_login("focal0001").await.unwrap().unwrap();
            assert_eq!(a.fields, vec!["1".to_string(), "2".to_string()]);
            assert!(a.roles.contains(&chiso_core::roles::Role::FocalPoint));
            let task = |text: &str| {
                (
                    NewTask {
                        text: text.into(),
                        field_code: "1".into(),
                        node_codes: vec!["1.1".into()],
                        lead_unit: Some(ids["XA-A"]),
                        cooperators: vec![ids["SNV"]],
                        deadline: chiso_core::plan::Deadline::Year { year: 2026 },
                        output: String::new(),
                        expected_points: Points::parse("0.5"),
                    },
                    Some(day(3, 1)),
                )
            };
            let plan = BulkPlan {
                meta: PlanMeta {
                    unit: ids["XA-A"],
                    year: 2026,
                    title: "Kế hoạch".into(),
                    number: "1/KH-UBND".into(),
                    decision_date: Some(day(2, 1)),
                    issuer: "UBND xã".into(),
                },
                source: "draft_from_results".into(),
                round: None,
                issued: true,
                goals: vec![Goal {
                    field_code: "1".into(),
                    field_name: "Chỉ đạo".into(),
                    baseline_percent: Some(Decimal::new(8125, 2)),
                    ..Default::default()
                }],
                tasks: vec![task("A"), task("B")],
                created_by: "t".into(),
                at: at(0),
            };
            s.bulk_plans(std::slice::from_ref(&plan), &by, at(0))
                .await
                .unwrap();
            let stored = &s.plans().await.unwrap()[0];
            let full = s.plan(stored.id).await.unwrap();
            assert_eq!(full.tasks.len(), 2);
            assert_eq!(full.tasks[1].task.cooperators, vec![ids["SNV"]]);
            assert_eq!(full.tasks[0].done_on, Some(day(3, 1)));
            assert_eq!(full.goals[0].baseline_percent, Some(Decimal::new(8125, 2)));
            let mut twice = plan.clone();
            twice.tasks = vec![task("A"), task("A")];
            twice.meta.year = 2027;
            assert!(matches!(
                s.bulk_plans(&[twice], &by, at(0)).await,
                Err(StoreError::Conflict(_))
            ));
            let doc = BulkEvidence {
                unit: ids["XA-A"],
                sha256: "ab".repeat(32),
                size: 5,
                meta: EvidenceMeta {
                    file_name: "kh.txt".into(),
                    content_type: "text/plain".into(),
                    doc_number: "12/KH-UBND".into(),
                    doc_date: Some(day(1, 15)),
                    issuer: "UBND xã".into(),
                    effective_date: None,
                },
                uploaded_by: "t".into(),
                at: at(0),
                links: Vec::new(),
            };
            s.bulk_evidence(&[doc], &by, at(0)).await.unwrap();
            let counts: HashMap<&str, i64> = s.row_counts().await.unwrap().into_iter().collect();
            assert_eq!(counts["evidence"], 1);
            assert_eq!(counts["units"], 3);
            assert_eq!(counts["plan_tasks"], 2);
            s.analyze().await.unwrap();
            db.finish().await;
        }
    }
}
