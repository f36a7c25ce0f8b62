//! Settings: defaults, then `chiso.toml` (or `--config`), then `CHISO_*` variables, then flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// Every setting of a chiso installation (no `Debug`: it holds the S3 secret key).
#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `sqlite://PATH` (default `sqlite://data/chiso.db`) or `postgres://…`.
    pub database_url: String,
    /// Listen address.
    pub addr: String,
    /// Public URL, e.g. `https://cchc.example.gov.vn`; enables Secure cookies and HSTS on https.
    pub base_url: Option<String>,
    /// Idle time after which a session ends.
    pub session_idle_hours: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// SQLite `synchronous = FULL`: survives power loss at some cost in write speed.
    pub sqlite_full_sync: bool,
    /// Database connections per app server.
    pub max_connections: u32,
    /// Largest upload, in MiB.
    pub max_upload_mb: usize,
    /// Log filter, e.g. `info` or `chiso_web=debug,info`.
    pub log: String,
    /// Folder where evidence files are stored (content-addressed by SHA-256).
    pub evidence_dir: String,
    /// `s3://BUCKET[/PREFIX]`: keep evidence files in an S3-compatible bucket instead of
    /// `evidence_dir`; unset (the default) keeps the folder.
    pub evidence_url: Option<String>,
    /// The S3 server, e.g. `http://minio.tinh.internal:9000`; unset means AWS.
    pub s3_endpoint: Option<String>,
    /// S3 signing region (`us-east-1` when unset).
    pub s3_region: Option<String>,
    /// S3 access key.
    pub s3_access_key_id: Option<String>,
    /// S3 secret key.
    pub s3_secret_access_key: Option<String>,
    /// SMTP relay for e-mail notices, `smtp://host[:port]`; unset (the default) sends none.
    pub smtp_url: Option<String>,
    /// Sender of e-mail notices.
    pub mail_from: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/chiso.db".into(),
            addr: "127.0.0.1:8080".into(),
            base_url: None,
            session_idle_hours: 12,
            trust_proxy: false,
            sqlite_full_sync: false,
            max_connections: 8,
            max_upload_mb: 20,
            log: "info,sqlx=warn,tower_http=warn".into(),
            evidence_dir: "data/evidence".into(),
            evidence_url: None,
            s3_endpoint: None,
            s3_region: None,
            s3_access_key_id: None,
            s3_secret_access_key: None,
            smtp_url: None,
            mail_from: "Chỉ số CCHC <no-reply@localhost>".into(),
        }
    }
}

impl Settings {
    /// Loads the layers; `db` from the command line wins over everything.
    pub fn load(file: Option<&Path>, db: Option<String>) -> Result<Settings, String> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    return Err(format!(
                        "configuration file {} does not exist",
                        path.display()
                    ));
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("chiso.toml")),
        }
        figment = figment.merge(Env::prefixed("CHISO_"));
        let mut settings: Settings = figment
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))?;
        if let Some(db) = db {
            settings.database_url = db;
        }
        Ok(settings)
    }

    /// Options for opening the store.
    pub fn connect_options(&self) -> chiso_store::ConnectOptions {
        chiso_store::ConnectOptions {
            max_connections: self.max_connections.max(1),
            sqlite_full_sync: self.sqlite_full_sync,
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// The web layer's settings.
    pub fn web_config(&self) -> chiso_web::WebConfig {
        chiso_web::WebConfig {
            base_url: self
                .base_url
                .clone()
                .map(|u| u.trim_end_matches('/').to_string()),
            session_idle: chrono::Duration::hours(self.session_idle_hours.max(1)),
            trust_proxy: self.trust_proxy,
            password: chiso_web::PasswordParams::default(),
            max_upload_bytes: self.max_upload_mb.max(1) * 1024 * 1024,
            evidence_dir: std::path::PathBuf::from(&self.evidence_dir),
            evidence_s3: self
                .evidence_url
                .clone()
                .filter(|u| !u.trim().is_empty())
                .map(|url| chiso_store::evidence::S3Config {
                    url,
                    endpoint: self.s3_endpoint.clone(),
                    region: self.s3_region.clone(),
                    access_key_id: self.s3_access_key_id.clone(),
                    secret_access_key: self.s3_secret_access_key.clone(),
                }),
            smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
            mail_from: self.mail_from.clone(),
        }
    }
}
