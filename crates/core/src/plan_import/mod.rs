//! Reading a plan document (kế hoạch) from its text into a [`ParsedPlan`]: metadata, legal
//! bases, the section tree, goals, KPIs and tasks, with every missing or inconsistent item
//! named in `warnings`. Pure: the caller turns a file into text (`chiso_reports::docx` for
//! Word) and shows or stores the result.
//!
//! Rules, each detailed in its module:
//! - text is NFC; one paragraph per line, a sentence broken across lines joined
//!   ([`paragraphs`]);
//! - metadata come from the document's heading; a website's block or a sentence is used only
//!   where the heading has nothing, with a warning ([`metadata`]);
//! - legal bases are the documents cited with a number, each once, keyed by the number ("QĐ"
//!   and "QD" alike); the same number with two dates is reported ([`citations`]);
//! - sections nest by marker style ([`outline`]); goals ([`goals`]), KPIs ([`kpis`]) and
//!   tasks ([`tasks`], [`tables`]) are read from them; deadlines keep what the text says and
//!   never take the year from the plan ([`deadline`]);
//! - `complete` is false when the closing block ("Nơi nhận", signature) is missing, an
//!   omission mark or a summary's pointer is present, or the body stops mid-sentence
//!   ([`closing`]).

mod citations;
mod closing;
mod dates;
mod deadline;
mod fields;
mod goals;
mod json;
mod kpis;
mod metadata;
mod model;
mod outline;
mod paragraphs;
mod scan;
mod tables;
mod tasks;
mod units;

#[cfg(test)]
mod seed_tests;

pub use json::to_json;
pub use model::*;

use outline::Outline;
use paragraphs::Para;

/// Warnings in Vietnamese, each once.
#[derive(Debug, Default)]
pub(crate) struct Warnings(pub Vec<String>);

impl Warnings {
    /// A warning about one line: "Dòng 53: …".
    pub fn at(&mut self, line: usize, message: impl AsRef<str>) {
        self.push(format!("Dòng {line}: {}", message.as_ref()));
    }

    /// A warning about the whole document.
    pub fn doc(&mut self, message: impl AsRef<str>) {
        self.push(message.as_ref().to_string());
    }

    fn push(&mut self, s: String) {
        if !self.0.contains(&s) {
            self.0.push(s);
        }
    }
}

fn to_paragraphs(ps: &[Para]) -> Vec<Paragraph> {
    ps.iter()
        .map(|p| Paragraph {
            line: p.line,
            text: p.text.clone(),
        })
        .collect()
}

/// Lines joined for a warning listing many ("12, 15, 20 và 3 dòng khác").
fn line_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(12).map(|l| l.to_string()).collect();
    if lines.len() > 12 {
        format!("{} và {} dòng khác", shown.join(", "), lines.len() - 12)
    } else {
        shown.join(", ")
    }
}

/// Tasks "theo Phụ lục gửi kèm" are missing when the file holds no appendix.
fn appendix_check(paras: &[Para], w: &mut Warnings) {
    let has_appendix = paras.iter().any(|p| {
        let f = scan::fold(&p.text);
        f.trim_start().starts_with("phu luc") && outline::is_upper(&p.text)
    });
    if has_appendix {
        return;
    }
    let cited: Vec<usize> = paras
        .iter()
        .filter(|p| {
            let t = scan::Text::new(&p.text);
            [
                "theo phu luc",
                "tai phu luc",
                "phu luc kem theo",
                "phu luc gui kem",
            ]
            .iter()
            .any(|x| t.find(x, 0).is_some())
        })
        .map(|p| p.line)
        .collect();
    if !cited.is_empty() {
        w.doc(format!(
            "Văn bản dẫn tới phụ lục gửi kèm (dòng {}) nhưng phụ lục không có trong tệp: các nhiệm vụ trong đó chưa được đọc.",
            line_list(&cited)
        ));
    }
}

