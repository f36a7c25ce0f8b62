//! What results are computed from, beyond the scores of a round: survey points of survey items,
//! items a unit declared not applicable, every unit's attributes at once; and the published,
//! immutable snapshots of a round's results.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::rounds::RoundId;
use crate::time::{from_millis, to_millis};
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use chiso_core::round::entry::SelfEntry;
use chiso_core::round::ledger::{Event, EventKind};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// Survey points of one survey item for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyPoint {
    pub unit: UnitId,
    pub node: String,
    pub points: Points,
    /// Forms behind the figure, when known (for rank stability).
    pub sample_size: Option<i64>,
    /// Where the figure comes from (a decision, a survey campaign).
    pub source: String,
}

/// A publication of a round's results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: i64,
    pub round: RoundId,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub public: bool,
    /// The frozen table, as JSON (`chiso_core::results::snapshot::Snapshot`).
    pub snapshot: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

#[derive(sqlx::FromRow)]
struct PublicationRow {
    id: i64,
    round_id: i64,
    decision_number: String,
    decision_date: NaiveDate,
    public: bool,
    snapshot: String,
    published_at: i64,
    published_by: String,
}

impl From<PublicationRow> for Publication {
    fn from(r: PublicationRow) -> Publication {
        Publication {
            id: r.id,
            round: RoundId(r.round_id),
            decision_number: r.decision_number,
            decision_date: r.decision_date,
            public: r.public,
            snapshot: r.snapshot,
            published_at: from_millis(r.published_at),
            published_by: r.published_by,
        }
    }
}

