//! The self-assessment report (báo cáo tự đánh giá) as a Word document, in the structure the
//! Ministry's guidance asks units to send with their annex: the heading block (issuer, number,
//! place and date), the title, I. the result (total and a table per field), II. explanations
//! for items without or with incomplete evidence, III. difficulties and recommendations, and
//! the signature block.

use crate::docx::DocxError;
use crate::docx_writer::{Align, Block, Paragraph, Run, TEXT_WIDTH, Table, package};
use chiso_core::format;
use chiso_core::lang::Lang;
use chiso_core::results::published;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// What the report says; the web layer fills it from the unit's assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessmentReport {
    /// The authority above the unit, e.g. "UBND TỈNH LÀO CAI".
    pub issuer: String,
    /// The reporting unit as written in a sentence, e.g. "Sở Tư pháp"; the heading block prints
    /// it in capitals.
    pub unit_name: String,
    /// The document number after "Số:", e.g. "25/BC-STP"; empty leaves the number to be written
    /// in when the document is registered.
    pub number: String,
    /// The place in the date line, e.g. "Lào Cai".
    pub place: String,
    pub date: NaiveDate,
    pub year: i32,
    /// An opening paragraph citing the plan or guidance that asks for the report; may be empty.
    pub opening: String,
    /// Self-assessed points per field; maxima exclude survey points, which the unit does not
    /// score itself.
    pub fields: Vec<FieldScore>,
    pub explanations: Vec<Explanation>,
    /// Paragraphs of section III.1.
    pub difficulties: Vec<String>,
    /// Paragraphs of section III.2.
    pub recommendations: Vec<String>,
    pub signer: Signer,
    /// "Nơi nhận": who receives a copy, e.g. "Sở Nội vụ", "Lưu: VT".
    pub recipients: Vec<String>,
}

/// A field's, criterion's or sub-criterion's self-assessed points: the table lists the tree,
/// fields at depth 0; totals add the fields only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldScore {
    pub code: String,
    pub name: String,
    pub max: Decimal,
    pub self_score: Decimal,
    /// 0 for a field, 1 for a criterion, 2 for a sub-criterion…
    pub depth: u8,
}

/// Why an item's evidence falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceGap {
    /// No evidence at all.
    Missing,
    /// Some evidence, not all the guidance asks for.
    Incomplete,
}

impl EvidenceGap {
    fn label(self) -> &'static str {
        match self {
            EvidenceGap::Missing => "không có tài liệu kiểm chứng",
            EvidenceGap::Incomplete => "tài liệu kiểm chứng chưa đầy đủ",
        }
    }
}

/// The unit's explanation for one criterion or sub-criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub code: String,
    pub name: String,
    pub gap: EvidenceGap,
    pub text: String,
}

/// The leader who approves the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// As printed above the signature, e.g. "GIÁM ĐỐC" or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".
    pub position: String,
    pub name: String,
    /// When the leader approved it in chiso; `None` for a draft.
    pub signed_on: Option<NaiveDate>,
}

/// The report's title line under "BÁO CÁO".
pub fn title(year: i32) -> String {
    format!("Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}")
}

/// "Lào Cai, ngày 05 tháng 01 năm 2026", as official documents date themselves.
pub fn date_line(place: &str, date: NaiveDate) -> String {
    format!(
        "{place}, ngày {:02} tháng {:02} năm {}",
        date.day(),
        date.month(),
        date.year()
    )
}

fn points(value: Decimal) -> String {
    format::points(value, Lang::Vi)
}

/// The percentage of `part` in `max`, as published; `None` when `max` is zero.
fn percent(part: Decimal, max: Decimal) -> Option<Decimal> {
    (!max.is_zero()).then(|| published(part / max * Decimal::ONE_HUNDRED))
}

