use chiso_core::framework::yaml::from_yaml;
use chiso_core::round::ledger::{BrokenWhy, Event, EventKind};
use chiso_core::round::schedule::Schedule;
use chiso_store::Store;
use chiso_store::audit::By;
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub async fn round(store: &Store) -> (i64, i64) {
    store.seed_demo("hash", crate::now()).await.unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap();
    let f = store
        .import_framework(
            &from_yaml(&text).unwrap(),
            "good.yaml",
            &By::system("test"),
            crate::now(),
        )
        .await
        .unwrap();
    let stp = store.unit_by_code("STP").await.unwrap().unwrap().id;
    let schedule = Schedule {
        self_assessment_opens: day(2025, 12, 1),
        submission_due: day(2025, 12, 25),
        appraisal1_due: day(2026, 1, 10),
        explanation_due: day(2026, 1, 13),
        appraisal2_due: day(2026, 1, 15),
    };
    let r = store
        .create_round(
            f,
            "Đánh giá năm 2025",
            &schedule,
            &[stp],
            &By::system("test"),
            crate::now(),
        )
        .await
        .unwrap();
    (r.0, stp.0)
}

fn event(round: i64, unit: i64, kind: EventKind, new: &str, reason: &str) -> Event {
    Event {
        round,
        unit,
        node: "1.2".into(),
        kind,
        actor: "tester".into(),
        at: 1_765_000_000_000,
        old_value: None,
        new_value: Some(new.into()),
        reason: reason.into(),
    }
}

chiso_store::backend_tests! {
    async fn the_ledger_chains_and_tampering_is_found(store) {
        let (r, u) = round(&store).await;
        store.append_ledger(vec![event(r, u, EventKind::SelfScore, "20000", "")]).await.unwrap();
        store.append_ledger(vec![
            event(r, u, EventKind::Appraisal1, "15000", "Thiếu báo cáo quý IV"),
            event(r, u, EventKind::Explanation, "15000", "Đã bổ sung báo cáo"),
        ]).await.unwrap();
        assert_eq!(store.verify_ledger().await.unwrap(), Ok(3));
        let history = store.ledger_for(r, u, "1.2").await.unwrap();
        assert_eq!(history.iter().map(|e| e.event.kind).collect::<Vec<_>>(), vec![EventKind::SelfScore, EventKind::Appraisal1, EventKind::Explanation]);

        // The table refuses edits; someone who disables that is still caught by the chain.
        assert!(store.execute_raw("UPDATE score_ledger SET new_value = '20000' WHERE seq = 2").await.is_err());
        let disable = match store.backend() {
            chiso_store::Backend::Sqlite => "DROP TRIGGER score_ledger_no_update",
            chiso_store::Backend::Postgres => "DROP TRIGGER score_ledger_no_update ON score_ledger",
        };
        store.execute_raw(disable).await.unwrap();
        store.execute_raw("UPDATE score_ledger SET new_value = '20000' WHERE seq = 2").await.unwrap();
        let broken = store.verify_ledger().await.unwrap().unwrap_err();
        assert_eq!((broken.seq, broken.why), (2, BrokenWhy::Altered));
    }

    async fn concurrent_appends_never_fork_the_chain(store) {
        let (r, u) = round(&store).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.append_ledger(vec![event(r, u, EventKind::SelfScore, &format!("{}", i * 2500), "")]).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(store.verify_ledger().await.unwrap(), Ok(8));
    }
}

chiso_store::backend_tests! {
    async fn a_stale_save_is_refused_with_what_is_stored(store) {
        use chiso_core::framework::Points;
        use chiso_core::round::entry::SelfEntry;
        use chiso_store::entries::SaveOutcome;
        let (r, u) = round(&store).await;
        let minh = By::system("minh.tuphap");
        let hoa = By::system("hoa.tuphap");
        let first = SelfEntry { points: Points::parse("1.5"), explanation: "Đủ 4 báo cáo quý".into(), ..Default::default() };
        let saved = store.save_self_entry(r, u, "1.2", &first, Points::parse("1.5"), 0, &minh, crate::now()).await.unwrap();
        assert_eq!(saved, SaveOutcome::Saved { version: 1 });

        // Two people opened version 1; Minh saves first, Hoa's save is refused and shown Minh's.
        let minh_edit = SelfEntry { points: Points::parse("2"), ..first.clone() };
        let hoa_edit = SelfEntry { points: Points::parse("1"), ..first.clone() };
        assert_eq!(
            store.save_self_entry(r, u, "1.2", &minh_edit, Points::parse("2"), 1, &minh, crate::now()).await.unwrap(),
            SaveOutcome::Saved { version: 2 }
        );
        match store.save_self_entry(r, u, "1.2", &hoa_edit, Points::parse("1"), 1, &hoa, crate::now()).await.unwrap() {
            SaveOutcome::Conflict(current) => {
                assert_eq!(current.entry, minh_edit);
                assert_eq!((current.version, current.updated_by.as_str()), (2, "minh.tuphap"));
            }
            other => panic!("{other:?}"),
        }
        let now_stored = store.self_entry(r, u, "1.2").await.unwrap().unwrap();
        assert_eq!(now_stored.self_points, Points::parse("2"));

        // Every score change is in the ledger; saving only the explanation adds no score event.
        let same_score = SelfEntry { explanation: "Bổ sung số hiệu văn bản".into(), ..minh_edit.clone() };
        store.save_self_entry(r, u, "1.2", &same_score, Points::parse("2"), 2, &minh, crate::now()).await.unwrap();
        let history = store.ledger_for(r, u, "1.2").await.unwrap();
        assert_eq!(history.iter().map(|e| e.event.new_value.clone()).collect::<Vec<_>>(), vec![Some("15000".into()), Some("20000".into())]);
        assert_eq!(history[1].event.old_value.as_deref(), Some("15000"));
        assert_eq!(store.verify_ledger().await.unwrap(), Ok(2));
    }
}