impl Store {
    /// Every survey point of a round.
    pub async fn survey_points(&self, round: RoundId) -> Result<Vec<SurveyPoint>, StoreError> {
        let rows: Vec<(i64, String, i64, Option<i64>, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, node_code, points_scaled, sample_size, source FROM survey_points \
                 WHERE round_id = $1 ORDER BY unit_id, node_code",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(u, node, p, n, source)| SurveyPoint {
                unit: UnitId(u),
                node,
                points: Points::from_scaled(p),
                sample_size: n,
                source,
            })
            .collect())
    }

    /// Stores survey points (new or changed ones), each change a `survey` ledger event, all in
    /// one transaction with one audit entry. Returns how many changed.
    pub async fn set_survey_points(
        &self,
        round: RoundId,
        rows: &[SurveyPoint],
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let before: HashMap<(UnitId, String), SurveyPoint> = self
            .survey_points(round)
            .await?
            .into_iter()
            .map(|s| ((s.unit, s.node.clone()), s))
            .collect();
        let changed: Vec<&SurveyPoint> = rows
            .iter()
            .filter(|r| before.get(&(r.unit, r.node.clone())) != Some(*r))
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        let mut events = Vec::new();
        for r in &changed {
            let scaled = r.points.to_scaled().ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "survey points {} of {}: more than four decimals",
                    r.points, r.node
                ))
            })?;
            let old = before
                .get(&(r.unit, r.node.clone()))
                .and_then(|b| b.points.to_scaled());
            events.push((
                *r,
                scaled,
                Event {
                    round: round.0,
                    unit: r.unit.0,
                    node: r.node.clone(),
                    kind: EventKind::Survey,
                    actor: by.name.clone(),
                    at: to_millis(now),
                    old_value: old.map(|v| v.to_string()),
                    new_value: Some(scaled.to_string()),
                    reason: match r.sample_size {
                        Some(n) => format!("{} (n = {n})", r.source),
                        None => r.source.clone(),
                    },
                },
            ));
        }
        let count = events.len();
        transaction!(self, |tx| {
            for (r, scaled, _) in &events {
                sqlx::query(
                    "INSERT INTO survey_points (round_id, unit_id, node_code, points_scaled, sample_size, source, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (round_id, unit_id, node_code) DO UPDATE SET points_scaled = $4, sample_size = $5, \
                     source = $6, updated_at = $7, updated_by = $8",
                )
                .bind(round.0)
                .bind(r.unit.0)
                .bind(&r.node)
                .bind(*scaled)
                .bind(r.sample_size)
                .bind(&r.source)
                .bind(to_millis(now))
                .bind(&by.name)
                .execute(&mut *tx)
                .await?;
            }
            let ledger: Vec<Event> = events.iter().map(|(_, _, e)| e.clone()).collect();
            append_ledger!(tx, ledger);
            let entry = NewEntry::new(
                now,
                by,
                "results.survey_points",
                "round",
                round,
                format!("{count}"),
            )
            .after(&serde_json::json!({ "changed": count }));
            record_audit!(tx, entry);
        });
        Ok(count)
    }

    /// The items each unit of a round declared not applicable (with a reason): they leave the
    /// unit's maximum like exemptions by attribute.
    pub async fn not_applicable_items(
        &self,
        round: RoundId,
    ) -> Result<Vec<(UnitId, String)>, StoreError> {
        // Entries are stored as serde_json text, which always writes the key; only declared
        // ones are read and parsed.
        let rows: Vec<(i64, String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT unit_id, node_code, entry FROM self_entries \
                 WHERE round_id = $1 AND entry NOT LIKE '%\"not_applicable\":null%'",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        let mut out = Vec::new();
        for (u, node, entry) in rows {
            let e: SelfEntry = serde_json::from_str(&entry)
                .map_err(|e| StoreError::Corrupt(format!("self entry {u}/{node}: {e}")))?;
            if e.not_applicable.is_some() {
                out.push((UnitId(u), node));
            }
        }
        Ok(out)
    }

    /// Every unit's attributes, in one query.
    pub async fn all_unit_attributes(
        &self,
    ) -> Result<HashMap<UnitId, BTreeMap<String, bool>>, StoreError> {
        let rows: Vec<(i64, String, bool)> = read!(self, |pool| {
            sqlx::query_as("SELECT unit_id, name, value FROM unit_attributes")
                .fetch_all(pool)
                .await
        })?;
        let mut out: HashMap<UnitId, BTreeMap<String, bool>> = HashMap::new();
        for (u, name, value) in rows {
            out.entry(UnitId(u)).or_default().insert(name, value);
        }
        Ok(out)
    }

    /// Freezes a round's results under the decision that announces them, with an audit entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_results(
        &self,
        round: RoundId,
        decision_number: &str,
        decision_date: NaiveDate,
        public: bool,
        snapshot: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(transaction!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO published_results (round_id, decision_number, decision_date, public, snapshot, published_at, published_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(round.0)
            .bind(decision_number)
            .bind(decision_date)
            .bind(public)
            .bind(snapshot)
            .bind(to_millis(now))
            .bind(&by.name)
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "results.publish",
                "round",
                round,
                format!("{decision_number} ({decision_date})"),
            )
            .after(&serde_json::json!({ "publication": id, "public": public }));
            record_audit!(tx, entry);
            id
        }))
    }

    /// The publications of a round, newest first.
    pub async fn publications(&self, round: RoundId) -> Result<Vec<Publication>, StoreError> {
        let rows: Vec<PublicationRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, round_id, decision_number, decision_date, public, snapshot, published_at, published_by \
                 FROM published_results WHERE round_id = $1 ORDER BY id DESC",
            )
            .bind(round.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(Publication::from).collect())
    }

    /// Whether a round's results were published.
    pub async fn is_published(&self, round: RoundId) -> Result<bool, StoreError> {
        Ok(self.count_publications(round).await? > 0)
    }

    /// How many times a round's results were published.
    pub async fn count_publications(&self, round: RoundId) -> Result<usize, StoreError> {
        let n: i64 = read!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM published_results WHERE round_id = $1")
                .bind(round.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// One publication.
    pub async fn publication(&self, id: i64) -> Result<Publication, StoreError> {
        let row: Option<PublicationRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, round_id, decision_number, decision_date, public, snapshot, published_at, published_by \
                 FROM published_results WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(Publication::from).ok_or(StoreError::NotFound)
    }

    /// Every public publication, newest first (the public results page).
    pub async fn public_publications(&self) -> Result<Vec<Publication>, StoreError> {
        let rows: Vec<PublicationRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, round_id, decision_number, decision_date, public, snapshot, published_at, published_by \
                 FROM published_results WHERE public = $1 ORDER BY decision_date DESC, id DESC",
            )
            .bind(true)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(Publication::from).collect())
    }
}
