//! Appraisal in storage: each round's appraised score per item (versioned like self entries),
//! the unit's answers in the explanation phase, the final scores written when round 2
//! concludes, and administrators' corrections. Every score event goes to the ledger in the same
//! transaction as the score it records.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::rounds::RoundId;
use crate::time::{from_millis, to_millis};
use chiso_core::framework::points::Points;
use chiso_core::ids::UnitId;
use chiso_core::round::appraisal::{AppraisalInput, Ask, Stage};
use chiso_core::round::entry::SelfEntry;
use chiso_core::round::ledger::{Event, EventKind};
use chiso_core::round::workflow::UnitState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A stored appraisal of one item in one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAppraisal {
    pub points: Option<Points>,
    pub corrected: Option<SelfEntry>,
    pub reason: String,
    pub ask: Option<Ask>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// The unit's answer to the appraisal of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub answer: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// The outcome of an appraisal save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppraisalOutcome {
    Saved {
        version: i64,
    },
    /// Another appraiser saved since this version was read: nothing was written.
    Conflict(Box<StoredAppraisal>),
}

/// Everything recorded for one item of one unit in a round (for council views and results).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemScores {
    pub unit: UnitId,
    pub node: String,
    pub self_points: Option<Points>,
    pub round1: Option<Option<Points>>,
    pub round2: Option<Option<Points>>,
    /// Set once round 2 concluded for the unit (and after corrections).
    pub final_points: Option<Option<Points>>,
    /// A question of round 1 still without an answer.
    pub open_question: bool,
}

#[derive(sqlx::FromRow)]
struct AppraisalRow {
    node_code: String,
    stage: i64,
    points_scaled: Option<i64>,
    corrected: Option<String>,
    reason: String,
    ask: Option<String>,
    version: i64,
    updated_at: i64,
    updated_by: String,
}

fn appraisal_of(r: &AppraisalRow) -> Result<StoredAppraisal, StoreError> {
    Ok(StoredAppraisal {
        points: r.points_scaled.map(Points::from_scaled),
        corrected: r
            .corrected
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("corrected figures: {e}")))?,
        reason: r.reason.clone(),
        ask: match r.ask.as_deref() {
            None => None,
            Some(code) => Some(
                Ask::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("ask {code}")))?,
            ),
        },
        version: r.version,
        updated_at: from_millis(r.updated_at),
        updated_by: r.updated_by.clone(),
    })
}

fn stage_of(n: i64) -> Result<Stage, StoreError> {
    Stage::from_number(n).ok_or_else(|| StoreError::Corrupt(format!("appraisal stage {n}")))
}

