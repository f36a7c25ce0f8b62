//! Settings the web layer needs, filled by the CLI from file, environment and flags.

use crate::auth::password::PasswordParams;
use chrono::Duration;

/// Web settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public address, e.g. `https://cchc.minhson.gov.vn`. When set, cross-origin checks
    /// compare against it and cookies are `Secure` if it is https.
    pub base_url: Option<String>,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Cost of password hashing.
    pub password: PasswordParams,
    /// Largest accepted form or upload body, in bytes.
    pub max_upload_bytes: usize,
    /// Folder where evidence files are stored (unless `evidence_s3` is set).
    pub evidence_dir: std::path::PathBuf,
    /// An S3-compatible bucket for evidence files instead of the folder.
    pub evidence_s3: Option<chiso_store::evidence::S3Config>,
    /// SMTP relay for e-mail notices, e.g. `smtp://relay.tinh.gov.vn:25`; `None` (the default)
    /// keeps notices in the in-app inbox only.
    pub smtp_url: Option<String>,
    /// Sender of e-mail notices.
    pub mail_from: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            base_url: None,
            session_idle: Duration::hours(12),
            trust_proxy: false,
            password: PasswordParams::default(),
            max_upload_bytes: 20 * 1024 * 1024,
            evidence_dir: std::path::PathBuf::from("data/evidence"),
            evidence_s3: None,
            smtp_url: None,
            mail_from: "Chỉ số CCHC <no-reply@localhost>".into(),
        }
    }
}

impl WebConfig {
    /// Whether cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.base_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The origin (`scheme://host[:port]`) of the base URL.
    pub fn origin(&self) -> Option<String> {
        let url = self.base_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next()?;
        Some(format!("{scheme}://{host}"))
    }
}
