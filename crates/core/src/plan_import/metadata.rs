//! The plan's number, date, issuer, title and year.
//!
//! They are read from the document's own heading: "Số: 152/KH-UBND", the place and date line
//! ("Vĩnh Phúc, ngày 13 tháng 6 năm 2024"), the issuer block ("ỦY BAN NHÂN DÂN / TỈNH VĨNH
//! PHÚC"), the line "KẾ HOẠCH" and the title under it. Text copied from a legal-documents
//! website often starts with the site's own block ("Số hiệu …", "Ngày ban hành …", "Cơ quan ban
//! hành …"): it is compared with the document and used only where the document has nothing,
//! with a warning. A document without a heading (a press summary) may state its number and
//! date in a sentence ("Ngày 23/12/2022, Ủy ban nhân dân tỉnh ban hành Kế hoạch số
//! 204/KH-UBND …"); that too is used with a warning saying so.

use super::Warnings;
use super::citations::{number_at, number_key};
use super::dates::{date_at, vi_date, year_of};
use super::outline::{is_upper, marker};
use super::paragraphs::Para;
use super::scan::{Text, fold, tokens};
use chrono::{Datelike, NaiveDate};

/// Where the title block is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// Paragraphs before the title block: the document's heading.
    pub header_end: usize,
    /// The title's paragraphs (after the "KẾ HOẠCH" line).
    pub title: Option<(usize, usize)>,
    /// The first paragraph of the body.
    pub body_start: usize,
}

/// Metadata read from the document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    pub number: Option<(String, usize)>,
    pub date: Option<(NaiveDate, usize)>,
    pub issuer: Option<(String, usize)>,
    pub place: Option<String>,
    pub title: Option<(String, usize)>,
    pub plan_year: Option<(i32, usize)>,
}

/// Finds the title block: the line "KẾ HOẠCH" and the title under it, or a first line that
/// starts with "Kế hoạch".
pub(crate) fn layout(paras: &[Para]) -> Layout {
    let limit = paras
        .iter()
        .position(|p| marker(&p.text).is_some_and(|m| m.kind == super::model::MarkerKind::Roman))
        .unwrap_or(paras.len())
        .min(60);
    if let Some(k) = paras[..limit]
        .iter()
        .position(|p| fold(&p.text).trim() == "ke hoach" && p.cells.is_none())
    {
        let first = k + 1;
        let mut end = first;
        if let Some(p) = paras.get(first)
            && marker(&p.text).is_none()
            && !starts_body(&p.text)
        {
            end = first + 1;
            while let Some(p) = paras.get(end) {
                if is_upper(&p.text) && marker(&p.text).is_none() && p.text.chars().count() < 200 {
                    end += 1;
                } else {
                    break;
                }
            }
        }
        return Layout {
            header_end: k,
            title: (end > first).then_some((first, end)),
            body_start: end,
        };
    }
    if let Some(p) = paras.first()
        && fold(&p.text).starts_with("ke hoach ")
        && marker(&p.text).is_none()
    {
        return Layout {
            header_end: 0,
            title: Some((0, 1)),
            body_start: 1,
        };
    }
    Layout::default()
}

