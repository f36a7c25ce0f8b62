//! Evidence: file contents kept once per unit and content (by SHA-256) in an object store
//! (a local folder by default, or an S3-compatible bucket), their metadata in the database,
//! and links to the items they back.

use crate::Store;
use crate::audit::{By, NewEntry};
use crate::error::StoreError;
use crate::time::{from_millis, to_millis};
use chiso_core::ids::UnitId;
use chrono::{DateTime, NaiveDate, Utc};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// Where evidence contents live.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// Where, for messages: the folder, or `s3://bucket/prefix at endpoint`.
    place: Arc<str>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::write!(f, "Files({})", self.place)
    }
}

/// An S3-compatible bucket (AWS, MinIO, Ceph RGW…), addressed path-style
/// (`ENDPOINT/BUCKET/KEY`), so any host name or IP address works as the endpoint.
#[derive(Clone, Default)]
pub struct S3Config {
    /// `s3://BUCKET` or `s3://BUCKET/PREFIX`.
    pub url: String,
    /// `http://HOST:PORT` or `https://…`; unset means AWS itself (`https://s3.REGION.amazonaws.com`).
    /// Plain http is allowed when the endpoint says so (a storage server inside the province network).
    pub endpoint: Option<String>,
    /// Signing region; `us-east-1` when unset (what MinIO and Ceph expect by default).
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

/// An error on one line (start-up failures are printed as one line): an S3 server's own code
/// and message when it sent them, else the error and its causes (say, "Connection refused").
fn one_line(e: impl std::error::Error) -> String {
    let mut text = e.to_string();
    let between = |open: &str, close: &str| {
        let start = text.find(open)? + open.len();
        Some(text[start..].split(close).next()?.to_string())
    };
    if let (Some(code), Some(message)) = (
        between("<Code>", "</Code>"),
        between("<Message>", "</Message>"),
    ) {
        return format!("{code}: {message}");
    }
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_text = c.to_string();
        if !text.contains(&c_text) {
            text = format!("{text}: {c_text}");
        }
        cause = c.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Files {
    /// A local folder (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Files, StoreError> {
        let place = format!("folder {}", dir.display());
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Files(format!("{place}: {e}")))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StoreError::Files(format!("{place}: {}", one_line(e))))?;
        Ok(Files {
            store: Arc::new(fs),
            place: place.into(),
        })
    }

    /// An S3-compatible bucket. Nothing is sent yet: [`Files::check`] tries it.
    pub fn s3(config: &S3Config) -> Result<Files, StoreError> {
        let url = config.url.trim();
        let bad = |why: &str| StoreError::Files(format!("evidence_url \"{url}\": {why}"));
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            bad("use s3://BUCKET[/PREFIX], or leave it unset to keep files in evidence_dir")
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty()
            || !bucket
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(bad(
                "the bucket name may hold only letters, digits, '.', '-' and '_'",
            ));
        }
        let prefix = prefix.trim_matches('/');
        let prefix = ObjectPath::parse(prefix).map_err(|e| bad(&one_line(e)))?;
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let (Some(key_id), Some(secret)) = (
            given(&config.access_key_id),
            given(&config.secret_access_key),
        ) else {
            return Err(bad("set s3_access_key_id and s3_secret_access_key too"));
        };
        let endpoint = given(&config.endpoint);
        let mut place = url.trim_end_matches('/').to_string();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(given(&config.region).unwrap_or_else(|| "us-east-1".into()))
            .with_access_key_id(key_id)
            .with_secret_access_key(secret)
            .with_virtual_hosted_style_request(false)
            // A server that is down fails within seconds, not the default three minutes.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(120)),
            );
        if let Some(endpoint) = endpoint {
            let endpoint = endpoint.trim_end_matches('/');
            // Keys belong in their own settings: a URL with them would be logged as the place.
            let authority = endpoint
                .split_once("://")
                .map_or(endpoint, |(_, rest)| rest.split('/').next().unwrap_or(rest));
            if authority.contains('@') {
                return Err(StoreError::Files(
                    "s3_endpoint must not contain credentials: use s3_access_key_id and s3_secret_access_key".into(),
                ));
            }
            if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                return Err(StoreError::Files(format!(
                    "s3_endpoint \"{endpoint}\": use http://HOST[:PORT] or https://HOST[:PORT]"
                )));
            }
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
            place = format!("{place} at {endpoint}");
        }
        // reqwest is built with rustls but no crypto provider: use ring's (no C library to
        // build beyond ring's own). Installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let s3 = builder
            .build()
            .map_err(|e| StoreError::Files(format!("{place}: {}", one_line(e))))?;
        let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Files {
            store,
            place: place.into(),
        })
    }

    /// Where the files are, for messages (never a secret).
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Lists the top of the store once: a wrong bucket, refused keys or an unreachable server
    /// fail here (at start-up) rather than at the first upload.
    pub async fn check(&self) -> Result<(), StoreError> {
        self.store
            .list_with_delimiter(None)
            .await
            .map(|_| ())
            .map_err(|e| {
                StoreError::Files(format!("{} cannot be listed: {}", self.place, one_line(e)))
            })
    }

    /// The key of a content: `sha256/AB/ABCD…` (the first two hex digits fan the files out).
    pub fn key(sha256: &str) -> String {
        // Content-addressed: the same bytes are stored once, and a key can never escape the
        // folder or bucket prefix (it is hex, built here, never from a file name).
        format!("sha256/{}/{}", &sha256[..2], sha256)
    }

    /// Stores content under its hash (idempotent).
    pub async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.store
            .put(
                &ObjectPath::from(Files::key(sha256)),
                PutPayload::from(bytes),
            )
            .await
            .map_err(|e| StoreError::Files(format!("{}: write: {}", self.place, one_line(e))))?;
        Ok(())
    }

    /// Reads content back; a missing content is [`StoreError::NotFound`], any other failure
    /// (an unreachable server, say) is an error, never "not found".
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let read_err = |e: object_store::Error| match e {
            object_store::Error::NotFound { .. } => StoreError::NotFound,
            e => StoreError::Files(format!("{}: read: {}", self.place, one_line(e))),
        };
        let r = self
            .store
            .get(&ObjectPath::from(Files::key(sha256)))
            .await
            .map_err(read_err)?;
        Ok(r.bytes().await.map_err(read_err)?.to_vec())
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
        files.check().await.unwrap();
        let sha = "4cd9cee060ad985e44c2c3f6c6427ab82440aafe683a3675a486a843790b6103";
        files.put(sha, b"%PDF-1.7".to_vec()).await.unwrap();
        assert_eq!(
            std::fs::read(dir.join("sha256/4c").join(sha)).unwrap(),
            b"%PDF-1.7"
        );
        assert_eq!(files.get(sha).await.unwrap(), b"%PDF-1.7".to_vec());
        assert!(matches!(files.get("00ff").await, Err(StoreError::NotFound)));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn s3_settings_are_checked_before_anything_is_sent() {
        let ok = S3Config {
            url: "s3://chiso-evidence/tinh-minh-son".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            access_key_id: Some("chiso".into()),
            secret_access_key: Some("kH9-not-shown".into()),
            ..S3Config::default()
        };
        let files = Files::s3(&ok).unwrap();
        assert_eq!(
            files.place(),
            "s3://chiso-evidence/tinh-minh-son at http://127.0.0.1:9000"
        );
        assert!(!format!("{ok:?} {files:?}").contains("kH9"));
        let err = |c: S3Config| Files::s3(&c).unwrap_err().to_string();
        assert!(
            err(S3Config {
                url: "gs://b".into(),
                ..ok.clone()
            })
            .contains("use s3://BUCKET[/PREFIX]")
        );
        assert!(
            err(S3Config {
                url: "s3://".into(),
                ..ok.clone()
            })
            .contains("bucket name")
        );
        assert!(
            err(S3Config {
                url: "s3://b/a/../c".into(),
                ..ok.clone()
            })
            .contains("evidence_url")
        );
        assert!(
            err(S3Config {
                secret_access_key: None,
                ..ok.clone()
            })
            .contains("s3_secret_access_key")
        );
        assert!(
            err(S3Config {
                endpoint: Some("minio:9000".into()),
                ..ok.clone()
            })
            .contains("s3_endpoint")
        );
    }
}
