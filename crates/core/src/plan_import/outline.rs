//! The section tree: markers ("I.", "1.", "1.1.", "a)", "-", "+") and how they nest.
//!
//! Nesting follows the markers' styles, not indentation (plain text has none): a marker of a
//! style already open closes everything below it and becomes its sibling; a new style opens
//! a level below the current one. Numbered and lettered items never nest under a bullet, and a
//! Roman numeral is always top level. Unnumbered paragraphs belong to the item above, except
//! after a bullet that does not end with ":", where they belong to the nearest numbered item.

use super::Warnings;
use super::model::{MarkerKind, Paragraph, Section};
use super::paragraphs::Para;
use super::scan::fold;

/// Nesting style: two markers nest alike when their styles are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Roman,
    /// Number of dotted parts: "1." is 1, "1.1." is 2.
    Number(usize),
    Letter,
    Dash,
    Plus,
    Bullet,
}

impl Style {
    fn is_bullet(self) -> bool {
        matches!(self, Style::Dash | Style::Plus | Style::Bullet)
    }
}

/// A marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub text: String,
    pub kind: MarkerKind,
    pub style: Style,
    /// Its place in sequence (I = 1, "2.3." = [2, 3], b = 2), for numbering checks.
    pub seq: Vec<u32>,
    /// The paragraph after the marker.
    pub rest: String,
}

const LETTERS: &str = "abcdđeghiklmnopqrstuvxy";

fn roman_value(s: &str) -> Option<u32> {
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|n| n > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    let total = u32::try_from(total).ok().filter(|t| (1..=30).contains(t))?;
    // Only canonical numerals ("IIII" or "VX" are not section numbers).
    (to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (v, s) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The marker a paragraph starts with, if any.
pub(crate) fn marker(text: &str) -> Option<Marker> {
    let chars: Vec<char> = text.chars().collect();
    let first = *chars.first()?;
    let after = |i: usize| -> Option<String> {
        // The marker must be followed by a space (or end the paragraph).
        match chars.get(i) {
            None => Some(String::new()),
            Some(c) if c.is_whitespace() => {
                Some(chars[i..].iter().collect::<String>().trim().to_string())
            }
            _ => None,
        }
    };
    let make = |len: usize, kind, style, seq, rest| Marker {
        text: chars[..len].iter().collect(),
        kind,
        style,
        seq,
        rest,
    };
    // Roman: "II." "IV)"
    if matches!(first, 'I' | 'V' | 'X') {
        let n = chars
            .iter()
            .take_while(|c| matches!(c, 'I' | 'V' | 'X'))
            .count();
        if matches!(chars.get(n), Some('.' | ')'))
            && let Some(v) = roman_value(&chars[..n].iter().collect::<String>())
            && let Some(rest) = after(n + 1)
        {
            return Some(make(n + 1, MarkerKind::Roman, Style::Roman, vec![v], rest));
        }
        return None;
    }
    // Numbers: "1." "1.1." "1.1" "2)"
    if first.is_ascii_digit() {
        let mut i = 0;
        let mut parts = Vec::new();
        loop {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            let len = i - start;
            if len == 0 || len > 2 {
                return None;
            }
            parts.push(
                chars[start..i]
                    .iter()
                    .collect::<String>()
                    .parse::<u32>()
                    .ok()?,
            );
            match chars.get(i) {
                Some('.') if chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) => i += 1,
                Some('.' | ')') => {
                    i += 1;
                    break;
                }
                _ if parts.len() > 1 => break,
                _ => return None,
            }
        }
        let rest = after(i)?;
        let depth = parts.len();
        return Some(make(
            i,
            MarkerKind::Number,
            Style::Number(depth),
            parts,
            rest,
        ));
    }
    // Letters: "a)" "đ)" "b."
    if first.is_lowercase()
        && let Some(pos) = LETTERS.chars().position(|c| c == first)
        && matches!(chars.get(1), Some(')' | '.'))
        && let Some(rest) = after(2)
        && !rest.is_empty()
    {
        return Some(make(
            2,
            MarkerKind::Letter,
            Style::Letter,
            vec![pos as u32 + 1],
            rest,
        ));
    }
    // Bullets.
    let (kind, style) = match first {
        '-' | '–' | '—' => (MarkerKind::Dash, Style::Dash),
        '+' => (MarkerKind::Plus, Style::Plus),
        '•' | '●' | '○' | '◦' | '▪' | '■' | '\u{f0b7}' | '*' | '·' | '✓' | '➢' | '►' => {
            (MarkerKind::Bullet, Style::Bullet)
        }
        _ => return None,
    };
    let spaced = chars.get(1).is_some_and(|c| c.is_whitespace());
    let rest: String = chars[1..].iter().collect::<String>().trim().to_string();
    let next = rest.chars().next()?;
    let ok = if spaced {
        next.is_alphanumeric() || matches!(next, '(' | '“' | '"' | '[')
    } else {
        next.is_alphabetic()
    };
    ok.then(|| make(1, kind, style, Vec::new(), rest))
}

/// One item of the tree while it is built.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub marker: Marker,
    pub line: usize,
    pub body: Vec<Para>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

impl Node {
    /// The heading: the paragraph after the marker.
    pub fn heading(&self) -> &str {
        &self.marker.rest
    }
}

/// The tree as an arena, with what came before the first item and what belongs to none.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>,
    pub preamble: Vec<Para>,
    pub loose: Vec<Para>,
}

