//! Published results of other bodies (PAR INDEX, SIPAS, PAPI, PCI, DTI): importing a checked
//! file (each index × year it holds replaces the stored set, in one transaction, with an audit
//! entry per set), the sets available, one set's table and one entity's series over the years.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::external::{IndexCode, ParsedFile, PublishedResult, entity_key, sort_results};
use chiso_core::framework::Points;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One stored set: an index and year, how many rows, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSet {
    pub index: IndexCode,
    pub year: i32,
    pub count: usize,
    /// The file name of the last import.
    pub source: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
}

/// What one import wrote, per set: rows stored and rows they replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalImported {
    pub index: IndexCode,
    pub year: i32,
    pub stored: usize,
    pub replaced: usize,
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    index_code: String,
    year: i64,
    name: String,
    value_scaled: i64,
    max_scaled: Option<i64>,
    published_rank: i64,
    rank_given: bool,
}

impl TryFrom<ResultRow> for PublishedResult {
    type Error = StoreError;
    fn try_from(r: ResultRow) -> Result<Self, StoreError> {
        Ok(PublishedResult {
            index: index_of(&r.index_code)?,
            year: i32::try_from(r.year)
                .map_err(|_| StoreError::Corrupt(format!("external result year {}", r.year)))?,
            name: r.name,
            value: Points::from_scaled(r.value_scaled),
            max: r.max_scaled.map(Points::from_scaled),
            rank: u32::try_from(r.published_rank).map_err(|_| {
                StoreError::Corrupt(format!("external result rank {}", r.published_rank))
            })?,
            rank_given: r.rank_given,
        })
    }
}

fn index_of(code: &str) -> Result<IndexCode, StoreError> {
    IndexCode::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("external index code {code}")))
}

fn scaled(p: Points, what: &str) -> Result<i64, StoreError> {
    p.to_scaled()
        .ok_or_else(|| StoreError::Corrupt(format!("{what} {p} has more than 4 decimal places")))
}

/// A row as the audit log keeps it.
#[derive(Serialize)]
struct Audited<'a> {
    name: &'a str,
    value: String,
    max: Option<String>,
    rank: u32,
    rank_given: bool,
}

fn audited(rows: &[PublishedResult]) -> Vec<Audited<'_>> {
    rows.iter()
        .map(|r| Audited {
            name: &r.name,
            value: r.value.to_string(),
            max: r.max.map(|m| m.to_string()),
            rank: r.rank,
            rank_given: r.rank_given,
        })
        .collect()
}

impl Store {
    /// Stores a checked file: every index × year it holds replaces what is stored for that
    /// index and year, all in one transaction, each set with an audit entry (before and after).
    pub async fn import_external_results(
        &self,
        file: &ParsedFile,
        source: &str,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<Vec<ExternalImported>, StoreError> {
        let ms = to_millis(now);
        let outcome = transaction!(self, |tx| {
            let mut outcome = Vec::with_capacity(file.sets.len());
            for set in &file.sets {
                // Read inside the transaction, so the audit's "before" is what was replaced.
                let old: Vec<ResultRow> = sqlx::query_as(
                    "SELECT index_code, year, name, value_scaled, max_scaled, published_rank, rank_given \
                     FROM external_results WHERE index_code = $1 AND year = $2",
                )
                .bind(set.index.code())
                .bind(i64::from(set.year))
                .fetch_all(&mut *tx)
                .await?;
                let mut old = old
                    .into_iter()
                    .map(PublishedResult::try_from)
                    .collect::<Result<Vec<_>, _>>()?;
                sort_results(&mut old, |r| r);
                let replaced =
                    sqlx::query("DELETE FROM external_results WHERE index_code = $1 AND year = $2")
                        .bind(set.index.code())
                        .bind(i64::from(set.year))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected() as usize;
                for row in &set.rows {
                    let r = &row.result;
                    sqlx::query(
                        "INSERT INTO external_results (index_code, year, name, name_search, value_scaled, max_scaled, \
                         published_rank, rank_given, source, imported_at, imported_by) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(set.index.code())
                    .bind(i64::from(set.year))
                    .bind(&r.name)
                    .bind(entity_key(&r.name))
                    .bind(scaled(r.value, "value")?)
                    .bind(r.max.map(|m| scaled(m, "maximum")).transpose()?)
                    .bind(i64::from(r.rank))
                    .bind(r.rank_given)
                    .bind(source)
                    .bind(ms)
                    .bind(&by.name)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        StoreError::unique(e, format!("{} {} {}", set.index, set.year, r.name))
                    })?;
                }
                let after = set.results();
                let entry = NewEntry::new(
                    now,
                    by,
                    "external_results.import",
                    "external_results",
                    format!("{}/{}", set.index, set.year),
                    format!(
                        "{source}: {} {} — {} dòng, thay {replaced} dòng",
                        set.index,
                        set.year,
                        set.rows.len()
                    ),
                )
                .before(&audited(&old))
                .after(&audited(&after));
                record_audit!(tx, entry);
                outcome.push(ExternalImported {
                    index: set.index,
                    year: set.year,
                    stored: set.rows.len(),
                    replaced,
                });
            }
            outcome
        });
        Ok(outcome)
    }

    /// Every stored index × year, in [`IndexCode::ALL`] order, newest year first.
    pub async fn external_sets(&self) -> Result<Vec<ExternalSet>, StoreError> {
        let rows: Vec<(String, i64, i64, String, i64, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT index_code, year, CAST(COUNT(*) AS BIGINT), MAX(source), MAX(imported_at), MAX(imported_by) \
                 FROM external_results GROUP BY index_code, year",
            )
            .fetch_all(pool)
            .await
        })?;
        let mut sets = rows
            .into_iter()
            .map(|(code, year, count, source, at, by)| {
                Ok(ExternalSet {
                    index: index_of(&code)?,
                    year: i32::try_from(year)
                        .map_err(|_| StoreError::Corrupt(format!("external year {year}")))?,
                    count: count as usize,
                    source,
                    imported_at: from_millis(at),
                    imported_by: by,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        sets.sort_by_key(|s| (s.index, std::cmp::Reverse(s.year)));
        Ok(sets)
    }

    /// One index × year, best rank first (ties by value, then in Vietnamese alphabetical order).
    pub async fn external_table(
        &self,
        index: IndexCode,
        year: i32,
    ) -> Result<Vec<PublishedResult>, StoreError> {
        let rows: Vec<ResultRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT index_code, year, name, value_scaled, max_scaled, published_rank, rank_given \
                 FROM external_results WHERE index_code = $1 AND year = $2",
            )
            .bind(index.code())
            .bind(i64::from(year))
            .fetch_all(pool)
            .await
        })?;
        let mut out = rows
            .into_iter()
            .map(PublishedResult::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        sort_results(&mut out, |r| r);
        Ok(out)
    }

    /// One entity's results of an index over the years, oldest first. The entity is named as
    /// any file or the units table writes it ("Tỉnh Minh Sơn" finds "Minh Sơn").
    pub async fn external_series(
        &self,
        index: IndexCode,
        name: &str,
    ) -> Result<Vec<PublishedResult>, StoreError> {
        let rows: Vec<ResultRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT index_code, year, name, value_scaled, max_scaled, published_rank, rank_given \
                 FROM external_results WHERE index_code = $1 AND name_search = $2 ORDER BY year",
            )
            .bind(index.code())
            .bind(entity_key(name))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(PublishedResult::try_from).collect()
    }
}
