use chiso_core::ids::UnitId;
use chiso_core::roles::Role;
use chiso_core::units::{UnitDraft, UnitType};
use chiso_store::accounts::{AccountDetails, AccountFilter, NewAccount};
use chiso_store::audit::{By, Filter};
use chiso_store::sessions::NewSession;
use chiso_store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

async fn unit(store: &Store) -> UnitId {
    let d = UnitDraft {
        code: "STP".into(),
        name: "Sở Tư pháp".into(),
        unit_type: UnitType::Province,
        valid_from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        valid_to: None,
    };
    store
        .create_unit(&d, None, &By::system("test"), crate::now())
        .await
        .unwrap()
}

fn new_account(unit: UnitId, username: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        details: AccountDetails {
            full_name: "Trần Văn Minh".into(),
            title: "Chuyên viên".into(),
            email: Some("minh@example.vn".into()),
            unit,
            roles: [Role::FocalPoint].into_iter().collect(),
            fields: vec!["2".into(), "3".into()],
            active: true,
        },
        password_hash: "h1".into(),
        must_change_password: true,
        demo: false,
    }
}

async fn session(store: &Store, account: chiso_core::ids::AccountId, token: &str) {
    store
        .create_session(&NewSession {
            token_hash: token,
            account,
            csrf_token: "c",
            now: crate::now(),
            expires_at: crate::now() + Duration::hours(8),
            user_agent: "test",
            ip: "127.0.0.1",
        })
        .await
        .unwrap();
}

chiso_store::backend_tests! {
    async fn accounts_keep_roles_fields_and_case_blind_names(store) {
        let u = unit(&store).await;
        let id = store.create_account(&new_account(u, "  Minh.TuPhap "), &By::system("test"), crate::now()).await.unwrap();
        let (a, hash) = store.account_for_login("MINH.tuphap").await.unwrap().unwrap();
        assert_eq!((a.id, a.username.as_str(), hash.as_str()), (id, "minh.tuphap", "h1"));
        assert_eq!(a.fields, vec!["2".to_string(), "3".to_string()]);
        assert!(a.must_change_password);
        assert!(a.actor().fields.covers("3") && !a.actor().fields.covers("4"));

        let dup = store.create_account(&new_account(u, "minh.tuphap"), &By::system("test"), crate::now()).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");

        let mut d = a.clone();
        d.roles.insert(Role::UnitLeader);
        let details = AccountDetails { full_name: "Trần Minh".into(), title: d.title, email: None, unit: u, roles: d.roles, fields: vec![], active: true };
        store.update_account(id, &details, &By::system("test"), crate::now()).await.unwrap();
        let a = store.account(id).await.unwrap();
        assert_eq!(a.roles.len(), 2);
        assert!(a.fields.is_empty() && a.email.is_none());

        let by_role = store.find_accounts(&AccountFilter { role: Some(Role::UnitLeader), ..Default::default() }).await.unwrap();
        assert_eq!(by_role.len(), 1);
        let by_name = store.find_accounts(&AccountFilter { query: Some("tran minh".into()), ..Default::default() }).await.unwrap();
        assert_eq!(by_name.len(), 1);
        let none = store.find_accounts(&AccountFilter { role: Some(Role::Admin), ..Default::default() }).await.unwrap();
        assert!(none.is_empty());
    }

    async fn password_change_revokes_other_sessions(store) {
        let u = unit(&store).await;
        let id = store.create_account(&new_account(u, "minh"), &By::system("test"), crate::now()).await.unwrap();
        session(&store, id, "t1").await;
        session(&store, id, "t2").await;
        session(&store, id, "t3").await;
        store.set_password(id, "h2", false, Some("t1"), &By::account(id, "minh"), crate::now()).await.unwrap();
        assert!(store.live_session("t1", crate::now()).await.unwrap().is_some());
        assert!(store.live_session("t2", crate::now()).await.unwrap().is_none());
        assert_eq!(store.password_hash(id).await.unwrap(), "h2");
        assert!(!store.account(id).await.unwrap().must_change_password);
        let log = store.audit_entries(&Filter { entity: Some("account".into()), limit: 5, ..Filter::default() }).await.unwrap();
        assert_eq!(log[0].action, "account.password_change");
        assert!(!log[0].after.as_deref().unwrap_or("").contains("h2"), "the hash must never be logged");

        // An admin's reset revokes every session.
        store.set_password(id, "h3", true, None, &By::system("admin"), crate::now()).await.unwrap();
        assert_eq!(store.count_sessions(id, crate::now()).await.unwrap(), 0);
    }

    async fn deactivation_ends_sessions(store) {
        let u = unit(&store).await;
        let id = store.create_account(&new_account(u, "minh"), &By::system("test"), crate::now()).await.unwrap();
        session(&store, id, "t1").await;
        let a = store.account(id).await.unwrap();
        let details = AccountDetails { full_name: a.full_name, title: a.title, email: a.email, unit: a.unit, roles: a.roles, fields: a.fields, active: false };
        store.update_account(id, &details, &By::system("test"), crate::now()).await.unwrap();
        assert!(store.live_session("t1", crate::now()).await.unwrap().is_none());
    }
}
