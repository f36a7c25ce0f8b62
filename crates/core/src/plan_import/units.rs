//! Who does a task: the lead unit (chủ trì), cooperating units (phối hợp) and the units that
//! carry it out (thực hiện), from the phrases plans use:
//!
//! - "(Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ, Văn phòng UBND tỉnh triển khai; các cơ
//!   quan, đơn vị, địa phương thực hiện)";
//! - "Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Chủ trì: …";
//! - "Sở Nội vụ chủ trì, phối hợp các sở, ngành …";
//! - "a) Sở Nội vụ: Chủ trì …" and headings such as "Trách nhiệm của Sở Nội vụ".
//!
//! A list is split at commas and "và" only where the next piece starts like a unit ("Sở",
//! "Văn phòng", "UBND", "các cơ quan" …), so "Sở Kế hoạch và Đầu tư" and "Sở Văn hóa, Thể
//! thao và Du lịch" stay whole, and "các cơ quan, đơn vị, địa phương" is one group.

use super::scan::{Text, fold};

/// Units named by a task's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub lead: Vec<String>,
    pub cooperating: Vec<String>,
    pub implementing: Vec<String>,
}

impl Assignment {
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty() && self.cooperating.is_empty() && self.implementing.is_empty()
    }

    fn add(list: &mut Vec<String>, units: Vec<String>) {
        for u in units {
            if !list.iter().any(|x| fold(x) == fold(&u)) {
                list.push(u);
            }
        }
    }

    /// Adds what another phrase of the same task says.
    pub fn merge(&mut self, other: Assignment) {
        Self::add(&mut self.lead, other.lead);
        Self::add(&mut self.cooperating, other.cooperating);
        Self::add(&mut self.implementing, other.implementing);
    }
}

/// Words that start a unit's name whatever their case.
const HEADS: &[&str] = &[
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "van phong",
    "thanh tra",
    "cong an",
    "trung tam",
    "kho bac",
    "ngan hang",
    "co quan",
    "don vi",
    "dia phuong",
    "thanh vien",
    "chu tich",
    "pho chu tich",
    "giam doc",
    "lanh dao",
    "thu truong",
    "nguoi dung dau",
    "bao hiem",
    "bhxh",
    "chi cuc",
    "tong cuc",
    "bo chi huy",
    "bch",
    "mat tran",
    "ubmttq",
    "tinh doan",
    "lien doan",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "dang uy",
    "vien kiem sat",
    "toa an",
    "buu dien",
    "cong ty",
    "tong cong ty",
    "thuong truc",
    "to giup viec",
    "to cong tac",
];

/// Short words that start a unit's name only when capitalised, unless the next word makes
/// them something else ("Tổ chức", "Báo cáo", "Ban hành" are verbs; "Số" is not "Sở").
const CAPITAL_HEADS: &[(&str, &[&str])] = &[
    ("sở", &[]),
    ("ban", &["hành"]),
    (
        "bộ",
        &[
            "máy", "phận", "chỉ", "tiêu", "câu", "thủ", "công", "luật", "tài",
        ],
    ),
    ("cục", &[]),
    ("tổ", &["chức"]),
    ("phòng", &["chống", "ngừa"]),
    ("đài", &[]),
    ("báo", &["cáo"]),
    ("hội", &["nghị", "thảo", "thi", "viên"]),
    ("đoàn", &["kết"]),
    ("trường", &["hợp"]),
    ("viện", &[]),
];

/// Nouns that make a group after "các" ("các sở, ngành", "các cơ quan, đơn vị, địa phương"),
/// compared with their diacritics ("các số liệu" is not a group of units).
const GROUP_NOUNS: &[&str] = &[
    "cơ quan",
    "đơn vị",
    "địa phương",
    "sở",
    "ban",
    "ngành",
    "huyện",
    "thị xã",
    "thành phố",
    "xã",
    "phường",
    "thị trấn",
    "tổ chức",
    "thành viên",
    "phòng",
    "bộ",
    "cấp",
    "doanh nghiệp",
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "hội",
    "đoàn thể",
    "trường",
];

