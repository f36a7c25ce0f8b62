//! Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so a
//! copy of the database does not let anyone sign in. Any app server can check any session.

use crate::Store;
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::AccountId;
use chrono::{DateTime, Utc};

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub account: AccountId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub account: AccountId,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    account_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

impl Store {
    /// Stores a new session.
    pub async fn create_session(&self, s: &NewSession<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip) \
                 VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
            )
            .bind(s.token_hash)
            .bind(s.account.0)
            .bind(s.csrf_token)
            .bind(to_millis(s.now))
            .bind(to_millis(s.expires_at))
            .bind(s.user_agent)
            .bind(s.ip)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The live session with this token hash, if it has not expired.
    pub async fn live_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let row: Option<SessionRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT s.token_hash, s.account_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active",
            )
            .bind(token_hash)
            .bind(to_millis(now))
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|r| Session {
            token_hash: r.token_hash,
            account: AccountId(r.account_id),
            csrf_token: r.csrf_token,
            created_at: from_millis(r.created_at),
            last_seen_at: from_millis(r.last_seen_at),
            expires_at: from_millis(r.expires_at),
        }))
    }

    /// Extends a session that is in use.
    pub async fn extend_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .bind(to_millis(now))
            .bind(to_millis(expires_at))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends one session (logout).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(to_millis(now))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Number of live sessions of an account.
    pub async fn count_sessions(
        &self,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE account_id = $1 AND expires_at > $2")
                .bind(account.0)
                .bind(to_millis(now))
                .fetch_one(pool)
                .await
        })?)
    }
}
