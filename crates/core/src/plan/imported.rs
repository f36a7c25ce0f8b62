//! A parsed plan document turned into what the review screen shows and the plan stores: every
//! item editable, deadlines in the form's notation, units matched to the province's units by
//! name (abbreviations such as "UBND" expanded), and nothing guessed — what was not found stays
//! empty and is said so in the document's warnings.

use super::{Deadline, Direction};
use crate::ids::UnitId;
use crate::plan_import::{self as import, ParsedPlan, When};
use crate::text::fold;
use chrono::NaiveDate;

/// A task as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTask {
    pub text: String,
    pub field: String,
    pub lead_names: Vec<String>,
    pub cooperating_names: Vec<String>,
    /// In the form's notation ([`Deadline::parse`]); empty when none was stated.
    pub deadline: String,
    /// As the document states it.
    pub deadline_text: String,
    pub output: String,
    pub criteria: Vec<String>,
    pub line: usize,
}

/// A KPI as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewKpi {
    pub text: String,
    /// A [`Direction`] code.
    pub direction: &'static str,
    pub target: rust_decimal::Decimal,
    pub unit: String,
}

/// A goal as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewGoal {
    pub field: String,
    pub field_name: String,
    pub baseline: String,
    pub target: String,
    pub target_points: Option<rust_decimal::Decimal>,
    pub target_percent: Option<rust_decimal::Decimal>,
    pub target_rank: Option<u32>,
    pub group: String,
}

/// A section heading of a plan document, with those under it (the plan's outline).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutlineItem {
    pub heading: String,
    #[serde(default)]
    pub children: Vec<OutlineItem>,
}

/// The outline as the review screen's text box shows it: one heading per line, two spaces of
/// indent per level.
pub fn outline_text(items: &[OutlineItem]) -> String {
    fn walk(items: &[OutlineItem], depth: usize, out: &mut String) {
        for i in items {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&i.heading);
            out.push('\n');
            walk(&i.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(items, 0, &mut out);
    out
}

/// Reads the text box back into an outline: blank lines are skipped; every two spaces (or a
/// tab) of indent is a level, and a line never goes more than one level below the one before
/// (uneven indents as people type them still read as meant).
pub fn parse_outline_text(text: &str) -> Vec<OutlineItem> {
    fn at<'a>(roots: &'a mut Vec<OutlineItem>, path: &[usize]) -> &'a mut Vec<OutlineItem> {
        let mut list = roots;
        for &i in path {
            list = &mut list[i].children;
        }
        list
    }
    let mut roots: Vec<OutlineItem> = Vec::new();
    // Where the last heading sits: its index at each level from the root.
    let mut path: Vec<usize> = Vec::new();
    for line in text.lines() {
        let heading = crate::text::clean(line);
        if heading.is_empty() {
            continue;
        }
        let indent = line
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 2 } else { 1 })
            .sum::<usize>();
        let level = (indent / 2).min(path.len());
        path.truncate(level);
        let list = at(&mut roots, &path);
        list.push(OutlineItem {
            heading,
            children: Vec::new(),
        });
        path.push(list.len() - 1);
    }
    roots
}

/// The numbered headings (I., 1., 1.1., a)) with their short titles; bullets are items of
/// text, not headings, and stay out.
fn outline(sections: &[import::Section]) -> Vec<OutlineItem> {
    use import::MarkerKind::{Letter, Number, Roman};
    sections
        .iter()
        .filter(|s| matches!(s.kind, Roman | Number | Letter))
        .map(|s| OutlineItem {
            heading: format!("{} {}", s.marker, s.title).trim().to_string(),
            children: outline(&s.children),
        })
        .collect()
}

/// Everything the review screen starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub number: String,
    pub date: Option<NaiveDate>,
    pub issuer: String,
    pub year: Option<i32>,
    pub title: String,
    pub legal_bases: Vec<String>,
    pub goals: Vec<ReviewGoal>,
    pub kpis: Vec<ReviewKpi>,
    pub tasks: Vec<ReviewTask>,
    pub warnings: Vec<String>,
    pub complete: bool,
    pub outline: Vec<OutlineItem>,
}

