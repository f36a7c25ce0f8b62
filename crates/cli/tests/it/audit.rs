use crate::{Scratch, chiso, stderr, stdout};
use chiso_core::round::ledger::{Event, EventKind};
use chiso_core::round::schedule::Schedule;
use chiso_store::audit::By;
use chiso_store::{ConnectOptions, Store};
use chrono::NaiveDate;

#[test]
fn audit_verify_exits_1_naming_the_first_altered_entry() {
    let s = Scratch::new("audit");
    let db = s.db_url();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::connect(&db, &ConnectOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store.seed_demo("hash", chrono::Utc::now()).await.unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../core/tests/golden/frameworks/good.yaml"
        ))
        .unwrap();
        let f = chiso_core::framework::yaml::from_yaml(&text).unwrap();
        let fid = store
            .import_framework(&f, "good.yaml", &By::system("t"), chrono::Utc::now())
            .await
            .unwrap();
        let d =
            |m, day| NaiveDate::from_ymd_opt(if m == 12 { 2025 } else { 2026 }, m, day).unwrap();
        let schedule = Schedule {
            self_assessment_opens: d(12, 1),
            submission_due: d(12, 25),
            appraisal1_due: d(1, 10),
            explanation_due: d(1, 13),
            appraisal2_due: d(1, 15),
        };
        let stp = store.unit_by_code("STP").await.unwrap().unwrap().id;
        let r = store
            .create_round(
                fid,
                "2025",
                &schedule,
                &[stp],
                &By::system("t"),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        for v in ["10000", "7500", "5000"] {
            let e = Event {
                round: r.0,
                unit: stp.0,
                node: "1.2".into(),
                kind: EventKind::SelfScore,
                actor: "t".into(),
                at: 1,
                old_value: None,
                new_value: Some(v.into()),
                reason: String::new(),
            };
            store.append_ledger(vec![e]).await.unwrap();
        }
        store.close().await;
    });
    let o = chiso(&s.0, &["--db", &db, "audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Sổ điểm nguyên vẹn: 3 bản ghi.");

    runtime.block_on(async {
        let store = Store::connect(&db, &ConnectOptions::default())
            .await
            .unwrap();
        store
            .execute_raw("DROP TRIGGER score_ledger_no_update")
            .await
            .unwrap();
        store
            .execute_raw("UPDATE score_ledger SET reason = 'sửa lén' WHERE seq = 2")
            .await
            .unwrap();
        store.close().await;
    });
    let o = chiso(&s.0, &["--db", &db, "audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        "chiso: Bản ghi số 2 đã bị sửa sau khi ghi."
    );
}
