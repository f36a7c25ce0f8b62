//! Tasks from the section tree.
//!
//! A task is an item that says what to do: a leaf of the tree (a bullet, a lettered or
//! numbered item, or a short heading with its paragraphs), outside the "Mục đích, yêu cầu"
//! part. An item with sub-items is a group whose lead unit, deadline and field pass to the
//! sub-items that do not state their own (recorded in `inherited`), except:
//! - sub-items that are attributes ("Cơ quan chủ trì: …", "Thời gian thực hiện: …", "Sản
//!   phẩm: …", "Thành phần: - Chủ trì: … - …") belong to their item, which stays a task;
//! - an item that names its own lead and ends with ":" over plain sub-items ("a) Sở Nội vụ:
//!   Chủ trì … đối với 03 lĩnh vực, bao gồm: - Lĩnh vực …") is one task, the sub-items its
//!   details.
//!
//! An item that only states a target ("- 100% văn bản …", "+ Phấn đấu 100% …") is a KPI, not
//! a task.

use super::deadline::deadlines;
use super::fields::{criteria_mentioned, field_of_title, fields_mentioned};
use super::model::{Deadline, MarkerKind, Task};
use super::outline::{Outline, is_purpose_title, title};
use super::scan::{Kind, Text, fold, tokens};
use super::units::{Assignment, heading_units, role_after_heading, split_units};
use std::collections::HashMap;

/// What passes from a group to its items.
#[derive(Debug, Clone, Default)]
struct Ctx {
    lead: Vec<String>,
    cooperating: Vec<String>,
    implementing: Vec<String>,
    deadline: Option<Deadline>,
    field: Option<String>,
    excluded: bool,
}

/// What attribute sub-items say about their item.
#[derive(Debug, Clone, Default)]
struct Attrs {
    who: Assignment,
    deadlines: Vec<Deadline>,
    output: Option<String>,
}

const LEAD_LABELS: [&str; 4] = [
    "co quan chu tri",
    "don vi chu tri",
    "chu tri",
    "chu tri thuc hien",
];
const COOP_LABELS: [&str; 4] = [
    "co quan phoi hop",
    "don vi phoi hop",
    "phoi hop",
    "phoi hop thuc hien",
];
const DO_LABELS: [&str; 3] = [
    "co quan thuc hien",
    "don vi thuc hien",
    "trach nhiem thuc hien",
];
const TIME_LABELS: [&str; 9] = [
    "thoi gian thuc hien",
    "thoi gian hoan thanh",
    "thoi han hoan thanh",
    "thoi diem hoan thanh",
    "han hoan thanh",
    "tien do thuc hien",
    "thoi han",
    "tien do",
    "thoi gian",
];
const OUTPUT_LABELS: [&str; 6] = [
    "san pham",
    "san pham dau ra",
    "ket qua dau ra",
    "ket qua/san pham",
    "san pham/ket qua",
    "hinh thuc san pham",
];
const PARTICIPANT_LABELS: [&str; 3] = ["thanh phan", "thanh phan tham gia", "thanh phan tham du"];

fn is_label(title: &str, labels: &[&str]) -> bool {
    let f = fold(title);
    labels.contains(&f.trim())
}

/// The text after a heading's title and colon ("Sở Nội vụ: Chủ trì …" → "Chủ trì …").
fn after_title(heading: &str) -> Option<String> {
    let t = title(heading);
    let rest = heading.strip_prefix(&t)?.trim_start();
    rest.strip_prefix(':').map(|r| r.trim().to_string())
}

/// "Sản phẩm: …" in a task's text.
pub(crate) fn output_of(text: &str) -> Option<String> {
    let t = Text::new(text);
    for label in OUTPUT_LABELS.iter().rev() {
        let Some(p) = t.find(label, 0) else { continue };
        let mut s = p + label.chars().count();
        while s < t.len() && t.chars[s] == ' ' {
            s += 1;
        }
        if t.chars.get(s) != Some(&':') {
            continue;
        }
        let end = t
            .find_char_outside_parens(&[';', ')'], s + 1, t.len())
            .into_iter()
            .chain((s + 1..t.len()).find(|&k| {
                t.chars[k] == '.' && t.chars.get(k + 1).is_none_or(|c| c.is_whitespace())
            }))
            .min()
            .unwrap_or(t.len());
        let v = t.slice(s + 1, end);
        if !v.is_empty() {
            return Some(v);
        }
    }
    None
}

