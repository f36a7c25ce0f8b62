//! Evidence: file contents kept once per unit and content (by SHA-256) in an object store
//! (a local folder by default), their metadata in the database, and links to the items they back.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::UnitId;
use chrono::{DateTime, NaiveDate, Utc};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

/// Where evidence contents live.
#[derive(Clone)]
pub struct Files(Arc<dyn ObjectStore>);

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Files")
    }
}

impl Files {
    /// A local folder (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Files, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Corrupt(format!("evidence folder {}: {e}", dir.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StoreError::Corrupt(format!("evidence folder {}: {e}", dir.display())))?;
        Ok(Files(Arc::new(fs)))
    }

    fn key(sha256: &str) -> ObjectPath {
        // Content-addressed: the same bytes are stored once, and a key can never escape the
        // folder (it is hex, built here, never from a file name).
        ObjectPath::from(format!("sha256/{}/{}", &sha256[..2], sha256))
    }

    /// Stores content under its hash (idempotent).
    pub async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.0
            .put(&Files::key(sha256), PutPayload::from(bytes))
            .await
            .map_err(|e| StoreError::Corrupt(format!("evidence write: {e}")))?;
        Ok(())
    }

    /// Reads content back.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let r = self
            .0
            .get(&Files::key(sha256))
            .await
            .map_err(|_| StoreError::NotFound)?;
        Ok(r.bytes()
            .await
            .map_err(|e| StoreError::Corrupt(format!("evidence read: {e}")))?
            .to_vec())
    }
}

/// A document's metadata as entered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceMeta {
    pub file_name: String,
    pub content_type: String,
    pub doc_number: String,
    pub doc_date: Option<NaiveDate>,
    pub issuer: String,
    pub effective_date: Option<NaiveDate>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: i64,
    pub unit: UnitId,
    pub sha256: String,
    pub size: i64,
    pub meta: EvidenceMeta,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: i64,
    unit_id: i64,
    sha256: String,
    file_name: String,
    content_type: String,
    size: i64,
    doc_number: String,
    doc_date: Option<NaiveDate>,
    issuer: String,
    effective_date: Option<NaiveDate>,
    uploaded_by: String,
    uploaded_at: i64,
}

#[derive(sqlx::FromRow)]
struct LinkedRow {
    node_code: String,
    #[sqlx(flatten)]
    evidence: EvidenceRow,
}

impl From<EvidenceRow> for Evidence {
    fn from(r: EvidenceRow) -> Self {
        Evidence {
            id: r.id,
            unit: UnitId(r.unit_id),
            sha256: r.sha256,
            size: r.size,
            meta: EvidenceMeta {
                file_name: r.file_name,
                content_type: r.content_type,
                doc_number: r.doc_number,
                doc_date: r.doc_date,
                issuer: r.issuer,
                effective_date: r.effective_date,
            },
            uploaded_by: r.uploaded_by,
            uploaded_at: from_millis(r.uploaded_at),
        }
    }
}

