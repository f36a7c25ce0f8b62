//! Units, accounts and the audit log over HTTP, with the permissions each role has.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;

web_tests! {
    async fn roles_see_only_what_the_policy_allows(db) {
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id;
        let snv = db.store.unit_by_code("SNV").await.unwrap().unwrap().id;
        // (account, path, expected status)
        let cases: &[(&str, String, StatusCode)] = &[
            ("minh.tuphap", "/accounts".into(), StatusCode::FORBIDDEN),
            ("minh.tuphap", "/audit".into(), StatusCode::FORBIDDEN),
            ("minh.tuphap", "/units/new".into(), StatusCode::FORBIDDEN),
            ("minh.tuphap", format!("/units/{stp}"), StatusCode::OK),
            ("minh.tuphap", format!("/units/{snv}"), StatusCode::FORBIDDEN),
            ("minh.tuphap", "/units".into(), StatusCode::SEE_OTHER),
            ("hoa.tuphap", format!("/units/{snv}"), StatusCode::FORBIDDEN),
            ("thang.ubnd", "/units".into(), StatusCode::OK),
            ("thang.ubnd", format!("/units/{snv}"), StatusCode::OK),
            ("thang.ubnd", "/accounts".into(), StatusCode::FORBIDDEN),
            ("thang.ubnd", "/units/import".into(), StatusCode::FORBIDDEN),
            ("tuan.thamdinh", "/units".into(), StatusCode::OK),
            ("tuan.thamdinh", "/audit".into(), StatusCode::FORBIDDEN),
            ("lan.noivu", "/accounts".into(), StatusCode::OK),
            ("lan.noivu", "/audit".into(), StatusCode::OK),
            ("lan.noivu", "/units/import".into(), StatusCode::OK),
        ];
        for (user, path, expected) in cases {
            let mut c = Client::new(app(db.store.clone()));
            c.login_demo(user).await;
            let r = c.get(path).await;
            assert_eq!(r.status, *expected, "{user} GET {path}");
            if *expected == StatusCode::FORBIDDEN {
                assert_eq!(r.text("h1"), "Không có quyền");
            }
        }
        // A focal point cannot create units even by posting directly.
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("minh.tuphap").await;
        let r = c.post("/units", &[("code", "X"), ("name", "X"), ("unit_type", "commune"), ("parent_id", ""), ("valid_from", "01/07/2025"), ("valid_to", "")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(db.store.unit_by_code("X").await.unwrap().is_none());
    }

    async fn units_are_searched_filtered_and_edited(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let all = c.get("/units").await;
        // Today's units: province, 15 departments, 40 communes; the dissolved ones are hidden.
        assert_eq!(all.count("#unit-rows tr:not(.count)"), 56);
        let mut rows = c.get_htmx("/units?q=tu+phap&on=").await;
        assert!(!rows.body.contains("<html"), "htmx requests get the rows only");
        // Table rows parse only inside a table.
        rows.body = format!("<table><tbody>{}</tbody></table>", rows.body);
        assert_eq!(rows.texts("tr:not(.count) code"), vec!["STP"], "{}", rows.body);
        let districts = c.get("/units?type=district&on=01/01/2024").await;
        assert_eq!(districts.count("#unit-rows tr:not(.count)"), 3);
        assert_eq!(c.get("/units?type=district").await.text("#unit-rows td.empty"), "Không có đơn vị nào khớp bộ lọc.");

        // Create: errors are shown beside their fields and nothing is saved.
        c.get("/units/new").await;
        let province = db.store.unit_by_code("MS").await.unwrap().unwrap().id.to_string();
        let r = c.post("/units", &[("code", "mã sai"), ("name", ""), ("unit_type", "district"), ("parent_id", &province), ("valid_from", "31/02/2025"), ("valid_to", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.text("p.error"), "Biểu mẫu còn lỗi, xem các ô được đánh dấu bên dưới. Chưa có gì được lưu.");
        assert!(r.texts(".field-error").contains(&"Ngày không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 01/07/2025.".to_string()));
        let r = c.post("/units", &[("code", "xa-moi"), ("name", "Xã  Mới"), ("unit_type", "commune"), ("parent_id", &province), ("valid_from", "01/07/2025"), ("valid_to", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let created = db.store.unit_by_code("XA-MOI").await.unwrap().unwrap();
        let page = c.get(r.location.as_deref().unwrap()).await;
        assert_eq!(page.text(".flash"), "Đã lưu.");
        assert_eq!(page.text("h1"), "Xã Mới");
        let dup = c.post("/units", &[("code", "XA-MOI"), ("name", "Trùng"), ("unit_type", "commune"), ("parent_id", &province), ("valid_from", "01/07/2025"), ("valid_to", "")]).await;
        assert_eq!(dup.text(".field-error"), "Mã này đã được dùng cho đơn vị khác.");

        // Edit, then the history shows both events.
        c.get(&format!("/units/{}/edit", created.id)).await;
        let r = c.post(&format!("/units/{}/edit", created.id), &[("code", "XA-MOI"), ("name", "Xã Mới Lập"), ("unit_type", "commune"), ("parent_id", &province), ("valid_from", "01/07/2025"), ("valid_to", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let history = c.get(&format!("/audit?entity=unit&entity_id={}", created.id)).await;
        assert_eq!(history.texts("table.audit tbody td code"), vec!["unit.update", "unit.create"]);
    }

    async fn unit_csv_import_previews_then_applies_all_or_nothing(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        c.get("/units/import").await;
        let bad = "code,name,type,parent_code,valid_from\nXA-A,Xã A,xã,MS,01/07/2025\nXA-B,Xã B,thôn,MS,01/07/2025\nXA-C,Xã C,xã,KHONGCO,01/07/2025\n";
        let r = c.upload("/units/import", "file", "don-vi.csv", bad.as_bytes()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = r.texts("#import-errors li");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("don-vi.csv: Dòng 3, cột type:"), "{errors:?}");
        assert!(db.store.unit_by_code("XA-A").await.unwrap().is_none());

        let good = "Mã;Tên;Loại;Mã cấp trên;Hiệu lực từ;Hiệu lực đến\nXA-A;Xã An Phú;xã;MS;01/07/2025;\nSTP;Sở Tư pháp tỉnh Minh Sơn;sở;MS;01/01/2004;\n";
        let preview = c.upload("/units/import", "file", "don-vi.csv", good.as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(preview.count("#import-preview tbody tr"), 2);
        assert!(db.store.unit_by_code("XA-A").await.unwrap().is_none(), "a preview writes nothing");
        let csv_field = {
            let html = preview.html();
            let sel = scraper::Selector::parse("#import-apply textarea[name=csv]").unwrap();
            html.select(&sel).next().unwrap().text().collect::<String>()
        };
        let r = c.post("/units/import/apply", &[("filename", "don-vi.csv"), ("csv", &csv_field)]).await;
        assert_eq!((r.status, r.location.as_deref()), (StatusCode::SEE_OTHER, Some("/units")));
        assert_eq!(c.get("/units").await.text(".flash"), "Đã nhập dữ liệu đơn vị.");
        assert_eq!(db.store.unit_by_code("XA-A").await.unwrap().unwrap().name, "Xã An Phú");
        assert_eq!(db.store.unit_by_code("STP").await.unwrap().unwrap().name, "Sở Tư pháp tỉnh Minh Sơn");

        let xlsx = c.get("/units/export.xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert_eq!(xlsx.headers.get("content-type").unwrap(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(xlsx.bytes.starts_with(b"PK"), "an xlsx is a zip file");

        // The export imports back with nothing to change.
        let export = c.get("/units/export.csv").await;
        assert_eq!(export.status, StatusCode::OK);
        let again = c.upload("/units/import", "file", "export.csv", export.body.as_bytes()).await;
        assert_eq!(again.count("#import-preview tbody tr"), 0, "{}", again.body);
    }

    async fn accounts_are_listed_filtered_and_protected_from_self_lockout(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let list = c.get("/accounts").await;
        assert_eq!(list.count("#accounts tbody tr"), chiso_core::demo::accounts().len());
        let leaders = c.get("/accounts?role=unit_leader").await;
        assert_eq!(leaders.count("#accounts tbody tr"), 3, "two unit leaders and the province's vice-chair");
        let found = c.get("/accounts?q=thu").await;
        assert_eq!(found.texts("#accounts tbody td code"), vec!["thu.tanlap"]);

        let lan = db.store.account_for_login("lan.noivu").await.unwrap().unwrap().0;
        c.get(&format!("/accounts/{}", lan.id)).await;
        let unit = lan.unit.to_string();
        let r = c.post(&format!("/accounts/{}", lan.id), &[("full_name", "Nguyễn Thị Lan"), ("unit_id", &unit), ("roles", "viewer"), ("active", "1")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(db.store.account(lan.id).await.unwrap().roles.contains(&chiso_core::roles::Role::Admin));

        let r = c.post("/accounts", &[("username", "Lan.NoiVu"), ("full_name", "Trùng"), ("unit_id", &unit), ("roles", "viewer"), ("active", "1")]).await;
        assert_eq!(r.text(".field-error"), "Tên đăng nhập này đã có người dùng.");
        let r = c.post("/accounts", &[("username", "tên có dấu"), ("full_name", ""), ("unit_id", "abc")]).await;
        assert_eq!(r.count(".field-error"), 4);
    }
}