impl Store {
    /// Every appraisal of a unit in a round, by item and stage.
    pub async fn appraisals(
        &self,
        round: RoundId,
        unit: UnitId,
    ) -> Result<HashMap<(String, Stage), StoredAppraisal>, StoreError> {
        let rows: Vec<AppraisalRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT node_code, stage, points_scaled, corrected, reason, ask, version, updated_at, updated_by \
                 FROM appraisals WHERE round_id = $1 AND unit_id = $2",
            )
                .bind(round.0)
                .bind(unit.0)
                .fetch_all(pool)
                .await
        })?;
        rows.iter()
            .map(|r| Ok(((r.node_code.clone(), stage_of(r.stage)?), appraisal_of(r)?)))
            .collect()
    }

    /// Saves an appraisal read at `expected_version` (0 if new). `points` is the appraised
    /// score the caller computed from `input`; `baseline` what it started from (for the ledger's
    /// old value on a first save).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_appraisal(
        &self,
        round: RoundId,
        unit: UnitId,
        node: &str,
        stage: Stage,
        input: &AppraisalInput,
        points: Option<Points>,
        baseline: Option<Points>,
        expected_version: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<AppraisalOutcome, StoreError> {
        let corrected = input
            .corrected
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let scaled = points.and_then(Points::to_scaled);
        let outcome = transaction!(self, |tx| {
            let current: Option<AppraisalRow> = sqlx::query_as(
                "SELECT node_code, stage, points_scaled, corrected, reason, ask, version, updated_at, updated_by \
                 FROM appraisals WHERE round_id = $1 AND unit_id = $2 AND node_code = $3 AND stage = $4",
            )
                .bind(round.0)
                .bind(unit.0)
                .bind(node)
                .bind(stage.number())
                .fetch_optional(&mut *tx)
                .await?;
            let current_version = current.as_ref().map_or(0, |c| c.version);
            if current_version != expected_version {
                let row =
                    current.ok_or_else(|| StoreError::Corrupt("a version without a row".into()))?;
                AppraisalOutcome::Conflict(Box::new(appraisal_of(&row)?))
            } else {
                let version = current_version + 1;
                let written = sqlx::query(
                    "INSERT INTO appraisals (round_id, unit_id, node_code, stage, points_scaled, corrected, reason, ask, version, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (round_id, unit_id, node_code, stage) DO UPDATE SET points_scaled = $5, corrected = $6, \
                     reason = $7, ask = $8, version = $9, updated_at = $10, updated_by = $11 WHERE appraisals.version = $12",
                )
                .bind(round.0)
                .bind(unit.0)
                .bind(node)
                .bind(stage.number())
                .bind(scaled)
                .bind(corrected.as_deref())
                .bind(&input.reason)
                .bind(input.ask.map(Ask::code))
                .bind(version)
                .bind(to_millis(now))
                .bind(&by.name)
                .bind(current_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if written == 0 {
                    return Err(StoreError::Conflict(format!(
                        "appraisal {round}/{unit}/{node}"
                    )));
                }
                let old = match &current {
                    Some(c) => c.points_scaled,
                    None => baseline.and_then(Points::to_scaled),
                };
                let event = Event {
                    round: round.0,
                    unit: unit.0,
                    node: node.to_string(),
                    kind: stage.event(),
                    actor: by.name.clone(),
                    at: to_millis(now),
                    old_value: old.map(|v| v.to_string()),
                    new_value: scaled.map(|v| v.to_string()),
                    reason: input.reason.clone(),
                };
                append_ledger!(tx, [event]);
                AppraisalOutcome::Saved { version }
            }
        });
        Ok(outcome)
    }

    /// The unit's answers in a round, by item.
    pub async fn answers(
        &self,
        round: RoundId,
        unit: UnitId,
    ) -> Result<HashMap<String, StoredAnswer>, StoreError> {
        let rows: Vec<(String, String, i64, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT node_code, answer, updated_at, updated_by FROM explanations WHERE round_id = $1 AND unit_id = $2",
            )
            .bind(round.0)
            .bind(unit.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(code, answer, at, by)| {
                (
                    code,
                    StoredAnswer {
                        answer,
                        updated_at: from_millis(at),
                        updated_by: by,
                    },
                )
            })
            .collect())
    }

    /// Records the unit's answer for an item. The ledger entry carries the standing score
    /// unchanged (an explanation never changes a score by itself) and the answer as reason.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_answer(
        &self,
        round: RoundId,
        unit: UnitId,
        node: &str,
        answer: &str,
        standing: Option<Points>,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let value = standing.and_then(Points::to_scaled).map(|v| v.to_string());
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO explanations (round_id, unit_id, node_code, answer, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (round_id, unit_id, node_code) DO UPDATE SET answer = $4, updated_at = $5, updated_by = $6",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(node)
            .bind(answer)
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let event = Event {
                round: round.0,
                unit: unit.0,
                node: node.to_string(),
                kind: EventKind::Explanation,
                actor: by.name.clone(),
                at: to_millis(now),
                old_value: value.clone(),
                new_value: value,
                reason: answer.to_string(),
            };
            append_ledger!(tx, [event]);
        });
        Ok(())
    }

    /// Concludes round 2 for a unit: moves it to final and writes every item's final score,
    /// each with its ledger entry, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn conclude_final(
        &self,
        round: RoundId,
        unit: UnitId,
        from: UnitState,
        finals: &[(String, Option<Points>)],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let at = to_millis(now);
        transaction!(self, |tx| {
            let changed = sqlx::query(
                "UPDATE round_units SET state = $3 WHERE round_id = $1 AND unit_id = $2 AND state = $4",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(UnitState::Final.code())
            .bind(from.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "unit {unit} in round {round}"
                )));
            }
            let mut events = Vec::new();
            for (code, points) in finals {
                let scaled = points.and_then(Points::to_scaled);
                sqlx::query(
                    "INSERT INTO final_scores (round_id, unit_id, node_code, points_scaled, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(round.0)
                .bind(unit.0)
                .bind(code)
                .bind(scaled)
                .bind(at)
                .bind(&by.name)
                .execute(&mut *tx)
                .await?;
                events.push(Event {
                    round: round.0,
                    unit: unit.0,
                    node: code.clone(),
                    kind: EventKind::Final,
                    actor: by.name.clone(),
                    at,
                    old_value: None,
                    new_value: scaled.map(|v| v.to_string()),
                    reason: String::new(),
                });
            }
            append_ledger!(tx, events);
            let entry = NewEntry::new(
                now,
                by,
                "round.unit_state",
                "round",
                round,
                format!("conclude_appraisal_2: {unit}"),
            )
            .before(&serde_json::json!({ "unit": unit.0, "state": from.code() }))
            .after(&serde_json::json!({ "unit": unit.0, "state": UnitState::Final.code(), "items": finals.len() }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// An administrator's correction of a final score, with its reason, in the ledger and the
    /// audit log.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_final(
        &self,
        round: RoundId,
        unit: UnitId,
        node: &str,
        points: Option<Points>,
        reason: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let scaled = points.and_then(Points::to_scaled);
        transaction!(self, |tx| {
            let old: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT points_scaled FROM final_scores WHERE round_id = $1 AND unit_id = $2 AND node_code = $3",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(node)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(old) = old else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(
                "UPDATE final_scores SET points_scaled = $4, updated_at = $5, updated_by = $6 \
                 WHERE round_id = $1 AND unit_id = $2 AND node_code = $3",
            )
            .bind(round.0)
            .bind(unit.0)
            .bind(node)
            .bind(scaled)
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let event = Event {
                round: round.0,
                unit: unit.0,
                node: node.to_string(),
                kind: EventKind::AdminCorrection,
                actor: by.name.clone(),
                at: to_millis(now),
                old_value: old.map(|v| v.to_string()),
                new_value: scaled.map(|v| v.to_string()),
                reason: reason.to_string(),
            };
            append_ledger!(tx, [event]);
            let entry = NewEntry::new(
                now,
                by,
                "score.correct",
                "round",
                round,
                format!("{unit}/{node}: {reason}"),
            )
            .before(&serde_json::json!({ "unit": unit.0, "node": node, "points_scaled": old }))
            .after(&serde_json::json!({ "unit": unit.0, "node": node, "points_scaled": scaled, "reason": reason }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// Every item's scores of every unit in a round, in four queries (council view, results).
    pub async fn round_scores(&self, round: RoundId) -> Result<Vec<ItemScores>, StoreError> {
        let selfs: Vec<(i64, String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, node_code, self_points_scaled FROM self_entries WHERE round_id = $1",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        type AppraisedRow = (i64, String, i64, Option<i64>, Option<String>);
        let appraised: Vec<AppraisedRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, node_code, stage, points_scaled, ask FROM appraisals WHERE round_id = $1",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        let answered: Vec<(i64, String)> = read!(self, |pool| {
            sqlx::query_as("SELECT unit_id, node_code FROM explanations WHERE round_id = $1")
                .bind(round.0)
                .fetch_all(pool)
                .await
        })?;
        let finals: Vec<(i64, String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, node_code, points_scaled FROM final_scores WHERE round_id = $1",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        let mut items: std::collections::BTreeMap<(i64, String), ItemScores> =
            std::collections::BTreeMap::new();
        fn at<'a>(
            items: &'a mut std::collections::BTreeMap<(i64, String), ItemScores>,
            unit: i64,
            node: &str,
        ) -> &'a mut ItemScores {
            items
                .entry((unit, node.to_string()))
                .or_insert_with(|| ItemScores {
                    unit: UnitId(unit),
                    node: node.to_string(),
                    self_points: None,
                    round1: None,
                    round2: None,
                    final_points: None,
                    open_question: false,
                })
        }
        for (u, n, p) in selfs {
            at(&mut items, u, &n).self_points = p.map(Points::from_scaled);
        }
        let answered: std::collections::HashSet<(i64, String)> = answered.into_iter().collect();
        for (u, n, stage, p, ask) in appraised {
            let open = stage == 1 && ask.is_some() && !answered.contains(&(u, n.clone()));
            let item = at(&mut items, u, &n);
            let value = Some(p.map(Points::from_scaled));
            match stage_of(stage)? {
                Stage::One => item.round1 = value,
                Stage::Two => item.round2 = value,
            }
            item.open_question |= open;
        }
        for (u, n, p) in finals {
            at(&mut items, u, &n).final_points = Some(p.map(Points::from_scaled));
        }
        Ok(items.into_values().collect())
    }

    /// The final scores of a unit in a round, by item (empty until round 2 concludes).
    pub async fn final_scores(
        &self,
        round: RoundId,
        unit: UnitId,
    ) -> Result<HashMap<String, Option<Points>>, StoreError> {
        let rows: Vec<(String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT node_code, points_scaled FROM final_scores WHERE round_id = $1 AND unit_id = $2",
            )
            .bind(round.0)
            .bind(unit.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(c, p)| (c, p.map(Points::from_scaled)))
            .collect())
    }
}
