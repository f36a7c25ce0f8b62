//! The respondent list for the Ministry's survey over HTTP: uploaded (CSV or the exported
//! workbook), checked for completeness, refused whole on a bad row, exported in the Ministry's
//! layout; survey staff may look, focal points may not.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chrono::Datelike;

/// A list with a BOM and `;` as Excel writes it with Vietnamese settings, Vietnamese headers and
/// categories written as codes, labels or without diacritics. Phạm Thị Dung has no phone or
/// e-mail yet.
const LIST: &str = "\u{feff}Nhóm;Mã đơn vị;Họ và tên;Chức vụ;Điện thoại;Email\n\
Đại biểu HĐND tỉnh;MS;Hoàng Văn Cường;Đại biểu HĐND tỉnh khóa XVI;0987 654 321;cuong.hv@hdnd.minhson.gov.vn\n\
department_leader;STP;Trần Văn An;Giám đốc Sở Tư pháp;0912.000.001;an.tv@stp.minhson.gov.vn\n\
Lãnh đạo sở, ban, ngành;SNV;Ngô Thị Hà;Giám đốc Sở Nội vụ;0912000002;ha.nt@snv.minhson.gov.vn\n\
lanh dao cap phong;STP;Phạm Thị Dung;Trưởng phòng Hành chính tư pháp;;\n\
commune_leader;XA-TANLAP;Lê Thị Bình;Chủ tịch UBND xã;0912000004;binh.lt@tanlap.minhson.gov.vn\n";

fn this_year() -> i32 {
    chiso_core::format::vietnam_day(chrono::Utc::now()).year()
}

