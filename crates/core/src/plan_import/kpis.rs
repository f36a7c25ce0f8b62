//! KPIs (chỉ tiêu): numeric targets with a direction.
//!
//! Every percentage outside a goal is a KPI: "trên 95% hồ sơ đúng hạn" (above), "100% văn
//! bản điện tử ký số" (at least), "từ 30% trở lên" (at least), "giảm tối thiểu 2,5% đơn vị
//! sự nghiệp" (a decrease). A percentage that opens a later item of the same list takes the
//! "giảm"/"tăng" of the first ("giảm 2,5% …; 0,5% biên chế … và 1,38% biên chế …"). A count
//! is a KPI when a comparison precedes it ("ít nhất 3 sáng kiến"). The subject is the words
//! after the figure ("100% văn bản …"), or, when the figure ends the clause, the words before
//! it ("mức độ hài lòng … đạt tối thiểu 90%").

use super::goals::{Claim, direction_around};
use super::model::{Direction, Kpi, Number};
use super::scan::{Kind, Text, Token, parse_number, phrase_at, tokens};
use std::collections::HashSet;

/// A paragraph to read KPIs from.
pub(crate) struct Source<'a> {
    pub line: usize,
    pub text: &'a str,
    pub field: Option<String>,
    /// The outline node it belongs to, to link the KPI to that node's task.
    pub node: Option<usize>,
}

/// A KPI with the outline node it came from.
pub(crate) struct Found {
    pub kpi: Kpi,
    pub node: Option<usize>,
}

/// Words that may stand between "giảm"/"tăng" and its figure.
const BETWEEN: [&str; 9] = [
    "toi", "thieu", "it", "nhat", "khoang", "them", "tu", "binh", "quan",
];

fn change_before(toks: &[Token], i: usize, stop: usize) -> Option<Direction> {
    let mut j = i;
    while j > stop {
        j -= 1;
        let x = &toks[j];
        if x.is("giam") {
            return Some(Direction::Decrease);
        }
        if x.is("tang") {
            return Some(Direction::Increase);
        }
        if !BETWEEN.contains(&x.text.as_str()) {
            return None;
        }
    }
    None
}

/// Clause boundaries of a paragraph (characters): sentence ends, ";" and ":" outside
/// parentheses.
fn clause_bounds(t: &Text) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for i in 0..t.len() {
        match t.chars[i] {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' | ':' if depth == 0 => {
                out.push((start, i));
                start = i + 1;
            }
            '.' if depth == 0 && t.chars.get(i + 1).is_none_or(|c| c.is_whitespace()) => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, t.len()));
    out
}

/// Where each sentence starts (characters), in order.
fn sentence_starts(t: &Text) -> Vec<usize> {
    let mut out = vec![0];
    for i in 0..t.len() {
        if t.chars[i] == '.' && t.chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
            out.push(i + 1);
        }
    }
    out
}

/// The longest clause quoted as a KPI's text; a longer one is cut around the figure.
const MAX_TEXT: usize = 400;

/// Cuts "(tương ứng 15 đơn vị)" out of a subject, and an assignment in parentheses.
fn split_subject(s: &str) -> (String, Option<String>) {
    let t = Text::new(s);
    let mut subject_end = t.len();
    let mut equivalent = None;
    let mut i = 0;
    while i < t.len() {
        if t.chars[i] == '(' {
            let close = (i..t.len()).find(|&k| t.chars[k] == ')').unwrap_or(t.len());
            let inner = Text::new(&t.slice(i + 1, close));
            if ["tuong ung", "tuong uong", "tuong duong"]
                .iter()
                .any(|p| inner.matches_at(0, p))
            {
                equivalent.get_or_insert_with(|| t.slice(i + 1, close));
                subject_end = subject_end.min(i);
            } else if inner.matches_at(0, "giao") || inner.find("chu tri", 0).is_some() {
                subject_end = subject_end.min(i);
            }
            i = close;
        }
        i += 1;
    }
    (trim_subject(&t.slice(0, subject_end)), equivalent)
}

