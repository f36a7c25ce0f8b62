use chiso_core::ids::AccountId;
use chiso_store::sessions::NewSession;
use chrono::Duration;

chiso_store::backend_tests! {
    async fn sessions_expire_extend_and_purge(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let lan = store.account_for_login("lan.noivu").await.unwrap().unwrap().0;
        let now = crate::now();
        store
            .create_session(&NewSession { token_hash: "abc", account: lan.id, csrf_token: "csrf", now, expires_at: now + Duration::hours(1), user_agent: "ua", ip: "1.2.3.4" })
            .await
            .unwrap();
        let s = store.live_session("abc", now).await.unwrap().unwrap();
        assert_eq!((s.account, s.csrf_token.as_str()), (lan.id, "csrf"));
        assert!(store.live_session("abc", now + Duration::hours(2)).await.unwrap().is_none());
        store.extend_session("abc", now, now + Duration::hours(3)).await.unwrap();
        assert!(store.live_session("abc", now + Duration::hours(2)).await.unwrap().is_some());
        assert_eq!(store.purge_expired_sessions(now + Duration::hours(4)).await.unwrap(), 1);
        assert!(store.live_session("abc", now).await.unwrap().is_none());
        assert!(store.live_session("nope", now).await.unwrap().is_none());
        assert_eq!(store.count_sessions(AccountId(999), now).await.unwrap(), 0);
    }

    async fn login_failures_are_counted_per_name_and_address(store) {
        let now = crate::now();
        for i in 0..3 {
            store.record_login_attempt("lan", "10.0.0.1", now + Duration::seconds(i), false).await.unwrap();
        }
        store.record_login_attempt("lan", "10.0.0.2", now + Duration::seconds(5), false).await.unwrap();
        store.record_login_attempt("lan", "10.0.0.2", now + Duration::seconds(6), true).await.unwrap();
        store.record_login_attempt("minh", "10.0.0.1", now - Duration::hours(1), false).await.unwrap();
        let f = store.recent_login_failures("lan", "10.0.0.1", now - Duration::minutes(15)).await.unwrap();
        assert_eq!(f.for_account.len(), 4);
        assert_eq!(f.from_address.len(), 3);
        assert!(f.for_account.windows(2).all(|w| w[0] <= w[1]));
    }
}