/// Reads a plan document's text.
pub fn parse_plan(text: &str) -> ParsedPlan {
    let mut w = Warnings::default();
    let paras = paragraphs::paragraphs(text);
    if paras.is_empty() {
        w.doc("Văn bản trống: không có nội dung nào để đọc.");
        return ParsedPlan {
            number: None,
            date: None,
            issuer: None,
            plan_year: None,
            title: None,
            place: None,
            signer: None,
            found_at: FoundAt::default(),
            legal_bases: Vec::new(),
            preamble: Vec::new(),
            sections: Vec::new(),
            closing: Vec::new(),
            recipients: Vec::new(),
            goals: Vec::new(),
            kpis: Vec::new(),
            tasks: Vec::new(),
            warnings: w.0.clone(),
            complete: false,
            incomplete_reasons: w.0,
        };
    }

    // Where things are: heading, title, body, closing.
    let layout = metadata::layout(&paras);
    let closing = closing::find(&paras, layout.body_start);
    let body_all = &paras[layout.body_start.min(closing.start)..closing.start];
    // Table rows are read as tables, not as paragraphs of the outline; so are omission marks.
    let body: Vec<Para> = body_all
        .iter()
        .filter(|p| p.cells.is_none() && !matches!(p.text.trim(), "[...]" | "[…]" | "..." | "…"))
        .cloned()
        .collect();
    let mut outline = Outline::build(&body);
    // Without a "KẾ HOẠCH" line, the heading's own lines are not preamble.
    if layout.title.is_none() {
        outline
            .preamble
            .retain(|p| !metadata::is_heading_line(&p.text));
    }
    let meta = metadata::read(&paras, &layout, &outline.preamble, &mut w);
    let plan_year = meta.plan_year.as_ref().map(|y| y.0);
    outline.check_numbering(&mut w);

    // Legal bases: every citation outside the heading and the closing.
    let first_section_line = outline.nodes.first().map_or(usize::MAX, |n| n.line);
    let cited: Vec<&Para> = paras[layout.body_start.min(closing.start)..closing.start]
        .iter()
        .chain(layout.title.map_or(&[][..], |(a, b)| &paras[a..b]))
        .collect();
    let legal_bases = citations::legal_bases(
        &cited,
        meta.number.as_ref().map(|n| n.0.as_str()),
        first_section_line,
        &mut w,
    );

    // Goals, from the preamble and every item, with the field of its section.
    let node_field = |id: usize| -> Option<FieldRef> {
        std::iter::once(id)
            .chain(outline.ancestors(id))
            .find_map(|n| fields::field_of_title(&outline::title(outline.nodes[n].heading())))
    };
    let mut goal_sources: Vec<goals::Source<'_>> = outline
        .preamble
        .iter()
        .map(|p| goals::Source {
            line: p.line,
            text: &p.text,
            field: None,
        })
        .collect();
    let mut kpi_sources: Vec<kpis::Source<'_>> = outline
        .preamble
        .iter()
        .map(|p| kpis::Source {
            line: p.line,
            text: &p.text,
            field: None,
            node: None,
        })
        .collect();
    for (id, n) in outline.nodes.iter().enumerate() {
        let field = node_field(id);
        goal_sources.push(goals::Source {
            line: n.line,
            text: n.heading(),
            field: field.clone(),
        });
        kpi_sources.push(kpis::Source {
            line: n.line,
            text: n.heading(),
            field: field.as_ref().map(|f| f.code.clone()),
            node: Some(id),
        });
        for p in &n.body {
            goal_sources.push(goals::Source {
                line: p.line,
                text: &p.text,
                field: field.clone(),
            });
            kpi_sources.push(kpis::Source {
                line: p.line,
                text: &p.text,
                field: field.as_ref().map(|f| f.code.clone()),
                node: Some(id),
            });
        }
    }
    let (goals, claims) = goals::extract(&goal_sources, plan_year, &mut w);
    goals::check(&goals, &mut w);

    // Tasks, then KPIs linked to the task stating them.
    let (mut tasks, by_node) = tasks::from_outline(&outline);
    let table_rows: Vec<Para> = body_all
        .iter()
        .filter(|p| p.cells.is_some())
        .cloned()
        .collect();
    tasks.extend(tables::tasks(&table_rows));
    let kpis: Vec<Kpi> = kpis::extract(&kpi_sources, &claims)
        .into_iter()
        .map(|f| Kpi {
            task: f.node.and_then(|n| by_node.get(&n).copied()),
            ..f.kpi
        })
        .collect();

    // What the tasks do not say.
    let no_lead: Vec<usize> = tasks
        .iter()
        .filter(|t| t.lead_units.is_empty())
        .map(|t| t.line)
        .collect();
    if !no_lead.is_empty() {
        w.doc(format!(
            "{} trên {} nhiệm vụ không nêu cơ quan chủ trì (dòng {}).",
            no_lead.len(),
            tasks.len(),
            line_list(&no_lead)
        ));
    }
    let no_deadline: Vec<usize> = tasks
        .iter()
        .filter(|t| t.deadline.is_none())
        .map(|t| t.line)
        .collect();
    if !no_deadline.is_empty() {
        w.doc(format!(
            "{} trên {} nhiệm vụ không nêu thời hạn (dòng {}).",
            no_deadline.len(),
            tasks.len(),
            line_list(&no_deadline)
        ));
    }
    if let Some((date, _)) = meta.date {
        for t in &tasks {
            if let Some(due) = t.deadline.as_ref().and_then(|d| d.due)
                && due < date
            {
                w.at(
                    t.line,
                    format!(
                        "thời hạn \"{}\" trước ngày ban hành kế hoạch ({}).",
                        t.deadline.as_ref().map_or("", |d| d.text.as_str()),
                        dates::vi_date(date)
                    ),
                );
            }
        }
    }
    if tasks.is_empty() {
        w.doc("Không tìm thấy nhiệm vụ nào.");
    }
    appendix_check(&paras, &mut w);
    if goals.is_empty() {
        w.doc(
            "Không thấy kết quả năm trước hay mục tiêu có số liệu (điểm, tỷ lệ, thứ hạng, nhóm).",
        );
    }
    if legal_bases.is_empty() {
        w.doc("Không thấy văn bản căn cứ nào có số hiệu.");
    }

    // Completeness.
    let single_item_lists: Vec<(usize, String)> = match outline.nodes.len() {
        0 => Vec::new(),
        n => {
            let last = n - 1;
            let mut chain = outline.ancestors(last);
            chain.insert(0, last);
            chain
                .into_iter()
                .filter(|&id| {
                    let node = &outline.nodes[id];
                    let siblings = match node.parent {
                        Some(p) => &outline.nodes[p].children,
                        None => &outline.roots,
                    };
                    matches!(node.marker.kind, MarkerKind::Number | MarkerKind::Letter)
                        && node.marker.seq.last() == Some(&1)
                        && siblings
                            .iter()
                            .filter(|&&s| outline.nodes[s].marker.style == node.marker.style)
                            .count()
                            == 1
                })
                .map(|id| {
                    (
                        outline.nodes[id].line,
                        outline.nodes[id].marker.text.clone(),
                    )
                })
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect()
        }
    };
    let incomplete_reasons =
        closing::incomplete_reasons(&paras, closing.start, &closing, &single_item_lists);
    for r in &incomplete_reasons {
        w.doc(r);
    }

    let mut closing_text = to_paragraphs(&outline.loose);
    closing_text.extend(to_paragraphs(&closing.text));
    ParsedPlan {
        number: meta.number.as_ref().map(|n| n.0.clone()),
        date: meta.date.map(|d| d.0),
        issuer: meta.issuer.as_ref().map(|i| i.0.clone()),
        plan_year,
        title: meta.title.as_ref().map(|t| t.0.clone()),
        place: meta.place.clone(),
        signer: closing.signer.clone(),
        found_at: FoundAt {
            number: meta.number.as_ref().map(|n| n.1),
            date: meta.date.map(|d| d.1),
            issuer: meta.issuer.as_ref().map(|i| i.1),
            plan_year: meta.plan_year.map(|y| y.1),
            title: meta.title.as_ref().map(|t| t.1),
        },
        legal_bases,
        preamble: to_paragraphs(&outline.preamble),
        sections: outline.sections(),
        closing: closing_text,
        recipients: closing.recipients.clone(),
        goals,
        kpis,
        tasks,
        complete: incomplete_reasons.is_empty(),
        incomplete_reasons,
        warnings: w.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_empty_document_is_reported() {
        let p = parse_plan(" \n\t\n");
        assert!(p.found_nothing());
        assert!(!p.complete);
        assert_eq!(p.warnings, ["Văn bản trống: không có nội dung nào để đọc."]);
    }

    proptest! {
        #[test]
        fn any_text_is_read_without_panicking(s in "\\PC{0,400}") {
            let p = parse_plan(&s);
            let _ = to_json(&p);
        }

        #[test]
        fn plan_like_text_is_read_without_panicking(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "I. MỤC TIÊU", "1. Cải cách thể chế: Năm 2023: Đạt 8,53 điểm/10 điểm tối đa (đạt tỷ lệ 85,35%)",
                    "1.1.", "a)", "- ", "+ Giao", "(Giao Sở Nội vụ chủ trì, phối hợp với", "trước ngày 05/01/2024",
                    "Quý II/", "thường xuyên", "giảm 2,5 %", "trên 95%", "Số: /KH-", "ngày tháng năm",
                    "KẾ HOẠCH", "Nơi nhận:", "CHỦ TỊCH", "[...]", "tốp 15", "Trong đó: điểm", "(tối đa: 6 điểm)",
                    "Quyết định số 876/QĐ-BNV ngày 10/11/2022 của", "\t", "", "%", "/", ":", "(", ")", "Sở",
                    "từ ngày 01/12/2023 đến ngày", "xếp thứ 39/63", "tăng từ 2 đến", "đạt điểm tối đa (",
                ]),
                0..40,
            )
        ) {
            let text = lines.join("\n");
            let p = parse_plan(&text);
            let _ = to_json(&p);
            let joined = lines.concat();
            let _ = parse_plan(&joined);
        }
    }
}
