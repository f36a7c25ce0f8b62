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

web_tests! {
    async fn focal_points_score_their_fields_and_the_leader_submits(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let page = minh.get(&grid).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.count("article.item"), 8);
        // Minh works on field 2 only: its inputs are enabled, field 1's are not.
        assert_eq!(page.count("#item-2\\.1 input[name=numerator]:not([disabled])"), 1);
        assert_eq!(page.count("#item-1\\.2 input[name=points][disabled]"), 1);

        // 412 of 430 dossiers on time → 2 × 412/430 = 1,9163 points, computed on save.
        let mut saved = minh.post_raw(&format!("{grid}/items/2.1"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "0"), ("numerator", "412"), ("denominator", "430"), ("explanation", "")], &[("hx-request", "true")]).await;
        saved.body = format!("<div>{}</div>", saved.body);
        assert_eq!(saved.text("#item-2\\.1 .score"), "1,9163");
        assert_eq!(saved.text("#item-2\\.1 .ok-note"), "Đã lưu.");
        // A save from a page opened before that one is refused and shows what is stored.
        let mut stale = minh.post_raw(&format!("{grid}/items/2.1"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "0"), ("numerator", "400"), ("denominator", "430")], &[("hx-request", "true")]).await;
        stale.body = format!("<div>{}</div>", stale.body);
        assert!(stale.text("#item-2\\.1 .field-error").starts_with("Tiêu chí vừa được lưu bởi người khác"), "{}", stale.body);
        assert_eq!(stale.text("#item-2\\.1 .score"), "1,9163");
        // Not his field.
        let other = minh.post(&format!("{grid}/items/1.2"), &[("version", "0"), ("points", "1")]).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        // Not applicable needs a reason; the rule's errors are shown beside the item.
        let mut na = minh.post_raw(&format!("{grid}/items/2.2"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "0"), ("na", "1"), ("na_reason", "")], &[("hx-request", "true")]).await;
        na.body = format!("<div>{}</div>", na.body);
        assert_eq!(na.text("#item-2\\.2 .field-error"), "Cần ghi lý do không áp dụng.");

        // The leader submits: editing closes; withdrawing reopens it.
        let mut hoa = Client::new(app(db.store.clone()));
        hoa.login_demo("hoa.tuphap").await;
        let page = hoa.get(&grid).await;
        assert_eq!(page.text("#progress tbody tr:nth-child(2) td:nth-child(2)"), "1/3");
        // Points claimed with neither a document nor an explanation: the submission is refused,
        // naming the item; an explanation lets it through.
        let refused = hoa.post(&format!("{grid}/submit"), &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text(".error-message").ends_with("không có giải trình: 2.1"), "{}", refused.text(".error-message"));
        assert_eq!(minh.get(&grid).await.count("#item-2\\.1 .unsupported"), 1);
        let explained = minh.post(&format!("{grid}/items/2.1"), &[("version", "1"), ("numerator", "412"), ("denominator", "430"), ("explanation", "Số liệu trích từ Cổng Dịch vụ công tỉnh, kỳ báo cáo năm 2025")]).await;
        assert_eq!(explained.status, StatusCode::SEE_OTHER);
        let r2 = hoa.post(&format!("{grid}/submit"), &[]).await;
        assert_eq!(r2.status, StatusCode::SEE_OTHER);
        assert_eq!(hoa.get(&grid).await.text("#unit-state"), "Đã gửi");
        let locked = minh.post(&format!("{grid}/items/2.1"), &[("version", "2"), ("numerator", "430"), ("denominator", "430")]).await;
        assert_eq!(locked.status, StatusCode::BAD_REQUEST);
        assert_eq!(minh.post(&format!("{grid}/submit"), &[]).await.status, StatusCode::FORBIDDEN);
        hoa.post(&format!("{grid}/withdraw"), &[]).await;
        assert_eq!(hoa.get(&grid).await.text("#unit-state"), "Đang tự đánh giá");
        // The dashboard sends Minh to his unit's grid; the item's history shows the change.
        let home = minh.get("/").await;
        assert_eq!(home.html().select(&scraper::Selector::parse("#my-rounds a").unwrap()).next().unwrap().value().attr("href"), Some(grid.as_str()));
        let h = minh.get(&format!("{grid}/items/2.1/history")).await;
        assert_eq!(h.texts("#history tbody td"), vec!["1".to_string(), h.texts("#history tbody td")[1].clone(), "minh.tuphap".into(), "Tự chấm".into(), "—".into(), "1,9163".into(), "".into()]);
        // Every score change is in the ledger.
        let history = db.store.ledger_for(r, u, "2.1").await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].event.actor, "minh.tuphap");
        assert_eq!(db.store.verify_ledger().await.unwrap(), Ok(1));
    }
}

