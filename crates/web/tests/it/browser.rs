//! End-to-end in headless Chromium (Debian's `chromium` and `chromium-driver`), through
//! fantoccini. Skips when chromedriver is missing unless `CHISO_REQUIRE_BROWSER` is set (CI).
//! Screenshots of each step go to `target/screenshots/` (or `CHISO_SCREENSHOT_DIR`) for the
//! user guide.

use crate::app::demo_store;
use chiso_store::testing::TestDb;
use chiso_web::AppState;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

fn browser_required() -> bool {
    std::env::var("CHISO_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

fn screenshot_dir() -> PathBuf {
    std::env::var_os("CHISO_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
        })
}

/// A running chromedriver and a browser session, closed on drop of the process.
struct Browser {
    client: Client,
    driver: tokio::process::Child,
    shots: PathBuf,
}

impl Browser {
    async fn start() -> Option<Browser> {
        let (Some(driver), Some(chromium)) = (
            find_program(&["chromedriver"]),
            find_program(&["chromium", "chromium-browser"]),
        ) else {
            if browser_required() {
                panic!("CHISO_REQUIRE_BROWSER is set but chromium/chromedriver are not installed");
            }
            eprintln!(
                "SKIPPED: chromium or chromedriver not found; install Debian's chromium and chromium-driver, or set CHISO_REQUIRE_BROWSER=1 to fail"
            );
            return None;
        };
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = tokio::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let profile = std::env::temp_dir().join(format!("chiso-chrome-{port}"));
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let mut last_err = String::new();
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let shots = screenshot_dir();
                    std::fs::create_dir_all(&shots).unwrap();
                    return Some(Browser {
                        client,
                        driver: child,
                        shots,
                    });
                }
                Err(e) => {
                    last_err = e.to_string();
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("chromedriver did not start a session: {last_err}");
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self.client.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    async fn wait(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    async fn text(&self, css: &str) -> String {
        self.wait(css).await.text().await.unwrap()
    }

    async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }
}

async fn login(b: &Browser, base: &str, username: &str, password: &str) {
    b.client.goto(&format!("{base}/login")).await.unwrap();
    b.fill("#username", username).await;
    b.fill("#password", password).await;
    b.click("#login-form button[type=submit]").await;
}

/// The real server on a free port over a demo database.
struct Served {
    base: String,
    db: TestDb,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    async fn start() -> Served {
        let db = TestDb::sqlite().await;
        demo_store(&db).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(db.store.clone(), crate::app::test_config()).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(chiso_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Served {
            base,
            db,
            stop,
            server,
        }
    }

    async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        self.db.finish().await;
    }
}

#[tokio::test]
async fn admin_creates_an_account_that_must_change_its_password() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let db = &served.db;

    // The admin signs in with a demo account listed on the login page.
    b.client.goto(&format!("{base}/login")).await.unwrap();
    b.wait("#demo-logins").await;
    b.shot("01-dang-nhap").await;
    login(&b, &base, "lan.noivu", chiso_core::demo::PASSWORD).await;
    assert_eq!(b.text("#dashboard-title").await, "Xin chào, Nguyễn Thị Lan");
    assert_eq!(b.text("#count-communes").await, "40");
    b.shot("02-tong-quan-quan-tri").await;

    // Units list with a live search.
    b.client.goto(&format!("{base}/units")).await.unwrap();
    b.fill("#q", "tan lap").await;
    b.client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//tbody[@id='unit-rows']//a[text()='Xã Tân Lập']",
        ))
        .await
        .expect("the search finds Xã Tân Lập without accents typed");
    b.shot("03-don-vi-tim-kiem").await;

    // She creates an account for a new focal point.
    b.client
        .goto(&format!("{base}/accounts/new"))
        .await
        .unwrap();
    b.fill("#username", "nam.tuphap").await;
    b.fill("#full_name", "Hồ Văn Nam").await;
    b.fill("#title", "Chuyên viên Phòng Xây dựng và Kiểm tra văn bản")
        .await;
    let stp = db
        .store
        .unit_by_code("STP")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    b.client
        .find(Locator::Css("#unit_id"))
        .await
        .unwrap()
        .select_by_value(&stp)
        .await
        .unwrap();
    b.click("#role-focal_point").await;
    b.fill("#fields", "2").await;
    b.shot("04-tao-tai-khoan").await;
    b.click("#account-form button[type=submit]").await;
    let otp = b.text("#one-time-password").await;
    assert_eq!(otp.len(), 14, "one-time password: {otp}");
    b.shot("05-mat-khau-mot-lan").await;
    b.click("#logout").await;
    b.wait("#login-form").await;

    // The new account is sent to the password form first.
    login(&b, &base, "nam.tuphap", &otp).await;
    b.wait("#must-change").await;
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/account/password")
    );
    b.shot("06-doi-mat-khau-lan-dau").await;
    b.fill("#current", &otp).await;
    b.fill("#new", "Sông Hồng chảy mãi").await;
    b.fill("#repeat", "Sông Hồng chảy mãi").await;
    b.click("#password-form button[type=submit]").await;
    assert_eq!(b.text("#dashboard-title").await, "Xin chào, Hồ Văn Nam");
    assert!(b.text(".flash").await.starts_with("Đã đổi mật khẩu"));
    b.shot("07-tong-quan-can-bo-dau-moi").await;

    b.close().await;
    served.finish().await;
}