/// Writes the report as a .docx.
pub fn self_assessment_docx(report: &SelfAssessmentReport) -> Result<Vec<u8>, DocxError> {
    let fields = || report.fields.iter().filter(|f| f.depth == 0);
    let total_max: Decimal = fields().map(|f| f.max).sum();
    let total_self: Decimal = fields().map(|f| f.self_score).sum();
    let number = if report.number.is_empty() {
        "Số:        /BC".to_string()
    } else {
        format!("Số: {}", report.number)
    };
    let date = date_line(&report.place, report.date);
    let title = title(report.year);
    let summary = match percent(total_self, total_max) {
        Some(p) => format!(
            "Tổng điểm tự đánh giá: {}/{} điểm, đạt {}%.",
            points(total_self),
            points(total_max),
            points(p)
        ),
        None => "Chưa có tiêu chí nào được tự đánh giá.".to_string(),
    };
    let closing = format!(
        "Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {} của {}./.",
        report.year, report.unit_name
    );

    let unit = report.unit_name.to_uppercase();
    let mut blocks = vec![heading_block(report, &unit, &number, &date)];
    blocks.push(Block::Paragraph(Paragraph {
        runs: vec![Run {
            size: Some(14),
            ..Run::bold("BÁO CÁO")
        }],
        ..Paragraph::centred(vec![])
    }));
    blocks.push(Block::Paragraph(Paragraph {
        tight: false,
        ..Paragraph::centred(vec![Run::bold(&title)])
    }));
    if !report.opening.is_empty() {
        blocks.push(Block::Paragraph(Paragraph::body(vec![Run::plain(
            &report.opening,
        )])));
    }

    blocks.push(Block::Paragraph(Paragraph::heading(
        "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM",
    )));
    blocks.push(Block::Paragraph(Paragraph::body(vec![Run::plain(
        &summary,
    )])));
    let cells: Vec<[String; 5]> = report
        .fields
        .iter()
        .map(|f| {
            [
                f.code.clone(),
                // Criteria and sub-criteria indented under their field.
                format!("{}{}", "\u{a0}".repeat(4 * usize::from(f.depth)), f.name),
                points(f.max),
                points(f.self_score),
                percent(f.self_score, f.max).map(points).unwrap_or_default(),
            ]
        })
        .collect();
    let total_row = [
        String::new(),
        "Tổng cộng".to_string(),
        points(total_max),
        points(total_self),
        percent(total_self, total_max)
            .map(points)
            .unwrap_or_default(),
    ];
    blocks.push(Block::Table(field_table(&cells, &total_row)));

    blocks.push(Block::Paragraph(Paragraph::heading(
        "II. GIẢI TRÌNH CÁC TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN KHÔNG CÓ HOẶC CHƯA ĐẦY ĐỦ TÀI LIỆU KIỂM CHỨNG",
    )));
    let explained: Vec<(String, &str)> = report
        .explanations
        .iter()
        .map(|e| {
            (
                format!("- {} {} ({}): ", e.code, e.name, e.gap.label()),
                e.text.as_str(),
            )
        })
        .collect();
    if explained.is_empty() {
        blocks.push(nothing());
    }
    for (lead, text) in &explained {
        blocks.push(Block::Paragraph(Paragraph::body(vec![
            Run::bold(lead),
            Run::plain(text),
        ])));
    }

    blocks.push(Block::Paragraph(Paragraph::heading(
        "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
    )));
    for (heading, paragraphs) in [
        ("1. Khó khăn, vướng mắc", &report.difficulties),
        ("2. Đề xuất, kiến nghị", &report.recommendations),
    ] {
        blocks.push(Block::Paragraph(Paragraph::heading(heading)));
        if paragraphs.is_empty() {
            blocks.push(nothing());
        }
        for p in paragraphs {
            blocks.push(Block::Paragraph(Paragraph::body(vec![Run::plain(p)])));
        }
    }
    blocks.push(Block::Paragraph(Paragraph::body(vec![Run::plain(
        &closing,
    )])));

    let signed = report
        .signer
        .signed_on
        .map(|d| format!("(Đã ký duyệt ngày {})", format::date(d)));
    blocks.push(signature_block(report, signed.as_deref()));
    package(&blocks)
}

