//! Accounts, their roles and field scopes.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::{AccountId, UnitId};
use chiso_core::policy::{Actor, FieldScope};
use chiso_core::roles::Role;
use chiso_core::text::fold;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// An account as the application sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    pub username: String,
    pub full_name: String,
    pub title: String,
    pub email: Option<String>,
    pub unit: UnitId,
    pub roles: BTreeSet<Role>,
    /// Field codes the account works on; empty means every field.
    pub fields: Vec<String>,
    pub must_change_password: bool,
    pub active: bool,
    pub demo: bool,
    #[serde(skip)]
    pub last_login_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub created_at: DateTime<Utc>,
}

impl Account {
    /// The account as the authorization policy sees it.
    pub fn actor(&self) -> Actor {
        Actor {
            account: self.id,
            unit: self.unit,
            roles: self.roles.clone(),
            fields: FieldScope::from_codes(self.fields.iter().cloned()),
        }
    }

    /// The audit identity of this account.
    pub fn by(&self) -> By {
        By::account(self.id, &self.username)
    }
}

/// The editable details of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountDetails {
    pub full_name: String,
    pub title: String,
    pub email: Option<String>,
    pub unit: UnitId,
    pub roles: BTreeSet<Role>,
    pub fields: Vec<String>,
    pub active: bool,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub details: AccountDetails,
    pub password_hash: String,
    pub must_change_password: bool,
    pub demo: bool,
}

/// Which accounts to list.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub query: Option<String>,
    pub unit: Option<UnitId>,
    pub role: Option<Role>,
}

