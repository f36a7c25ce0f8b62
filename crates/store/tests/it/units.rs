use chiso_core::units::import::{ImportPlan, ParentRef, PlannedCreate, parse, plan};
use chiso_core::units::{UnitDraft, UnitType};
use chiso_store::audit::{By, Filter};
use chiso_store::units::UnitFilter;
use chiso_store::{Store, StoreError};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn draft(code: &str, name: &str, t: UnitType) -> UnitDraft {
    UnitDraft {
        code: code.into(),
        name: name.into(),
        unit_type: t,
        valid_from: day(2000, 1, 1),
        valid_to: None,
    }
}

async fn province(store: &Store) -> chiso_core::ids::UnitId {
    store
        .create_unit(
            &draft("MS", "Tỉnh Minh Sơn", UnitType::Province),
            None,
            &By::system("test"),
            crate::now(),
        )
        .await
        .unwrap()
}

async fn audit_count(store: &Store) -> usize {
    store
        .audit_entries(&Filter {
            limit: 1000,
            ..Filter::default()
        })
        .await
        .unwrap()
        .len()
}

chiso_store::backend_tests! {
    async fn create_find_and_update_units(store) {
        let by = By::system("test");
        let ms = province(&store).await;
        let stp = store
            .create_unit(&draft("STP", "Sở Tư pháp", UnitType::Department), Some(ms), &by, crate::now())
            .await
            .unwrap();
        let mut old = draft("XA-CU", "Xã Đồng Tâm (cũ)", UnitType::Commune);
        old.valid_to = Some(day(2025, 6, 30));
        store.create_unit(&old, Some(ms), &by, crate::now()).await.unwrap();

        // Search ignores diacritics and case, on name and code.
        let found = store.find_units(&UnitFilter { query: Some("tu phap".into()), ..Default::default() }).await.unwrap();
        assert_eq!(found.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), vec!["STP"]);
        let found = store.find_units(&UnitFilter { query: Some("ĐỒNG TÂM".into()), ..Default::default() }).await.unwrap();
        assert_eq!(found.len(), 1);
        let found = store.find_units(&UnitFilter { query: Some("stp".into()), ..Default::default() }).await.unwrap();
        assert_eq!(found.len(), 1);

        // Validity by date.
        let active = store.find_units(&UnitFilter { active_on: Some(day(2026, 1, 1)), ..Default::default() }).await.unwrap();
        assert_eq!(active.len(), 2);
        let then = store.find_units(&UnitFilter { active_on: Some(day(2025, 6, 30)), unit_type: Some(UnitType::Commune), ..Default::default() }).await.unwrap();
        assert_eq!(then.len(), 1);
        let counts = store.count_units_by_type(day(2026, 1, 1)).await.unwrap();
        assert_eq!(counts.get(&UnitType::Department), Some(&1));
        assert_eq!(counts.get(&UnitType::Commune), None);

        // Update keeps the before state in the audit log.
        let mut renamed = draft("STP", "Sở Tư pháp tỉnh Minh Sơn", UnitType::Department);
        renamed.valid_from = day(2004, 1, 1);
        store.update_unit(stp, &renamed, Some(ms), &by, crate::now()).await.unwrap();
        assert_eq!(store.unit(stp).await.unwrap().name, "Sở Tư pháp tỉnh Minh Sơn");
        let log = store
            .audit_entries(&Filter { entity: Some("unit".into()), entity_id: Some(stp.to_string()), limit: 10, ..Filter::default() })
            .await
            .unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["unit.update", "unit.create"]);
        assert!(log[0].before.as_deref().unwrap().contains("\"Sở Tư pháp\""));
        assert!(log[0].after.as_deref().unwrap().contains("Sở Tư pháp tỉnh Minh Sơn"));

        // Codes are unique.
        let err = store.create_unit(&draft("STP", "Trùng", UnitType::Department), Some(ms), &by, crate::now()).await;
        assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
        assert!(matches!(store.unit(chiso_core::ids::UnitId(9999)).await, Err(StoreError::NotFound)));
    }

    async fn a_planned_import_applies_whole(store) {
        province(&store).await;
        let csv = "code,name,type,parent_code,valid_from,valid_to\n\
                   XA-TL,Xã Tân Lập,xã,H-ML,01/01/2010,30/06/2025\n\
                   H-ML,Huyện Minh Lâm,huyện,MS,01/01/2000,30/06/2025\n\
                   SNV,Sở Nội vụ,sở,MS,01/01/2000,\n";
        let existing = store.all_units().await.unwrap();
        let p = plan(parse(csv.as_bytes()).unwrap(), &existing).unwrap();
        let outcome = store.apply_unit_import(&p, "units.csv", &By::system("test"), crate::now()).await.unwrap();
        assert_eq!((outcome.created, outcome.updated), (3, 0));
        let tl = store.unit_by_code("XA-TL").await.unwrap().unwrap();
        let ml = store.unit_by_code("H-ML").await.unwrap().unwrap();
        assert_eq!(tl.parent, Some(ml.id));

        // Importing the same file again changes nothing.
        let existing = store.all_units().await.unwrap();
        let p = plan(parse(csv.as_bytes()).unwrap(), &existing).unwrap();
        assert_eq!((p.creates.len(), p.updates.len(), p.unchanged), (0, 0, 3));
    }

    async fn a_failing_import_changes_nothing(store) {
        let ms = province(&store).await;
        let before_units = store.all_units().await.unwrap().len();
        let before_log = audit_count(&store).await;
        // The second creation collides with an existing code mid-transaction.
        let bad = ImportPlan {
            creates: vec![
                PlannedCreate { line: 2, draft: draft("SNV", "Sở Nội vụ", UnitType::Department), parent: ParentRef::Existing(ms) },
                PlannedCreate { line: 3, draft: draft("MS", "Tỉnh trùng mã", UnitType::Department), parent: ParentRef::Existing(ms) },
            ],
            updates: vec![],
            unchanged: 0,
        };
        let err = store.apply_unit_import(&bad, "units.csv", &By::system("test"), crate::now()).await;
        assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
        assert_eq!(store.all_units().await.unwrap().len(), before_units);
        assert!(store.unit_by_code("SNV").await.unwrap().is_none());
        assert_eq!(audit_count(&store).await, before_log);
    }
}

chiso_store::backend_tests! {
    async fn unit_attributes_are_tri_state_and_audited(store) {
        let ms = province(&store).await;
        assert!(store.unit_attributes(ms).await.unwrap().is_empty());
        let mut a = std::collections::BTreeMap::new();
        a.insert("has_procedures".to_string(), false);
        store.set_unit_attributes(ms, &a, &By::system("test"), crate::now()).await.unwrap();
        assert_eq!(store.unit_attributes(ms).await.unwrap(), a);
        // Writing the same attributes again records nothing.
        store.set_unit_attributes(ms, &a, &By::system("test"), crate::now()).await.unwrap();
        let log = store.audit_entries(&Filter { entity: Some("unit".into()), limit: 10, ..Filter::default() }).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "unit.attributes").count(), 1);
        store.set_unit_attributes(ms, &Default::default(), &By::system("test"), crate::now()).await.unwrap();
        assert!(store.unit_attributes(ms).await.unwrap().is_empty());
    }
}