fn nothing() -> Block<'static> {
    Block::Paragraph(Paragraph::body(vec![Run::plain("Không có.")]))
}

/// Issuer and number on the left; the national motto and the date line on the right.
fn heading_block<'a>(
    report: &'a SelfAssessmentReport,
    unit: &'a str,
    number: &'a str,
    date: &'a str,
) -> Block<'a> {
    let left = vec![
        Paragraph::centred(vec![Run::plain(&report.issuer)]),
        Paragraph::centred(vec![Run::bold(unit)]),
        Paragraph::centred(vec![Run::plain(number)]),
    ];
    let right = vec![
        Paragraph::centred(vec![Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]),
        Paragraph::centred(vec![Run::bold("Độc lập - Tự do - Hạnh phúc")]),
        Paragraph::centred(vec![Run::italic(date)]),
    ];
    let left_width = 3600;
    Block::Table(Table {
        widths: vec![left_width, TEXT_WIDTH - left_width],
        rows: vec![vec![left, right]],
        borders: false,
        header: false,
    })
}

/// STT | Lĩnh vực | Điểm tối đa | Điểm tự đánh giá | Tỷ lệ (%), then the total.
fn field_table<'a>(cells: &'a [[String; 5]], total: &'a [String; 5]) -> Table<'a> {
    let head = [
        "STT",
        "Lĩnh vực",
        "Điểm tối đa",
        "Điểm tự đánh giá",
        "Tỷ lệ (%)",
    ];
    let mut rows = vec![
        head.iter()
            .map(|h| vec![Paragraph::centred(vec![Run::bold(h)])])
            .collect::<Vec<_>>(),
    ];
    let row = |values: &'a [String; 5], bold: bool| {
        values
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let run = Run {
                    bold,
                    ..Run::plain(v)
                };
                // Names read left to right; numbers line up centred.
                let align = if c == 1 { Align::Left } else { Align::Center };
                vec![Paragraph::centred(vec![run]).aligned(align)]
            })
            .collect::<Vec<_>>()
    };
    rows.extend(cells.iter().map(|c| row(c, false)));
    rows.push(row(total, true));
    Table {
        widths: vec![700, TEXT_WIDTH - 700 - 3 * 1500, 1500, 1500, 1500],
        rows,
        borders: true,
        header: true,
    }
}

