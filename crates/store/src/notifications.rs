//! The in-app inbox: notices to accounts (a round opened, a deadline is near, scores returned
//! for explanation, appraisal finished), each shown until read and, where e-mail is configured,
//! sent once.

use crate::Store;
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::{AccountId, UnitId};
use chrono::{DateTime, Utc};

/// A notice in an inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub account: AccountId,
    /// A stable code (`round_opened`, `deadline`, `explanation`, `final`).
    pub kind: String,
    /// What the notice is about (round and unit names).
    pub subject: String,
    /// Where it leads, a local path.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A notice to send by e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEmail {
    pub id: i64,
    pub to: String,
    pub name: String,
    pub kind: String,
    pub subject: String,
    pub link: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    kind: String,
    subject: String,
    link: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl Store {
    /// The active accounts of a unit (everyone the unit's notices go to).
    pub async fn unit_account_ids(&self, unit: UnitId) -> Result<Vec<AccountId>, StoreError> {
        let ids: Vec<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM accounts WHERE unit_id = $1 AND active = $2 ORDER BY id",
            )
            .bind(unit.0)
            .bind(true)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids.into_iter().map(AccountId).collect())
    }

    /// Puts a notice in each account's inbox. With a `dedupe_key`, an account gets the notice
    /// once however many times (or servers) ask: reminders use it. Returns how many were new.
    pub async fn notify(
        &self,
        accounts: &[AccountId],
        kind: &str,
        subject: &str,
        link: &str,
        dedupe_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut written = 0;
        transaction!(self, |tx| {
            for account in accounts {
                let key = dedupe_key.map(|k| format!("{k}:{account}"));
                written += sqlx::query(
                    "INSERT INTO notifications (account_id, kind, subject, link, dedupe_key, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
                )
                .bind(account.0)
                .bind(kind)
                .bind(subject)
                .bind(link)
                .bind(key)
                .bind(to_millis(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        });
        Ok(written)
    }

    /// An account's notices, newest first.
    pub async fn inbox(
        &self,
        account: AccountId,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, account_id, kind, subject, link, created_at, read_at FROM notifications \
                 WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(account.0)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Notification {
                id: r.id,
                account: AccountId(r.account_id),
                kind: r.kind,
                subject: r.subject,
                link: r.link,
                created_at: from_millis(r.created_at),
                read: r.read_at.is_some(),
            })
            .collect())
    }

    /// How many notices an account has not read.
    pub async fn unread_count(&self, account: AccountId) -> Result<i64, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE account_id = $1 AND read_at IS NULL",
            )
            .bind(account.0)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Marks all of an account's notices read.
    pub async fn mark_all_read(
        &self,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE notifications SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL",
            )
            .bind(account.0)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Notices not yet e-mailed to accounts that have an address, oldest first.
    pub async fn pending_emails(&self, limit: i64) -> Result<Vec<PendingEmail>, StoreError> {
        let rows: Vec<(i64, String, String, String, String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT n.id, a.email, a.full_name, n.kind, n.subject, n.link FROM notifications n \
                 JOIN accounts a ON a.id = n.account_id \
                 WHERE n.emailed_at IS NULL AND a.email IS NOT NULL AND a.email <> '' \
                 ORDER BY n.id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, to, name, kind, subject, link)| PendingEmail {
                id,
                to,
                name,
                kind,
                subject,
                link,
            })
            .collect())
    }

    /// Records that a notice was e-mailed. Returns false when another server already did.
    pub async fn mark_emailed(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = write!(self, |pool| {
            sqlx::query(
                "UPDATE notifications SET emailed_at = $2 WHERE id = $1 AND emailed_at IS NULL",
            )
            .bind(id)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }
}