#[tokio::test]
async fn a_framework_with_an_error_is_refused_on_its_row_then_imported_when_fixed() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let good_yaml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap();
    let good = chiso_core::framework::yaml::from_yaml(&good_yaml).unwrap();
    let mut bad = good.clone();
    bad.fields[0].children[0].children[0].max = chiso_core::framework::Points::parse("1,5");
    let dir = std::env::temp_dir().join(format!("chiso-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_path = dir.join("bo-chi-so-so.xlsx");
    let good_path = dir.join("bo-chi-so-da-sua.xlsx");
    std::fs::write(
        &bad_path,
        chiso_reports::framework_xlsx::write(&bad).unwrap(),
    )
    .unwrap();
    std::fs::write(
        &good_path,
        chiso_reports::framework_xlsx::write(&good).unwrap(),
    )
    .unwrap();

    login(&b, &base, "lan.noivu", chiso_core::demo::PASSWORD).await;
    b.wait("#dashboard-title").await;
    b.client
        .goto(&format!("{base}/frameworks/import"))
        .await
        .unwrap();
    b.client
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&bad_path.display().to_string())
        .await
        .unwrap();
    b.click("#import-form button[type=submit]").await;
    let errors = b.text("#import-errors").await;
    // 1.1.1 is on row 4 of the sheet; its parent 1.1 on row 3 no longer adds up.
    assert!(
        errors.contains("dòng 4: 1.1.1: không mức nào cho đủ điểm tối đa"),
        "{errors}"
    );
    assert!(
        errors.contains("dòng 3: 1.1: điểm tối đa 2 nhưng các tiêu chí con cộng lại 2,5"),
        "{errors}"
    );
    b.shot("08-nhap-bo-chi-so-bao-loi").await;
    assert!(served.db.store.list_frameworks().await.unwrap().is_empty());

    b.client
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&good_path.display().to_string())
        .await
        .unwrap();
    b.click("#import-form button[type=submit]").await;
    assert_eq!(
        b.text("#import-decision").await,
        "Bộ chỉ số mới, chưa có phiên bản nào được lưu."
    );
    b.shot("09-nhap-bo-chi-so-xem-truoc").await;
    b.click("#import-apply button[type=submit]").await;
    b.wait("#framework-tree").await;
    assert_eq!(b.text(".flash").await, "Đã lưu bộ chỉ số.");
    b.shot("10-bo-chi-so").await;
    assert_eq!(served.db.store.list_frameworks().await.unwrap().len(), 1);

    // Editing in place: a wrong maximum is reported while typing, before any save.
    let id = served.db.store.list_frameworks().await.unwrap()[0].id;
    b.client
        .goto(&format!("{base}/frameworks/{id}/edit"))
        .await
        .unwrap();
    b.wait("#edit-ok").await;
    b.fill("#max-1\\.1", "2,5").await;
    let problems = b.text("#edit-problem-list").await;
    assert!(
        problems.contains("1.1: điểm tối đa 2,5 nhưng các tiêu chí con cộng lại 2"),
        "{problems}"
    );
    b.shot("11-sua-bo-chi-so-kiem-tra-khi-go").await;
    b.fill("#max-1\\.1", "2").await;
    b.wait("#edit-ok").await;

    let _ = std::fs::remove_dir_all(&dir);
    b.close().await;
    served.finish().await;
}

