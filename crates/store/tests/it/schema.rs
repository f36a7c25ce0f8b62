use chiso_store::testing::TestDb;

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_types() {
    let sqlite = TestDb::sqlite().await;
    let Some(pg) = TestDb::postgres().await else {
        sqlite.finish().await;
        return;
    };
    let a = sqlite.store.schema_summary().await.unwrap();
    let b = pg.store.schema_summary().await.unwrap();
    assert!(
        a.len() > 40,
        "the schema summary found too few columns: {}",
        a.len()
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "SQLite vs PostgreSQL");
    }
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter().all(|c| c.3 != "other"),
        "a column has a type outside the shared set: {a:?}"
    );
    sqlite.finish().await;
    pg.finish().await;
}

chiso_store::backend_tests! {
    async fn migrations_are_idempotent(store) {
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    }

    async fn settings_round_trip(store) {
        assert_eq!(store.setting("x").await.unwrap(), None);
        store.set_setting("x", "1").await.unwrap();
        store.set_setting("x", "2").await.unwrap();
        assert_eq!(store.setting("x").await.unwrap().as_deref(), Some("2"));
    }

    async fn demo_seed_fills_once(store) {
        use chiso_store::demo::SeedOutcome;
        let outcome = store.seed_demo("hash", crate::now()).await.unwrap();
        let units = chiso_core::demo::units().len();
        let accounts = chiso_core::demo::accounts().len();
        assert_eq!(outcome, SeedOutcome::Seeded { units, accounts });
        assert_eq!(store.seed_demo("hash", crate::now()).await.unwrap(), SeedOutcome::AlreadyFilled);
        assert_eq!(store.all_units().await.unwrap().len(), units);
        assert_eq!(store.count_accounts().await.unwrap() as usize, accounts);
        assert_eq!(store.setting("demo").await.unwrap().as_deref(), Some("1"));
        let (lan, hash) = store.account_for_login("lan.noivu").await.unwrap().unwrap();
        assert_eq!(hash, "hash");
        assert!(lan.roles.contains(&chiso_core::roles::Role::Admin));
        assert!(!lan.must_change_password && lan.demo);
        let minh = store.account_for_login("minh.tuphap").await.unwrap().unwrap().0;
        assert_eq!(minh.fields, vec!["2".to_string()]);
        let tanlap = store.unit_by_code("XA-TANLAP").await.unwrap().unwrap();
        assert_eq!(tanlap.name, "Xã Tân Lập");
    }
}
