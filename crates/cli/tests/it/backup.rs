//! `chiso backup`, `chiso restore` and `chiso copy-db` on a generated province: a backup
//! restored elsewhere backs up again to the same rows and files; a second restore, a damaged
//! file and a newer format are refused and change nothing; SQLite moves to PostgreSQL whole.

use crate::{Scratch, chiso, stderr, stdout};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Every entry of a backup but its manifest's date: name → bytes.
fn contents(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "chiso-backup.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            m["created_at"] = serde_json::Value::Null;
            bytes = serde_json::to_vec(&m).unwrap();
        }
        out.insert(name, bytes);
    }
    out
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
}

#[test]
fn a_backup_restores_to_the_same_rows_and_files_and_copies_to_postgres() {
    let a = Scratch::new("backup-a");
    let db_a = a.db_url();
    ok(&chiso(
        &a.0,
        &[
            "--db",
            &db_a,
            "demo",
            "generate",
            "--communes",
            "12",
            "--years",
            "2",
            "--responses",
            "200",
            "--focal",
            "3",
            "--seed",
            "11",
            "--today",
            "2026-11-25",
        ],
    ));
    let backup_a = a.path("a.zip");
    let out = chiso(&a.0, &["--db", &db_a, "backup", backup_a.to_str().unwrap()]);
    ok(&out);
    assert!(stdout(&out).contains("Đã sao lưu"), "{}", stdout(&out));
    let first = contents(&backup_a);
    let files = first.keys().filter(|k| k.starts_with("files/")).count();
    assert!(files > 0, "the generated evidence files are in the backup");
    assert!(first.contains_key("tables/score_ledger.jsonl"));

    // Another folder, another (empty) database: restore, then back up again.
    let b = Scratch::new("backup-b");
    let db_b = b.db_url();
    let out = chiso(
        &b.0,
        &["--db", &db_b, "restore", backup_a.to_str().unwrap()],
    );
    ok(&out);
    assert!(stdout(&out).contains("Đã khôi phục"), "{}", stdout(&out));
    let evidence = std::fs::read_dir(b.path("data/evidence"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(evidence > 0, "the files are in the new evidence folder");
    let backup_b = b.path("b.zip");
    ok(&chiso(
        &b.0,
        &["--db", &db_b, "backup", backup_b.to_str().unwrap()],
    ));
    let second = contents(&backup_b);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(second[name] == *bytes, "{name} differs after a round trip");
    }
    ok(&chiso(&b.0, &["--db", &db_b, "audit", "verify"]));

    // A second restore into a database that holds a province is refused; nothing changes.
    let again = chiso(
        &b.0,
        &["--db", &db_b, "restore", backup_a.to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    // A damaged file is refused before anything is written.
    let c = Scratch::new("backup-c");
    let db_c = c.db_url();
    let damaged = c.path("damaged.zip");
    let bytes = std::fs::read(&backup_a).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    let out = chiso(&c.0, &["--db", &db_c, "restore", damaged.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("damaged.zip"), "{}", stderr(&out));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let units = runtime.block_on(async {
        let store = chiso_store::Store::connect(&db_c, &Default::default())
            .await
            .unwrap();
        let n = store.all_units().await.unwrap().len();
        store.close().await;
        n
    });
    assert_eq!(units, 0, "nothing was loaded from the damaged file");

    // SQLite to PostgreSQL: every row, the same backup afterwards.
    let Some(pg) = runtime.block_on(chiso_store::testing::TestDb::postgres()) else {
        return;
    };
    let pg_url = pg.url.clone();
    let out = chiso(&a.0, &["copy-db", "--from", &db_a, "--to", &pg_url]);
    ok(&out);
    assert!(stdout(&out).contains("Đã chép"), "{}", stdout(&out));
    let backup_pg = a.path("pg.zip");
    ok(&chiso(
        &a.0,
        &["--db", &pg_url, "backup", backup_pg.to_str().unwrap()],
    ));
    let third = contents(&backup_pg);
    for (name, bytes) in &first {
        assert!(
            third[name] == *bytes,
            "{name} differs after the copy to PostgreSQL"
        );
    }
    // New rows on PostgreSQL get ids after the copied ones (an account and its audit entry).
    ok(&chiso(
        &a.0,
        &[
            "--db",
            &pg_url,
            "create-admin",
            "quan.tri",
            "--name",
            "Quản trị mới",
            "--unit",
            "SNV",
        ],
    ));
    ok(&chiso(&a.0, &["--db", &pg_url, "audit", "verify"]));
    runtime.block_on(pg.finish());
}
