//! The score ledger in storage: appended in the same transaction as the score it records,
//! never updated, verified by recomputing the hash chain.

use crate::Store;
use crate::error::StoreError;
use chiso_core::round::ledger::{self, Broken, Entry, Event, EventKind};

#[derive(sqlx::FromRow)]
struct LedgerRow {
    seq: i64,
    round_id: i64,
    unit_id: i64,
    node_code: String,
    kind: String,
    actor: String,
    at: i64,
    old_value: Option<String>,
    new_value: Option<String>,
    reason: String,
    prev_hash: String,
    hash: String,
}

fn kind_of(code: &str) -> Option<EventKind> {
    EventKind::from_code(code)
}

impl TryFrom<LedgerRow> for Entry {
    type Error = StoreError;
    fn try_from(r: LedgerRow) -> Result<Self, StoreError> {
        Ok(Entry {
            seq: r.seq,
            event: Event {
                round: r.round_id,
                unit: r.unit_id,
                node: r.node_code,
                kind: kind_of(&r.kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("ledger kind {}", r.kind)))?,
                actor: r.actor,
                at: r.at,
                old_value: r.old_value,
                new_value: r.new_value,
                reason: r.reason,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
    }
}

/// Appends events through an open transaction (`&mut *tx`); evaluates to the new entries.
macro_rules! append_ledger {
    ($tx:expr, $events:expr) => {{
        let mut appended = Vec::new();
        for event in $events {
            // Taking the head row first serialises concurrent appends (row lock / write lock).
            let (seq, prev): (i64, String) = sqlx::query_as(
                "UPDATE ledger_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash",
            )
            .fetch_one(&mut *$tx)
            .await?;
            let hash = chiso_core::round::ledger::chain_hash(&prev, seq, &event);
            sqlx::query(
                "INSERT INTO score_ledger (seq, round_id, unit_id, node_code, kind, actor, at, old_value, new_value, reason, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(seq)
            .bind(event.round)
            .bind(event.unit)
            .bind(&event.node)
            .bind(event.kind.code())
            .bind(&event.actor)
            .bind(event.at)
            .bind(event.old_value.as_deref())
            .bind(event.new_value.as_deref())
            .bind(&event.reason)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *$tx)
            .await?;
            sqlx::query("UPDATE ledger_head SET last_hash = $1 WHERE id = 1")
                .bind(&hash)
                .execute(&mut *$tx)
                .await?;
            appended.push(chiso_core::round::ledger::Entry { seq, event, prev_hash: prev, hash });
        }
        appended
    }};
}

impl Store {
    /// Appends score events on their own transaction (score writes append in theirs).
    pub async fn append_ledger(&self, events: Vec<Event>) -> Result<Vec<Entry>, StoreError> {
        Ok(transaction!(self, |tx| append_ledger!(tx, events.clone())))
    }

    /// The ledger of one item (round, unit, node), oldest first: its history.
    pub async fn ledger_for(
        &self,
        round: i64,
        unit: i64,
        node: &str,
    ) -> Result<Vec<Entry>, StoreError> {
        let rows: Vec<LedgerRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT seq, round_id, unit_id, node_code, kind, actor, at, old_value, new_value, reason, prev_hash, hash \
                 FROM score_ledger WHERE round_id = $1 AND unit_id = $2 AND node_code = $3 ORDER BY seq",
            )
            .bind(round)
            .bind(unit)
            .bind(node)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(Entry::try_from).collect()
    }

    /// Recomputes the whole chain, in pages; `Ok(n)` with the number of entries when intact.
    pub async fn verify_ledger(&self) -> Result<Result<i64, Broken>, StoreError> {
        const PAGE: i64 = 5000;
        let mut after = 0i64;
        let mut prev = ledger::GENESIS.to_string();
        let mut count = 0i64;
        loop {
            let rows: Vec<LedgerRow> = read!(self, |pool| {
                sqlx::query_as(
                    "SELECT seq, round_id, unit_id, node_code, kind, actor, at, old_value, new_value, reason, prev_hash, hash \
                     FROM score_ledger WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(PAGE)
                .fetch_all(pool)
                .await
            })?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let e = Entry::try_from(row)?;
                if e.seq != count + 1 || e.prev_hash != prev {
                    return Ok(Err(Broken {
                        seq: e.seq,
                        why: ledger::BrokenWhy::Unlinked,
                    }));
                }
                if ledger::chain_hash(&e.prev_hash, e.seq, &e.event) != e.hash {
                    return Ok(Err(Broken {
                        seq: e.seq,
                        why: ledger::BrokenWhy::Altered,
                    }));
                }
                prev = e.hash;
                count += 1;
                after = e.seq;
            }
        }
        Ok(Ok(count))
    }
}
