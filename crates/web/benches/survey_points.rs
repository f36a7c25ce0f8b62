//! How long a campaign of 100 000 stored forms takes to become survey points: read from the
//! database, each form read under its questionnaire, aggregated per unit, group and measure,
//! converted through the framework and written to the ledger. Run with
//! `cargo bench -p chiso-web --bench survey_points` (SQLite; `CHISO_BENCH_PG=1` for PostgreSQL).
//! Prints the figures; the budget is "a few seconds" for 100 000 forms.

use chiso_store::audit::By;
use chiso_store::surveys::{CampaignStatus, NewCampaign, NewResponse, ResponseSource};
use chiso_store::testing::TestDb;
use std::time::Instant;

const FORMS: usize = 100_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo test` builds benches too; only `cargo bench` runs the measurement.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let db = if std::env::var("CHISO_BENCH_PG").is_ok() {
        TestDb::postgres()
            .await
            .expect("PostgreSQL on 127.0.0.1:5432")
    } else {
        TestDb::sqlite().await
    };
    let store = &db.store;
    let now = chrono::Utc::now();
    let by = By::system("bench");
    store.seed_demo("hash", now).await.unwrap();
    let (_, framework) = chiso_core::framework::library::all()
        .into_iter()
        .find(|(name, _)| name.contains("department"))
        .expect("the department framework");
    let framework = framework.unwrap();
    let fid = store
        .import_framework(&framework, "par-department", &by, now)
        .await
        .unwrap();
    let units: Vec<chiso_core::units::Unit> = store
        .all_units()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.unit_type == framework.unit_type)
        .collect();
    let ids: Vec<_> = units.iter().map(|u| u.id).collect();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    let schedule = chiso_core::round::schedule::Schedule {
        self_assessment_opens: day(12, 1),
        submission_due: day(12, 25),
        appraisal1_due: day(12, 27),
        explanation_due: day(12, 29),
        appraisal2_due: day(12, 31),
    };
    let round = store
        .create_round(fid, "bench", &schedule, &ids, &by, now)
        .await
        .unwrap();
    let yaml = include_str!("../../../examples/surveys/so-nganh/nguoi-dan.yaml");
    let q = chiso_core::survey::from_yaml(yaml).unwrap();
    let qid = store
        .add_questionnaire(
            &q.code,
            1,
            &q.title,
            &q.group,
            &q.fingerprint(),
            yaml,
            &by,
            now,
        )
        .await
        .unwrap();
    let setup = NewCampaign {
        round,
        title: "bench".into(),
        anonymous: true,
        double_entry: false,
        group_weights: Default::default(),
        closes_on: None,
    };
    let c = store
        .create_campaign(&setup, &[(q.group.clone(), qid)], &by, now)
        .await
        .unwrap();
    store
        .set_campaign_status(c, CampaignStatus::Open, &by, now)
        .await
        .unwrap();
    let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    let per_unit = FORMS / codes.len() + 1;
    let text = chiso_core::survey::simulate(&q, &codes, per_unit, 7);
    let parsed = chiso_core::survey::parse_responses(&q, &text).unwrap();
    let by_code: std::collections::HashMap<&str, chiso_core::ids::UnitId> =
        units.iter().map(|u| (u.code.as_str(), u.id)).collect();
    let forms: Vec<NewResponse> = parsed
        .responses
        .iter()
        .take(FORMS)
        .map(|r| NewResponse {
            questionnaire: qid,
            unit: by_code[r.unit.as_str()],
            group: q.group.clone(),
            reference: r.respondent.clone(),
            answers: chiso_core::survey::responses::answer_pairs(&q, &r.answers)
                .into_iter()
                .collect(),
        })
        .collect();
    let started = Instant::now();
    for chunk in forms.chunks(10_000) {
        store
            .add_responses(c, chunk, ResponseSource::Import, &by, now)
            .await
            .unwrap();
    }
    let stored = started.elapsed();
    let started = Instant::now();
    let changed = chiso_web::write_campaign_points(store, c, "bench", &by, now)
        .await
        .unwrap()
        .expect("points");
    let computed = started.elapsed();
    println!(
        "survey_points: {} forms of {} units stored in {:.2} s; read, aggregated and written as {changed} points in {:.2} s ({})",
        forms.len(),
        codes.len(),
        stored.as_secs_f64(),
        computed.as_secs_f64(),
        if std::env::var("CHISO_BENCH_PG").is_ok() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
    );
    db.finish().await;
}
