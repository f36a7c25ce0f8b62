//! `chiso plan import FILE [--json]`: read a plan document (.txt or .docx) into its
//! structure, with no database.

use crate::Failure;
use chiso_core::lang::Lang;
use chiso_core::plan_import::{ParsedPlan, parse_plan, to_json};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Read a plan document (UTF-8 .txt, or Word .docx): number, date, issuer, year, legal
    /// bases, sections, goals, KPIs and tasks with lead and cooperating units and deadlines.
    /// What is missing or inconsistent is listed as warnings, never guessed. Exit 1 when the
    /// file is not a readable document or holds nothing of a plan.
    Import {
        /// The document (.txt or .docx).
        file: PathBuf,
        /// Print the whole structure as JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a plan command.
pub fn run(command: PlanCommand) -> Result<(), Failure> {
    match command {
        PlanCommand::Import { file, json } => {
            let name = file.display().to_string();
            let text = read_document(&file)?;
            if text.trim().is_empty() {
                return Err(Failure::input(format!("{name}: tài liệu trống.")));
            }
            let plan = parse_plan(&text);
            if plan.found_nothing() {
                return Err(Failure::input(format!(
                    "{name}: không nhận ra nội dung nào của một kế hoạch (số hiệu, tiêu đề, mục, nhiệm vụ)."
                )));
            }
            let out = if json { to_json(&plan) } else { summary(&plan) };
            std::io::stdout()
                .lock()
                .write_all(out.as_bytes())
                .map_err(|e| Failure::env(format!("cannot write the output: {e}")))
        }
    }
}

/// The text of a .txt (UTF-8, with or without a byte-order mark) or .docx file.
fn read_document(path: &Path) -> Result<String, Failure> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "txt" | "docx") {
        let hint = if ext == "doc" {
            " Tệp .doc (Word 97–2003) chưa đọc được: hãy mở trong Word và lưu thành .docx."
        } else {
            ""
        };
        return Err(Failure::env(format!(
            "{name}: chỉ đọc được tệp .txt hoặc .docx.{hint}"
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failure::env(format!("cannot read {name}: {e}")))?;
    if ext == "docx" {
        return chiso_reports::docx::docx_text(&bytes)
            .map_err(|e| Failure::input(format!("{name}: {}", e.message(Lang::Vi))));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::input(format!(
            "{name}: tệp không phải văn bản UTF-8 (trong Notepad chọn Lưu thành, mã hóa UTF-8)."
        ))
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

fn or_missing(value: Option<String>) -> String {
    value.unwrap_or_else(|| "(không thấy)".to_string())
}

/// A short summary in Vietnamese.
fn summary(p: &ParsedPlan) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("Số hiệu: {}", or_missing(p.number.clone())));
    line(format!(
        "Ngày ban hành: {}",
        or_missing(p.date.map(chiso_core::format::date))
    ));
    line(format!(
        "Cơ quan ban hành: {}",
        or_missing(p.issuer.clone())
    ));
    line(format!(
        "Năm kế hoạch: {}",
        or_missing(p.plan_year.map(|y| y.to_string()))
    ));
    line(format!("Tiêu đề: {}", or_missing(p.title.clone())));
    let bases: Vec<&str> = p.legal_bases.iter().map(|b| b.number.as_str()).collect();
    line(format!(
        "Căn cứ: {} văn bản{}",
        bases.len(),
        if bases.is_empty() {
            String::new()
        } else {
            format!(" ({})", bases.join(", "))
        }
    ));
    fn count(s: &[chiso_core::plan_import::Section]) -> usize {
        s.iter().map(|x| 1 + count(&x.children)).sum()
    }
    line(format!(
        "Mục: {} mục lớn, {} mục tất cả",
        p.sections.len(),
        count(&p.sections)
    ));
    line(format!("Mục tiêu: {}", p.goals.len()));
    for g in &p.goals {
        let subject = match &g.subject.field {
            Some(f) => format!("Lĩnh vực {} ({})", f.code, f.name),
            None => g.subject.index.clone(),
        };
        let change = |rc: &chiso_core::plan_import::RankChange| {
            format!(
                "{} {}{} bậc",
                if rc.up { "tăng" } else { "giảm" },
                rc.places,
                rc.places_max.map_or(String::new(), |m| format!("–{m}"))
            )
        };
        let mut parts = Vec::new();
        if let Some(b) = &g.baseline {
            let mut bits = Vec::new();
            if let Some(pt) = b.points {
                let max = b.max.map_or(String::new(), |m| format!("/{}", m.to_vi()));
                bits.push(format!("{}{max} điểm", pt.to_vi()));
            }
            if let Some(pc) = b.percent {
                bits.push(format!("{}%", pc.to_vi()));
            }
            if let Some(r) = b.rank {
                bits.push(format!(
                    "thứ {r}{}",
                    b.rank_of.map_or(String::new(), |of| format!("/{of}"))
                ));
            }
            if let Some(rc) = &b.rank_change {
                bits.push(change(rc));
            }
            let year = b.year.map_or(String::new(), |y| format!(" {y}"));
            parts.push(format!("kết quả{year}: {}", bits.join(", ")));
        }
        if let Some(t) = &g.target {
            let mut bits = Vec::new();
            if t.at_max {
                bits.push("điểm tối đa".to_string());
            } else if let Some(pt) = t.points {
                bits.push(format!(
                    "{} {} điểm",
                    pt.direction.symbol(),
                    pt.value.to_vi()
                ));
            }
            if let Some(pc) = t.percent {
                bits.push(format!("{} {}%", pc.direction.symbol(), pc.value.to_vi()));
            }
            for c in &t.components {
                if c.at_max {
                    bits.push(format!("{}: điểm tối đa", c.label));
                } else if let Some(pt) = c.points {
                    bits.push(format!(
                        "{}: {} {} điểm",
                        c.label,
                        pt.direction.symbol(),
                        pt.value.to_vi()
                    ));
                }
            }
            if let Some(gr) = &t.group {
                bits.push(gr.text.clone());
            }
            if let Some(rc) = &t.rank_change {
                bits.push(change(rc));
            }
            let year = t.year.map_or(String::new(), |y| format!(" {y}"));
            parts.push(format!("mục tiêu{year}: {}", bits.join(", ")));
        }
        line(format!("  - {subject}: {}", parts.join("; ")));
    }
    line(format!("Chỉ tiêu: {}", p.kpis.len()));
    for k in &p.kpis {
        let unit = if k.unit == "%" {
            "%".to_string()
        } else {
            format!(" {}", k.unit)
        };
        line(format!(
            "  - {} {}{unit}: {}",
            k.direction.symbol(),
            k.value.to_vi(),
            k.subject
        ));
    }
    let with_lead = p.tasks.iter().filter(|t| !t.lead_units.is_empty()).count();
    let with_deadline = p.tasks.iter().filter(|t| t.deadline.is_some()).count();
    line(format!(
        "Nhiệm vụ: {} ({with_lead} có cơ quan chủ trì, {with_deadline} có thời hạn)",
        p.tasks.len()
    ));
    line(format!(
        "Văn bản: {}",
        if p.complete {
            "đầy đủ"
        } else {
            "không đầy đủ (xem cảnh báo)"
        }
    ));
    if !p.warnings.is_empty() {
        line(format!("Cảnh báo ({}):", p.warnings.len()));
        for w in &p.warnings {
            line(format!("  - {w}"));
        }
    }
    out
}
