//! Results over HTTP: the ranking with ties, bands and filters; survey points; a unit's lost
//! points, what-if and target; publishing and the public page; who may see what.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_core::framework::Points;
use chiso_core::ids::UnitId;
use chiso_core::round::workflow::UnitState;
use chiso_store::Store;
use chiso_store::audit::By;
use chiso_store::rounds::RoundId;

fn p(s: &str) -> Option<Points> {
    Some(Points::parse(s).unwrap())
}

/// A round of the golden framework (max 10) with final scores for four departments:
/// Sở Tư pháp 8 (+ survey later), Sở Nội vụ and Sở Tài chính 6,8 each, Sở Công Thương 2,5.
pub(crate) async fn finished_round(store: &Store) -> (i64, Vec<i64>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap();
    let f = chiso_core::framework::yaml::from_yaml(&text).unwrap();
    let by = By::system("t");
    let now = chrono::Utc::now();
    let fid = store
        .import_framework(&f, "good.yaml", &by, now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for code in ["STP", "SNV", "STC", "SCT"] {
        ids.push(store.unit_by_code(code).await.unwrap().unwrap().id.0);
    }
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    let schedule = chiso_core::round::schedule::Schedule {
        self_assessment_opens: day(12, 1),
        submission_due: day(12, 25),
        appraisal1_due: day(12, 27),
        explanation_due: day(12, 29),
        appraisal2_due: day(12, 31),
    };
    let units: Vec<UnitId> = ids.iter().map(|&i| UnitId(i)).collect();
    let round = store
        .create_round(fid, "Đánh giá năm 2025", &schedule, &units, &by, now)
        .await
        .unwrap();
    let r = round.0;
    let finals: [Vec<(&str, Option<Points>)>; 4] = [
        vec![
            ("1.1.1", p("1")),
            ("1.1.2", p("1")),
            ("1.2", p("2")),
            ("2.1", p("2")),
            ("2.2", p("2")),
        ],
        vec![
            ("1.1.1", p("0.5")),
            ("1.1.2", p("1")),
            ("1.2", p("1.5")),
            ("2.1", p("1.8")),
            ("2.2", p("2")),
        ],
        vec![
            ("1.1.1", p("0.5")),
            ("1.1.2", p("1")),
            ("1.2", p("1.5")),
            ("2.1", p("1.8")),
            ("2.2", p("2")),
        ],
        vec![
            ("1.1.1", p("1")),
            ("1.2", p("1")),
            ("1.4", p("-0.5")),
            ("2.1", p("1")),
        ],
    ];
    // The round went through every phase to the end.
    let mut phase = chiso_core::round::phase::Phase::Preparing;
    while let Some(next) = phase.next() {
        store
            .set_round_phase(round, phase, next, "", &by, now)
            .await
            .unwrap();
        phase = next;
    }
    for (u, f) in ids.iter().zip(finals) {
        let f: Vec<(String, Option<Points>)> =
            f.into_iter().map(|(c, v)| (c.to_string(), v)).collect();
        store
            .conclude_final(round, UnitId(*u), UnitState::Drafting, &f, &by, now)
            .await
            .unwrap();
    }
    (r, ids)
}

web_tests! {
    async fn leaders_see_the_ranking_and_units_where_they_lost_points(db) {
        let (r, ids) = finished_round(&db.store).await;
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;

        // Survey points: out of range is refused naming the item, nothing stored; then saved
        // with its sample size, in the ledger.
        let stp = ids[0].to_string();
        lan.get(&format!("/rounds/{r}/results/survey?unit={stp}")).await;
        let bad = lan.post(&format!("/rounds/{r}/results/survey"), &[("unit", &stp), ("p:2.3", "3"), ("n:2.3", "30"), ("source", "QĐ 12/QĐ-SNV")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text(".error-message").contains("2.3"), "{}", bad.body);
        assert!(db.store.survey_points(RoundId(r)).await.unwrap().is_empty());
        let ok = lan.post(&format!("/rounds/{r}/results/survey"), &[("unit", &stp), ("p:2.3", "1,5"), ("n:2.3", "30"), ("source", "QĐ 12/QĐ-SNV")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ledger = db.store.ledger_for(r, ids[0], "2.3").await.unwrap();
        assert_eq!(ledger.last().unwrap().event.kind, chiso_core::round::ledger::EventKind::Survey);

        let page = lan.get(&format!("/rounds/{r}/results")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.texts("#ranking-table tbody td.rank"), vec!["1", "2", "2", "4"], "ties share a rank");
        assert_eq!(page.texts("#ranking-table tbody td.index"), vec!["95,00", "68,00", "68,00", "25,00"]);
        assert!(page.text("#survey-missing").starts_with("3 "), "{}", page.text("#results-status"));
        assert!(page.text("#results-status").contains("4/4"));
        // Internal bands by default for a department framework: Xuất sắc ≥ 90.
        assert_eq!(page.text(&format!("#rank-{} td.band", ids[0])), "Xuất sắc");
        // Rank intervals widen with the appraisal uncertainty one assumes.
        let last = |p: &crate::app::Page| p.texts("#ranking-table tbody tr:last-child td.num").last().cloned().unwrap();
        assert_eq!(last(&page), "4");
        let wide = lan.get(&format!("/rounds/{r}/results?sd=5")).await;
        assert!(last(&wide).contains("–4"), "{}", last(&wide));
        // Sort by name, filter by a search without diacritics.
        let by_name = lan.get(&format!("/rounds/{r}/results?sort=name")).await;
        assert!(by_name.texts("#ranking-table tbody td a")[0].starts_with("Sở Công Thương"));
        let found = lan.get(&format!("/rounds/{r}/results?q=tu+phap")).await;
        assert_eq!(found.count("#ranking-table tbody tr"), 1);

        // Sở Nội vụ's page: where it lost points, a what-if and what it takes to be first.
        let snv = format!("/rounds/{r}/results/units/{}", ids[1]);
        let unit = lan.get(&snv).await;
        assert_eq!(unit.status, StatusCode::OK, "{}", unit.body);
        assert_eq!(unit.text("#unit-rank"), "2/4");
        assert_eq!(unit.text("#lost-1\\.1\\.1 td.lost"), "0,5");
        let mut w = lan.post_raw(&format!("{snv}/what-if"), &[("_csrf", &lan.csrf.clone().unwrap()), ("p:1.1.1", "1"), ("p:1.2", "2")], &[("hx-request", "true")]).await;
        w.body = format!("<div>{}</div>", w.body);
        assert_eq!(w.text(".what-if-index"), "78,00");
        assert_eq!(w.text(".what-if-rank"), "2/4");
        let mut bad = lan.post_raw(&format!("{snv}/what-if"), &[("_csrf", &lan.csrf.clone().unwrap()), ("p:1.2", "9")], &[("hx-request", "true")]).await;
        bad.body = format!("<div>{}</div>", bad.body);
        assert!(bad.text(".field-error").contains("1.2"), "{}", bad.body);
        let mut t = lan.post_raw(&format!("{snv}/target"), &[("_csrf", &lan.csrf.clone().unwrap()), ("target", "rank:1")], &[("hx-request", "true")]).await;
        t.body = format!("<div>{}</div>", t.body);
        assert!(t.count(".target-plan p") >= 1, "{}", t.body);
        assert!(t.count(".target-steps tbody tr") >= 1, "{}", t.body);

        // Focal points see neither the ranking nor their unit's page before publication.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get(&format!("/rounds/{r}/results")).await.status, StatusCode::FORBIDDEN);
        let own = format!("/rounds/{r}/results/units/{}", ids[0]);
        assert_eq!(minh.get(&own).await.status, StatusCode::FORBIDDEN);

        // Publishing: a viewer cannot; the admin freezes it under a decision, publicly.
        let mut thang = Client::new(app(db.store.clone()));
        let home = thang.login_demo("thang.ubnd").await;
        // The vice-chair's dashboard shows where the province stands.
        assert_eq!(home.texts("#latest-results table:first-of-type td:first-child")[0], "Sở Tư pháp");
        assert_eq!(thang.get(&format!("/rounds/{r}/results")).await.status, StatusCode::OK);
        thang.get(&format!("/rounds/{r}/results")).await;
        assert_eq!(thang.post(&format!("/rounds/{r}/results/publish"), &[("decision_number", "1/QĐ"), ("decision_date", "20/01/2026")]).await.status, StatusCode::FORBIDDEN);
        lan.get(&format!("/rounds/{r}/results")).await;
        let missing = lan.post(&format!("/rounds/{r}/results/publish"), &[("decision_number", ""), ("decision_date", "20/01/2026")]).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        // Survey points are missing for three units: publishing needs that said explicitly.
        let unsure = lan.post(&format!("/rounds/{r}/results/publish"), &[("decision_number", "125/QĐ-UBND"), ("decision_date", "20/01/2026"), ("public", "1")]).await;
        assert_eq!(unsure.status, StatusCode::BAD_REQUEST);
        assert!(unsure.text(".error-message").starts_with("3 tiêu chí điều tra XHH"), "{}", unsure.body);
        assert!(db.store.publications(RoundId(r)).await.unwrap().is_empty());
        let published = lan.post(&format!("/rounds/{r}/results/publish"), &[("decision_number", "125/QĐ-UBND"), ("decision_date", "20/01/2026"), ("public", "1"), ("without_survey", "1")]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
        let pubs = db.store.publications(RoundId(r)).await.unwrap();
        assert_eq!(pubs.len(), 1);
        // The public page needs no sign-in and shows the frozen table.
        let mut anyone = Client::new(app(db.store.clone()));
        let public = anyone.get(&format!("/public/results/{}", pubs[0].id)).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        assert_eq!(public.count("#public-ranking tbody tr"), 4);
        assert!(public.body.contains("125/QĐ-UBND"));
        assert_eq!(anyone.get("/public/results").await.count("#public-results li"), 1);
        // After publication the unit's own staff see their unit's page, not the others'.
        assert_eq!(minh.get(&own).await.status, StatusCode::OK);
        assert_eq!(minh.get(&snv).await.status, StatusCode::FORBIDDEN);
        // Survey staff see units, not their results.
        let mut mai = Client::new(app(db.store.clone()));
        mai.login_demo("mai.dieutra").await;
        assert_eq!(mai.get(&snv).await.status, StatusCode::FORBIDDEN);
        // A publication is immutable in storage.
        assert!(db.store.publish_results(RoundId(r), "x", chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), false, "{}", &By::system("t"), chrono::Utc::now()).await.is_ok());
        assert_eq!(anyone.get(&format!("/public/results/{}", pubs[0].id + 1)).await.status, StatusCode::NOT_FOUND, "a non-public publication is not shown");
    }
}
