//! Test databases on both backends.
//!
//! SQLite: a fresh file in the temp folder. PostgreSQL: a fresh database cloned from a template
//! that is migrated once per schema version (shared by every test process through an advisory
//! lock). When PostgreSQL is unreachable a test says so and skips, unless `CHISO_REQUIRE_PG` is
//! set (CI sets it), which turns the skip into a failure.

use crate::db::POSTGRES_MIGRATIONS;
use crate::{ConnectOptions, Store};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::path::PathBuf;

/// The server tests use: `CHISO_TEST_PG_URL`, else the local trust-auth server.
pub fn pg_admin_url() -> String {
    std::env::var("CHISO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Whether PostgreSQL tests must run (CI) rather than skip.
pub fn pg_required() -> bool {
    std::env::var("CHISO_REQUIRE_PG").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A throwaway database; call [`TestDb::finish`] to remove it.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A migrated SQLite database in a new temporary file.
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("chiso-test-{}.db", random_suffix()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        TestDb {
            store,
            url,
            cleanup: Cleanup::File(path),
        }
    }

    /// A migrated PostgreSQL database of its own, or `None` (with a message) when the server
    /// is unreachable and not required.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = pg_admin_url();
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) => {
                if pg_required() {
                    panic!(
                        "PostgreSQL is required (CHISO_REQUIRE_PG) but unreachable at {admin_url}: {e}"
                    );
                }
                eprintln!(
                    "SKIPPED: PostgreSQL unreachable at {admin_url} ({e}); set CHISO_REQUIRE_PG=1 to fail instead"
                );
                return None;
            }
        };
        let template = template_name();
        ensure_template(&mut admin, &admin_url, &template).await;
        let name = format!("chiso_t_{}", random_suffix());
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE {template}"
        )))
        .execute(&mut admin)
        .await
        .expect("create test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect("open test database");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            }
        }
    }
}

/// The URL of database `name` on the same server as `url`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let server = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// Named after the migrations' checksums, so a schema change makes a new template.
fn template_name() -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for m in POSTGRES_MIGRATIONS.iter() {
        for b in m.version.to_le_bytes().iter().chain(m.checksum.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("chiso_tmpl_{h:016x}")
}

async fn ensure_template(admin: &mut PgConnection, admin_url: &str, template: &str) {
    // One process builds the template; the others wait on the lock and then find it.
    sqlx::query("SELECT pg_advisory_lock(727274)")
        .execute(&mut *admin)
        .await
        .expect("lock");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(template)
            .fetch_one(&mut *admin)
            .await
            .expect("look up template");
    if !exists {
        let building = format!("{template}_build");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {building} WITH (FORCE)"
        )))
        .execute(&mut *admin)
        .await
        .expect("drop stale template");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut *admin)
            .await
            .expect("create template");
        let mut conn = PgConnection::connect(&with_database(admin_url, &building))
            .await
            .expect("connect to template");
        POSTGRES_MIGRATIONS
            .run(&mut conn)
            .await
            .expect("migrate template");
        conn.close().await.ok();
        // Templates of older schemas are of no use any more.
        let stale: Vec<String> = sqlx::query_scalar(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'chiso\\_tmpl\\_%' AND datname NOT LIKE '%\\_build'",
        )
        .fetch_all(&mut *admin)
        .await
        .unwrap_or_default();
        for old in stale {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {old} WITH (FORCE)"
            )))
            .execute(&mut *admin)
            .await;
        }
        // Renamed only when complete, so a crash mid-migration never leaves a bad template.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {template}"
        )))
        .execute(&mut *admin)
        .await
        .expect("publish template");
    }
    sqlx::query("SELECT pg_advisory_unlock(727274)")
        .execute(&mut *admin)
        .await
        .expect("unlock");
}

impl Store {
    /// Runs raw SQL, for tests that must try what the application never does.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        write!(self, |pool| sqlx::raw_sql(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }

    /// Table and column names with nullability and a coarse type, for comparing backends.
    pub async fn schema_summary(
        &self,
    ) -> Result<Vec<(String, String, bool, &'static str)>, sqlx::Error> {
        let rows: Vec<(String, String, bool, String)> = match &self.db {
            crate::db::Db::Sqlite { read, .. } => {
                sqlx::query_as(
                    "SELECT m.name, p.name, p.\"notnull\" = 0 AND p.pk = 0, LOWER(p.type) \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
                )
                .fetch_all(read)
                .await?
            }
            crate::db::Db::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text, is_nullable = 'YES', LOWER(data_type::text) \
                     FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut out: Vec<_> = rows
            .into_iter()
            .map(|(t, c, nullable, ty)| {
                let family = match ty.as_str() {
                    "integer" | "bigint" => "integer",
                    "text" => "text",
                    "boolean" => "boolean",
                    "date" => "date",
                    _ => "other",
                };
                (t, c, nullable, family)
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

/// Writes each test twice: `name::sqlite` and `name::postgres`, each on a fresh database.
#[macro_export]
macro_rules! backend_tests {
    ($(async fn $name:ident($store:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    let db = $crate::testing::TestDb::sqlite().await;
                    {
                        let $store = db.store.clone();
                        $body
                    }
                    db.finish().await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(db) = $crate::testing::TestDb::postgres().await else { return };
                    {
                        let $store = db.store.clone();
                        $body
                    }
                    db.finish().await;
                }
            }
        )*
    };
}