fn starts_body(text: &str) -> bool {
    let f = fold(text);
    ["can cu", "thuc hien", "ngay ", "de "]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Whether a paragraph is part of an official letter's heading (not body text).
pub(crate) fn is_heading_line(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim();
    f.starts_with("cong hoa xa hoi chu nghia")
        || f.starts_with("doc lap - tu do")
        || f.starts_with("doc lap – tu do")
        || (f.starts_with("so:") || f.starts_with("so :"))
        || portal_field(text).is_some()
        || place_date(text).is_some()
        || (is_upper(text) && text.chars().count() <= 60)
}

/// The portal's fields ("Số hiệu 152/KH-UBND"): (field, value).
fn portal_field(text: &str) -> Option<(&'static str, String)> {
    const FIELDS: [(&str, &str); 5] = [
        ("so hieu", "number"),
        ("ngay ban hanh", "date"),
        ("co quan ban hanh", "issuer"),
        ("nguoi ky", "signer"),
        ("loai van ban", "kind"),
    ];
    let t = Text::new(text);
    for (label, field) in FIELDS {
        if t.matches_at(0, label) {
            let value = t.slice(label.len(), t.len());
            let value = value.trim_start_matches(':').trim().to_string();
            return (!value.is_empty()).then_some((field, value));
        }
    }
    None
}

/// "Vĩnh Phúc, ngày 13 tháng 6 năm 2024": (place, date if complete, year if stated).
fn place_date(text: &str) -> Option<(String, Option<NaiveDate>, Option<i32>)> {
    let (place, rest) = text.split_once(',')?;
    let place = place.trim();
    let words: Vec<&str> = place.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 6
        || !words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return None;
    }
    let t = Text::new(rest);
    let toks = tokens(&t);
    if !toks.first().is_some_and(|x| x.is("ngay")) {
        return None;
    }
    if let Some((d, _)) = date_at(&toks, 1) {
        return Some((place.to_string(), d.date(), d.year));
    }
    // "ngày    tháng    năm 2023": left blank to be filled in when signed.
    let year = toks
        .iter()
        .position(|x| x.is("nam"))
        .and_then(|k| toks.get(k + 1))
        .and_then(year_of);
    toks.iter()
        .any(|x| x.is("thang"))
        .then(|| (place.to_string(), None, year))
}

/// Capitalises each word ("VĨNH PHÚC" → "Vĩnh Phúc").
fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const LEVELS: [&str; 8] = [
    "tinh",
    "thanh pho",
    "huyen",
    "quan",
    "thi xa",
    "xa",
    "phuong",
    "thi tran",
];

/// "TỈNH VĨNH PHÚC" → ("tỉnh", "Vĩnh Phúc").
fn level_and_name(s: &str) -> Option<(String, String)> {
    let t = Text::new(s.trim());
    for level in LEVELS {
        if t.matches_at(0, level) {
            let n = level.chars().count();
            let name = t.slice(n, t.len());
            if name.is_empty() {
                return None;
            }
            let level_text = t.slice(0, n).to_lowercase();
            return Some((level_text, title_case(&name)));
        }
    }
    None
}

/// The place after an administrative level in running text: "tỉnh Hưng Yên 2023" → ("tỉnh",
/// "Hưng Yên").
fn place_in(text: &str) -> Vec<(String, String)> {
    let t = Text::new(text);
    let mut out: Vec<(String, String)> = Vec::new();
    for level in ["tinh", "thanh pho"] {
        let mut i = 0;
        while let Some(p) = t.find(level, i) {
            i = p + 1;
            let mut k = p + level.len();
            let words_start = k + 1;
            let mut end = words_start;
            // Capitalised words, with " - " inside a name ("Bà Rịa - Vũng Tàu").
            loop {
                while k < t.len() && t.chars[k] == ' ' {
                    k += 1;
                }
                if k + 1 < t.len() && t.chars[k] == '-' && t.chars[k + 1] == ' ' {
                    k += 2;
                    continue;
                }
                if !t.chars.get(k).is_some_and(|c| c.is_uppercase()) {
                    break;
                }
                while k < t.len() && t.chars[k].is_alphabetic() {
                    k += 1;
                }
                end = k;
            }
            if end > words_start {
                let name = t.slice(words_start, end);
                // Abbreviations such as "PAR INDEX" after "tỉnh" are not places.
                if !name
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                {
                    let entry = (t.slice(p, p + level.len()).to_lowercase(), name);
                    if !out.contains(&entry) {
                        out.push(entry);
                    }
                }
            }
        }
    }
    out
}

