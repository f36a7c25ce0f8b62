//! Goals: last year's results and this plan's targets, per index and per field, with the
//! stated figures checked against each other.
//!
//! A sentence is a target from a cue word ("mục tiêu", "phấn đấu", "chỉ tiêu") on, and so
//! are the sentences after it in the same paragraph; before a cue it states a result. The
//! subject is the index the sentence names ("Chỉ số cải cách hành chính (PAR INDEX)", "PAPI",
//! "PCI"…), else the field of the section it is in; a sentence with figures but neither is
//! reported, not guessed. Figures: points ("8,82 điểm/9,5 điểm tối đa", "đạt điểm tối đa (9,5
//! điểm)"), percent ("đạt tỷ lệ 92,81%"), rank ("xếp thứ 39/63"), change ("giảm 32 bậc so với
//! năm 2022", "tăng từ 2 đến 5 bậc"), group ("nằm trong nhóm 15 tỉnh … đứng đầu", "nhóm A",
//! "không nằm trong nhóm …"), parts ("Trong đó: điểm tự đánh giá đạt 5,14 điểm (tối đa: 6
//! điểm), …").

use super::Warnings;
use super::dates::{vi, vi_rounded, year_of};
use super::model::{
    Baseline, Component, Direction, FieldRef, Goal, GoalSubject, Group, Measure, Number,
    RankChange, Target,
};
use super::scan::{Kind, Text, Token, any_phrase_at, parse_number, phrase_at, tokens};
use rust_decimal::Decimal;

/// A paragraph to read goals from, with the field of its section.
pub(crate) struct Source<'a> {
    pub line: usize,
    pub text: &'a str,
    pub field: Option<FieldRef>,
}

/// Characters `[start, end)` of the paragraph on `line` that a goal used (so the KPI reader
/// does not count its percentages again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Claim {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

const INDEXES: [(&str, &[&str]); 6] = [
    (
        "PAR INDEX",
        &[
            "chi so cai cach hanh chinh",
            "chi so cchc",
            "par index",
            "par-index",
            "chi so par",
        ],
    ),
    (
        "PAPI",
        &["papi", "chi so hieu qua quan tri va hanh chinh cong"],
    ),
    ("PCI", &["pci", "chi so nang luc canh tranh"]),
    ("SIPAS", &["sipas", "chi so hai long"]),
    (
        "ICT INDEX",
        &[
            "ict index",
            "ict-index",
            "chi so san sang cho phat trien va ung dung cong nghe thong tin",
        ],
    ),
    ("DTI", &["dti", "chi so chuyen doi so"]),
];

const CUES: [&str; 3] = ["muc tieu", "phan dau", "chi tieu"];

/// Figures found in one stretch of text.
#[derive(Debug, Clone, Default)]
struct Figures {
    year: Option<i32>,
    points: Option<Measure>,
    max: Option<Number>,
    at_max: bool,
    percent: Option<Measure>,
    rank: Option<u32>,
    rank_of: Option<u32>,
    rank_change: Option<RankChange>,
    group: Option<Group>,
    components: Vec<Component>,
}

impl Figures {
    fn any(&self) -> bool {
        self.points.is_some()
            || self.percent.is_some()
            || self.rank.is_some()
            || self.rank_change.is_some()
            || self.group.is_some()
            || self.at_max
            || !self.components.is_empty()
    }

    /// Whether the figures are more than a percentage (which alone is a KPI, unless an index
    /// is named).
    fn beyond_percent(&self) -> bool {
        self.points.is_some()
            || self.rank.is_some()
            || self.rank_change.is_some()
            || self.group.is_some()
            || self.at_max
            || !self.components.is_empty()
    }
}

fn number(t: &Token) -> Option<Decimal> {
    (t.kind == Kind::Num)
        .then(|| parse_number(&t.text))
        .flatten()
}

/// The comparison stated just before token `i` (and "trở lên"/"trở xuống" after `after`).
pub(crate) fn direction_around(toks: &[Token], i: usize, after: usize) -> Option<Direction> {
    let ends_at = |p: &str| {
        let n = p.split(' ').count();
        i >= n && phrase_at(toks, i - n, p) == Some(i)
    };
    if phrase_at(toks, after, "tro len").is_some() {
        return Some(Direction::AtLeast);
    }
    if phrase_at(toks, after, "tro xuong").is_some() {
        return Some(Direction::AtMost);
    }
    for (p, d) in [
        ("khong thap hon", Direction::AtLeast),
        ("khong it hon", Direction::AtLeast),
        ("khong duoi", Direction::AtLeast),
        ("toi thieu", Direction::AtLeast),
        ("it nhat", Direction::AtLeast),
        ("khong vuot qua", Direction::AtMost),
        ("khong qua", Direction::AtMost),
        ("toi da", Direction::AtMost),
        ("thap hon", Direction::Below),
        ("duoi", Direction::Below),
        ("tren", Direction::Above),
        ("cao hon", Direction::Above),
        ("vuot", Direction::Above),
        ("hon", Direction::Above),
    ] {
        if ends_at(p) {
            return Some(d);
        }
    }
    None
}

