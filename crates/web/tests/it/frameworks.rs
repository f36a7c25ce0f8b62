//! Framework pages: list, tree, downloads, and import with preview, over HTTP.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_core::framework::yaml::from_yaml;
use chiso_store::audit::By;

fn good_yaml() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap()
}

web_tests! {
    async fn frameworks_are_listed_and_shown_as_a_tree_with_totals(db) {
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("test"), chrono::Utc::now()).await.unwrap();
        }
        // Any account may read frameworks; only administrators import them.
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("minh.tuphap").await;
        let list = c.get("/frameworks").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.count("#frameworks tbody tr"), 4);
        assert_eq!(list.count("#import-framework"), 0);
        assert_eq!(c.get("/frameworks/import").await.status, StatusCode::FORBIDDEN);

        let province = db.store.latest_framework("par-province", 2024).await.unwrap().unwrap().0.id;
        let page = c.get(&format!("/frameworks/{province}")).await;
        assert_eq!(page.text("#framework-shape"), "8 / 37 / 88 lĩnh vực / tiêu chí / tiêu chí được chấm điểm");
        assert_eq!(page.text("#framework-max"), "100 (Điểm điều tra XHH: 32)");
        // Fields, criteria and the sub-criteria below criteria: one row per node.
        let nodes = db.store.list_frameworks().await.unwrap().into_iter().find(|s| s.id == province).unwrap().nodes;
        assert_eq!(page.count("#framework-tree tbody tr") as i64, nodes);
        assert_eq!(page.count("#framework-tree tbody tr.depth-0"), 8);
        assert_eq!(page.texts("#framework-tree tbody tr.depth-0 td.num")[0], "9,5");
        let xlsx = c.get(&format!("/frameworks/{province}/download/xlsx")).await;
        assert!(xlsx.bytes.starts_with(b"PK"));
        let yaml = c.get(&format!("/frameworks/{province}/download/yaml")).await;
        assert_eq!(from_yaml(&yaml.body).unwrap().shape(), (8, 37, 88));
    }

    async fn an_import_is_previewed_then_stored_and_errors_are_located(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        c.get("/frameworks/import").await;

        // An Excel file with a wrong maximum: refused, the error on its row, nothing stored.
        let bad = from_yaml(&good_yaml().replace("name: Kế hoạch CCHC năm\n        max: 2", "name: Kế hoạch CCHC năm\n        max: 2.5")).unwrap();
        let bytes = chiso_reports::framework_xlsx::write(&bad).unwrap();
        let r = c.upload("/frameworks/import", "file", "bo-chi-so.xlsx", &bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.texts("#import-errors li"),
            vec![
                "bo-chi-so.xlsx: Trang tính \"Bộ chỉ số\", dòng 2: 1: điểm tối đa 4 nhưng các tiêu chí con cộng lại 4,5",
                "bo-chi-so.xlsx: Trang tính \"Bộ chỉ số\", dòng 3: 1.1: điểm tối đa 2,5 nhưng các tiêu chí con cộng lại 2",
            ]
        );
        assert!(db.store.list_frameworks().await.unwrap().is_empty());

        // The right file: previewed as new, then stored on request.
        let preview = c.upload("/frameworks/import", "file", "good.yaml", good_yaml().as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(preview.text("#import-decision"), "Bộ chỉ số mới, chưa có phiên bản nào được lưu.");
        assert!(db.store.list_frameworks().await.unwrap().is_empty(), "a preview writes nothing");
        let yaml = {
            let html = preview.html();
            let sel = scraper::Selector::parse("#import-apply textarea[name=yaml]").unwrap();
            html.select(&sel).next().unwrap().text().collect::<String>()
        };
        let r = c.post("/frameworks/import/apply", &[("filename", "good.yaml"), ("yaml", &yaml)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = c.get(r.location.as_deref().unwrap()).await;
        assert_eq!(page.text(".flash"), "Đã lưu bộ chỉ số.");
        assert_eq!(db.store.list_frameworks().await.unwrap().len(), 1);

        // A changed file with the same version is refused; with a new version its changes show.
        let changed = good_yaml().replace("Báo cáo CCHC định kỳ", "Báo cáo CCHC");
        let r = c.upload("/frameworks/import", "file", "v1.yaml", changed.as_bytes()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#import-errors li").contains("hãy tăng \"version\" lên 2"));
        let r = c.upload("/frameworks/import", "file", "v2.yaml", changed.replace("version: 1", "version: 2").as_bytes()).await;
        assert_eq!(r.texts("#import-changes li"), vec!["version: 1 → 2", "~ 1.2 name: Báo cáo CCHC định kỳ → Báo cáo CCHC"]);
        // Copy for the next year: stored as version 1 of 2026; a second copy is refused.
        let v1 = db.store.latest_framework("test-department", 2025).await.unwrap().unwrap().0.id;
        c.get(&format!("/frameworks/{v1}")).await;
        let r = c.post(&format!("/frameworks/{v1}/clone"), &[("year", "2026")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (next, next_f) = db.store.latest_framework("test-department", 2026).await.unwrap().unwrap();
        assert_eq!((next.version, next_f.fields.len()), (1, 2));
        let again = c.post(&format!("/frameworks/{v1}/clone"), &[("year", "2026")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        let r = c.upload("/frameworks/import", "file", "notes.txt", b"x").await;
        assert_eq!(r.text("#import-errors li"), "Tệp phải có đuôi .yaml, .yml hoặc .xlsx.");
    }
}

web_tests! {
    async fn unit_attributes_decide_what_applies_to_a_unit(db) {
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("test"), chrono::Utc::now()).await.unwrap();
        }
        let tanlap = db.store.unit_by_code("XA-TANLAP").await.unwrap().unwrap().id;
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        // The demo commune has no one-stop shop: the criterion about it does not apply.
        let page = c.get(&format!("/units/{tanlap}")).await;
        let rows = page.texts("#applicable-frameworks tbody tr");
        let commune = rows.iter().find(|r| r.contains("xã, phường")).unwrap();
        assert!(commune.contains("Một cửa"), "{commune}");
        // Cells join without spaces: maximum 100, applicable 96 (3.2 is worth 4).
        assert!(commune.contains("(2025)10096"), "the maximum drops: {commune}");

        // Setting the attribute back to unknown restores the full maximum.
        c.get(&format!("/units/{tanlap}/attributes")).await;
        let r = c.post(&format!("/units/{tanlap}/attributes"), &[("has_one_stop_shop", ""), ("has_procedures", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = c.get(&format!("/units/{tanlap}")).await;
        let rows = page.texts("#applicable-frameworks tbody tr");
        let commune = rows.iter().find(|r| r.contains("xã, phường")).unwrap();
        assert!(commune.contains("(2025)100100"), "{commune}");
        let attrs = db.store.unit_attributes(tanlap).await.unwrap();
        assert_eq!(attrs.get("has_procedures"), Some(&true));
        assert_eq!(attrs.get("has_one_stop_shop"), None);
        let bad = c.post(&format!("/units/{tanlap}/attributes"), &[("has_procedures", "maybe")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}

web_tests! {
    async fn lead_departments_are_reassigned_and_shown_on_accounts(db) {
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("test"), chrono::Utc::now()).await.unwrap();
        }
        let province = db.store.latest_framework("par-province", 2024).await.unwrap().unwrap().0.id;
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let page = c.get(&format!("/frameworks/{province}")).await;
        let first_field = page.texts("#framework-tree tbody tr.depth-0");
        assert!(first_field[1].ends_with("Sở Tư pháp"), "field 2 is led by Sở Tư pháp: {}", first_field[1]);

        // Minh's account (Sở Tư pháp) is told which fields his unit leads.
        let minh = db.store.account_for_login("minh.tuphap").await.unwrap().unwrap().0;
        let form = c.get(&format!("/accounts/{}", minh.id)).await;
        assert!(form.text("#fields-led").contains("2 Cải cách thể chế"), "{}", form.text("#fields-led"));

        // Reassign field 2 to Văn phòng UBND tỉnh.
        let vp = db.store.unit_by_code("VP-UBND").await.unwrap().unwrap().id.to_string();
        let leads = c.get(&format!("/frameworks/{province}/leads")).await;
        assert_eq!(leads.count("#leads-form tbody tr"), 8);
        let r = c.post(&format!("/frameworks/{province}/leads"), &[("field_2", &vp)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = c.get(&format!("/frameworks/{province}")).await;
        assert!(page.texts("#framework-tree tbody tr.depth-0")[1].ends_with("Văn phòng Ủy ban nhân dân tỉnh"));
        // The provincial field is no longer his unit's (it may still lead fields elsewhere).
        let form = c.get(&format!("/accounts/{}", minh.id)).await;
        let led = form.texts("#fields-led li");
        assert!(!led.iter().any(|l| l.contains("cấp tỉnh")), "{led:?}");

        // Only administrators assign.
        let mut m = Client::new(app(db.store.clone()));
        m.login_demo("minh.tuphap").await;
        assert_eq!(m.get(&format!("/frameworks/{province}/leads")).await.status, StatusCode::FORBIDDEN);
    }
}

web_tests! {
    async fn nodes_are_edited_in_place_checked_as_typed_and_stored_as_a_new_version(db) {
        let f = from_yaml(&good_yaml()).unwrap();
        let id = db.store.import_framework(&f, "good.yaml", &By::system("test"), chrono::Utc::now()).await.unwrap();
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let form = c.get(&format!("/frameworks/{id}/edit")).await;
        assert_eq!(form.count("#edit-form tbody tr"), 11);
        assert_eq!(form.text("#edit-form button.primary"), "Lưu thành phiên bản 2");

        // As typed: a maximum that no longer adds up is reported at once; fixing it clears it.
        let mut check = c.post(&format!("/frameworks/{id}/edit/check"), &[("max_1.1", "2,5")]).await;
        check.body = format!("<div>{}</div>", check.body);
        assert_eq!(
            check.texts("#edit-problem-list li"),
            vec!["1: điểm tối đa 4 nhưng các tiêu chí con cộng lại 4,5", "1.1: điểm tối đa 2,5 nhưng các tiêu chí con cộng lại 2"]
        );
        let check = c.post(&format!("/frameworks/{id}/edit/check"), &[("max_1.1", "2"), ("max_1.2", "hai")]).await;
        assert_eq!(check.texts("#edit-problem-list li"), vec!["1.2: \"hai\" không phải là số điểm"]);
        let check = c.post(&format!("/frameworks/{id}/edit/check"), &[("name_1.2", "Báo cáo CCHC quý")]).await;
        assert!(check.body.contains("Không có lỗi."));

        // An invalid save changes nothing; a valid one is a new version beside the old.
        let r = c.post(&format!("/frameworks/{id}/edit"), &[("max_1.1", "2,5")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(db.store.list_frameworks().await.unwrap().len(), 1);
        let r = c.post(&format!("/frameworks/{id}/edit"), &[("name_1.2", "Báo cáo CCHC quý"), ("guidance_1.2", "Gửi đúng hạn 4 báo cáo quý.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (v2, f2) = db.store.latest_framework("test-department", 2025).await.unwrap().unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(f2.node("1.2").unwrap().name, "Báo cáo CCHC quý");
        assert_eq!(f2.node("1.2").unwrap().guidance.as_deref(), Some("Gửi đúng hạn 4 báo cáo quý."));
        assert_eq!(db.store.framework(id).await.unwrap().1, f, "version 1 is untouched");
    }
}

web_tests! {
    async fn the_library_loads_from_the_ui_and_excel_round_trips(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let list = c.get("/frameworks").await;
        assert_eq!(list.count("#library tbody tr"), 4);
        let r = c.post("/frameworks/library/0", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let list = c.get("/frameworks").await;
        assert_eq!(list.count("#frameworks tbody tr"), 1);
        assert_eq!(list.count("#library form"), 3, "the loaded one shows as stored");
        // Loading it again stores nothing more.
        c.post("/frameworks/library/0", &[]).await;
        assert_eq!(db.store.list_frameworks().await.unwrap().len(), 1);

        // Excel round trip: download, upload unchanged, recognised as the stored version.
        let id = db.store.list_frameworks().await.unwrap()[0].id;
        let xlsx = c.get(&format!("/frameworks/{id}/download/xlsx")).await;
        c.get("/frameworks/import").await;
        let preview = c.upload("/frameworks/import", "file", "tai-ve.xlsx", &xlsx.bytes).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(preview.text("#import-decision"), "Giống hệt phiên bản đã lưu; không có gì để lưu.");
        assert_eq!(preview.count("#import-apply"), 0);
    }
}
