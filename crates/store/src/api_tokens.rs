//! Personal API tokens. The client holds a random secret; only its SHA-256 is stored, as for
//! sessions. A token acts as its account, so it stops working when the account is deactivated.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::AccountId;
use chrono::{DateTime, Duration, Utc};

/// How stale `last_used_at` may get before a request writes it again.
const TOUCH_EVERY_MINUTES: i64 = 5;

/// A token as listed (never with its secret or hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub account: AccountId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    account_id: i64,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        ApiToken {
            id: r.id,
            account: AccountId(r.account_id),
            name: r.name,
            created_at: from_millis(r.created_at),
            last_used_at: r.last_used_at.map(from_millis),
            revoked_at: r.revoked_at.map(from_millis),
        }
    }
}

impl Store {
    /// Stores a new token for an account, audited; returns its id.
    pub async fn create_api_token(
        &self,
        account: AccountId,
        name: &str,
        token_hash: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let id = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (account_id, name, token_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(account.0)
            .bind(name)
            .bind(token_hash)
            .bind(to_millis(now))
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::new(now, by, "api_token.create", "api_token", id, name)
                .after(&serde_json::json!({ "account": account.0, "name": name }));
            record_audit!(tx, entry);
            id
        });
        Ok(id)
    }

    /// An account's tokens, revoked ones included, newest first.
    pub async fn api_tokens(&self, account: AccountId) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<TokenRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, account_id, name, created_at, last_used_at, revoked_at \
                 FROM api_tokens WHERE account_id = $1 ORDER BY id DESC",
            )
            .bind(account.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    /// Revokes one of an account's live tokens, audited. `NotFound` if the account has no such
    /// live token (another account's token counts as missing).
    pub async fn revoke_api_token(
        &self,
        account: AccountId,
        id: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let name: Option<String> = sqlx::query_scalar(
                "UPDATE api_tokens SET revoked_at = $3 \
                 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING name",
            )
            .bind(id)
            .bind(account.0)
            .bind(to_millis(now))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(name) = name else {
                return Err(StoreError::NotFound);
            };
            let entry = NewEntry::new(now, by, "api_token.revoke", "api_token", id, name)
                .before(&serde_json::json!({ "account": account.0, "revoked": false }))
                .after(&serde_json::json!({ "account": account.0, "revoked": true }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// The live token with this hash: not revoked, of an active account. Its last use is
    /// written at most every few minutes rather than on every request.
    pub async fn live_api_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiToken>, StoreError> {
        let row: Option<TokenRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT t.id, t.account_id, t.name, t.created_at, t.last_used_at, t.revoked_at \
                 FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
        })?;
        let Some(mut token) = row.map(ApiToken::from) else {
            return Ok(None);
        };
        let stale = token
            .last_used_at
            .is_none_or(|t| now - t > Duration::minutes(TOUCH_EVERY_MINUTES));
        if stale {
            write!(self, |pool| {
                sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(token.id)
                    .bind(to_millis(now))
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            token.last_used_at = Some(now);
        }
        Ok(Some(token))
    }
}