web_tests! {
    async fn the_par_officer_uploads_checks_and_exports_the_list(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        assert_eq!(lan.get("/surveys").await.count("#contacts-link"), 1);
        let empty = lan.get("/surveys/contacts").await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert_eq!(empty.count("#contacts-none"), 1);
        assert_eq!(empty.count("#contacts-gaps li.gap-no_deputy"), 1);

        let saved = lan.upload("/surveys/contacts", "file", "danh-sach.csv", LIST.as_bytes()).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let year = this_year();
        assert_eq!(saved.location.as_deref(), Some(format!("/surveys/contacts?year={year}").as_str()));
        assert_eq!(db.store.contacts(year).await.unwrap().len(), 5);

        // The table, grouped in the template's order, with counts per group.
        let page = lan.get("/surveys/contacts").await;
        assert_eq!(page.count("#contacts-list tr.contact"), 5);
        assert_eq!(page.count("#group-deputy tr.contact"), 1);
        assert_eq!(page.count("#group-department_leader tr.contact"), 2);
        assert_eq!(page.count("#group-division_leader tr.contact"), 1);
        assert_eq!(page.count("#group-commune_leader tr.contact"), 1);
        assert_eq!(page.text("#count-department_leader dd"), "2");
        assert_eq!(page.text("#count-total dd"), "5");
        let first_leader = page.text("#group-department_leader tr.contact");
        assert!(first_leader.contains("Sở Nội vụ") && first_leader.contains("Ngô Thị Hà"), "{first_leader}");
        assert!(page.text("#group-commune_leader").contains("Xã Tân Lập"));

        // The check names departments and communes without a leader, and whoever cannot be
        // reached; Sở Tư pháp and Xã Tân Lập are covered, a deputy is listed.
        let gaps = page.texts("#contacts-gaps li");
        let has = |text: &str| gaps.iter().any(|g| g == text);
        assert!(has("Sở Tài chính chưa có lãnh đạo sở, ban, ngành trong danh sách."), "{gaps:?}");
        assert!(has("Văn phòng Ủy ban nhân dân tỉnh chưa có lãnh đạo sở, ban, ngành trong danh sách."), "{gaps:?}");
        assert!(has("Xã Hòa Bình chưa có lãnh đạo UBND cấp xã trong danh sách."), "{gaps:?}");
        assert!(has("Phạm Thị Dung (Sở Tư pháp) chưa có số điện thoại."), "{gaps:?}");
        assert!(has("Phạm Thị Dung (Sở Tư pháp) chưa có địa chỉ email."), "{gaps:?}");
        assert!(!gaps.iter().any(|g| g.starts_with("Sở Tư pháp chưa") || g.starts_with("Sở Nội vụ chưa") || g.starts_with("Xã Tân Lập chưa")), "{gaps:?}");
        assert_eq!(page.count("#contacts-gaps li.gap-no_deputy"), 0);
        assert!(page.count("#contacts-gaps li.gap-no_commune_leader") > 10);
        // Another year has its own (empty) list.
        assert_eq!(lan.get(&format!("/surveys/contacts?year={}", year - 1)).await.count("#contacts-none"), 1);
        assert_eq!(lan.get("/surveys/contacts?year=abc").await.status, StatusCode::BAD_REQUEST);

        // A bad row refuses the whole file, naming file, row and column; the list stays.
        let bad = "category,unit,full_name,phone,email\ndeputy,MS,Hoàng Văn Cường,0987654321,c@hdnd.vn\ndepartment_leader,XYZ,Nguyễn Văn Khánh,0912000009,k@x.vn\nchủ tịch,STP,Trần Văn An,,\n";
        let refused = lan.upload("/surveys/contacts", "file", "sai.csv", bad.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let msg = refused.text(".error-message");
        assert!(msg.contains("sai.csv") && msg.contains("Dòng 3, cột unit") && msg.contains("XYZ"), "{msg}");
        assert!(msg.contains("Dòng 4, cột category") && msg.contains("chủ tịch"), "{msg}");
        assert_eq!(db.store.contacts(year).await.unwrap().len(), 5, "the previous list stays");
        let not_text = lan.upload("/surveys/contacts", "file", "sai.csv", &[0xff, 0xfe, 0x00]).await;
        assert_eq!(not_text.status, StatusCode::BAD_REQUEST);

        // The Ministry's workbook; uploading it again gives the same list.
        let xlsx = lan.get(&format!("/surveys/contacts/export.xlsx?year={year}")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.bytes.starts_with(b"PK"));
        assert!(xlsx.headers["content-disposition"].to_str().unwrap().contains(&format!("danh-sach-dieu-tra-xhh-{year}.xlsx")));
        let before = db.store.contacts(year).await.unwrap();
        let again = lan.upload("/surveys/contacts", "file", "danh-sach.xlsx", &xlsx.bytes).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        let after = db.store.contacts(year).await.unwrap();
        let people = |l: &[chiso_store::surveys::Contact]| {
            let mut v: Vec<_> = l.iter().map(|c| c.contact.clone()).map(|c| (c.category, c.unit, c.full_name, c.position, c.phone, c.email)).collect();
            v.sort();
            v
        };
        assert_eq!(people(&after), people(&before));

        // In English.
        lan.get("/lang/en?back=/surveys/contacts").await;
        let en = lan.get("/surveys/contacts").await;
        assert!(en.text("h1").contains("Respondent list"), "{}", en.text("h1"));
        assert!(en.texts("#contacts-gaps li").iter().any(|g| g == "Sở Tài chính has no leader on the list."));
        assert!(en.text("#group-deputy").contains("Provincial People's Council deputies"));
    }

    async fn survey_staff_may_look_and_focal_points_may_not(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        lan.get("/surveys/contacts").await;
        assert_eq!(lan.upload("/surveys/contacts", "file", "danh-sach.csv", LIST.as_bytes()).await.status, StatusCode::SEE_OTHER);

        let mut mai = Client::new(app(db.store.clone()));
        mai.login_demo("mai.dieutra").await;
        let page = mai.get("/surveys/contacts").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.count("#contacts-list tr.contact"), 5);
        assert_eq!(page.count("#contacts-upload"), 0, "survey staff do not replace the list");
        assert_eq!(mai.get("/surveys/contacts/export.xlsx").await.status, StatusCode::OK);
        assert_eq!(mai.upload("/surveys/contacts", "file", "danh-sach.csv", b"category,unit,full_name\n").await.status, StatusCode::FORBIDDEN);

        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get("/surveys/contacts").await.status, StatusCode::FORBIDDEN);
        assert_eq!(minh.get("/surveys/contacts/export.xlsx").await.status, StatusCode::FORBIDDEN);
        assert_eq!(minh.upload("/surveys/contacts", "file", "danh-sach.csv", LIST.as_bytes()).await.status, StatusCode::FORBIDDEN);
        assert_eq!(db.store.contacts(this_year()).await.unwrap().len(), 5);
    }
}
