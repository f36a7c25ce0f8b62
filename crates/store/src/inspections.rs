//! PAR inspections, their findings and the register of initiatives, in storage. Each change is
//! written with its audit entry.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::to_millis;
use chiso_core::ids::UnitId;
use chrono::{DateTime, NaiveDate, Utc};

/// A unit inspected (or to be) in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub id: i64,
    pub year: i32,
    pub unit: UnitId,
    pub planned_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub findings: Vec<Finding>,
}

/// A problem an inspection found, and its remedy tracked to closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: i64,
    pub text: String,
    pub remedy: String,
    pub due: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// An initiative (sáng kiến) and the council's evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initiative {
    pub id: i64,
    pub year: i32,
    pub unit: UnitId,
    pub title: String,
    pub description: String,
    /// `pending`, `recognised` or `not_recognised`.
    pub evaluation: String,
    pub evaluation_note: String,
}

impl Store {
    /// The inspections of a year with their findings.
    pub async fn inspections(&self, year: i32) -> Result<Vec<Inspection>, StoreError> {
        let rows: Vec<(i64, i64, NaiveDate, Option<NaiveDate>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, planned_on, done_on FROM inspections WHERE year = $1 ORDER BY planned_on, id",
            )
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        type FindingRow = (
            i64,
            i64,
            String,
            String,
            Option<NaiveDate>,
            Option<NaiveDate>,
        );
        let findings: Vec<FindingRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.id, f.inspection_id, f.text, f.remedy, f.due, f.closed_on FROM inspection_findings f \
                 JOIN inspections i ON i.id = f.inspection_id WHERE i.year = $1 ORDER BY f.id",
            )
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, unit, planned_on, done_on)| Inspection {
                id,
                year,
                unit: UnitId(unit),
                planned_on,
                done_on,
                findings: findings
                    .iter()
                    .filter(|f| f.1 == id)
                    .map(|f| Finding {
                        id: f.0,
                        text: f.2.clone(),
                        remedy: f.3.clone(),
                        due: f.4,
                        closed_on: f.5,
                    })
                    .collect(),
            })
            .collect())
    }

    /// Plans the inspection of a unit in a year (once per unit and year).
    pub async fn plan_inspection(
        &self,
        year: i32,
        unit: UnitId,
        planned_on: NaiveDate,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let result = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspections (year, unit_id, planned_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(unit.0)
            .bind(planned_on)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, format!("{unit} {year}")))?;
            let entry = NewEntry::new(
                now,
                by,
                "inspection.plan",
                "inspection",
                id,
                format!("{unit} {planned_on}"),
            );
            record_audit!(tx, entry);
            id
        });
        Ok(result)
    }

    /// Records that an inspection took place, with what it found (each finding a remedy to
    /// track), in one transaction.
    pub async fn record_inspection(
        &self,
        id: i64,
        done_on: NaiveDate,
        findings: &[(String, String, Option<NaiveDate>)],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed = sqlx::query("UPDATE inspections SET done_on = $2 WHERE id = $1")
                .bind(id)
                .bind(done_on)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            for (text, remedy, due) in findings {
                sqlx::query(
                    "INSERT INTO inspection_findings (inspection_id, text, remedy, due, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(text)
                .bind(remedy)
                .bind(*due)
                .bind(to_millis(now))
                .bind(&by.name)
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(
                now,
                by,
                "inspection.record",
                "inspection",
                id,
                format!("{done_on}: {}", findings.len()),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Closes (or reopens, with `None`) a finding.
    pub async fn close_finding(
        &self,
        finding: i64,
        closed_on: Option<NaiveDate>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed =
                sqlx::query("UPDATE inspection_findings SET closed_on = $2 WHERE id = $1")
                    .bind(finding)
                    .bind(closed_on)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = NewEntry::new(
                now,
                by,
                "inspection.finding_closed",
                "inspection",
                finding,
                format!("{closed_on:?}"),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// The initiatives of a year.
    pub async fn initiatives(&self, year: i32) -> Result<Vec<Initiative>, StoreError> {
        let rows: Vec<(i64, i64, String, String, String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, title, description, evaluation, evaluation_note FROM initiatives WHERE year = $1 ORDER BY id",
            )
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Initiative {
                id: r.0,
                year,
                unit: UnitId(r.1),
                title: r.2,
                description: r.3,
                evaluation: r.4,
                evaluation_note: r.5,
            })
            .collect())
    }

    /// Registers an initiative, pending the council's evaluation.
    pub async fn add_initiative(
        &self,
        year: i32,
        unit: UnitId,
        title: &str,
        description: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO initiatives (year, unit_id, title, description, evaluation, evaluation_note, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(unit.0)
            .bind(title)
            .bind(description)
            .bind("pending")
            .bind("")
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "initiative.add",
                "initiative",
                id,
                title.to_string(),
            );
            record_audit!(tx, entry);
            id
        }))
    }

    /// The council's evaluation of an initiative.
    pub async fn evaluate_initiative(
        &self,
        id: i64,
        recognised: bool,
        note: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed = sqlx::query(
                "UPDATE initiatives SET evaluation = $2, evaluation_note = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(if recognised {
                "recognised"
            } else {
                "not_recognised"
            })
            .bind(note)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = NewEntry::new(
                now,
                by,
                "initiative.evaluate",
                "initiative",
                id,
                format!("{recognised}: {note}"),
            );
            record_audit!(tx, entry);
        });
        Ok(())
    }
}
