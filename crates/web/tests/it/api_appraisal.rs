//! A whole round through the API alone, as another system would drive it: the unit's entry and
//! document, the leader's submission, the phases, both appraisals with the unit's answer, the
//! steps, and the score ledger at the end, each with the grid's permissions and refusals.

use crate::api::{check_answer, document, error_code, send, token_for, write};
use crate::api_writes::field;
use crate::app::{app, stp_round};
use crate::web_tests;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chiso_core::round::ledger::EventKind;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const APPRAISAL: &str = "/api/v1/rounds/{id}/units/{unit}/items/{code}/appraisal";
const ANSWER: &str = "/api/v1/rounds/{id}/units/{unit}/items/{code}/answer";
const STEPS: &str = "/api/v1/rounds/{id}/units/{unit}/steps";
const PHASE: &str = "/api/v1/rounds/{id}/phase";
const UPLOAD: &str = "/api/v1/rounds/{id}/units/{unit}/items/{code}/evidence";

/// A multipart upload with a token; (status, JSON body).
async fn upload(
    router: &Router,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Value) {
    let boundary = "apiboundary42";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The bytes of a GET with a token; (status, content type, bytes).
async fn download(router: &Router, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, kind, bytes)
}

web_tests! {
    async fn a_round_runs_through_the_api_with_the_grids_rules(db) {
        let router = app(db.store.clone());
        let (r, u) = stp_round(&db.store, 20).await;
        let doc = document(&router).await;
        let minh = token_for(&router, "minh.tuphap", "Một cửa").await;
        let hoa = token_for(&router, "hoa.tuphap", "Lãnh đạo").await;
        let lan = token_for(&router, "lan.noivu", "Sở Nội vụ").await;
        let tuan = token_for(&router, "tuan.thamdinh", "Thẩm định").await;
        let hung = token_for(&router, "hung.hoidong", "Hội đồng").await;
        let item = format!("/api/v1/rounds/{r}/units/{u}/items/2.1");
        let steps = format!("/api/v1/rounds/{r}/units/{u}/steps");
        let phase = format!("/api/v1/rounds/{r}/phase");

        // The unit's entry and the document behind it.
        let (status, _) = send(&router, Method::PUT, &item, Some(&minh), Some(&json!({
            "version": 0, "numerator": "412", "denominator": "430", "explanation": "Theo Cổng Dịch vụ công"
        }))).await;
        assert_eq!(status, StatusCode::OK);
        let pdf = b"%PDF-1.4\n% bao cao\n";
        let meta = [("doc_number", "45/BC-STP"), ("doc_date", "2025-12-01"), ("issuer", "Sở Tư pháp")];
        let (status, docu) = upload(&router, &format!("{item}/evidence"), &minh, &meta, Some(("bao-cao.pdf", pdf))).await;
        assert_eq!(status, StatusCode::CREATED, "{docu}");
        check_answer(&doc, Method::POST, UPLOAD, status, &docu);
        assert_eq!((docu["doc_number"].as_str(), docu["doc_date"].as_str(), docu["content_type"].as_str()), (Some("45/BC-STP"), Some("2025-12-01"), Some("application/pdf")));
        let (status, kind, bytes) = download(&router, &format!("/api/v1/evidence/{}/content", docu["id"]), &minh).await;
        assert_eq!((status, kind.as_str(), bytes.as_slice()), (StatusCode::OK, "application/pdf", pdf.as_slice()));
        // Refused uploads: no file, a type by its content, an unread date, another unit's staff.
        let (status, none) = upload(&router, &format!("{item}/evidence"), &minh, &meta, None).await;
        assert_eq!((status, field(&none)), (StatusCode::UNPROCESSABLE_ENTITY, "file"), "{none}");
        let (status, exe) = upload(&router, &format!("{item}/evidence"), &minh, &[], Some(("bao-cao.pdf", b"MZ\x90\x00not a pdf"))).await;
        assert_eq!((status, field(&exe)), (StatusCode::UNPROCESSABLE_ENTITY, "file"), "{exe}");
        let (status, date) = upload(&router, &format!("{item}/evidence"), &minh, &[("effective_date", "31/02/2025")], Some(("b.pdf", b"%PDF-1.4 other"))).await;
        assert_eq!((status, field(&date)), (StatusCode::UNPROCESSABLE_ENTITY, "effective_date"), "{date}");
        let thu = token_for(&router, "thu.tanlap", "Xã").await;
        assert_eq!(upload(&router, &format!("{item}/evidence"), &thu, &[], Some(("c.pdf", b"%PDF-1.4 x"))).await.0, StatusCode::FORBIDDEN);
        assert_eq!(download(&router, &format!("/api/v1/evidence/{}/content", docu["id"]), &thu).await.0, StatusCode::FORBIDDEN);
        assert_eq!(db.store.evidence_for(r, chiso_core::ids::UnitId(u), None).await.unwrap().len(), 1);

        // The focal point may not submit; the leader does; an unknown step names the field.
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &minh, json!({ "step": "submit" })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &hoa, json!({ "step": "approve" })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "step"));
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &hoa, json!({ "step": "submit" })).await;
        assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("submitted")), "{body}");
        // Appraisal before the phase: a conflict with the unit's state.
        let (status, body) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({ "version": 0, "points": "1" })).await;
        assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");

        // Only the administrator moves phases, one step at a time.
        let (status, _) = write(&router, &doc, Method::PUT, PHASE, &phase, &hung, json!({ "to": "appraisal_1" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = write(&router, &doc, Method::PUT, PHASE, &phase, &lan, json!({ "to": "closed" })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "to"), "{body}");
        let (status, body) = write(&router, &doc, Method::PUT, PHASE, &phase, &lan, json!({ "to": "appraisal_1" })).await;
        assert_eq!((status, body["phase"].as_str()), (StatusCode::OK, Some("appraisal_1")), "{body}");

        // Round 1: Tuấn does not appraise field 2; Hưng must give a reason for a change.
        let (status, _) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &tuan, json!({ "version": 0, "points": "1" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({ "version": 0, "numerator": "400", "denominator": "430" })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");
        assert!(body["error"]["problems"][0]["message"].as_str().unwrap().contains("lý do"), "{body}");
        let (status, body) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({ "version": 0, "points": "7", "reason": "x" })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "points"), "{body}");
        let (status, a1) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({
            "version": 0, "numerator": "400", "denominator": "430", "reason": "Theo Cổng DVC chỉ 400 hồ sơ đúng hạn", "ask": "explanation"
        })).await;
        assert_eq!(status, StatusCode::OK, "{a1}");
        assert_eq!((a1["stage"].as_i64(), a1["version"].as_i64(), a1["corrected_numerator"].as_str(), a1["ask"].as_str()), (Some(1), Some(1), Some("400"), Some("explanation")));
        let (status, stale) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({ "version": 0, "points": "0", "reason": "x" })).await;
        assert_eq!((status, error_code(&stale), stale["error"]["current"]["version"].as_i64()), (StatusCode::CONFLICT, "version_conflict", Some(1)));
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &hung, json!({ "step": "conclude_appraisal_1" })).await;
        assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("appraised_1")), "{body}");

        // The unit answers in the explanation phase only; the leader sends the explanations.
        let answer = json!({ "answer": "12 hồ sơ liên thông được tính đúng hạn" });
        let (status, body) = write(&router, &doc, Method::PUT, ANSWER, &format!("{item}/answer"), &minh, answer.clone()).await;
        assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
        write(&router, &doc, Method::PUT, PHASE, &phase, &lan, json!({ "to": "explanation" })).await;
        let (status, body) = write(&router, &doc, Method::PUT, ANSWER, &format!("{item}/answer"), &minh, json!({ "answer": "  " })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "answer"));
        let (status, body) = write(&router, &doc, Method::PUT, ANSWER, &format!("{item}/answer"), &minh, answer).await;
        assert_eq!((status, body["answer"].as_str()), (StatusCode::OK, Some("12 hồ sơ liên thông được tính đúng hạn")), "{body}");
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &hoa, json!({ "step": "send_explanation" })).await;
        assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("explained")), "{body}");
        // Going back a phase needs a reason.
        let (status, body) = write(&router, &doc, Method::PUT, PHASE, &phase, &lan, json!({ "to": "appraisal_1" })).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");

        // Round 2 restores the declared figures; concluding makes the score final.
        write(&router, &doc, Method::PUT, PHASE, &phase, &lan, json!({ "to": "appraisal_2" })).await;
        let (status, a2) = write(&router, &doc, Method::PUT, APPRAISAL, &format!("{item}/appraisal"), &hung, json!({
            "version": 0, "numerator": "412", "denominator": "430", "reason": "Chấp nhận giải trình"
        })).await;
        assert_eq!((status, a2["stage"].as_i64()), (StatusCode::OK, Some(2)), "{a2}");
        let (status, body) = write(&router, &doc, Method::POST, STEPS, &steps, &hung, json!({ "step": "conclude_appraisal_2" })).await;
        assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("final")), "{body}");
        let route = "/api/v1/rounds/{id}/units/{unit}/items/{code}/appraisals";
        let (status, both) = send(&router, Method::GET, &format!("{item}/appraisals"), Some(&minh), None).await;
        check_answer(&doc, Method::GET, route, status, &both);
        let stages: Vec<i64> = both.as_array().unwrap().iter().map(|a| a["stage"].as_i64().unwrap()).collect();
        assert_eq!(stages, vec![1, 2]);
        assert_eq!(both[0]["points"], a1["points"]);

        // The ledger holds every score event, in a chain that verifies.
        let kinds: Vec<EventKind> = db.store.ledger_for(r, u, "2.1").await.unwrap().iter().map(|e| e.event.kind).collect();
        assert_eq!(kinds, vec![EventKind::SelfScore, EventKind::Appraisal1, EventKind::Explanation, EventKind::Appraisal2, EventKind::Final]);
        assert!(db.store.verify_ledger().await.unwrap().is_ok());
    }
}
