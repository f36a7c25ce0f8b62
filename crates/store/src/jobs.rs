//! Export jobs: queued by a person, claimed by one app server at a time (a claim whose server
//! stopped beating is taken over), their progress, and the file they produced (stored by
//! SHA-256 in the evidence store).

use crate::Store;
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::AccountId;
use chrono::{DateTime, Duration, Utc};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> Option<JobStatus> {
        match code {
            "queued" => Some(JobStatus::Queued),
            "running" => Some(JobStatus::Running),
            "done" => Some(JobStatus::Done),
            "failed" => Some(JobStatus::Failed),
            _ => None,
        }
    }
}

/// A job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    /// The job's parameters as JSON.
    pub params: String,
    pub title: String,
    pub status: JobStatus,
    /// 0–100.
    pub progress: i64,
    /// What went wrong, for a failed job.
    pub message: String,
    /// (SHA-256, file name, content type) of the result.
    pub file: Option<(String, String, String)>,
    pub account: AccountId,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

type JobRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<i64>,
);

const COLUMNS: &str = "id, kind, params, title, status, progress, message, file_sha256, file_name, content_type, account_id, created_at, finished_at";

fn job_of(r: JobRow) -> Result<Job, StoreError> {
    Ok(Job {
        id: r.0,
        kind: r.1,
        params: r.2,
        title: r.3,
        status: JobStatus::from_code(&r.4)
            .ok_or_else(|| StoreError::Corrupt(format!("job status {}", r.4)))?,
        progress: r.5,
        message: r.6,
        file: match (r.7, r.8) {
            (Some(sha), Some(name)) => Some((sha, name, r.9.unwrap_or_default())),
            _ => None,
        },
        account: AccountId(r.10),
        created_at: from_millis(r.11),
        finished_at: r.12.map(from_millis),
    })
}

/// A claim not renewed for this long belongs to a server that stopped; another takes it over.
pub const STALE_CLAIM: Duration = Duration::minutes(2);

/// How many times a job is started before a stale claim fails it instead.
pub const MAX_ATTEMPTS: i64 = 3;

/// The message of a job failed because its server stopped under it [`MAX_ATTEMPTS`] times
/// (a code the pages translate).
pub const INTERRUPTED: &str = "interrupted";

impl Store {
    /// Queues a job for an account.
    pub async fn queue_job(
        &self,
        kind: &str,
        params: &str,
        title: &str,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(write!(self, |pool| {
            sqlx::query_scalar(
                "INSERT INTO export_jobs (kind, params, title, status, progress, message, account_id, created_at) \
                 VALUES ($1, $2, $3, $4, 0, '', $5, $6) RETURNING id",
            )
            .bind(kind)
            .bind(params)
            .bind(title)
            .bind(JobStatus::Queued.code())
            .bind(account.0)
            .bind(to_millis(now))
            .fetch_one(pool)
            .await
        })?)
    }

    /// Claims the oldest job that is queued, or running under a claim gone stale, for
    /// `server`; `None` when there is nothing to do. Two servers never hold the same job: the
    /// claim is one conditional update.
    pub async fn claim_job(
        &self,
        server: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Job>, StoreError> {
        let stale = to_millis(now - STALE_CLAIM);
        // Jobs whose server stopped under them too often fail rather than run again.
        write!(self, |pool| {
            sqlx::query(
                "UPDATE export_jobs SET status = $1, message = $2, finished_at = $3 \
                 WHERE status = $4 AND heartbeat_at < $5 AND attempts >= $6",
            )
            .bind(JobStatus::Failed.code())
            .bind(INTERRUPTED)
            .bind(to_millis(now))
            .bind(JobStatus::Running.code())
            .bind(stale)
            .bind(MAX_ATTEMPTS)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        let candidate: Option<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM export_jobs WHERE status = $1 OR (status = $2 AND heartbeat_at < $3) ORDER BY id LIMIT 1",
            )
            .bind(JobStatus::Queued.code())
            .bind(JobStatus::Running.code())
            .bind(stale)
            .fetch_optional(pool)
            .await
        })?;
        let Some(id) = candidate else {
            return Ok(None);
        };
        let claimed = write!(self, |pool| {
            sqlx::query(
                "UPDATE export_jobs SET status = $2, claimed_by = $3, heartbeat_at = $4, progress = 0, \
                 attempts = attempts + 1 \
                 WHERE id = $1 AND (status = $5 OR (status = $2 AND heartbeat_at < $6))",
            )
            .bind(id)
            .bind(JobStatus::Running.code())
            .bind(server)
            .bind(to_millis(now))
            .bind(JobStatus::Queued.code())
            .bind(stale)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        if claimed == 0 {
            // Another server was quicker; the next tick looks again.
            return Ok(None);
        }
        self.job(id).await.map(Some)
    }

    /// Reports progress (and renews the claim) while the job is still this server's.
    pub async fn job_progress(
        &self,
        id: i64,
        server: &str,
        progress: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE export_jobs SET progress = $3, heartbeat_at = $4 WHERE id = $1 AND claimed_by = $2 AND status = $5",
            )
            .bind(id)
            .bind(server)
            .bind(progress.clamp(0, 100))
            .bind(to_millis(now))
            .bind(JobStatus::Running.code())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a job done with its file (already stored), or failed with a message.
    pub async fn finish_job(
        &self,
        id: i64,
        server: &str,
        outcome: Result<(&str, &str, &str), &str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (status, file, message) = match outcome {
            Ok(f) => (JobStatus::Done, Some(f), ""),
            Err(m) => (JobStatus::Failed, None, m),
        };
        write!(self, |pool| {
            sqlx::query(
                "UPDATE export_jobs SET status = $3, progress = $4, message = $5, file_sha256 = $6, file_name = $7, \
                 content_type = $8, finished_at = $9 WHERE id = $1 AND claimed_by = $2",
            )
            .bind(id)
            .bind(server)
            .bind(status.code())
            .bind(if status == JobStatus::Done { 100 } else { 0 })
            .bind(message)
            .bind(file.map(|f| f.0))
            .bind(file.map(|f| f.1))
            .bind(file.map(|f| f.2))
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// One job.
    pub async fn job(&self, id: i64) -> Result<Job, StoreError> {
        let row: Option<JobRow> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM export_jobs WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        job_of(row.ok_or(StoreError::NotFound)?)
    }

    /// An account's latest jobs, newest first.
    pub async fn jobs_of(&self, account: AccountId, limit: i64) -> Result<Vec<Job>, StoreError> {
        let rows: Vec<JobRow> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM export_jobs WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
            )))
            .bind(account.0)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(job_of).collect()
    }
}
