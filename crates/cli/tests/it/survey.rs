use crate::{Scratch, chiso, stderr, stdout};
use std::path::PathBuf;

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/surveys")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn simulated_responses_aggregate_into_satisfaction_measures_and_points() {
    let s = Scratch::new("survey-round-trip");
    let q = example("lanh-dao-so.yaml");
    let csv = s.path("lanh-dao-so.csv").display().to_string();
    let args = [
        "survey",
        "simulate",
        &q,
        "--units",
        "5",
        "--responses",
        "30",
        "--seed",
        "7",
        &csv,
    ];
    let o = chiso(&s.0, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("150 phiếu của 5 đơn vị"),
        "{}",
        stdout(&o)
    );
    let first = std::fs::read(&csv).unwrap();
    assert!(first.starts_with("\u{feff}unit,group,respondent,C1,C2,".as_bytes()));
    // The same seed writes the same file.
    assert_eq!(chiso(&s.0, &args).status.code(), Some(0));
    assert_eq!(std::fs::read(&csv).unwrap(), first);

    let framework = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../frameworks/par-province-876.yaml")
        .display()
        .to_string();
    let o = chiso(
        &s.0,
        &[
            "survey",
            "aggregate",
            &q,
            &csv,
            "--json",
            "--framework",
            &framework,
            "--quota",
            "30",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let json = stdout(&o);
    assert!(
        json.contains("\"rows\": 150,\n      \"accepted\": 150"),
        "{json}"
    );
    // 5 units × 18 scored questions, 5 units × 15 measures.
    assert_eq!(json.matches("\"question\": ").count(), 90);
    assert_eq!(json.matches("\"measure\": ").count(), 75 + 5 * 15);
    assert!(json.contains("\"unit\": \"DV005\""));
    assert!(json.contains("\"ci95\": [\n"));
    assert!(json.contains("\"node\": \"2.5.1\""), "{json}");
    assert!(
        json.contains("\"unmeasured\": [\n      \"3.5.1\""),
        "{json}"
    );
    assert!(json.contains("\"short\": 0"));
    assert!(json.contains("\"problems\": []"));

    // The readable form.
    let o = chiso(&s.0, &["survey", "aggregate", &q, &csv]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "Phiếu lanh-dao-so (phiên bản 1, nhóm lanh_dao_so): 150 phiếu hợp lệ / 150 dòng.\n"
        ),
        "{out}"
    );
    assert!(out.contains("\nĐơn vị DV001\n"), "{out}");
}

#[test]
fn a_file_with_bad_rows_is_refused_unless_they_are_skipped() {
    let s = Scratch::new("survey-bad");
    let q = example("lanh-dao-so.yaml");
    let csv = s.path("bad.csv");
    std::fs::write(
        &csv,
        "unit;group;respondent;C1;C3;C4;C6;C7;C8;C19;C99\n\
         SNV;lanh_dao_so;p1;A;B;C;A;B;A;5;\n\
         SNV;lanh_dao_so;p2;E;B;C;A;B;A;5;\n\
         STP;lanh_dao_so;p3;A;B;C;A;B;A;45;\n\
         ;lanh_dao_so;p4;A;B;C;A;B;A;1;\n\
         STP;lanh_dao_so;p1;A;B;C;A;B;A;2;\n",
    )
    .unwrap();
    let csv = csv.display().to_string();
    let o = chiso(&s.0, &["survey", "aggregate", &q, &csv, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    for line in [
        "chiso: 5 lỗi (thêm --skip-bad-rows để bỏ qua các dòng lỗi):\n",
        "bad.csv: Dòng 1, cột C99: cột này không phải mã câu hỏi nào của phiếu",
        "bad.csv: Dòng 3, cột C1: phương án \"E\" không có trong câu hỏi; dùng A, B, C, D",
        "bad.csv: Dòng 4, cột C19: 45 nằm ngoài giới hạn (0 đến 40).",
        "bad.csv: Dòng 5, cột unit: thiếu mã đơn vị.",
        "bad.csv: Dòng 6, cột respondent: mã phiếu \"p1\" đã có ở dòng 2; phiếu bị nhập hai lần?",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }

    let o = chiso(
        &s.0,
        &["survey", "aggregate", &q, &csv, "--json", "--skip-bad-rows"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&o);
    assert!(
        json.contains("\"rows\": 5,\n      \"accepted\": 1"),
        "{json}"
    );
    assert!(json.contains("Dòng 3, cột C1: phương án"), "{json}");
    assert!(json.contains("\"unit\": \"SNV\""));
    assert!(!json.contains("\"unit\": \"STP\""));
}

#[test]
fn questionnaires_are_checked_and_converted_and_usage_errors_exit_2() {
    let s = Scratch::new("survey-check");
    let o = chiso(&s.0, &["survey", "check", &example("sipas-nguoi-dan.yaml")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("hợp lệ — Phiếu khảo sát sự hài lòng của người dân"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("đo 5: SIPAS.1, SIPAS.2, SIPAS.3, SIPAS.4, SIPAS.5"));

    let bad = s.path("bad.yaml");
    std::fs::write(
        &bad,
        "code: x\ntitle: Phiếu\ngroup: nguoi_dan\nsections:\n  - title: A\n    questions:\n      - { code: Q1, text: Có?, kind: choice }\n      - { code: Q1, text: Mức?, kind: likert, scale: 12 }\n",
    )
    .unwrap();
    let o = chiso(&s.0, &["survey", "check", &bad.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("3 lỗi"), "{err}");
    assert!(
        err.contains("bad.yaml: Q1: câu hỏi chọn phương án nhưng không có phương án nào"),
        "{err}"
    );
    assert!(
        err.contains("bad.yaml: Q1: mã bị trùng với một câu hỏi khác"),
        "{err}"
    );

    let xlsx = s.path("phieu.xlsx").display().to_string();
    let o = chiso(
        &s.0,
        &["survey", "convert", &example("lanh-dao-so.yaml"), &xlsx],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = chiso(&s.0, &["survey", "check", &xlsx]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("20 câu hỏi (18 tính điểm)"),
        "{}",
        stdout(&o)
    );

    for args in [
        vec!["survey", "check", "missing.yaml"],
        vec!["survey", "aggregate", "a.yaml", "b.csv", "c.yaml"],
        vec![
            "survey",
            "simulate",
            "a.yaml",
            "out.csv",
            "--responses",
            "3",
        ],
        vec!["survey", "check", "--no-such-flag"],
    ] {
        assert_eq!(chiso(&s.0, &args).status.code(), Some(2), "{args:?}");
    }
}
