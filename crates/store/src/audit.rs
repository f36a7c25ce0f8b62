//! The append-only audit log: who did what, when, with the state before and after.
//!
//! Entries are written in the same transaction as the change they describe, so a change is
//! never committed without its entry. The tables' triggers refuse updates and deletes.

use crate::Store;
use crate::error::StoreError;
use crate::time::from_millis;
use chiso_core::ids::AccountId;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who made a change: an account, or the system itself (demo seed, CLI import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct By {
    pub account: Option<AccountId>,
    pub name: String,
}

impl By {
    /// A change made by a signed-in account.
    pub fn account(id: AccountId, username: &str) -> By {
        By {
            account: Some(id),
            name: username.to_string(),
        }
    }

    /// A change made by chiso itself or its command line, described by `name`.
    pub fn system(name: &str) -> By {
        By {
            account: None,
            name: name.to_string(),
        }
    }
}

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub at: DateTime<Utc>,
    pub by: By,
    /// A dotted code such as `unit.create`, `account.password_reset`.
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    /// One line a person can read in the log.
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl NewEntry {
    /// Starts an entry; add states with [`NewEntry::before`] and [`NewEntry::after`].
    pub fn new(
        at: DateTime<Utc>,
        by: &By,
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
        summary: impl Into<String>,
    ) -> NewEntry {
        NewEntry {
            at,
            by: by.clone(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            summary: summary.into(),
            before: None,
            after: None,
        }
    }

    /// Records the state before the change.
    pub fn before(mut self, state: &impl Serialize) -> NewEntry {
        self.before = serde_json::to_value(state).ok();
        self
    }

    /// Records the state after the change.
    pub fn after(mut self, state: &impl Serialize) -> NewEntry {
        self.after = serde_json::to_value(state).ok();
        self
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<AccountId>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    summary: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Self {
        Entry {
            id: r.id,
            at: from_millis(r.at),
            actor_id: r.actor_id.map(AccountId),
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            summary: r.summary,
            before: r.before_json,
            after: r.after_json,
        }
    }
}

/// Appends an entry through an open transaction (`&mut *tx`).
macro_rules! record_audit {
    ($tx:expr, $entry:expr) => {{
        let e: &$crate::audit::NewEntry = &$entry;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, summary, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($crate::time::to_millis(e.at))
        .bind(e.by.account.map(|a| a.0))
        .bind(&e.by.name)
        .bind(e.action)
        .bind(e.entity)
        .bind(&e.entity_id)
        .bind(&e.summary)
        .bind(e.before.as_ref().map(|v| v.to_string()))
        .bind(e.after.as_ref().map(|v| v.to_string()))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<AccountId>,
    /// Only entries with an id below this (for paging back in time).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Store {
    /// Appends one entry on its own (for events that change nothing else, like a login).
    pub async fn record(&self, entry: NewEntry) -> Result<(), StoreError> {
        transaction!(self, |tx| record_audit!(tx, entry));
        Ok(())
    }

    /// Newest entries first.
    pub async fn audit_entries(&self, filter: &Filter) -> Result<Vec<Entry>, StoreError> {
        let limit = if filter.limit <= 0 {
            100
        } else {
            filter.limit.min(1000)
        };
        let rows: Vec<EntryRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, at, actor_id, actor, action, entity, entity_id, summary, before_json, after_json \
                 FROM audit_log \
                 WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
                   AND ($3 IS NULL OR actor_id = $3) AND ($4 IS NULL OR id < $4) \
                 ORDER BY id DESC LIMIT $5",
            )
            .bind(filter.entity.as_deref())
            .bind(filter.entity_id.as_deref())
            .bind(filter.actor_id.map(|a| a.0))
            .bind(filter.before_id)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }

    /// The latest entry of one action on one record with this summary (e.g. a unit's
    /// submission in a round), however long the record's history.
    pub async fn last_audit_entry(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        summary: &str,
    ) -> Result<Option<Entry>, StoreError> {
        let row: Option<EntryRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, at, actor_id, actor, action, entity, entity_id, summary, before_json, after_json \
                 FROM audit_log WHERE action = $1 AND entity = $2 AND entity_id = $3 AND summary = $4 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(summary)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(Entry::from))
    }
}