chiso_store::backend_tests! {
    async fn two_racing_saves_one_wins_the_other_is_told(store) {
        use chiso_core::framework::Points;
        use chiso_core::round::entry::SelfEntry;
        use chiso_store::entries::SaveOutcome;
        let (r, u) = round(&store).await;
        let base = SelfEntry { points: Points::parse("1"), ..Default::default() };
        store.save_self_entry(r, u, "1.2", &base, Points::parse("1"), 0, &By::system("a"), crate::now()).await.unwrap();
        for attempt in 0..5 {
            let version = store.self_entry(r, u, "1.2").await.unwrap().unwrap().version;
            let mut tasks = Vec::new();
            for who in ["minh", "hoa"] {
                let s = store.clone();
                let e = SelfEntry { points: Points::parse(if who == "minh" { "1.5" } else { "2" }), ..Default::default() };
                tasks.push(tokio::spawn(async move {
                    s.save_self_entry(r, u, "1.2", &e, e.points, version, &By::system(who), crate::now()).await.unwrap()
                }));
            }
            let mut saved = 0;
            let mut told = 0;
            for t in tasks {
                match t.await.unwrap() {
                    SaveOutcome::Saved { .. } => saved += 1,
                    SaveOutcome::Conflict(_) => told += 1,
                }
            }
            assert_eq!((saved, told), (1, 1), "attempt {attempt}");
        }
        assert_eq!(store.verify_ledger().await.unwrap().map(|n| n >= 1), Ok(true));
    }
}

chiso_store::backend_tests! {
    async fn rounds_list_their_units_and_move_through_phases(store) {
        use chiso_core::round::phase::Phase;
        use chiso_store::rounds::RoundId;
        let (r, u) = round(&store).await;
        let list = store.list_rounds().await.unwrap();
        assert_eq!((list.len(), list[0].units, list[0].submitted, list[0].phase), (1, 1, 0, Phase::Preparing));
        let units = store.round_units(RoundId(r)).await.unwrap();
        assert_eq!(units[0].unit.0, u);
        store.set_round_phase(RoundId(r), Phase::Preparing, Phase::SelfAssessment, "", &By::system("lan"), crate::now()).await.unwrap();
        // A second, stale change is refused.
        let stale = store.set_round_phase(RoundId(r), Phase::Preparing, Phase::SelfAssessment, "", &By::system("lan"), crate::now()).await;
        assert!(matches!(stale, Err(chiso_store::StoreError::Conflict(_))), "{stale:?}");
        assert_eq!(store.round(RoundId(r)).await.unwrap().phase, Phase::SelfAssessment);
    }
}

