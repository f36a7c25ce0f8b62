//! The scoring sheet round trip: download, fill offline, upload, review the differences, save
//! only what is confirmed and allowed, all together or nothing.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_reports::scoring_sheet::{SheetItem, read, write};
use scraper::Selector;

web_tests! {
    async fn a_sheet_filled_offline_is_reviewed_and_only_confirmed_changes_are_saved(db) {
        let (r, u) = crate::app::stp_round(&db.store, 20).await;
        let grid = format!("/rounds/{r}/units/{u}");
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get(&grid).await.count("#sheet-upload"), 1);
        let sheet = minh.get(&format!("{grid}/sheet.xlsx")).await;
        assert_eq!(sheet.status, StatusCode::OK);
        let rows = read(&sheet.bytes).unwrap();
        let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["1.1.1", "1.1.2", "1.2", "1.3", "1.4", "2.1", "2.2"], "survey items are not self-scored");

        // Filled offline: his field 2, a try at field 1 (not his), an unknown code, a bad number.
        let item = |code: &str, values: Vec<(&'static str, String)>| SheetItem { code: code.into(), editable: true, values, ..Default::default() };
        let filled = write("x", "y", &[
            item("2.1", vec![("numerator", "412".into()), ("denominator", "430".into())]),
            item("2.2", vec![("met", "có".into()), ("explanation", "Đã niêm yết".into())]),
            item("1.2", vec![("points", "2".into())]),
            item("9.9", vec![("points", "1".into())]),
            item("1.1.1", vec![]),
        ]).unwrap();
        let review = minh.upload(&format!("{grid}/sheet"), "file", "phieu.xlsx", &filled).await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.body);
        assert_eq!(review.count("#sheet-changes tbody tr"), 2);
        assert!(review.text("#change-2\\.1").contains("1,9163"), "{}", review.text("#change-2\\.1"));
        let problems = review.text("#sheet-problems");
        assert!(problems.contains("phieu.xlsx, dòng 6") && problems.contains("1.2"), "{problems}");
        assert!(problems.contains("9.9"), "{problems}");
        assert!(db.store.self_entry(r, u, "2.1").await.unwrap().is_none(), "nothing saved before confirming");

        // He confirms only 2.1.
        let html = review.html();
        let mut pairs: Vec<(String, String)> = html.select(&Selector::parse("#sheet-apply input[type=hidden]").unwrap())
            .map(|e| (e.value().attr("name").unwrap().to_string(), e.value().attr("value").unwrap_or("").to_string()))
            .collect();
        let keep = pairs.clone();
        pairs.push(("apply".into(), "2.1".into()));
        let applied = minh.post_pairs(&format!("{grid}/sheet/apply"), &pairs).await;
        assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
        let saved = db.store.self_entry(r, u, "2.1").await.unwrap().unwrap();
        assert_eq!(saved.self_points.map(|p| p.to_string()), Some("1.9163".into()));
        assert!(db.store.self_entry(r, u, "2.2").await.unwrap().is_none());

        // Meanwhile 2.2 is saved on the grid: the sheet's 2.2 (read at version 0) is refused,
        // and so is everything sent with it.
        let saved = minh.post_raw(&format!("{grid}/items/2.2"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "0"), ("met", "0"), ("explanation", "")], &[("hx-request", "true")]).await;
        assert_eq!(saved.status, StatusCode::OK);
        let mut both = keep.clone();
        both.push(("apply".into(), "2.2".into()));
        let refused = minh.post_pairs(&format!("{grid}/sheet/apply"), &both).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text(".error-message").contains("2.2"), "{}", refused.text(".error-message"));
        assert_eq!(db.store.self_entry(r, u, "2.2").await.unwrap().unwrap().entry.met, Some(false));
        // The first sheet again (read at version 0): 2.1 now holds what it says (unchanged),
        // 2.2 was changed on the grid since, so its row is left out and named, never applied
        // over the newer value.
        let stale = minh.upload(&format!("{grid}/sheet"), "file", "phieu.xlsx", &filled).await;
        assert!(stale.text("#sheet-problems").contains("dòng 5: 2.2 đã được sửa trên hệ thống"), "{}", stale.text("#sheet-problems"));
        assert_eq!(stale.count("#sheet-changes tbody tr"), 0);
        // Figures in the thousands go out and come back unchanged (no thousands separator).
        let big = minh.post_raw(&format!("{grid}/items/2.1"), &[("_csrf", &minh.csrf.clone().unwrap()), ("version", "1"), ("numerator", "12450"), ("denominator", "13020"), ("explanation", "")], &[("hx-request", "true")]).await;
        assert_eq!(big.status, StatusCode::OK);
        let again = minh.get(&format!("{grid}/sheet.xlsx")).await;
        let row = read(&again.bytes).unwrap().into_iter().find(|r| r.code == "2.1").unwrap();
        assert_eq!((row.get("numerator"), row.get("denominator")), ("12450", "13020"));
        let same = minh.upload(&format!("{grid}/sheet"), "file", "phieu-2.xlsx", &again.bytes).await;
        assert_eq!(same.count("#sheet-changes tbody tr"), 0, "an unchanged sheet changes nothing: {}", same.text("main"));
        // Applying a field that is not his is refused even if posted by hand.
        let mut forged = keep;
        forged.push(("1.2|version".into(), "0".into()));
        forged.push(("1.2|points".into(), "2".into()));
        forged.push(("apply".into(), "1.2".into()));
        assert_eq!(minh.post_pairs(&format!("{grid}/sheet/apply"), &forged).await.status, StatusCode::FORBIDDEN);
    }
}
