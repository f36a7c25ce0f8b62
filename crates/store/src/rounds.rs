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
    /// The caller has validated the schedule. The round continues the latest round of the same
    /// framework code from an earlier year, if any (its figures and documents are offered again).
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
            let previous: Option<i64> = sqlx::query_scalar(
                "SELECT r.id FROM rounds r JOIN frameworks f ON f.id = r.framework_id \
                 WHERE f.code = (SELECT code FROM frameworks WHERE id = $1) \
                 AND f.year < (SELECT year FROM frameworks WHERE id = $1) \
                 ORDER BY f.year DESC, r.id DESC LIMIT 1",
            )
            .bind(framework.0)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query("UPDATE rounds SET previous_round_id = $2 WHERE id = $1")
                .bind(id)
                .bind(previous)
                .execute(&mut *tx)
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
                .after(&serde_json::json!({ "framework": framework.0, "units": units.len(), "schedule": schedule, "previous_round": previous }));
            record_audit!(tx, entry);
            id
        });
        Ok(RoundId(id))
    }
}

/// A round as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSummary {
    pub id: RoundId,
    pub framework: FrameworkId,
    pub name: String,
    pub phase: Phase,
    pub schedule: Schedule,
    pub units: i64,
    pub submitted: i64,
    /// Last year's round this one continues.
    pub previous: Option<RoundId>,
}

/// A unit in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundUnit {
    pub unit: UnitId,
    pub state: UnitState,
    pub extension_until: Option<chrono::NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    framework_id: i64,
    name: String,
    phase: String,
    self_assessment_opens: chrono::NaiveDate,
    submission_due: chrono::NaiveDate,
    appraisal1_due: chrono::NaiveDate,
    explanation_due: chrono::NaiveDate,
    appraisal2_due: chrono::NaiveDate,
    units: i64,
    submitted: i64,
    previous_round_id: Option<i64>,
}

fn summary_of(r: RoundRow) -> Result<RoundSummary, StoreError> {
    Ok(RoundSummary {
        id: RoundId(r.id),
        framework: FrameworkId(r.framework_id),
        name: r.name,
        phase: Phase::from_code(&r.phase)
            .ok_or_else(|| StoreError::Corrupt(format!("phase {}", r.phase)))?,
        schedule: Schedule {
            self_assessment_opens: r.self_assessment_opens,
            submission_due: r.submission_due,
            appraisal1_due: r.appraisal1_due,
            explanation_due: r.explanation_due,
            appraisal2_due: r.appraisal2_due,
        },
        units: r.units,
        submitted: r.submitted,
        previous: r.previous_round_id.map(RoundId),
    })
}

fn unit_state(code: &str) -> Option<UnitState> {
    [
        UnitState::Drafting,
        UnitState::Submitted,
        UnitState::Appraised1,
        UnitState::Explained,
        UnitState::Final,
    ]
    .into_iter()
    .find(|s| s.code() == code)
}

