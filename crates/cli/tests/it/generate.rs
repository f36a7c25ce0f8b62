//! `chiso demo generate`: a small dataset end to end — counts, results pages, a focal point
//! saving a score in the open round, an intact ledger, the same data for the same seed.

use crate::http::Session;
use crate::{Scratch, chiso, command, stderr, stdout};
use chiso_core::round::phase::Phase;
use chiso_core::round::workflow::UnitState;
use chiso_core::units::UnitType;
use chiso_store::{ConnectOptions, Store};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

const ARGS: [&str; 14] = [
    "demo",
    "generate",
    "--communes",
    "30",
    "--years",
    "2",
    "--responses",
    "500",
    "--focal",
    "10",
    "--seed",
    "7",
    "--today",
    "2026-11-25",
];

fn generate(s: &Scratch, db: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--db", db];
    args.extend(ARGS);
    args.extend(extra);
    chiso(&s.0, &args)
}

/// The "ledger head: …" line of the summary.
fn head_line(out: &str) -> String {
    out.lines()
        .find(|l| l.trim_start().starts_with("ledger head:"))
        .unwrap_or_else(|| panic!("no ledger head in:\n{out}"))
        .trim()
        .to_string()
}

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

fn serve(dir: &std::path::Path, db: &str) -> Server {
    let mut child = command(dir)
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("chiso exited before serving").unwrap();
        if let Some(rest) = line.strip_prefix("chiso is serving on http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

#[test]
fn a_small_national_dataset_is_complete_reproducible_and_usable() {
    let s = Scratch::new("generate");
    let db = s.db_url();
    let o = generate(&s, &db, &["--logins", "logins.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("focal0001 … focal0010"), "{out}");
    let head = head_line(&out);

    // What is stored.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (focal_round, focal_unit) = runtime.block_on(async {
        let store = Store::connect(&db, &ConnectOptions::default())
            .await
            .unwrap();
        let counts: HashMap<&str, i64> = store.row_counts().await.unwrap().into_iter().collect();
        let departments = chiso_core::demo::units()
            .iter()
            .filter(|u| u.unit_type == UnitType::Department)
            .count() as i64;
        assert_eq!(counts["units"], 1 + departments + 30);
        assert_eq!(counts["accounts"], 9 + 10);
        assert_eq!(counts["rounds"], 3);
        assert_eq!(counts["round_units"], 3 * 30);
        assert_eq!(counts["frameworks"], 3);
        assert_eq!(counts["survey_responses"], 500);
        assert_eq!(counts["plans"], 30);
        assert_eq!(counts["evidence"], 2 * 2 * 30);
        assert_eq!(counts["evidence_links"], counts["evidence"]);
        // About 50 items a commune a year, each with its final score.
        assert!((2 * 30 * 40..2 * 30 * 56).contains(&counts["final_scores"]));
        assert!(counts["self_entries"] > counts["final_scores"]);
        assert!(counts["appraisals"] > 0 && counts["explanations"] > 0);
        // Five survey items per commune and finished year (the last from the campaign).
        assert_eq!(counts["survey_points"], 2 * 30 * 5);
        assert!(counts["plan_tasks"] >= 30);
        let (n, _) = store.ledger_head().await.unwrap();
        assert_eq!(store.verify_ledger().await.unwrap(), Ok(n));
        assert!(head.starts_with(&format!("ledger head: {n} entries")));
        let rounds = store.list_rounds().await.unwrap();
        let phases: Vec<Phase> = rounds.iter().map(|r| r.phase).collect();
        assert_eq!(
            phases,
            vec![Phase::SelfAssessment, Phase::Closed, Phase::Closed]
        );
        for r in &rounds[1..] {
            let states = store.round_units(r.id).await.unwrap();
            assert!(states.iter().all(|u| u.state == UnitState::Final));
        }
        let open = &rounds[0];
        assert_eq!(open.previous, Some(rounds[1].id));
        let focal = store
            .account_for_login("focal0001")
            .await
            .unwrap()
            .unwrap()
            .0;
        let unit = store.unit(focal.unit).await.unwrap();
        assert_eq!(unit.code, "XA-TANLAP");
        assert!(
            !store
                .self_entries(open.id.0, unit.id.0)
                .await
                .unwrap()
                .is_empty()
        );
        store.close().await;
        (open.id, unit.id)
    });
    let logins = std::fs::read_to_string(s.path("logins.csv")).unwrap();
    assert_eq!(logins.lines().count(), 11);
    let grid = format!("/rounds/{}/units/{}", focal_round.0, focal_unit.0);
    assert!(logins.contains(&format!("focal0001,minhson2025,XA-TANLAP,{grid}")));

    // A filled database is refused, untouched.
    let again = generate(&s, &db, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));

    // The pages work on it: results of both finished rounds, and a focal point saves a score.
    let server = serve(&s.0, &db);
    let mut admin = Session::new(&server.addr);
    assert_eq!(admin.login("lan.noivu", "minhson2025").status, 303);
    for round in [focal_round.0 - 2, focal_round.0 - 1] {
        let results = admin.request("GET", &format!("/rounds/{round}/results"), None);
        assert_eq!(results.status, 200, "{}", results.body);
        assert_eq!(results.body.matches("<td class=\"num rank\">").count(), 30);
        assert!(!results.body.contains("id=\"survey-missing\""));
    }
    let mut focal = Session::new(&server.addr);
    assert_eq!(focal.login("focal0001", "minhson2025").status, 303);
    let page = focal.request("GET", &grid, None);
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.input_value("_csrf").expect("a form token on the grid");
    let version = runtime.block_on(async {
        let store = Store::connect(&db, &ConnectOptions::default())
            .await
            .unwrap();
        let v = store
            .self_entry(focal_round.0, focal_unit.0, "1.1.1")
            .await
            .unwrap()
            .map_or(0, |e| e.version);
        store.close().await;
        v
    });
    let saved = focal.request(
        "POST",
        &format!("{grid}/items/1.1.1"),
        Some(&[
            ("_csrf", &csrf),
            ("level", "0"),
            ("version", &version.to_string()),
        ]),
    );
    // Saved: back to the grid at the item (htmx requests get the item's fragment instead).
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some(format!("{grid}#item-1.1.1").as_str())
    );
    drop(server);
    let verify = chiso(&s.0, &["--db", &db, "audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    runtime.block_on(async {
        let store = Store::connect(&db, &ConnectOptions::default())
            .await
            .unwrap();
        let e = store
            .self_entry(focal_round.0, focal_unit.0, "1.1.1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (e.version, e.updated_by.as_str()),
            (version + 1, "focal0001")
        );
        store.close().await;
    });

    // The same seed and day give the same data, score event for score event.
    let twin = s.path("twin.db");
    let twin = format!("sqlite://{}", twin.display());
    let o = generate(&s, &twin, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(head_line(&stdout(&o)), head);
}