impl Outline {
    /// Builds the tree from the body's paragraphs.
    pub fn build(paras: &[Para]) -> Outline {
        let mut o = Outline::default();
        let mut stack: Vec<usize> = Vec::new();
        for p in paras {
            let Some(m) = (if p.cells.is_none() {
                marker(&p.text)
            } else {
                None
            }) else {
                o.attach(&stack, p.clone());
                continue;
            };
            if m.style == Style::Roman {
                stack.clear();
            } else if let Some(k) = stack
                .iter()
                .position(|&n| o.nodes[n].marker.style == m.style)
            {
                stack.truncate(k);
            } else if !m.style.is_bullet() {
                // A numbered item never nests under a bullet; a shallower number closes deeper
                // ones ("2." after "1.1.").
                while let Some(&top) = stack.last() {
                    let s = o.nodes[top].marker.style;
                    let deeper_number =
                        matches!((s, m.style), (Style::Number(a), Style::Number(b)) if a > b);
                    if s.is_bullet()
                        || deeper_number
                        || (s == Style::Letter && matches!(m.style, Style::Number(_)))
                    {
                        stack.pop();
                    } else {
                        break;
                    }
                }
            }
            let id = o.nodes.len();
            let parent = stack.last().copied();
            o.nodes.push(Node {
                marker: m,
                line: p.line,
                body: Vec::new(),
                parent,
                children: Vec::new(),
            });
            match parent {
                Some(pa) => o.nodes[pa].children.push(id),
                None => o.roots.push(id),
            }
            stack.push(id);
        }
        o
    }

    fn attach(&mut self, stack: &[usize], p: Para) {
        if self.nodes.is_empty() {
            self.preamble.push(p);
            return;
        }
        let mut target = stack.last().copied();
        if let Some(top) = target
            && self.nodes[top].marker.style.is_bullet()
            && !self.nodes[top].heading().ends_with(':')
        {
            target = stack
                .iter()
                .rev()
                .copied()
                .find(|&n| !self.nodes[n].marker.style.is_bullet());
        }
        match target {
            Some(n) => self.nodes[n].body.push(p),
            None => self.loose.push(p),
        }
    }

