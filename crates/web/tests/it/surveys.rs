//! Surveys over HTTP: the public answer page opened by a token (no login), partial answers kept,
//! problems shown beside their question, one submission per token.

use crate::app::{Client, app};
use crate::web_tests;
use axum::http::StatusCode;
use chiso_store::Store;
use chiso_store::audit::By;
use chiso_store::rounds::RoundId;
use chiso_store::surveys::{CampaignStatus, NewCampaign, NewRespondent};

/// A citizens' questionnaire measuring sub-criterion 2.3 of the golden framework.
pub(crate) const CITIZENS: &str = r#"
code: nguoi-dan
version: 1
title: Phiếu khảo sát sự hài lòng của người dân
group: nguoi_dan
sections:
  - title: Thủ tục hành chính
    questions:
      - code: Q1
        text: Ông/bà hài lòng với việc giải quyết thủ tục hành chính?
        kind: choice
        required: true
        measures: "2.3"
        options:
          - { code: A, label: Rất hài lòng, weight: 100 }
          - { code: B, label: Hài lòng, weight: 60 }
          - { code: C, label: Chưa hài lòng, weight: 20 }
          - { code: D, label: Không hài lòng, weight: 0 }
      - code: Q2
        text: Công chức có hướng dẫn đầy đủ, một lần?
        kind: yes_no
        measures: "2.3"
      - code: Q3
        text: Số lần phải đi lại
        kind: number
        min: 0
        max: 20
      - code: Q4
        text: Góp ý
        kind: text
"#;

/// An open campaign of `round` with the citizens' questionnaire and respondents of `unit`
/// holding the given tokens.
pub(crate) async fn open_campaign(
    store: &Store,
    round: i64,
    unit: i64,
    tokens: &[&str],
    anonymous: bool,
) -> (i64, i64) {
    let q = chiso_core::survey::from_yaml(CITIZENS).unwrap();
    let by = By::system("mai");
    let now = chrono::Utc::now();
    let qid = store
        .add_questionnaire(
            &q.code,
            i64::from(q.version),
            &q.title,
            &q.group,
            &q.fingerprint(),
            CITIZENS,
            &by,
            now,
        )
        .await
        .unwrap();
    let setup = NewCampaign {
        round: RoundId(round),
        title: "Khảo sát hài lòng 2025".into(),
        anonymous,
        double_entry: false,
        group_weights: Default::default(),
        closes_on: None,
    };
    let c = store
        .create_campaign(&setup, &[("nguoi_dan".into(), qid)], &by, now)
        .await
        .unwrap();
    store
        .set_campaign_status(c, CampaignStatus::Open, &by, now)
        .await
        .unwrap();
    let people: Vec<NewRespondent> = tokens
        .iter()
        .map(|t| NewRespondent {
            unit: chiso_core::ids::UnitId(unit),
            group: "nguoi_dan".into(),
            token: t.to_string(),
            name: String::new(),
            position: String::new(),
            phone: String::new(),
            email: String::new(),
        })
        .collect();
    store.add_respondents(c, &people, &by, now).await.unwrap();
    (c, qid)
}

