//! Login attempts, kept for throttling (shared by every app server) and for the audit trail.

use crate::Store;
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::throttle::RecentFailures;
use chrono::{DateTime, Utc};

impl Store {
    /// Records one attempt.
    pub async fn record_login_attempt(
        &self,
        username: &str,
        ip: &str,
        at: DateTime<Utc>,
        success: bool,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO login_attempts (username, ip, at, success) VALUES ($1, $2, $3, $4)",
            )
            .bind(username)
            .bind(ip)
            .bind(to_millis(at))
            .bind(success)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Failed attempts since `since` for a user name and from an address, oldest first.
    pub async fn recent_login_failures(
        &self,
        username: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<RecentFailures, StoreError> {
        let since = to_millis(since);
        let (for_account, from_address): (Vec<i64>, Vec<i64>) = read!(self, |pool| {
            let a = sqlx::query_scalar(
                "SELECT at FROM login_attempts WHERE username = $1 AND at > $2 AND NOT success ORDER BY at",
            )
            .bind(username)
            .bind(since)
            .fetch_all(pool)
            .await?;
            let b = sqlx::query_scalar("SELECT at FROM login_attempts WHERE ip = $1 AND at > $2 AND NOT success ORDER BY at")
                .bind(ip)
                .bind(since)
                .fetch_all(pool)
                .await?;
            Ok::<_, sqlx::Error>((a, b))
        })?;
        Ok(RecentFailures {
            for_account: for_account.into_iter().map(from_millis).collect(),
            from_address: from_address.into_iter().map(from_millis).collect(),
        })
    }
}
