//! Administrative units: reading, creating, editing, and applying a planned CSV import.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::to_millis;
use chiso_core::ids::UnitId;
use chiso_core::text::fold;
use chiso_core::units::import::{ImportPlan, ParentRef};
use chiso_core::units::{Unit, UnitDraft, UnitType};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Inserts a unit through an open transaction; evaluates to its new id.
macro_rules! insert_unit {
    ($tx:expr, code: $code:expr, name: $name:expr, unit_type: $t:expr, parent: $parent:expr,
     valid_from: $from:expr, valid_to: $to:expr, at: $ms:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO units (code, name, name_search, unit_type, parent_id, valid_from, valid_to, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind($code)
        .bind($name)
        .bind(chiso_core::text::fold($name))
        .bind($t.code())
        .bind($parent)
        .bind($from)
        .bind($to)
        .bind($ms)
        .fetch_one(&mut *$tx)
        .await
    };
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    code: String,
    name: String,
    unit_type: String,
    parent_id: Option<i64>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

impl TryFrom<UnitRow> for Unit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> Result<Self, StoreError> {
        Ok(Unit {
            id: UnitId(r.id),
            code: r.code,
            name: r.name,
            unit_type: UnitType::from_code(&r.unit_type)
                .ok_or_else(|| StoreError::Corrupt(format!("unit type {}", r.unit_type)))?,
            parent: r.parent_id.map(UnitId),
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        })
    }
}

/// Which units to list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Words to find in the name or code, with or without diacritics.
    pub query: Option<String>,
    pub unit_type: Option<UnitType>,
    /// Only units that exist on this day.
    pub active_on: Option<NaiveDate>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn rows_to_units(rows: Vec<UnitRow>) -> Result<Vec<Unit>, StoreError> {
    rows.into_iter().map(Unit::try_from).collect()
}

impl Store {
    /// Every unit, in code order.
    pub async fn all_units(&self) -> Result<Vec<Unit>, StoreError> {
        let rows: Vec<UnitRow> = read!(self, |pool| {
            sqlx::query_as("SELECT id, code, name, unit_type, parent_id, valid_from, valid_to FROM units ORDER BY code")
                .fetch_all(pool)
                .await
        })?;
        rows_to_units(rows)
    }

    /// Units matching a filter, in code order. Search ignores diacritics and case.
    pub async fn find_units(&self, filter: &UnitFilter) -> Result<Vec<Unit>, StoreError> {
        let pattern = crate::search::like_pattern(filter.query.as_deref());
        let rows: Vec<UnitRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, code, name, unit_type, parent_id, valid_from, valid_to FROM units \
                 WHERE ($1 IS NULL OR name_search LIKE $1 OR LOWER(code) LIKE $1) \
                   AND ($2 IS NULL OR unit_type = $2) \
                   AND ($3 IS NULL OR (valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3))) \
                 ORDER BY code",
            )
            .bind(pattern.as_deref())
            .bind(filter.unit_type.map(|t| t.code()))
            .bind(filter.active_on)
            .fetch_all(pool)
            .await
        })?;
        rows_to_units(rows)
    }

    /// One unit by id.
    pub async fn unit(&self, id: UnitId) -> Result<Unit, StoreError> {
        let row: Option<UnitRow> = read!(self, |pool| {
            sqlx::query_as("SELECT id, code, name, unit_type, parent_id, valid_from, valid_to FROM units WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// One unit by code (codes are stored upper case).
    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>, StoreError> {
        let row: Option<UnitRow> = read!(self, |pool| {
            sqlx::query_as("SELECT id, code, name, unit_type, parent_id, valid_from, valid_to FROM units WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await
        })?;
        row.map(Unit::try_from).transpose()
    }

    /// Counts units of each type that exist on `day`.
    pub async fn count_units_by_type(
        &self,
        day: NaiveDate,
    ) -> Result<HashMap<UnitType, i64>, StoreError> {
        let rows: Vec<(String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_type, CAST(COUNT(*) AS BIGINT) FROM units \
                 WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) GROUP BY unit_type",
            )
            .bind(day)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(t, n)| UnitType::from_code(&t).map(|t| (t, n)))
            .collect())
    }

    /// Creates a unit; the caller has validated the draft against its parent.
    pub async fn create_unit(
        &self,
        draft: &UnitDraft,
        parent: Option<UnitId>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<UnitId, StoreError> {
        let id = transaction!(self, |tx| {
            let id = insert_unit!(tx, code: &draft.code, name: &draft.name, unit_type: draft.unit_type,
                parent: parent.map(|p| p.0), valid_from: draft.valid_from, valid_to: draft.valid_to, at: to_millis(now))
            .map_err(|e| StoreError::unique(e, format!("unit {}", draft.code)))?;
            let entry = NewEntry::new(
                now,
                by,
                "unit.create",
                "unit",
                id,
                format!("{} — {}", draft.code, draft.name),
            )
            .after(&(draft, parent));
            record_audit!(tx, entry);
            id
        });
        Ok(UnitId(id))
    }

    /// Replaces a unit's fields; the audit entry keeps the state before.
    pub async fn update_unit(
        &self,
        id: UnitId,
        draft: &UnitDraft,
        parent: Option<UnitId>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.unit(id).await?;
        transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE units SET code = $2, name = $3, name_search = $4, unit_type = $5, parent_id = $6, \
                 valid_from = $7, valid_to = $8, updated_at = $9 WHERE id = $1",
            )
            .bind(id.0)
            .bind(&draft.code)
            .bind(&draft.name)
            .bind(fold(&draft.name))
            .bind(draft.unit_type.code())
            .bind(parent.map(|p| p.0))
            .bind(draft.valid_from)
            .bind(draft.valid_to)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, format!("unit {}", draft.code)))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = NewEntry::new(
                now,
                by,
                "unit.update",
                "unit",
                id,
                format!("{} — {}", draft.code, draft.name),
            )
            .before(&before)
            .after(&(draft, parent));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Applies a checked import plan in one transaction: all of it, or nothing.
    pub async fn apply_unit_import(
        &self,
        plan: &ImportPlan,
        source: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let ms = to_millis(now);
        let outcome = transaction!(self, |tx| {
            let mut new_ids: HashMap<&str, i64> = HashMap::new();
            // Creations come parents first, so a new parent's id is known before its children.
            for c in &plan.creates {
                let parent = resolve(&c.parent, &new_ids)?;
                let id = insert_unit!(tx, code: &c.draft.code, name: &c.draft.name, unit_type: c.draft.unit_type,
                    parent: parent, valid_from: c.draft.valid_from, valid_to: c.draft.valid_to, at: ms)
                .map_err(|e| StoreError::unique(e, format!("unit {}", c.draft.code)))?;
                new_ids.insert(c.draft.code.as_str(), id);
                let entry = NewEntry::new(
                    now,
                    by,
                    "unit.import",
                    "unit",
                    id,
                    format!("{source}: {} — {}", c.draft.code, c.draft.name),
                )
                .after(&(&c.draft, parent));
                record_audit!(tx, entry);
            }
            for u in &plan.updates {
                let parent = resolve(&u.parent, &new_ids)?;
                sqlx::query(
                    "UPDATE units SET name = $2, name_search = $3, parent_id = $4, valid_from = $5, valid_to = $6, updated_at = $7 \
                     WHERE id = $1",
                )
                .bind(u.before.id.0)
                .bind(&u.draft.name)
                .bind(fold(&u.draft.name))
                .bind(parent)
                .bind(u.draft.valid_from)
                .bind(u.draft.valid_to)
                .bind(ms)
                .execute(&mut *tx)
                .await?;
                let entry = NewEntry::new(
                    now,
                    by,
                    "unit.import",
                    "unit",
                    u.before.id,
                    format!("{source}: {} — {}", u.draft.code, u.draft.name),
                )
                .before(&u.before)
                .after(&(&u.draft, parent));
                record_audit!(tx, entry);
            }
            ImportOutcome {
                created: plan.creates.len(),
                updated: plan.updates.len(),
                unchanged: plan.unchanged,
            }
        });
        Ok(outcome)
    }
}

