//! The store's error type.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend chiso supports.
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The database could not be opened or reached.
    #[error("cannot open the database {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    /// A migration failed; the database is left at the last good version.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value (code, user name) is taken.
    #[error("already exists: {0}")]
    Conflict(String),
    /// Stored data that the domain rejects (an unknown role code, say).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Evidence file storage: a wrong setting, an unreachable server, a failed read or write.
    #[error("evidence storage {0}")]
    Files(String),
    /// Any other database error.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Maps a unique violation to [`StoreError::Conflict`] naming `what`; other errors pass.
    pub(crate) fn unique(err: sqlx::Error, what: impl Into<String>) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(what.into())
            }
            _ => StoreError::Database(err),
        }
    }
}
