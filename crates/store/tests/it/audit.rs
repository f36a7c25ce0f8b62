use chiso_store::audit::{By, Filter, NewEntry};

chiso_store::backend_tests! {
    async fn the_audit_log_is_append_only(store) {
        let entry = NewEntry::new(crate::now(), &By::system("test"), "login", "account", 1, "lan.noivu")
            .after(&serde_json::json!({"ip": "127.0.0.1"}));
        store.record(entry).await.unwrap();
        assert!(store.execute_raw("UPDATE audit_log SET summary = 'x'").await.is_err());
        assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
        let log = store.audit_entries(&Filter::default()).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].summary, "lan.noivu");
        assert_eq!(log[0].at, crate::now());
        assert_eq!(log[0].after.as_deref(), Some(r#"{"ip":"127.0.0.1"}"#));
    }

    async fn audit_entries_page_backwards(store) {
        for i in 0..5 {
            store.record(NewEntry::new(crate::now(), &By::system("test"), "x", "e", i, format!("{i}"))).await.unwrap();
        }
        let first = store.audit_entries(&Filter { limit: 2, ..Filter::default() }).await.unwrap();
        assert_eq!(first.iter().map(|e| e.summary.as_str()).collect::<Vec<_>>(), vec!["4", "3"]);
        let next = store.audit_entries(&Filter { limit: 2, before_id: Some(first[1].id), ..Filter::default() }).await.unwrap();
        assert_eq!(next.iter().map(|e| e.summary.as_str()).collect::<Vec<_>>(), vec!["2", "1"]);
    }
}
