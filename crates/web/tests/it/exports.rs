//! Long exports as jobs: queued from the results page, run by a server, progress shown, the
//! file downloaded by the person who asked (and nobody else); and the unit's annex at once.

use crate::app::{Client, test_config};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_web::AppState;

web_tests! {
    async fn a_ranking_and_every_annex_are_exported_as_jobs(db) {
        let (r, ids) = crate::results::finished_round(&db.store).await;
        let state = AppState::new(db.store.clone(), test_config()).unwrap();
        let mut lan = Client::new(chiso_web::router(state.clone()));
        lan.login_demo("lan.noivu").await;
        let page = lan.get(&format!("/rounds/{r}/results")).await;
        assert_eq!(page.count("#export-forms button"), 3);
        let queued = lan.post("/exports", &[("round", &r.to_string()), ("kind", "annexes")]).await;
        assert_eq!(queued.status, StatusCode::SEE_OTHER, "{}", queued.body);
        let job_url = queued.location.clone().unwrap();
        let waiting = lan.get(&job_url).await;
        assert!(waiting.text("#job-status").starts_with("Đang chờ"), "{}", waiting.text("#job-status"));
        assert_eq!(waiting.count("#job[hx-trigger]"), 1, "the page refreshes itself while waiting");
        let ranking = lan.post("/exports", &[("round", &r.to_string()), ("kind", "ranking")]).await;
        let ranking_url = ranking.location.clone().unwrap();

        // A server runs them, one claim each.
        assert_eq!(chiso_web::run_exports(&state).await.unwrap(), 2);
        assert_eq!(chiso_web::run_exports(&state).await.unwrap(), 0);
        let done = lan.get(&job_url).await;
        assert!(done.text("#job-status").starts_with("Xong"), "{}", done.body);
        assert_eq!(done.count("#job[hx-trigger]"), 0);
        assert_eq!(done.html().select(&scraper::Selector::parse("#job-progress").unwrap()).next().unwrap().value().attr("value"), Some("100"));
        let zip = lan.get(&format!("{job_url}/file")).await;
        assert_eq!(zip.status, StatusCode::OK);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).unwrap();
        assert_eq!(archive.len(), ids.len(), "one annex per unit of the round");
        let mut names: Vec<String> = (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().to_string()).collect();
        names.sort();
        assert!(names.contains(&"phu-bieu-stp.xlsx".to_string()), "{names:?}");
        let xlsx = lan.get(&format!("{ranking_url}/file")).await;
        assert!(xlsx.bytes.starts_with(b"PK"));
        assert_eq!(lan.get("/exports").await.count("#exports tbody tr"), 2);
        // The ranking as PDF, where Chromium is installed.
        if chiso_web::pdf::available() {
            let pdf = lan.post("/exports", &[("round", &r.to_string()), ("kind", "ranking_pdf")]).await;
            let pdf_url = pdf.location.clone().unwrap();
            assert_eq!(chiso_web::run_exports(&state).await.unwrap(), 1);
            let file = lan.get(&format!("{pdf_url}/file")).await;
            assert!(file.bytes.starts_with(b"%PDF"), "{}", lan.get(&pdf_url).await.body);
        } else if std::env::var("CHISO_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("CHISO_REQUIRE_BROWSER is set but chromium is not installed (PDF)");
        } else {
            eprintln!("SKIPPED: the PDF export needs Debian's chromium");
        }

        // Somebody else's export is not there for them.
        let mut thang = Client::new(chiso_web::router(state.clone()));
        thang.login_demo("thang.ubnd").await;
        assert_eq!(thang.get(&format!("{job_url}/file")).await.status, StatusCode::NOT_FOUND);
        // A focal point may not ask for the province's ranking.
        let mut minh = Client::new(chiso_web::router(state.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.post("/exports", &[("round", &r.to_string()), ("kind", "ranking")]).await.status, StatusCode::FORBIDDEN);
        // The unit's own annex downloads at once from its grid.
        let annex = minh.get(&format!("/rounds/{r}/units/{}/annex.xlsx", ids[0])).await;
        assert_eq!(annex.status, StatusCode::OK, "{}", annex.body);
        assert!(annex.bytes.starts_with(b"PK"));
    }
}