/// The first words of a phrase, lowercase with their diacritics.
fn lower_words(s: &str, n: usize) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

fn starts_with_words(words: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    words.len() >= p.len() && words.iter().zip(&p).all(|(w, q)| w == q)
}

fn capital_head(s: &str) -> bool {
    let first_upper = s
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let words = lower_words(s, 2);
    first_upper
        && CAPITAL_HEADS.iter().any(|(head, not_before)| {
            words.first().is_some_and(|w| w == head)
                && !words
                    .get(1)
                    .is_some_and(|n| not_before.contains(&n.as_str()))
        })
}

/// Lowercase words that end a list of units (the verb after it, or a connective).
const STOPS: &[&str] = &[
    "chu tri",
    "phoi hop",
    "trien khai",
    "thuc hien",
    "tham muu",
    "to chuc",
    "theo doi",
    "kiem tra",
    "don doc",
    "huong dan",
    "xay dung",
    "ra soat",
    "bao cao",
    "trinh",
    "tuyen truyen",
    "cung cap",
    "ban hanh",
    "tap trung",
    "dam bao",
    "bao dam",
    "hoan thanh",
    "tham dinh",
    "tong hop",
    "chi dao",
    "cap nhat",
    "nghien cuu",
    "de xuat",
    "giai quyet",
    "xu ly",
    "duy tri",
    "nang cao",
    "day manh",
    "tang cuong",
    "quan ly",
    "van hanh",
    "tiep nhan",
    "phan cong",
    "ho tro",
    "khao sat",
    "dieu tra",
    "thong ke",
    "cong bo",
    "cong khai",
    "sua doi",
    "lap",
    "giam sat",
    "khac phuc",
    "de",
    "nham",
    "trong viec",
    "co trach nhiem",
    "la co quan",
    "la don vi",
    "lam dau moi",
    "la dau moi",
    "lam co quan",
    "theo",
    "ve viec",
    "tai",
    "truoc",
    "thuong xuyen",
    "dinh ky",
];

/// Roles after a lead unit ("Giao Sở Nội vụ chủ trì" / "… là cơ quan thường trực").
const LEAD_ROLES: &[&str] = &[
    "chu tri",
    "la co quan",
    "la don vi",
    "lam dau moi",
    "la dau moi",
    "lam co quan",
];

/// Whether a phrase starts like the name of a unit or a group of units.
pub(crate) fn is_unit_start(s: &str) -> bool {
    let s = s.trim_start();
    let t = Text::new(s);
    if t.len() == 0 {
        return false;
    }
    if HEADS.iter().any(|h| t.matches_at(0, h)) || capital_head(s) {
        return true;
    }
    // "các cơ quan", "những đơn vị", "các Sở"
    let words = lower_words(s, 4);
    if words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "các" | "những" | "mọi"))
    {
        let rest = &words[1..];
        return GROUP_NOUNS.iter().any(|g| starts_with_words(rest, g));
    }
    false
}

fn starts_with_group_noun(s: &str) -> bool {
    let s = s.trim_start();
    let words = lower_words(s, 3);
    s.chars().next().is_some_and(char::is_lowercase)
        && GROUP_NOUNS.iter().any(|g| starts_with_words(&words, g))
}

