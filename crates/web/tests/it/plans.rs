//! Plans over HTTP: a draft from a unit's lost points, issuing it, tasks with computed status,
//! KPIs with actuals, progress reports by the lead unit, extension requests and decisions.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;

web_tests! {
    async fn a_plan_is_drafted_from_results_issued_and_tracked_to_done(db) {
        let (r, ids) = crate::results::finished_round(&db.store).await;
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        let unit_page = lan.get(&format!("/rounds/{r}/results/units/{}", ids[1])).await;
        assert_eq!(unit_page.count("#draft-plan-form"), 1);
        let drafted = lan.post(&format!("/rounds/{r}/results/units/{}/draft-plan", ids[1]), &[]).await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        let plan_url = drafted.location.clone().unwrap();
        let page = lan.get(&plan_url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // A goal per field and a task per sub-criterion below its maximum, most lost first.
        assert_eq!(page.count("#plan-goals tbody tr"), 2);
        assert_eq!(page.count("#plan-tasks tbody tr"), 4);
        assert!(page.texts("#plan-tasks tbody tr:first-child td")[0].contains("2.3"));
        assert!(page.text("#plan-state").starts_with("Dự thảo"));
        // Sở Nội vụ carries out its own plan; its field 2 tasks are helped by the field's lead.
        let first = page.texts("#plan-tasks tbody tr:first-child td");
        assert_eq!(first[2], "Sở Nội vụ");
        assert_eq!(first[3], "Văn phòng Ủy ban nhân dân tỉnh");

        // Issuing needs a number and a date.
        let id = plan_url.trim_start_matches("/plans/").to_string();
        let title = "Kế hoạch nâng cao Chỉ số CCHC năm 2026 của Sở Nội vụ";
        let bad = lan.post(&plan_url, &[("title", title), ("year", "2026"), ("number", ""), ("decision_date", ""), ("issuer", "Sở Nội vụ"), ("issue", "1")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let ok = lan.post(&plan_url, &[("title", title), ("year", "2026"), ("number", "15/KH-SNV"), ("decision_date", "15/01/2026"), ("issuer", "Sở Nội vụ"), ("issue", "1")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = lan.get(&plan_url).await;
        assert!(page.text("#plan-state").starts_with("Đã ban hành — 15/KH-SNV, 15/01/2026"), "{}", page.text("#plan-state"));

        // Tasks for Sở Tư pháp: one already past its deadline, one due later this year.
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0.to_string();
        let year = chrono::Datelike::year(&chiso_core::format::vietnam_day(chrono::Utc::now()));
        let past = format!("30/06/{}", year - 1);
        let later = format!("{}", year + 1);
        assert_eq!(lan.post(&format!("{plan_url}/tasks"), &[("text", "Rà soát văn bản QPPL"), ("field_code", "1"), ("lead_unit", &stp), ("deadline", &past), ("output", "Báo cáo rà soát")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.post(&format!("{plan_url}/tasks"), &[("text", "Số hóa hồ sơ"), ("field_code", "2"), ("lead_unit", &stp), ("deadline", &later)]).await.status, StatusCode::SEE_OTHER);
        let bad = lan.post(&format!("{plan_url}/tasks"), &[("text", "x"), ("deadline", "sớm")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let page = lan.get(&plan_url).await;
        assert_eq!(page.count("#plan-tasks tbody tr.task-overdue"), 1);
        assert!(page.text("#plan-tally").contains("Quá hạn: 1"), "{}", page.text("#plan-tally"));
        let tasks = db.store.plan(chiso_store::plans::PlanId(id.parse().unwrap())).await.unwrap().tasks;
        let (overdue, future) = (tasks[4].id, tasks[5].id);

        // A KPI and its reported actual.
        assert_eq!(lan.post(&format!("{plan_url}/kpis"), &[("text", "Hồ sơ TTHC giải quyết đúng hạn"), ("direction", "above"), ("target", "95"), ("unit_label", "%")]).await.status, StatusCode::SEE_OTHER);
        let kpi = db.store.plan(chiso_store::plans::PlanId(id.parse().unwrap())).await.unwrap().kpis[0].id;
        assert_eq!(lan.post(&format!("{plan_url}/kpis/{kpi}/actuals"), &[("period", "Quý I"), ("value", "96,5"), ("source", "Cổng DVC")]).await.status, StatusCode::SEE_OTHER);
        assert!(lan.get(&plan_url).await.text(&format!("#kpi-{kpi}")).contains("96,5 % (Quý I) ✓ đạt"));

        // Minh (Sở Tư pháp) sees the plan through its tasks, reports and closes the late one.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get("/plans").await.count("#plans tbody tr"), 1);
        let task_url = format!("{plan_url}/tasks/{overdue}");
        minh.get(&task_url).await;
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        let done_on = format!("15/07/{}", year - 1);
        let reported = minh.upload_with(&format!("{task_url}/report"), &[("text", "Đã rà soát 45 văn bản"), ("done", "1"), ("done_on", &done_on)], "file", "bao-cao-ra-soat.pdf", pdf).await;
        assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.body);
        let t = minh.get(&task_url).await;
        assert!(t.text("#task-status").starts_with("Hoàn thành quá hạn"), "{}", t.text("#task-status"));
        assert_eq!(t.count("#task-updates li"), 1);
        // The evidence sent with the report is there, checked against its hash.
        let link = t.html().select(&scraper::Selector::parse("#task-updates a").unwrap()).next().unwrap().value().attr("href").unwrap().to_string();
        let file = minh.get(&link).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.starts_with("%PDF"));
        // A file that is not a document is refused, and nothing of that report is stored.
        let junk = minh.upload_with(&format!("{task_url}/report"), &[("text", "x")], "file", "a.exe", b"MZ\x90\x00binary").await;
        assert_eq!(junk.status, StatusCode::BAD_REQUEST);
        assert_eq!(minh.get(&task_url).await.count("#task-updates li"), 1);
        // He asks for more time on the other; Lan approves; the deadline moves.
        let other = format!("{plan_url}/tasks/{future}");
        minh.get(&other).await;
        assert_eq!(minh.post(&format!("{other}/extensions"), &[("until", &format!("31/03/{}", year + 2)), ("reason", "Chờ hướng dẫn của Bộ")]).await.status, StatusCode::SEE_OTHER);
        let ext = db.store.task(future).await.unwrap().2[0].id;
        lan.get(&other).await;
        // Refusing needs a note; approving moves the deadline.
        assert_eq!(lan.post(&format!("{other}/extensions/{ext}"), &[("approve", "0"), ("note", "")]).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(minh.post(&format!("{other}/extensions/{ext}"), &[("approve", "1"), ("note", "")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(lan.post(&format!("{other}/extensions/{ext}"), &[("approve", "1"), ("note", "Đồng ý")]).await.status, StatusCode::SEE_OTHER);
        assert!(lan.get(&other).await.body.contains(&format!("→ 31/03/{}", year + 2)));
        // Reminders go to the lead unit's accounts once: three days before the (extended)
        // deadline, and when a task becomes overdue (the draft's own tasks are overdue by then).
        let state = chiso_web::AppState::new(db.store.clone(), crate::app::test_config()).unwrap();
        let due = chrono::NaiveDate::from_ymd_opt(year + 2, 3, 31).unwrap();
        let before = due - chrono::Duration::days(3);
        let accounts = db.store.unit_account_ids(chiso_core::ids::UnitId(stp.parse().unwrap())).await.unwrap().len() as u64;
        assert!(chiso_web::notify::remind_tasks(&state, before).await.unwrap() >= accounts);
        assert_eq!(chiso_web::notify::remind_tasks(&state, before).await.unwrap(), 0);
        // A day after the deadline it is overdue: one more notice per account, once.
        let late = due + chrono::Duration::days(1);
        assert!(chiso_web::notify::remind_tasks(&state, late).await.unwrap() >= accounts);
        assert_eq!(chiso_web::notify::remind_tasks(&state, late).await.unwrap(), 0);
        let inbox = minh.get("/inbox").await.body;
        assert!(inbox.contains("Nhiệm vụ kế hoạch còn 3 ngày đến hạn"), "{inbox}");
        assert!(inbox.contains("Nhiệm vụ kế hoạch đã quá hạn"));
        assert_eq!(inbox.matches("Số hóa hồ sơ").count(), 2, "one notice of each kind for the task");
        // The progress workbook downloads for those who see the plan.
        let xlsx = minh.get(&format!("{plan_url}/export.xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with("PK"), "an xlsx (zip) file");
        if chiso_web::pdf::available() {
            let pdf = minh.get(&format!("{plan_url}/export.pdf")).await;
            assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
            assert!(pdf.bytes.starts_with(b"%PDF"));
        }
        assert_eq!(minh.get(&format!("{plan_url}/export.doc")).await.status, StatusCode::NOT_FOUND);
        // A unit with no task in the plan does not see it.
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get(&plan_url).await.status, StatusCode::FORBIDDEN);
        assert_eq!(thu.get("/plans").await.count("#plans tbody tr"), 0);
        // Every change is in the audit log.
        let log = db.store.audit_entries(&chiso_store::audit::Filter { entity: Some("plan".into()), limit: 50, ..Default::default() }).await.unwrap();
        for action in ["plan.create", "plan.issue", "plan.task_add", "plan.kpi_add", "plan.kpi_actual", "plan.task_update", "plan.task_done", "plan.extension_request", "plan.extension_decision"] {
            assert!(log.iter().any(|e| e.action == action), "{action}");
        }
    }
}

web_tests! {
    async fn admins_correct_tasks_and_goals_and_units_report_their_kpis(db) {
        use chiso_store::plans::{Goal, NewTask, PlanId, PlanMeta};
        let by = chiso_store::audit::By::system("lan");
        let unit = |c: &str| { let s = db.store.clone(); let c = c.to_string(); async move { s.unit_by_code(&c).await.unwrap().unwrap().id } };
        let (snv, stp, stc) = (unit("SNV").await, unit("STP").await, unit("STC").await);
        let meta = PlanMeta { unit: snv, year: 2026, title: "Kế hoạch thử".into(), number: String::new(), decision_date: None, issuer: String::new() };
        let goal = Goal { field_code: "2".into(), field_name: "Thể chế".into(), baseline_max: chiso_core::framework::Points::parse("10"), ..Default::default() };
        let task = |text: &str| NewTask {
            text: text.into(), field_code: "2".into(), node_codes: vec![], lead_unit: Some(stc), cooperators: vec![],
            deadline: chiso_core::plan::Deadline::Half { year: 2026, half: 2 }, output: String::new(), expected_points: None,
        };
        let id = db.store.create_plan(&meta, "manual", None, &[goal], &[], &[task("Rà soat văn ban"), task("Việc ghi nhầm")], None, &by, chrono::Utc::now()).await.unwrap();
        let plan_url = format!("/plans/{}", id.0);
        let ids: Vec<i64> = db.store.plan(id).await.unwrap().tasks.iter().map(|t| t.id).collect();
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;

        // The edit form shows the task as stored, a half-year deadline included.
        let t = lan.get(&format!("{plan_url}/tasks/{}", ids[0])).await;
        assert_eq!(t.count("#task-edit-form"), 1);
        assert!(t.body.contains(r#"value="H2/2026""#));
        assert_eq!(t.count("#task-edit-form select[name=lead_unit] option[selected]"), 1);
        // Corrected: the lead moves to Sở Tư pháp, Sở Tài chính cooperates.
        let (stp_s, stc_s) = (stp.0.to_string(), stc.0.to_string());
        let bad = lan.post(&format!("{plan_url}/tasks/{}/edit", ids[0]), &[("text", "Rà soát văn bản"), ("deadline", "cuối năm")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "a deadline that means nothing is refused");
        let ok = lan.post(&format!("{plan_url}/tasks/{}/edit", ids[0]), &[("text", "Rà soát văn bản QPPL"), ("field_code", "2"), ("lead_unit", &stp_s), ("cooperator", &stc_s), ("deadline", "Q3/2026"), ("output", "Báo cáo")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let row = lan.get(&plan_url).await.texts(&format!("#task-{} td", ids[0]));
        assert_eq!((row[0].as_str(), row[2].as_str(), row[3].as_str(), row[4].as_str()), ("Rà soát văn bản QPPL", "Sở Tư pháp", "Sở Tài chính", "Quý III/2026"));
        // Minh now reports on it; from then on it cannot be removed, the other one can.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        minh.get(&format!("{plan_url}/tasks/{}", ids[0])).await;
        assert_eq!(minh.post(&format!("{plan_url}/tasks/{}/edit", ids[0]), &[("text", "x"), ("deadline", "2026")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(minh.upload_with(&format!("{plan_url}/tasks/{}/report", ids[0]), &[("text", "Đang rà soát")], "file", "", b"").await.status, StatusCode::SEE_OTHER);
        let t = lan.get(&format!("{plan_url}/tasks/{}", ids[0])).await;
        assert_eq!(t.count("#task-remove-form"), 0);
        assert_eq!(lan.post(&format!("{plan_url}/tasks/{}/remove", ids[0]), &[("confirm", "1")]).await.status, StatusCode::BAD_REQUEST);
        lan.get(&format!("{plan_url}/tasks/{}", ids[1])).await;
        assert_eq!(lan.post(&format!("{plan_url}/tasks/{}/remove", ids[1]), &[("confirm", "1")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.get(&plan_url).await.count("#plan-tasks tbody tr"), 1);

        // Goals of a draft: a target above the field's maximum is refused naming the field.
        let page = lan.get(&plan_url).await;
        assert_eq!(page.count("#goals-form"), 1);
        let over = lan.post(&format!("{plan_url}/goals"), &[("target_points_0", "10,5")]).await;
        assert_eq!(over.status, StatusCode::BAD_REQUEST);
        assert!(over.text(".error-message").contains("Lĩnh vực 2"), "{}", over.text(".error-message"));
        let ok = lan.post(&format!("{plan_url}/goals"), &[("target_points_0", "9,25"), ("target_percent_0", "92,5"), ("target_rank_0", "15"), ("target_group_0", "top 15")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(lan.get(&plan_url).await.texts("#plan-goals tbody td")[3], "9,25 · 92,50 % · #15 · top 15");

        // A KPI reported by Sở Tư pháp: Minh enters its actual, Thu (another unit) may not.
        assert_eq!(lan.post(&format!("{plan_url}/kpis"), &[("text", "Văn bản QPPL được rà soát"), ("direction", "at_least"), ("target", "100"), ("unit_label", "%"), ("unit", &stp_s)]).await.status, StatusCode::SEE_OTHER);
        let kpi = db.store.plan(PlanId(id.0)).await.unwrap().kpis[0].id;
        let page = minh.get(&plan_url).await;
        assert_eq!(page.count(&format!("#kpi-{kpi} form.kpi-actual")), 1);
        assert_eq!(minh.post(&format!("{plan_url}/kpis/{kpi}/actuals"), &[("period", "Quý III/2026"), ("value", "100"), ("source", "Báo cáo của Sở Tư pháp")]).await.status, StatusCode::SEE_OTHER);
        assert!(lan.get(&plan_url).await.text(&format!("#kpi-{kpi}")).contains("100 % (Quý III/2026) ✓ đạt"));
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.post(&format!("{plan_url}/kpis/{kpi}/actuals"), &[("period", "Quý III/2026"), ("value", "1"), ("source", "x")]).await.status, StatusCode::FORBIDDEN);

        // Once issued, goals no longer change.
        assert_eq!(lan.post(&plan_url, &[("title", "Kế hoạch thử"), ("year", "2026"), ("number", "9/KH-SNV"), ("decision_date", "10/01/2026"), ("issuer", "Sở Nội vụ"), ("issue", "1")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.get(&plan_url).await.count("#goals-form"), 0);
        assert_eq!(lan.post(&format!("{plan_url}/goals"), &[("target_points_0", "9")]).await.status, StatusCode::BAD_REQUEST);
    }

    async fn units_send_periodic_reports_and_doha_sees_the_on_time_rate(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        let today = chiso_core::format::vietnam_day(chrono::Utc::now());
        let year = chrono::Datelike::year(&today);
        let past = chiso_core::format::date(today - chrono::Duration::days(2));
        let soon = chiso_core::format::date(today + chrono::Duration::days(10));
        lan.get("/reports").await;
        assert_eq!(lan.post("/reports/calendar", &[("title", "Báo cáo CCHC quý I"), ("unit_type", "department"), ("due", &past)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.post("/reports/calendar", &[("title", "Báo cáo CCHC 6 tháng"), ("unit_type", "department"), ("due", &soon)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.post("/reports/calendar", &[("title", ""), ("unit_type", "department"), ("due", &soon)]).await.status, StatusCode::BAD_REQUEST);
        let calendar = db.store.report_calendar(chrono::Datelike::year(&(today - chrono::Duration::days(2)))).await.unwrap();
        let q1 = calendar.iter().find(|e| e.title.contains("quý I")).unwrap().id;

        // Minh sends the quarterly report (late: it was due two days ago) with its signed PDF.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let page = minh.get("/reports").await;
        assert!(page.text(&format!("#report-{q1}")).contains("Chưa gửi (quá hạn)"), "{}", page.body);
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        let sent = minh.upload_with(&format!("/reports/{q1}/submit"), &[("summary", "Báo cáo quý I đã ký")], "file", "bao-cao-quy-1.pdf", pdf).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = minh.get(&format!("/reports?year={year}")).await;
        assert!(page.text(&format!("#report-{q1}")).contains("Muộn"), "{}", page.text(&format!("#report-{q1}")));
        // A commune official does not see department reports, and cannot send them.
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        assert_eq!(thu.get("/reports").await.count("#report-calendar tbody tr"), 0);
        assert_eq!(thu.upload_with(&format!("/reports/{q1}/submit"), &[("summary", "x")], "file", "a.pdf", pdf).await.status, StatusCode::NOT_FOUND);

        // Three days before the six-month report is due, every department that has not sent it
        // is reminded, once.
        let state = chiso_web::AppState::new(db.store.clone(), crate::app::test_config()).unwrap();
        let reminded = chiso_web::notify::remind_reports(&state, today + chrono::Duration::days(7)).await.unwrap();
        assert_eq!(reminded, 6, "every account of the departments that have accounts (Sở Nội vụ 3, Sở Tư pháp 2, Văn phòng UBND 1)");
        assert_eq!(chiso_web::notify::remind_reports(&state, today + chrono::Duration::days(7)).await.unwrap(), 0);
        assert!(minh.get("/inbox").await.body.contains("Còn 3 ngày đến hạn gửi báo cáo định kỳ"));
        // DOHA sees who sent what and the on-time rate; the unit's file downloads.
        let page = lan.get(&format!("/reports?year={year}&entry={q1}")).await;
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0;
        assert!(page.text(&format!("#unit-{stp}")).contains("Muộn"));
        assert_eq!(page.text(&format!("#rate-{stp} td.num")), "0,00 %", "its only due report was late");
        // (Each test app keeps files in a folder of its own: read it through the sender's.)
        let file = minh.get(&format!("/reports/{q1}/units/{stp}/file")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.starts_with("%PDF"));
    }
}

web_tests! {
    async fn plan_figures_fill_the_plan_completion_item(db) {
        use chiso_core::plan::Deadline;
        use chiso_store::audit::By;
        use chiso_store::plans::{NewTask, PlanMeta};
        for (name, f) in chiso_core::framework::library::all() {
            db.store.import_framework(&f.unwrap(), name, &By::system("t"), chrono::Utc::now()).await.unwrap();
        }
        let (fw, f) = db.store.latest_framework("par-department", 2025).await.unwrap().unwrap();
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id;
        let today = chiso_core::format::vietnam_day(chrono::Utc::now());
        let schedule = chiso_core::round::schedule::Schedule {
            self_assessment_opens: today - chrono::Duration::days(3),
            submission_due: today + chrono::Duration::days(20),
            appraisal1_due: today + chrono::Duration::days(30),
            explanation_due: today + chrono::Duration::days(35),
            appraisal2_due: today + chrono::Duration::days(40),
        };
        let by = By::system("t");
        let r = db.store.create_round(fw.id, "Đánh giá 2025", &schedule, &[stp], &by, chrono::Utc::now()).await.unwrap();
        db.store.set_round_phase(r, chiso_core::round::phase::Phase::Preparing, chiso_core::round::phase::Phase::SelfAssessment, "", &by, chrono::Utc::now()).await.unwrap();
        // The year's issued plan gives Sở Tư pháp two tasks; one is done.
        let task = |text: &str| NewTask { text: text.into(), field_code: "2".into(), node_codes: vec![], lead_unit: Some(stp), cooperators: vec![], deadline: Deadline::Year { year: f.year }, output: String::new(), expected_points: None };
        let meta = PlanMeta { unit: stp, year: f.year, title: "Kế hoạch".into(), number: "1/KH".into(), decision_date: None, issuer: String::new() };
        let plan = db.store.create_plan(&meta, "manual", None, &[], &[], &[task("A"), task("B")], None, &by, chrono::Utc::now()).await.unwrap();
        let tasks = db.store.plan(plan).await.unwrap().tasks;
        db.store.set_task_done(tasks[0].id, Some(today), &by, chrono::Utc::now()).await.unwrap();
        // Not counted before the plan is issued.
        let grid = format!("/rounds/{}/units/{}", r.0, stp.0);
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        // Minh covers field 2 only; the plan item is in field 1: Hoa's view shows the figures.
        assert_eq!(minh.get(&grid).await.count("#item-1\\.1\\.2 .records"), 0, "a draft plan does not count");
        db.store.issue_plan(plan, &by, chrono::Utc::now()).await.unwrap();
        let page = minh.get(&grid).await;
        assert!(page.text("#item-1\\.1\\.2 .records").contains("1/2 nhiệm vụ"), "{}", page.text("#item-1\\.1\\.2"));
        // Minh does not enter field 1, so no button for him; a focal point of all fields uses it.
        assert_eq!(page.count("#item-1\\.1\\.2 form.use-records"), 0);
        let accounts = db.store.find_accounts(&chiso_store::accounts::AccountFilter { query: Some("minh.tuphap".into()), ..Default::default() }).await.unwrap();
        let details = chiso_store::accounts::AccountDetails {
            full_name: accounts[0].full_name.clone(), title: accounts[0].title.clone(), email: None, unit: stp,
            roles: accounts[0].roles.clone(), fields: vec![], active: true,
        };
        db.store.update_account(accounts[0].id, &details, &by, chrono::Utc::now()).await.unwrap();
        let page = minh.get(&grid).await;
        assert_eq!(page.count("#item-1\\.1\\.2 form.use-records"), 1);
        let used = minh.post(&format!("{grid}/items/1.1.2"), &[("version", "0"), ("numerator", "1"), ("denominator", "2"), ("explanation", "")]).await;
        assert_eq!(used.status, StatusCode::SEE_OTHER);
        let e = db.store.self_entry(r.0, stp.0, "1.1.2").await.unwrap().unwrap();
        assert_eq!((e.entry.numerator.map(|d| d.to_string()), e.self_points.map(|p| p.to_string())), (Some("1".into()), Some("0".into())), "50 % is below 70 %: 0 points");
    }
}

web_tests! {
    async fn inspections_cover_units_findings_close_and_initiatives_are_evaluated(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        let today = chiso_core::format::vietnam_day(chrono::Utc::now());
        let year = chrono::Datelike::year(&today);
        let on = chiso_core::format::date(today);
        let stp = db.store.unit_by_code("STP").await.unwrap().unwrap().id.0.to_string();
        lan.get("/inspections").await;
        assert_eq!(lan.post("/inspections", &[("unit", &stp), ("planned_on", &on)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.post("/inspections", &[("unit", &stp), ("planned_on", &on)]).await.status, StatusCode::BAD_REQUEST, "once a year");
        let id = db.store.inspections(year).await.unwrap()[0].id;
        // A bad due date names its line and records nothing.
        let bad = lan.post(&format!("/inspections/{id}/record"), &[("done_on", &on), ("findings", "Chưa công khai TTHC | Niêm yết lại | 30/02/2026")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text(".error-message").contains("Vấn đề 1"));
        assert!(db.store.inspections(year).await.unwrap()[0].done_on.is_none());
        let ok = lan.post(&format!("/inspections/{id}/record"), &[("done_on", &on), ("findings", "Chưa công khai TTHC | Niêm yết lại\nBáo cáo quý chậm")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = lan.get(&format!("/inspections?year={year}")).await;
        assert_eq!(page.text("#coverage"), "1/55 (1,82 %)", "15 departments and 40 communes");
        assert_eq!(page.text("#handled"), "0/2 (0,00 %)");
        let finding = db.store.inspections(year).await.unwrap()[0].findings[0].id;
        assert_eq!(lan.post(&format!("/inspections/findings/{finding}/close"), &[("closed_on", &on), ("year", &year.to_string())]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.get(&format!("/inspections?year={year}")).await.text("#handled"), "1/2 (50,00 %)");

        // A sub-criterion marked findings_handled shows Sở Tư pháp's figures on its grid.
        {
            use chiso_store::audit::By;
            let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/golden/frameworks/good.yaml")).unwrap();
            let mut f = chiso_core::framework::yaml::from_yaml(&text).unwrap();
            f.year = year;
            f.fields[0].children[0].children[1].from_records = Some(chiso_core::framework::model::Records::FindingsHandled);
            let by = By::system("t");
            let fid = db.store.import_framework(&f, "good.yaml", &by, chrono::Utc::now()).await.unwrap();
            let unit = chiso_core::ids::UnitId(stp.parse().unwrap());
            let schedule = chiso_core::round::schedule::Schedule {
                self_assessment_opens: today - chrono::Duration::days(1),
                submission_due: today + chrono::Duration::days(20),
                appraisal1_due: today + chrono::Duration::days(30),
                explanation_due: today + chrono::Duration::days(35),
                appraisal2_due: today + chrono::Duration::days(40),
            };
            let r = db.store.create_round(fid, "Thử", &schedule, &[unit], &by, chrono::Utc::now()).await.unwrap();
            let mut hoa = Client::new(app(db.store.clone()));
            hoa.login_demo("hoa.tuphap").await;
            let grid = hoa.get(&format!("/rounds/{}/units/{stp}", r.0)).await;
            assert!(grid.text("#item-1\\.1\\.2 .records").contains("1/2 vấn đề"), "{}", grid.text("#item-1\\.1\\.2"));
        }
        // Minh proposes an initiative; DOHA records the council's evaluation.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        let page = minh.get("/inspections").await;
        assert_eq!(page.count("#inspections tbody tr"), 1, "his unit's inspection");
        assert_eq!(page.count("#inspection-plan"), 0);
        assert_eq!(minh.post("/initiatives", &[("title", "Số hóa sổ hộ tịch"), ("description", "Tra cứu trực tuyến")]).await.status, StatusCode::SEE_OTHER);
        let ini = db.store.initiatives(year).await.unwrap()[0].id;
        lan.get("/inspections").await;
        assert_eq!(lan.post(&format!("/initiatives/{ini}/evaluate"), &[("recognised", "0"), ("note", "")]).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(minh.post(&format!("/initiatives/{ini}/evaluate"), &[("recognised", "1"), ("note", "")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(lan.post(&format!("/initiatives/{ini}/evaluate"), &[("recognised", "1"), ("note", "Hội đồng công nhận")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(lan.get(&format!("/inspections?year={year}")).await.text("#recognised"), "1");
        // Another unit sees neither.
        let mut thu = Client::new(app(db.store.clone()));
        thu.login_demo("thu.tanlap").await;
        let page = thu.get("/inspections").await;
        assert_eq!((page.count("#inspections tbody tr"), page.count("#initiatives tbody tr")), (0, 0));
    }
}