impl Store {
    /// Every round, newest first.
    pub async fn list_rounds(&self) -> Result<Vec<RoundSummary>, StoreError> {
        let rows: Vec<RoundRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.framework_id, r.name, r.phase, r.previous_round_id, r.self_assessment_opens, r.submission_due, r.appraisal1_due, \
                        r.explanation_due, r.appraisal2_due, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM round_units u WHERE u.round_id = r.id) AS units, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM round_units u WHERE u.round_id = r.id AND u.state <> 'drafting') AS submitted \
                 FROM rounds r ORDER BY r.id DESC",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(summary_of).collect()
    }

    /// One round.
    pub async fn round(&self, id: RoundId) -> Result<RoundSummary, StoreError> {
        let row: Option<RoundRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.framework_id, r.name, r.phase, r.previous_round_id, r.self_assessment_opens, r.submission_due, r.appraisal1_due, \
                        r.explanation_due, r.appraisal2_due, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM round_units u WHERE u.round_id = r.id) AS units, \
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM round_units u WHERE u.round_id = r.id AND u.state <> 'drafting') AS submitted \
                 FROM rounds r WHERE r.id = $1",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await
        })?;
        summary_of(row.ok_or(StoreError::NotFound)?)
    }

    /// The units of a round with their states.
    pub async fn round_units(&self, id: RoundId) -> Result<Vec<RoundUnit>, StoreError> {
        let rows: Vec<(i64, String, Option<chrono::NaiveDate>)> = read!(self, |pool| {
            sqlx::query_as("SELECT unit_id, state, extension_until FROM round_units WHERE round_id = $1 ORDER BY unit_id")
                .bind(id.0)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter()
            .map(|(u, s, e)| {
                Ok(RoundUnit {
                    unit: UnitId(u),
                    state: unit_state(&s)
                        .ok_or_else(|| StoreError::Corrupt(format!("unit state {s}")))?,
                    extension_until: e,
                })
            })
            .collect()
    }

    /// Moves a round to another phase (the caller checked the change is allowed), logged with
    /// the reason.
    pub async fn set_round_phase(
        &self,
        id: RoundId,
        from: Phase,
        to: Phase,
        reason: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed = sqlx::query("UPDATE rounds SET phase = $2 WHERE id = $1 AND phase = $3")
                .bind(id.0)
                .bind(to.code())
                .bind(from.code())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                // Someone else moved it first.
                return Err(StoreError::Conflict(format!(
                    "round {id} is no longer in {}",
                    from.code()
                )));
            }
            let entry = NewEntry::new(
                now,
                by,
                "round.phase",
                "round",
                id,
                format!("{} → {}", from.code(), to.code()),
            )
            .before(&serde_json::json!({ "phase": from.code() }))
            .after(&serde_json::json!({ "phase": to.code(), "reason": reason }));
            record_audit!(tx, entry);
        });
        Ok(())
    }
}

impl Store {
    /// One unit's state in a round.
    pub async fn round_unit(&self, round: RoundId, unit: UnitId) -> Result<RoundUnit, StoreError> {
        let row: Option<(String, Option<chrono::NaiveDate>)> = read!(self, |pool| {
            sqlx::query_as("SELECT state, extension_until FROM round_units WHERE round_id = $1 AND unit_id = $2")
                .bind(round.0)
                .bind(unit.0)
                .fetch_optional(pool)
                .await
        })?;
        let (state, extension_until) = row.ok_or(StoreError::NotFound)?;
        Ok(RoundUnit {
            unit,
            state: unit_state(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("unit state {state}")))?,
            extension_until,
        })
    }

    /// Moves a unit from one state to another (the caller applied the workflow), audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_unit_state(
        &self,
        round: RoundId,
        unit: UnitId,
        from: UnitState,
        to: UnitState,
        step: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let changed = sqlx::query("UPDATE round_units SET state = $3 WHERE round_id = $1 AND unit_id = $2 AND state = $4")
                .bind(round.0)
                .bind(unit.0)
                .bind(to.code())
                .bind(from.code())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "unit {unit} in round {round}"
                )));
            }
            let entry = NewEntry::new(
                now,
                by,
                "round.unit_state",
                "round",
                round,
                format!("{step}: {unit}"),
            )
            .before(&serde_json::json!({ "unit": unit.0, "state": from.code() }))
            .after(&serde_json::json!({ "unit": unit.0, "state": to.code() }));
            record_audit!(tx, entry);
        });
        Ok(())
    }
}

impl Store {
    /// Gives one unit a later last day (or removes it with `None`), logged with the reason.
    pub async fn set_extension(
        &self,
        round: RoundId,
        unit: UnitId,
        until: Option<chrono::NaiveDate>,
        reason: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.round_unit(round, unit).await?;
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE round_units SET extension_until = $3 WHERE round_id = $1 AND unit_id = $2",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(until)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "round.extension",
                "round",
                round,
                format!("{unit}: {reason}"),
            )
            .before(&serde_json::json!({ "unit": unit.0, "until": before.extension_until }))
            .after(&serde_json::json!({ "unit": unit.0, "until": until, "reason": reason }));
            record_audit!(tx, entry);
        });
        Ok(())
    }
}