/// Top-level clauses of tokens `[a, b)` split at ",", ";" and ":": token ranges.
fn clauses(toks: &[Token], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = a;
    for (k, tok) in toks.iter().enumerate().take(b).skip(a) {
        match tok.text.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "," | ";" | ":" if depth == 0 => {
                out.push((start, k));
                start = k + 1;
            }
            _ => {}
        }
    }
    out.push((start, b));
    out
}

/// Parts of a field's points: clauses "điểm <label> đạt …".
fn components(t: &Text, toks: &[Token], a: usize, b: usize) -> Vec<(Component, usize, usize)> {
    let mut out = Vec::new();
    let has_trong_do = (a..b).any(|k| phrase_at(toks, k, "trong do").is_some());
    for (s, e) in clauses(toks, a, b) {
        // "Trong đó: điểm …" — skip the lead-in.
        let mut s = s;
        if let Some(j) = phrase_at(toks, s, "trong do") {
            s = if toks.get(j).is_some_and(|x| x.is(":")) {
                j + 1
            } else {
                j
            };
        }
        if !toks.get(s).is_some_and(|x| x.is("diem")) {
            continue;
        }
        let Some(dat) = (s + 1..e.min(s + 9)).find(|&k| toks[k].is("dat")) else {
            continue;
        };
        if dat == s + 1 {
            continue;
        }
        let label = t.slice(toks[s + 1].start, toks[dat - 1].end);
        let f = simple(toks, dat, e, true);
        out.push((
            Component {
                label,
                points: f.points,
                max: f.max,
                at_max: f.at_max,
                percent: f.percent,
            },
            s,
            e,
        ));
    }
    if out.len() >= 2 || (has_trong_do && !out.is_empty()) {
        out
    } else {
        Vec::new()
    }
}

/// Points, maximum, "điểm tối đa" and percent in tokens `[a, b)`. Outside a part, a
/// satisfaction rate ("tỷ lệ hài lòng đạt trên 90%") is not the subject's percentage.
fn simple(toks: &[Token], a: usize, b: usize, part: bool) -> Figures {
    let mut f = Figures::default();
    let mut k = a;
    while k < b {
        let tok = &toks[k];
        if phrase_at(toks, k, "dat diem toi da").is_some() {
            f.at_max = true;
            // "(9,5 điểm)" right after gives the value.
            if let Some(v) = toks
                .get(k + 4)
                .filter(|x| x.is("("))
                .and(toks.get(k + 5))
                .and_then(number)
                && toks.get(k + 6).is_some_and(|x| x.is("diem"))
            {
                f.points = Some(Measure {
                    value: Number(v),
                    direction: Direction::AtLeast,
                });
                f.max.get_or_insert(Number(v));
                k += 7;
                continue;
            }
            k += 4;
            continue;
        }
        let Some(v) = number(tok) else {
            k += 1;
            continue;
        };
        let next = |n: usize| toks.get(k + n).filter(|_| k + n < b);
        // "8,82 điểm/9,5 điểm tối đa" or "8,82/9,5 điểm".
        if next(1).is_some_and(|x| x.is("diem"))
            && next(2).is_some_and(|x| x.is("/"))
            && let Some(m) = next(3).and_then(number)
        {
            f.points.get_or_insert(Measure {
                value: Number(v),
                direction: Direction::AtLeast,
            });
            f.max = Some(Number(m));
            k += 5;
            continue;
        }
        if next(1).is_some_and(|x| x.is("/"))
            && let Some(m) = next(2).and_then(number)
            && next(3).is_some_and(|x| x.is("diem"))
        {
            f.points.get_or_insert(Measure {
                value: Number(v),
                direction: Direction::AtLeast,
            });
            f.max = Some(Number(m));
            k += 4;
            continue;
        }
        if next(1).is_some_and(|x| x.is("diem")) {
            let max_before = (k >= 2 && phrase_at(toks, k - 2, "toi da").is_some())
                || (k >= 3 && phrase_at(toks, k - 3, "toi da :").is_some());
            if max_before {
                f.max = Some(Number(v));
            } else if f.points.is_none() {
                f.points = Some(Measure {
                    value: Number(v),
                    direction: direction_around(toks, k, k + 2).unwrap_or(Direction::AtLeast),
                });
            }
            k += 2;
            continue;
        }
        if next(1).is_some_and(|x| x.is("%")) {
            let satisfaction =
                (k.saturating_sub(5)..k).any(|j| phrase_at(toks, j, "hai long").is_some());
            if f.percent.is_none() && (!satisfaction || part) {
                f.percent = Some(Measure {
                    value: Number(v),
                    direction: direction_around(toks, k, k + 2).unwrap_or(Direction::AtLeast),
                });
            }
            k += 2;
            continue;
        }
        k += 1;
    }
    f
}

