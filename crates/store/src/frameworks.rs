//! Stored frameworks: immutable versions, each with its whole definition and a flat node table.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::framework::Framework;
use chiso_core::units::UnitType;
use chrono::{DateTime, Utc};

/// A framework's identifier in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrameworkId(pub i64);

impl std::fmt::Display for FrameworkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored framework version, without its tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkSummary {
    pub id: FrameworkId,
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub year: i32,
    pub version: u32,
    pub decision: Option<String>,
    pub illustrative: bool,
    pub max_scaled: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub nodes: i64,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    code: String,
    name: String,
    unit_type: String,
    year: i64,
    version: i64,
    decision: Option<String>,
    illustrative: bool,
    max_scaled: i64,
    created_at: i64,
    created_by: String,
    nodes: i64,
}

impl TryFrom<SummaryRow> for FrameworkSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> Result<Self, StoreError> {
        Ok(FrameworkSummary {
            id: FrameworkId(r.id),
            unit_type: UnitType::from_code(&r.unit_type)
                .ok_or_else(|| StoreError::Corrupt(format!("unit type {}", r.unit_type)))?,
            code: r.code,
            name: r.name,
            year: r.year as i32,
            version: r.version as u32,
            decision: r.decision,
            illustrative: r.illustrative,
            max_scaled: r.max_scaled,
            created_at: from_millis(r.created_at),
            created_by: r.created_by,
            nodes: r.nodes,
        })
    }
}

fn definition_of(json: &str) -> Result<Framework, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("framework definition: {e}")))
}

impl Store {
    /// Stores a validated framework as a new version, in one transaction with its nodes.
    /// The same code, year and version twice is a conflict.
    pub async fn import_framework(
        &self,
        f: &Framework,
        source: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<FrameworkId, StoreError> {
        let definition =
            serde_json::to_string(f).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let max_scaled = f.max.to_scaled().ok_or_else(|| {
            StoreError::Corrupt("framework maximum has more than 4 decimals".into())
        })?;
        let key = format!("{} {} v{}", f.code, f.year, f.version);
        let id = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO frameworks (code, name, unit_type, year, version, decision, illustrative, max_scaled, definition, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&f.code)
            .bind(&f.name)
            .bind(f.unit_type.code())
            .bind(i64::from(f.year))
            .bind(i64::from(f.version))
            .bind(f.decision.as_deref())
            .bind(f.illustrative)
            .bind(max_scaled)
            .bind(&definition)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, format!("framework {key}")))?;
            for (position, l) in f.walk().into_iter().enumerate() {
                sqlx::query(
                    "INSERT INTO framework_nodes (framework_id, code, parent_code, position, depth, name, max_scaled, rule_type, lead_unit) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(&l.node.code)
                .bind(l.parent.map(|p| p.code.as_str()))
                .bind(position as i64)
                .bind(l.depth as i64)
                .bind(&l.node.name)
                .bind(l.node.max.and_then(|m| m.to_scaled()))
                .bind(l.node.rule.as_ref().map(|r| r.kind()))
                .bind(l.node.lead_unit.as_deref())
                .execute(&mut *tx)
                .await?;
            }
            let (fields, criteria, leaves) = f.shape();
            let entry = NewEntry::new(now, by, "framework.import", "framework", id, format!("{source}: {key} — {}", f.name))
                .after(&serde_json::json!({ "fields": fields, "criteria": criteria, "leaves": leaves, "max": f.max.to_string() }));
            record_audit!(tx, entry);
            id
        });
        Ok(FrameworkId(id))
    }

    /// Every stored version, newest year first, then by code and version.
    pub async fn list_frameworks(&self) -> Result<Vec<FrameworkSummary>, StoreError> {
        let rows: Vec<SummaryRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.id, f.code, f.name, f.unit_type, f.year, f.version, \
                        f.decision, f.illustrative, f.max_scaled, f.created_at, f.created_by, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM framework_nodes n WHERE n.framework_id = f.id) AS nodes \
                 FROM frameworks f ORDER BY f.year DESC, f.code, f.version DESC",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(FrameworkSummary::try_from).collect()
    }

    /// One stored framework with its whole tree.
    pub async fn framework(
        &self,
        id: FrameworkId,
    ) -> Result<(FrameworkSummary, Framework), StoreError> {
        let row: Option<(SummaryRow, String)> = read!(self, |pool| {
            let summary: Option<SummaryRow> = sqlx::query_as(
                "SELECT f.id, f.code, f.name, f.unit_type, f.year, f.version, f.decision, f.illustrative, f.max_scaled, \
                        f.created_at, f.created_by, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM framework_nodes n WHERE n.framework_id = f.id) AS nodes \
                 FROM frameworks f WHERE f.id = $1",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
            match summary {
                None => Ok::<_, sqlx::Error>(None),
                Some(s) => {
                    let json: String =
                        sqlx::query_scalar("SELECT definition FROM frameworks WHERE id = $1")
                            .bind(id.0)
                            .fetch_one(pool)
                            .await?;
                    Ok(Some((s, json)))
                }
            }
        })?;
        let (summary, json) = row.ok_or(StoreError::NotFound)?;
        Ok((FrameworkSummary::try_from(summary)?, definition_of(&json)?))
    }

    /// The latest stored version with this code and year, if any.
    pub async fn latest_framework(
        &self,
        code: &str,
        year: i32,
    ) -> Result<Option<(FrameworkSummary, Framework)>, StoreError> {
        let id: Option<i64> = read!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM frameworks WHERE code = $1 AND year = $2 ORDER BY version DESC LIMIT 1")
                .bind(code)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await
        })?;
        match id {
            Some(id) => Ok(Some(self.framework(FrameworkId(id)).await?)),
            None => Ok(None),
        }
    }
}