/// Replaces an account's roles and field codes through an open transaction.
macro_rules! write_grants {
    ($tx:expr, $id:expr, roles: $roles:expr, fields: $fields:expr) => {{
        let id: i64 = $id;
        sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("DELETE FROM account_fields WHERE account_id = $1")
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        for role in $roles {
            sqlx::query("INSERT INTO account_roles (account_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.code())
                .execute(&mut *$tx)
                .await?;
        }
        for field in $fields {
            sqlx::query("INSERT INTO account_fields (account_id, field_code) VALUES ($1, $2)")
                .bind(id)
                .bind(field.to_string())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    username: String,
    full_name: String,
    title: String,
    email: Option<String>,
    unit_id: i64,
    must_change_password: bool,
    active: bool,
    demo: bool,
    last_login_at: Option<i64>,
    created_at: i64,
}

impl AccountRow {
    fn into_account(self, roles: BTreeSet<Role>, fields: Vec<String>) -> Account {
        Account {
            id: AccountId(self.id),
            username: self.username,
            full_name: self.full_name,
            title: self.title,
            email: self.email,
            unit: UnitId(self.unit_id),
            roles,
            fields,
            must_change_password: self.must_change_password,
            active: self.active,
            demo: self.demo,
            last_login_at: self.last_login_at.map(from_millis),
            created_at: from_millis(self.created_at),
        }
    }
}

/// Rows of (account id, code) for roles and fields.
type IdCodes = Vec<(i64, String)>;

/// Normalises a user name: trimmed, lower case (user names are compared case-blind).
pub fn normalize_username(input: &str) -> String {
    input.trim().to_lowercase()
}

impl Store {
    /// One account by id.
    pub async fn account(&self, id: AccountId) -> Result<Account, StoreError> {
        let row: Option<AccountRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, username, full_name, title, email, unit_id, must_change_password, active, demo, last_login_at, created_at \
                 FROM accounts WHERE id = $1",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await
        })?;
        let row = row.ok_or(StoreError::NotFound)?;
        let mut grants = self.grants(&[row.id]).await?;
        let (roles, fields) = grants.remove(&row.id).unwrap_or_default();
        Ok(row.into_account(roles, fields))
    }

    /// The account and password hash for a login name, if it exists.
    pub async fn account_for_login(
        &self,
        username: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row: Option<(i64, String)> = read!(self, |pool| {
            sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = $1")
                .bind(normalize_username(username))
                .fetch_optional(pool)
                .await
        })?;
        match row {
            Some((id, hash)) => Ok(Some((self.account(AccountId(id)).await?, hash))),
            None => Ok(None),
        }
    }

    /// The stored password hash of an account.
    pub async fn password_hash(&self, id: AccountId) -> Result<String, StoreError> {
        let hash: Option<String> = read!(self, |pool| {
            sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?;
        hash.ok_or(StoreError::NotFound)
    }

    /// Accounts matching a filter, by user name.
    pub async fn find_accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>, StoreError> {
        let pattern = crate::search::like_pattern(filter.query.as_deref());
        let rows: Vec<AccountRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, username, full_name, title, email, unit_id, must_change_password, active, demo, last_login_at, created_at \
                 FROM accounts a \
                 WHERE ($1 IS NULL OR full_name_search LIKE $1 OR username LIKE $1) \
                   AND ($2 IS NULL OR unit_id = $2) \
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id AND r.role = $3)) \
                 ORDER BY username",
            )
            .bind(pattern.as_deref())
            .bind(filter.unit.map(|u| u.0))
            .bind(filter.role.map(|r| r.code()))
            .fetch_all(pool)
            .await
        })?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut grants = self.grants(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let (roles, fields) = grants.remove(&r.id).unwrap_or_default();
                r.into_account(roles, fields)
            })
            .collect())
    }

    /// Number of accounts.
    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM accounts")
                .fetch_one(pool)
                .await
        })?)
    }

    /// Roles and field codes for the given accounts, in two queries whatever their number.
    async fn grants(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, (BTreeSet<Role>, Vec<String>)>, StoreError> {
        let mut out: HashMap<i64, (BTreeSet<Role>, Vec<String>)> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        // One account (every request's session check) reads its own rows. Lists read the two
        // small tables whole, which avoids per-backend array binding.
        let one = if ids.len() == 1 { Some(ids[0]) } else { None };
        let (roles, fields): (IdCodes, IdCodes) = read!(self, |pool| {
            let roles = sqlx::query_as(
                "SELECT account_id, role FROM account_roles WHERE ($1 IS NULL OR account_id = $1)",
            )
            .bind(one)
            .fetch_all(pool)
            .await?;
            let fields = sqlx::query_as(
                "SELECT account_id, field_code FROM account_fields WHERE ($1 IS NULL OR account_id = $1) ORDER BY field_code",
            )
            .bind(one)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((roles, fields))
        })?;
        let wanted: BTreeSet<i64> = ids.iter().copied().collect();
        for (id, code) in roles.into_iter().filter(|(id, _)| wanted.contains(id)) {
            let role = Role::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("role {code}")))?;
            out.entry(id).or_default().0.insert(role);
        }
        for (id, code) in fields.into_iter().filter(|(id, _)| wanted.contains(id)) {
            out.entry(id).or_default().1.push(code);
        }
        Ok(out)
    }

    /// Creates an account with its roles and fields.
    pub async fn create_account(
        &self,
        new: &NewAccount,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<AccountId, StoreError> {
        let ms = to_millis(now);
        let username = normalize_username(&new.username);
        let d = &new.details;
        let id = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO accounts (username, full_name, full_name_search, title, email, unit_id, password_hash, \
                 must_change_password, active, demo, password_changed_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11) RETURNING id",
            )
            .bind(&username)
            .bind(&d.full_name)
            .bind(fold(&d.full_name))
            .bind(&d.title)
            .bind(d.email.as_deref())
            .bind(d.unit.0)
            .bind(&new.password_hash)
            .bind(new.must_change_password)
            .bind(d.active)
            .bind(new.demo)
            .bind(ms)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, format!("account {username}")))?;
            write_grants!(tx, id, roles: &d.roles, fields: &d.fields);
            let entry = NewEntry::new(
                now,
                by,
                "account.create",
                "account",
                id,
                format!("{username} — {}", d.full_name),
            )
            .after(d);
            record_audit!(tx, entry);
            id
        });
        Ok(AccountId(id))
    }

    /// Replaces an account's details, roles and fields. Deactivating ends its sessions.
    pub async fn update_account(
        &self,
        id: AccountId,
        details: &AccountDetails,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.account(id).await?;
        let before_details = AccountDetails {
            full_name: before.full_name.clone(),
            title: before.title.clone(),
            email: before.email.clone(),
            unit: before.unit,
            roles: before.roles.clone(),
            fields: before.fields.clone(),
            active: before.active,
        };
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE accounts SET full_name = $2, full_name_search = $3, title = $4, email = $5, unit_id = $6, \
                 active = $7, updated_at = $8 WHERE id = $1",
            )
            .bind(id.0)
            .bind(&details.full_name)
            .bind(fold(&details.full_name))
            .bind(&details.title)
            .bind(details.email.as_deref())
            .bind(details.unit.0)
            .bind(details.active)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await?;
            write_grants!(tx, id.0, roles: &details.roles, fields: &details.fields);
            if !details.active {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "account.update",
                "account",
                id,
                format!("{} — {}", before.username, details.full_name),
            )
            .before(&before_details)
            .after(details);
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Sets a new password hash. Every session of the account except `keep_session` (the one
    /// making the change, if it is the account's own) is revoked, and on a reset by someone else
    /// every API token too.
    pub async fn set_password(
        &self,
        id: AccountId,
        password_hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let account = self.account(id).await?;
        let action = if by.account == Some(id) {
            "account.password_change"
        } else {
            "account.password_reset"
        };
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE accounts SET password_hash = $2, must_change_password = $3, password_changed_at = $4, updated_at = $4 \
                 WHERE id = $1",
            )
            .bind(id.0)
            .bind(password_hash)
            .bind(must_change)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR token_hash <> $2)",
            )
            .bind(id.0)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
            // A password reset by someone else is what follows a suspected compromise: the
            // account's API tokens go too.
            if by.account != Some(id) {
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
                )
                .bind(id.0)
                .bind(to_millis(now))
                .execute(&mut *tx)
                .await?;
            }
            // The hash itself is never written to the log.
            let entry = NewEntry::new(now, by, action, "account", id, account.username.clone())
                .after(&serde_json::json!({ "must_change_password": must_change }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Notes a successful login.
    pub async fn touch_login(&self, id: AccountId, now: DateTime<Utc>) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("UPDATE accounts SET last_login_at = $2 WHERE id = $1")
                .bind(id.0)
                .bind(to_millis(now))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