/// Whether an item only states a target: it opens with a figure ("100% văn bản …", "Trên 95%
/// hồ sơ …", "Giảm 10% thời gian …"), or with "Phấn đấu", "Tỷ lệ", "Mức độ" and has a
/// percentage.
fn is_kpi_only(text: &str) -> bool {
    let t = Text::new(text);
    let toks = tokens(&t);
    let mut i = 0;
    const LEADS: [&str; 12] = [
        "tren", "toi", "thieu", "it", "nhat", "dat", "tu", "khoang", "phan", "dau", "giam", "tang",
    ];
    while toks
        .get(i)
        .is_some_and(|x| LEADS.contains(&x.text.as_str()) || x.is(","))
    {
        i += 1;
    }
    if toks.get(i).is_some_and(|x| x.kind == Kind::Num)
        && toks.get(i + 1).is_some_and(|x| x.is("%"))
    {
        return true;
    }
    let f = fold(text);
    ["phan dau", "muc tieu", "chi tieu", "ty le", "muc do"]
        .iter()
        .any(|p| f.starts_with(p))
        && text.contains('%')
}

/// Tasks in document order, and which outline node each came from.
pub(crate) fn from_outline(o: &Outline) -> (Vec<Task>, HashMap<usize, usize>) {
    let mut tasks = Vec::new();
    let mut by_node = HashMap::new();
    for &r in &o.roots {
        walk(o, r, &Ctx::default(), &mut tasks, &mut by_node);
    }
    (tasks, by_node)
}

/// Reads an attribute sub-item; `None` when the item is not one.
fn attribute(o: &Outline, id: usize) -> Option<Attrs> {
    let n = &o.nodes[id];
    let heading = n.heading();
    let t = title(heading);
    let mut a = Attrs::default();
    if is_label(&t, &PARTICIPANT_LABELS) && !n.children.is_empty() {
        for &c in &n.children {
            let ch = o.nodes[c].heading();
            let ct = title(ch);
            let value = after_title(ch).unwrap_or_default();
            if is_label(&ct, &LEAD_LABELS) {
                a.who.merge(Assignment {
                    lead: split_units(&value),
                    ..Default::default()
                });
            } else {
                a.who.merge(Assignment {
                    cooperating: split_units(ch),
                    ..Default::default()
                });
            }
        }
        return Some(a);
    }
    if !n.children.is_empty() {
        return None;
    }
    let value = after_title(heading)?;
    let value = if value.is_empty() {
        n.body
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        value
    };
    if value.is_empty() {
        return None;
    }
    if is_label(&t, &LEAD_LABELS) {
        a.who.lead = split_units(&value);
    } else if is_label(&t, &COOP_LABELS) {
        a.who.cooperating = split_units(&value);
    } else if is_label(&t, &DO_LABELS) {
        a.who.implementing = split_units(&value);
    } else if is_label(&t, &TIME_LABELS) {
        a.deadlines = deadlines(&format!("Thời gian: {value}"));
    } else if is_label(&t, &OUTPUT_LABELS) {
        a.output = Some(value.trim_end_matches(['.', ';']).to_string());
    } else {
        return None;
    }
    Some(a)
}