fn trim_subject(s: &str) -> String {
    let mut s = s.trim().trim_matches([',', ';', '.', ' ']).to_string();
    loop {
        let t = Text::new(&s);
        let mut changed = false;
        for lead in ["phan dau", "trong so do", "trong do", "dat", "la", "co"] {
            if t.matches_at(0, lead) {
                s = t
                    .slice(lead.len(), t.len())
                    .trim_start_matches([',', ' '])
                    .to_string();
                changed = true;
                break;
            }
        }
        let t = Text::new(&s);
        for tail in ["dat", "la", "va", "o muc", "dat muc", "hoac"] {
            let n = tail.len();
            if t.len() > n && t.matches_at(t.len() - n, tail) {
                s = t
                    .slice(0, t.len() - n)
                    .trim_end_matches([',', ' '])
                    .to_string();
                changed = true;
                break;
            }
        }
        s = s.trim().trim_matches([',', ';', '.', ' ']).to_string();
        if !changed {
            return s;
        }
    }
}

const NOT_COUNTED: [&str; 12] = [
    "diem", "bac", "nam", "thang", "ngay", "quy", "tuan", "gio", "phut", "%", "lan", "tuoi",
];

/// Reads every KPI of the paragraphs, skipping what goals used.
pub(crate) fn extract(sources: &[Source<'_>], claims: &[Claim]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for src in sources {
        let t = Text::new(src.text);
        let toks = tokens(&t);
        let bounds = clause_bounds(&t);
        let starts = sentence_starts(&t);
        let clause_of = |pos: usize| {
            let k = bounds.partition_point(|(a, _)| *a <= pos);
            bounds
                .get(k.wrapping_sub(1))
                .copied()
                .unwrap_or((0, t.len()))
        };
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let claimed = |pos: usize| {
            claims
                .iter()
                .any(|c| c.line == src.line && pos >= c.start && pos < c.end)
        };
        // The last change verb of each sentence, for items of the same list.
        let mut last_change: Option<(usize, Direction)> = None;
        let mut skip_to = 0;
        for i in 0..toks.len() {
            if i < skip_to || toks[i].kind != Kind::Num || claimed(toks[i].start) {
                continue;
            }
            let Some(value) = parse_number(&toks[i].text) else {
                continue;
            };
            let (c_start, c_end) = clause_of(toks[i].start);
            let first_in_clause = toks.partition_point(|x| x.start < c_start).min(i);
            let percent = toks.get(i + 1).is_some_and(|x| x.is("%"));
            let mut after = i + if percent { 2 } else { 1 };
            let mut value_max = None;
            if percent
                && toks.get(after).is_some_and(|x| x.is("den"))
                && let Some(m) = toks.get(after + 1).and_then(|x| parse_number(&x.text))
                && toks.get(after + 2).is_some_and(|x| x.is("%"))
            {
                value_max = Some(Number(m));
                after += 3;
                skip_to = after;
            }
            let change = change_before(&toks, i, first_in_clause);
            let comparison = direction_around(&toks, i, after);
            if phrase_at(&toks, after, "tro len").is_some()
                || phrase_at(&toks, after, "tro xuong").is_some()
            {
                after += 2;
            }
            let sentence = starts.partition_point(|&s| s <= toks[i].start);
            let direction = if percent {
                match (change, comparison) {
                    (Some(c), _) => c,
                    (None, Some(d)) => d,
                    (None, None) => {
                        // "; 0,5% biên chế …" continues "giảm 2,5% …".
                        let list_item = i == first_in_clause
                            || (i > 0
                                && (toks[i - 1].is(",")
                                    || toks[i - 1].is("va")
                                    || toks[i - 1].is(";")));
                        match last_change {
                            Some((s, d)) if s == sentence && list_item => d,
                            _ => Direction::AtLeast,
                        }
                    }
                }
            } else {
                // A count needs its own comparison, a whole number and a thing counted.
                let Some(d) = change.or(comparison) else {
                    continue;
                };
                let counted = toks.get(i + 1).filter(|x| x.kind == Kind::Word);
                if toks[i].text.contains([',', '.'])
                    || counted.is_none_or(|x| NOT_COUNTED.contains(&x.text.as_str()))
                    || (i > 0 && toks[i - 1].is("("))
                {
                    continue;
                }
                d
            };
            if let Some(c) = change {
                last_change = Some((sentence, c));
            }
            // The subject: after the figure, or before it when the figure ends the clause.
            let next_figure = (after..toks.len())
                .take_while(|&k| toks[k].start < c_end)
                .find(|&k| toks[k].kind == Kind::Num && toks.get(k + 1).is_some_and(|x| x.is("%")))
                .map(|k| {
                    // Back over a comparison ("…, trên 50% …").
                    let mut s = k;
                    while s > after && !toks[s - 1].is(",") && !toks[s - 1].is("va") && s + 3 > k {
                        s -= 1;
                    }
                    toks[s].start
                });
            let forward = toks
                .get(after)
                .filter(|x| x.start < c_end)
                .is_some_and(|x| {
                    x.kind == Kind::Word && phrase_at(&toks, after, "so voi").is_none()
                });
            let (subject_text, unit) = if forward {
                let end = next_figure
                    .unwrap_or(c_end)
                    .min(c_end)
                    .min(toks[after].start + MAX_TEXT);
                let s = t.slice(toks[after].start, end);
                let unit = if percent {
                    "%".to_string()
                } else {
                    s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
                };
                (s, unit)
            } else {
                let mut start = toks[i].start;
                // Back over the comparison words and "đạt".
                let mut k = i;
                while k > first_in_clause
                    && [
                        "tren", "duoi", "toi", "thieu", "da", "it", "nhat", "tu", "khong", "qua",
                        "dat", "muc", "o", "hon", "cao", "thap", "giam", "tang",
                    ]
                    .contains(&toks[k - 1].text.as_str())
                {
                    k -= 1;
                    start = toks[k].start;
                }
                // From the clause start, or the figure before this one.
                let previous = (first_in_clause..k)
                    .rev()
                    .find(|&p| {
                        toks[p].kind == Kind::Num && toks.get(p + 1).is_some_and(|x| x.is("%"))
                    })
                    .map_or(c_start, |p| toks[p + 1].end);
                let from = previous.max(start.saturating_sub(MAX_TEXT));
                (t.slice(from, start), "%".to_string())
            };
            let (subject, equivalent) = split_subject(&subject_text);
            if subject.is_empty() {
                continue;
            }
            let kpi = Kpi {
                subject,
                value: Number(value),
                unit,
                direction,
                value_max,
                equivalent,
                field: src.field.clone(),
                text: if c_end - c_start <= MAX_TEXT {
                    t.slice(c_start, c_end)
                } else {
                    let a = toks[i].start.saturating_sub(MAX_TEXT / 2).max(c_start);
                    format!("… {} …", t.slice(a, (a + MAX_TEXT).min(c_end)))
                },
                line: src.line,
                task: None,
            };
            if seen.insert((kpi.value.0.to_string(), kpi.subject.clone())) {
                out.push(Found {
                    kpi,
                    node: src.node,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, Direction, String, Option<String>)> {
        let src = [Source {
            line: 1,
            text,
            field: None,
            node: None,
        }];
        extract(&src, &[])
            .into_iter()
            .map(|f| {
                (
                    f.kpi.value.0.to_string(),
                    f.kpi.unit,
                    f.kpi.direction,
                    f.kpi.subject,
                    f.kpi.equivalent,
                )
            })
            .collect()
    }

    fn k(
        v: &str,
        unit: &str,
        d: Direction,
        s: &str,
    ) -> (String, String, Direction, String, Option<String>) {
        (v.into(), unit.into(), d, s.into(), None)
    }

    #[test]
    fn percentages_with_their_direction_and_subject() {
        use Direction::*;
        assert_eq!(
            read(
                "Cải cách thủ tục hành chính: Trên 95% số hồ sơ thủ tục hành chính được trả kết quả giải quyết đúng hạn; phấn đấu 80% hồ sơ thủ tục hành chính trả kết quả trước hạn; mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%."
            ),
            [
                k(
                    "95",
                    "%",
                    Above,
                    "số hồ sơ thủ tục hành chính được trả kết quả giải quyết đúng hạn"
                ),
                k(
                    "80",
                    "%",
                    AtLeast,
                    "hồ sơ thủ tục hành chính trả kết quả trước hạn"
                ),
                k(
                    "90",
                    "%",
                    AtLeast,
                    "mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính"
                ),
            ]
        );
        assert_eq!(
            read(
                "+ 100% văn bản trao đổi giữa các cơ quan nhà nước được thực hiện dưới dạng điện tử, được ký số đầy đủ."
            ),
            [k(
                "100",
                "%",
                AtLeast,
                "văn bản trao đổi giữa các cơ quan nhà nước được thực hiện dưới dạng điện tử, được ký số đầy đủ"
            )]
        );
        assert_eq!(
            read(
                "+ 60% hồ sơ công việc tại cấp tỉnh, 50% hồ sơ công việc tại cấp huyện và 30% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng."
            ),
            [
                k("60", "%", AtLeast, "hồ sơ công việc tại cấp tỉnh"),
                k("50", "%", AtLeast, "hồ sơ công việc tại cấp huyện"),
                k(
                    "30",
                    "%",
                    AtLeast,
                    "hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng"
                ),
            ]
        );
        assert_eq!(
            read("- Tổ chức kiểm tra CCHC từ 30% trở lên số cơ quan chuyên môn cấp tỉnh."),
            [k("30", "%", AtLeast, "số cơ quan chuyên môn cấp tỉnh")]
        );
    }

    #[test]
    fn a_decrease_carries_over_its_list() {
        use Direction::*;
        let got = read(
            "Triển khai thực hiện giảm tối thiểu 2,5 % số lượng đơn vị sự nghiệp công lập (tương ướng 15 đơn vị); 0,5% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước (tương ứng với 100 viên chức) và 1,38% biên chế công chức (tương ứng 23 biên chế) so với năm 2021; mức độ hài lòng của người dân đạt tối thiểu 90%.",
        );
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(
            got[0],
            (
                "2.5".into(),
                "%".into(),
                Decrease,
                "số lượng đơn vị sự nghiệp công lập".into(),
                Some("tương ướng 15 đơn vị".into())
            )
        );
        assert_eq!((got[1].0.as_str(), got[1].2), ("0.5", Decrease));
        assert_eq!(
            got[1].3,
            "biên chế sự nghiệp hưởng lương từ ngân sách nhà nước"
        );
        assert_eq!(
            (got[2].0.as_str(), got[2].2, got[2].3.as_str()),
            ("1.38", Decrease, "biên chế công chức")
        );
        assert_eq!((got[3].0.as_str(), got[3].2), ("90", AtLeast));
    }

    #[test]
    fn counts_need_a_comparison() {
        use Direction::*;
        assert_eq!(
            read(
                "Phấn đấu, năm 2024 có ít nhất 3 sáng kiến lớn được Hội đồng thẩm định đánh giá (Giao Sở Khoa học và Công nghệ chủ trì, tham mưu)."
            ),
            [k(
                "3",
                "sáng kiến",
                AtLeast,
                "sáng kiến lớn được Hội đồng thẩm định đánh giá"
            )]
        );
        assert!(read("Kiểm tra 15 đơn vị trong năm 2024 (tương ứng 20 cơ quan).").is_empty());
        assert!(read("Tăng 08 bậc so với năm 2022.").is_empty());
        let range = extract(
            &[Source {
                line: 1,
                text: "Tỷ lệ đạt từ 70% đến 90%.",
                field: None,
                node: None,
            }],
            &[],
        );
        assert_eq!(range.len(), 1);
        assert_eq!(range[0].kpi.value_max, Some(Number(90.into())));
    }
}
