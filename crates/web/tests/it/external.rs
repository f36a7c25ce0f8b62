//! Published results of other bodies over HTTP: an import with bad rows stores nothing and
//! names every line; a good file gives a ranking with our province marked and its series over
//! two years; a workbook with the index and year chosen on the form; who may import.

use crate::app::{Client, Page, app};
use crate::web_tests;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chiso_core::external::IndexCode;

const SAMPLE: &[u8] = include_bytes!("../data/par-index-mau.csv");

/// Uploads a file with the form's other fields (`index`, `year`), as the page does.
async fn upload(
    client: &mut Client,
    filename: &str,
    content: &[u8],
    fields: &[(&str, &str)],
) -> Page {
    let boundary = "chisoboundaryExternal42";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let token = client.csrf.clone().unwrap_or_default();
    let cookies = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = Request::post(format!("/results/external/import?_csrf={token}"))
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    client.send(req).await
}

/// Posts the preview's confirm form as the browser would.
async fn confirm(client: &mut Client, preview: &Page) -> Page {
    let html = preview.html();
    let value = |sel: &str, attr: Option<&str>| {
        let s = scraper::Selector::parse(sel).unwrap();
        let e = html
            .select(&s)
            .next()
            .unwrap_or_else(|| panic!("{sel} in {}", preview.body));
        match attr {
            Some(a) => e.value().attr(a).unwrap_or_default().to_string(),
            None => e.text().collect::<String>(),
        }
    };
    let filename = value("#import-apply input[name=filename]", Some("value"));
    let csv = value("#import-apply textarea[name=csv]", None);
    client
        .post(
            "/results/external/import/apply",
            &[("filename", &filename), ("csv", &csv)],
        )
        .await
}

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("SIPAS 2023").unwrap();
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            match text.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r as u32, c as u16, n).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, *text).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

