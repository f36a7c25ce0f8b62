use chiso_store::StoreError;
use chiso_store::accounts::AccountDetails;
use chiso_store::audit::{By, Filter};
use chrono::Duration;

chiso_store::backend_tests! {
    async fn api_tokens_are_created_looked_up_and_revoked(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let lan = store.account_for_login("lan.noivu").await.unwrap().unwrap().0;
        let minh = store.account_for_login("minh.tuphap").await.unwrap().unwrap().0;
        let now = crate::now();
        let id = store.create_api_token(lan.id, "Báo cáo", "hash-a", &lan.by(), now).await.unwrap();
        let other = store.create_api_token(minh.id, "Minh", "hash-b", &minh.by(), now).await.unwrap();
        assert_ne!(id, other);

        let listed = store.api_tokens(lan.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].id, listed[0].name.as_str(), listed[0].last_used_at), (id, "Báo cáo", None));

        // The first use writes last_used_at; a use a minute later does not.
        let t = store.live_api_token("hash-a", now).await.unwrap().unwrap();
        assert_eq!((t.id, t.account, t.last_used_at), (id, lan.id, Some(now)));
        let later = now + Duration::minutes(1);
        assert_eq!(store.live_api_token("hash-a", later).await.unwrap().unwrap().last_used_at, Some(now));
        assert_eq!(store.api_tokens(lan.id).await.unwrap()[0].last_used_at, Some(now));
        let much_later = now + Duration::minutes(10);
        store.live_api_token("hash-a", much_later).await.unwrap();
        assert_eq!(store.api_tokens(lan.id).await.unwrap()[0].last_used_at, Some(much_later));
        assert!(store.live_api_token("nope", now).await.unwrap().is_none());

        // Another account cannot revoke it; its owner can, once.
        assert!(matches!(store.revoke_api_token(minh.id, id, &minh.by(), now).await, Err(StoreError::NotFound)));
        store.revoke_api_token(lan.id, id, &lan.by(), later).await.unwrap();
        assert!(matches!(store.revoke_api_token(lan.id, id, &lan.by(), later).await, Err(StoreError::NotFound)));
        assert!(store.live_api_token("hash-a", later).await.unwrap().is_none());
        assert_eq!(store.api_tokens(lan.id).await.unwrap()[0].revoked_at, Some(later));

        // A deactivated account's tokens stop working.
        assert!(store.live_api_token("hash-b", now).await.unwrap().is_some());
        let details = AccountDetails {
            full_name: minh.full_name.clone(),
            title: minh.title.clone(),
            email: minh.email.clone(),
            unit: minh.unit,
            roles: minh.roles.clone(),
            fields: minh.fields.clone(),
            active: false,
        };
        store.update_account(minh.id, &details, &By::system("t"), now).await.unwrap();
        assert!(store.live_api_token("hash-b", now).await.unwrap().is_none());

        let audit = store
            .audit_entries(&Filter { entity: Some("api_token".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["api_token.revoke", "api_token.create", "api_token.create"]);
        assert!(audit.iter().all(|e| !e.after.as_deref().unwrap_or("").contains("hash-")));
    }

    async fn a_reset_by_an_administrator_revokes_the_accounts_tokens(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let lan = store.account_for_login("lan.noivu").await.unwrap().unwrap().0;
        let minh = store.account_for_login("minh.tuphap").await.unwrap().unwrap().0;
        let now = crate::now();
        store.create_api_token(minh.id, "Một cửa", "hash-m", &minh.by(), now).await.unwrap();
        store.create_api_token(lan.id, "Báo cáo", "hash-l", &lan.by(), now).await.unwrap();
        // His own change keeps his tokens.
        store.set_password(minh.id, "new-hash", false, None, &minh.by(), now).await.unwrap();
        assert!(store.live_api_token("hash-m", now).await.unwrap().is_some());
        // A reset by the administrator revokes them; hers stay.
        store.set_password(minh.id, "reset-hash", true, None, &lan.by(), now).await.unwrap();
        assert!(store.live_api_token("hash-m", now).await.unwrap().is_none());
        assert!(store.live_api_token("hash-l", now).await.unwrap().is_some());
    }
}
