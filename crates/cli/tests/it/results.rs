use crate::{Scratch, chiso, stderr, stdout};
use std::path::PathBuf;

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_results_file_is_ranked_with_shared_ranks_bands_and_changes() {
    let s = Scratch::new("results-good");
    let input = data("results-good.csv");
    let o = chiso(
        &s.0,
        &["results", "rank", "--input", &input, "--format", "csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    // 89,995 is published as 90,00: it ties with 90 (ranks 1, 2, 2, 4) and is band A.
    assert_eq!(
        stdout(&o),
        "unit,total,index_pct,rank,band,total_change,rank_change\n\
         Tỉnh Quảng Ninh,92.18,92.18,1,A,0.68,0\n\
         Thành phố Hải Phòng,89.995,90.00,2,A,1.595,2\n\
         Tỉnh Bắc Ninh,90,90.00,2,A,-0.2,0\n\
         Tỉnh Đồng Tháp,85.3,85.30,4,B,-0.8,-1\n\
         Tỉnh Cà Mau,69.5,69.50,5,Dưới 70%,,\n"
    );

    let o = chiso(
        &s.0,
        &["results", "rank", "--input", &input, "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&o);
    assert!(json.starts_with("[\n  {\"unit\": \"Tỉnh Quảng Ninh\", \"total\": 92.18, \"index_pct\": 92.18, \"rank\": 1, \"band\": \"A\", \"total_change\": 0.68, \"rank_change\": 0},\n"), "{json}");
    assert!(json.contains("{\"unit\": \"Tỉnh Cà Mau\", \"total\": 69.5, \"index_pct\": 69.50, \"rank\": 5, \"band\": \"Dưới 70%\", \"total_change\": null, \"rank_change\": null}\n]"), "{json}");

    // Another maximum and the province's own bands.
    let o = chiso(
        &s.0,
        &[
            "results",
            "rank",
            "--input",
            &input,
            "--max",
            "200",
            "--bands",
            "Cao:46;Thấp:0",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Tỉnh Quảng Ninh,92.18,46.09,1,Cao,0.68,0\n"),
        "{out}"
    );
    assert!(
        out.contains("Thành phố Hải Phòng,89.995,45.00,2,Thấp,1.595,2\n"),
        "{out}"
    );
}

#[test]
fn an_excel_file_with_semicolons_and_decimal_commas_is_ranked() {
    let s = Scratch::new("results-excel");
    let o = chiso(
        &s.0,
        &[
            "results",
            "rank",
            "--input",
            &data("results-excel.csv"),
            "--max",
            "10",
            "--bands",
            "internal",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 5,135 + 3,395 = 8,53 exactly (not 5,14 + 3,40).
    assert_eq!(
        stdout(&o),
        "unit,total,index_pct,rank,band,total_change,rank_change\n\
         Sở Tư pháp,8.53,85.30,1,Tốt,,\n\
         Sở Nội vụ,8.5,85.00,2,Tốt,,\n\
         Sở Tài chính,8.5,85.00,2,Tốt,,\n"
    );
}

#[test]
fn every_bad_row_is_listed_with_its_line_and_nothing_is_written() {
    let s = Scratch::new("results-bad");
    let input = data("results-bad.csv");
    let o = chiso(
        &s.0,
        &["results", "rank", "--input", &input, "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.starts_with("chiso: 7 lỗi:\n"), "{err}");
    for line in [
        "results-bad.csv: Dòng 3, cột total: \"abc\" không phải là số.",
        "results-bad.csv: Dòng 4, cột unit: thiếu tên đơn vị.",
        "results-bad.csv: Dòng 5, cột unit: đơn vị \"Tỉnh A\" đã xuất hiện ở dòng 2.",
        "results-bad.csv: Dòng 6: dòng có 2 cột, dòng tiêu đề có 4 cột.",
        "results-bad.csv: Dòng 7, cột total: điểm -5 là số âm.",
        "results-bad.csv: Dòng 8, cột total: tổng điểm 101 vượt quá điểm tối đa 100.",
        "results-bad.csv: Dòng 9, cột previous_rank: hạng \"x\" phải là số nguyên dương.",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
}

#[test]
fn usage_problems_exit_2() {
    let s = Scratch::new("results-usage");
    let good = data("results-good.csv");
    for args in [
        vec!["results", "rank", "--input", "missing.csv"],
        vec!["results", "rank", "--input", &good, "--bands", "A:80,B:90"],
        vec!["results", "rank", "--input", &good, "--max", "0"],
        vec!["results", "rank", "--input", &good, "--format", "xml"],
    ] {
        let o = chiso(&s.0, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    let o = chiso(
        &s.0,
        &["results", "rank", "--input", &good, "--bands", "A:80,B:90"],
    );
    assert!(
        stderr(&o).contains("B: ngưỡng phải thấp hơn ngưỡng của A"),
        "{}",
        stderr(&o)
    );
}