/// Reads the metadata; reports what is missing or inconsistent.
pub(crate) fn read(paras: &[Para], layout: &Layout, preamble: &[Para], w: &mut Warnings) -> Meta {
    let mut meta = Meta::default();
    let header: &[Para] = if layout.title.is_some() && layout.header_end > 0 {
        &paras[..layout.header_end]
    } else {
        // No "KẾ HOẠCH" line: look at the first lines only.
        &paras[..paras.len().min(layout.body_start.max(12))]
    };
    let mut portal: Vec<(&str, String, usize)> = Vec::new();
    for p in header {
        if let Some((field, value)) = portal_field(&p.text) {
            portal.push((field, value, p.line));
        }
    }

    // Title and year.
    if let Some((a, b)) = layout.title {
        let text = paras[a..b]
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        meta.title = Some((text, paras[a].line));
    }
    match &meta.title {
        Some((title, line)) => match plan_year(title) {
            Ok(y) => meta.plan_year = Some((y, *line)),
            Err(Some(period)) => w.at(
                *line,
                format!("kế hoạch cho giai đoạn {period}, không có năm kế hoạch riêng."),
            ),
            Err(None) => w.at(*line, "tiêu đề không nêu năm của kế hoạch (\"năm …\")."),
        },
        None => w.doc("Không thấy tiêu đề kế hoạch (dòng \"KẾ HOẠCH\" và tên kế hoạch ở dưới)."),
    }

    // Number: "Số: 152/KH-UBND".
    let mut number_blank = false;
    let mut date_blank = false;
    for p in header {
        let f = fold(&p.text);
        if !(f.starts_with("so:") || f.starts_with("so :")) {
            continue;
        }
        let value: String = p
            .text
            .split_once(':')
            .map_or("", |(_, v)| v)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("");
        let t = Text::new(&value);
        match number_at(&t, 0) {
            Some((n, _)) => meta.number = Some((n, p.line)),
            None => {
                number_blank = true;
                w.at(
                    p.line,
                    format!(
                        "số hiệu văn bản để trống (\"{}\") — bản chưa đóng số hoặc dự thảo.",
                        p.text
                    ),
                )
            }
        }
        break;
    }

    // Date and place.
    for p in header {
        if let Some((place, date, year)) = place_date(&p.text) {
            meta.place = Some(place);
            match date {
                Some(d) => meta.date = Some((d, p.line)),
                None => {
                    date_blank = true;
                    w.at(
                        p.line,
                        match year {
                            Some(y) => {
                                format!("ngày ban hành để trống (\"{}\"), chỉ có năm {y}.", p.text)
                            }
                            None => format!("ngày ban hành để trống (\"{}\").", p.text),
                        },
                    )
                }
            }
            break;
        }
    }

    // Issuer: "ỦY BAN NHÂN DÂN" / "TỈNH VĨNH PHÚC".
    for (k, p) in header.iter().enumerate() {
        let f = fold(&p.text);
        let f = f.trim();
        if !is_upper(&p.text) {
            continue;
        }
        let t = Text::new(&p.text);
        let (rest, next_at) = if f == "uy ban nhan dan" || f == "ubnd" {
            (header.get(k + 1).map(|n| n.text.clone()), k + 2)
        } else if t.matches_at(0, "uy ban nhan dan") {
            (Some(t.slice(15, t.len())), k + 1)
        } else if t.matches_at(0, "ubnd") {
            (Some(t.slice(4, t.len())), k + 1)
        } else {
            continue;
        };
        if let Some((level, name)) = rest.as_deref().and_then(level_and_name) {
            let committee = format!("UBND {level} {name}");
            meta.issuer = Some((committee.clone(), p.line));
            // An agency under the committee signs for itself ("UBND TỈNH X" / "SỞ NỘI VỤ").
            if let Some(next) = header.get(next_at)
                && is_upper(&next.text)
                && !is_heading_start(&next.text)
                && level_and_name(&next.text).is_none()
                && next.text.chars().count() <= 60
            {
                meta.issuer = Some((format!("{} ({committee})", next.text), next.line));
            }
        }
        break;
    }

    // From the portal's block, only where the document has nothing; compared otherwise.
    for (field, value, line) in &portal {
        match *field {
            "number" => {
                let t = Text::new(value);
                let n = number_at(&t, 0).map(|(n, _)| n);
                match (&meta.number, n) {
                    (None, Some(n)) => {
                        w.at(*line, format!("số hiệu {n} lấy từ thông tin của trang đăng văn bản, không từ văn bản."));
                        meta.number = Some((n, *line));
                    }
                    (Some((own, own_line)), Some(n)) if number_key(own) != number_key(&n) => w.at(
                        *line,
                        format!("trang đăng văn bản ghi số hiệu {n}, văn bản (dòng {own_line}) ghi {own}."),
                    ),
                    _ => {}
                }
            }
            "date" => {
                let d = crate::format::parse_date(value);
                match (&meta.date, d) {
                    (None, Some(d)) => {
                        w.at(*line, format!("ngày ban hành {} lấy từ thông tin của trang đăng văn bản, không từ văn bản.", vi_date(d)));
                        meta.date = Some((d, *line));
                    }
                    (Some((own, own_line)), Some(d)) if *own != d => w.at(
                        *line,
                        format!(
                            "trang đăng văn bản ghi ngày ban hành {}, văn bản (dòng {own_line}) ghi {}.",
                            vi_date(d),
                            vi_date(*own)
                        ),
                    ),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    // A document without a heading may state them in a sentence.
    if meta.number.is_none() || meta.date.is_none() || meta.issuer.is_none() {
        let lead: Vec<&Para> = paras[..layout.body_start.min(paras.len())]
            .iter()
            .chain(preamble.iter())
            .collect();
        let title = meta.title.clone();
        from_sentences(&lead, title.as_ref(), &mut meta, w);
    }

    if meta.number.is_none() && !number_blank {
        w.doc("Không thấy số hiệu văn bản (dòng \"Số: …\").");
    }
    if meta.date.is_none() && !date_blank {
        w.doc("Không thấy ngày ban hành (dòng \"…, ngày … tháng … năm …\").");
    }
    if meta.issuer.is_none() {
        w.doc("Không thấy cơ quan ban hành (khối \"ỦY BAN NHÂN DÂN / TỈNH …\" ở đầu văn bản).");
    }
    if meta.plan_year.is_none() && meta.title.is_some() {
        w.doc("Không xác định được năm của kế hoạch.");
    }
    if let (Some((d, line)), Some((y, _))) = (&meta.date, &meta.plan_year)
        && (*y < d.year() - 1 || *y > d.year() + 1)
    {
        w.at(
            *line,
            format!("kế hoạch năm {y} nhưng ngày ban hành là {}.", vi_date(*d)),
        );
    }
    meta
}

fn is_heading_start(text: &str) -> bool {
    let f = fold(text);
    f.starts_with("cong hoa") || f.trim() == "ke hoach" || f.starts_with("so:")
}

/// The year of the plan from its title: "… NĂM 2024", or a final year ("… Hưng Yên 2023").
/// `Err(Some(period))` for a multi-year plan.
fn plan_year(title: &str) -> Result<i32, Option<String>> {
    let t = Text::new(title);
    let toks = tokens(&t);
    let mut found = None;
    for i in 0..toks.len() {
        if toks[i].is("nam")
            && let Some(y) = toks.get(i + 1).and_then(year_of)
            && !toks.get(i + 2).is_some_and(|n| n.is("-") || n.is("–"))
        {
            found = Some(y);
        }
    }
    if let Some(y) = found {
        return Ok(y);
    }
    for i in 0..toks.len() {
        if toks[i].is("giai")
            && toks.get(i + 1).is_some_and(|x| x.is("doan"))
            && let Some(a) = toks.get(i + 2).and_then(year_of)
            && let Some(b) = toks.get(i + 4).and_then(year_of)
        {
            return Err(Some(format!("{a}–{b}")));
        }
    }
    if let Some(last) = toks.last()
        && let Some(y) = year_of(last)
        && !toks
            .get(toks.len().wrapping_sub(2))
            .is_some_and(|n| n.is("-") || n.is("/"))
    {
        return Ok(y);
    }
    Err(None)
}

/// "Ngày 23/12/2022, Ủy ban nhân dân tỉnh ban hành Kế hoạch số 204/KH-UBND …" and
/// "UBND tỉnh Lào Cai ban hành Kế hoạch …": used only where the heading says nothing.
fn from_sentences(
    lead: &[&Para],
    title: Option<&(String, usize)>,
    meta: &mut Meta,
    w: &mut Warnings,
) {
    for p in lead {
        let t = Text::new(&p.text);
        // Number and date.
        if meta.number.is_none()
            && let Some(k) = t.find("ban hanh ke hoach so", 0)
        {
            let mut s = k + "ban hanh ke hoach so".len();
            while s < t.len() && t.chars[s] == ' ' {
                s += 1;
            }
            if let Some((n, _)) = number_at(&t, s) {
                w.at(
                    p.line,
                    format!(
                        "số hiệu {n} lấy từ câu văn \"{}\"; văn bản không có dòng \"Số: …\".",
                        excerpt(&p.text)
                    ),
                );
                meta.number = Some((n, p.line));
                let toks = tokens(&t);
                if meta.date.is_none()
                    && toks.first().is_some_and(|x| x.is("ngay"))
                    && let Some((d, _)) = date_at(&toks, 1)
                    && let Some(date) = d.date()
                {
                    w.at(
                        p.line,
                        format!(
                            "ngày ban hành {} lấy từ câu văn; văn bản không có dòng ngày tháng.",
                            vi_date(date)
                        ),
                    );
                    meta.date = Some((date, p.line));
                }
            }
        }
        // Issuer.
        if meta.issuer.is_none() {
            issuer_from_sentence(&t, p.line, title, meta, w);
        }
    }
}

/// "UBND tỉnh Lào Cai ban hành Kế hoạch …", "Ủy ban nhân dân tỉnh ban hành …".
fn issuer_from_sentence(
    t: &Text,
    line: usize,
    title: Option<&(String, usize)>,
    meta: &mut Meta,
    w: &mut Warnings,
) {
    for head in ["uy ban nhan dan", "ubnd"] {
        let mut from = 0;
        while let Some(k) = t.find(head, from) {
            from = k + 1;
            let after_start = k + head.len();
            let Some((v, _)) = t.find_any(&["ban hanh", "xay dung"], after_start) else {
                continue;
            };
            let subject = t.slice(after_start, v);
            if subject.split_whitespace().count() > 6 {
                continue;
            }
            let quote = t.slice(k, v + "ban hanh".len());
            let st = Text::new(&subject);
            let level = LEVELS
                .iter()
                .find(|l| st.matches_at(0, l))
                .map(|l| st.slice(0, l.len()).to_lowercase());
            let places = place_in(&subject);
            match (places.first(), level) {
                (Some((lvl, name)), _) => {
                    w.at(
                        line,
                        format!("cơ quan ban hành lấy từ câu văn \"{quote} …\"."),
                    );
                    meta.issuer = Some((format!("UBND {lvl} {name}"), line));
                }
                (None, Some(lvl)) => {
                    let title_places = title.map(|(t, _)| place_in(t)).unwrap_or_default();
                    let same: Vec<_> = title_places.iter().filter(|(l, _)| *l == lvl).collect();
                    if let ([(_, name)], Some((_, tl))) = (same.as_slice(), title) {
                        w.at(
                            line,
                            format!(
                                "văn bản chỉ ghi \"{quote}\"; tên {lvl} \"{name}\" lấy từ tiêu đề (dòng {tl})."
                            ),
                        );
                        meta.issuer = Some((format!("UBND {lvl} {name}"), line));
                    } else {
                        w.at(
                            line,
                            format!("văn bản chỉ ghi \"{quote}\", không nêu tên {lvl}."),
                        );
                    }
                }
                _ => continue,
            }
            return;
        }
    }
}

fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 14 {
        text.to_string()
    } else {
        format!("{} …", words[..14].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_import::paragraphs::paragraphs;

    fn meta(text: &str) -> (Meta, Vec<String>) {
        let ps = paragraphs(text);
        let l = layout(&ps);
        let mut w = Warnings::default();
        let preamble: Vec<Para> = ps[l.body_start..].to_vec();
        let m = read(&ps, &l, &preamble, &mut w);
        (m, w.0)
    }

    #[test]
    fn an_official_heading() {
        let (m, w) = meta(
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Độc lập - Tự do - Hạnh phúc\nSố: 12 /KH - UBND\nHà Nội, ngày 05 tháng 01 năm 2025\n\
             KẾ HOẠCH\nCẢI CÁCH HÀNH CHÍNH\nNĂM 2025\nCăn cứ …",
        );
        assert_eq!(m.number.map(|n| n.0).as_deref(), Some("12/KH-UBND"));
        assert_eq!(m.date.map(|d| d.0), NaiveDate::from_ymd_opt(2025, 1, 5));
        assert_eq!(
            m.issuer.map(|i| i.0).as_deref(),
            Some("UBND thành phố Hà Nội")
        );
        assert_eq!(m.place.as_deref(), Some("Hà Nội"));
        assert_eq!(
            m.title.map(|t| t.0).as_deref(),
            Some("CẢI CÁCH HÀNH CHÍNH NĂM 2025")
        );
        assert_eq!(m.plan_year.map(|y| y.0), Some(2025));
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn an_agency_signs_under_the_committee() {
        let (m, _) =
            meta("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ\nSố: 3/KH-SNV\nKẾ HOẠCH\nKiểm tra năm 2025");
        assert_eq!(
            m.issuer.map(|i| i.0).as_deref(),
            Some("SỞ NỘI VỤ (UBND tỉnh Nghệ An)")
        );
    }

    #[test]
    fn blanks_and_a_multi_year_title_are_reported() {
        let (m, w) = meta(
            "Số: /KH-UBND\nLào Cai, ngày tháng năm 2023\nKẾ HOẠCH\nCải cách hành chính giai đoạn 2021-2025",
        );
        assert!(m.number.is_none() && m.date.is_none() && m.plan_year.is_none());
        assert_eq!(m.place.as_deref(), Some("Lào Cai"));
        assert!(w.contains(&"Dòng 1: số hiệu văn bản để trống (\"Số: /KH-UBND\") — bản chưa đóng số hoặc dự thảo.".to_string()), "{w:?}");
        assert!(w.contains(&"Dòng 2: ngày ban hành để trống (\"Lào Cai, ngày tháng năm 2023\"), chỉ có năm 2023.".to_string()), "{w:?}");
        assert!(
            w.contains(
                &"Dòng 4: kế hoạch cho giai đoạn 2021–2025, không có năm kế hoạch riêng."
                    .to_string()
            ),
            "{w:?}"
        );
    }

    #[test]
    fn years_from_titles() {
        assert_eq!(
            plan_year("NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH TỈNH VĨNH PHÚC NĂM 2024"),
            Ok(2024)
        );
        assert_eq!(
            plan_year("Kế hoạch của UBND tỉnh về cải cách hành chính nhà nước tỉnh Hưng Yên 2023"),
            Ok(2023)
        );
        assert_eq!(plan_year("Cải cách hành chính"), Err(None));
    }

    #[test]
    fn places_in_text() {
        assert_eq!(
            place_in("cải cách hành chính nhà nước tỉnh Hưng Yên 2023 và tỉnh Bà Rịa - Vũng Tàu"),
            [
                ("tỉnh".to_string(), "Hưng Yên".to_string()),
                ("tỉnh".into(), "Bà Rịa - Vũng Tàu".into())
            ]
        );
        assert!(place_in("Chỉ số CCHC của tỉnh (PAR INDEX)").is_empty());
    }
}
