use chiso_core::plan::Deadline;
use chiso_store::audit::By;
use chiso_store::plans::{Goal, NewTask, PlanMeta, PlanStatus};

chiso_store::backend_tests! {
    async fn plans_keep_goals_tasks_cooperators_and_decide_extensions_once(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let unit = |c: &str| { let s = store.clone(); let c = c.to_string(); async move { s.unit_by_code(&c).await.unwrap().unwrap().id } };
        let (snv, stp, stc) = (unit("SNV").await, unit("STP").await, unit("STC").await);
        let by = By::system("lan");
        let meta = PlanMeta { unit: snv, year: 2026, title: "Kế hoạch 2026".into(), number: String::new(), decision_date: None, issuer: String::new() };
        let goal = Goal { field_code: "1".into(), field_name: "Chỉ đạo".into(), target_group: "top 15".into(), ..Default::default() };
        let task = NewTask {
            text: "Rà soát".into(), field_code: "2".into(), node_codes: vec!["2.1".into(), "2.2".into()],
            lead_unit: Some(stp), cooperators: vec![stc, snv], deadline: Deadline::Quarter { year: 2026, quarter: 2 },
            output: "Báo cáo".into(), expected_points: chiso_core::framework::Points::parse("0,5"),
        };
        let id = store.create_plan(&meta, "manual", None, std::slice::from_ref(&goal), &[], std::slice::from_ref(&task), None, &by, crate::now()).await.unwrap();
        let plan = store.plan(id).await.unwrap();
        assert_eq!((plan.status, plan.goals, plan.tasks.len()), (PlanStatus::Draft, vec![goal], 1));
        let mut want = task.clone();
        want.cooperators.sort();
        let mut got = plan.tasks[0].task.clone();
        got.cooperators.sort();
        assert_eq!(got, want, "a task reads back as written");
        let t = plan.tasks[0].id;
        store.issue_plan(id, &by, crate::now()).await.unwrap();
        assert!(store.issue_plan(id, &by, crate::now()).await.is_err(), "issued once");
        store.request_extension(t, chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(), "chờ hướng dẫn", &by, crate::now()).await.unwrap();
        let ext = store.task(t).await.unwrap().2[0].id;
        store.decide_extension(ext, true, "đồng ý", &by, crate::now()).await.unwrap();
        assert!(store.decide_extension(ext, false, "không", &by, crate::now()).await.is_err(), "decided once");
        assert_eq!(store.task(t).await.unwrap().0.extension_until, chrono::NaiveDate::from_ymd_opt(2026, 9, 30));
        assert_eq!(store.plans().await.unwrap()[0].tasks.len(), 1);
    }

    async fn tasks_are_corrected_removed_only_when_unused_and_goals_replaced(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let unit = |c: &str| { let s = store.clone(); let c = c.to_string(); async move { s.unit_by_code(&c).await.unwrap().unwrap().id } };
        let (snv, stp, stc) = (unit("SNV").await, unit("STP").await, unit("STC").await);
        let by = By::system("lan");
        let meta = PlanMeta { unit: snv, year: 2026, title: "Kế hoạch 2026".into(), number: String::new(), decision_date: None, issuer: String::new() };
        let goal = Goal { field_code: "1".into(), field_name: "Chỉ đạo".into(), baseline_max: chiso_core::framework::Points::parse("10"), ..Default::default() };
        let task = |text: &str| NewTask {
            text: text.into(), field_code: "2".into(), node_codes: vec![], lead_unit: Some(stp), cooperators: vec![stc],
            deadline: Deadline::Year { year: 2026 }, output: String::new(), expected_points: None,
        };
        let id = store.create_plan(&meta, "manual", None, std::slice::from_ref(&goal), &[], &[task("Một"), task("Hai")], None, &by, crate::now()).await.unwrap();
        let ids: Vec<i64> = store.plan(id).await.unwrap().tasks.iter().map(|t| t.id).collect();
        // Corrected: text, lead and cooperators replaced, nothing else of the task lost.
        let mut fixed = task("Một, sửa lại");
        fixed.lead_unit = Some(stc);
        fixed.cooperators = vec![stp, snv];
        fixed.deadline = Deadline::Half { year: 2026, half: 1 };
        store.update_task(ids[0], &fixed, &by, crate::now()).await.unwrap();
        let mut got = store.task(ids[0]).await.unwrap().0.task;
        got.cooperators.sort();
        fixed.cooperators.sort();
        assert_eq!(got, fixed);
        // One reported on stays; the other goes.
        store.add_task_update(ids[0], stc, "đang làm", None, &by, crate::now()).await.unwrap();
        assert!(matches!(store.remove_task(ids[0], &by, crate::now()).await, Err(chiso_store::StoreError::Conflict(_))));
        store.remove_task(ids[1], &by, crate::now()).await.unwrap();
        assert_eq!(store.plan(id).await.unwrap().tasks.iter().map(|t| t.id).collect::<Vec<_>>(), vec![ids[0]]);
        assert!(matches!(store.task(ids[1]).await, Err(chiso_store::StoreError::NotFound)));
        // Goals replaced whole, in order.
        let mut g1 = goal.clone();
        g1.target_points = chiso_core::framework::Points::parse("9,5");
        g1.target_rank = Some(12);
        let g2 = Goal { field_code: "2".into(), field_name: "Thể chế".into(), target_group: "nhóm A".into(), ..Default::default() };
        store.set_goals(id, &[g2.clone(), g1.clone()], &by, crate::now()).await.unwrap();
        assert_eq!(store.plan(id).await.unwrap().goals, vec![g2, g1]);
        let log = store.audit_entries(&chiso_store::audit::Filter { entity: Some("plan".into()), limit: 50, ..Default::default() }).await.unwrap();
        for action in ["plan.task_edit", "plan.task_remove", "plan.goals"] {
            let e = log.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action}"));
            assert!(e.before.is_some(), "{action} keeps what was there");
        }
    }
}
