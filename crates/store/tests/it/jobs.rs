use chiso_store::jobs::{INTERRUPTED, JobStatus, MAX_ATTEMPTS, STALE_CLAIM};

chiso_store::backend_tests! {
    async fn a_job_is_claimed_once_taken_over_when_stale_and_failed_after_its_attempts(store) {
        store.seed_demo("hash", crate::now()).await.unwrap();
        let account = store.account_for_login("lan.noivu").await.unwrap().unwrap().0.id;
        let t0 = crate::now();
        let id = store.queue_job("ranking", "{}", "Bảng xếp hạng", account, t0).await.unwrap();
        // One server claims it; another finds nothing while the claim is fresh.
        let job = store.claim_job("a", t0).await.unwrap().expect("claimed");
        assert_eq!((job.id, job.status), (id, JobStatus::Running));
        assert!(store.claim_job("b", t0 + chrono::Duration::seconds(30)).await.unwrap().is_none());
        // Server "a" stops: after the stale time others take it over, up to the limit.
        let mut at = t0;
        for attempt in 2..=MAX_ATTEMPTS {
            at += STALE_CLAIM + chrono::Duration::seconds(1);
            let job = store.claim_job(&format!("s{attempt}"), at).await.unwrap().expect("taken over");
            assert_eq!(job.id, id);
        }
        // The last one stops too: the job fails instead of running a fourth time.
        at += STALE_CLAIM + chrono::Duration::seconds(1);
        assert!(store.claim_job("z", at).await.unwrap().is_none());
        let job = store.job(id).await.unwrap();
        assert_eq!((job.status, job.message.as_str()), (JobStatus::Failed, INTERRUPTED));
        // A job finished by its server is never claimed again.
        let other = store.queue_job("ranking", "{}", "Lần hai", account, at).await.unwrap();
        let job = store.claim_job("a", at).await.unwrap().unwrap();
        assert_eq!(job.id, other);
        store.finish_job(other, "a", Ok(("abc", "x.xlsx", "application/vnd")), at).await.unwrap();
        at += STALE_CLAIM * 3;
        assert!(store.claim_job("b", at).await.unwrap().is_none());
        assert_eq!(store.job(other).await.unwrap().status, JobStatus::Done);
    }
}
