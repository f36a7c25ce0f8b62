//! The API's write endpoints: a unit's self-assessment entry (score by the item's rule, in the
//! ledger, refused when stale), task progress reports, KPI actuals and survey responses, each
//! with the page's permission and rules, JSON errors naming the field, and the documented shapes.

use crate::api::{check_answer, document, error_code, send, token_for, write};
use crate::app::{app, stp_round};
use crate::web_tests;
use axum::http::{Method, StatusCode};
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use serde_json::{Value, json};

/// The field named by the first problem of a 422.
pub(crate) fn field(body: &Value) -> &str {
    body["error"]["problems"][0]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no problem named: {body}"))
}

const ITEM: &str = "/api/v1/rounds/{id}/units/{unit}/items/{code}";
const REPORT: &str = "/api/v1/plans/{id}/tasks/{task}/reports";
const ACTUAL: &str = "/api/v1/plans/{id}/kpis/{kpi}/actuals";
const RESPONSES: &str = "/api/v1/surveys/campaigns/{id}/responses";

/// A plan of Sở Tư pháp with a task it leads, a task Tân Lập cooperates on (led by Sở Nội vụ)
/// and a KPI Sở Tư pháp reports. Gives (plan, lead task, cooperation task, kpi).
pub(crate) async fn stp_plan(store: &chiso_store::Store) -> (i64, i64, i64, i64) {
    use chiso_store::plans::{NewKpi, NewTask, PlanMeta};
    let unit =
        |code: &'static str| async move { store.unit_by_code(code).await.unwrap().unwrap().id };
    let (stp, snv, tanlap) = (
        unit("STP").await,
        unit("SNV").await,
        unit("XA-TANLAP").await,
    );
    let meta = PlanMeta {
        unit: stp,
        year: 2026,
        title: "Kế hoạch nâng chỉ số".into(),
        number: String::new(),
        decision_date: None,
        issuer: String::new(),
    };
    let task = |text: &str, lead: UnitId, cooperators: Vec<UnitId>| NewTask {
        text: text.into(),
        field_code: "2".into(),
        node_codes: vec!["2.1".into()],
        lead_unit: Some(lead),
        cooperators,
        deadline: chiso_core::plan::Deadline::Half {
            year: 2026,
            half: 2,
        },
        output: String::new(),
        expected_points: None,
    };
    let kpi = NewKpi {
        text: "Tỷ lệ hồ sơ đúng hạn".into(),
        direction: chiso_core::plan::Direction::AtLeast,
        target: "95".parse().unwrap(),
        unit_label: "%".into(),
        unit: Some(stp),
    };
    let id = store
        .create_plan(
            &meta,
            "manual",
            None,
            &[],
            &[kpi],
            &[
                task("Rà soát văn bản", stp, vec![]),
                task("Tập huấn", snv, vec![tanlap]),
            ],
            None,
            &chiso_store::audit::By::system("t"),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let plan = store.plan(id).await.unwrap();
    (id.0, plan.tasks[0].id, plan.tasks[1].id, plan.kpis[0].id)
}

web_tests! {
    async fn an_item_entry_is_saved_with_its_score_in_the_ledger(db) {
        let router = app(db.store.clone());
        let (round, stp) = stp_round(&db.store, 10).await;
        let doc = document(&router).await;
        let minh = token_for(&router, "minh.tuphap", "Hệ thống một cửa").await;
        let path = format!("/api/v1/rounds/{round}/units/{stp}/items/2.1");

        let (status, saved) = write(&router, &doc, Method::PUT, ITEM, &path, &minh, json!({
            "version": 0, "numerator": "412", "denominator": "430", "level": null, "met": null,
            "points": null, "not_applicable": null, "explanation": "Số liệu từ hệ thống một cửa",
        })).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!((saved["version"].as_i64(), saved["numerator"].as_str(), saved["code"].as_str()), (Some(1), Some("412"), Some("2.1")));
        // Proportional: max 2 × 412 / 430, as the grid scores it.
        let stored = db.store.self_entry(round, stp, "2.1").await.unwrap().unwrap();
        let points = stored.self_points.expect("scored");
        assert_eq!(saved["self_points"], points.to_string());
        assert!(points > Points::parse("1.9").unwrap() && points < Points::parse("1.92").unwrap(), "{points}");
        assert_eq!(stored.entry.explanation, "Số liệu từ hệ thống một cửa");
        let ledger = db.store.ledger_for(round, stp, "2.1").await.unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].event.new_value, points.to_scaled().map(|v| v.to_string()));
        assert!(ledger[0].event.actor.contains("minh.tuphap"), "{}", ledger[0].event.actor);

        // A stale version is refused with what is stored; nothing changes.
        let (status, stale) = write(&router, &doc, Method::PUT, ITEM, &path, &minh, json!({
            "version": 0, "numerator": "430", "denominator": "430",
        })).await;
        assert_eq!((status, error_code(&stale)), (StatusCode::CONFLICT, "version_conflict"), "{stale}");
        assert_eq!(stale["error"]["current"]["version"], 1);
        assert_eq!(stale["error"]["current"]["numerator"], "412");
        assert_eq!(db.store.ledger_for(round, stp, "2.1").await.unwrap().len(), 1);

        // A client reads the stored entry and its version; an item never saved is 404.
        let (status, read) = send(&router, Method::GET, &path, Some(&minh), None).await;
        assert_eq!((status, read["version"].as_i64(), read["numerator"].as_str()), (StatusCode::OK, Some(1), Some("412")), "{read}");
        let (status, _) = send(&router, Method::GET, &format!("/api/v1/rounds/{round}/units/{stp}/items/1.2"), Some(&minh), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // The documents behind the unit's items: their metadata.
        let meta = chiso_store::evidence::EvidenceMeta { file_name: "bao-cao.pdf".into(), content_type: "application/pdf".into(), doc_number: "45/BC-STP".into(), doc_date: chrono::NaiveDate::from_ymd_opt(2025, 12, 1), issuer: "Sở Tư pháp".into(), effective_date: None };
        db.store.attach_evidence(round, UnitId(stp), "2.1", &"a".repeat(64), 1024, &meta, &chiso_store::audit::By::system("minh"), chrono::Utc::now()).await.unwrap();
        let route = "/api/v1/rounds/{id}/units/{unit}/evidence";
        let (status, docs) = send(&router, Method::GET, &format!("/api/v1/rounds/{round}/units/{stp}/evidence"), Some(&minh), None).await;
        assert_eq!(status, StatusCode::OK, "{docs}");
        check_answer(&doc, Method::GET, route, status, &docs);
        assert_eq!((docs[0]["code"].as_str(), docs[0]["doc_number"].as_str(), docs[0]["doc_date"].as_str()), (Some("2.1"), Some("45/BC-STP"), Some("2025-12-01")));
        let thu = token_for(&router, "thu.tanlap", "Xã").await;
        assert_eq!(send(&router, Method::GET, &format!("/api/v1/rounds/{round}/units/{stp}/evidence"), Some(&thu), None).await.0, StatusCode::FORBIDDEN);
        // With the version read, the change is saved and the ledger records the new score.
        let (status, again) = write(&router, &doc, Method::PUT, ITEM, &path, &minh, json!({
            "version": 1, "numerator": "430", "denominator": "430",
        })).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!((again["version"].as_i64(), again["self_points"].as_str()), (Some(2), Some("2")));
        let ledger = db.store.ledger_for(round, stp, "2.1").await.unwrap();
        assert_eq!(ledger.len(), 2);
        assert_eq!(ledger[1].event.new_value, Points::parse("2").unwrap().to_scaled().map(|v| v.to_string()));

        // A boolean item, and a reason for not applicable where the item allows it.
        let p22 = format!("/api/v1/rounds/{round}/units/{stp}/items/2.2");
        let (status, met) = write(&router, &doc, Method::PUT, ITEM, &p22, &minh, json!({ "version": 0, "met": true })).await;
        assert_eq!((status, met["self_points"].as_str()), (StatusCode::OK, Some("2")), "{met}");
        let (status, na) = write(&router, &doc, Method::PUT, ITEM, &p22, &minh, json!({ "version": 1, "not_applicable": "Không có thủ tục" })).await;
        assert_eq!((status, &na["self_points"]), (StatusCode::OK, &Value::Null), "{na}");
    }

    async fn item_entries_are_refused_with_the_reason(db) {
        let router = app(db.store.clone());
        let (round, stp) = stp_round(&db.store, 10).await;
        let doc = document(&router).await;
        let minh = token_for(&router, "minh.tuphap", "Minh").await;
        let thu = token_for(&router, "thu.tanlap", "Thu").await;
        let path = format!("/api/v1/rounds/{round}/units/{stp}/items/2.1");
        let good = json!({ "version": 0, "numerator": "1", "denominator": "2" });

        // Another unit's focal point may not enter Sở Tư pháp's items.
        let (status, body) = write(&router, &doc, Method::PUT, ITEM, &path, &thu, good.clone()).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));

        // Bodies that cannot be used: 422 naming the field; nothing stored.
        for (body, named) in [
            (json!({ "version": 0, "numerator": "4,12", "denominator": "430" }), "numerator"),
            (json!({ "version": 0, "numerator": 412, "denominator": "430" }), "numerator"),
            (json!({ "version": 0, "numerater": "412" }), "numerater"),
            (json!({ "numerator": "412", "denominator": "430" }), "version"),
            (json!({ "version": 0, "numerator": "431", "denominator": "430" }), "numerator"),
            (json!({ "version": 0, "not_applicable": "Không áp dụng" }), "not_applicable"),
        ] {
            let (status, answer) = send(&router, Method::PUT, &path, Some(&minh), Some(&body)).await;
            assert_eq!((status, error_code(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"), "{body}: {answer}");
            check_answer(&doc, Method::PUT, ITEM, status, &answer);
            assert_eq!(field(&answer), named, "{body}: {answer}");
        }
        assert!(db.store.self_entry(round, stp, "2.1").await.unwrap().is_none());
        // Not JSON at all: 400.
        let res = {
            use tower::ServiceExt;
            router.clone().oneshot(
                axum::http::Request::put(&path)
                    .header("authorization", format!("Bearer {minh}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from("{version: 0"))
                    .unwrap(),
            ).await.unwrap()
        };
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);

        // No such item or unit in the round: 404.
        let (status, _) = send(&router, Method::PUT, &format!("/api/v1/rounds/{round}/units/{stp}/items/9.9"), Some(&minh), Some(&good)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id.0;
        let (status, _) = send(&router, Method::PUT, &format!("/api/v1/rounds/{round}/units/{snv}/items/2.1"), Some(&minh), Some(&good)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn item_entries_wait_for_the_window(db) {
        let router = app(db.store.clone());
        // Submission was due yesterday: the window is closed.
        let (round, stp) = stp_round(&db.store, -1).await;
        let doc = document(&router).await;
        let minh = token_for(&router, "minh.tuphap", "Minh").await;
        let path = format!("/api/v1/rounds/{round}/units/{stp}/items/2.2");
        let (status, body) = write(&router, &doc, Method::PUT, ITEM, &path, &minh, json!({ "version": 0, "met": true })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
        assert!(db.store.self_entry(round, stp, "2.2").await.unwrap().is_none());
    }

    async fn task_reports_and_kpi_actuals_are_written(db) {
        let router = app(db.store.clone());
        let (plan, lead_task, coop_task, kpi) = stp_plan(&db.store).await;
        let doc = document(&router).await;
        let minh = token_for(&router, "minh.tuphap", "Minh").await;
        let thu = token_for(&router, "thu.tanlap", "Thu").await;
        let report = format!("/api/v1/plans/{plan}/tasks/{lead_task}/reports");

        let (status, progress) = write(&router, &doc, Method::POST, REPORT, &report, &minh, json!({ "text": "Đã rà soát 12 văn bản" })).await;
        assert_eq!(status, StatusCode::CREATED, "{progress}");
        assert_eq!(progress["updates"][0]["text"], "Đã rà soát 12 văn bản");
        assert_eq!(progress["task"]["done_on"], Value::Null);
        let (status, done) = write(&router, &doc, Method::POST, REPORT, &report, &minh, json!({ "text": "Hoàn thành", "done_on": "2026-03-01" })).await;
        assert_eq!(status, StatusCode::CREATED, "{done}");
        assert_eq!((done["task"]["done_on"].as_str(), done["task"]["status"].as_str()), (Some("2026-03-01"), Some("done_on_time")));
        assert_eq!(done["updates"].as_array().unwrap().len(), 2);
        let (t, updates, _) = db.store.task(lead_task).await.unwrap();
        assert_eq!((t.done_on.map(|d| d.to_string()), updates.len()), (Some("2026-03-01".into()), 2));

        // A unit not on the task may not report on it; a cooperating unit reports but does
        // not close the task.
        let (status, body) = write(&router, &doc, Method::POST, REPORT, &report, &thu, json!({ "text": "x" })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        let coop = format!("/api/v1/plans/{plan}/tasks/{coop_task}/reports");
        let (status, _) = write(&router, &doc, Method::POST, REPORT, &coop, &thu, json!({ "text": "Đã cử 3 công chức" })).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = write(&router, &doc, Method::POST, REPORT, &coop, &thu, json!({ "done_on": "2026-03-01" })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "{body}");
        assert_eq!(db.store.task(coop_task).await.unwrap().0.done_on, None);
        // A task of another plan is not found through this one.
        let (status, _) = send(&router, Method::POST, &format!("/api/v1/plans/{}/tasks/{lead_task}/reports", plan + 1000), Some(&minh), Some(&json!({ "text": "x" }))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Bodies that cannot be used.
        for (body, named) in [
            (json!({ "text": "  " }), "text"),
            (json!({ "text": "x", "done_on": "01/03/2026" }), "done_on"),
            (json!({ "text": "x", "file": "a.pdf" }), "file"),
        ] {
            let (status, answer) = send(&router, Method::POST, &report, Some(&minh), Some(&body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            check_answer(&doc, Method::POST, REPORT, status, &answer);
            assert_eq!(field(&answer), named, "{body}: {answer}");
        }

        // KPI actuals: by the reporting unit.
        let actual = format!("/api/v1/plans/{plan}/kpis/{kpi}/actuals");
        let (status, k) = write(&router, &doc, Method::POST, ACTUAL, &actual, &minh, json!({ "period": "Quý 1/2026", "value": "96.5", "source": "Hệ thống một cửa" })).await;
        assert_eq!(status, StatusCode::CREATED, "{k}");
        assert_eq!((k["actuals"][0]["value"].as_str(), k["met"].as_bool()), (Some("96.5"), Some(true)));
        let stored = db.store.plan(chiso_store::plans::PlanId(plan)).await.unwrap();
        assert_eq!(stored.kpis[0].actuals.len(), 1);
        let (status, body) = write(&router, &doc, Method::POST, ACTUAL, &actual, &thu, json!({ "period": "Quý 1/2026", "value": "1", "source": "x" })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        for (body, named) in [
            (json!({ "period": "Quý 2/2026", "value": "96,5", "source": "x" }), "value"),
            (json!({ "period": "Quý 2/2026", "value": "1.23456", "source": "x" }), "value"),
            (json!({ "period": "Quý 2/2026", "value": "1" }), "source"),
            (json!({ "period": " ", "value": "1", "source": "x" }), "period"),
        ] {
            let (status, answer) = send(&router, Method::POST, &actual, Some(&minh), Some(&body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            check_answer(&doc, Method::POST, ACTUAL, status, &answer);
            assert_eq!(field(&answer), named, "{body}: {answer}");
        }
        let stored = db.store.plan(chiso_store::plans::PlanId(plan)).await.unwrap();
        assert_eq!(stored.kpis[0].actuals.len(), 1);
    }

    async fn survey_responses_are_imported_once_and_checked(db) {
        let router = app(db.store.clone());
        let (round, stp) = stp_round(&db.store, 10).await;
        let (c, _) = crate::surveys::open_campaign(&db.store, round, stp, &[], false).await;
        let doc = document(&router).await;
        let lan = token_for(&router, "lan.noivu", "Kobo").await;
        let minh = token_for(&router, "minh.tuphap", "Minh").await;
        let path = format!("/api/v1/surveys/campaigns/{c}/responses");
        let form = |id: &str, q1: &str| json!({ "unit": "STP", "respondent": id, "answers": { "Q1": q1, "Q2": "có", "Q3": "2" } });
        let count = || async { db.store.response_counts(c).await.unwrap().values().sum::<u32>() };

        let batch = json!({ "group": "nguoi_dan", "skip_bad_rows": false, "responses": [form("k1", "A"), form("k2", "Hài lòng")] });
        let (status, done) = write(&router, &doc, Method::POST, RESPONSES, &path, &lan, batch.clone()).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!((done["imported"].as_u64(), done["already_imported"].as_u64()), (Some(2), Some(0)));
        assert_eq!(count().await, 2);
        // The same batch again counts nothing twice.
        let (status, again) = write(&router, &doc, Method::POST, RESPONSES, &path, &lan, batch).await;
        assert_eq!((status, again["imported"].as_u64(), again["already_imported"].as_u64()), (StatusCode::OK, Some(0), Some(2)));
        assert_eq!(count().await, 2);

        // A bad form refuses the batch, each problem named with its index and question.
        let bad = json!({ "group": "nguoi_dan", "responses": [
            form("k3", "A"),
            form("k4", "Z"),
            { "unit": "KHONG-CO", "respondent": "k5", "answers": { "Q1": "B" } },
        ] });
        let (status, refused) = write(&router, &doc, Method::POST, RESPONSES, &path, &lan, bad.clone()).await;
        assert_eq!((status, error_code(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"), "{refused}");
        let problems = refused["error"]["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 2, "{refused}");
        assert_eq!((problems[0]["index"].as_u64(), problems[0]["question"].as_str(), problems[0]["field"].as_str()), (Some(1), Some("Q1"), Some("responses[1].answers.Q1")));
        assert_eq!((problems[1]["index"].as_u64(), problems[1]["field"].as_str()), (Some(2), Some("responses[2].unit")));
        assert_eq!(count().await, 2);
        // Unless bad forms are skipped: the good one is stored, the others listed.
        let mut skipping = bad;
        skipping["skip_bad_rows"] = json!(true);
        let (status, partial) = write(&router, &doc, Method::POST, RESPONSES, &path, &lan, skipping).await;
        assert_eq!(status, StatusCode::OK, "{partial}");
        assert_eq!((partial["imported"].as_u64(), partial["refused"].as_u64(), partial["problems"].as_array().map(Vec::len)), (Some(1), Some(2), Some(2)));
        assert_eq!(count().await, 3);

        // A focal point does not import survey responses.
        let (status, body) = write(&router, &doc, Method::POST, RESPONSES, &path, &minh, json!({ "group": "nguoi_dan", "responses": [form("k9", "A")] })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        // Bodies that cannot be used.
        for (body, named) in [
            (json!({ "group": "doanh_nghiep", "responses": [form("k9", "A")] }), "group"),
            (json!({ "group": "nguoi_dan" }), "responses"),
            (json!({ "group": "nguoi_dan", "responses": [] }), "responses"),
            (json!({ "group": "nguoi_dan", "responses": [{ "unit": "STP", "answers": {} }] }), "responses[0].respondent"),
            (json!({ "group": "nguoi_dan", "responses": [{ "unit": "STP", "respondent": "k9", "answers": { "Q1": 1 } }] }), "responses[0].answers.Q1"),
        ] {
            let (status, answer) = send(&router, Method::POST, &path, Some(&lan), Some(&body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            check_answer(&doc, Method::POST, RESPONSES, status, &answer);
            assert_eq!(field(&answer), named, "{body}: {answer}");
        }
        assert_eq!(count().await, 3);

        // A closed campaign takes no more forms.
        db.store.set_campaign_status(c, chiso_store::surveys::CampaignStatus::Closed, &chiso_store::audit::By::system("t"), chrono::Utc::now()).await.unwrap();
        let (status, body) = write(&router, &doc, Method::POST, RESPONSES, &path, &lan, json!({ "group": "nguoi_dan", "responses": [form("k9", "A")] })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
    }
}