fn resolve(parent: &ParentRef, new_ids: &HashMap<&str, i64>) -> Result<Option<i64>, StoreError> {
    Ok(match parent {
        ParentRef::None => None,
        ParentRef::Existing(id) => Some(id.0),
        ParentRef::New(code) => Some(*new_ids.get(code.as_str()).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "import plan creates a child of {code} before {code}"
            ))
        })?),
    })
}

impl Store {
    /// A unit's known attributes.
    pub async fn unit_attributes(
        &self,
        id: UnitId,
    ) -> Result<std::collections::BTreeMap<String, bool>, StoreError> {
        let rows: Vec<(String, bool)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT name, value FROM unit_attributes WHERE unit_id = $1 ORDER BY name",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Replaces a unit's attributes (a missing name becomes unknown), with an audit entry.
    pub async fn set_unit_attributes(
        &self,
        id: UnitId,
        attributes: &std::collections::BTreeMap<String, bool>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.unit_attributes(id).await?;
        if &before == attributes {
            return Ok(());
        }
        let unit = self.unit(id).await?;
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM unit_attributes WHERE unit_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            for (name, value) in attributes {
                sqlx::query(
                    "INSERT INTO unit_attributes (unit_id, name, value) VALUES ($1, $2, $3)",
                )
                .bind(id.0)
                .bind(name)
                .bind(*value)
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "unit.attributes",
                "unit",
                id,
                format!("{} — {}", unit.code, unit.name),
            )
            .before(&before)
            .after(attributes);
            record_audit!(tx, entry);
        });
        Ok(())
    }
}