web_tests! {
    async fn a_file_with_bad_rows_is_refused_line_by_line_and_nothing_is_stored(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        let form = lan.get("/results/external/import").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(form.count("#import-form select[name=index] option"), 6);

        let csv = "chỉ số;năm;tỉnh;điểm\n\
                   PAR INDEX;2024;Minh Sơn;90,27\n\
                   PAR INDEX;2024;Lam Giang;chín mươi\n\
                   PAR INDEX;2024;Bắc Vọng;101\n\
                   PAR INDEX;2024;Tỉnh Minh Sơn;88\n\
                   GDP;2024;Vân Lĩnh;80\n\
                   PAR INDEX;2024;Phú Lâm;86,98\n";
        let page = upload(&mut lan, "loi.csv", csv.as_bytes(), &[]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(
            page.texts("#import-errors li"),
            vec![
                "Dòng 3, cột điểm: \"chín mươi\" không phải là số.",
                "Dòng 4, cột điểm: điểm 101 lớn hơn 100% (nếu thang điểm khác, ghi cột max — điểm tối đa).",
                "Dòng 5, cột tỉnh: \"Tỉnh Minh Sơn\" đã có ở dòng 2 cho cùng chỉ số và năm.",
                "Dòng 6, cột chỉ số: không nhận ra chỉ số \"GDP\"; dùng một trong: PAR_INDEX, SIPAS, PAPI, PCI, DTI.",
            ]
        );
        assert!(page.text("#import-errors h2").contains("loi.csv"));
        assert_eq!(page.count("#import-apply"), 0);

        // A file without an index or year column, and nothing chosen on the form.
        let page = upload(&mut lan, "thieu.csv", b"name,value\nMinh S\xc6\xa1n,80\n", &[("index", ""), ("year", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.count("#import-errors li"), 2);
        assert!(page.text("#import-errors").contains("hãy chọn chỉ số trên biểu mẫu"), "{}", page.body);
        let page = upload(&mut lan, "nam.csv", b"name,value\nA,80\n", &[("index", "PCI"), ("year", "hai nghìn")]).await;
        assert_eq!(page.texts("#import-errors li"), vec!["Năm không hợp lệ; ghi năm bằng 4 chữ số, ví dụ 2024."]);

        assert!(db.store.external_sets().await.unwrap().is_empty());
        let results = lan.get("/results/external").await;
        assert_eq!(results.status, StatusCode::OK);
        assert_eq!(results.count("#external-empty"), 1);
        assert_eq!(results.count("#external-ranking"), 0);
    }

    async fn a_good_file_ranks_the_provinces_marks_ours_and_follows_it_over_two_years(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        lan.get("/results/external/import").await;
        let preview = upload(&mut lan, "par-index-mau.csv", SAMPLE, &[]).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(preview.count("#import-errors"), 0);
        // The extra columns are named, not silently dropped.
        assert_eq!(preview.texts("#import-ignored code"), vec!["STT", "Ghi chú"]);
        assert_eq!(
            preview.texts(".preview-set h3"),
            vec!["Chỉ số CCHC (PAR INDEX) 2023 — 10 dòng", "Chỉ số CCHC (PAR INDEX) 2024 — 10 dòng"]
        );
        assert_eq!(preview.count(".preview-set tbody tr"), 20);
        // 2024 gives no ranks: computed high → low, marked as computed.
        let first_2024: Vec<String> = preview.texts(".preview-set:nth-of-type(2) tbody tr:first-child td");
        assert_eq!(first_2024, vec!["21", "1*", "Đông Lĩnh", "95,84"]);
        assert!(db.store.external_sets().await.unwrap().is_empty(), "a preview stores nothing");

        let stored = confirm(&mut lan, &preview).await;
        assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
        assert_eq!(stored.location.as_deref(), Some("/results/external?index=PAR_INDEX&year=2024"));
        let audit = db.store.audit_entries(&chiso_store::audit::Filter { entity: Some("external_results".into()), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(audit.len(), 2);
        assert_eq!(audit[0].actor, "lan.noivu");

        let page = lan.get("/results/external?index=PAR_INDEX&year=2024").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.text("#external-heading"), "Chỉ số CCHC (PAR INDEX) — năm 2024");
        assert!(page.text("#external-source").contains("par-index-mau.csv"));
        assert_eq!(page.count("#external-ranking tbody tr"), 10);
        // Our province (the units table's "Tỉnh Minh Sơn") is the file's "Minh Sơn".
        assert_eq!(page.count("#external-ranking tr.ours"), 1);
        assert_eq!(page.texts("#external-ranking tr.ours td"), vec!["3*", "Minh Sơn tỉnh của bạn", "90,27"]);
        assert_eq!(page.text("#external-position .num"), "3/10");
        // Mean 88,427 → 88,43; five provinces are above it.
        assert_eq!(page.text("#external-mean .num"), "88,43");
        assert!(page.text("#external-mean").contains("5/10"), "{}", page.text("#external-mean"));
        assert!(page.text("#external-position").contains("cao hơn trung bình 1,84"), "{}", page.text("#external-position"));
        // The series: 7th in 2023, 3rd in 2024.
        assert_eq!(page.count("#external-series tbody tr"), 2);
        assert_eq!(
            page.texts("#external-series tbody tr:nth-child(1) td"),
            vec!["2023", "85,64", "", "7/10", ""]
        );
        assert_eq!(
            page.texts("#external-series tbody tr:nth-child(2) td"),
            vec!["2024", "90,27", "+4,63", "3/10", "tăng 4 bậc (so với 2023)"]
        );
        assert_eq!(page.count("#external-series tr.current"), 1);
        // The chart: a JSON island read by charts.js, no inline script.
        assert_eq!(page.count("canvas[data-chart=external-chart-data][role=img][aria-label]"), 1);
        let island = page.text("script#external-chart-data");
        let config: serde_json::Value = serde_json::from_str(&island).unwrap();
        assert_eq!(config["data"]["labels"], serde_json::json!(["2023", "2024"]));
        assert_eq!(config["data"]["datasets"][0]["data"], serde_json::json!([85.64, 90.27]));
        assert_eq!(config["data"]["datasets"][1]["data"], serde_json::json!([7, 3]));
        assert_eq!(config["options"]["scales"]["rank"]["reverse"], serde_json::json!(true));
        assert!(page.body.contains("/static/chart.umd.min.js?v=4.6.1"));
        assert_eq!(page.count("script:not([src]):not([type=\"application/json\"])"), 0);

        // The year before, chosen from the form; the year select lists both.
        let before = lan.get("/results/external?index=PAR_INDEX&year=2023").await;
        assert_eq!(before.texts("#year option"), vec!["2024", "2023"]);
        assert_eq!(before.text("#year option[selected]"), "2023");
        assert_eq!(before.texts("#external-ranking tr.ours td"), vec!["7", "Minh Sơn tỉnh của bạn", "85,64"]);
        assert!(before.text("#external-position").contains("thấp hơn trung bình 1,31"), "{}", before.text("#external-position"));

        // Importing 2024 again replaces it, and the preview says what it replaces.
        let again = "index,year,name,value\nPAR_INDEX,2024,Minh Sơn,91\nPAR_INDEX,2024,Đông Lĩnh,95.84\n";
        let preview = upload(&mut lan, "2024-sua.csv", again.as_bytes(), &[]).await;
        let note = preview.text(".preview-set .replaces");
        assert!(note.starts_with("Thay thế 10 dòng đã nhập từ par-index-mau.csv"), "{note}");
        assert!(note.contains("Thêm: 0 · Thay đổi: 1 · Giữ nguyên: 1 · Bỏ (không còn trong tệp): Hòa Phong, Lam Giang, Vân Lĩnh, Bắc Vọng, Phú Lâm, Cẩm Hà, Nam Thạch, Tây Nguyệt"), "{note}");
        assert_eq!(confirm(&mut lan, &preview).await.status, StatusCode::SEE_OTHER);
        assert_eq!(db.store.external_table(IndexCode::ParIndex, 2024).await.unwrap().len(), 2);
        assert_eq!(db.store.external_table(IndexCode::ParIndex, 2023).await.unwrap().len(), 10);
    }

    async fn a_workbook_takes_its_index_and_year_from_the_form(db) {
        let mut lan = Client::new(app(db.store.clone()));
        lan.login_demo("lan.noivu").await;
        lan.get("/results/external/import").await;
        let bad = workbook(&[&["Tỉnh", "Điểm"], &["Tỉnh Minh Sơn", "82.66"], &["Lam Giang", "tám mươi"]]);
        let page = upload(&mut lan, "sipas.xlsx", &bad, &[("index", "SIPAS"), ("year", "2023")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(
            page.texts("#import-errors li"),
            vec!["Trang tính \"SIPAS 2023\", dòng 3, cột B (Điểm): \"tám mươi\" không phải là số."]
        );
        // The form keeps what was chosen.
        assert_eq!(page.text("#import-form select[name=index] option[selected]"), "Chỉ số hài lòng (SIPAS)");

        let good = workbook(&[&["Tỉnh", "Điểm"], &["Tỉnh Minh Sơn", "82.66"], &["Lam Giang", "84.1"], &["Bắc Vọng", "80"]]);
        let preview = upload(&mut lan, "sipas.xlsx", &good, &[("index", "SIPAS"), ("year", "2023")]).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(preview.text(".preview-set .replaces"), "Chưa có số liệu của chỉ số và năm này: tất cả là dòng mới.");
        assert_eq!(confirm(&mut lan, &preview).await.location.as_deref(), Some("/results/external?index=SIPAS&year=2023"));
        let page = lan.get("/results/external?index=SIPAS").await;
        assert_eq!(page.texts("#external-ranking tr.ours td"), vec!["2*", "Tỉnh Minh Sơn tỉnh của bạn", "82,66"]);
        // One year only: no change to show yet.
        assert_eq!(
            page.texts("#external-series tbody td"),
            vec!["2023", "82,66", "", "2/3", ""]
        );
        // In English the figures use a decimal point.
        lan.get("/lang/en").await;
        let en = lan.get("/results/external?index=SIPAS").await;
        assert_eq!(en.texts("#external-ranking tr.ours td"), vec!["2*", "Tỉnh Minh Sơn your province", "82.66"]);
    }

    async fn viewers_see_the_results_but_cannot_import(db) {
        let file = chiso_core::external::parse_csv(SAMPLE, &Default::default()).unwrap();
        db.store.import_external_results(&file, "par-index-mau.csv", &chiso_store::audit::By::system("test"), chrono::Utc::now()).await.unwrap();

        let mut thang = Client::new(app(db.store.clone()));
        thang.login_demo("thang.ubnd").await;
        let page = thang.get("/results/external").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.texts("#external-ranking tr.ours td")[0], "3*");
        assert_eq!(page.count("#external-import-link"), 0);
        assert_eq!(thang.get("/results/external/import").await.status, StatusCode::FORBIDDEN);
        let refused = upload(&mut thang, "par-index-mau.csv", SAMPLE, &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = thang
            .post("/results/external/import/apply", &[("filename", "x.csv"), ("csv", "index,year,name,value\nPCI,2024,A,60\n")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(db.store.external_table(IndexCode::Pci, 2024).await.unwrap().is_empty());

        // A department's focal point does not see province-wide results.
        let mut minh = Client::new(app(db.store.clone()));
        minh.login_demo("minh.tuphap").await;
        assert_eq!(minh.get("/results/external").await.status, StatusCode::FORBIDDEN);
    }
}
