use crate::{Scratch, chiso, stderr, stdout};
use std::path::PathBuf;

fn seed(n: u8) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../core/tests/golden/plans/seed-00{n}.txt"))
        .display()
        .to_string()
}

#[test]
fn a_seed_plan_is_read_into_json_with_its_warnings() {
    let s = Scratch::new("plan-seed");
    let o = chiso(&s.0, &["plan", "import", &seed(0), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let json = stdout(&o);
    assert!(json.starts_with("{\n  \"number\": \"152/KH-UBND\",\n  \"date\": \"2024-06-13\",\n  \"issuer\": \"UBND tỉnh Vĩnh Phúc\",\n  \"plan_year\": 2024,\n"), "{json}");
    for key in [
        "legal_bases",
        "sections",
        "goals",
        "kpis",
        "tasks",
        "warnings",
        "complete",
        "lead_units",
        "cooperating_units",
        "deadline",
        "output",
    ] {
        assert!(json.contains(&format!("\"{key}\": ")), "no {key}");
    }
    assert!(json.contains("\"complete\": false"), "{json}");
    // Each legal basis once, with its number and date.
    assert_eq!(json.matches("\"number\": \"273/QĐ-BNV\"").count(), 1);
    assert!(
        json.contains("\"number\": \"876/QĐ-BNV\",\n      \"date\": \"2022-11-10\""),
        "{json}"
    );
    // Stated numbers that disagree are shown, not corrected.
    assert!(json.contains("Dòng 69: Lĩnh vực 2 (Cải cách thể chế), kết quả năm 2023: 5,14 + 3,5 = 8,64 điểm nhưng văn bản ghi 8,53 điểm."), "{json}");
    assert!(
        json.contains("8,82/9,5 = 92,84% nhưng văn bản ghi 92,81%"),
        "{json}"
    );
    assert!(json.contains("\"points\": 8.53"), "{json}");
    assert!(json.contains("\"lead_units\": [\n        \"Sở Nội vụ\"\n      ],\n      \"cooperating_units\": [\n        \"Văn phòng UBND tỉnh\",\n        \"thanh tra tỉnh\",\n        \"Sở tư pháp\"\n      ]"), "{json}");
}

#[test]
fn without_json_a_summary_in_vietnamese() {
    let s = Scratch::new("plan-summary");
    let o = chiso(&s.0, &["plan", "import", &seed(1)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "Số hiệu: (không thấy)\n",
        "Ngày ban hành: (không thấy)\n",
        "Cơ quan ban hành: UBND tỉnh Lào Cai\n",
        "Năm kế hoạch: 2023\n",
        "Căn cứ: 2 văn bản (757/QĐ-BNV, 876/QĐ-BNV)\n",
        "Nhiệm vụ: 22 (20 có cơ quan chủ trì, 5 có thời hạn)\n",
        "Văn bản: đầy đủ\n",
        "  - Dòng 3: số hiệu văn bản để trống (\"Số: /KH - UBND\") — bản chưa đóng số hoặc dự thảo.\n",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn a_word_document_is_read() {
    let s = Scratch::new("plan-docx");
    let doc = chiso_reports::docx::write_paragraphs(&[
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 45/KH-UBND\tNghệ An, ngày 10 tháng 01 năm 2025",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2025",
        "Căn cứ Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ;",
        "I. NHIỆM VỤ",
        "1. Cải cách thủ tục hành chính: trên 95% hồ sơ giải quyết đúng hạn.",
        "- Rà soát thủ tục hành chính (Giao Văn phòng UBND tỉnh chủ trì, phối hợp với các sở, ngành thực hiện; hoàn thành trong Quý II/2025).",
        "Nơi nhận:",
        "- Bộ Nội vụ;",
        "CHỦ TỊCH",
        "Nguyễn Văn A",
    ])
    .unwrap();
    let path = s.path("ke-hoach.docx");
    std::fs::write(&path, doc).unwrap();
    let o = chiso(
        &s.0,
        &["plan", "import", &path.display().to_string(), "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&o);
    for part in [
        "\"number\": \"45/KH-UBND\"",
        "\"date\": \"2025-01-10\"",
        "\"issuer\": \"UBND tỉnh Nghệ An\"",
        "\"plan_year\": 2025",
        "\"lead_units\": [\n        \"Văn phòng UBND tỉnh\"\n      ]",
        "\"cooperating_units\": [\n        \"các sở, ngành\"\n      ]",
        "\"kind\": \"quarter\",\n        \"quarter\": 2,\n        \"year\": 2025,\n        \"due\": \"2025-06-30\"",
        "\"direction\": \"above\"",
        "\"complete\": true",
    ] {
        assert!(json.contains(part), "missing {part:?} in\n{json}");
    }
}

#[test]
fn unreadable_or_empty_documents_exit_1_and_usage_problems_2() {
    let s = Scratch::new("plan-bad");
    std::fs::write(s.path("empty.txt"), " \n\n").unwrap();
    std::fs::write(s.path("latin1.txt"), b"K\xe9 ho\xe1ch").unwrap();
    std::fs::write(s.path("fake.docx"), "not a zip").unwrap();
    std::fs::write(s.path("note.txt"), "Hôm nay trời đẹp.").unwrap();
    std::fs::write(s.path("plan.pdf"), "%PDF-1.4").unwrap();
    for (file, code, message) in [
        ("empty.txt", 1, "tài liệu trống"),
        ("latin1.txt", 1, "không phải văn bản UTF-8"),
        ("fake.docx", 1, "không phải tài liệu Word .docx"),
        ("note.txt", 1, "không nhận ra nội dung nào của một kế hoạch"),
        ("missing.txt", 2, "cannot read"),
        ("plan.pdf", 2, "chỉ đọc được tệp .txt hoặc .docx"),
    ] {
        let path = s.path(file).display().to_string();
        let o = chiso(&s.0, &["plan", "import", &path, "--json"]);
        assert_eq!(o.status.code(), Some(code), "{file}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{file}");
        assert!(stderr(&o).contains(message), "{file}: {}", stderr(&o));
    }
    let o = chiso(&s.0, &["plan", "import"]);
    assert_eq!(o.status.code(), Some(2));
}