/// Every figure in tokens `[a, b)`.
fn figures(t: &Text, toks: &[Token], a: usize, b: usize) -> Figures {
    let comps = components(t, toks, a, b);
    // Points and percent outside the parts.
    let mut f = Figures::default();
    let mut k = a;
    for (_, s, e) in &comps {
        merge_simple(&mut f, simple(toks, k, *s, false));
        k = *e;
    }
    merge_simple(&mut f, simple(toks, k, b, false));
    f.components = comps.into_iter().map(|(c, _, _)| c).collect();

    for k in a..b {
        let tok = &toks[k];
        // Year: "Năm 2023", "năm 2024", not "so với năm 2022".
        if f.year.is_none()
            && tok.is("nam")
            && let Some(y) = toks.get(k + 1).and_then(year_of)
            && !(k >= 1
                && (toks[k - 1].is("voi") || toks[k - 1].is("hon") || toks[k - 1].is("doan")))
        {
            f.year = Some(y);
        }
        // Rank: "xếp thứ 39/63", "xếp vị trí thứ 48/63", "xếp hạng 12/63".
        if f.rank.is_none()
            && (tok.is("thu") || (tok.is("hang") && k >= 1 && toks[k - 1].is("xep")))
            && let Some(r) = toks.get(k + 1).filter(|x| x.kind == Kind::Num)
            && let Ok(rank) = r.text.parse::<u32>()
            && (k.saturating_sub(3)..k)
                .any(|j| ["xep", "tri", "hang", "dung"].contains(&toks[j].text.as_str()))
        {
            f.rank = Some(rank);
            if toks.get(k + 2).is_some_and(|x| x.is("/"))
                && let Some(of) = toks.get(k + 3).and_then(|x| x.text.parse::<u32>().ok())
            {
                f.rank_of = Some(of);
            }
        }
        // Change: "giảm 32 bậc so với năm 2022", "tăng từ 2 đến 5 bậc".
        if f.rank_change.is_none() && (tok.is("tang") || tok.is("giam")) {
            let up = tok.is("tang");
            let mut j = k + 1;
            let mut low = None;
            if toks.get(j).is_some_and(|x| x.is("tu"))
                && let Some(a) = toks.get(j + 1).and_then(|x| x.text.parse::<u32>().ok())
                && toks.get(j + 2).is_some_and(|x| x.is("den"))
            {
                low = Some(a);
                j += 3;
            }
            if let Some(n) = toks.get(j).and_then(|x| x.text.parse::<u32>().ok())
                && toks.get(j + 1).is_some_and(|x| x.is("bac"))
            {
                let since = any_phrase_at(toks, j + 2, &["so voi nam", "so voi"])
                    .and_then(|(e, _)| toks.get(e).and_then(year_of));
                f.rank_change = Some(RankChange {
                    up,
                    places: low.unwrap_or(n),
                    places_max: low.map(|_| n),
                    since,
                });
            }
        }
        if f.group.is_none() && (tok.is("nhom") || tok.is("top")) {
            f.group = group_at(t, toks, k, b);
        }
    }
    f
}

fn merge_simple(f: &mut Figures, g: Figures) {
    if f.points.is_none() {
        f.points = g.points;
    }
    if f.max.is_none() {
        f.max = g.max;
    }
    if f.percent.is_none() {
        f.percent = g.percent;
    }
    f.at_max |= g.at_max;
}

