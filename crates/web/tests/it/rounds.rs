//! Rounds over HTTP: creating one with its dates, and moving it through its phases.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_store::audit::{By, Filter};

web_tests! {
    async fn an_admin_opens_a_round_for_every_department(db) {
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("test"), chrono::Utc::now()).await.unwrap();
        }
        let dept = db.store.latest_framework("par-department", 2025).await.unwrap().unwrap().0.id.to_string();
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let form = c.get("/rounds/new").await;
        assert!(form.html().select(&scraper::Selector::parse("#submission_due").unwrap()).next().unwrap().value().attr("value").unwrap().starts_with("25/12/"));

        // Dates out of order are refused beside the field.
        let bad = c.post("/rounds", &[("framework_id", &dept), ("name", "Đánh giá năm 2025"), ("self_assessment_opens", "01/12/2025"),
            ("submission_due", "25/11/2025"), ("appraisal1_due", "10/01/2026"), ("explanation_due", "13/01/2026"), ("appraisal2_due", "15/01/2026")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.text(".field-error"), "Ngày \"Hạn gửi kết quả tự đánh giá\" phải sau mốc trước đó.");
        assert!(db.store.list_rounds().await.unwrap().is_empty());

        let r = c.post("/rounds", &[("framework_id", &dept), ("name", "Đánh giá năm 2025"), ("self_assessment_opens", "01/12/2025"),
            ("submission_due", "25/12/2025"), ("appraisal1_due", "10/01/2026"), ("explanation_due", "13/01/2026"), ("appraisal2_due", "15/01/2026")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = c.get(r.location.as_deref().unwrap()).await;
        assert_eq!(page.count("#round-units tbody tr"), 15, "every department in operation on 01/12/2025");
        assert_eq!(page.text("#round-phase"), "Chuẩn bị");

        let id = db.store.list_rounds().await.unwrap()[0].id.0;
        let r = c.post(&format!("/rounds/{id}/phase"), &[("to", "self_assessment")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(c.get(&format!("/rounds/{id}")).await.text("#round-phase"), "Tự đánh giá, chấm điểm");
        // Skipping a phase is refused; reopening needs a reason.
        assert_eq!(c.post(&format!("/rounds/{id}/phase"), &[("to", "explanation")]).await.status, StatusCode::BAD_REQUEST);
        let r = c.post(&format!("/rounds/{id}/phase"), &[("to", "preparing"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.text(".error-message"), "Cần ghi lý do mở lại giai đoạn trước.");
        let r = c.post(&format!("/rounds/{id}/phase"), &[("to", "preparing"), ("reason", "Bổ sung đơn vị")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let log = db.store.audit_entries(&Filter { entity: Some("round".into()), limit: 10, ..Filter::default() }).await.unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["round.phase", "round.phase", "round.create"]);
        assert!(log[0].after.as_deref().unwrap().contains("Bổ sung đơn vị"));

        // Others may read rounds, not manage them.
        let mut m = Client::new(app(db.store.clone()));
        m.login_demo("minh.tuphap").await;
        assert_eq!(m.get("/rounds").await.count("#rounds tbody tr"), 1);
        assert_eq!(m.get("/rounds/new").await.status, StatusCode::FORBIDDEN);
        assert_eq!(m.post(&format!("/rounds/{id}/phase"), &[("to", "self_assessment")]).await.status, StatusCode::FORBIDDEN);
    }
}