chiso_store::backend_tests! {
    async fn appraisal_explanation_round_two_final_and_correction_are_all_in_the_ledger(store) {
        use chiso_core::framework::Points;
        use chiso_core::ids::UnitId;
        use chiso_core::round::appraisal::{AppraisalInput, Ask, Stage};
        use chiso_core::round::entry::SelfEntry;
        use chiso_core::round::ledger::EventKind;
        use chiso_core::round::workflow::UnitState;
        use chiso_store::appraisals::AppraisalOutcome;
        use chiso_store::rounds::RoundId;
        let (r, u) = round(&store).await;
        let (rid, uid) = (RoundId(r), UnitId(u));
        let p = |s: &str| Points::parse(s);
        let entry = SelfEntry { points: p("2"), ..Default::default() };
        store.save_self_entry(r, u, "1.2", &entry, p("2"), 0, &By::system("minh.tuphap"), crate::now()).await.unwrap();

        // Round 1: the appraiser lowers the score and asks for a document.
        let lower = AppraisalInput { points: p("1.5"), reason: "Thiếu báo cáo quý IV".into(), ask: Some(Ask::Evidence), ..Default::default() };
        let tuan = By::system("tuan.thamdinh");
        assert_eq!(store.save_appraisal(rid, uid, "1.2", Stage::One, &lower, p("1.5"), p("2"), 0, &tuan, crate::now()).await.unwrap(), AppraisalOutcome::Saved { version: 1 });
        // A second appraiser who read version 0 is told, and sees the first one's decision.
        let stale = AppraisalInput { points: p("1"), reason: "khác".into(), ..Default::default() };
        match store.save_appraisal(rid, uid, "1.2", Stage::One, &stale, p("1"), p("2"), 0, &By::system("other"), crate::now()).await.unwrap() {
            AppraisalOutcome::Conflict(current) => assert_eq!((current.points, current.ask, current.updated_by.as_str()), (p("1.5"), Some(Ask::Evidence), "tuan.thamdinh")),
            other => panic!("{other:?}"),
        }
        let scores = store.round_scores(rid).await.unwrap();
        assert_eq!(scores.len(), 1);
        assert_eq!((scores[0].self_points, scores[0].round1, scores[0].open_question), (p("2"), Some(p("1.5")), true));

        // The unit answers; the question is no longer open.
        store.save_answer(rid, uid, "1.2", "Đã bổ sung Báo cáo số 12/BC-STP", p("1.5"), &By::system("minh.tuphap"), crate::now()).await.unwrap();
        assert!(!store.round_scores(rid).await.unwrap()[0].open_question);
        assert_eq!(store.answers(rid, uid).await.unwrap()["1.2"].answer, "Đã bổ sung Báo cáo số 12/BC-STP");

        // Round 2 restores the score; concluding writes the final score.
        let restore = AppraisalInput { points: p("2"), reason: "Đã có báo cáo bổ sung".into(), ..Default::default() };
        store.save_appraisal(rid, uid, "1.2", Stage::Two, &restore, p("2"), p("1.5"), 0, &tuan, crate::now()).await.unwrap();
        store.execute_raw(&format!("UPDATE round_units SET state = 'explained' WHERE round_id = {r}")).await.unwrap();
        store.conclude_final(rid, uid, UnitState::Explained, &[("1.2".into(), p("2"))], &By::system("hung.hoidong"), crate::now()).await.unwrap();
        assert_eq!(store.round_unit(rid, uid).await.unwrap().state, UnitState::Final);
        // Concluding twice is refused and writes nothing.
        assert!(store.conclude_final(rid, uid, UnitState::Explained, &[("1.2".into(), p("2"))], &By::system("x"), crate::now()).await.is_err());

        store.correct_final(rid, uid, "1.2", p("1.75"), "Quyết định phúc khảo số 5/QĐ-HĐ", &By::system("lan.noivu"), crate::now()).await.unwrap();
        assert_eq!(store.final_scores(rid, uid).await.unwrap()["1.2"], p("1.75"));
        assert!(matches!(store.correct_final(rid, uid, "9.9", p("1"), "x", &By::system("lan"), crate::now()).await, Err(chiso_store::StoreError::NotFound)));

        let history = store.ledger_for(r, u, "1.2").await.unwrap();
        let steps: Vec<(EventKind, Option<&str>, Option<&str>)> = history.iter().map(|e| (e.event.kind, e.event.old_value.as_deref(), e.event.new_value.as_deref())).collect();
        assert_eq!(steps, vec![
            (EventKind::SelfScore, None, Some("20000")),
            (EventKind::Appraisal1, Some("20000"), Some("15000")),
            (EventKind::Explanation, Some("15000"), Some("15000")),
            (EventKind::Appraisal2, Some("15000"), Some("20000")),
            (EventKind::Final, None, Some("20000")),
            (EventKind::AdminCorrection, Some("20000"), Some("17500")),
        ]);
        assert_eq!(history[5].event.reason, "Quyết định phúc khảo số 5/QĐ-HĐ");
        assert_eq!(store.verify_ledger().await.unwrap(), Ok(6));
    }
}

chiso_store::backend_tests! {
    async fn round_assignments_replace_per_field_and_are_audited(store) {
        use chiso_core::ids::UnitId;
        use chiso_store::accounts::AccountFilter;
        use chiso_store::rounds::RoundId;
        use std::collections::BTreeSet;
        let (r, u) = round(&store).await;
        let r = RoundId(r);
        let accounts = store.find_accounts(&AccountFilter::default()).await.unwrap();
        let (a, b) = (accounts[0].id, accounts[1].id);
        let by = By::system("lan");
        assert!(store.round_assignments(r).await.unwrap().entry.is_empty());
        store.set_entry_assignment(r, UnitId(u), "1", &[a, b].into(), &by, crate::now()).await.unwrap();
        store.set_entry_assignment(r, UnitId(u), "1", &[b].into(), &by, crate::now()).await.unwrap();
        store.set_round_appraisers(r, "2", &[a].into(), &by, crate::now()).await.unwrap();
        let got = store.round_assignments(r).await.unwrap();
        assert_eq!(got.entry.get(&(UnitId(u), "1".to_string())), Some(&BTreeSet::from([b])));
        assert_eq!(got.appraisal.get("2"), Some(&BTreeSet::from([a])));
        // Naming nobody returns the field to its default.
        store.set_round_appraisers(r, "2", &BTreeSet::new(), &by, crate::now()).await.unwrap();
        assert!(store.round_assignments(r).await.unwrap().appraisal.is_empty());
        let audit = store
            .audit_entries(&chiso_store::audit::Filter { limit: 50, ..Default::default() })
            .await
            .unwrap();
        let kinds: Vec<&str> = audit.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("round.assign")).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
    }
}
