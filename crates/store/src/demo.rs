//! Filling an empty database with the demo province from `chiso_core::demo`.

use crate::Store;
use crate::accounts::normalize_username;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::to_millis;
use chiso_core::demo;
use chiso_core::text::fold;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The demo province was written.
    Seeded { units: usize, accounts: usize },
    /// The database already had units; nothing was changed.
    AlreadyFilled,
}

impl Store {
    /// Writes the demo province, in one transaction, if the database has no units yet.
    /// `password_hash` is the hash of [`demo::PASSWORD`], given by the caller, who owns hashing.
    pub async fn seed_demo(
        &self,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<SeedOutcome, StoreError> {
        let existing: i64 = read!(self, |pool| {
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM units")
                .fetch_one(pool)
                .await
        })?;
        if existing > 0 {
            return Ok(SeedOutcome::AlreadyFilled);
        }
        let units = demo::units();
        let accounts = demo::accounts();
        let ms = to_millis(now);
        let by = By::system("demo");
        transaction!(self, |tx| {
            let mut ids: HashMap<String, i64> = HashMap::new();
            for u in &units {
                let parent = u.parent_code.as_ref().and_then(|c| ids.get(c)).copied();
                let id = insert_unit!(tx, code: &u.code, name: &u.name, unit_type: u.unit_type,
                    parent: parent, valid_from: u.valid_from, valid_to: u.valid_to, at: ms)?;
                ids.insert(u.code.clone(), id);
            }
            for a in &accounts {
                let unit = *ids
                    .get(a.unit_code)
                    .ok_or_else(|| StoreError::Corrupt(format!("demo unit {}", a.unit_code)))?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO accounts (username, full_name, full_name_search, title, email, unit_id, password_hash, \
                     must_change_password, active, demo, password_changed_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, $10, $10, $10) RETURNING id",
                )
                .bind(normalize_username(a.username))
                .bind(a.full_name)
                .bind(fold(a.full_name))
                .bind(a.title)
                .bind(unit)
                .bind(password_hash)
                .bind(false)
                .bind(true)
                .bind(true)
                .bind(ms)
                .fetch_one(&mut *tx)
                .await?;
                write_grants!(tx, id, roles: a.roles, fields: a.fields);
            }
            for (code, name, value) in demo::unit_attributes() {
                let unit = *ids
                    .get(code)
                    .ok_or_else(|| StoreError::Corrupt(format!("demo unit {code}")))?;
                sqlx::query(
                    "INSERT INTO unit_attributes (unit_id, name, value) VALUES ($1, $2, $3)",
                )
                .bind(unit)
                .bind(name)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
                .bind(crate::settings::DEMO)
                .bind("1")
                .execute(&mut *tx)
                .await?;
            let entry = NewEntry::new(
                now,
                &by,
                "demo.seed",
                "province",
                demo::PROVINCE_CODE,
                format!(
                    "Dữ liệu mẫu tỉnh Minh Sơn: {} đơn vị, {} tài khoản",
                    units.len(),
                    accounts.len()
                ),
            );
            record_audit!(tx, entry);
        });
        Ok(SeedOutcome::Seeded {
            units: units.len(),
            accounts: accounts.len(),
        })
    }
}
