//! Surveys in storage: questionnaire versions, a campaign's phases, respondents answering once
//! (anonymously when asked), imports all-or-none, paper forms entered twice, the Ministry's list.

use chiso_store::StoreError;
use chiso_store::audit::By;
use chiso_store::rounds::RoundId;
use chiso_store::surveys::{
    Answers, CampaignStatus, NewCampaign, NewContact, NewRespondent, NewResponse, ResponseSource,
};

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

chiso_store::backend_tests! {
    async fn a_campaign_collects_each_respondent_once_and_imports_all_or_none(store) {
        let (round, stp) = crate::ledger::round(&store).await;
        let stp = chiso_core::ids::UnitId(stp);
        let by = By::system("mai");
        let q = store.add_questionnaire("lanh-dao-so", 1, "Phiếu lãnh đạo sở", "lanh_dao_so", "f1", "code: x", &by, crate::now()).await.unwrap();
        // The same version again is the same questionnaire; other content under it is refused.
        assert_eq!(store.add_questionnaire("lanh-dao-so", 1, "Phiếu lãnh đạo sở", "lanh_dao_so", "f1", "code: x", &by, crate::now()).await.unwrap(), q);
        assert!(matches!(store.add_questionnaire("lanh-dao-so", 1, "khác", "lanh_dao_so", "f2", "code: y", &by, crate::now()).await, Err(StoreError::Conflict(_))));
        let setup = NewCampaign {
            round: RoundId(round), title: "Điều tra XHH 2025".into(), anonymous: true, double_entry: true,
            group_weights: [("lanh_dao_so".to_string(), rust_decimal::Decimal::ONE)].into(), closes_on: None,
        };
        let c = store.create_campaign(&setup, &[("lanh_dao_so".into(), q)], &by, crate::now()).await.unwrap();
        let campaign = store.campaign(c).await.unwrap();
        assert_eq!((campaign.status, campaign.setup.clone(), campaign.questionnaires.clone()), (CampaignStatus::Draft, setup, vec![("lanh_dao_so".to_string(), q)]));
        assert!(matches!(store.set_campaign_status(c, CampaignStatus::Closed, &by, crate::now()).await, Err(StoreError::Conflict(_))), "a draft does not close");
        store.set_campaign_status(c, CampaignStatus::Open, &by, crate::now()).await.unwrap();
        store.set_quotas(c, &[(stp, "lanh_dao_so".into(), 30)], &by, crate::now()).await.unwrap();
        assert_eq!(store.campaign(c).await.unwrap().quotas, vec![(stp, "lanh_dao_so".to_string(), 30)]);

        let person = |token: &str| NewRespondent { unit: stp, group: "lanh_dao_so".into(), token: token.into(), name: "Nguyễn Văn A".into(), position: "Phó Giám đốc".into(), phone: "0912345678".into(), email: "a@example.vn".into() };
        store.add_respondents(c, &[person("tok-1"), person("tok-2")], &by, crate::now()).await.unwrap();
        assert!(store.add_respondents(c, &[person("tok-3"), person("tok-1")], &by, crate::now()).await.is_err(), "a repeated token refuses the whole list");
        assert_eq!(store.respondents(c).await.unwrap().len(), 2);
        let r1 = store.respondent_by_token("tok-1").await.unwrap();
        store.save_draft(r1.id, &answers(&[("Q1", "A")]), crate::now()).await.unwrap();
        store.save_draft(r1.id, &answers(&[("Q1", "B")]), crate::now()).await.unwrap();
        assert_eq!(store.draft(r1.id).await.unwrap(), Some(answers(&[("Q1", "B")])));
        store.submit_response(&r1, q, &answers(&[("Q1", "B"), ("Q2", "4")]), true, crate::now()).await.unwrap();
        assert!(matches!(store.submit_response(&r1, q, &answers(&[("Q1", "A")]), true, crate::now()).await, Err(StoreError::Conflict(_))), "once per token");
        assert!(matches!(store.save_draft(r1.id, &answers(&[("Q1", "A")]), crate::now()).await, Err(StoreError::Conflict(_))));
        assert_eq!(store.draft(r1.id).await.unwrap(), None);
        let stored = store.responses(c).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].respondent, stored[0].source, stored[0].answers.clone()), (None, ResponseSource::Web, answers(&[("Q1", "B"), ("Q2", "4")])), "anonymous: not linked back");
        assert!(store.respondent_by_token("tok-1").await.unwrap().submitted_at.is_some());

        // Imports: all or none; a repeated reference refuses the file.
        let form = |r: &str| NewResponse { questionnaire: q, unit: stp, group: "lanh_dao_so".into(), reference: r.into(), answers: answers(&[("Q1", "C")]) };
        assert_eq!(store.add_responses(c, &[form("k-1"), form("k-2")], ResponseSource::Import, &by, crate::now()).await.unwrap(), 2);
        assert!(matches!(store.add_responses(c, &[form("k-3"), form("k-1")], ResponseSource::Import, &by, crate::now()).await, Err(StoreError::Conflict(_))));
        assert_eq!(store.response_counts(c).await.unwrap()[&(stp, "lanh_dao_so".to_string())], 3);

        // Paper: first entry waits, the agreed second makes it a response, once.
        store.add_paper_entry(c, &form("p-7"), &by, crate::now()).await.unwrap();
        assert!(store.add_paper_entry(c, &form("p-7"), &by, crate::now()).await.is_err(), "entered once first");
        let first = store.paper_entry(c, "lanh_dao_so", "p-7").await.unwrap().unwrap();
        assert_eq!(store.pending_paper_entries(c).await.unwrap(), 1);
        store.confirm_paper_entry(c, first.id, &form("p-7"), &By::system("hoa"), crate::now()).await.unwrap();
        assert!(store.confirm_paper_entry(c, first.id, &form("p-7"), &By::system("hoa"), crate::now()).await.is_err());
        assert_eq!(store.pending_paper_entries(c).await.unwrap(), 0);
        assert_eq!(store.responses(c).await.unwrap().iter().filter(|r| r.source == ResponseSource::Paper).count(), 1);
        assert!(matches!(store.add_paper_entry(c, &form("p-7"), &by, crate::now()).await, Err(StoreError::Conflict(_))), "a form already counted");

        // The Ministry's list: replaced per year.
        let contact = NewContact { category: "department_leader".into(), unit: stp, full_name: "Trần Thị B".into(), position: "Giám đốc".into(), phone: "0987654321".into(), email: "b@example.vn".into() };
        store.set_contacts(2025, std::slice::from_ref(&contact), &by, crate::now()).await.unwrap();
        store.set_contacts(2025, &[contact.clone(), contact.clone()], &by, crate::now()).await.unwrap();
        assert_eq!(store.contacts(2025).await.unwrap().len(), 2);
        assert!(store.contacts(2024).await.unwrap().is_empty());
    }
}