/// "Nơi nhận" on the left; position, a space to sign, and the name on the right.
fn signature_block<'a>(report: &'a SelfAssessmentReport, signed: Option<&'a str>) -> Block<'a> {
    let mut left = vec![
        Paragraph::centred(vec![Run {
            size: Some(12),
            ..Run {
                bold: true,
                italic: true,
                ..Run::plain("Nơi nhận:")
            }
        }])
        .aligned(Align::Left),
    ];
    for (i, r) in report.recipients.iter().enumerate() {
        // Official lists end each line with ";" and the last with ".".
        let end = if i + 1 == report.recipients.len() {
            "."
        } else {
            ";"
        };
        left.push(
            Paragraph::centred(vec![
                Run {
                    size: Some(11),
                    ..Run::plain("- ")
                },
                Run {
                    size: Some(11),
                    ..Run::plain(r)
                },
                Run {
                    size: Some(11),
                    ..Run::plain(end)
                },
            ])
            .aligned(Align::Left),
        );
    }
    let mut right = vec![Paragraph::centred(vec![Run::bold(&report.signer.position)])];
    right.push(Paragraph::centred(vec![Run::italic(
        signed.unwrap_or("(Ký, ghi rõ họ tên, đóng dấu)"),
    )]));
    // Room for the handwritten signature and the seal.
    for _ in 0..3 {
        right.push(Paragraph::centred(vec![]));
    }
    right.push(Paragraph::centred(vec![Run::bold(&report.signer.name)]));
    let left_width = 4200;
    Block::Table(Table {
        widths: vec![left_width, TEXT_WIDTH - left_width],
        rows: vec![vec![left, right]],
        borders: false,
        header: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::docx_text;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn sample() -> SelfAssessmentReport {
        let field = |code: &str, name: &str, max: &str, score: &str| FieldScore {
            code: code.into(),
            name: name.into(),
            max: d(max),
            self_score: d(score),
            depth: code.matches('.').count() as u8,
        };
        SelfAssessmentReport {
            issuer: "UBND TỈNH LÀO CAI".into(),
            unit_name: "Sở Tư pháp".into(),
            number: "25/BC-STP".into(),
            place: "Lào Cai".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            year: 2025,
            opening: "Thực hiện Kế hoạch số 152/KH-UBND của UBND tỉnh về xác định Chỉ số cải cách hành chính năm 2025, Sở Tư pháp báo cáo kết quả tự đánh giá, chấm điểm như sau:".into(),
            fields: vec![
                field("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "9.5", "8.75"),
                field("2", "Cải cách thể chế", "6", "5.5"),
                field("2.1", "Ban hành văn bản quy phạm pháp luật", "2", "1.5"),
                field("3", "Cải cách thủ tục hành chính", "14.5", "12.25"),
            ],
            explanations: vec![
                Explanation {
                    code: "1.1.1".into(),
                    name: "Ban hành kế hoạch đúng thời hạn".into(),
                    gap: EvidenceGap::Incomplete,
                    text: "Kế hoạch ban hành ngày 20/01/2025, văn bản giao nhiệm vụ đang trình ký.".into(),
                },
                Explanation {
                    code: "3.2".into(),
                    name: "Công khai thủ tục hành chính".into(),
                    gap: EvidenceGap::Missing,
                    text: "Cổng thông tin điện tử bị gián đoạn, đơn vị bổ sung ảnh chụp màn hình.".into(),
                },
            ],
            difficulties: vec!["Một số tài liệu kiểm chứng do cơ quan khác ban hành, đơn vị không chủ động thu thập được.".into()],
            recommendations: vec![],
            signer: Signer {
                position: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".into(),
                name: "Nguyễn Văn Định".into(),
                signed_on: Some(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            },
            recipients: vec!["Sở Nội vụ".into(), "Lãnh đạo Sở".into(), "Lưu: VT".into()],
        }
    }

    #[test]
    fn the_report_reads_back() {
        let bytes = self_assessment_docx(&sample()).unwrap();
        insta::assert_snapshot!(docx_text(&bytes).unwrap());
    }

    #[test]
    fn a_draft_without_number_or_fields_still_reads() {
        let mut r = sample();
        r.number.clear();
        r.fields.clear();
        r.explanations.clear();
        r.signer.signed_on = None;
        let text = docx_text(&self_assessment_docx(&r).unwrap()).unwrap();
        for expected in [
            "Số:        /BC",
            "Chưa có tiêu chí nào được tự đánh giá.",
            "(Ký, ghi rõ họ tên, đóng dấu)",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
        assert_eq!(text.matches("Không có.").count(), 2, "{text}");
    }

    /// Converts the report with LibreOffice when it is installed: the check that Word-like
    /// software opens it, not only our own reader.
    #[test]
    fn libreoffice_converts_it_to_pdf() {
        let Some(office) = ["soffice", "libreoffice"].into_iter().find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        }) else {
            eprintln!("skipped: neither soffice nor libreoffice is installed");
            return;
        };
        let dir = std::env::temp_dir().join(format!("chiso-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let docx = dir.join("bao-cao.docx");
        std::fs::write(&docx, self_assessment_docx(&sample()).unwrap()).unwrap();
        let status = std::process::Command::new(office)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&docx)
            // A private profile: a running LibreOffice or a fresh home must not interfere.
            .env("HOME", &dir)
            .status()
            .unwrap();
        assert!(status.success());
        let pdf = std::fs::read(dir.join("bao-cao.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        std::fs::remove_dir_all(&dir).ok();
    }
}
