//! Small key-value settings of an installation (for example whether it holds the demo).

use crate::Store;
use crate::error::StoreError;

/// Set when the database was filled with the demo province.
pub const DEMO: &str = "demo";

impl Store {
    /// A setting's value.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Sets a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
                .bind(key)
                .bind(value)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Sets a setting that decides results (a band scale), with an audit entry, in one
    /// transaction.
    pub async fn set_setting_audited(
        &self,
        key: &str,
        value: &str,
        by: &crate::audit::By,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let before = self.setting(key).await?;
        transaction!(self, |tx| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            let entry = crate::audit::NewEntry::new(
                now,
                by,
                "setting.set",
                "setting",
                key,
                value.to_string(),
            )
            .before(&serde_json::json!({ "value": before }))
            .after(&serde_json::json!({ "value": value }));
            record_audit!(tx, entry);
        });
        Ok(())
    }
}
