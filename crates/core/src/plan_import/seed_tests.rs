//! The five seed plans (`tests/golden/plans/seed-00N.txt`, copied from the shared seeds),
//! each checked against what a person reads in it, written out by hand.

use super::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn plan(n: u8) -> ParsedPlan {
    let text = match n {
        0 => include_str!("../../tests/golden/plans/seed-000.txt"),
        1 => include_str!("../../tests/golden/plans/seed-001.txt"),
        2 => include_str!("../../tests/golden/plans/seed-002.txt"),
        3 => include_str!("../../tests/golden/plans/seed-003.txt"),
        _ => include_str!("../../tests/golden/plans/seed-004.txt"),
    };
    parse_plan(text)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn num(s: &str) -> Number {
    Number(s.parse::<Decimal>().unwrap())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The tree as markers: "I.[1.[- -]]".
fn shape(sections: &[Section]) -> String {
    sections
        .iter()
        .map(|s| {
            if s.children.is_empty() {
                s.marker.clone()
            } else {
                format!("{}[{}]", s.marker, shape(&s.children))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn bases(p: &ParsedPlan) -> Vec<(&str, Option<NaiveDate>)> {
    p.legal_bases
        .iter()
        .map(|b| (b.number.as_str(), b.date))
        .collect()
}

fn task_at(p: &ParsedPlan, line: usize) -> &Task {
    p.tasks
        .iter()
        .find(|t| t.line == line)
        .unwrap_or_else(|| panic!("no task on line {line}"))
}

fn goal<'a>(p: &'a ParsedPlan, index: &str, field: Option<&str>) -> &'a Goal {
    p.goals
        .iter()
        .find(|g| {
            g.subject.index == index && g.subject.field.as_ref().map(|f| f.code.as_str()) == field
        })
        .unwrap_or_else(|| panic!("no goal {index} {field:?}"))
}

#[test]
fn seed_000_vinh_phuc_2024_cut_short_with_figures_that_disagree() {
    let p = plan(0);
    assert_eq!(p.number.as_deref(), Some("152/KH-UBND"));
    assert_eq!(p.date, date(2024, 6, 13));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Vĩnh Phúc"));
    assert_eq!(p.plan_year, Some(2024));
    assert_eq!(
        p.title.as_deref(),
        Some("NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH TỈNH VĨNH PHÚC NĂM 2024")
    );
    assert_eq!(p.place.as_deref(), Some("Vĩnh Phúc"));
    assert_eq!(
        (p.found_at.number, p.found_at.date, p.found_at.issuer),
        (Some(19), Some(21), Some(11))
    );

    // Six documents; 273/QĐ-BNV is cited twice (lines 29 and 39) and counted once.
    assert_eq!(
        bases(&p),
        [
            ("273/QĐ-BNV", date(2024, 4, 10)),
            ("876/QĐ-BNV", date(2022, 11, 10)),
            ("40-CT/TU", date(2023, 3, 10)),
            ("08/CT-UBND", date(2022, 3, 4)),
            ("2866/QĐ-UBND", date(2021, 10, 14)),
            ("1204/QĐ-UBND", date(2022, 6, 29)),
        ]
    );
    let b273 = &p.legal_bases[0];
    assert_eq!(b273.lines, [29, 39]);
    assert!(b273.preamble);
    assert_eq!(b273.kind.as_deref(), Some("Quyết định"));
    assert_eq!(b273.issuer.as_deref(), Some("Bộ Nội vụ"));
    assert_eq!(p.legal_bases[2].issuer.as_deref(), Some("BTV Tỉnh ủy"));
    assert!(!p.legal_bases[1].preamble);

    assert_eq!(
        shape(&p.sections),
        "I.[1.[- - -] 2.[- - -]] II.[1.[1.1. 1.2.[- - - -]] 2.[2.1. 2.2.[- -]]]"
    );
    assert_eq!(
        p.sections[1].children[0].title,
        "Công tác chỉ đạo, điều hành"
    );
    assert_eq!(p.sections[1].children[0].field.as_deref(), Some("1"));
    assert_eq!(p.sections[1].children[1].field.as_deref(), Some("2"));
    assert_eq!(p.preamble.len(), 2);

    // Goals: the index as a whole, field 1 and field 2.
    assert_eq!(p.goals.len(), 3);
    let whole = goal(&p, "PAR INDEX", None);
    let b = whole.baseline.as_ref().unwrap();
    assert_eq!(
        (b.year, b.points, b.max),
        (Some(2023), Some(num("86.44")), None)
    );
    assert_eq!((b.rank, b.rank_of), (Some(39), Some(63)));
    assert_eq!(
        b.rank_change,
        Some(RankChange {
            up: false,
            places: 32,
            places_max: None,
            since: Some(2022)
        })
    );
    let t = whole.target.as_ref().unwrap();
    assert_eq!(t.year, Some(2024));
    assert_eq!(t.line, 41);
    let g = t.group.as_ref().unwrap();
    assert_eq!(
        (g.top, g.text.as_str()),
        (
            Some(15),
            "nằm trong nhóm 15 tỉnh, thành phố đứng đầu cả nước"
        )
    );

    let f1 = goal(&p, "PAR INDEX", Some("1"));
    let b = f1.baseline.as_ref().unwrap();
    assert_eq!(
        (b.points, b.max, b.percent, b.rank, b.rank_of),
        (
            Some(num("8.82")),
            Some(num("9.5")),
            Some(num("92.81")),
            Some(48),
            Some(63)
        )
    );
    assert_eq!(b.rank_change.map(|c| (c.up, c.places)), Some((true, 8)));
    let t = f1.target.as_ref().unwrap();
    assert!(t.at_max);
    assert_eq!(t.points.map(|m| m.value), Some(num("9.5")));
    assert_eq!(t.group.as_ref().and_then(|g| g.top), Some(15));

    let f2 = goal(&p, "PAR INDEX", Some("2"));
    let b = f2.baseline.as_ref().unwrap();
    assert_eq!(
        (b.points, b.max, b.percent, b.rank),
        (
            Some(num("8.53")),
            Some(num("10")),
            Some(num("85.35")),
            Some(62)
        )
    );
    assert_eq!(b.rank_change.map(|c| (c.up, c.places)), Some((false, 16)));
    let parts: Vec<(&str, Option<Number>, Option<Number>)> = b
        .components
        .iter()
        .map(|c| (c.label.as_str(), c.points.map(|m| m.value), c.max))
        .collect();
    assert_eq!(
        parts,
        [
            ("tự đánh giá", Some(num("5.14")), Some(num("6"))),
            ("điều tra xã hội học", Some(num("3.5")), Some(num("4"))),
        ]
    );
    let t = f2.target.as_ref().unwrap();
    assert!(t.components[0].at_max);
    assert_eq!(t.components[0].points.map(|m| m.value), Some(num("6")));
    assert_eq!(
        t.components[1].points,
        Some(Measure {
            value: num("3.39"),
            direction: Direction::AtLeast
        })
    );
    assert_eq!(
        t.components[1].percent,
        Some(Measure {
            value: num("90"),
            direction: Direction::Above
        })
    );

    // KPIs.
    let kpis: Vec<(usize, Direction, Number, &str)> = p
        .kpis
        .iter()
        .map(|k| (k.line, k.direction, k.value, k.unit.as_str()))
        .collect();
    assert_eq!(
        kpis,
        [
            (57, Direction::AtLeast, num("100"), "%"),
            (63, Direction::AtLeast, num("3"), "sáng kiến"),
            (65, Direction::AtLeast, num("100"), "%"),
        ]
    );
    assert_eq!(
        p.kpis[2].subject,
        "nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao đúng thời hạn và chất lượng"
    );
    assert_eq!(p.kpis[1].task, Some(2));

    // Tasks: 1.1 and 2.1 (their paragraphs) and the six bullets.
    assert_eq!(
        p.tasks.iter().map(|t| t.line).collect::<Vec<_>>(),
        [55, 61, 63, 65, 67, 71, 77, 79]
    );
    let t = task_at(&p, 55);
    assert_eq!(
        t.title.as_deref(),
        Some("Các nhiệm vụ công tác chỉ đạo điều hành")
    );
    assert!(t.lead_units.is_empty());
    assert_eq!(t.fields, ["1"]);
    assert_eq!(task_at(&p, 61).lead_units, ["Sở Nội vụ"]);
    assert_eq!(task_at(&p, 63).lead_units, ["Sở Khoa học và Công nghệ"]);
    assert_eq!(task_at(&p, 65).lead_units, ["Văn phòng UBND tỉnh"]);
    let t = task_at(&p, 67);
    assert_eq!(t.section, "II › 1 › 1.2 › -4");
    assert_eq!(t.lead_units, ["Sở Nội vụ"]);
    assert_eq!(
        t.cooperating_units,
        ["Văn phòng UBND tỉnh", "thanh tra tỉnh", "Sở tư pháp"]
    );
    assert_eq!(t.implementing_units, ["các cơ quan, đơn vị, địa phương"]);
    assert_eq!(t.deadline, None);
    let t = task_at(&p, 79);
    assert_eq!(t.lead_units, ["Sở Tư pháp"]);
    assert!(t.cooperating_units.is_empty());
    assert_eq!(t.implementing_units, ["các cơ quan, đơn vị, địa phương"]);
    assert_eq!(t.fields, ["2"]);

    assert_eq!(
        p.warnings,
        strings(&[
            "Dòng 53: Lĩnh vực 1 (Công tác chỉ đạo, điều hành cải cách hành chính), kết quả năm 2023: 8,82/9,5 = 92,84% nhưng văn bản ghi 92,81% (chênh lệch nằm trong sai số làm tròn điểm).",
            "Dòng 69: Lĩnh vực 2 (Cải cách thể chế), kết quả năm 2023: 8,53/10 = 85,30% nhưng văn bản ghi 85,35% (chênh lệch nằm trong sai số làm tròn điểm).",
            "Dòng 69: Lĩnh vực 2 (Cải cách thể chế), kết quả năm 2023: 5,14 + 3,5 = 8,64 điểm nhưng văn bản ghi 8,53 điểm.",
            "2 trên 8 nhiệm vụ không nêu cơ quan chủ trì (dòng 55, 71).",
            "8 trên 8 nhiệm vụ không nêu thời hạn (dòng 55, 61, 63, 65, 67, 71, 77, 79).",
            "Văn bản dẫn tới phụ lục gửi kèm (dòng 57, 73) nhưng phụ lục không có trong tệp: các nhiệm vụ trong đó chưa được đọc.",
            "Dòng 81: văn bản có dấu lược \"[...]\" — một phần nội dung đã bị cắt.",
            "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.",
        ])
    );
    assert!(!p.complete);
    assert_eq!(p.incomplete_reasons.len(), 2);
    assert_eq!(p.signer, None);
}

#[test]
fn seed_001_lao_cai_2023_complete_but_unnumbered_and_undated() {
    let p = plan(1);
    assert_eq!(p.number, None);
    assert_eq!(p.date, None);
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Lào Cai"));
    assert_eq!(p.plan_year, Some(2023));
    assert_eq!(p.place.as_deref(), Some("Lào Cai"));
    assert_eq!(
        p.title.as_deref(),
        Some(
            "Triển khai xác định Chỉ số cải cách hành chính (Par Index) cấp tỉnh năm 2023 của tỉnh Lào Cai"
        )
    );
    let s = p.signer.as_ref().unwrap();
    assert_eq!(
        (s.position.as_str(), s.name.as_deref()),
        ("CHỦ TỊCH", Some("Trịnh Xuân Trường"))
    );
    assert_eq!(p.recipients.len(), 8);
    assert_eq!(p.recipients[0], "Bộ Nội vụ (Vụ CCHC)");
    assert_eq!(p.recipients[7], "Lưu: VT, KSTT₂");
    assert!(p.closing[0].text.starts_with("Trên đây là Kế hoạch"));
    assert!(p.complete, "{:?}", p.incomplete_reasons);

    // 876/QĐ-BNV is cited on lines 17 and 41: one basis.
    assert_eq!(
        bases(&p),
        [
            ("757/QĐ-BNV", date(2023, 9, 25)),
            ("876/QĐ-BNV", date(2022, 11, 10))
        ]
    );
    assert_eq!(p.legal_bases[1].lines, [17, 41]);
    assert!(p.legal_bases[0].preamble && !p.legal_bases[1].preamble);
    assert!(
        p.legal_bases[0].text.ends_with(
            "của các bộ, cơ quan ngang bộ, UBND các tỉnh, thành phố trực thuộc Trung ương"
        )
    );

    assert_eq!(
        shape(&p.sections),
        "I.[1.[1.1. 1.2.] 2.[2.1. 2.2. 2.3. 2.4. 2.5. 2.5.]] \
         II.[1.[1.1.[a)[- - -] b) c) d) đ) e)] 1.2.[- -]] 2.[2.1.[- -] 2.2.]] \
         III.[1.[1.1. 1.2. 1.3. 1.4. 1.5. 1.6.] 2.[2.1. 2.2.] 3.[3.1. 3.2.[- - -[+ +]]]]"
    );
    assert!(p.goals.is_empty());
    assert!(p.kpis.is_empty());

    assert_eq!(p.tasks.len(), 22);
    // a) Sở Nội vụ leads three fields listed under it.
    let t = task_at(&p, 43);
    assert_eq!(t.lead_units, ["Sở Nội vụ"]);
    assert_eq!(t.fields, ["1", "4", "5"]);
    assert_eq!(t.details.len(), 3);
    let leads: Vec<(usize, Vec<String>, Vec<String>)> = [49, 51, 53, 55, 57]
        .iter()
        .map(|&l| {
            (
                l,
                task_at(&p, l).lead_units.clone(),
                task_at(&p, l).fields.clone(),
            )
        })
        .collect();
    assert_eq!(
        leads,
        [
            (49, strings(&["Sở Tư pháp"]), strings(&["2"])),
            (51, strings(&["Văn phòng UBND tỉnh"]), strings(&["3"])),
            (53, strings(&["Sở Tài chính"]), strings(&["6"])),
            (
                55,
                strings(&["Sở Thông tin và Truyền thông"]),
                strings(&["7"])
            ),
            (57, strings(&["Sở Kế hoạch và Đầu tư"]), strings(&["8"])),
        ]
    );
    // 1.2 Thời gian thực hiện: a period and a date; no lead stated.
    let t = task_at(&p, 61);
    assert!(t.lead_units.is_empty());
    let d = t.deadline.as_ref().unwrap();
    assert_eq!(d.text, "Từ ngày 01/12/2023 đến ngày 25/12/2023");
    assert_eq!(
        d.when,
        When::Period {
            from: DayMonth {
                day: 1,
                month: 12,
                year: Some(2023)
            },
            to: DayMonth {
                day: 25,
                month: 12,
                year: Some(2023)
            }
        }
    );
    assert_eq!(d.due, date(2023, 12, 25));
    // The sentence broken across lines 63–65 is one task.
    let t = task_at(&p, 63);
    assert!(t.text.contains("lĩnh vực được giao và gửi về Sở Nội vụ"));
    assert_eq!(t.deadline.as_ref().and_then(|d| d.due), date(2024, 1, 5));
    // 2. Tổ chức thẩm định: its "Thành phần" and "Thời gian" items are its attributes.
    let t = task_at(&p, 69);
    assert_eq!(t.text, "Tổ chức thẩm định kết quả tự đánh giá, chấm điểm");
    assert_eq!(
        t.lead_units,
        ["Chủ tịch Hội đồng xác định Chỉ số cải cách hành chính tỉnh Lào Cai"]
    );
    assert_eq!(
        t.cooperating_units,
        [
            "Thành viên Hội đồng",
            "Thành viên Tổ giúp việc Hội đồng xác định Chỉ số cải cách hành chính tỉnh Lào Cai"
        ]
    );
    assert_eq!(t.deadline.as_ref().and_then(|d| d.due), date(2024, 1, 15));
    // III.1 Trách nhiệm của Sở Nội vụ: the lead passes to 1.1–1.6.
    let t = task_at(&p, 84);
    assert_eq!(t.lead_units, ["Sở Nội vụ"]);
    assert_eq!(t.inherited, ["lead_units"]);
    assert_eq!(
        t.cooperating_units,
        [
            "các cơ quan liên quan đến tự đánh giá, chấm điểm Chỉ số cải cách hành chính",
            "các thành viên Hội đồng xác định Chỉ số cải cách hành chính cấp tỉnh"
        ]
    );
    assert_eq!(
        task_at(&p, 88).deadline.as_ref().map(|d| d.text.as_str()),
        Some("trước ngày 10/12/2023")
    );
    assert_eq!(task_at(&p, 90).cooperating_units, ["các đơn vị liên quan"]);
    assert_eq!(
        task_at(&p, 96).lead_units,
        ["cơ quan, đơn vị có nội dung liên quan đến xác định Chỉ số cải cách hành chính cấp tỉnh"]
    );
    assert_eq!(
        task_at(&p, 114).lead_units,
        ["các đơn vị, tổ chức và cá nhân có liên quan"]
    );
    assert_eq!(task_at(&p, 114).section, "III › 3 › 3.2 › -3 › +2");

    assert_eq!(
        p.warnings[..4],
        strings(&[
            "Dòng 3: số hiệu văn bản để trống (\"Số: /KH - UBND\") — bản chưa đóng số hoặc dự thảo.",
            "Dòng 5: ngày ban hành để trống (\"Lào Cai, ngày tháng năm 2023\"), chỉ có năm 2023.",
            "Dòng 11: cơ quan ban hành lấy từ câu văn \"UBND tỉnh Lào Cai ban hành …\".",
            "Dòng 33: số thứ tự \"2.5.\" trùng với mục ở dòng 31.",
        ])[..]
    );
}

#[test]
fn seed_002_hai_duong_2022_tasks_without_units_and_cut_short() {
    let p = plan(2);
    assert_eq!(p.number.as_deref(), Some("4707/KH-UBND"));
    assert_eq!(p.date, date(2021, 12, 24));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Hải Dương"));
    assert_eq!(p.plan_year, Some(2022));
    assert_eq!(
        bases(&p),
        [
            ("76/NQ-CP", date(2021, 7, 15)),
            ("23/CT-TTg", date(2021, 9, 2)),
            ("4347/KH-UBND", date(2021, 11, 25)),
        ]
    );
    assert!(p.legal_bases.iter().all(|b| b.preamble));
    assert_eq!(
        p.legal_bases[1].issuer.as_deref(),
        Some("Thủ tướng Chính phủ")
    );
    assert_eq!(
        shape(&p.sections),
        "I.[1.[- - - -] 2.[- - -]] II.[1.[a) b) c) d) đ) e) g)] 2.[a)[- -] b)]]"
    );
    assert!(p.goals.is_empty());
    assert!(p.kpis.is_empty());
    assert_eq!(p.tasks.len(), 10);
    assert!(
        p.tasks
            .iter()
            .all(|t| t.lead_units.is_empty() && t.deadline.is_none())
    );
    assert_eq!(
        task_at(&p, 65).text,
        "Tăng cường kiểm tra việc thực hiện CCHC, kiểm tra công vụ."
    );
    assert_eq!(task_at(&p, 65).section, "II › 1 › đ");
    assert_eq!(task_at(&p, 65).fields, ["1"]);
    assert_eq!(task_at(&p, 75).section, "II › 2 › a › -1");
    assert_eq!(task_at(&p, 75).fields, ["2"]);
    assert!(!p.complete);
    assert_eq!(
        p.incomplete_reasons,
        strings(&[
            "Dòng 81: văn bản có dấu lược \"[...]\" — một phần nội dung đã bị cắt.",
            "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.",
        ])
    );
    assert!(
        p.warnings.contains(
            &"Không thấy kết quả năm trước hay mục tiêu có số liệu (điểm, tỷ lệ, thứ hạng, nhóm)."
                .to_string()
        )
    );
}

#[test]
fn seed_003_dak_lak_2018_no_heading_targets_and_a_cut_list() {
    let p = plan(3);
    assert_eq!((p.number.as_deref(), p.date), (None, None));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Đắk Lắk"));
    assert_eq!(p.plan_year, Some(2018));
    assert_eq!(
        bases(&p),
        [
            ("187/TB-VPCP", date(2018, 5, 23)),
            ("3325/BNV-CCHC", date(2018, 5, 24)),
            ("3507/QĐ-UBND", date(2017, 12, 21)),
            ("3598/QĐ-UBND", date(2017, 12, 28)),
        ]
    );
    assert_eq!(
        p.legal_bases.iter().map(|b| b.preamble).collect::<Vec<_>>(),
        [true, true, false, false]
    );
    assert_eq!(p.legal_bases[1].kind.as_deref(), Some("Công văn"));
    assert_eq!(
        shape(&p.sections),
        "I.[1.[a) b) c) d)] 2.[a) b) c) d) e)]] II.[1.[a)[- - - - - -]]]"
    );

    // "Chỉ số CCHC năm 2018 … đạt từ 80% trở lên và Chỉ số PAPI … không nằm trong nhóm …".
    assert_eq!(p.goals.len(), 2);
    let t = goal(&p, "PAR INDEX", None).target.as_ref().unwrap();
    assert_eq!(
        t.percent,
        Some(Measure {
            value: num("80"),
            direction: Direction::AtLeast
        })
    );
    assert_eq!(t.year, Some(2018));
    let g = goal(&p, "PAPI", None)
        .target
        .as_ref()
        .unwrap()
        .group
        .clone()
        .unwrap();
    assert!(g.excluded);
    assert_eq!(g.text, "không nằm trong nhóm tỉnh trung bình thấp");

    let kpis: Vec<(usize, Direction, Number, &str)> = p
        .kpis
        .iter()
        .map(|k| (k.line, k.direction, k.value, k.subject.as_str()))
        .collect();
    assert_eq!(
        kpis,
        [
            (
                47,
                Direction::AtLeast,
                num("30"),
                "số cơ quan chuyên môn cấp tỉnh, đơn vị hành chính cấp huyện trên địa bàn tỉnh"
            ),
            (
                47,
                Direction::AtLeast,
                num("100"),
                "vấn đề phát hiện qua kiểm tra CCHC"
            ),
            (
                49,
                Direction::AtLeast,
                num("100"),
                "kế hoạch tuyên truyền CCHC"
            ),
            (
                53,
                Direction::AtLeast,
                num("100"),
                "nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao"
            ),
        ]
    );
    assert_eq!(p.tasks.len(), 6);
    assert!(
        p.tasks
            .iter()
            .all(|t| t.fields == ["1"] && t.lead_units.is_empty())
    );
    assert!(!p.complete);
    assert_eq!(
        p.incomplete_reasons,
        strings(&[
            "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.",
            "Dòng 39: mục \"1.\" là mục duy nhất của danh sách ở cuối văn bản — danh sách có vẻ bị cắt.",
            "Dòng 41: mục \"a)\" là mục duy nhất của danh sách ở cuối văn bản — danh sách có vẻ bị cắt.",
        ])
    );
    assert!(
        p.warnings
            .contains(&"Không thấy số hiệu văn bản (dòng \"Số: …\").".to_string())
    );
}

#[test]
fn seed_004_hung_yen_2023_a_press_summary_of_kpis() {
    let p = plan(4);
    assert_eq!(p.number.as_deref(), Some("204/KH-UBND"));
    assert_eq!(p.date, date(2022, 12, 23));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Hưng Yên"));
    assert_eq!(p.plan_year, Some(2023));
    // The plan's own number (cited twice) is not a basis.
    assert_eq!(bases(&p), [("44/KH-UBND", date(2022, 3, 14))]);
    assert_eq!(shape(&p.sections), "- - - - - -[+ + + + + + +]");
    assert_eq!(
        p.sections
            .iter()
            .map(|s| s.field.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["2", "3", "4", "5", "6", "7"]
    );
    // The site's text after the list belongs to no section.
    assert_eq!(
        p.closing[0].text,
        "Nội dung chi tiết tại Kế hoạch số 204/KH-UBND."
    );

    let names: Vec<&str> = p.goals.iter().map(|g| g.subject.index.as_str()).collect();
    assert_eq!(names, ["PAR INDEX", "PAPI", "ICT INDEX", "PCI"]);
    for g in &p.goals[..3] {
        assert_eq!(
            g.target.as_ref().unwrap().group.as_ref().unwrap().top,
            Some(20)
        );
    }
    assert_eq!(
        p.goals[3].target.as_ref().unwrap().rank_change,
        Some(RankChange {
            up: true,
            places: 2,
            places_max: Some(5),
            since: None
        })
    );

    assert_eq!(p.kpis.len(), 32);
    let find = |v: &str, line: usize| {
        p.kpis
            .iter()
            .find(|k| k.value == num(v) && k.line == line)
            .unwrap_or_else(|| panic!("no KPI {v} on line {line}"))
    };
    let k = find("95", 9);
    assert_eq!(k.direction, Direction::Above);
    assert_eq!(
        k.subject,
        "số hồ sơ thủ tục hành chính được trả kết quả giải quyết đúng hạn"
    );
    assert_eq!(k.field.as_deref(), Some("3"));
    let k = find("2.5", 11);
    assert_eq!(k.direction, Direction::Decrease);
    assert_eq!(k.subject, "số lượng đơn vị sự nghiệp công lập");
    assert_eq!(k.equivalent.as_deref(), Some("tương ướng 15 đơn vị"));
    assert_eq!(k.task, Some(0));
    assert_eq!(find("0.5", 11).direction, Direction::Decrease);
    assert_eq!(find("1.38", 11).direction, Direction::Decrease);
    assert_eq!(find("1.38", 11).subject, "biên chế công chức");
    let k = find("100", 19);
    assert_eq!(k.direction, Direction::AtLeast);
    assert!(
        k.subject
            .starts_with("văn bản trao đổi giữa các cơ quan nhà nước")
    );
    assert_eq!(k.field.as_deref(), Some("7"));
    assert_eq!(
        find("60", 31).subject,
        "tỷ lệ hồ sơ thủ tục hành chính được giải quyết bằng hình thức trực tuyến toàn trình"
    );
    assert_eq!(
        [find("60", 21), find("50", 21), find("30", 21)]
            .iter()
            .map(|k| k.subject.as_str())
            .collect::<Vec<_>>(),
        [
            "hồ sơ công việc tại cấp tỉnh",
            "hồ sơ công việc tại cấp huyện",
            "hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)"
        ]
    );

    // Items that only state targets are KPIs; those that say what to do are tasks.
    assert_eq!(
        p.tasks
            .iter()
            .map(|t| (t.line, t.fields.clone()))
            .collect::<Vec<_>>(),
        [
            (11, strings(&["4"])),
            (13, strings(&["5"])),
            (15, strings(&["6"])),
            (27, strings(&["7"])),
        ]
    );
    assert!(!p.complete);
    assert_eq!(
        p.incomplete_reasons,
        strings(&[
            "Dòng 33: \"Nội dung chi tiết tại Kế hoạch số 204/KH-UBND.\" — đây là bản tóm tắt hoặc trang tin, không phải toàn văn kế hoạch.",
            "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.",
        ])
    );
    assert!(p.warnings.contains(&"Dòng 3: văn bản chỉ ghi \"Ủy ban nhân dân tỉnh ban hành\"; tên tỉnh \"Hưng Yên\" lấy từ tiêu đề (dòng 1).".to_string()));
}

#[test]
fn every_seed_serialises_with_the_required_keys() {
    for n in 0..5 {
        let json = to_json(&plan(n));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for key in [
            "number",
            "date",
            "issuer",
            "plan_year",
            "legal_bases",
            "sections",
            "goals",
            "kpis",
            "tasks",
            "warnings",
            "complete",
        ] {
            assert!(v.get(key).is_some(), "seed {n}: no {key}");
        }
        for b in v["legal_bases"].as_array().unwrap() {
            assert!(b.get("number").is_some() && b.get("date").is_some());
        }
        for t in v["tasks"].as_array().unwrap() {
            for key in [
                "text",
                "lead_units",
                "cooperating_units",
                "deadline",
                "output",
            ] {
                assert!(t.get(key).is_some(), "seed {n}: task without {key}");
            }
        }
    }
}