fn is_collective(s: &str) -> bool {
    let f = fold(s);
    let f = f.trim();
    f.starts_with("cac ")
        || f.starts_with("nhung ")
        || f.contains(" cac ")
        || s.trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// Splits a list of units at commas, semicolons and "và" where the next piece starts a unit.
pub(crate) fn split_units(list: &str) -> Vec<String> {
    let t = Text::new(list);
    let mut pieces: Vec<(String, &str)> = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < t.len() {
        let c = t.chars[i];
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                pieces.push((t.slice(start, i), ", "));
                start = i + 1;
            }
            ' ' if depth == 0 && t.matches_at(i + 1, "va") && t.chars.get(i + 3) == Some(&' ') => {
                pieces.push((t.slice(start, i), " và "));
                start = i + 4;
                i += 3;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push((t.slice(start, t.len()), ""));
    let mut out: Vec<String> = Vec::new();
    let mut sep_before = "";
    for (piece, sep_after) in pieces {
        let piece = piece
            .trim()
            .trim_end_matches(['.', ',', ';', ':'])
            .trim()
            .to_string();
        if piece.is_empty() {
            sep_before = sep_after;
            continue;
        }
        let joins_group =
            out.last().is_some_and(|prev| is_collective(prev)) && starts_with_group_noun(&piece);
        if out.is_empty() || (is_unit_start(&piece) && !joins_group) {
            out.push(piece);
        } else if let Some(prev) = out.last_mut() {
            prev.push_str(sep_before);
            prev.push_str(&piece);
        }
        sep_before = sep_after;
    }
    out.into_iter()
        .map(|u| strip_connectives(&u))
        .filter(|u| !u.is_empty())
        .collect()
}

fn strip_connectives(u: &str) -> String {
    let mut s = u.trim().to_string();
    for lead in ["với ", "cùng ", "cho "] {
        if let Some(rest) = s.strip_prefix(lead) {
            s = rest.trim().to_string();
        }
    }
    s.trim_end_matches(['.', ',', ';', ':', ' ']).to_string()
}

/// The end of a list of units starting at `from`: the first lowercase stop word or a
/// terminator (`;`, `)`, `(`, `.`, `:`), before `to`.
fn list_end(t: &Text, from: usize, to: usize) -> usize {
    // A list of units is a few hundred characters at most.
    let to = to.min(from + MAX_LIST);
    let term = t
        .find_char_outside_parens(&[';', ')', '.', ':'], from, to)
        .unwrap_or(to);
    let paren = (from..term).find(|&i| t.chars[i] == '(').unwrap_or(term);
    t.find_any_lower(STOPS, from, paren).unwrap_or(paren)
}

/// The longest list of units read (characters).
const MAX_LIST: usize = 600;

/// Units named after "phối hợp (với)" from `from` to `to`.
fn cooperating_after(t: &Text, from: usize, to: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = from;
    while let Some(p) = t.find_lower("phoi hop", i, to) {
        let mut s = p + "phoi hop".len();
        while s < to && t.chars[s] == ' ' {
            s += 1;
        }
        for w in ["voi", "cung", "chat che voi"] {
            if t.matches_at(s, w) {
                s += w.len();
                break;
            }
        }
        while s < to && matches!(t.chars[s], ' ' | ',') {
            s += 1;
        }
        if is_unit_start(&t.prefix(s, 80.min(to.saturating_sub(s)))) {
            let end = list_end(t, s, to);
            out.extend(split_units(&t.slice(s, end)));
        }
        i = p + 1;
    }
    out
}

/// The end of the scope of an assignment starting at `from`: its closing parenthesis when
/// inside one, else the end of the sentence.
fn scope_end(t: &Text, from: usize, in_paren: bool) -> usize {
    let mut depth = 0usize;
    let limit = t.len().min(from + MAX_LIST * 2);
    for i in from..limit {
        match t.chars[i] {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' if in_paren => return i,
            '.' if !in_paren && depth == 0 && t.chars.get(i + 1).is_none_or(|c| *c == ' ') => {
                return i;
            }
            _ => {}
        }
    }
    limit
}

/// Every assignment phrase in a task's text.
pub(crate) fn assignment(text: &str) -> Assignment {
    let t = Text::new(text);
    let mut a = Assignment::default();
    labels(&t, &mut a);
    giao(&t, &mut a);
    clause_roles(&t, &mut a);
    // "…, phối hợp với các đơn vị liên quan triển khai" anywhere else.
    let mut coop = cooperating_after(&t, 0, t.len());
    coop.retain(|u| !a.lead.iter().any(|l| fold(l) == fold(u)));
    Assignment::add(&mut a.cooperating, coop);
    a
}

/// "Cơ quan chủ trì: X", "Cơ quan phối hợp: Y", "Chủ trì: X", "Đơn vị thực hiện: Z".
fn labels(t: &Text, a: &mut Assignment) {
    const LABELS: [(&str, u8); 9] = [
        ("co quan chu tri", 0),
        ("don vi chu tri", 0),
        ("chu tri", 0),
        ("co quan phoi hop", 1),
        ("don vi phoi hop", 1),
        ("phoi hop", 1),
        ("co quan thuc hien", 2),
        ("don vi thuc hien", 2),
        ("thuc hien", 2),
    ];
    let mut i = 0;
    while i < t.len() {
        let Some((label, role)) = LABELS.iter().find(|(l, _)| t.matches_at(i, l)) else {
            i += 1;
            continue;
        };
        let mut j = i + label.len();
        while j < t.len() && t.chars[j] == ' ' {
            j += 1;
        }
        if t.chars.get(j) != Some(&':') {
            i += label.len();
            continue;
        }
        let start = j + 1;
        let end = t
            .find_char_outside_parens(&[';', '.'], start, t.len())
            .unwrap_or(t.len());
        // The next label on the same line ends this one ("Chủ trì: X. Phối hợp: Y").
        let end = LABELS
            .iter()
            .filter_map(|(l, _)| {
                let p = t.find(l, start)?;
                let mut k = p + l.len();
                while k < t.len() && t.chars[k] == ' ' {
                    k += 1;
                }
                (t.chars.get(k) == Some(&':')).then_some(p)
            })
            .filter(|&p| p < end)
            .min()
            .unwrap_or(end);
        let units = split_units(&t.slice(start, end));
        match role {
            0 => Assignment::add(&mut a.lead, units),
            1 => Assignment::add(&mut a.cooperating, units),
            _ => Assignment::add(&mut a.implementing, units),
        }
        i = end.max(i + 1);
    }
}

/// "(Giao Sở Tư pháp chủ trì, phối hợp với …; các cơ quan … thực hiện)" and "giao cho X …".
fn giao(t: &Text, a: &mut Assignment) {
    let mut i = 0;
    while let Some(p) = t.find("giao", i) {
        i = p + 1;
        let mut s = p + 4;
        while s < t.len() && t.chars[s] == ' ' {
            s += 1;
        }
        if t.matches_at(s, "cho") {
            s += 3;
            while s < t.len() && t.chars[s] == ' ' {
                s += 1;
            }
        }
        if !is_unit_start(&t.prefix(s, 80)) {
            continue;
        }
        let in_paren = t.chars[..p].iter().rev().find(|c| matches!(c, '(' | ')')) == Some(&'(');
        let end = scope_end(t, s, in_paren);
        let lead_end = list_end(t, s, end);
        let lead = split_units(&t.slice(s, lead_end));
        if lead.is_empty() {
            continue;
        }
        Assignment::add(&mut a.lead, lead);
        Assignment::add(&mut a.cooperating, cooperating_after(t, lead_end, end));
        // Later clauses of the same parenthesis: "; các cơ quan, đơn vị, địa phương thực hiện".
        let mut c = lead_end;
        while let Some(semi) = t.find_char_outside_parens(&[';'], c, end) {
            let start = semi + 1;
            let clause_end = t
                .find_char_outside_parens(&[';'], start, end)
                .unwrap_or(end);
            if is_unit_start(&t.prefix(start, 80.min(clause_end - start))) {
                let units_end = list_end(t, start, clause_end);
                let units = split_units(&t.slice(start, units_end));
                if t.find_lower("phoi hop", units_end, clause_end) == Some(units_end) {
                    Assignment::add(&mut a.cooperating, units);
                } else {
                    Assignment::add(&mut a.implementing, units);
                }
            }
            c = clause_end;
        }
        i = end.max(i);
    }
}

/// "Sở Nội vụ chủ trì, phối hợp các sở, ngành …" and "UBND các huyện thực hiện …" at the
/// start of a sentence or clause.
fn clause_roles(t: &Text, a: &mut Assignment) {
    let mut starts = vec![0];
    for i in 0..t.len() {
        if matches!(t.chars[i], ';' | '(' | '.') {
            starts.push(i + 1);
        }
    }
    for s in starts {
        let mut s = s;
        while s < t.len() && t.chars[s] == ' ' {
            s += 1;
        }
        if s >= t.len() || t.matches_at(s, "giao") || !is_unit_start(&t.prefix(s, 80)) {
            continue;
        }
        let end = scope_end(t, s, false);
        let stop = list_end(t, s, end);
        if stop >= end || stop == s {
            continue;
        }
        // "Cơ quan chủ trì: …" is a label, read by `labels`.
        let role_end = (stop..end)
            .find(|&k| matches!(t.chars[k], ':' | ',' | ';'))
            .unwrap_or(end);
        if t.chars.get(role_end) == Some(&':') {
            continue;
        }
        let units = split_units(&t.slice(s, stop));
        if LEAD_ROLES.iter().any(|r| t.matches_at(stop, r)) {
            Assignment::add(&mut a.lead, units);
        } else if t.matches_at(stop, "phoi hop") {
            Assignment::add(&mut a.cooperating, units);
        } else if t.matches_at(stop, "thuc hien") || t.matches_at(stop, "trien khai") {
            Assignment::add(&mut a.implementing, units);
        }
    }
}

/// The unit a heading puts in charge of what follows: "Trách nhiệm của Sở Nội vụ",
/// "Sở Nội vụ" (before a colon: "a) Sở Nội vụ: Chủ trì …"), "Các sở, ban, ngành".
pub(crate) fn heading_units(title: &str) -> Vec<String> {
    let t = Text::new(title);
    for prefix in [
        "trach nhiem cua",
        "trach nhiem",
        "nhiem vu cua",
        "doi voi",
        "giao",
    ] {
        if t.matches_at(0, prefix) {
            let rest = t.slice(prefix.len(), t.len());
            return if is_unit_start(&rest) {
                split_units(&rest)
            } else {
                Vec::new()
            };
        }
    }
    let words = title.split_whitespace().count();
    if words <= 12 && is_unit_start(title) && t.find_any_lower(STOPS, 0, t.len()).is_none() {
        return split_units(title);
    }
    Vec::new()
}

/// Whether text after a unit heading's colon says the unit leads ("Chủ trì …") or
/// cooperates ("Phối hợp …").
pub(crate) fn role_after_heading(rest: &str) -> Option<bool> {
    let t = Text::new(rest.trim_start());
    if t.matches_at(0, "chu tri") || t.matches_at(0, "la co quan chu tri") {
        Some(true)
    } else if t.matches_at(0, "phoi hop") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let x = assignment(text);
        (x.lead, x.cooperating, x.implementing)
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn giao_in_parentheses() {
        assert_eq!(
            a("Ban hành văn bản (Giao Sở Nội vụ là cơ quan thường trực, tham mưu với UBND tỉnh)."),
            (v(&["Sở Nội vụ"]), v(&[]), v(&[]))
        );
        assert_eq!(
            a("Phấn đấu có ít nhất 3 sáng kiến (Giao Sở Khoa học và Công nghệ chủ trì, tham mưu)."),
            (v(&["Sở Khoa học và Công nghệ"]), v(&[]), v(&[]))
        );
        assert_eq!(
            a(
                "Hoàn thành 100% nhiệm vụ được Chính phủ giao đúng thời hạn (Giao Văn phòng UBND tỉnh theo dõi, đôn đốc)."
            ),
            (v(&["Văn phòng UBND tỉnh"]), v(&[]), v(&[]))
        );
        assert_eq!(
            a(
                "Kiểm tra (Giao Sở Nội vụ chủ trì phối hợp với Văn phòng UBND tỉnh, thanh tra tỉnh, Sở tư pháp triển khai, đôn đốc, kiểm tra; các cơ quan, đơn vị, địa phương thực hiện)."
            ),
            (
                v(&["Sở Nội vụ"]),
                v(&["Văn phòng UBND tỉnh", "thanh tra tỉnh", "Sở tư pháp"]),
                v(&["các cơ quan, đơn vị, địa phương"])
            )
        );
        assert_eq!(
            a(
                "Nâng cao chất lượng (Giao Sở Tư pháp chủ trì tham mưu và theo dõi; các cơ quan, đơn vị, địa phương thực hiện)."
            ),
            (
                v(&["Sở Tư pháp"]),
                v(&[]),
                v(&["các cơ quan, đơn vị, địa phương"])
            )
        );
        assert_eq!(
            a(
                "(Giao Sở Tư pháp chủ trì, phối hợp với Sở Văn hóa, Thể thao và Du lịch, Sở Kế hoạch và Đầu tư và Công an tỉnh thực hiện)"
            ),
            (
                v(&["Sở Tư pháp"]),
                v(&[
                    "Sở Văn hóa, Thể thao và Du lịch",
                    "Sở Kế hoạch và Đầu tư",
                    "Công an tỉnh"
                ]),
                v(&[])
            )
        );
    }

    #[test]
    fn labels_and_clauses() {
        assert_eq!(
            a(
                "Cơ quan chủ trì: Sở Nội vụ; Cơ quan phối hợp: các sở, ban, ngành và UBND cấp huyện."
            ),
            (
                v(&["Sở Nội vụ"]),
                v(&["các sở, ban, ngành", "UBND cấp huyện"]),
                v(&[])
            )
        );
        assert_eq!(
            a("Chủ trì: Chủ tịch Hội đồng xác định Chỉ số cải cách hành chính tỉnh Lào Cai;"),
            (
                v(&["Chủ tịch Hội đồng xác định Chỉ số cải cách hành chính tỉnh Lào Cai"]),
                v(&[]),
                v(&[])
            )
        );
        assert_eq!(
            a("Sở Nội vụ chủ trì, phối hợp các sở, ngành tổ chức kiểm tra."),
            (v(&["Sở Nội vụ"]), v(&["các sở, ngành"]), v(&[]))
        );
        assert_eq!(
            a(
                "Chủ trì, phối hợp với các cơ quan liên quan đến tự đánh giá, chấm điểm Chỉ số cải cách hành chính và các thành viên Hội đồng tổ chức phân công."
            ),
            (
                v(&[]),
                v(&[
                    "các cơ quan liên quan đến tự đánh giá, chấm điểm Chỉ số cải cách hành chính",
                    "các thành viên Hội đồng"
                ]),
                v(&[])
            )
        );
        // "giao" as "assigned by" is not an assignment; "tổ chức" is a verb here.
        assert_eq!(
            a("Hoàn thành nhiệm vụ được Thủ tướng Chính phủ giao đúng hạn; tổ chức đối thoại."),
            (v(&[]), v(&[]), v(&[]))
        );
    }

    #[test]
    fn headings_name_units() {
        assert_eq!(
            heading_units("Trách nhiệm của Sở Nội vụ"),
            v(&["Sở Nội vụ"])
        );
        assert_eq!(
            heading_units("Sở Thông tin và Truyền thông"),
            v(&["Sở Thông tin và Truyền thông"])
        );
        assert_eq!(
            heading_units("Trách nhiệm của cơ quan, đơn vị có nội dung liên quan"),
            v(&["cơ quan, đơn vị có nội dung liên quan"])
        );
        assert!(
            heading_units("Cơ quan chủ trì thực hiện các lĩnh vực, nội dung liên quan").is_empty()
        );
        assert!(heading_units("Công tác chỉ đạo, điều hành").is_empty());
        assert!(heading_units("Tổ chức thẩm định kết quả").is_empty());
        assert_eq!(
            role_after_heading("Chủ trì thực hiện tự đánh giá"),
            Some(true)
        );
    }
}