/// A field of a framework with the unit that leads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLead {
    pub field_code: String,
    pub field_name: String,
    /// The lead unit: the administrator's choice, else the file's `lead_unit` code if that
    /// unit exists.
    pub unit: Option<chiso_core::ids::UnitId>,
    /// Whether the administrator changed it from the file's default.
    pub overridden: bool,
}

impl Store {
    /// Each field of a framework with its lead unit.
    pub async fn field_leads(&self, id: FrameworkId) -> Result<Vec<FieldLead>, StoreError> {
        let (_, f) = self.framework(id).await?;
        let overrides: Vec<(String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT field_code, unit_id FROM framework_field_leads WHERE framework_id = $1",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        let mut out = Vec::new();
        for field in &f.fields {
            let chosen = overrides
                .iter()
                .find(|(c, _)| *c == field.code)
                .map(|(_, u)| chiso_core::ids::UnitId(*u));
            let default = match &field.lead_unit {
                Some(code) => self.unit_by_code(code).await?.map(|u| u.id),
                None => None,
            };
            out.push(FieldLead {
                field_code: field.code.clone(),
                field_name: field.name.clone(),
                unit: chosen.or(default),
                overridden: chosen.is_some(),
            });
        }
        Ok(out)
    }

    /// Sets the unit that leads a field (overriding the file's default), with an audit entry.
    pub async fn set_field_lead(
        &self,
        id: FrameworkId,
        field_code: &str,
        unit: chiso_core::ids::UnitId,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.field_leads(id).await?;
        let Some(field) = before.iter().find(|l| l.field_code == field_code) else {
            return Err(StoreError::NotFound);
        };
        if field.unit == Some(unit) && field.overridden {
            return Ok(());
        }
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO framework_field_leads (framework_id, field_code, unit_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (framework_id, field_code) DO UPDATE SET unit_id = $3",
            )
            .bind(id.0)
            .bind(field_code)
            .bind(unit.0)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "framework.field_lead",
                "framework",
                id,
                format!("{field_code} {}", field.field_name),
            )
            .before(&serde_json::json!({ "unit_id": field.unit.map(|u| u.0) }))
            .after(&serde_json::json!({ "unit_id": unit.0 }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// The fields a unit leads, across the latest version of every framework code.
    pub async fn fields_led_by(
        &self,
        unit: chiso_core::ids::UnitId,
    ) -> Result<Vec<(FrameworkSummary, FieldLead)>, StoreError> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for s in self.list_frameworks().await? {
            if !seen.insert(s.code.clone()) {
                continue;
            }
            for lead in self.field_leads(s.id).await? {
                if lead.unit == Some(unit) {
                    out.push((s.clone(), lead));
                }
            }
        }
        Ok(out)
    }
}
