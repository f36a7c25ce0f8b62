//! Appraisal over HTTP: round 1 with a changed score and a question, the unit's answer, round
//! 2, the final scores, an administrator's correction, the council view and the notices.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_core::round::ledger::EventKind;

async fn phase(lan: &mut Client, round: i64, to: &str) {
    lan.get(&format!("/rounds/{round}")).await;
    let r = lan
        .post(&format!("/rounds/{round}/phase"), &[("to", to)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "to {to}: {}", r.body);
}

web_tests! {
    async fn a_whole_round_from_self_assessment_to_a_corrected_final_score(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let item = format!("{grid}/items/2.1");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        minh.get(&grid).await;
        let saved = minh.post(&item, &[("version", "0"), ("numerator", "412"), ("denominator", "430"), ("explanation", "Theo Cổng Dịch vụ công tỉnh")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let mut hoa = Client::new(app(db.store.clone()));
        hoa.login_demo("hoa.tuphap").await;
        hoa.get(&grid).await;
        assert_eq!(hoa.post(&format!("{grid}/submit"), &[]).await.status, StatusCode::SEE_OTHER);

        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        phase(&mut lan, r, "appraisal_1").await;

        // Tuấn appraises fields 1 and 5 only; Hưng (the chair) may appraise every field.
        let mut tuan = Client::new(app(db.store.clone()));
        tuan.login_demo("tuan.thamdinh").await;
        let page = tuan.get(&grid).await;
        assert_eq!(page.count("#item-1\\.2 form.appraise"), 1);
        assert_eq!(page.count("#item-2\\.1 form.appraise"), 0);
        assert_eq!(tuan.post(&format!("{item}/appraise"), &[("version", "0"), ("points", "1")]).await.status, StatusCode::FORBIDDEN);
        // The unit's own staff never appraise it.
        assert_eq!(hoa.post(&format!("{item}/appraise"), &[("version", "0"), ("points", "1")]).await.status, StatusCode::FORBIDDEN);

        let mut hung = Client::new(app(db.store.clone()));
        hung.login_demo("hung.hoidong").await;
        let page = hung.get(&grid).await;
        assert_eq!(page.text("#item-2\\.1 form.appraise p.muted strong"), "1,9163");
        let csrf = hung.csrf.clone().unwrap();
        let htmx = [("hx-request", "true")];
        // Changing the score without a reason is refused beside the item; what was typed stays.
        let mut no_reason = hung.post_raw(&format!("{item}/appraise"), &[("_csrf", &csrf), ("version", "0"), ("numerator", "400"), ("denominator", "430"), ("reason", ""), ("ask", "")], &htmx).await;
        no_reason.body = format!("<div>{}</div>", no_reason.body);
        assert_eq!(no_reason.text("#item-2\\.1 form.appraise .field-error"), "Điểm thẩm định khác điểm trước đó: cần ghi lý do.");
        // Corrected figures are scored by the rule; the question goes to the unit.
        let mut ok = hung.post_raw(&format!("{item}/appraise"), &[("_csrf", &csrf), ("version", "0"), ("numerator", "400"), ("denominator", "430"),
            ("reason", "Theo Cổng DVC chỉ 400 hồ sơ đúng hạn; đề nghị giải trình 12 hồ sơ"), ("ask", "explanation")], &htmx).await;
        ok.body = format!("<div>{}</div>", ok.body);
        assert_eq!(ok.text("#item-2\\.1 .appraisal-1 td.num"), "1,8605 (số liệu sau thẩm định: 400 / 430)");
        // A second appraiser who opened the item before that save is told, nothing is lost.
        let mut stale = hung.post_raw(&format!("{item}/appraise"), &[("_csrf", &csrf), ("version", "0"), ("points", "0"), ("reason", "x")], &htmx).await;
        stale.body = format!("<div>{}</div>", stale.body);
        assert!(stale.text("#item-2\\.1 form.appraise .field-error").starts_with("Tiêu chí vừa được lưu bởi người khác"));
        assert_eq!(hung.post(&format!("{grid}/conclude-1"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(hung.get(&grid).await.text("#unit-state"), "Đã thẩm định lần 1");

        // The council view shows self against appraised points and the open question.
        let council = lan.get(&format!("/rounds/{r}/council")).await;
        assert_eq!(council.status, StatusCode::OK, "{}", council.body);
        assert_eq!(council.text(&format!("#council-unit-{u} td:nth-last-child(1)")), "1");
        assert_eq!(council.text(&format!("#council-unit-{u} .total")), "1,8605");
        assert_eq!(minh.get("/rounds/1/council").await.status, StatusCode::FORBIDDEN);

        // The unit is told, answers in the explanation phase, and the leader sends it.
        let inbox = minh.get("/inbox").await;
        assert_eq!(inbox.text("#notices li strong"), "Kết quả thẩm định lần 1: có nội dung đề nghị giải trình, bổ sung");
        assert_eq!(minh.post(&format!("{item}/answer"), &[("answer", "x")]).await.status, StatusCode::BAD_REQUEST, "not yet the explanation phase");
        phase(&mut lan, r, "explanation").await;
        minh.get(&grid).await;
        let answered = minh.post(&format!("{item}/answer"), &[("answer", "12 hồ sơ liên thông được tính đúng hạn theo Công văn 45/UBND")]).await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER);
        assert_eq!(hoa.post(&format!("{grid}/explain"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.get(&format!("/rounds/{r}/council")).await.text(&format!("#council-unit-{u} td:nth-last-child(1)")), "0");

        // Round 2 restores the declared score; settling makes it final.
        phase(&mut lan, r, "appraisal_2").await;
        let page = hung.get(&grid).await;
        assert_eq!(page.text("#item-2\\.1 .answer-text"), "12 hồ sơ liên thông được tính đúng hạn theo Công văn 45/UBND");
        let r2 = hung.post(&format!("{item}/appraise"), &[("version", "0"), ("numerator", "412"), ("denominator", "430"), ("reason", "Chấp nhận giải trình"), ("ask", "")]).await;
        assert_eq!(r2.status, StatusCode::SEE_OTHER, "{}", r2.body);
        assert_eq!(hung.post(&format!("{grid}/conclude-2"), &[]).await.status, StatusCode::SEE_OTHER);
        let page = hung.get(&grid).await;
        assert_eq!(page.text("#unit-state"), "Đã chốt điểm");
        assert_eq!(page.text("#item-2\\.1 .final strong"), "1,9163");
        assert!(minh.get("/inbox").await.texts("#notices li strong").contains(&"Đã chốt điểm thẩm định".to_string()));

        // The administrator corrects a final score, with a reason.
        phase(&mut lan, r, "closed").await;
        let page = lan.get(&grid).await;
        assert_eq!(page.count("#item-2\\.1 details.correct"), 1);
        assert_eq!(lan.post(&format!("{item}/correct"), &[("points", "1,5"), ("reason", "")]).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(lan.post(&format!("{item}/correct"), &[("points", "9"), ("reason", "x")]).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(lan.post(&format!("{item}/correct"), &[("points", "1,5"), ("reason", "Quyết định 12/QĐ-HĐTĐ")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(hung.post(&format!("{item}/correct"), &[("points", "2"), ("reason", "x")]).await.status, StatusCode::FORBIDDEN);

        // The history shows every step, and the chain is intact.
        let h = minh.get(&format!("{item}/history")).await;
        assert_eq!(h.count("#history tbody tr"), 6);
        let kinds: Vec<EventKind> = db.store.ledger_for(r, u, "2.1").await.unwrap().iter().map(|e| e.event.kind).collect();
        assert_eq!(kinds, vec![EventKind::SelfScore, EventKind::Appraisal1, EventKind::Explanation, EventKind::Appraisal2, EventKind::Final, EventKind::AdminCorrection]);
        assert!(db.store.verify_ledger().await.unwrap().is_ok());
    }
}

web_tests! {
    async fn last_years_figures_and_documents_are_offered_again(db) {
        use chiso_core::framework::crosswalk::clone_for_year;
        use chiso_core::round::entry::SelfEntry;
        use chiso_store::audit::By;
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/golden/frameworks/good.yaml")).unwrap();
        let f = chiso_core::framework::yaml::from_yaml(&text).unwrap();
        let now = chrono::Utc::now();
        let by = By::system("t");
        let old = db.store.import_framework(&clone_for_year(&f, f.year - 1), "old.yaml", &by, now).await.unwrap();
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id;
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id;
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let schedule = chiso_core::round::schedule::Schedule {
            self_assessment_opens: day(2024, 12, 1), submission_due: day(2024, 12, 25), appraisal1_due: day(2025, 1, 10),
            explanation_due: day(2025, 1, 13), appraisal2_due: day(2025, 1, 15),
        };
        let prev = db.store.create_round(old, "Năm trước", &schedule, &[stp, snv], &by, now).await.unwrap();
        let declared = SelfEntry { numerator: Some(400.into()), denominator: Some(430.into()), ..Default::default() };
        db.store.save_self_entry(prev.0, stp.0, "2.1", &declared, chiso_core::framework::Points::parse("1.8605"), 0, &by, now).await.unwrap();
        let meta = chiso_store::evidence::EvidenceMeta { content_type: "application/pdf".into(), file_name: "bao-cao-2024.pdf".into(),
            doc_number: "45/BC-STP".into(), doc_date: None, issuer: "Sở Tư pháp".into(), effective_date: None };
        let doc = db.store.attach_evidence(prev.0, stp, "2.1", &"a".repeat(64), 10, &meta, &by, now).await.unwrap();
        let other_doc = db.store.attach_evidence(prev.0, snv, "2.1", &"b".repeat(64), 10, &meta, &by, now).await.unwrap();

        // This year's round continues last year's.
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        assert_eq!(db.store.round(chiso_store::rounds::RoundId(r)).await.unwrap().previous, Some(prev));
        let grid = format!("/rounds/{r}/units/{u}");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let page = minh.get(&grid).await;
        assert_eq!(page.text("#item-2\\.1 .last-year summary"), "Năm trước: 1,8605");
        assert_eq!(page.text("#item-2\\.1 .last-year .declared"), "400 / 430");
        assert_eq!(page.count("#item-2\\.1 form.reuse-figures"), 1);
        // Nothing is carried silently: this year's item is not scored until someone takes it.
        assert_eq!(page.text("#item-2\\.1 .score"), "—");
        let taken = minh.post(&format!("{grid}/items/2.1"), &[("version", "0"), ("numerator", "400"), ("denominator", "430"), ("explanation", "")]).await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER);
        let reused = minh.post(&format!("{grid}/items/2.1/reuse/{doc}"), &[]).await;
        assert_eq!(reused.status, StatusCode::SEE_OTHER);
        let page = minh.get(&grid).await;
        assert_eq!(page.text("#item-2\\.1 .score"), "1,8605");
        assert_eq!(page.count("#item-2\\.1 > ul.docs li"), 1);
        assert_eq!(page.count("#item-2\\.1 form.reuse-doc"), 0, "already reused");
        // Another unit's document cannot be taken.
        assert_eq!(minh.post(&format!("{grid}/items/2.1/reuse/{other_doc}"), &[]).await.status, StatusCode::NOT_FOUND);
    }
}

web_tests! {
    async fn units_are_told_when_a_round_opens_and_three_days_before_their_deadline(db) {
        use chiso_store::rounds::RoundId;
        let (r, _) = crate::app::stp_round(&db.store, 3).await;
        let state = chiso_web::AppState::new(db.store.clone(), crate::app::test_config()).unwrap();
        chiso_web::notify::round_opened(&state, RoundId(r)).await;
        let today = chiso_core::format::vietnam_day(chrono::Utc::now());
        // Sở Tư pháp has two accounts; each is reminded once however often (or wherever) this runs.
        assert_eq!(chiso_web::notify::remind_deadlines(&state, today).await.unwrap(), 2);
        assert_eq!(chiso_web::notify::remind_deadlines(&state, today).await.unwrap(), 0);
        assert_eq!(chiso_web::notify::remind_deadlines(&state, today + chrono::Duration::days(1)).await.unwrap(), 0, "not 3 days before");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let inbox = minh.get("/inbox").await;
        assert_eq!(inbox.texts("#notices li.unread strong"), vec!["Còn 3 ngày đến hạn".to_string(), "Đợt đánh giá đã mở, mời đơn vị tự đánh giá".to_string()]);
        assert_eq!(minh.post("/inbox/read", &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(minh.get("/inbox").await.count("#notices li.unread"), 0);
        // A submitted unit is not reminded.
        let mut hoa = Client::new(app(db.store.clone()));
        hoa.login_demo("hoa.tuphap").await;
        let grid = format!("/rounds/{r}/units/{}", db.store.unit_by_code("STP").await.unwrap().unwrap().id);
        hoa.get(&grid).await;
        assert_eq!(hoa.post(&format!("{grid}/submit"), &[]).await.status, StatusCode::SEE_OTHER);
        db.store.execute_raw("DELETE FROM notifications").await.unwrap();
        assert_eq!(chiso_web::notify::remind_deadlines(&state, today).await.unwrap(), 0);
    }
}
