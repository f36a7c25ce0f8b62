//! Assessment rounds in storage.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::frameworks::FrameworkId;
use crate::time::to_millis;
use chiso_core::ids::UnitId;
use chiso_core::round::phase::Phase;
use chiso_core::round::schedule::Schedule;
use chiso_core::round::workflow::UnitState;
use chrono::{DateTime, Utc};

/// A round's identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoundId(pub i64);

impl std::fmt::Display for RoundId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Store {
    /// Creates a round in preparation with its units (all drafting), in one transaction.
    /// The caller has validated the schedule.
    pub async fn create_round(
        &self,
        framework: FrameworkId,
        name: &str,
        schedule: &Schedule,
        units: &[UnitId],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<RoundId, StoreError> {
        let id = transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO rounds (framework_id, name, phase, self_assessment_opens, submission_due, appraisal1_due, \
                 explanation_due, appraisal2_due, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(framework.0)
            .bind(name)
            .bind(Phase::Preparing.code())
            .bind(schedule.self_assessment_opens)
            .bind(schedule.submission_due)
            .bind(schedule.appraisal1_due)
            .bind(schedule.explanation_due)
            .bind(schedule.appraisal2_due)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await?;
            for unit in units {
                sqlx::query(
                    "INSERT INTO round_units (round_id, unit_id, state) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(unit.0)
                .bind(UnitState::Drafting.code())
                .execute(&mut *tx)
                .await?;
            }
            let entry = NewEntry::new(now, by, "round.create", "round", id, name.to_string())
                .after(&serde_json::json!({ "framework": framework.0, "units": units.len(), "schedule": schedule }));
            record_audit!(tx, entry);
            id
        });
        Ok(RoundId(id))
    }
}