/// A deadline of the document in the form's notation; a missing year is taken from the plan's
/// year (the review shows it, so the user sees and can correct it).
pub fn deadline_input(w: &When, plan_year: Option<i32>) -> Option<Deadline> {
    let d = match *w {
        When::Date { date } | When::Period { to: date, .. } => Deadline::Date {
            date: NaiveDate::from_ymd_opt(date.year.or(plan_year)?, date.month, date.day)?,
        },
        When::Month { month, year } => Deadline::Month {
            year: year.or(plan_year)?,
            month,
        },
        When::Quarter { quarter, year } => Deadline::Quarter {
            year: year.or(plan_year)?,
            quarter,
        },
        When::Half { half, year } => Deadline::Half {
            year: year.or(plan_year)?,
            half,
        },
        When::YearEnd { year } => Deadline::Year {
            year: year.or(plan_year)?,
        },
        When::Year { year } => Deadline::Year { year },
        When::Ongoing | When::Recurring { .. } => Deadline::Ongoing,
    };
    d.is_valid().then_some(d)
}

fn direction(d: import::Direction) -> Direction {
    match d {
        import::Direction::Above => Direction::Above,
        import::Direction::AtLeast => Direction::AtLeast,
        import::Direction::AtMost | import::Direction::Below => Direction::AtMost,
        import::Direction::Decrease => Direction::Decrease,
        import::Direction::Increase => Direction::Increase,
    }
}

/// The review of a parsed document.
pub fn review(p: &ParsedPlan) -> Review {
    let year = p.plan_year;
    Review {
        number: p.number.clone().unwrap_or_default(),
        date: p.date,
        issuer: p.issuer.clone().unwrap_or_default(),
        year,
        title: p.title.clone().unwrap_or_default(),
        legal_bases: p
            .legal_bases
            .iter()
            .map(|b| {
                let date = b.date.map(crate::format::date).unwrap_or_default();
                format!(
                    "{} {}{}",
                    b.kind.as_deref().unwrap_or(""),
                    b.number,
                    if date.is_empty() {
                        String::new()
                    } else {
                        format!(" ngày {date}")
                    }
                )
                .trim()
                .to_string()
            })
            .collect(),
        goals: p
            .goals
            .iter()
            .map(|g| ReviewGoal {
                field: g
                    .subject
                    .field
                    .as_ref()
                    .map(|f| f.code.clone())
                    .unwrap_or_default(),
                field_name: g
                    .subject
                    .field
                    .as_ref()
                    .map(|f| f.name.clone())
                    .unwrap_or_else(|| g.subject.index.clone()),
                baseline: g
                    .baseline
                    .as_ref()
                    .map(|b| b.text.clone())
                    .unwrap_or_default(),
                target: g
                    .target
                    .as_ref()
                    .map(|t| t.text.clone())
                    .unwrap_or_default(),
                target_points: g.target.as_ref().and_then(|t| t.points.map(|m| m.value.0)),
                target_percent: g.target.as_ref().and_then(|t| t.percent.map(|m| m.value.0)),
                target_rank: g.target.as_ref().and_then(|t| t.rank),
                group: g
                    .target
                    .as_ref()
                    .and_then(|t| t.group.as_ref().map(|gr| gr.text.clone()))
                    .unwrap_or_default(),
            })
            .collect(),
        kpis: p
            .kpis
            .iter()
            .map(|k| ReviewKpi {
                text: k.subject.clone(),
                direction: direction(k.direction).code(),
                target: k.value.0,
                unit: k.unit.clone(),
            })
            .collect(),
        tasks: p
            .tasks
            .iter()
            .map(|t| ReviewTask {
                text: t.text.clone(),
                field: t.fields.first().cloned().unwrap_or_default(),
                lead_names: t.lead_units.clone(),
                cooperating_names: t.cooperating_units.clone(),
                deadline: t
                    .deadline
                    .as_ref()
                    .and_then(|d| deadline_input(&d.when, year))
                    .map(|d| d.input())
                    .unwrap_or_default(),
                deadline_text: t
                    .deadline
                    .as_ref()
                    .map(|d| d.text.clone())
                    .unwrap_or_default(),
                output: t.output.clone().unwrap_or_default(),
                criteria: t.criteria.clone(),
                line: t.line,
            })
            .collect(),
        warnings: p.warnings.clone(),
        complete: p.complete,
        outline: outline(&p.sections),
    }
}

/// A unit name folded for matching: no diacritics, lower case, abbreviations written out, no
/// punctuation, "tỉnh" dropped.
fn key(name: &str) -> String {
    let f = fold(name)
        .replace('&', " va ")
        .replace(['.', ',', '(', ')', '-', '–'], " ");
    let words: Vec<String> = f
        .split_whitespace()
        .map(|w| match w {
            "ubnd" => "uy ban nhan dan".to_string(),
            "hdnd" => "hoi dong nhan dan".to_string(),
            "tt" => "thong tin".to_string(),
            "kh" => "ke hoach".to_string(),
            "dt" => "dau tu".to_string(),
            "cn" => "cong nghe".to_string(),
            "vp" => "van phong".to_string(),
            w => w.to_string(),
        })
        .filter(|w| w != "tinh")
        .collect();
    words.join(" ")
}

