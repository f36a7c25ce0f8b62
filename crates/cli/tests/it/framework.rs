use crate::{Scratch, chiso, stderr, stdout};
use std::path::PathBuf;

fn golden(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/golden/frameworks")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn framework_files_are_validated_converted_and_compared_without_a_database() {
    let s = Scratch::new("framework");
    let o = chiso(&s.0, &["framework", "validate", &golden("good.yaml")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("hợp lệ"), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 lĩnh vực, 7 tiêu chí, 8 tiêu chí được chấm điểm, tổng 10 điểm"));

    let o = chiso(
        &s.0,
        &[
            "framework",
            "validate",
            &golden("bad/31-several-at-once.yaml"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("4 lỗi"), "{err}");
    assert!(
        err.contains("31-several-at-once.yaml: 1.1: mã bị trùng với một tiêu chí khác"),
        "{err}"
    );

    assert_eq!(
        chiso(&s.0, &["framework", "validate", "missing.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        chiso(&s.0, &["framework", "validate", "file.txt"])
            .status
            .code(),
        Some(2)
    );

    let out = s.path("copy.yaml").display().to_string();
    let o = chiso(&s.0, &["framework", "convert", &golden("good.yaml"), &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = chiso(&s.0, &["framework", "diff", &golden("good.yaml"), &out]);
    assert_eq!(stdout(&o).trim(), "Không có thay đổi.");

    // Excel both ways: the workbook validates and compares equal to the YAML it came from.
    let xlsx = s.path("good.xlsx").display().to_string();
    assert!(
        chiso(&s.0, &["framework", "convert", &golden("good.yaml"), &xlsx])
            .status
            .success()
    );
    let o = chiso(&s.0, &["framework", "validate", &xlsx]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = chiso(&s.0, &["framework", "diff", &golden("good.yaml"), &xlsx]);
    assert_eq!(stdout(&o).trim(), "Không có thay đổi.");

    let changed = std::fs::read_to_string(golden("good.yaml"))
        .unwrap()
        .replace("year: 2025", "year: 2026");
    std::fs::write(s.path("next.yaml"), changed).unwrap();
    let o = chiso(
        &s.0,
        &["framework", "diff", &golden("good.yaml"), "next.yaml"],
    );
    assert_eq!(stdout(&o).trim(), "year: 2025 → 2026");
    // A diff with an invalid side refuses, naming the file.
    let o = chiso(
        &s.0,
        &[
            "framework",
            "diff",
            &golden("good.yaml"),
            &golden("bad/08-duplicate-code.yaml"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn framework_import_stores_versions_and_never_overwrites_one() {
    let s = Scratch::new("fwimport");
    let db = s.db_url();
    let good = golden("good.yaml");
    let o = chiso(
        &s.0,
        &["--db", &db, "framework", "import", &good, "--dry-run"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Chạy thử: chưa ghi gì"));
    assert!(
        stdout(&chiso(&s.0, &["--db", &db, "framework", "list"]))
            .contains("Chưa có bộ chỉ số nào.")
    );

    let o = chiso(&s.0, &["--db", &db, "framework", "import", &good]);
    assert!(stdout(&o).contains("Đã lưu với mã 1."), "{}", stdout(&o));
    let o = chiso(&s.0, &["--db", &db, "framework", "import", &good]);
    assert!(stdout(&o).contains("giống hệt phiên bản đã lưu"));

    let text = std::fs::read_to_string(&good)
        .unwrap()
        .replace("Báo cáo CCHC định kỳ", "Báo cáo CCHC");
    std::fs::write(s.path("same-version.yaml"), &text).unwrap();
    let o = chiso(
        &s.0,
        &["--db", &db, "framework", "import", "same-version.yaml"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("hãy tăng \"version\" lên 2"),
        "{}",
        stderr(&o)
    );

    std::fs::write(s.path("v2.yaml"), text.replace("version: 1", "version: 2")).unwrap();
    let o = chiso(&s.0, &["--db", &db, "framework", "import", "v2.yaml"]);
    let out = stdout(&o);
    assert!(
        out.contains("~ 1.2 name: Báo cáo CCHC định kỳ → Báo cáo CCHC"),
        "{out}"
    );
    assert!(out.contains("Đã lưu với mã 2."), "{out}");

    let o = chiso(&s.0, &["--db", &db, "framework", "export", "1", "v1.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = chiso(&s.0, &["framework", "diff", "v1.xlsx", &good]);
    assert_eq!(stdout(&o).trim(), "Không có thay đổi.");
    assert_eq!(
        chiso(&s.0, &["--db", &db, "framework", "export", "99", "x.yaml"])
            .status
            .code(),
        Some(1)
    );
    // A copy for 2026 continues every node.
    let o = chiso(
        &s.0,
        &["--db", &db, "framework", "clone", "1", "--year", "2026"],
    );
    assert!(
        stdout(&o).contains("Đã tạo test-department năm 2026 (mã 3)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        chiso(
            &s.0,
            &["--db", &db, "framework", "clone", "1", "--year", "2026"]
        )
        .status
        .code(),
        Some(1)
    );
    chiso(
        &s.0,
        &["--db", &db, "framework", "export", "3", "y2026.yaml"],
    );
    let renumbered = std::fs::read_to_string(s.path("y2026.yaml"))
        .unwrap()
        .replacen(
            "code: \"1.2\"",
            "code: \"1.5\"\n    previous_code: \"1.2\"",
            1,
        );
    std::fs::write(s.path("y2026b.yaml"), renumbered).unwrap();
    let o = chiso(&s.0, &["framework", "crosswalk", "v1.xlsx", "y2026b.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("1.1.1 = 1.1.1"), "{out}");
    assert!(out.contains("1.2 → 1.5"), "{out}");
    // An invalid file is refused before the database is touched.
    let o = chiso(
        &s.0,
        &[
            "--db",
            &db,
            "framework",
            "import",
            &golden("bad/08-duplicate-code.yaml"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&chiso(&s.0, &["--db", &db, "framework", "list"]))
            .lines()
            .count(),
        3
    );
}
