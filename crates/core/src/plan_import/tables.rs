//! Tasks from a table (an appendix "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
//! Thời gian hoàn thành | Sản phẩm"), one per row. The columns are found from the header row;
//! a row with fewer cells (merged across the table) is a group row naming a field.

use super::deadline::deadlines;
use super::fields::{criteria_mentioned, field_of_title, fields_mentioned};
use super::model::Task;
use super::paragraphs::Para;
use super::scan::fold;
use super::units::split_units;

#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    task: Option<usize>,
    lead: Option<usize>,
    cooperating: Option<usize>,
    time: Option<usize>,
    output: Option<usize>,
}

fn columns(cells: &[String]) -> Option<Columns> {
    let mut c = Columns::default();
    for (i, cell) in cells.iter().enumerate() {
        let f = fold(cell);
        let has = |p: &str| f.contains(p);
        if has("chu tri") && c.lead.is_none() {
            c.lead = Some(i);
        } else if has("phoi hop") && c.cooperating.is_none() {
            c.cooperating = Some(i);
        } else if (has("thoi gian") || has("thoi han") || has("tien do") || has("hoan thanh"))
            && c.time.is_none()
        {
            c.time = Some(i);
        } else if (has("san pham") || has("ket qua")) && c.output.is_none() {
            c.output = Some(i);
        } else if (has("nhiem vu") || has("noi dung") || has("cong viec") || has("giai phap"))
            && c.task.is_none()
        {
            c.task = Some(i);
        }
    }
    (c.task.is_some() && (c.lead.is_some() || c.time.is_some())).then_some(c)
}

/// Tasks of every task table in the paragraphs.
pub(crate) fn tasks(paras: &[Para]) -> Vec<Task> {
    let mut out = Vec::new();
    let mut header: Option<(Columns, usize)> = None;
    let mut field: Option<String> = None;
    for p in paras {
        let Some(cells) = &p.cells else {
            header = None;
            continue;
        };
        let Some((cols, width)) = header else {
            if let Some(c) = columns(cells) {
                header = Some((c, cells.len()));
                field = None;
            }
            continue;
        };
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let text = cell(cols.task);
        if cells.len() < width || text.is_empty() {
            let longest = cells
                .iter()
                .max_by_key(|c| c.chars().count())
                .map_or("", String::as_str);
            if let Some(f) = field_of_title(longest) {
                field = Some(f.code);
            }
            continue;
        }
        let lead = split_units(cell(cols.lead));
        let cooperating = split_units(cell(cols.cooperating));
        let time = cell(cols.time);
        let mut ds = if time.is_empty() {
            deadlines(text)
        } else {
            deadlines(&format!("Thời gian: {time}"))
        };
        let deadline = (!ds.is_empty()).then(|| ds.remove(0));
        let output = Some(cell(cols.output).trim_end_matches(['.', ';']).to_string())
            .filter(|s| !s.is_empty());
        out.push(Task {
            text: text.to_string(),
            title: None,
            section: format!("Bảng, dòng {}", p.line),
            line: p.line,
            lead_units: lead,
            cooperating_units: cooperating,
            implementing_units: Vec::new(),
            inherited: Vec::new(),
            deadline,
            other_deadlines: ds,
            output,
            fields: field
                .clone()
                .map_or_else(|| fields_mentioned(text), |f| vec![f]),
            criteria: criteria_mentioned(text),
            details: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_import::model::When;
    use crate::plan_import::paragraphs::paragraphs;

    #[test]
    fn a_task_table() {
        let ps = paragraphs(
            "STT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tSản phẩm\n\
             II\tCẢI CÁCH THỂ CHẾ\n\
             1\tRà soát văn bản quy phạm pháp luật\tSở Tư pháp\tCác sở, ban, ngành\tQuý III/2024\tBáo cáo\n\
             2\tTuyên truyền\tSở Tư pháp\t\tThường xuyên\t\n\
             Hết bảng.",
        );
        let t = tasks(&ps);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].text, "Rà soát văn bản quy phạm pháp luật");
        assert_eq!(t[0].lead_units, ["Sở Tư pháp"]);
        assert_eq!(t[0].cooperating_units, ["Các sở, ban, ngành"]);
        assert_eq!(
            t[0].deadline.as_ref().map(|d| d.when),
            Some(When::Quarter {
                quarter: 3,
                year: Some(2024)
            })
        );
        assert_eq!(t[0].output.as_deref(), Some("Báo cáo"));
        assert_eq!(t[0].fields, ["2"]);
        assert_eq!(t[1].deadline.as_ref().map(|d| d.when), Some(When::Ongoing));
    }
}