web_tests! {
    async fn the_admin_extends_and_reopens_one_unit_with_a_reason(db) {
        // The submission deadline was yesterday.
        let (r, stp) = crate::app::stp_round(&db.store, -1).await;
        let days = |n: i64| chiso_core::format::vietnam_day(chrono::Utc::now()) + chrono::Duration::days(n);
        let grid = format!("/rounds/{r}/units/{stp}");

        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get(&grid).await.text(".notice"), "Ngoài thời hạn tự đánh giá: chỉ xem.");
        let late = minh.post(&format!("{grid}/items/2.1"), &[("version", "0"), ("numerator", "1"), ("denominator", "2")]).await;
        assert_eq!(late.status, StatusCode::BAD_REQUEST);
        assert_eq!(late.text(".error-message"), "Đã hết hạn; liên hệ Sở Nội vụ nếu cần gia hạn cho đơn vị.");

        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        lan.get(&format!("/rounds/{r}")).await;
        let until = chiso_core::format::date(days(3));
        assert_eq!(lan.post(&format!("/rounds/{r}/units/{stp}/extension"), &[("until", &until), ("reason", "")]).await.status, StatusCode::BAD_REQUEST);
        let ok = lan.post(&format!("/rounds/{r}/units/{stp}/extension"), &[("until", &until), ("reason", "Đơn vị đề nghị gia hạn vì thay đổi nhân sự")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        minh.get(&grid).await;
        let saved = minh.post(&format!("{grid}/items/2.1"), &[("version", "0"), ("numerator", "1"), ("denominator", "2"), ("explanation", "Báo cáo số 12/BC-STP")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        // Submitted, then reopened by the administrator for a correction.
        let mut hoa = Client::new(app(db.store.clone()));
        hoa.login_demo("hoa.tuphap").await;
        hoa.get(&grid).await;
        assert_eq!(hoa.post(&format!("{grid}/submit"), &[]).await.status, StatusCode::SEE_OTHER);
        let page = lan.get(&format!("/rounds/{r}")).await;
        assert_eq!(page.count(&format!("#unit-{stp} form[action$='/reopen']")), 1);
        let reopened = lan.post(&format!("/rounds/{r}/units/{stp}/reopen"), &[("reason", "Sửa số liệu lĩnh vực 2")]).await;
        assert_eq!(reopened.status, StatusCode::SEE_OTHER);
        assert_eq!(hoa.get(&grid).await.text("#unit-state"), "Đang tự đánh giá");
        let log = db.store.audit_entries(&Filter { entity: Some("round".into()), limit: 10, ..Filter::default() }).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"round.extension") && actions.iter().filter(|a| **a == "round.unit_state").count() == 2, "{actions:?}");
    }
}

web_tests! {
    async fn evidence_is_uploaded_checked_by_content_and_served_to_those_allowed(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        minh.get(&grid).await;
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        let up = minh.upload(&format!("{grid}/items/2.1/evidence"), "file", "Quyết định 123-QĐ.pdf", pdf).await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
        let page = minh.get(&grid).await;
        let links = page.texts("#item-2\\.1 ul.docs a");
        assert_eq!(links, vec!["Quyết định 123-QĐ.pdf"]);
        let href = page.html().select(&scraper::Selector::parse("#item-2\\.1 ul.docs a").unwrap()).next().unwrap().value().attr("href").unwrap().to_string();
        let got = minh.get(&href).await;
        assert_eq!(got.status, StatusCode::OK, "{href}: {}", got.body);
        assert_eq!(got.bytes, pdf.to_vec());
        assert_eq!(got.headers.get("content-type").unwrap(), "application/pdf");
        assert!(got.headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("inline"));

        // A program renamed .pdf is refused; nothing is linked.
        let exe = minh.upload(&format!("{grid}/items/2.2/evidence"), "file", "bao-cao.pdf", b"MZ\x90\x00\x03 not a document").await;
        assert_eq!(exe.status, StatusCode::BAD_REQUEST);
        assert!(exe.text(".error-message").starts_with("Chỉ nhận PDF, Word, Excel hoặc ảnh"), "{}", exe.body);
        assert_eq!(db.store.evidence_for(r, chiso_core::ids::UnitId(u), None).await.unwrap().len(), 1);
        // The same document backing a second item is stored once.
        minh.get(&grid).await;
        minh.upload(&format!("{grid}/items/2.2/evidence"), "file", "ban-sao.pdf", pdf).await;
        let docs = db.store.evidence_for(r, chiso_core::ids::UnitId(u), None).await.unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].1.id, docs[1].1.id);

        // Another department's focal point may not read it; the council may.
        // (The same app: evidence files live in one folder shared by every server.)
        let mut thu = Client::new(minh.app.clone());
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get(&href).await.status, StatusCode::FORBIDDEN);
        let mut tuan = Client::new(minh.app.clone());
        tuan.login_demo("tuan.thamdinh").await;
        assert_eq!(tuan.get(&href).await.status, StatusCode::OK);
        let log = db.store.audit_entries(&Filter { entity: Some("evidence".into()), limit: 5, ..Filter::default() }).await.unwrap();
        assert_eq!(log.len(), 2);
    }
}
