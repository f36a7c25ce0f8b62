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
