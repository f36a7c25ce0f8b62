//! Evidence storage is tried when `chiso serve` starts, like the database.

use crate::{Scratch, command, stderr, stdout};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// `chiso serve` with extra settings; it must stop on its own (a server that starts is killed
/// and the test fails).
fn serve_with(s: &Scratch, env: &[(&str, &str)]) -> Output {
    let mut cmd = command(&s.0);
    cmd.args(["--db", &s.db_url(), "serve", "--addr", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chiso serve kept running with bad evidence settings");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn bad_evidence_storage_stops_serve_with_one_line_and_exit_2() {
    let s = Scratch::new("evidence");
    let o = serve_with(
        &s,
        &[
            ("CHISO_EVIDENCE_URL", "s3://chiso-evidence/minh-son"),
            ("CHISO_S3_ENDPOINT", "http://127.0.0.1:1"),
            ("CHISO_S3_ACCESS_KEY_ID", "chiso"),
            ("CHISO_S3_SECRET_ACCESS_KEY", "very-secret-key"),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "chiso: evidence storage s3://chiso-evidence/minh-son at http://127.0.0.1:1 cannot be listed:"
        ),
        "{err}"
    );
    assert!(err.contains("Connection refused"), "{err}");
    assert!(!err.contains("very-secret-key"), "{err}");
    assert!(!stdout(&o).contains("serving"));

    let o = serve_with(&s, &[("CHISO_EVIDENCE_URL", "ftp://files.tinh/evidence")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "chiso: evidence storage evidence_url \"ftp://files.tinh/evidence\": use s3://BUCKET[/PREFIX], or leave it unset to keep files in evidence_dir"
    );
    let o = serve_with(&s, &[("CHISO_EVIDENCE_URL", "s3://chiso-evidence")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("set s3_access_key_id and s3_secret_access_key too"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn serve_keeps_evidence_in_an_s3_bucket_when_told() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(s3) = runtime.block_on(chiso_store::testing::TestS3::start()) else {
        return;
    };
    let config = s3.config("cli");
    let s = Scratch::new("evidence-s3");
    let mut child = command(&s.0)
        .args(["--db", &s.db_url(), "serve", "--addr", "127.0.0.1:0"])
        .env("CHISO_EVIDENCE_URL", &config.url)
        .env("CHISO_S3_ENDPOINT", &s3.endpoint)
        .env("CHISO_S3_ACCESS_KEY_ID", &s3.access_key_id)
        .env("CHISO_S3_SECRET_ACCESS_KEY", &s3.secret_access_key)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let first = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()))
        .next()
        .map(|l| l.unwrap());
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first
            .as_deref()
            .is_some_and(|l| l.starts_with("chiso is serving on http://")),
        "{first:?}"
    );
    // The folder setting is not used when a bucket is given.
    assert!(!s.path("data/evidence").exists());
}