web_tests! {
    async fn a_respondent_answers_once_by_token_without_logging_in(db) {
        let (round, ids) = crate::results::finished_round(&db.store).await;
        let (c, _) = open_campaign(&db.store, round, ids[0], &["tok-abc-123"], true).await;
        let mut citizen = Client::new(app(db.store.clone()));
        let page = citizen.get("/s/tok-abc-123").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.count("#survey-form fieldset"), 4);
        assert_eq!(page.count("#q-Q1 input[type=radio]"), 4);
        assert_eq!(page.count("#q-Q2 input[type=radio]"), 2);
        assert_eq!(page.count("script"), 0, "no script on the answer page");
        // A partial answer is kept and shown again.
        let saved = citizen.post("/s/tok-abc-123", &[("q_Q2", "có"), ("action", "save")]).await;
        assert_eq!(saved.status, StatusCode::OK);
        assert_eq!(saved.count("#survey-saved"), 1);
        let again = citizen.get("/s/tok-abc-123").await;
        assert_eq!(again.count("#q-Q2 input[value=có][checked]"), 1);
        // Submitting without the required question, or with a number out of range: each problem
        // beside its question, nothing submitted.
        let bad = citizen.post("/s/tok-abc-123", &[("q_Q2", "có"), ("q_Q3", "99"), ("action", "submit")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.count("fieldset.has-problem"), 2);
        assert!(bad.text("#q-Q1 .problem").contains("bắt buộc"), "{}", bad.text("#q-Q1"));
        assert!(bad.text("#q-Q3 .problem").contains("99"), "{}", bad.text("#q-Q3"));
        assert!(db.store.responses(c).await.unwrap().is_empty());
        // Then a good submission, once.
        let ok = citizen.post("/s/tok-abc-123", &[("q_Q1", "B"), ("q_Q2", "có"), ("q_Q3", "2"), ("q_Q4", "Cần thêm ghế chờ"), ("action", "submit")]).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.text("#survey-heading").contains("Cảm ơn"));
        let stored = db.store.responses(c).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].answers.get("Q1").map(String::as_str), Some("B"));
        assert_eq!(stored[0].respondent, None, "anonymous");
        let twice = citizen.post("/s/tok-abc-123", &[("q_Q1", "A"), ("action", "submit")]).await;
        assert_ne!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.text("#survey-message").contains("đã được gửi"));
        assert_eq!(db.store.responses(c).await.unwrap().len(), 1);
        assert_eq!(citizen.get("/s/tok-abc-123").await.count("#survey-form"), 0);
        // An unknown token, and a closed campaign.
        assert_eq!(citizen.get("/s/khong-co").await.status, StatusCode::NOT_FOUND);
        let (c2, _) = open_campaign(&db.store, round, ids[1], &["tok-closed"], false).await;
        db.store.set_campaign_status(c2, CampaignStatus::Closed, &By::system("mai"), chrono::Utc::now()).await.unwrap();
        assert_eq!(citizen.get("/s/tok-closed").await.status, StatusCode::FORBIDDEN);
    }
}