/// The unit a name in a plan means, among `units` (id, name): the same name, else the only
/// unit whose name contains it or is contained in it. `None` when none or several match.
pub fn match_unit(name: &str, units: &[(UnitId, String)]) -> Option<UnitId> {
    let k = key(name);
    if k.is_empty() {
        return None;
    }
    let keys: Vec<(UnitId, String)> = units.iter().map(|(id, n)| (*id, key(n))).collect();
    if let Some((id, _)) = keys.iter().find(|(_, u)| *u == k) {
        return Some(*id);
    }
    let mut found = keys
        .iter()
        .filter(|(_, u)| u.contains(&k) || k.contains(u.as_str()))
        .map(|(id, _)| *id);
    match (found.next(), found.next()) {
        (Some(id), None) => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_reads_back_from_its_text_box() {
        let leaf = |h: &str| OutlineItem {
            heading: h.into(),
            children: vec![],
        };
        let outline = vec![
            OutlineItem {
                heading: "I. MỤC ĐÍCH".into(),
                children: vec![leaf("1. Mục đích"), leaf("2. Yêu cầu")],
            },
            OutlineItem {
                heading: "II. NHIỆM VỤ".into(),
                children: vec![OutlineItem {
                    heading: "1. Cải cách thể chế".into(),
                    children: vec![leaf("a) Rà soát")],
                }],
            },
        ];
        assert_eq!(parse_outline_text(&outline_text(&outline)), outline);
        // As a person edits it: tabs, uneven indents, blank lines, a heading added at the top.
        let typed = "I. MỤC ĐÍCH\n\t1. Mục đích\n   2. Yêu cầu\n\nII. NHIỆM VỤ\n  1. Cải cách thể chế\n      a) Rà soát\nIII. TỔ CHỨC\n";
        let mut want = outline.clone();
        want.push(leaf("III. TỔ CHỨC"));
        assert_eq!(parse_outline_text(typed), want);
        assert!(parse_outline_text(" \n").is_empty());
    }

    #[test]
    fn unit_names_match_with_abbreviations() {
        let units = vec![
            (UnitId(1), "Sở Tư pháp".to_string()),
            (UnitId(2), "Văn phòng Ủy ban nhân dân tỉnh".to_string()),
            (UnitId(3), "Sở Kế hoạch và Đầu tư".to_string()),
            (UnitId(4), "Sở Nội vụ".to_string()),
            (UnitId(5), "Sở Thông tin và Truyền thông".to_string()),
        ];
        assert_eq!(match_unit("Sở Tư pháp", &units), Some(UnitId(1)));
        assert_eq!(match_unit("Văn phòng UBND tỉnh", &units), Some(UnitId(2)));
        assert_eq!(match_unit("Sở KH&ĐT", &units), Some(UnitId(3)));
        assert_eq!(
            match_unit("Sở TT&TT", &units),
            None,
            "not written out far enough: left to the user"
        );
        assert_eq!(match_unit("các sở, ngành", &units), None);
        assert_eq!(match_unit("Sở", &units), None, "several match");
    }

    #[test]
    fn deadlines_take_the_plan_year_when_the_text_has_none() {
        let q = When::Quarter {
            quarter: 2,
            year: None,
        };
        assert_eq!(
            deadline_input(&q, Some(2024)).map(|d| d.input()),
            Some("Q2/2024".into())
        );
        assert_eq!(deadline_input(&q, None), None);
        assert_eq!(
            deadline_input(&When::Ongoing, None),
            Some(Deadline::Ongoing)
        );
    }

    #[test]
    fn the_seed_plans_review_with_tasks_and_matched_deadlines() {
        let text = include_str!("../../tests/golden/plans/seed-000.txt");
        let r = review(&crate::plan_import::parse_plan(text));
        assert_eq!(r.number, "152/KH-UBND");
        assert!(!r.tasks.is_empty());
        assert!(r.tasks.iter().any(|t| !t.lead_names.is_empty()));
        assert!(
            r.tasks
                .iter()
                .filter(|t| !t.deadline.is_empty())
                .all(|t| Deadline::parse(&t.deadline).is_some())
        );
    }
}