#[tokio::test]
async fn a_focal_point_scores_an_item_and_sees_the_computed_points() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let store = &served.db.store;
    let (r, stp) = crate::app::stp_round(store, 20).await;

    login(&b, &base, "minh.tuphap", chiso_core::demo::PASSWORD).await;
    b.wait("#dashboard-title").await;
    b.client
        .goto(&format!("{base}/rounds/{r}/units/{stp}"))
        .await
        .unwrap();
    b.fill("#item-2\\.1 input[name=numerator]", "412").await;
    b.fill("#item-2\\.1 input[name=denominator]", "430").await;
    b.click("#item-2\\.1 button[type=submit]").await;
    // htmx swaps the item in place with the computed score.
    let found = b
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//article[@id='item-2.1']//span[@class='score' and text()='1,9163']",
        ))
        .await;
    if let Err(e) = found {
        b.shot("12-tu-cham-diem-loi").await;
        let src = b.client.source().await.unwrap_or_default();
        let start = src.find("item-2.1").unwrap_or(0);
        panic!(
            "the computed score did not appear ({e}): {}",
            &src[start..(start + 3000).min(src.len())]
        );
    }
    b.shot("12-tu-cham-diem").await;
    assert_eq!(
        store
            .self_entry(r, stp, "2.1")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    b.close().await;
    served.finish().await;
}

/// Signs out whoever is signed in, then signs in `username`.
async fn switch_to(b: &Browser, base: &str, username: &str) {
    b.client.goto(&format!("{base}/")).await.unwrap();
    if b.client.find(Locator::Css("#logout")).await.is_ok() {
        b.click("#logout").await;
        b.wait("#login-form").await;
    }
    login(b, base, username, chiso_core::demo::PASSWORD).await;
    b.wait("#dashboard-title").await;
}