/// A group at token `k` ("nhóm", "tốp"/"top"): its words to the end of the clause.
fn group_at(t: &Text, toks: &[Token], k: usize, b: usize) -> Option<Group> {
    let excluded = (k.saturating_sub(4)..k).any(|j| toks[j].is("khong"));
    let mut start = k;
    for lead in [
        "khong nam trong",
        "nam trong",
        "khong thuoc",
        "thuoc",
        "vao",
        "trong",
    ] {
        let n = lead.split(' ').count();
        if k >= n && phrase_at(toks, k - n, lead) == Some(k) {
            start = k - n;
            break;
        }
    }
    const STARTERS: [&str; 9] = [
        "diem", "xep", "tang", "giam", "dat", "muc", "chi", "ty", "vi",
    ];
    let mut end = b;
    for j in k + 1..b {
        let x = &toks[j];
        if x.is(".") || x.is(";") || x.is("(") || x.is(")") || x.is("va") {
            end = j;
            break;
        }
        if x.is(",")
            && toks
                .get(j + 1)
                .is_some_and(|n| STARTERS.contains(&n.text.as_str()))
        {
            end = j;
            break;
        }
    }
    let text = t.slice(toks[start].start, toks[end - 1].end);
    let next = toks.get(k + 1)?;
    let mut top = None;
    let mut band = None;
    if next.kind == Kind::Num {
        let leading = (k + 2..end).any(|j| {
            ["dau", "cao", "tot", "top"].contains(&toks[j].text.as_str())
                || phrase_at(toks, j, "dan dau").is_some()
        });
        let trailing =
            (k + 2..end).any(|j| ["cuoi", "thap", "cham"].contains(&toks[j].text.as_str()));
        if (leading || toks[k].is("top")) && !trailing {
            top = next.text.parse().ok();
        }
    } else if next.kind == Kind::Word
        && t.chars[next.start].is_uppercase()
        && next.end - next.start == 1
    {
        band = Some(t.slice(next.start, next.end));
    }
    // "nhóm đối tượng điều tra" is no ranking group: a group needs a size, a band or words
    // of rank.
    let ranking = top.is_some()
        || band.is_some()
        || (k + 1..end).any(|j| {
            [
                "dau", "cuoi", "kha", "tot", "yeu", "thap", "cao", "trung", "xuat",
            ]
            .contains(&toks[j].text.as_str())
        });
    ranking.then_some(Group {
        text,
        top,
        band,
        excluded,
    })
}

/// Index mentions: (start char, end char, index name), same-index mentions close together
/// ("Chỉ số cải cách hành chính (PAR INDEX)") counted once.
fn mentions(t: &Text, a: usize, b: usize) -> Vec<(usize, usize, &'static str)> {
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for (name, phrases) in INDEXES {
        for p in phrases {
            let mut i = a;
            while let Some(pos) = t.find(p, i) {
                if pos >= b {
                    break;
                }
                found.push((pos, pos + p.chars().count(), name));
                i = pos + 1;
            }
        }
    }
    found.sort();
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    for m in found {
        match out.last_mut() {
            Some(last) if last.2 == m.2 && m.0 <= last.1 + 15 => last.1 = last.1.max(m.1),
            Some(last) if m.0 < last.1 => {}
            _ => out.push(m),
        }
    }
    out
}

