//! A finished national-scale round recomputed from the database, as another system reads it:
//! `GET /api/v1/rounds/{id}/results` through the real router — every unit's final scores and
//! survey points read, exemptions applied, totals, %, index, ranks, bands and field ranks
//! computed, and the JSON written. The budget is 1 s for 3 321 communes.
//!
//! Needs the dataset of `chiso demo generate` (see docs/PERFORMANCE.md): by default
//! `target/bench/national.sqlite` as `bench/load sqlite` leaves it; `CHISO_BENCH_DB` names
//! another database (a PostgreSQL URL too). Run with
//! `cargo bench -p chiso-web --bench results_db`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chiso_core::round::phase::Phase;
use chiso_store::audit::By;
use chiso_store::{ConnectOptions, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn database() -> String {
    std::env::var("CHISO_BENCH_DB").unwrap_or_else(|_| {
        format!(
            "sqlite://{}/../../target/bench/national.sqlite",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

fn results(c: &mut Criterion) {
    let url = database();
    if let Some(path) = url.strip_prefix("sqlite://")
        && !std::path::Path::new(path).exists()
    {
        eprintln!(
            "results_db: no dataset at {path}; make it with `bench/load sqlite` or \
             `chiso --db sqlite://{path} demo generate --communes 3321 --years 3`"
        );
        // Measuring without the data is an error; `cargo test --benches` only says so.
        if std::env::args().any(|a| a == "--bench") {
            std::process::exit(1);
        }
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (router, path, secret, units) = runtime.block_on(async {
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect("the bench database opens");
        store.migrate().await.expect("migrated");
        let round = store
            .list_rounds()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.phase == Phase::Closed)
            .max_by_key(|r| r.id.0)
            .expect("a closed round in the dataset");
        let (account, _) = store
            .account_for_login("lan.noivu")
            .await
            .unwrap()
            .expect("the demo administrator");
        let secret = chiso_web::auth::session::new_api_token();
        store
            .create_api_token(
                account.id,
                "bench results_db",
                &chiso_web::auth::session::token_hash(&secret),
                &By::system("bench"),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        let router = chiso_web::router(
            chiso_web::AppState::new(store, chiso_web::WebConfig::default()).unwrap(),
        );
        (
            router,
            format!("/api/v1/rounds/{}/results", round.id.0),
            secret,
            round.units,
        )
    });
    let get = || {
        let req = Request::get(&path)
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap();
        let router = router.clone();
        async move {
            let res = router.oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.into_body().collect().await.unwrap().to_bytes().len()
        }
    };
    let bytes = runtime.block_on(get());
    eprintln!("results_db: {units} units, {bytes} bytes of JSON");
    let mut group = c.benchmark_group("results_db");
    group.sample_size(10);
    group.bench_function(format!("round of {units} units"), |b| {
        b.iter(|| runtime.block_on(get()))
    });
    group.finish();
}

criterion_group!(benches, results);
criterion_main!(benches);
