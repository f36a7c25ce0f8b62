//! Importing a plan document: read, review with everything editable, refuse what lacks a lead
//! unit or deadline naming the row, save what is confirmed as a draft plan.

use crate::app::{Client, Page, app};
use crate::web_tests;
use axum::http::StatusCode;
use scraper::Selector;

/// What a browser would send for the review form as shown.
fn form_values(page: &Page) -> Vec<(String, String)> {
    let html = page.html();
    let mut out = Vec::new();
    for e in html.select(
        &Selector::parse("#import-review input, #import-review textarea, #import-review select")
            .unwrap(),
    ) {
        let v = e.value();
        let Some(name) = v.attr("name") else { continue };
        match v.name() {
            "input" if v.attr("type") == Some("checkbox") && v.attr("checked").is_some() => {
                out.push((
                    name.to_string(),
                    v.attr("value").unwrap_or("on").to_string(),
                ));
            }
            "input" if v.attr("type") == Some("checkbox") => {}
            "input" => out.push((name.to_string(), v.attr("value").unwrap_or("").to_string())),
            "textarea" => out.push((name.to_string(), e.text().collect())),
            "select" => {
                for o in e.select(&Selector::parse("option[selected]").unwrap()) {
                    out.push((
                        name.to_string(),
                        o.value().attr("value").unwrap_or("").to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

web_tests! {
    async fn a_plan_document_is_read_reviewed_corrected_and_saved_as_a_draft(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        lan.get("/plans/import").await;
        let text = include_str!("../../../core/tests/golden/plans/seed-000.txt");
        let review = lan.upload("/plans/import", "file", "ke-hoach-152.txt", text.as_bytes()).await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.body);
        let html = review.html();
        let value = |css: &str| html.select(&Selector::parse(css).unwrap()).next().and_then(|e| e.value().attr("value").map(str::to_string)).unwrap_or_default();
        assert_eq!(value("input[name=number]"), "152/KH-UBND");
        assert_eq!(value("input[name=decision_date]"), "13/06/2024");
        assert_eq!(value("input[name=year]"), "2024");
        let tasks = review.count("fieldset.import-task");
        assert!(tasks >= 5, "{tasks} tasks");
        // The seed states numbers that disagree: shown, never corrected.
        assert!(review.text("#import-warnings").contains("8,53"), "{}", review.text("#import-warnings"));
        // Units named in the text are matched to the province's units.
        assert!(review.count("select.task-lead option[selected]") >= 1);

        // As read, some tasks have no lead unit or deadline: nothing is saved, each is named.
        let mut pairs = form_values(&review);
        pairs.push(("_csrf".into(), lan.csrf.clone().unwrap()));
        let refs = |p: &Vec<(String, String)>| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
        let first = lan.post_pairs("/plans/import/save", &refs(&pairs)).await;
        let before = db.store.plans().await.unwrap().len();
        if first.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(first.text("#import-problems").contains("Nhiệm vụ"), "{}", first.text("#import-problems"));
            assert_eq!(first.count("fieldset.import-task"), tasks, "what was typed is shown again");
            assert_eq!(before, 0);
        }
        // The user keeps the tasks whose lead unit was found, gives a deadline where the
        // document states none (seed 000 states none), and saves.
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let mut kept = 0;
        let mut fixed: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| !k.starts_with("task_keep_") && !k.starts_with("task_deadline_"))
            .cloned()
            .collect();
        for i in 0..tasks {
            let deadline = get(&format!("task_deadline_{i}"));
            let deadline = if deadline.is_empty() { "31/12/2024".to_string() } else { deadline };
            fixed.push((format!("task_deadline_{i}"), deadline));
            if !get(&format!("task_lead_{i}")).is_empty() {
                fixed.push((format!("task_keep_{i}"), "1".into()));
                kept += 1;
            }
        }
        assert!(kept >= 5, "lead units found in the text: {kept}");
        // The user drops the first legal basis, adds a missing one, and repeats an existing one.
        let bases: Vec<usize> = fixed.iter().enumerate().filter(|(_, (k, _))| k == "legal_basis").map(|(i, _)| i).collect();
        assert_eq!(bases.len(), 6 + 3, "six read, three blank boxes");
        let second = fixed[bases[1]].1.clone();
        fixed[bases[0]].1 = String::new();
        fixed[bases[6]].1 = "Quyết định số 99/QĐ-UBND ngày 02/01/2024 của UBND tỉnh".into();
        fixed[bases[7]].1 = second;
        // And adds a heading to the outline, under the last top-level one.
        let outline = fixed.iter_mut().find(|(k, _)| k == "outline").unwrap();
        assert!(outline.1.lines().next().unwrap().starts_with("I."), "{}", outline.1);
        outline.1.push_str("\n  9. Kinh phí thực hiện\n");
        let saved = lan.post_pairs("/plans/import/save", &fixed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text("#import-problems"));
        let plan = db.store.plans().await.unwrap().remove(0);
        assert_eq!((plan.meta.number.as_str(), plan.source.as_str(), plan.tasks.len()), ("152/KH-UBND", "import", kept));
        let page = lan.get(saved.location.as_deref().unwrap()).await;
        assert!(page.text("#plan-state").starts_with("Dự thảo"));
        // The document's legal bases and outline are kept with the plan.
        assert_eq!(page.count("#plan-bases li"), 6, "{}", page.text("#plan-document"));
        assert!(page.text("#plan-bases").contains("99/QĐ-UBND"), "{}", page.text("#plan-bases"));
        assert!(page.texts("#plan-outline li")[0].starts_with("I."), "{:?}", page.texts("#plan-outline li"));
        assert_eq!(page.texts("#plan-outline li").last().unwrap(), "9. Kinh phí thực hiện");
        assert_eq!(page.count("#plan-outline li.depth-1:last-child"), 1, "one level down");

        // Not a plan at all: refused with the file named; a focal point may not import.
        let junk = lan.upload("/plans/import", "file", "anh.txt", "xin chào".as_bytes()).await;
        assert_eq!(junk.status, StatusCode::BAD_REQUEST);
        assert!(junk.text(".error-message").contains("anh.txt"));
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get("/plans/import").await.status, StatusCode::FORBIDDEN);
    }
}
