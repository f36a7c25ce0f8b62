//! Sign-in, sessions, CSRF, throttling and the forced password change, over HTTP.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;

web_tests! {
    async fn demo_login_reaches_the_dashboard(db) {
        let mut c = Client::new(app(db.store.clone()));
        let home = c.get("/").await;
        assert_eq!((home.status, home.location.as_deref()), (StatusCode::SEE_OTHER, Some("/login")));
        let login = c.get("/login").await;
        assert_eq!(login.count("#demo-logins tbody tr"), chiso_core::demo::accounts().len());
        let page = c.login_demo("lan.noivu").await;
        assert_eq!(page.text("#dashboard-title"), "Xin chào, Nguyễn Thị Lan");
        assert_eq!(page.text("#count-departments"), "15");
        assert_eq!(page.text("#count-communes"), "40");
        assert!(page.texts("nav a").contains(&"Đơn vị".to_string()));
        assert!(page.texts("nav a").contains(&"Bộ chỉ số".to_string()));
        assert!(page.texts("nav a").contains(&"Kết quả".to_string()));
        assert!(page.texts("nav a").contains(&"Kế hoạch".to_string()));
        assert!(page.texts("nav a").contains(&"Điều tra XHH".to_string()));
        assert_eq!(page.count("nav .soon"), 0, "every section is built");
    }

    async fn wrong_passwords_fail_and_then_lock(db) {
        let mut c = Client::new(app(db.store.clone()));
        let r = c.login("lan.noivu", "sai-mat-khau").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.text("#login-error"), "Tên đăng nhập hoặc mật khẩu không đúng.");
        let r = c.login("khong.ton.tai", "sai-mat-khau").await;
        assert_eq!(r.text("#login-error"), "Tên đăng nhập hoặc mật khẩu không đúng.");
        for _ in 0..4 {
            c.login("lan.noivu", "sai-mat-khau").await;
        }
        // Now even the right password is refused until the window passes.
        let r = c.login("lan.noivu", chiso_core::demo::PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text("#login-error").starts_with("Đăng nhập sai quá nhiều lần. Tạm khóa đến"), "{}", r.body);
        // Another account is not affected.
        let r = c.login("minh.tuphap", chiso_core::demo::PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }

    async fn state_changes_need_the_csrf_token_and_same_origin(db) {
        let mut c = Client::new(app(db.store.clone()));
        // The login form itself is protected by its double-submit token.
        c.get("/login").await;
        let r = c.post_raw("/login", &[("username", "lan.noivu"), ("password", chiso_core::demo::PASSWORD)], &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        c.login_demo("lan.noivu").await;
        let r = c.post_raw("/logout", &[], &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.text("h1"), "Biểu mẫu đã cũ");
        let token = c.csrf.clone().unwrap();
        let r = c.post_raw("/logout", &[("_csrf", &token)], &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = c.post_raw("/logout", &[("_csrf", &token)], &[("origin", "https://evil.example"), ("host", "localhost")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The htmx header carries the token too.
        let r = c.post_raw("/logout", &[], &[("x-csrf-token", &token)]).await;
        assert_eq!((r.status, r.location.as_deref()), (StatusCode::SEE_OTHER, Some("/login")));
        // Logged out: the old session no longer works.
        let r = c.get("/accounts").await;
        assert_eq!(r.location.as_deref(), Some("/login?next=%2Faccounts"));
    }

    async fn a_new_account_must_change_its_password_first(db) {
        let mut admin = Client::new(app(db.store.clone()));
        admin.login_demo("lan.noivu").await;
        admin.get("/accounts/new").await;
        let unit = db.store.unit_by_code("STP").await.unwrap().unwrap();
        let unit_id = unit.id.to_string();
        let created = admin
            .post("/accounts", &[("username", "nam.tuphap"), ("full_name", "Hồ Văn Nam"), ("unit_id", &unit_id), ("roles", "focal_point"), ("roles", "unit_leader"), ("fields", "2, 3"), ("active", "1")])
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let otp = created.text("#one-time-password");
        assert_eq!(otp.len(), 14);
        let account = db.store.account_for_login("nam.tuphap").await.unwrap().unwrap().0;
        assert_eq!(account.roles.len(), 2);
        assert_eq!(account.fields, vec!["2".to_string(), "3".to_string()]);

        let mut nam = Client::new(app(db.store.clone()));
        let r = nam.login("nam.tuphap", &otp).await;
        assert_eq!(r.location.as_deref(), Some("/account/password"));
        // Every other page sends him back to the password form.
        let r = nam.get("/units").await;
        assert_eq!(r.location.as_deref(), Some("/account/password"));
        let form = nam.get("/account/password").await;
        assert_eq!(form.count("#must-change"), 1);
        // Rules are explained beside the field.
        let r = nam.post("/account/password", &[("current", &otp), ("new", "ngắn"), ("repeat", "ngắn")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.text(".field-error"), "Mật khẩu phải có ít nhất 10 ký tự.");
        let r = nam.post("/account/password", &[("current", &otp), ("new", "Sông Hồng chảy mãi"), ("repeat", "Sông Hồng chảy mãi")]).await;
        assert_eq!(r.location.as_deref(), Some("/"));
        let home = nam.get("/").await;
        assert_eq!(home.text(".flash"), "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất.");
        // The notice shows once.
        assert_eq!(nam.get("/").await.count(".flash"), 0);

        // An administrator's reset signs him out everywhere.
        admin.get(&format!("/accounts/{}", account.id)).await;
        let reset = admin.post(&format!("/accounts/{}/reset-password", account.id), &[]).await;
        assert_eq!(reset.status, StatusCode::OK);
        assert_ne!(reset.text("#one-time-password"), otp);
        assert_eq!(nam.get("/").await.location.as_deref(), Some("/login"));
    }

    async fn language_switches_to_english_and_back(db) {
        let mut c = Client::new(app(db.store.clone()));
        c.login_demo("lan.noivu").await;
        let r = c.get("/lang/en?back=/units").await;
        assert_eq!(r.location.as_deref(), Some("/units"));
        let page = c.get("/units").await;
        assert_eq!(page.text("h1"), "Units");
        assert_eq!(page.html().root_element().value().attr("lang"), Some("en"));
        // An outside address is never a redirect target.
        let r = c.get("/lang/vi?back=https://evil.example").await;
        assert_eq!(r.location.as_deref(), Some("/"));
        assert_eq!(c.get("/units").await.text("h1"), "Đơn vị");
    }
}

#[tokio::test]
async fn security_headers_and_assets() {
    let db = chiso_store::testing::TestDb::sqlite().await;
    let mut c = Client::new(app(db.store.clone()));
    let r = c.get("/login").await;
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let css = c.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(c.get("/static/nope.js").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/healthz").await.body, "ok");
    let missing = c.get("/khong-co").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.text("h1"), "Không tìm thấy");
    db.finish().await;
}
