//! Round assignments over HTTP: lead departments enter the province's fields, named accounts
//! replace the default for their field, named appraisers replace account scopes.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_store::audit::{By, Filter};

async fn account_id(store: &chiso_store::Store, username: &str) -> String {
    store
        .find_accounts(&chiso_store::accounts::AccountFilter {
            query: Some(username.into()),
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id
        .0
        .to_string()
}

web_tests! {
    async fn lead_departments_enter_their_fields_of_the_province(db) {
        use chiso_core::round::phase::Phase;
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("test"), chrono::Utc::now()).await.unwrap();
        }
        let (fw, _) = db.store.latest_framework("par-province", 2024).await.unwrap().unwrap();
        let province = db.store.unit_by_code(chiso_core::demo::PROVINCE_CODE).await.unwrap().unwrap().id;
        let today = chiso_core::format::vietnam_day(chrono::Utc::now());
        let schedule = chiso_core::round::schedule::Schedule {
            self_assessment_opens: today - chrono::Duration::days(3),
            submission_due: today + chrono::Duration::days(20),
            appraisal1_due: today + chrono::Duration::days(30),
            explanation_due: today + chrono::Duration::days(35),
            appraisal2_due: today + chrono::Duration::days(40),
        };
        let r = db.store.create_round(fw.id, "Tự đánh giá cấp tỉnh", &schedule, &[province], &By::system("t"), chrono::Utc::now()).await.unwrap();
        db.store.set_round_phase(r, Phase::Preparing, Phase::SelfAssessment, "", &By::system("t"), chrono::Utc::now()).await.unwrap();
        let grid = format!("/rounds/{}/units/{}", r.0, province.0);

        // Minh (Sở Tư pháp, field 2) finds the province's round on his dashboard and enters
        // field 2, which his department leads; field 1 (led by Sở Nội vụ) stays closed to him.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let home = minh.get("/").await;
        assert!(home.html().select(&scraper::Selector::parse(&format!("a[href=\"{grid}\"]")).unwrap()).next().is_some(), "{}", home.body);
        let page = minh.get(&grid).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.count("#item-2\\.1\\.1 input[name=numerator]:not([disabled])"), 1);
        assert_eq!(page.count("#item-1\\.1\\.1 textarea[disabled]"), 1);
        let saved = minh.post(&format!("{grid}/items/2.1.1"), &[("version", "0"), ("numerator", "19"), ("denominator", "20"), ("explanation", "")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(db.store.self_entry(r.0, province.0, "2.1.1").await.unwrap().unwrap().self_points.map(|p| p.to_string()), Some("1".into()));
        let refused = minh.post(&format!("{grid}/items/1.1.1"), &[("version", "0"), ("level", "0")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // A focal point of a department that leads nothing here cannot open the province.
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get(&grid).await.status, StatusCode::FORBIDDEN);

        // The province's leader approves and submits it.
        let mut thang = Client::new(app(db.store.clone()));
        thang.login_demo("thang.ubnd").await;
        assert_eq!(thang.get(&grid).await.count("#submit-form, form[action$=\"/submit\"]"), 1);
    }
}

web_tests! {
    async fn named_accounts_replace_the_default_for_their_field(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        let page = lan.get(&format!("/rounds/{r}/assignments?unit={u}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // By default Minh enters field 2 and Tuấn appraises fields 1 and 5.
        assert!(page.text("#enter-2 td:nth-child(2)").contains("Trần Văn Minh"), "{}", page.text("#enter-2"));
        assert!(page.text("#appraise-1 td:nth-child(2)").contains("Phạm Minh Tuấn"));
        assert!(!page.text("#appraise-2 td:nth-child(2)").contains("Phạm Minh Tuấn"));

        // Field 2 of Sở Tư pháp goes to Thu (a focal point of another unit), field 2's
        // appraisal to Tuấn.
        let thu_id = account_id(&db.store, "thu.tanlap").await;
        let tuan_id = account_id(&db.store, "tuan.thamdinh").await;
        let ustr = u.to_string();
        let ok = lan.post(&format!("/rounds/{r}/assignments/entry"), &[("unit", &ustr), ("field", "2"), ("add", &thu_id)]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok = lan.post(&format!("/rounds/{r}/assignments/appraisers"), &[("field", "2"), ("account", &tuan_id)]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = lan.get(&format!("/rounds/{r}/assignments?unit={u}")).await;
        assert!(page.text("#enter-2 strong").contains("Vũ Thị Thu"));
        assert_eq!(page.count("#named-entries tbody tr"), 1);
        // Only focal points may be named to enter, only appraisers to appraise; unknown fields
        // are refused; nothing changes.
        let bad = lan.post(&format!("/rounds/{r}/assignments/entry"), &[("unit", &ustr), ("field", "2"), ("account", &tuan_id)]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text(".error-message").contains("tuan.thamdinh"), "{}", bad.body);
        assert_eq!(lan.post(&format!("/rounds/{r}/assignments/appraisers"), &[("field", "9"), ("account", &tuan_id)]).await.status, StatusCode::BAD_REQUEST);
        let log = db.store.audit_entries(&Filter { entity: Some("round".into()), limit: 20, ..Filter::default() }).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.starts_with("round.assign")).count(), 2);

        // Minh is refused on field 2 now, and told why; Thu enters it.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        minh.get(&grid).await;
        let refused = minh.post(&format!("{grid}/items/2.1"), &[("version", "0"), ("numerator", "412"), ("denominator", "430")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.text(".error-message").contains("phân công lĩnh vực cho tài khoản khác"), "{}", refused.body);
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get(&grid).await.status, StatusCode::OK);
        let saved = thu.post(&format!("{grid}/items/2.1"), &[("version", "0"), ("numerator", "412"), ("denominator", "430"), ("explanation", "Theo Cổng Dịch vụ công")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // Other non-assigned units stay closed to her.
        assert_eq!(thu.post(&format!("{grid}/items/1.2"), &[("version", "0"), ("points", "1")]).await.status, StatusCode::FORBIDDEN);

        // Appraisal: Tuấn is named for field 2 (outside his account's scope) and appraises it.
        let mut hoa = Client::new(app(db.store.clone()));
        hoa.login_demo("hoa.tuphap").await;
        hoa.get(&grid).await;
        assert_eq!(hoa.post(&format!("{grid}/submit"), &[]).await.status, StatusCode::SEE_OTHER);
        lan.get(&format!("/rounds/{r}")).await;
        assert_eq!(lan.post(&format!("/rounds/{r}/phase"), &[("to", "appraisal_1")]).await.status, StatusCode::SEE_OTHER);
        let mut tuan = Client::new(app(db.store.clone()));
        tuan.login_demo("tuan.thamdinh").await;
        let page = tuan.get(&grid).await;
        assert_eq!(page.count("#item-2\\.1 form.appraise"), 1);
        let kept = tuan.post(&format!("{grid}/items/2.1/appraise"), &[("version", "0"), ("numerator", "412"), ("denominator", "430"), ("reason", ""), ("ask", "")]).await;
        assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
        // Back to the default: ticking nobody removes the names.
        assert_eq!(lan.post(&format!("/rounds/{r}/assignments/appraisers"), &[("field", "2")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(tuan.get(&grid).await.count("#item-2\\.1 form.appraise"), 0);
        // Minh and Thu may not manage assignments.
        assert_eq!(minh.get(&format!("/rounds/{r}/assignments")).await.status, StatusCode::FORBIDDEN);
    }
}
