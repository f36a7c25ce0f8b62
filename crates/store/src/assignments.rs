//! A round's assignments in storage: who enters each field of each unit, who appraises each
//! field. What they allow is decided in `chiso_core::round::assignment` and the policy.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::rounds::RoundId;
use chiso_core::ids::{AccountId, UnitId};
use chiso_core::round::assignment::Assignments;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

impl Store {
    /// Every assignment of a round.
    pub async fn round_assignments(&self, round: RoundId) -> Result<Assignments, StoreError> {
        let entry: Vec<(i64, String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, field_code, account_id FROM round_entry_assignments WHERE round_id = $1",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        let appraisal: Vec<(String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT field_code, account_id FROM round_appraisers WHERE round_id = $1",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        let mut out = Assignments::default();
        for (unit, field, account) in entry {
            out.entry
                .entry((UnitId(unit), field))
                .or_default()
                .insert(AccountId(account));
        }
        for (field, account) in appraisal {
            out.appraisal
                .entry(field)
                .or_default()
                .insert(AccountId(account));
        }
        Ok(out)
    }

    /// Names the accounts that enter `field` of `unit` in a round (none: back to the default),
    /// replacing the previous names, with an audit entry.
    pub async fn set_entry_assignment(
        &self,
        round: RoundId,
        unit: UnitId,
        field: &str,
        accounts: &BTreeSet<AccountId>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self
            .round_assignments(round)
            .await?
            .entry
            .remove(&(unit, field.to_string()))
            .unwrap_or_default();
        if &before == accounts {
            return Ok(());
        }
        transaction!(self, |tx| {
            sqlx::query(
                "DELETE FROM round_entry_assignments WHERE round_id = $1 AND unit_id = $2 AND field_code = $3",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(field)
            .execute(&mut *tx)
            .await?;
            for a in accounts {
                sqlx::query(
                    "INSERT INTO round_entry_assignments (round_id, unit_id, field_code, account_id) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(round.0)
                .bind(unit.0)
                .bind(field)
                .bind(a.0)
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "round.assign_entry",
                "round",
                round,
                format!("{unit}: {field}"),
            )
            .before(
                &serde_json::json!({ "unit": unit.0, "field": field, "accounts": ids(&before) }),
            )
            .after(
                &serde_json::json!({ "unit": unit.0, "field": field, "accounts": ids(accounts) }),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Names the appraisers of `field` in a round (none: back to account scopes), replacing the
    /// previous names, with an audit entry.
    pub async fn set_round_appraisers(
        &self,
        round: RoundId,
        field: &str,
        accounts: &BTreeSet<AccountId>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self
            .round_assignments(round)
            .await?
            .appraisal
            .remove(field)
            .unwrap_or_default();
        if &before == accounts {
            return Ok(());
        }
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM round_appraisers WHERE round_id = $1 AND field_code = $2")
                .bind(round.0)
                .bind(field)
                .execute(&mut *tx)
                .await?;
            for a in accounts {
                sqlx::query(
                    "INSERT INTO round_appraisers (round_id, field_code, account_id) VALUES ($1, $2, $3)",
                )
                .bind(round.0)
                .bind(field)
                .bind(a.0)
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "round.assign_appraisers",
                "round",
                round,
                field.to_string(),
            )
            .before(&serde_json::json!({ "field": field, "accounts": ids(&before) }))
            .after(&serde_json::json!({ "field": field, "accounts": ids(accounts) }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// The rounds whose evidence links include a document (to let those who entered it for
    /// another unit read it back).
    pub async fn evidence_rounds(&self, evidence: i64) -> Result<Vec<RoundId>, StoreError> {
        let rows: Vec<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT round_id FROM evidence_links WHERE evidence_id = $1 ORDER BY round_id",
            )
            .bind(evidence)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(RoundId).collect())
    }
}

fn ids(accounts: &BTreeSet<AccountId>) -> Vec<i64> {
    accounts.iter().map(|a| a.0).collect()
}
