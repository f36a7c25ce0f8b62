//! Periodic PAR reports in storage: the reporting calendar and the units' submissions.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::UnitId;
use chiso_core::units::UnitType;
use chrono::{DateTime, NaiveDate, Utc};

/// A report the calendar asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub unit_type: UnitType,
    pub due: NaiveDate,
}

/// A file sent with a report (stored by SHA-256 like evidence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub sha256: String,
    pub name: String,
    pub content_type: String,
}

/// A unit's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub entry: i64,
    pub unit: UnitId,
    pub summary: String,
    pub file: Option<ReportFile>,
    /// When it first arrived: what on-time status counts.
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub by: String,
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    calendar_id: i64,
    unit_id: i64,
    summary: String,
    file_sha256: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
    submitted_at: i64,
    updated_at: i64,
    submitted_by: String,
}

impl From<SubmissionRow> for Submission {
    fn from(r: SubmissionRow) -> Submission {
        Submission {
            entry: r.calendar_id,
            unit: UnitId(r.unit_id),
            summary: r.summary,
            file: match (r.file_sha256, r.file_name) {
                (Some(sha256), Some(name)) => Some(ReportFile {
                    sha256,
                    name,
                    content_type: r.content_type.unwrap_or_default(),
                }),
                _ => None,
            },
            submitted_at: from_millis(r.submitted_at),
            updated_at: from_millis(r.updated_at),
            by: r.submitted_by,
        }
    }
}

impl Store {
    /// Adds a report to the calendar.
    pub async fn add_report_entry(
        &self,
        year: i32,
        title: &str,
        unit_type: UnitType,
        due: NaiveDate,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO report_calendar (year, title, unit_type, due_date, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(title)
            .bind(unit_type.code())
            .bind(due)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "report.calendar_add",
                "report",
                id,
                format!("{title} ({due})"),
            );
            record_audit!(tx, entry);
            id
        }))
    }

    /// The calendar of a year, by due date.
    pub async fn report_calendar(&self, year: i32) -> Result<Vec<ReportEntry>, StoreError> {
        let rows: Vec<(i64, i64, String, String, NaiveDate)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, year, title, unit_type, due_date FROM report_calendar WHERE year = $1 ORDER BY due_date, id",
            )
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(id, y, title, t, due)| {
                Ok(ReportEntry {
                    id,
                    year: i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("year {y}")))?,
                    title,
                    unit_type: UnitType::from_code(&t)
                        .ok_or_else(|| StoreError::Corrupt(format!("unit type {t}")))?,
                    due,
                })
            })
            .collect()
    }

    /// One report of the calendar.
    pub async fn report_entry(&self, id: i64) -> Result<ReportEntry, StoreError> {
        let year: Option<i64> = read!(self, |pool| {
            sqlx::query_scalar("SELECT year FROM report_calendar WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        let year = year.ok_or(StoreError::NotFound)?;
        self.report_calendar(i32::try_from(year).unwrap_or_default())
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Every submission to the reports of a year.
    pub async fn report_submissions(&self, year: i32) -> Result<Vec<Submission>, StoreError> {
        let rows: Vec<SubmissionRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT s.calendar_id, s.unit_id, s.summary, s.file_sha256, s.file_name, s.content_type, s.submitted_at, \
                 s.updated_at, s.submitted_by FROM report_submissions s JOIN report_calendar c ON c.id = s.calendar_id \
                 WHERE c.year = $1",
            )
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(Submission::from).collect())
    }

    /// One unit's submission to one report, if any.
    pub async fn report_submission(
        &self,
        entry: i64,
        unit: UnitId,
    ) -> Result<Option<Submission>, StoreError> {
        let row: Option<SubmissionRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT calendar_id, unit_id, summary, file_sha256, file_name, content_type, submitted_at, updated_at, submitted_by \
                 FROM report_submissions WHERE calendar_id = $1 AND unit_id = $2",
            )
            .bind(entry)
            .bind(unit.0)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(Submission::from))
    }

    /// Records a unit's report (or its correction: the first arrival time is kept).
    #[allow(clippy::too_many_arguments)]
    pub async fn submit_report(
        &self,
        entry: i64,
        unit: UnitId,
        summary: &str,
        file: Option<&ReportFile>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO report_submissions (calendar_id, unit_id, summary, file_sha256, file_name, content_type, submitted_at, updated_at, submitted_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) \
                 ON CONFLICT (calendar_id, unit_id) DO UPDATE SET summary = $3, \
                 file_sha256 = COALESCE($4, report_submissions.file_sha256), file_name = COALESCE($5, report_submissions.file_name), \
                 content_type = COALESCE($6, report_submissions.content_type), updated_at = $7, submitted_by = $8",
            )
            .bind(entry)
            .bind(unit.0)
            .bind(summary)
            .bind(file.map(|f| f.sha256.as_str()))
            .bind(file.map(|f| f.name.as_str()))
            .bind(file.map(|f| f.content_type.as_str()))
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let entry_log =
                NewEntry::new(now, by, "report.submit", "report", entry, format!("{unit}"))
                    .after(&serde_json::json!({ "unit": unit.0, "file": file.map(|f| &f.name) }));
            record_audit!(tx, entry_log);
        });
        Ok(())
    }
}