impl Store {
    /// Records a document of a unit (reusing the same content if already stored) and links it
    /// to an item, in one transaction. The caller stored the content in [`Files`] first.
    #[allow(clippy::too_many_arguments)]
    pub async fn attach_evidence(
        &self,
        round: i64,
        unit: UnitId,
        node: &str,
        sha256: &str,
        size: i64,
        meta: &EvidenceMeta,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let id = transaction!(self, |tx| {
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM evidence WHERE unit_id = $1 AND sha256 = $2")
                    .bind(unit.0)
                    .bind(sha256)
                    .fetch_optional(&mut *tx)
                    .await?;
            let id = match existing {
                Some(id) => id,
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO evidence (unit_id, sha256, file_name, content_type, size, doc_number, doc_date, issuer, \
                         effective_date, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    )
                    .bind(unit.0)
                    .bind(sha256)
                    .bind(&meta.file_name)
                    .bind(&meta.content_type)
                    .bind(size)
                    .bind(&meta.doc_number)
                    .bind(meta.doc_date)
                    .bind(&meta.issuer)
                    .bind(meta.effective_date)
                    .bind(&by.name)
                    .bind(to_millis(now))
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            sqlx::query(
                "INSERT INTO evidence_links (round_id, unit_id, node_code, evidence_id, linked_at, linked_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (round_id, unit_id, node_code, evidence_id) DO NOTHING",
            )
            .bind(round)
            .bind(unit.0)
            .bind(node)
            .bind(id)
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(now, by, "evidence.attach", "evidence", id, format!("{node}: {}", meta.file_name))
                .after(&serde_json::json!({ "round": round, "unit": unit.0, "node": node, "sha256": sha256, "meta": meta }));
            record_audit!(tx, entry);
            id
        });
        Ok(id)
    }

    /// Links a document the unit already holds (e.g. last year's) to an item of a round,
    /// audited. A document of another unit is not found.
    pub async fn reuse_evidence(
        &self,
        round: i64,
        unit: UnitId,
        node: &str,
        evidence: i64,
        by: &By,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        transaction!(self, |tx| {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT unit_id FROM evidence WHERE id = $1")
                    .bind(evidence)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner != Some(unit.0) {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO evidence_links (round_id, unit_id, node_code, evidence_id, linked_at, linked_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (round_id, unit_id, node_code, evidence_id) DO NOTHING",
            )
            .bind(round)
            .bind(unit.0)
            .bind(node)
            .bind(evidence)
            .bind(to_millis(now))
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let entry = NewEntry::new(
                now,
                by,
                "evidence.reuse",
                "evidence",
                evidence,
                node.to_string(),
            )
            .after(&serde_json::json!({ "round": round, "unit": unit.0, "node": node }));
            record_audit!(tx, entry);
        });
        Ok(())
    }

    /// One document.
    pub async fn evidence(&self, id: i64) -> Result<Evidence, StoreError> {
        let row: Option<EvidenceRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, unit_id, sha256, file_name, content_type, size, doc_number, doc_date, issuer, effective_date, \
                 uploaded_by, uploaded_at FROM evidence WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(Evidence::from).ok_or(StoreError::NotFound)
    }

    /// The documents backing the items of a unit in a round (one item when `node` is given):
    /// (node code, document), in the order they were attached.
    pub async fn evidence_for(
        &self,
        round: i64,
        unit: UnitId,
        node: Option<&str>,
    ) -> Result<Vec<(String, Evidence)>, StoreError> {
        let rows: Vec<LinkedRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT l.node_code, e.id, e.unit_id, e.sha256, e.file_name, e.content_type, e.size, e.doc_number, e.doc_date, \
                        e.issuer, e.effective_date, e.uploaded_by, e.uploaded_at \
                 FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id \
                 WHERE l.round_id = $1 AND l.unit_id = $2 AND ($3 IS NULL OR l.node_code = $3) \
                 ORDER BY l.linked_at, e.id",
            )
            .bind(round)
            .bind(unit.0)
            .bind(node)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| (r.node_code, Evidence::from(r.evidence)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn contents_are_stored_and_read_back_by_hash() {
        let dir = std::env::temp_dir().join(format!("chiso-files-{}", std::process::id()));
        let files = Files::local(&dir).unwrap();
        let sha = "4cd9cee060ad985e44c2c3f6c6427ab82440aafe683a3675a486a843790b6103";
        files.put(sha, b"%PDF-1.7".to_vec()).await.unwrap();
        let back = files
            .0
            .get(&Files::key(sha))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(back, Ok(()));
        assert_eq!(files.get(sha).await.unwrap(), b"%PDF-1.7".to_vec());
        assert!(matches!(files.get("00ff").await, Err(StoreError::NotFound)));
        let _ = std::fs::remove_dir_all(dir);
    }
}