/// Waits until an element's text contains `expected`.
async fn wait_text(b: &Browser, css: &str, expected: &str) {
    for _ in 0..50 {
        if let Ok(e) = b.client.find(Locator::Css(css)).await
            && e.text().await.unwrap_or_default().contains(expected)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = b.text(css).await;
    panic!("{css} never showed {expected:?}; it shows {got:?}");
}

async fn next_phase(b: &Browser, base: &str, round: i64, expected: &str) {
    b.client
        .goto(&format!("{base}/rounds/{round}"))
        .await
        .unwrap();
    b.click("#phase-next button").await;
    wait_text(b, "#round-phase", expected).await;
}

#[tokio::test]
async fn a_whole_round_declare_evidence_submit_appraise_explain_settle() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let store = &served.db.store;
    let (r, stp) = crate::app::stp_round(store, 20).await;
    let grid = format!("{base}/rounds/{r}/units/{stp}");
    let pdf = std::env::temp_dir().join(format!("bao-cao-{}.pdf", std::process::id()));
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").unwrap();

    // The focal point declares figures and attaches the report.
    switch_to(&b, &base, "minh.tuphap").await;
    b.client.goto(&grid).await.unwrap();
    b.fill("#item-2\\.1 input[name=numerator]", "412").await;
    b.fill("#item-2\\.1 input[name=denominator]", "430").await;
    b.click("#item-2\\.1 form button[type=submit]").await;
    wait_text(&b, "#item-2\\.1 .score", "1,9163").await;
    b.click("#item-2\\.1 details.upload summary").await;
    b.wait("#item-2\\.1 details.upload input[type=file]")
        .await
        .send_keys(pdf.to_str().unwrap())
        .await
        .unwrap();
    b.fill(
        "#item-2\\.1 details.upload input[name=doc_number]",
        "12/BC-STP",
    )
    .await;
    b.click("#item-2\\.1 details.upload button[type=submit]")
        .await;
    wait_text(&b, "#item-2\\.1 ul.docs", "12/BC-STP").await;
    b.shot("13-tu-danh-gia-tai-lieu").await;

    // The leader approves and submits.
    switch_to(&b, &base, "hoa.tuphap").await;
    b.client.goto(&grid).await.unwrap();
    b.click("#submit-form button").await;
    wait_text(&b, "#unit-state", "Đã gửi").await;

    // Round 1: the chair corrects the figures, says why and asks for an explanation.
    switch_to(&b, &base, "lan.noivu").await;
    next_phase(&b, &base, r, "Thẩm định lần 1").await;
    switch_to(&b, &base, "hung.hoidong").await;
    b.client.goto(&grid).await.unwrap();
    b.fill("#item-2\\.1 form.appraise input[name=numerator]", "400")
        .await;
    b.fill(
        "#item-2\\.1 form.appraise textarea[name=reason]",
        "Cổng DVC ghi nhận 400 hồ sơ đúng hạn",
    )
    .await;
    b.wait("#item-2\\.1 form.appraise select[name=ask]")
        .await
        .select_by_value("explanation")
        .await
        .unwrap();
    b.click("#item-2\\.1 form.appraise button").await;
    wait_text(&b, "#item-2\\.1 .appraisal-1", "1,8605").await;
    b.shot("14-tham-dinh-lan-1").await;
    b.click("#conclude-1-form button").await;
    wait_text(&b, "#unit-state", "Đã thẩm định lần 1").await;

    // The unit explains; the leader sends the explanations.
    switch_to(&b, &base, "lan.noivu").await;
    next_phase(&b, &base, r, "Giải trình").await;
    switch_to(&b, &base, "minh.tuphap").await;
    b.client.goto(&grid).await.unwrap();
    b.fill(
        "#item-2\\.1 .answer textarea[name=answer]",
        "12 hồ sơ liên thông được tính đúng hạn",
    )
    .await;
    b.click("#item-2\\.1 .answer button").await;
    wait_text(&b, "#item-2\\.1 .answer .ok-note", "Đã lưu").await;
    b.shot("15-giai-trinh").await;
    switch_to(&b, &base, "hoa.tuphap").await;
    b.client.goto(&grid).await.unwrap();
    b.click("#explain-form button").await;
    wait_text(&b, "#unit-state", "Đã giải trình").await;

    // Round 2 accepts the explanation and settles the score.
    switch_to(&b, &base, "lan.noivu").await;
    next_phase(&b, &base, r, "Thẩm định lần 2").await;
    switch_to(&b, &base, "hung.hoidong").await;
    b.client.goto(&grid).await.unwrap();
    b.fill("#item-2\\.1 form.appraise input[name=numerator]", "412")
        .await;
    b.fill(
        "#item-2\\.1 form.appraise textarea[name=reason]",
        "Chấp nhận giải trình",
    )
    .await;
    b.click("#item-2\\.1 form.appraise button").await;
    wait_text(&b, "#item-2\\.1 .appraisal-2", "1,9163").await;
    b.click("#conclude-2-form button").await;
    wait_text(&b, "#item-2\\.1 .final", "1,9163").await;
    b.shot("16-chot-diem").await;

    // The history shows every step.
    b.client
        .goto(&format!("{grid}/items/2.1/history"))
        .await
        .unwrap();
    b.wait("#history").await;
    let rows = b
        .client
        .find_all(Locator::Css("#history tbody tr"))
        .await
        .unwrap();
    let mut kinds = Vec::new();
    for row in rows {
        kinds.push(
            row.find(Locator::Css("td:nth-child(4)"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        kinds,
        [
            "Tự chấm",
            "Thẩm định lần 1",
            "Giải trình",
            "Thẩm định lần 2",
            "Chốt điểm"
        ]
    );
    b.shot("17-lich-su-diem").await;
    let _ = std::fs::remove_file(&pdf);
    b.close().await;
    served.finish().await;
}

#[tokio::test]
async fn a_leader_ranks_sorts_opens_a_unit_and_runs_a_what_if() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let (r, ids) = crate::results::finished_round(&served.db.store).await;

    // The vice-chair opens the results from the menu.
    login(&b, &base, "thang.ubnd", chiso_core::demo::PASSWORD).await;
    b.wait("#dashboard-title").await;
    b.client.goto(&format!("{base}/results")).await.unwrap();
    b.click(&format!("#result-rounds a[href='/rounds/{r}/results']"))
        .await;
    b.wait("#ranking-table").await;
    wait_text(&b, "#ranking-table tbody tr:first-child td.rank", "1").await;
    // The distribution chart is drawn by the vendored Chart.js under the page's CSP.
    b.wait("canvas[data-chart='distribution-chart'][data-drawn]")
        .await;
    b.shot("20-ket-qua-xep-hang").await;
    // Sort by name.
    b.click("#sort-name").await;
    wait_text(
        &b,
        "#ranking-table tbody tr:first-child td:nth-child(2)",
        "Sở Công Thương",
    )
    .await;
    // Open Sở Nội vụ (rank 2 of 4) and try raising two items.
    b.click(&format!("#rank-{} td a", ids[1])).await;
    wait_text(&b, "#unit-rank", "2/4").await;
    b.wait("canvas[data-chart='radar-chart'][data-drawn]").await;
    b.fill("#p-1\\.1\\.1", "1").await;
    b.fill("#p-1\\.2", "2").await;
    b.click("#what-if-run").await;
    wait_text(&b, "#what-if-result .what-if-index", "78,00").await;
    assert_eq!(b.text("#what-if-result .what-if-rank").await, "2/4");
    b.shot("21-ket-qua-gia-dinh").await;
    b.close().await;
    served.finish().await;
}

#[tokio::test]
async fn a_citizen_answers_on_a_phone_once_and_the_points_follow() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let served = Served::start().await;
    let base = served.base.clone();
    let (r, ids) = crate::results::finished_round(&served.db.store).await;
    let (c, _) =
        crate::surveys::open_campaign(&served.db.store, r, ids[0], &["phone-token-1"], true).await;

    // A phone-sized window, no login: the link from the SMS.
    b.client.set_window_size(390, 844).await.unwrap();
    b.client
        .goto(&format!("{base}/s/phone-token-1"))
        .await
        .unwrap();
    b.wait("#survey-form").await;
    b.shot("30-khao-sat-dien-thoai").await;
    // The options are large enough to tap, and nothing scrolls sideways.
    let width: f64 = b
        .client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(
        width <= 390.0,
        "the page is {width}px wide on a 390px screen"
    );
    b.click("#q-Q1 input[value='A']").await;
    b.click("#q-Q2 input[value='có']").await;
    b.fill("#q-Q4 textarea", "Cán bộ hướng dẫn tận tình").await;
    b.click("#survey-submit").await;
    wait_text(&b, "#survey-heading", "Cảm ơn ông/bà").await;
    // The same link again: thanked, no form to send twice.
    b.client
        .goto(&format!("{base}/s/phone-token-1"))
        .await
        .unwrap();
    wait_text(
        &b,
        "#survey-message",
        "Phiếu của liên kết này đã được gửi; mỗi liên kết chỉ gửi một lần.",
    )
    .await;
    assert!(b.client.find(Locator::Css("#survey-form")).await.is_err());
    assert_eq!(served.db.store.responses(c).await.unwrap().len(), 1);

    // The PAR officer writes the campaign's points into the round: Sở Tư pháp's 2.3 follows.
    b.client.set_window_size(1280, 900).await.unwrap();
    login(&b, &base, "lan.noivu", chiso_core::demo::PASSWORD).await;
    b.wait("#dashboard-title").await;
    b.client
        .goto(&format!("{base}/surveys/campaigns/{c}"))
        .await
        .unwrap();
    b.wait("#campaign-measures").await;
    b.click("#points-form button").await;
    // The click posts and the browser follows the redirect: wait for the points to land.
    let mut stp = None;
    for _ in 0..50 {
        let points = served
            .db
            .store
            .survey_points(chiso_store::rounds::RoundId(r))
            .await
            .unwrap();
        stp = points
            .into_iter()
            .find(|p| p.unit.0 == ids[0] && p.node == "2.3");
        if stp.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stp = stp.expect("the unit's survey points");
    // One form: A (100 %) and yes (100 %) → 2 × 1 = 2 points, n = 1.
    assert_eq!(
        (stp.points.to_string().as_str(), stp.sample_size),
        ("2", Some(1))
    );
    b.close().await;
    served.finish().await;
}