    /// Ancestors of a node, nearest first.
    pub fn ancestors(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.nodes[id].parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.nodes[p].parent;
        }
        out
    }

    /// Where a node is: "II › 1 › 1.2 › -3" (bullets counted among their siblings).
    pub fn path(&self, id: usize) -> String {
        let mut chain = self.ancestors(id);
        chain.reverse();
        chain.push(id);
        chain
            .iter()
            .map(|&n| {
                let m = &self.nodes[n].marker;
                if m.style.is_bullet() {
                    let siblings = match self.nodes[n].parent {
                        Some(p) => &self.nodes[p].children,
                        None => &self.roots,
                    };
                    let pos = siblings
                        .iter()
                        .filter(|&&s| self.nodes[s].marker.style == m.style)
                        .position(|&s| s == n)
                        .unwrap_or(0);
                    format!("{}{}", m.text, pos + 1)
                } else {
                    m.text.trim_end_matches(['.', ')']).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" › ")
    }

    /// The output tree.
    pub fn sections(&self) -> Vec<Section> {
        self.roots.iter().map(|&id| self.section(id)).collect()
    }

    fn section(&self, id: usize) -> Section {
        let n = &self.nodes[id];
        Section {
            marker: n.marker.text.clone(),
            kind: n.marker.kind,
            title: title(n.heading()),
            heading: n.heading().to_string(),
            body: n
                .body
                .iter()
                .map(|p| Paragraph {
                    line: p.line,
                    text: p.text.clone(),
                })
                .collect(),
            line: n.line,
            field: super::fields::field_of_title(&title(n.heading())).map(|f| f.code),
            children: n.children.iter().map(|&c| self.section(c)).collect(),
        }
    }

    /// Numbering problems: repeated or skipped numbers, a sub-number under another parent.
    pub fn check_numbering(&self, w: &mut Warnings) {
        let mut lists: Vec<&[usize]> = vec![&self.roots];
        lists.extend(self.nodes.iter().map(|n| n.children.as_slice()));
        for list in lists {
            let mut previous: Vec<(Style, &Node)> = Vec::new();
            for &id in list {
                let n = &self.nodes[id];
                let style = n.marker.style;
                if style.is_bullet() {
                    continue;
                }
                let before = previous
                    .iter()
                    .rev()
                    .find(|(s, _)| *s == style)
                    .map(|(_, n)| *n);
                match before {
                    Some(b) if b.marker.seq == n.marker.seq => w.at(
                        n.line,
                        format!(
                            "số thứ tự \"{}\" trùng với mục ở dòng {}.",
                            n.marker.text, b.line
                        ),
                    ),
                    Some(b) if !follows(&b.marker, &n.marker) => w.at(
                        n.line,
                        format!(
                            "sau mục \"{}\" (dòng {}) là mục \"{}\": số thứ tự không liền nhau.",
                            b.marker.text, b.line, n.marker.text
                        ),
                    ),
                    _ => {}
                }
                previous.push((style, n));
                // "3.1." under "2." is numbered for another parent.
                if let (Style::Number(d), Some(p)) = (style, n.parent)
                    && d > 1
                    && let Style::Number(pd) = self.nodes[p].marker.style
                    && pd == d - 1
                    && self.nodes[p].marker.seq[..] != n.marker.seq[..d - 1]
                {
                    w.at(
                        n.line,
                        format!(
                            "mục \"{}\" nằm dưới mục \"{}\" (dòng {}) nhưng đánh số của mục khác.",
                            n.marker.text, self.nodes[p].marker.text, self.nodes[p].line
                        ),
                    );
                }
            }
        }
    }
}

/// Whether `b` is the number after `a` in the same list.
fn follows(a: &Marker, b: &Marker) -> bool {
    match a.kind {
        MarkerKind::Letter => {
            // Vietnamese lists skip f, j, w, z; some use the English alphabet (d, e, f).
            let la = LETTERS.chars().nth(a.seq[0] as usize - 1);
            let lb = LETTERS.chars().nth(b.seq[0] as usize - 1);
            b.seq[0] == a.seq[0] + 1 || matches!((la, lb), (Some('d'), Some('e')))
        }
        _ => {
            let n = a.seq.len();
            b.seq.len() == n && b.seq[..n - 1] == a.seq[..n - 1] && b.seq[n - 1] == a.seq[n - 1] + 1
        }
    }
}

/// A heading's short title: before a colon (outside parentheses) when that is short, else the
/// heading without its final punctuation.
pub(crate) fn title(heading: &str) -> String {
    let mut depth = 0usize;
    for (i, c) in heading.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => {
                let before = heading[..i].trim();
                if !before.is_empty() && before.chars().count() <= 120 {
                    return before.to_string();
                }
                break;
            }
            _ => {}
        }
    }
    heading
        .trim_end_matches(['.', ';', ':', ','])
        .trim()
        .to_string()
}