fn walk(
    o: &Outline,
    id: usize,
    ctx: &Ctx,
    tasks: &mut Vec<Task>,
    by_node: &mut HashMap<usize, usize>,
) {
    let n = &o.nodes[id];
    let heading = n.heading().to_string();
    let t = title(&heading);
    let rest = after_title(&heading);
    let mut ctx_here = ctx.clone();
    if let Some(f) = field_of_title(&t) {
        ctx_here.field = Some(f.code);
    }
    if matches!(
        n.marker.kind,
        MarkerKind::Roman | MarkerKind::Number | MarkerKind::Letter
    ) && is_purpose_title(&t)
    {
        ctx_here.excluded = true;
    }

    // Who the item names: "X: Chủ trì …", "Trách nhiệm của X", "(Giao X chủ trì …)".
    let full: String = std::iter::once(heading.as_str())
        .chain(n.body.iter().map(|p| p.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut own = super::units::assignment(&full);
    let heading_who = if rest.is_some() || heading.split_whitespace().count() <= 12 {
        heading_units(&t)
    } else {
        Vec::new()
    };
    if !heading_who.is_empty() {
        let units = Assignment {
            lead: if role_after_heading(rest.as_deref().unwrap_or("")) == Some(false) {
                Vec::new()
            } else {
                heading_who.clone()
            },
            cooperating: if role_after_heading(rest.as_deref().unwrap_or("")) == Some(false) {
                heading_who.clone()
            } else {
                Vec::new()
            },
            ..Default::default()
        };
        let mut merged = units;
        merged.merge(own);
        own = merged;
    }
    let own_deadlines = deadlines(&heading);
    let label_rest = rest
        .clone()
        .filter(|_| field_of_title(&t).is_some())
        .unwrap_or_else(|| heading.clone());
    // A target with its own lead or deadline is tracked as a task all the same.
    let kpi_only = is_kpi_only(&label_rest) && own.is_empty() && own_deadlines.is_empty();

    // Attribute sub-items.
    let mut attrs = Attrs::default();
    let mut remaining = Vec::new();
    for &c in &n.children {
        match attribute(o, c) {
            Some(a) => {
                attrs.who.merge(a.who);
                attrs.deadlines.extend(a.deadlines);
                if attrs.output.is_none() {
                    attrs.output = a.output;
                }
            }
            None => remaining.push(c),
        }
    }

    if !remaining.is_empty() {
        // Numbered sub-items and "Trách nhiệm của …" headings are lists of tasks, not details.
        let responsibility = Text::new(&t).matches_at(0, "trach nhiem");
        let plain_details = heading.trim_end().ends_with(':')
            && !responsibility
            && (!own.lead.is_empty() || !own_deadlines.is_empty())
            && remaining.iter().all(|&c| {
                let ch = &o.nodes[c];
                matches!(
                    ch.marker.kind,
                    MarkerKind::Dash | MarkerKind::Plus | MarkerKind::Bullet
                ) && ch.children.is_empty()
                    && super::units::assignment(ch.heading()).is_empty()
                    && deadlines(ch.heading()).is_empty()
            });
        if plain_details && !ctx_here.excluded && n.marker.kind != MarkerKind::Roman {
            let details: Vec<String> = remaining
                .iter()
                .map(|&c| o.nodes[c].heading().to_string())
                .collect();
            let task = make_task(
                o,
                id,
                full.clone(),
                None,
                own,
                own_deadlines,
                attrs,
                &ctx_here,
                details,
            );
            by_node.insert(id, tasks.len());
            for &c in &remaining {
                by_node.insert(c, tasks.len());
            }
            tasks.push(task);
            return;
        }
        // A group: what it states passes down.
        let mut child_ctx = ctx_here.clone();
        let mut who = own.clone();
        who.merge(attrs.who.clone());
        if !who.lead.is_empty() {
            child_ctx.lead = who.lead;
            child_ctx.cooperating = who.cooperating;
            child_ctx.implementing = who.implementing;
        }
        if let Some(d) = own_deadlines.first().or(attrs.deadlines.first()) {
            child_ctx.deadline = Some(d.clone());
        }
        let before = tasks.len();
        for &c in &remaining {
            walk(o, c, &child_ctx, tasks, by_node);
        }
        // Sub-items that are only targets leave the item itself as the task, unless it is a
        // bare label ("- Xây dựng Chính quyền số:").
        let bare_label = rest.as_deref().is_some_and(str::is_empty)
            || !heading.trim_end().ends_with(['.', ';', ':']);
        if tasks.len() == before
            && !ctx_here.excluded
            && n.marker.kind != MarkerKind::Roman
            && !bare_label
            && !kpi_only
        {
            let details: Vec<String> = remaining
                .iter()
                .map(|&c| o.nodes[c].heading().to_string())
                .collect();
            let task = make_task(
                o,
                id,
                full.clone(),
                None,
                own,
                own_deadlines,
                attrs,
                &ctx_here,
                details,
            );
            by_node.insert(id, tasks.len());
            tasks.push(task);
        }
        return;
    }

    // A leaf (or an item whose sub-items were all attributes).
    if ctx_here.excluded || n.marker.kind == MarkerKind::Roman {
        return;
    }
    let body: Vec<&str> = n.body.iter().map(|p| p.text.as_str()).collect();
    let ends_sentence = heading.trim_end().ends_with(['.', ';']);
    let short_heading =
        !ends_sentence && heading.split_whitespace().count() <= 12 && rest.is_none();
    let has_attrs = !attrs.who.is_empty() || !attrs.deadlines.is_empty() || attrs.output.is_some();
    if short_heading
        && body.is_empty()
        && !has_attrs
        && own.is_empty()
        && n.marker.kind != MarkerKind::Dash
        && n.marker.kind != MarkerKind::Plus
    {
        // An empty section heading ("1. Mục đích").
        return;
    }
    if kpi_only {
        return;
    }
    let (text, task_title) = if short_heading && !body.is_empty() {
        (
            body.join(" "),
            Some(heading.trim_end_matches([':', '.']).trim().to_string()),
        )
    } else {
        (full.clone(), None)
    };
    let task = make_task(
        o,
        id,
        text,
        task_title,
        own,
        own_deadlines,
        attrs,
        &ctx_here,
        Vec::new(),
    );
    by_node.insert(id, tasks.len());
    tasks.push(task);
}

#[allow(clippy::too_many_arguments)]
fn make_task(
    o: &Outline,
    id: usize,
    text: String,
    task_title: Option<String>,
    own: Assignment,
    own_deadlines: Vec<Deadline>,
    attrs: Attrs,
    ctx: &Ctx,
    details: Vec<String>,
) -> Task {
    let mut who = own;
    who.merge(attrs.who);
    let mut inherited = Vec::new();
    let mut lead = who.lead;
    let mut cooperating = who.cooperating;
    let mut implementing = who.implementing;
    if lead.is_empty() && !ctx.lead.is_empty() {
        lead = ctx.lead.clone();
        inherited.push("lead_units".to_string());
        if cooperating.is_empty() && !ctx.cooperating.is_empty() {
            cooperating = ctx.cooperating.clone();
            inherited.push("cooperating_units".to_string());
        }
        if implementing.is_empty() {
            implementing = ctx.implementing.clone();
        }
    }
    let mut all_deadlines = deadlines(&text);
    for d in own_deadlines.into_iter().chain(attrs.deadlines) {
        if !all_deadlines.iter().any(|x| x.when == d.when) {
            all_deadlines.push(d);
        }
    }
    let deadline = if all_deadlines.is_empty() {
        if ctx.deadline.is_some() {
            inherited.push("deadline".to_string());
        }
        ctx.deadline.clone()
    } else {
        Some(all_deadlines.remove(0))
    };
    let with_details = std::iter::once(text.as_str())
        .chain(details.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let fields = match &ctx.field {
        Some(f) => vec![f.clone()],
        None => fields_mentioned(&with_details),
    };
    let text = if details.is_empty() {
        text.trim_end_matches(':').trim_end().to_string()
    } else {
        text
    };
    Task {
        output: output_of(&text).or(attrs.output),
        criteria: criteria_mentioned(&with_details),
        text,
        title: task_title,
        section: o.path(id),
        line: o.nodes[id].line,
        lead_units: lead,
        cooperating_units: cooperating,
        implementing_units: implementing,
        inherited,
        deadline,
        other_deadlines: all_deadlines,
        fields,
        details,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_import::model::When;
    use crate::plan_import::paragraphs::paragraphs;

    fn tasks(text: &str) -> Vec<Task> {
        let o = Outline::build(&paragraphs(text));
        from_outline(&o).0
    }

    #[test]
    fn purpose_sections_have_no_tasks_and_groups_pass_their_lead_down() {
        let t = tasks(
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức.\nII. TỔ CHỨC THỰC HIỆN\n\
             1. Trách nhiệm của Sở Nội vụ:\n1.1. Hướng dẫn các cơ quan.\n\
             1.2. Chủ trì, phối hợp với các đơn vị liên quan tổng hợp báo cáo trước ngày 20/01/2024.\n\
             2. Sở Tư pháp chủ trì, phối hợp Sở Nội vụ thực hiện:\n- Rà soát văn bản (Giao Văn phòng UBND tỉnh chủ trì).\n- Kiểm tra văn bản.",
        );
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].text, "Hướng dẫn các cơ quan.");
        assert_eq!(t[0].lead_units, ["Sở Nội vụ"]);
        assert_eq!(t[0].inherited, ["lead_units"]);
        assert_eq!(t[1].cooperating_units, ["các đơn vị liên quan"]);
        assert_eq!(
            t[1].deadline.as_ref().unwrap().text,
            "trước ngày 20/01/2024"
        );
        assert_eq!(t[2].lead_units, ["Văn phòng UBND tỉnh"]);
        assert!(t[2].inherited.is_empty());
        assert_eq!(t[3].lead_units, ["Sở Tư pháp"]);
        assert_eq!(t[3].cooperating_units, ["Sở Nội vụ"]);
        assert_eq!(t[3].section, "II › 2 › -2");
    }

    #[test]
    fn attribute_items_belong_to_their_task() {
        let t = tasks(
            "II. NỘI DUNG\n2. Tổ chức thẩm định kết quả tự đánh giá:\n2.1. Thành phần:\n\
             - Chủ trì: Chủ tịch Hội đồng;\n- Thành viên Hội đồng và Thành viên Tổ giúp việc.\n\
             2.2. Thời gian thực hiện: Trước ngày 15/01/2024.\n\
             3. Ban hành kế hoạch kiểm tra\n- Cơ quan chủ trì: Sở Nội vụ.\n- Cơ quan phối hợp: Thanh tra tỉnh.\n\
             - Thời hạn: Quý I/2024.\n- Sản phẩm: Kế hoạch của UBND tỉnh.",
        );
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0].lead_units, ["Chủ tịch Hội đồng"]);
        assert_eq!(
            t[0].cooperating_units,
            ["Thành viên Hội đồng", "Thành viên Tổ giúp việc"]
        );
        assert_eq!(
            t[0].deadline.as_ref().map(|d| d.when),
            Some(When::Date {
                date: crate::plan_import::model::DayMonth {
                    day: 15,
                    month: 1,
                    year: Some(2024)
                }
            })
        );
        assert_eq!(t[1].text, "Ban hành kế hoạch kiểm tra");
        assert_eq!(t[1].lead_units, ["Sở Nội vụ"]);
        assert_eq!(t[1].cooperating_units, ["Thanh tra tỉnh"]);
        assert_eq!(t[1].output.as_deref(), Some("Kế hoạch của UBND tỉnh"));
        assert_eq!(
            t[1].deadline.as_ref().map(|d| d.when),
            Some(When::Quarter {
                quarter: 1,
                year: Some(2024)
            })
        );
    }

    #[test]
    fn a_lead_over_plain_items_is_one_task_and_targets_are_not_tasks() {
        let t = tasks(
            "II. NỘI DUNG\na) Sở Nội vụ: Chủ trì thực hiện tự đánh giá đối với 02 lĩnh vực, bao gồm:\n\
             - Lĩnh vực cải cách tổ chức bộ máy hành chính nhà nước;\n- Lĩnh vực cải cách công vụ.\n\
             b) Sở Tài chính: Chủ trì chấm điểm lĩnh vực cải cách tài chính công.\n\
             III. CHỈ TIÊU\n- Cải cách thể chế: 100% văn bản được kiểm tra.\n+ Phấn đấu tỷ lệ hồ sơ trực tuyến đạt 60%.",
        );
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0].lead_units, ["Sở Nội vụ"]);
        assert_eq!(t[0].details.len(), 2);
        assert_eq!(t[0].fields, ["4", "5"]);
        assert_eq!(t[1].lead_units, ["Sở Tài chính"]);
        assert_eq!(t[1].fields, ["6"]);
    }

    #[test]
    fn targets_are_tasks_only_with_a_lead_or_a_deadline() {
        let t = tasks(
            "I. MỤC TIÊU\n- Nâng cao chất lượng phục vụ.\nII. NHIỆM VỤ\n\
             - Giảm 10% thời gian giải quyết thủ tục hành chính.\n\
             - Tỷ lệ hồ sơ đúng hạn đạt trên 98%.\n\
             - Giảm 5% chi phí tuân thủ (Văn phòng UBND tỉnh chủ trì; Quý IV/2025).",
        );
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(t[0].lead_units, ["Văn phòng UBND tỉnh"]);
        assert_eq!(
            t[0].deadline.as_ref().map(|d| d.text.as_str()),
            Some("Quý IV/2025")
        );
    }

    #[test]
    fn outputs_are_read_after_their_label() {
        assert_eq!(
            output_of("Xây dựng quy chế (Sản phẩm: Quyết định của UBND tỉnh; thời hạn: Quý II)."),
            Some("Quyết định của UBND tỉnh".into())
        );
        assert_eq!(output_of("Không có sản phẩm."), None);
    }
}
