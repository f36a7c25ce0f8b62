//! Golden tests: each file in `tests/golden/frameworks/bad/` is refused with exactly the
//! errors in its `.expected` twin (one message per line, in Vietnamese). After a deliberate
//! change of wording, `CHISO_GOLDEN_BLESS=1` rewrites the `.expected` files; review the diff.

use chiso_core::framework::validate::validate;
use chiso_core::framework::yaml::from_yaml;
use chiso_core::lang::Lang;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/frameworks")
}

/// Every message a file produces: format errors, or else validation problems.
pub fn messages(text: &str) -> Vec<String> {
    match from_yaml(text) {
        Err(e) => vec![e.message(Lang::Vi)],
        Ok(f) => validate(&f).iter().map(|p| p.message(Lang::Vi)).collect(),
    }
}

#[test]
fn the_good_file_is_valid_and_shaped_as_written() {
    let text = std::fs::read_to_string(dir().join("good.yaml")).unwrap();
    assert_eq!(messages(&text), Vec::<String>::new());
    let f = from_yaml(&text).unwrap();
    assert_eq!(f.shape(), (2, 7, 8));
    assert_eq!(
        f.fields[1].not_applicable_when.get("has_procedures"),
        Some(&false)
    );
}

#[test]
fn every_bad_file_gives_exactly_its_expected_errors() {
    let bad = dir().join("bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&bad)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "at least 20 bad files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let got = messages(&text);
        let expected_path = file.with_extension("expected");
        let expected: Vec<String> = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", file.display()))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        if std::env::var("CHISO_GOLDEN_BLESS").is_ok() {
            std::fs::write(&expected_path, got.join("\n") + "\n").unwrap();
            continue;
        }
        if got != expected {
            failures.push(format!(
                "{}\n  expected: {expected:#?}\n  got: {got:#?}",
                file.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