/// Whether a title reads like a heading in capitals ("MỤC ĐÍCH, YÊU CẦU").
pub(crate) fn is_upper(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// Whether a section title is one where nothing is a task: purpose, requirements, or targets
/// alone ("MỤC TIÊU", "Chỉ tiêu cụ thể" — but not "MỤC TIÊU, NHIỆM VỤ").
pub(crate) fn is_purpose_title(title: &str) -> bool {
    let f = fold(title);
    let f = f.trim();
    let tasks_too = ["nhiem vu", "giai phap", "noi dung"]
        .iter()
        .any(|p| f.contains(p));
    ["muc dich", "yeu cau", "quan diem", "can cu"]
        .iter()
        .any(|p| f.starts_with(p))
        || (!tasks_too
            && ["muc tieu", "chi tieu", "cac chi tieu", "cac muc tieu"]
                .iter()
                .any(|p| f.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(String, MarkerKind, Vec<u32>, String)> {
        marker(s).map(|m| (m.text, m.kind, m.seq, m.rest))
    }

    #[test]
    fn markers_of_every_kind() {
        use MarkerKind::*;
        assert_eq!(
            m("II. MỤC TIÊU"),
            Some(("II.".into(), Roman, vec![2], "MỤC TIÊU".into()))
        );
        assert_eq!(
            m("1. Mục đích"),
            Some(("1.".into(), Number, vec![1], "Mục đích".into()))
        );
        assert_eq!(
            m("1.2. Thời gian:"),
            Some(("1.2.".into(), Number, vec![1, 2], "Thời gian:".into()))
        );
        assert_eq!(
            m("2.1 Thành phần"),
            Some(("2.1".into(), Number, vec![2, 1], "Thành phần".into()))
        );
        assert_eq!(
            m("đ) Sở TT&TT"),
            Some(("đ)".into(), Letter, vec![5], "Sở TT&TT".into()))
        );
        assert_eq!(
            m("- Lĩnh vực"),
            Some(("-".into(), Dash, vec![], "Lĩnh vực".into()))
        );
        assert_eq!(
            m("+ Cung cấp"),
            Some(("+".into(), Plus, vec![], "Cung cấp".into()))
        );
        assert_eq!(
            m("-  100% văn bản"),
            Some(("-".into(), Dash, vec![], "100% văn bản".into()))
        );
        for not in [
            "100% văn bản",
            "2022 là năm",
            "8,82 điểm",
            "1.000 hồ sơ",
            "-5% so với",
            "-------",
            "Ví dụ",
            "Vĩnh Phúc",
            "IIII. X",
            "a)",
            "Số: 1",
        ] {
            assert_eq!(m(not), None, "{not}");
        }
    }

    fn para(line: usize, text: &str) -> Para {
        Para {
            line,
            text: text.into(),
            cells: None,
        }
    }

    fn shape(o: &Outline, ids: &[usize]) -> String {
        ids.iter()
            .map(|&i| {
                let n = &o.nodes[i];
                if n.children.is_empty() {
                    n.marker.text.clone()
                } else {
                    format!("{}[{}]", n.marker.text, shape(o, &n.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn items_nest_by_style() {
        let lines = [
            "Căn cứ …",
            "I. A",
            "1. B",
            "- b1",
            "- b2",
            "Đoạn văn sau gạch đầu dòng.",
            "1.1. C",
            "a) D",
            "- d1",
            "+ d11",
            "- d2",
            "b) E",
            "1.2. F",
            "2. G",
            "II. H",
            "1. I",
        ];
        let paras: Vec<Para> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| para(i + 1, t))
            .collect();
        let o = Outline::build(&paras);
        assert_eq!(
            shape(&o, &o.roots),
            "I.[1.[- - 1.1.[a)[-[+] -] b)] 1.2.] 2.] II.[1.]"
        );
        assert_eq!(o.preamble.len(), 1);
        // The paragraph after "- b2." belongs to "1.", not to the bullet.
        assert_eq!(o.nodes[1].body[0].text, "Đoạn văn sau gạch đầu dòng.");
        assert_eq!(o.path(7), "I › 1 › 1.1 › a › -1 › +1");
        assert_eq!(o.path(9), "I › 1 › 1.1 › b");
    }

    #[test]
    fn numbering_problems_are_reported() {
        let paras: Vec<Para> = [
            "I. A", "1. B", "2. C", "2. D", "4. E", "4.1. F", "a) x", "c) y",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| para(i + 1, t))
        .collect();
        let o = Outline::build(&paras);
        let mut w = Warnings::default();
        o.check_numbering(&mut w);
        assert_eq!(
            w.0,
            [
                "Dòng 4: số thứ tự \"2.\" trùng với mục ở dòng 3.",
                "Dòng 5: sau mục \"2.\" (dòng 4) là mục \"4.\": số thứ tự không liền nhau.",
                "Dòng 8: sau mục \"a)\" (dòng 7) là mục \"c)\": số thứ tự không liền nhau.",
            ]
        );
    }

    #[test]
    fn titles_are_short() {
        assert_eq!(
            title("Công tác chỉ đạo, điều hành: Năm 2023: Đạt 8,82 điểm"),
            "Công tác chỉ đạo, điều hành"
        );
        assert_eq!(title("Nhiệm vụ trọng tâm"), "Nhiệm vụ trọng tâm");
        assert_eq!(
            title("Sở Nội vụ (tối đa: 6 điểm) làm"),
            "Sở Nội vụ (tối đa: 6 điểm) làm"
        );
    }
}
