//! Test databases on both backends.
//!
//! SQLite: a fresh file in the temp folder. PostgreSQL: a fresh database cloned from a template
//! that is migrated once per schema version (shared by every test process through an advisory
//! lock). When PostgreSQL is unreachable a test says so and skips, unless `CHISO_REQUIRE_PG` is
//! set (CI sets it), which turns the skip into a failure.
//!
//! S3: `CHISO_TEST_S3_URL`, else `moto_server` started on a free loopback port; when it is not
//! installed the test skips, unless `CHISO_REQUIRE_S3` is set (CI sets it).

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

/// Whether S3 tests must run (CI) rather than skip.
pub fn s3_required() -> bool {
    std::env::var("CHISO_REQUIRE_S3").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// An S3-compatible server with a bucket for tests: `CHISO_TEST_S3_URL`
/// (`http://KEY:SECRET@HOST:PORT/BUCKET`, the bucket existing), else `moto_server` on a free
/// loopback port with a new bucket, stopped when this is dropped.
pub struct TestS3 {
    pub endpoint: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    _server: Option<MotoServer>,
}

struct MotoServer {
    child: std::process::Child,
    log: PathBuf,
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

impl TestS3 {
    /// The server, or `None` (with a message) when none is configured or installed and S3 is
    /// not required.
    pub async fn start() -> Option<TestS3> {
        if let Ok(url) = std::env::var("CHISO_TEST_S3_URL") {
            return Some(TestS3::from_url(&url));
        }
        match TestS3::moto().await {
            Ok(s3) => Some(s3),
            Err(why) if s3_required() => {
                panic!("S3 is required (CHISO_REQUIRE_S3) but {why}")
            }
            Err(why) => {
                eprintln!(
                    "SKIPPED: {why}; install it with `pip install 'moto[server]'`, or set CHISO_TEST_S3_URL, or set CHISO_REQUIRE_S3=1 to fail instead"
                );
                None
            }
        }
    }

    fn from_url(url: &str) -> TestS3 {
        let bad =
            || panic!("CHISO_TEST_S3_URL must be http(s)://KEY:SECRET@HOST:PORT/BUCKET, not {url}");
        let Some((scheme, rest)) = url.split_once("://") else {
            bad()
        };
        let Some((keys, rest)) = rest.rsplit_once('@') else {
            bad()
        };
        let Some((key, secret)) = keys.split_once(':') else {
            bad()
        };
        let Some((host, bucket)) = rest.split_once('/') else {
            bad()
        };
        TestS3 {
            endpoint: format!("{scheme}://{host}"),
            bucket: bucket.trim_matches('/').to_string(),
            access_key_id: key.to_string(),
            secret_access_key: secret.to_string(),
            _server: None,
        }
    }

    async fn moto() -> Result<TestS3, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = std::env::temp_dir().join(format!("chiso-moto-{}.log", random_suffix()));
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let child = std::process::Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(std::process::Stdio::null())
            .stdout(out.try_clone().map_err(|e| e.to_string())?)
            .stderr(out)
            .spawn()
            .map_err(|e| {
                let _ = std::fs::remove_file(&log);
                match e.kind() {
                    std::io::ErrorKind::NotFound => "moto_server is not installed".to_string(),
                    _ => format!("moto_server cannot be started ({e})"),
                }
            })?;
        let mut server = MotoServer { child, log };
        let addr = format!("127.0.0.1:{port}");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            if tokio::net::TcpStream::connect(&addr).await.is_ok() {
                break;
            }
            let exited = server.child.try_wait().ok().flatten();
            if exited.is_some() || std::time::Instant::now() > deadline {
                let said = std::fs::read_to_string(&server.log).unwrap_or_default();
                let last = said.lines().last().unwrap_or("").to_string();
                return Err(match exited {
                    Some(status) => format!("moto_server did not start ({status}): {last}"),
                    None => format!("moto_server did not listen on {addr} within a minute"),
                });
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // moto checks no signatures by default: a plain PUT creates the bucket.
        let bucket = format!("chiso-{}", random_suffix());
        let request = format!(
            "PUT /{bucket} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let status = http_status(&addr, &request)
            .map_err(|e| format!("moto_server on {addr} did not answer: {e}"))?;
        if status != 200 {
            return Err(format!(
                "moto_server refused to create bucket {bucket}: HTTP {status}"
            ));
        }
        Ok(TestS3 {
            endpoint: format!("http://{addr}"),
            bucket,
            access_key_id: "chiso-test".into(),
            secret_access_key: "chiso-test-secret".into(),
            _server: Some(server),
        })
    }

    /// Settings for evidence files in this server's bucket under `prefix`.
    pub fn config(&self, prefix: &str) -> crate::evidence::S3Config {
        crate::evidence::S3Config {
            url: format!("s3://{}/{prefix}", self.bucket),
            endpoint: Some(self.endpoint.clone()),
            region: None,
            access_key_id: Some(self.access_key_id.clone()),
            secret_access_key: Some(self.secret_access_key.clone()),
        }
    }
}

/// Sends one raw HTTP/1.1 request and returns the response's status code.
fn http_status(addr: &str, request: &str) -> std::io::Result<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no HTTP status line"))
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
