//! The self-assessment report: prefilled from the unit's assessment, downloaded as Word in one
//! click, and as PDF where Chromium is installed.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;

web_tests! {
    async fn the_self_assessment_report_comes_as_word_and_pdf(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        // A point claimed without a document: the report explains it.
        let saved = minh.post_raw(&format!("{grid}/items/2.2"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "0"), ("met", "1"), ("explanation", "Đã niêm yết tại trụ sở, chưa chụp ảnh")], &[("hx-request", "true")]).await;
        assert_eq!(saved.status, StatusCode::OK);
        // A deduction in field 1 (1.4 not met: −0,5) with nothing else there: the field counts 0,
        // as the results do, never a negative total.
        let deducted = chiso_core::round::entry::SelfEntry { met: Some(false), ..Default::default() };
        db.store.save_self_entry(r, u, "1.4", &deducted, chiso_core::framework::Points::parse("-0.5"), 0, &chiso_store::audit::By::system("hoa"), chrono::Utc::now()).await.unwrap();
        let form = minh.get(&format!("{grid}/report")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let html = form.html();
        let value = |css: &str| html.select(&scraper::Selector::parse(css).unwrap()).next().and_then(|e| e.value().attr("value").map(str::to_string)).unwrap_or_default();
        assert_eq!(value("input[name=issuer]"), "UBND TỈNH MINH SƠN");
        let fields = [("format", "docx"), ("issuer", "UBND TỈNH MINH SƠN"), ("number", "25/BC-STP"), ("place", "Minh Sơn"), ("date", "15/12/2025"), ("difficulties", "Thiếu nhân lực.\nPhần mềm chưa liên thông."), ("recommendations", "Tập huấn thêm."), ("signer_position", "GIÁM ĐỐC"), ("signer_name", "Lê Thị Hoa"), ("recipients", "Sở Nội vụ;\nLưu: VT.")];
        let docx = minh.post(&format!("{grid}/report"), &fields).await;
        assert_eq!(docx.status, StatusCode::OK, "{}", docx.body);
        let text = chiso_reports::docx::docx_text(&docx.bytes).unwrap();
        assert!(text.contains("25/BC-STP"), "{text}");
        assert!(text.contains("Minh Sơn, ngày 15 tháng 12 năm 2025"), "{text}");
        assert!(text.contains("Đã niêm yết tại trụ sở, chưa chụp ảnh"), "the item claimed without a document is explained");
        assert!(text.contains("Phần mềm chưa liên thông."));
        assert!(text.contains("Lê Thị Hoa"));
        // The table lists fields, criteria and sub-criteria: 2.2 with its 2 points claimed.
        assert!(text.contains("1.1.1"), "{text}");
        let field1 = text.lines().find(|l| l.starts_with("1\t")).unwrap_or_else(|| panic!("{text}"));
        assert!(field1.contains("\t0,00\t") && !field1.contains("-0,5"), "{field1}");
        assert!(text.lines().any(|l| l.starts_with("2.2") && l.contains("2,00")), "{text}");
        if chiso_web::pdf::available() {
            let mut pdf_fields = fields.to_vec();
            pdf_fields[0] = ("format", "pdf");
            let pdf = minh.post(&format!("{grid}/report"), &pdf_fields).await;
            assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
            assert!(pdf.bytes.starts_with(b"%PDF"), "a PDF");
            let annex = minh.get(&format!("{grid}/annex.pdf")).await;
            assert_eq!(annex.status, StatusCode::OK, "{}", annex.body);
            assert!(annex.bytes.starts_with(b"%PDF"), "the annex as PDF");
        } else if std::env::var("CHISO_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("CHISO_REQUIRE_BROWSER is set but chromium is not installed (PDF)");
        } else {
            eprintln!("SKIPPED: the PDF part needs Debian's chromium");
        }
        // Another unit's focal point may not have it.
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get(&format!("{grid}/report")).await.status, StatusCode::FORBIDDEN);
    }
}
