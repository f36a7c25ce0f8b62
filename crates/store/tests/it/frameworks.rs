use chiso_core::framework::yaml::from_yaml;
use chiso_store::StoreError;
use chiso_store::audit::{By, Filter};

fn good() -> chiso_core::framework::Framework {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap();
    from_yaml(&text).unwrap()
}

chiso_store::backend_tests! {
    async fn frameworks_are_stored_whole_and_versions_never_overwritten(store) {
        let f = good();
        let id = store.import_framework(&f, "good.yaml", &By::system("test"), crate::now()).await.unwrap();
        let (summary, back) = store.framework(id).await.unwrap();
        assert_eq!(back, f, "the stored definition is the imported one, exactly");
        assert_eq!((summary.code.as_str(), summary.year, summary.version, summary.nodes), ("test-department", 2025, 1, 11));
        assert_eq!(summary.max_scaled, 100_000);

        // The same version again is refused and changes nothing.
        let again = store.import_framework(&f, "good.yaml", &By::system("test"), crate::now()).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(store.list_frameworks().await.unwrap().len(), 1);

        let mut v2 = f.clone();
        v2.version = 2;
        v2.fields[0].name = "Chỉ đạo, điều hành".into();
        let id2 = store.import_framework(&v2, "v2.yaml", &By::system("test"), crate::now()).await.unwrap();
        let (latest, latest_f) = store.latest_framework("test-department", 2025).await.unwrap().unwrap();
        assert_eq!((latest.id, latest_f.version), (id2, 2));
        assert!(store.latest_framework("test-department", 2024).await.unwrap().is_none());
        assert_eq!(store.framework(id).await.unwrap().1.fields[0].name, "Công tác chỉ đạo, điều hành CCHC");
        let log = store.audit_entries(&Filter { entity: Some("framework".into()), limit: 10, ..Filter::default() }).await.unwrap();
        assert_eq!(log.len(), 2);
        assert!(log[0].summary.starts_with("v2.yaml: test-department 2025 v2"));
    }
}

chiso_store::backend_tests! {
    async fn field_leads_default_from_the_file_and_can_be_reassigned(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let id = store.import_framework(&good(), "good.yaml", &By::system("test"), crate::now()).await.unwrap();
        let snv = store.unit_by_code("SNV").await.unwrap().unwrap().id;
        let vp = store.unit_by_code("VP-UBND").await.unwrap().unwrap().id;
        let stp = store.unit_by_code("STP").await.unwrap().unwrap().id;
        let leads = store.field_leads(id).await.unwrap();
        assert_eq!(leads.iter().map(|l| (l.field_code.as_str(), l.unit, l.overridden)).collect::<Vec<_>>(), vec![("1", Some(snv), false), ("2", Some(vp), false)]);
        store.set_field_lead(id, "2", stp, &By::system("test"), crate::now()).await.unwrap();
        let leads = store.field_leads(id).await.unwrap();
        assert_eq!((leads[1].unit, leads[1].overridden), (Some(stp), true));
        let led = store.fields_led_by(stp).await.unwrap();
        assert_eq!(led.iter().map(|(_, l)| l.field_code.as_str()).collect::<Vec<_>>(), vec!["2"]);
        assert!(store.fields_led_by(vp).await.unwrap().is_empty());
        assert!(matches!(store.set_field_lead(id, "9", stp, &By::system("test"), crate::now()).await, Err(StoreError::NotFound)));
        let log = store.audit_entries(&Filter { entity: Some("framework".into()), limit: 10, ..Filter::default() }).await.unwrap();
        assert_eq!(log[0].action, "framework.field_lead");
    }
}
