//! Real `chiso serve` processes: the demo start, and two servers on one PostgreSQL.

use crate::chiso;
use crate::http::Session;
use crate::{Scratch, command};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A running server, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `chiso serve` on a free port and waits for its "serving on" line.
fn start(dir: &std::path::Path, db: &str, demo: bool) -> Server {
    let mut cmd = command(dir);
    cmd.args(["--db", db, "serve", "--addr", "127.0.0.1:0"]);
    if demo {
        cmd.arg("--demo");
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let mut seen = String::new();
    let addr = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("chiso exited before serving:\n{seen}"))
            .unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.strip_prefix("chiso is serving on http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

#[test]
fn serve_demo_answers_and_a_demo_login_works() {
    let s = Scratch::new("demo");
    let server = start(&s.0, &s.db_url(), true);
    let mut web = Session::new(&server.addr);
    assert_eq!(web.request("GET", "/healthz", None).body, "ok");
    let login = web.login("lan.noivu", "minhson2025");
    assert_eq!(login.status, 303, "{}", login.body);
    assert_eq!(login.header("location"), Some("/"));
    let home = web.request("GET", "/", None);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Xin chào, Nguyễn Thị Lan"));
    // The demo opens this year's self-assessment; Sở Nội vụ is one of the units.
    assert!(
        home.body
            .contains("Đánh giá Chỉ số CCHC các sở, ban, ngành (dữ liệu mẫu)"),
        "{}",
        home.body
    );
    // Last year's round is finished: every department's scores are final, some were lowered
    // with a reason, and this year's grid offers last year's figures.
    let council = web.request("GET", "/rounds/1/council", None);
    assert_eq!(council.status, 200, "{}", council.body);
    assert!(council.body.contains("năm 2024"));
    assert_eq!(council.body.matches("Đã chốt điểm").count(), 20);
    let round = web.request("GET", "/rounds/2", None);
    assert!(round.body.contains("Kế thừa từ đợt"), "{}", round.body);
    let link = round
        .body
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap_or(""))
        .find(|h| h.starts_with("/rounds/2/units/"))
        .expect("a unit link")
        .to_string();
    let grid = web.request("GET", &link, None);
    assert_eq!(grid.status, 200);
    assert!(grid.body.contains("class=\"last-year\""), "{}", grid.body);
    // Last year's results are ranked with their survey points; two plans are tracked.
    let results = web.request("GET", "/rounds/1/results", None);
    assert_eq!(results.status, 200, "{}", results.body);
    assert!(
        !results.body.contains("id=\"survey-missing\""),
        "{}",
        results.body
    );
    assert_eq!(results.body.matches("<td class=\"num rank\">").count(), 20);
    let plans = web.request("GET", "/plans", None);
    assert_eq!(plans.body.matches("/KH-UBND").count(), 2, "{}", plans.body);
    let reports = web.request("GET", "/reports", None);
    assert!(
        reports.body.contains("Báo cáo CCHC quý I/"),
        "{}",
        reports.body
    );
    let inspections = web.request("GET", "/inspections", None);
    assert!(
        inspections.body.contains("id=\"coverage\""),
        "{}",
        inspections.body
    );
    drop(server);
    // Every score event of the demo is in an intact ledger.
    let verify = chiso(&s.0, &["--db", &s.db_url(), "audit", "verify"]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn two_servers_on_one_postgres_share_logins() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = runtime.block_on(chiso_store::testing::TestDb::postgres()) else {
        return;
    };
    let s = Scratch::new("pg2");
    let a = start(&s.0, &db.url, true);
    let b = start(&s.0, &db.url, false);
    let mut web = Session::new(&a.addr);
    let login = web.login("lan.noivu", "minhson2025");
    assert_eq!(login.status, 303, "{}", login.body);
    // The same cookie, sent to the other server.
    let mut other = Session::new(&b.addr);
    other.cookies = web.cookies.clone();
    let page = other.request("GET", "/accounts", None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("lan.noivu"));
    drop(a);
    drop(b);
    runtime.block_on(db.finish());
}
