//! The administrators' writes through the API: units, a framework file, rounds and plan tasks,
//! each by the page's rules, refused for other accounts, with the documented shapes.

use crate::api::{document, error_code, send, token_for, write};
use crate::api_writes::{field, stp_plan};
use crate::app::app;
use crate::web_tests;
use axum::http::{Method, StatusCode};
use serde_json::json;

const UNITS: &str = "/api/v1/units";
const UNIT: &str = "/api/v1/units/{id}";
const FRAMEWORKS: &str = "/api/v1/frameworks";
const ROUNDS: &str = "/api/v1/rounds";
const TASKS: &str = "/api/v1/plans/{id}/tasks";
const TASK: &str = "/api/v1/plans/{id}/tasks/{task}";

fn good_yaml() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap()
}

web_tests! {
    async fn administrators_keep_units_frameworks_and_rounds_through_the_api(db) {
        let router = app(db.store.clone());
        let doc = document(&router).await;
        let lan = token_for(&router, "lan.noivu", "Sở Nội vụ").await;
        let minh = token_for(&router, "minh.tuphap", "Tư pháp").await;
        let tanlap = db.store.unit_by_code("XA-TANLAP").await.unwrap().unwrap();
        let unit = json!({
            "code": "XA-THUNGHIEM", "name": "Xã Thử Nghiệm", "unit_type": "commune",
            "parent_id": tanlap.parent.map(|p| p.0), "valid_from": "2025-07-01", "valid_to": null
        });

        // Units: created by the page's rules; a focal point may not; every problem named.
        let (status, _) = write(&router, &doc, Method::POST, UNITS, UNITS, &minh, unit.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, made) = write(&router, &doc, Method::POST, UNITS, UNITS, &lan, unit.clone()).await;
        assert_eq!((status, made["name"].as_str(), made["unit_type"].as_str()), (StatusCode::CREATED, Some("Xã Thử Nghiệm"), Some("commune")), "{made}");
        let (status, taken) = write(&router, &doc, Method::POST, UNITS, UNITS, &lan, unit.clone()).await;
        assert_eq!((status, field(&taken)), (StatusCode::UNPROCESSABLE_ENTITY, "code"), "{taken}");
        let mut bad = unit.clone();
        bad["code"] = json!("XA-KHAC");
        bad["unit_type"] = json!("hamlet");
        let (status, body) = write(&router, &doc, Method::POST, UNITS, UNITS, &lan, bad).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "unit_type"), "{body}");
        let (status, body) = send(&router, Method::POST, UNITS, Some(&lan), Some(&json!({ "code": "X", "name": "Y", "unit_type": "commune", "valid_from": "01/07/2025" }))).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "valid_from"), "{body}");
        let id = made["id"].as_i64().unwrap();
        let mut renamed = unit.clone();
        renamed["name"] = json!("Xã Thử Nghiệm Mới");
        let (status, body) = write(&router, &doc, Method::PUT, UNIT, &format!("/api/v1/units/{id}"), &lan, renamed).await;
        assert_eq!((status, body["name"].as_str()), (StatusCode::OK, Some("Xã Thử Nghiệm Mới")), "{body}");
        assert_eq!(db.store.unit(chiso_core::ids::UnitId(id)).await.unwrap().name, "Xã Thử Nghiệm Mới");

        // A framework file: stored once; the same file again changes nothing; a broken one is
        // refused with its problems.
        let file = json!({ "yaml": good_yaml(), "file_name": "bo-chi-so.yaml" });
        let (status, _) = write(&router, &doc, Method::POST, FRAMEWORKS, FRAMEWORKS, &minh, file.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, first) = write(&router, &doc, Method::POST, FRAMEWORKS, FRAMEWORKS, &lan, file.clone()).await;
        assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status} {first}");
        let (status, again) = write(&router, &doc, Method::POST, FRAMEWORKS, FRAMEWORKS, &lan, file).await;
        assert_eq!((status, &again["id"]), (StatusCode::OK, &first["id"]));
        let frameworks = db.store.list_frameworks().await.unwrap().len();
        let broken = json!({ "yaml": good_yaml().replacen("max:", "max: -", 1) });
        let (status, body) = write(&router, &doc, Method::POST, FRAMEWORKS, FRAMEWORKS, &lan, broken).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "yaml"), "{body}");
        assert_eq!(db.store.list_frameworks().await.unwrap().len(), frameworks);

        // A round over the framework's units; dates out of order are named.
        let schedule = json!({
            "self_assessment_opens": "2026-12-01", "submission_due": "2026-12-25",
            "appraisal1_due": "2027-01-10", "explanation_due": "2027-01-15", "appraisal2_due": "2027-01-20"
        });
        let round = json!({ "framework_id": first["id"], "name": "Đánh giá năm 2026", "schedule": schedule });
        let (status, _) = write(&router, &doc, Method::POST, ROUNDS, ROUNDS, &minh, round.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut late = round.clone();
        late["schedule"]["submission_due"] = json!("2026-11-01");
        let (status, body) = write(&router, &doc, Method::POST, ROUNDS, ROUNDS, &lan, late).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["problems"].as_array().unwrap().iter().any(|p| p["field"] == "submission_due"), "{body}");
        let mut unknown = round.clone();
        unknown["framework_id"] = json!(999_999);
        let (status, body) = write(&router, &doc, Method::POST, ROUNDS, ROUNDS, &lan, unknown).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "framework_id"), "{body}");
        let rounds = db.store.list_rounds().await.unwrap().len();
        let (status, made) = write(&router, &doc, Method::POST, ROUNDS, ROUNDS, &lan, round).await;
        assert_eq!((status, made["phase"].as_str()), (StatusCode::CREATED, Some("preparing")), "{made}");
        assert!(!made["unit_states"].as_array().unwrap().is_empty());
        assert_eq!(db.store.list_rounds().await.unwrap().len(), rounds + 1);
    }

    async fn administrators_add_and_correct_plan_tasks_through_the_api(db) {
        let router = app(db.store.clone());
        let doc = document(&router).await;
        let (plan, lead_task, _, _) = stp_plan(&db.store).await;
        let lan = token_for(&router, "lan.noivu", "Sở Nội vụ").await;
        let minh = token_for(&router, "minh.tuphap", "Tư pháp").await;
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0;
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id.0;
        let path = format!("/api/v1/plans/{plan}/tasks");
        let task = json!({
            "text": "Số hóa hồ sơ thủ tục hành chính", "field_code": "5", "node_codes": ["5.1", "5.2"],
            "lead_unit_id": stp, "cooperating_unit_ids": [snv], "deadline": "Quý 3/2026",
            "output": "Báo cáo kết quả", "expected_points": "0.5"
        });
        let (status, _) = write(&router, &doc, Method::POST, TASKS, &path, &minh, task.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, made) = write(&router, &doc, Method::POST, TASKS, &path, &lan, task.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!((made["lead_unit_id"].as_i64(), made["due_on"].as_str(), made["expected_points"].as_str()), (Some(stp), Some("2026-09-30"), Some("0.5")));
        assert_eq!(made["cooperating_unit_ids"], json!([snv]));
        for (change, named) in [
            (json!({ "deadline": "sau này" }), "deadline"),
            (json!({ "text": " " }), "text"),
            (json!({ "cooperating_unit_ids": [snv, 999_999] }), "cooperating_unit_ids[1]"),
            (json!({ "expected_points": "nửa" }), "expected_points"),
        ] {
            let mut body = task.clone();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            // Sent as is: some of these do not fit the documented schema on purpose.
            let (status, answer) = send(&router, Method::POST, &path, Some(&lan), Some(&body)).await;
            assert_eq!((status, field(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, named), "{answer}");
        }
        assert_eq!(db.store.plan(chiso_store::plans::PlanId(plan)).await.unwrap().tasks.len(), 3);
        let mut fixed = task.clone();
        fixed["text"] = json!("Rà soát, số hóa văn bản");
        fixed["deadline"] = json!("30/06/2026");
        let (status, body) = write(&router, &doc, Method::PUT, TASK, &format!("{path}/{lead_task}"), &lan, fixed).await;
        assert_eq!((status, body["text"].as_str(), body["due_on"].as_str()), (StatusCode::OK, Some("Rà soát, số hóa văn bản"), Some("2026-06-30")), "{body}");
        let (status, body) = write(&router, &doc, Method::PUT, TASK, &format!("/api/v1/plans/{plan}/tasks/999999"), &lan, task).await;
        assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{body}");
    }
}

web_tests! {
    async fn plans_are_created_drafted_and_kept_through_the_api(db) {
        let router = app(db.store.clone());
        let doc = document(&router).await;
        let lan = token_for(&router, "lan.noivu", "Sở Nội vụ").await;
        let minh = token_for(&router, "minh.tuphap", "Tư pháp").await;
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0;
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id.0;
        let plans = "/api/v1/plans";
        let plan = json!({
            "unit_id": snv, "year": 2027, "title": "Kế hoạch CCHC năm 2027", "number": "15/KH-SNV",
            "decision_date": "2027-01-10", "issuer": "Sở Nội vụ",
            "kpis": [{ "text": "Tỷ lệ hồ sơ trực tuyến", "direction": "at_least", "target": "80", "unit_label": "%", "unit_id": stp }],
            "tasks": [
                { "text": "Rà soát thủ tục", "deadline": "Quý 1/2027", "lead_unit_id": stp, "cooperating_unit_ids": [snv] },
                { "text": "Tập huấn cán bộ", "deadline": "Năm 2027", "lead_unit_id": snv }
            ]
        });
        let (status, _) = write(&router, &doc, Method::POST, "/api/v1/plans", plans, &minh, plan.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Every problem named by its position; nothing stored.
        let mut bad = plan.clone();
        bad["tasks"][1]["deadline"] = json!("khi nào xong");
        bad["kpis"][0]["direction"] = json!("more");
        bad["title"] = json!("");
        let before = db.store.plans().await.unwrap().len();
        let (status, body) = send(&router, Method::POST, plans, Some(&lan), Some(&bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let named: Vec<&str> = body["error"]["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
        assert_eq!(named, vec!["title", "kpis[0].direction", "tasks[1].deadline"], "{body}");
        assert_eq!(db.store.plans().await.unwrap().len(), before);
        let (status, made) = write(&router, &doc, Method::POST, "/api/v1/plans", plans, &lan, plan).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!((made["tasks"].as_array().unwrap().len(), made["kpis"][0]["target"].as_str(), made["source"].as_str()), (2, Some("80"), Some("api")));
        let id = made["id"].as_i64().unwrap();
        let (first, second) = (made["tasks"][0]["id"].as_i64().unwrap(), made["tasks"][1]["id"].as_i64().unwrap());

        // A KPI added later.
        let kpis = "/api/v1/plans/{id}/kpis";
        let (status, k) = write(&router, &doc, Method::POST, kpis, &format!("/api/v1/plans/{id}/kpis"), &lan, json!({ "text": "Số TTHC cắt giảm", "direction": "increase", "target": "12" })).await;
        assert_eq!((status, k["direction"].as_str()), (StatusCode::CREATED, Some("increase")), "{k}");

        // The lead unit reports and asks for more time; that task then stays.
        let (status, _) = send(&router, Method::POST, &format!("/api/v1/plans/{id}/tasks/{first}/reports"), Some(&minh), Some(&json!({ "text": "Đã rà soát 40 thủ tục" }))).await;
        assert_eq!(status, StatusCode::CREATED);
        let ext = "/api/v1/plans/{id}/tasks/{task}/extensions";
        let ext_path = format!("/api/v1/plans/{id}/tasks/{first}/extensions");
        let (status, body) = write(&router, &doc, Method::POST, ext, &ext_path, &minh, json!({ "until": "2027-06-30", "reason": " " })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");
        let (status, asked) = write(&router, &doc, Method::POST, ext, &ext_path, &minh, json!({ "until": "2027-06-30", "reason": "Chờ hướng dẫn của Bộ" })).await;
        assert_eq!((status, &asked[0]["approved"]), (StatusCode::CREATED, &json!(null)), "{asked}");
        let decide = "/api/v1/plans/{id}/tasks/{task}/extensions/{ext}";
        let decide_path = format!("{ext_path}/{}", asked[0]["id"]);
        let (status, _) = write(&router, &doc, Method::PUT, decide, &decide_path, &minh, json!({ "approve": true })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = write(&router, &doc, Method::PUT, decide, &decide_path, &lan, json!({ "approve": false })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "note"), "{body}");
        let (status, decided) = write(&router, &doc, Method::PUT, decide, &decide_path, &lan, json!({ "approve": true })).await;
        assert_eq!((status, &decided[0]["approved"]), (StatusCode::OK, &json!(true)), "{decided}");
        let (status, body) = send(&router, Method::DELETE, &format!("/api/v1/plans/{id}/tasks/{first}"), Some(&lan), None).await;
        assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
        let (status, after) = send(&router, Method::DELETE, &format!("/api/v1/plans/{id}/tasks/{second}"), Some(&lan), None).await;
        assert_eq!((status, after["tasks"].as_array().unwrap().len()), (StatusCode::OK, 1), "{after}");

        // Next year's draft from the points a unit lost in a finished round.
        let (round, units) = crate::results::finished_round(&db.store).await;
        let draft = "/api/v1/rounds/{id}/units/{unit}/draft-plan";
        let path = format!("/api/v1/rounds/{round}/units/{}/draft-plan", units[1]);
        let (status, _) = write(&router, &doc, Method::POST, draft, &path, &minh, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, drafted) = write(&router, &doc, Method::POST, draft, &path, &lan, json!({})).await;
        assert_eq!((status, drafted["source"].as_str(), drafted["round_id"].as_i64()), (StatusCode::CREATED, Some("draft_from_results"), Some(round)), "{drafted}");
        assert!(!drafted["goals"].as_array().unwrap().is_empty());
    }
}