/// Sentences of a paragraph as character ranges.
fn sentences(t: &Text) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for i in 0..t.len() {
        match t.chars[i] {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' | '!' | '?' if depth == 0 => {
                let next = t.chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if next.is_none_or(|c| c.is_uppercase()) {
                    out.push((start, i + 1));
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    if start < t.len() && t.chars[start..].iter().any(|c| !c.is_whitespace()) {
        out.push((start, t.len()));
    }
    out
}

/// What one paragraph says: (subject, is target, figures, text, line, claimed range).
struct Finding {
    subject: GoalSubject,
    target: bool,
    figures: Figures,
    text: String,
    line: usize,
}

fn token_range(toks: &[Token], a: usize, b: usize) -> (usize, usize) {
    let s = toks.iter().position(|x| x.start >= a).unwrap_or(toks.len());
    let e = toks.iter().position(|x| x.start >= b).unwrap_or(toks.len());
    (s, e.max(s))
}

/// What the paragraphs say so far, and the text it came from.
#[derive(Default)]
struct Found {
    findings: Vec<Finding>,
    claims: Vec<Claim>,
}

fn read_part(
    t: &Text,
    toks: &[Token],
    (a, b): (usize, usize),
    target: bool,
    src: &Source<'_>,
    found: &mut Found,
    w: &mut Warnings,
) {
    let ms = mentions(t, a, b);
    let mut segments: Vec<(usize, usize, Option<GoalSubject>, usize)> = Vec::new();
    if ms.is_empty() {
        let subject = src.field.clone().map(|f| GoalSubject {
            index: "PAR INDEX".into(),
            field: Some(f),
        });
        segments.push((a, b, subject, a));
    } else {
        for (n, m) in ms.iter().enumerate() {
            let start = if n == 0 { a } else { m.0 };
            let end = ms.get(n + 1).map_or(b, |x| x.0);
            // A field section naming the PAR index still means the whole index.
            segments.push((
                start,
                end,
                Some(GoalSubject {
                    index: m.2.to_string(),
                    field: None,
                }),
                m.1,
            ));
        }
    }
    let parsed: Vec<Figures> = segments
        .iter()
        .map(|(s, e, _, _)| {
            let (ts, te) = token_range(toks, *s, *e);
            figures(t, toks, ts, te)
        })
        .collect();
    let mut shared: Option<Figures> = None;
    let mut results: Vec<Option<Figures>> = vec![None; segments.len()];
    for n in (0..segments.len()).rev() {
        let (_, e, ref subject, mention_end) = segments[n];
        let f = &parsed[n];
        if f.any() {
            shared = Some(f.clone());
            results[n] = Some(f.clone());
        } else if subject.as_ref().is_some_and(|s| s.field.is_none())
            && e.saturating_sub(mention_end) <= 15
            && let Some(sf) = &shared
        {
            // "Chỉ số A, Chỉ số B (…) nằm trong nhóm 20 …": the figures are shared.
            results[n] = Some(sf.clone());
        } else {
            shared = None;
        }
    }
    for (n, (s, e, subject, _)) in segments.iter().enumerate() {
        let Some(f) = results[n].take() else { continue };
        let explicit = subject.as_ref().is_some_and(|x| x.field.is_none());
        if !f.beyond_percent() && !explicit {
            continue;
        }
        let Some(subject) = subject.clone() else {
            w.at(
                src.line,
                format!(
                    "có số liệu {} (\"{}\") nhưng không rõ của chỉ số hay lĩnh vực nào.",
                    if target { "mục tiêu" } else { "kết quả" },
                    excerpt(&t.slice(*s, *e))
                ),
            );
            continue;
        };
        found.claims.push(Claim {
            line: src.line,
            start: *s,
            end: *e,
        });
        found.findings.push(Finding {
            subject,
            target,
            figures: f,
            text: t.slice(*s, *e),
            line: src.line,
        });
    }
}

fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 12 {
        text.to_string()
    } else {
        format!("{} …", words[..12].join(" "))
    }
}

/// Reads goals from the paragraphs; returns them with the text they used.
pub(crate) fn extract(
    sources: &[Source<'_>],
    plan_year: Option<i32>,
    w: &mut Warnings,
) -> (Vec<Goal>, Vec<Claim>) {
    let mut found = Found::default();
    for src in sources {
        let t = Text::new(src.text);
        let toks = tokens(&t);
        let mut in_target = false;
        for (s, e) in sentences(&t) {
            let cue = t.find_any(&CUES, s).map(|(p, _)| p).filter(|&p| p < e);
            let (ts, te) = token_range(&toks, s, e);
            let past_year = toks[ts..te].iter().enumerate().any(|(k, x)| {
                x.is("nam")
                    && toks
                        .get(ts + k + 1)
                        .and_then(year_of)
                        .zip(plan_year)
                        .is_some_and(|(y, p)| y < p)
                    && !(ts + k >= 1 && toks[ts + k - 1].is("voi"))
            });
            match cue {
                Some(c) => {
                    read_part(&t, &toks, (s, c), false, src, &mut found, w);
                    read_part(&t, &toks, (c, e), true, src, &mut found, w);
                    in_target = true;
                }
                None if in_target && !past_year => {
                    read_part(&t, &toks, (s, e), true, src, &mut found, w);
                }
                None => {
                    read_part(&t, &toks, (s, e), false, src, &mut found, w);
                }
            }
        }
    }
    (merge(found.findings, w), found.claims)
}

fn merge(findings: Vec<Finding>, w: &mut Warnings) -> Vec<Goal> {
    let mut goals: Vec<Goal> = Vec::new();
    for f in findings {
        let goal = match goals.iter_mut().find(|g| g.subject == f.subject) {
            Some(g) => g,
            None => {
                goals.push(Goal {
                    subject: f.subject.clone(),
                    baseline: None,
                    target: None,
                });
                goals.last_mut().expect("just pushed")
            }
        };
        let x = f.figures;
        if f.target {
            let t = Target {
                year: x.year,
                points: x.points,
                at_max: x.at_max,
                percent: x.percent,
                rank: x.rank,
                rank_change: x.rank_change,
                group: x.group,
                components: x.components,
                text: f.text,
                line: f.line,
            };
            match &mut goal.target {
                None => goal.target = Some(t),
                Some(old) => {
                    // A second statement adds what the first did not say.
                    old.year = old.year.or(t.year);
                    old.points = old.points.or(t.points);
                    old.at_max |= t.at_max;
                    old.percent = old.percent.or(t.percent);
                    old.rank = old.rank.or(t.rank);
                    old.rank_change = old.rank_change.or(t.rank_change);
                    if old.group.is_none() {
                        old.group = t.group;
                    }
                    if old.components.is_empty() {
                        old.components = t.components;
                    }
                }
            }
        } else {
            let b = Baseline {
                year: x.year,
                points: x.points.map(|m| m.value),
                max: x.max,
                percent: x.percent.map(|m| m.value),
                rank: x.rank,
                rank_of: x.rank_of,
                rank_change: x.rank_change,
                group: x.group,
                components: x.components,
                text: f.text,
                line: f.line,
            };
            match &goal.baseline {
                None => goal.baseline = Some(b),
                Some(old) => {
                    if old.points.is_some() && b.points.is_some() && old.points != b.points {
                        w.at(
                            b.line,
                            format!(
                                "{}: kết quả {} điểm khác với {} điểm ở dòng {}.",
                                label(&goal.subject),
                                b.points.map_or(String::new(), |p| vi(p.0)),
                                old.points.map_or(String::new(), |p| vi(p.0)),
                                old.line
                            ),
                        );
                    }
                }
            }
        }
    }
    goals
}

/// How a subject is named in messages.
pub(crate) fn label(s: &GoalSubject) -> String {
    match &s.field {
        Some(f) => format!("Lĩnh vực {} ({})", f.code, f.name),
        None if s.index == "PAR INDEX" => "Chỉ số cải cách hành chính (PAR INDEX)".into(),
        None => format!("Chỉ số {}", s.index),
    }
}

fn half_unit(d: Decimal) -> Decimal {
    // Half of the last stated place: 8,82 → 0,005; 3,5 → 0,05.
    Decimal::new(5, d.normalize().scale() + 1)
}

/// Checks the stated figures against each other; every disagreement is a warning.
pub(crate) fn check(goals: &[Goal], w: &mut Warnings) {
    let hundred = Decimal::from(100);
    for g in goals {
        let who = label(&g.subject);
        if let Some(b) = &g.baseline {
            let year = b.year.map_or(String::new(), |y| format!(" năm {y}"));
            if let (Some(p), Some(m)) = (b.points, b.max) {
                if p.0 > m.0 {
                    w.at(
                        b.line,
                        format!(
                            "{who}, kết quả{year}: {} điểm vượt điểm tối đa {}.",
                            vi(p.0),
                            vi(m.0)
                        ),
                    );
                }
                if let Some(pct) = b.percent
                    && !m.0.is_zero()
                {
                    let places = pct.0.normalize().scale();
                    let computed = p.0 / m.0 * hundred;
                    let shown = computed.round_dp_with_strategy(
                        places,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    );
                    if shown != pct.0.normalize() {
                        // Could rounding of the points explain it?
                        let h = half_unit(p.0);
                        let lo = (p.0 - h) / m.0 * hundred;
                        let hi = (p.0 + h) / m.0 * hundred;
                        let k = half_unit(pct.0);
                        let note = if lo < pct.0 + k && pct.0 - k < hi {
                            " (chênh lệch nằm trong sai số làm tròn điểm)"
                        } else {
                            ""
                        };
                        w.at(
                            b.line,
                            format!(
                                "{who}, kết quả{year}: {}/{} = {}% nhưng văn bản ghi {}%{note}.",
                                vi(p.0),
                                vi(m.0),
                                vi_rounded(computed, places.max(2)),
                                vi(pct.0)
                            ),
                        );
                    }
                }
            }
            if let Some(p) = b.points
                && b.components.len() >= 2
                && b.components.iter().all(|c| c.points.is_some())
            {
                let parts: Vec<Decimal> = b
                    .components
                    .iter()
                    .filter_map(|c| c.points.map(|m| m.value.0))
                    .collect();
                let sum: Decimal = parts.iter().copied().sum();
                if sum.normalize() != p.0.normalize() {
                    let tolerance: Decimal =
                        parts.iter().map(|d| half_unit(*d)).sum::<Decimal>() + half_unit(p.0);
                    let note = if (sum - p.0).abs() <= tolerance {
                        " (chênh lệch nằm trong sai số làm tròn)"
                    } else {
                        ""
                    };
                    w.at(
                        b.line,
                        format!(
                            "{who}, kết quả{year}: {} = {} điểm nhưng văn bản ghi {} điểm{note}.",
                            parts.iter().map(|d| vi(*d)).collect::<Vec<_>>().join(" + "),
                            vi(sum),
                            vi(p.0)
                        ),
                    );
                }
            }
            if let Some(m) = b.max
                && b.components.len() >= 2
                && b.components.iter().all(|c| c.max.is_some())
            {
                let maxes: Vec<Decimal> = b
                    .components
                    .iter()
                    .filter_map(|c| c.max.map(|x| x.0))
                    .collect();
                let sum: Decimal = maxes.iter().copied().sum();
                if sum.normalize() != m.0.normalize() {
                    w.at(
                        b.line,
                        format!(
                            "{who}: điểm tối đa các phần {} = {} nhưng điểm tối đa của lĩnh vực là {}.",
                            maxes.iter().map(|d| vi(*d)).collect::<Vec<_>>().join(" + "),
                            vi(sum),
                            vi(m.0)
                        ),
                    );
                }
            }
            if let (Some(r), Some(of)) = (b.rank, b.rank_of)
                && r > of
            {
                w.at(
                    b.line,
                    format!("{who}: xếp thứ {r}/{of} — thứ hạng lớn hơn số đơn vị."),
                );
            }
        }
        if let Some(t) = &g.target {
            let max = g.baseline.as_ref().and_then(|b| b.max);
            if let (Some(p), Some(m)) = (t.points, max) {
                if p.value.0 > m.0 {
                    w.at(
                        t.line,
                        format!(
                            "{who}: mục tiêu {} điểm vượt điểm tối đa {}.",
                            vi(p.value.0),
                            vi(m.0)
                        ),
                    );
                } else if t.at_max && p.value.0 != m.0 {
                    w.at(
                        t.line,
                        format!(
                            "{who}: mục tiêu \"đạt điểm tối đa\" ghi {} điểm nhưng điểm tối đa là {}.",
                            vi(p.value.0),
                            vi(m.0)
                        ),
                    );
                }
            }
            let parts = g
                .baseline
                .as_ref()
                .map(|b| b.components.as_slice())
                .unwrap_or(&[]);
            for c in &t.components {
                let base = parts
                    .iter()
                    .find(|b| super::scan::fold(&b.label) == super::scan::fold(&c.label));
                if let (Some(p), Some(m)) = (c.points, base.and_then(|b| b.max)) {
                    if p.value.0 > m.0 {
                        w.at(
                            t.line,
                            format!(
                                "{who}: mục tiêu điểm {} {} vượt điểm tối đa {}.",
                                c.label,
                                vi(p.value.0),
                                vi(m.0)
                            ),
                        );
                    } else if c.at_max && p.value.0 != m.0 {
                        w.at(
                            t.line,
                            format!(
                                "{who}: mục tiêu điểm {} \"đạt điểm tối đa\" ghi {} nhưng điểm tối đa là {}.",
                                c.label,
                                vi(p.value.0),
                                vi(m.0)
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_import::fields::field;

    fn read(text: &str, field_code: Option<&str>) -> (Vec<Goal>, Vec<String>) {
        let mut w = Warnings::default();
        let src = [Source {
            line: 1,
            text,
            field: field_code.and_then(field),
        }];
        let (g, _) = extract(&src, Some(2024), &mut w);
        check(&g, &mut w);
        (g, w.0)
    }

    fn d(s: &str) -> Number {
        Number(s.parse().unwrap())
    }

    #[test]
    fn a_field_result_and_target() {
        let (g, w) = read(
            "Công tác chỉ đạo, điều hành: Năm 2023: Đạt 8,82 điểm/9,5 điểm tối đa (đạt tỷ lệ 92,81%), xếp vị trí thứ 48/63 tỉnh, thành phố, tăng 08 bậc so với năm 2022. Mục tiêu phấn đấu năm 2024: đạt điểm tối đa theo thang điểm đánh giá (9,5 điểm) và thuộc tốp 15 tỉnh, thành phố đứng đầu.",
            Some("1"),
        );
        assert_eq!(g.len(), 1);
        let b = g[0].baseline.as_ref().unwrap();
        assert_eq!(
            (b.year, b.points, b.max, b.percent),
            (
                Some(2023),
                Some(d("8.82")),
                Some(d("9.5")),
                Some(d("92.81"))
            )
        );
        assert_eq!((b.rank, b.rank_of), (Some(48), Some(63)));
        assert_eq!(
            b.rank_change,
            Some(RankChange {
                up: true,
                places: 8,
                places_max: None,
                since: Some(2022)
            })
        );
        let t = g[0].target.as_ref().unwrap();
        assert_eq!(t.year, Some(2024));
        assert!(t.at_max);
        assert_eq!(t.points.map(|p| p.value), Some(d("9.5")));
        let group = t.group.as_ref().unwrap();
        assert_eq!(group.top, Some(15));
        assert_eq!(group.text, "thuộc tốp 15 tỉnh, thành phố đứng đầu");
        assert_eq!(
            w,
            [
                "Dòng 1: Lĩnh vực 1 (Công tác chỉ đạo, điều hành cải cách hành chính), kết quả năm 2023: 8,82/9,5 = 92,84% nhưng văn bản ghi 92,81% (chênh lệch nằm trong sai số làm tròn điểm)."
            ]
        );
    }

    #[test]
    fn parts_that_do_not_add_up() {
        let (g, w) = read(
            "Cải cách thể chế: Năm 2023: Đạt 8,53 điểm/10 điểm tối đa, giảm 16 bậc so với năm 2022; Trong đó: điểm tự đánh giá đạt 5,14 điểm (tối đa: 6 điểm), điểm điều tra xã hội học đạt 3,5 điểm (tối đa: 4 điểm). Mục tiêu phấn đấu năm 2024: điểm tự đánh giá đạt điểm tối đa (6 điểm); điểm điều tra xã hội học đạt tối thiểu 3,39 điểm (tỷ lệ hài lòng đạt trên 90%) và thuộc tốp 15 tỉnh, thành phố đứng đầu.",
            Some("2"),
        );
        let b = g[0].baseline.as_ref().unwrap();
        assert_eq!(b.components.len(), 2);
        assert_eq!(b.components[0].label, "tự đánh giá");
        assert_eq!(b.components[0].points.map(|p| p.value), Some(d("5.14")));
        assert_eq!(b.components[1].max, Some(d("4")));
        let t = g[0].target.as_ref().unwrap();
        assert_eq!(t.components.len(), 2);
        assert!(t.components[0].at_max);
        assert_eq!(
            t.components[1].points,
            Some(Measure {
                value: d("3.39"),
                direction: Direction::AtLeast
            })
        );
        assert_eq!(
            t.components[1].percent,
            Some(Measure {
                value: d("90"),
                direction: Direction::Above
            })
        );
        assert_eq!(t.group.as_ref().and_then(|g| g.top), Some(15));
        assert_eq!(
            w,
            [
                "Dòng 1: Lĩnh vực 2 (Cải cách thể chế), kết quả năm 2023: 5,14 + 3,5 = 8,64 điểm nhưng văn bản ghi 8,53 điểm."
            ]
        );
    }

    #[test]
    fn indexes_named_in_one_sentence() {
        let (g, _) = read(
            "Theo đó, Kế hoạch đề ra mục tiêu như sau: Kết quả Chỉ số Cải cách hành chính (PAR INDEX), Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI), Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin (ICT INDEX) nằm trong nhóm 20 địa phương dẫn đầu cả nước, điểm Chỉ số tăng cao hơn so với năm 2021. Vị trí xếp hạng Chỉ số PCI của tỉnh tăng từ 2 đến 5 bậc.",
            None,
        );
        let names: Vec<&str> = g.iter().map(|g| g.subject.index.as_str()).collect();
        assert_eq!(names, ["PAR INDEX", "PAPI", "ICT INDEX", "PCI"]);
        for x in &g[..3] {
            let t = x.target.as_ref().unwrap();
            assert_eq!(t.group.as_ref().unwrap().top, Some(20));
            assert_eq!(
                t.group.as_ref().unwrap().text,
                "nằm trong nhóm 20 địa phương dẫn đầu cả nước"
            );
        }
        assert_eq!(
            g[3].target.as_ref().unwrap().rank_change,
            Some(RankChange {
                up: true,
                places: 2,
                places_max: Some(5),
                since: None
            })
        );
    }

    #[test]
    fn a_percentage_target_and_an_excluded_group() {
        let (g, _) = read(
            "Mục tiêu Chỉ số CCHC năm 2018 tỉnh Đắk Lắk đạt từ 80% trở lên và Chỉ số PAPI năm 2018 không nằm trong nhóm tỉnh trung bình thấp.",
            None,
        );
        assert_eq!(g.len(), 2);
        let t = g[0].target.as_ref().unwrap();
        assert_eq!(
            t.percent,
            Some(Measure {
                value: d("80"),
                direction: Direction::AtLeast
            })
        );
        assert_eq!(t.year, Some(2018));
        let group = g[1].target.as_ref().unwrap().group.clone().unwrap();
        assert!(group.excluded);
        assert_eq!(group.text, "không nằm trong nhóm tỉnh trung bình thấp");
        assert_eq!(group.top, None);
    }

    #[test]
    fn figures_without_a_subject_are_reported() {
        let (g, w) = read("Năm 2023 đạt 86,44 điểm, xếp thứ 39/63.", None);
        assert!(g.is_empty());
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("không rõ của chỉ số hay lĩnh vực nào"),
            "{w:?}"
        );
        let (g, _) = read("Nhóm A gồm các sở có điểm cao.", Some("3"));
        assert_eq!(
            g[0].baseline
                .as_ref()
                .unwrap()
                .group
                .as_ref()
                .unwrap()
                .band
                .as_deref(),
            Some("A")
        );
    }
}