web_tests! {
    async fn a_campaign_runs_from_respondent_list_to_points_without_typing_results(db) {
        let (round, ids) = crate::results::finished_round(&db.store).await;
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        assert_eq!(lan.get("/surveys").await.status, StatusCode::OK);
        // A questionnaire with a mistake is refused naming it; the good one is stored.
        let broken = CITIZENS.replace("weight: 60", "weight: 160");
        let refused = lan.upload("/surveys/questionnaires", "file", "nguoi-dan.yaml", broken.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text(".error-message").contains("nguoi-dan.yaml"), "{}", refused.text(".error-message"));
        assert!(refused.text(".error-message").contains("Q1"), "{}", refused.text(".error-message"));
        let stored = lan.upload("/surveys/questionnaires", "file", "nguoi-dan.yaml", CITIZENS.as_bytes()).await;
        assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
        let q_url = stored.location.clone().unwrap();
        let qid = q_url.rsplit('/').next().unwrap().to_string();
        let q_page = lan.get(&q_url).await;
        assert_eq!(q_page.count("#question-Q1"), 1);
        let xlsx = lan.get(&format!("{q_url}/file.xlsx")).await;
        assert!(xlsx.body.starts_with("PK"));

        // The campaign of the round: the citizens' questionnaire, anonymous, paper entered twice.
        let created = lan.post("/surveys/campaigns", &[("title", "Khảo sát hài lòng 2025"), ("round", &round.to_string()), (&format!("use_{qid}"), "1"), ("anonymous", "1"), ("double_entry", "1")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let c_url = created.location.clone().unwrap();
        let c: i64 = c_url.rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(lan.post(&format!("{c_url}/status"), &[("status", "open")]).await.status, StatusCode::SEE_OTHER);

        // Quotas for every unit of the round; the respondent list from CSV, a token each.
        let q = lan.upload_with(&format!("{c_url}/quotas"), &[("group", "nguoi_dan"), ("quota", "3")], "file", "", b"").await;
        assert_eq!(q.status, StatusCode::SEE_OTHER, "{}", q.body);
        let bad_list = "unit,group,name,phone,email\nSTP,nguoi_dan,Nguyễn Văn An,0912000001,an@example.vn\nXYZ,nguoi_dan,Lê Thị Bình,0912000002,binh\n";
        let refused = lan.upload(&format!("{c_url}/respondents"), "file", "danh-sach.csv", bad_list.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let msg = refused.text(".error-message");
        assert!(msg.contains("danh-sach.csv, dòng 3") && msg.contains("XYZ") && msg.contains("binh"), "{msg}");
        assert!(db.store.respondents(c).await.unwrap().is_empty(), "nothing stored");
        let list = "unit,group,name,phone,email\nSTP,nguoi_dan,Nguyễn Văn An,0912000001,an@example.vn\nSTP,nguoi_dan,Lê Thị Bình,0912000002,\n";
        assert_eq!(lan.upload(&format!("{c_url}/respondents"), "file", "danh-sach.csv", list.as_bytes()).await.status, StatusCode::SEE_OTHER);
        let people = db.store.respondents(c).await.unwrap();
        assert_eq!(people.len(), 2);
        assert_ne!(people[0].person.token, people[1].person.token);
        // The list again with one more person: only the newcomer is added.
        let longer = format!("{list}SNV,nguoi_dan,Phạm Văn Cường,0912000003,cuong@example.vn\n");
        assert_eq!(lan.upload(&format!("{c_url}/respondents"), "file", "danh-sach-2.csv", longer.as_bytes()).await.status, StatusCode::SEE_OTHER);
        assert_eq!(db.store.respondents(c).await.unwrap().len(), 3);
        assert_eq!(lan.upload(&format!("{c_url}/respondents"), "file", "danh-sach-2.csv", longer.as_bytes()).await.status, StatusCode::BAD_REQUEST);
        let people = db.store.respondents(c).await.unwrap();
        let qr = lan.get(&format!("{c_url}/qr")).await;
        assert_eq!(qr.count("#qr-slips .slip svg"), 3);
        let sms = lan.get(&format!("{c_url}/sms.csv")).await;
        assert!(sms.body.contains(&format!("/s/{}", people[0].person.token)), "{}", sms.body);

        // One answers on the web.
        let mut citizen = Client::new(app(db.store.clone()));
        let an = people.iter().find(|p| p.person.name == "Nguyễn Văn An").unwrap();
        assert_eq!(citizen.post(&format!("/s/{}", an.person.token), &[("q_Q1", "A"), ("q_Q2", "có"), ("action", "submit")]).await.status, StatusCode::OK);

        // A file from KoboToolbox with a bad row: refused whole, naming the row; then skipped.
        let file = "unit,group,respondent,Q1,Q2,Q3,Q4,_submission_time\nSTP,nguoi_dan,k1,B,có,1,,2025-12-01\nSTP,nguoi_dan,k2,E,không,0,,2025-12-01\nSNV,nguoi_dan,k3,C,không,3,Chậm,2025-12-02\n";
        let refused = lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan")], "file", "kobo.csv", file.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text(".error-message").contains("Dòng 3, cột Q1"), "{}", refused.text(".error-message"));
        assert_eq!(db.store.responses(c).await.unwrap().len(), 1, "nothing of the file stored");
        let skipped = lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan"), ("skip_bad_rows", "1")], "file", "kobo.csv", file.as_bytes()).await;
        assert_eq!(skipped.status, StatusCode::SEE_OTHER, "{}", skipped.body);
        assert_eq!(db.store.responses(c).await.unwrap().len(), 3);
        // The same file again is refused rather than counted twice.
        assert_eq!(lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan"), ("skip_bad_rows", "1")], "file", "kobo.csv", file.as_bytes()).await.status, StatusCode::BAD_REQUEST);

        // A newer export with one more form: only the new one is added.
        let newer = format!("{file}SCT,nguoi_dan,k4,A,có,0,,2025-12-03\n").replace("E,không", "A,không");
        assert_eq!(lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan")], "file", "kobo-2.csv", newer.as_bytes()).await.status, StatusCode::SEE_OTHER);
        assert_eq!(db.store.responses(c).await.unwrap().len(), 5, "k2 (fixed) and k4 are new; k1 and k3 were there");
        // An Excel export is read the same way.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in [["unit", "group", "respondent", "Q1", "Q2"], ["SCT", "nguoi_dan", "x1", "C", "không"]].iter().enumerate() {
            for (col, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, col as u16, *v).unwrap();
            }
        }
        let xlsx = book.save_to_buffer().unwrap();
        assert_eq!(lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan")], "file", "kobo.xlsx", &xlsx).await.status, StatusCode::SEE_OTHER);
        assert_eq!(db.store.responses(c).await.unwrap().len(), 6);
        // A renamed question column is a header problem: refused even when skipping bad rows.
        let renamed = "unit,group,respondent,Q1,Q2x\nSTP,nguoi_dan,k9,A,có\n";
        assert_eq!(lan.upload_with(&format!("{c_url}/responses"), &[("group", "nguoi_dan"), ("skip_bad_rows", "1")], "file", "kobo-3.csv", renamed.as_bytes()).await.status, StatusCode::BAD_REQUEST);

        // Paper forms, entered twice by different people: a difference is shown, agreement counts.
        let stp = ids[0].to_string();
        let mut mai = Client::new(app(db.store.clone()));
        mai.login_demo("mai.dieutra").await;
        assert_eq!(mai.get(&format!("{c_url}/paper")).await.count("#paper-form fieldset"), 4);
        let first = mai.post(&format!("{c_url}/paper"), &[("group", "nguoi_dan"), ("unit", &stp), ("reference", "P-001"), ("q_Q1", "A"), ("q_Q2", "có")]).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert!(first.text("#paper-outcome").contains("lần một"), "{}", first.text("#paper-outcome"));
        // The same typist again corrects her own first entry (form numbers ignore case).
        let again = mai.post(&format!("{c_url}/paper"), &[("group", "nguoi_dan"), ("unit", &stp), ("reference", "p-001"), ("q_Q1", "A"), ("q_Q2", "có")]).await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.text("#paper-outcome").contains("Đã sửa"), "{}", again.text("#paper-outcome"));
        assert_eq!(db.store.pending_paper_entries(c).await.unwrap(), 1);
        let differs = lan.post(&format!("{c_url}/paper"), &[("group", "nguoi_dan"), ("unit", &stp), ("reference", "P-001"), ("q_Q1", "B"), ("q_Q2", "có")]).await;
        assert_eq!(differs.status, StatusCode::CONFLICT);
        // Blind: the question is named, not what the first typist entered.
        assert_eq!(differs.texts("#paper-differences li"), ["Q1"]);
        let agreed = lan.post(&format!("{c_url}/paper"), &[("group", "nguoi_dan"), ("unit", &stp), ("reference", "P-001"), ("q_Q1", "A"), ("q_Q2", "có")]).await;
        assert_eq!(agreed.status, StatusCode::OK);
        assert!(agreed.text("#paper-outcome").contains("khớp"), "{}", agreed.text("#paper-outcome"));
        assert_eq!(db.store.responses(c).await.unwrap().len(), 7);

        // Progress against quotas, the aggregation with n and its interval.
        let page = lan.get(&c_url).await;
        assert_eq!(page.text("#campaign-total"), "7");
        assert!(page.count("#campaign-progress tr.short") >= 1, "units below their quota are marked");
        let stp_row = page.texts("#campaign-measures tbody tr").into_iter().find(|r| r.contains("Sở Tư pháp")).unwrap();
        assert!(stp_row.contains("2.3"), "{stp_row}");
        // Sở Tư pháp: web A+có, file B+có and A+không, paper A+có:
        // Q1 (100+60+100+100)/4 = 90, Q2 (100+100+0+100)/4 = 75 → 82,50 %.
        assert!(stp_row.contains("82,50 %"), "{stp_row}");

        // Points written into the round: 2 × 0,825 = 1,65 for Sở Tư pháp, with n = 4.
        let written = lan.post(&format!("{c_url}/points"), &[]).await;
        assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
        let points = db.store.survey_points(RoundId(round)).await.unwrap();
        let stp_points = points.iter().find(|p| p.unit.0 == ids[0] && p.node == "2.3").unwrap();
        assert_eq!((stp_points.points.to_string().as_str(), stp_points.sample_size), ("1.65", Some(4)));
        assert!(stp_points.source.contains("Khảo sát hài lòng 2025"));
        // The unit's results use them.
        let unit_page = lan.get(&format!("/rounds/{round}/results/units/{}", ids[0])).await;
        assert!(unit_page.body.contains("1,65"));
        // A focal point sees none of this.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get("/surveys").await.status, StatusCode::FORBIDDEN);
        assert_eq!(minh.post(&format!("{c_url}/points"), &[]).await.status, StatusCode::FORBIDDEN);
    }
}
