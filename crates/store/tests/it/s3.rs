//! Evidence files in an S3-compatible bucket: `moto_server` on loopback (or
//! `CHISO_TEST_S3_URL`), reached through the same `Files` the web layer uses.

use chiso_store::StoreError;
use chiso_store::evidence::{Files, S3Config};
use chiso_store::testing::TestS3;
use object_store::ObjectStore;
use object_store::ObjectStoreExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_name(what: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{what}-{hex}")
}

#[tokio::test]
async fn evidence_files_round_trip_through_an_s3_bucket() {
    let Some(s3) = TestS3::start().await else {
        return;
    };
    let prefix = random_name("tinh-minh-son");
    let files = Files::s3(&s3.config(&prefix)).unwrap();
    files.check().await.unwrap();

    let content = "%PDF-1.7 Quyết định số 12/QĐ-UBND".as_bytes().to_vec();
    let sha = sha256_hex(&content);
    files.put(&sha, content.clone()).await.unwrap();
    // Storing the same content again is harmless.
    files.put(&sha, content.clone()).await.unwrap();
    assert_eq!(files.get(&sha).await.unwrap(), content);

    // The object sits under PREFIX/sha256/AB/ABCD… in the bucket, and nothing else does.
    assert_eq!(Files::key(&sha), format!("sha256/{}/{sha}", &sha[..2]));
    let bucket = AmazonS3Builder::new()
        .with_bucket_name(&s3.bucket)
        .with_endpoint(&s3.endpoint)
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id(&s3.access_key_id)
        .with_secret_access_key(&s3.secret_access_key)
        .build()
        .unwrap();
    let meta = bucket
        .head(&Path::from(format!("{prefix}/sha256/{}/{sha}", &sha[..2])))
        .await
        .unwrap();
    assert_eq!(meta.size, content.len() as u64);
    let top = bucket
        .list_with_delimiter(Some(&Path::from(prefix.as_str())))
        .await
        .unwrap();
    assert!(top.objects.is_empty(), "{top:?}");
    assert_eq!(
        top.common_prefixes,
        vec![Path::from(format!("{prefix}/sha256"))]
    );

    // A content never stored reads as not found (not as a failure).
    let missing = sha256_hex(b"never stored");
    assert!(matches!(
        files.get(&missing).await,
        Err(StoreError::NotFound)
    ));

    // A bucket that does not exist is refused by the start-up check, in one line.
    let wrong = S3Config {
        url: format!("s3://{}", random_name("chiso-missing")),
        ..s3.config("")
    };
    let err = Files::s3(&wrong).unwrap().check().await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Files(_)), "{message}");
    assert!(message.contains("chiso-missing-"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[tokio::test]
async fn an_unreachable_s3_server_fails_the_check_in_one_line() {
    let files = Files::s3(&S3Config {
        url: "s3://chiso-evidence".into(),
        endpoint: Some("http://127.0.0.1:1".into()),
        access_key_id: Some("chiso".into()),
        secret_access_key: Some("very-secret".into()),
        ..S3Config::default()
    })
    .unwrap();
    let started = std::time::Instant::now();
    let message = files.check().await.unwrap_err().to_string();
    assert!(
        message.starts_with("evidence storage s3://chiso-evidence at http://127.0.0.1:1 "),
        "{message}"
    );
    assert!(
        !message.contains('\n') && !message.contains("very-secret"),
        "{message}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
