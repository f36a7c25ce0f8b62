//! Document numbers ("152/KH-UBND", "40-CT/TU", "77/2015/QH13") and the documents a plan cites
//! (its legal bases), each once: the same number cited twice is one basis, and two different
//! dates for one number are reported.

use super::Warnings;
use super::dates::{date_at, vi_date};
use super::model::LegalBasis;
use super::paragraphs::Para;
use super::scan::{Text, fold, tokens};

/// A document number starting at character `i` of `t`: digits, then groups after "/" or "-"
/// of capitals and digits, at least one with a letter. Returns (number, end).
pub(crate) fn number_at(t: &Text, i: usize) -> Option<(String, usize)> {
    let c = &t.chars;
    if i > 0 && (c[i - 1].is_alphanumeric() || matches!(c[i - 1], '/' | '-' | ',' | '.')) {
        return None;
    }
    let mut j = i;
    while j < c.len() && c[j].is_ascii_digit() {
        j += 1;
    }
    if j == i || j - i > 6 {
        return None;
    }
    let mut has_letter = false;
    let mut end = j;
    while j < c.len() && matches!(c[j], '/' | '-') {
        let g = j + 1;
        let mut k = g;
        let mut capitals = 0;
        // Capitals and digits; a lowercase letter only after two capitals ("TTg").
        while k < c.len()
            && (c[k].is_ascii_digit()
                || c[k] == '&'
                || (c[k].is_alphabetic() && (c[k].is_uppercase() || capitals >= 2)))
        {
            if c[k].is_uppercase() {
                capitals += 1;
            }
            k += 1;
        }
        if k == g {
            break;
        }
        has_letter |= c[g..k].iter().any(|x| x.is_alphabetic());
        end = k;
        j = k;
    }
    // The number must not run on into a word ("12/Kế" is no number).
    if !has_letter || c.get(end).is_some_and(|x| x.is_alphanumeric()) {
        return None;
    }
    Some((c[i..end].iter().collect(), end))
}

/// The key two spellings of one number share ("QĐ" and "QD", any case).
pub(crate) fn number_key(n: &str) -> String {
    fold(n).to_uppercase().replace(' ', "")
}

/// Kinds of documents, folded, longest first.
const KINDS: [&str; 22] = [
    "nghi quyet lien tich",
    "thong tu lien tich",
    "nghi quyet",
    "nghi dinh",
    "quyet dinh",
    "chi thi",
    "thong tu",
    "ke hoach",
    "cong van",
    "van ban",
    "thong bao",
    "luat",
    "phap lenh",
    "huong dan",
    "de an",
    "chuong trinh",
    "ket luan",
    "bao cao",
    "to trinh",
    "cong dien",
    "quy dinh",
    "dieu le",
];

/// Words that end an issuer after "của" ("của Bộ Nội vụ phê duyệt …").
const ISSUER_STOPS: [&str; 14] = [
    "ve",
    "phe duyet",
    "ban hanh",
    "quy dinh",
    "huong dan",
    "trien khai",
    "thuc hien",
    "cong bo",
    "sua doi",
    "giao",
    "thong qua",
    "tai",
    "theo",
    "nham",
];

/// One citation found in a paragraph.
struct Found {
    kind: Option<String>,
    number: String,
    date: Option<chrono::NaiveDate>,
    issuer: Option<String>,
    text: String,
}

fn citations_in(text: &str) -> Vec<Found> {
    let t = Text::new(text);
    let mut hits: Vec<(usize, usize, String, Option<String>)> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let Some((number, end)) = number_at(&t, i) else {
            i += 1;
            continue;
        };
        // Back over "số" and spaces to a kind of document.
        let mut k = i;
        while k > 0 && t.chars[k - 1] == ' ' {
            k -= 1;
        }
        if k >= 2 && t.matches_at(k - 2, "so") {
            k -= 2;
            while k > 0 && t.chars[k - 1] == ' ' {
                k -= 1;
            }
        }
        let kind = KINDS.iter().find_map(|kind| {
            let n = kind.chars().count();
            (k >= n && t.matches_at(k - n, kind)).then(|| (k - n, t.slice(k - n, k)))
        });
        let start = kind.as_ref().map_or(i, |(s, _)| *s);
        hits.push((start, end, number, kind.map(|(_, k)| k)));
        i = end;
    }
    let mut out = Vec::new();
    for (n, (start, end, number, kind)) in hits.iter().enumerate() {
        let next_start = hits.get(n + 1).map_or(t.len(), |h| h.0);
        let after: String = t.chars[*end..next_start].iter().collect();
        let at = Text::new(&after);
        let toks = tokens(&at);
        let mut j = 0;
        if toks.first().is_some_and(|x| x.is(",")) {
            j += 1;
        }
        let mut date = None;
        let mut after_date = 0;
        if toks.get(j).is_some_and(|x| x.is("ngay"))
            && let Some((d, e)) = date_at(&toks, j + 1)
        {
            date = d.date();
            after_date = toks.get(e - 1).map_or(0, |x| x.end);
        }
        let issuer = issuer_after(&at, after_date);
        // The citation's words: up to the end of its clause or the next citation.
        let clause_end = at
            .find_char_outside_parens(&[';', ':'], 0, at.len())
            .into_iter()
            .chain(sentence_end(&at))
            .chain(new_clause(&at))
            .min()
            .unwrap_or(at.len());
        let text = format!(
            "{}{}",
            t.slice(*start, *end),
            at.chars[..clause_end]
                .iter()
                .collect::<String>()
                .trim_end_matches([',', ' '])
        );
        out.push(Found {
            kind: kind.clone(),
            number: number.clone(),
            date,
            issuer,
            text: text.trim().to_string(),
        });
    }
    out
}

/// A comma opening the sentence's own clause ("…, UBND tỉnh Lào Cai ban hành Kế hoạch …").
fn new_clause(t: &Text) -> Option<usize> {
    (0..t.len()).find(|&i| {
        t.chars[i] == ',' && {
            let rest = t.slice(i + 1, t.len());
            let rt = Text::new(&rest);
            let near = rt
                .chars
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_whitespace())
                .nth(7)
                .map_or(rt.len(), |(k, _)| k);
            super::units::is_unit_start(&rest)
                && rt
                    .find_any_lower(
                        &["ban hanh", "xay dung", "trien khai", "quyet dinh"],
                        0,
                        near,
                    )
                    .is_some()
        }
    })
}

fn sentence_end(t: &Text) -> Option<usize> {
    (0..t.len())
        .find(|&i| t.chars[i] == '.' && t.chars.get(i + 1).is_none_or(|c| c.is_whitespace()))
}

/// "của Bộ Nội vụ" after the date: the words up to a verb or punctuation.
fn issuer_after(t: &Text, from: usize) -> Option<String> {
    let mut s = from;
    while s < t.len() && matches!(t.chars[s], ' ' | ',') {
        s += 1;
    }
    if !t.matches_at(s, "cua") {
        return None;
    }
    s += 3;
    let punct = (s..t.len())
        .find(|&k| matches!(t.chars[k], ',' | ';' | '.' | '(' | ')' | ':' | '“' | '"'))
        .unwrap_or(t.len());
    let stop = t.find_any_lower(&ISSUER_STOPS, s, punct).unwrap_or(punct);
    let issuer = t.slice(s, stop);
    (!issuer.is_empty() && issuer.chars().next().is_some_and(char::is_uppercase)).then_some(issuer)
}

/// The documents cited in the paragraphs, each once, in order of first citation. `own` is the
/// plan's own number (not a basis); `preamble_lines` are lines before the first section.
pub(crate) fn legal_bases(
    paras: &[&Para],
    own: Option<&str>,
    preamble_until: usize,
    w: &mut Warnings,
) -> Vec<LegalBasis> {
    let own_key = own.map(number_key);
    let mut out: Vec<LegalBasis> = Vec::new();
    for p in paras {
        for f in citations_in(&p.text) {
            let key = number_key(&f.number);
            if own_key.as_deref() == Some(key.as_str()) {
                continue;
            }
            match out.iter_mut().find(|b| number_key(&b.number) == key) {
                Some(b) => {
                    if !b.lines.contains(&p.line) {
                        b.lines.push(p.line);
                    }
                    match (b.date, f.date) {
                        (Some(a), Some(c)) if a != c => w.at(
                            p.line,
                            format!(
                                "văn bản {} được dẫn với ngày {} nhưng ở dòng {} ghi ngày {}.",
                                b.number,
                                vi_date(c),
                                b.lines[0],
                                vi_date(a)
                            ),
                        ),
                        (None, Some(_)) => {
                            b.date = f.date;
                            b.text = f.text;
                        }
                        _ => {}
                    }
                    if b.kind.is_none() {
                        b.kind = f.kind;
                    }
                    if b.issuer.is_none() {
                        b.issuer = f.issuer;
                    }
                }
                None => out.push(LegalBasis {
                    kind: f.kind,
                    number: f.number,
                    date: f.date,
                    issuer: f.issuer,
                    text: f.text,
                    lines: vec![p.line],
                    preamble: p.line < preamble_until,
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_every_shape() {
        let first = |s: &str| {
            let t = Text::new(s);
            (0..t.len()).find_map(|i| number_at(&t, i)).map(|(n, _)| n)
        };
        assert_eq!(
            first("Quyết định số 273/QĐ-BNV ngày"),
            Some("273/QĐ-BNV".into())
        );
        assert_eq!(first("Chỉ thị số 40-CT/TU ngày"), Some("40-CT/TU".into()));
        assert_eq!(first("Luật số 77/2015/QH13"), Some("77/2015/QH13".into()));
        assert_eq!(
            first("Công văn số 3325/BNV-CCHC."),
            Some("3325/BNV-CCHC".into())
        );
        assert_eq!(first("Chỉ thị số 23/CT-TTg ngày"), Some("23/CT-TTg".into()));
        assert_eq!(first("xem 5/Kế hoạch"), None);
        assert_eq!(first("ngày 10/11/2022"), None);
        assert_eq!(first("giai đoạn 2021-2030"), None);
        assert_eq!(first("8,82/9,5 điểm"), None);
    }

    #[test]
    fn citations_with_kind_date_issuer() {
        let f = citations_in(
            "Bám sát Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ phê duyệt Đề án; Chỉ thị số 23/CT-TTg ngày 02 tháng 9 năm 2021 của Thủ tướng Chính phủ về việc đẩy mạnh.",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].kind.as_deref(), Some("Quyết định"));
        assert_eq!(f[0].number, "876/QĐ-BNV");
        assert_eq!(f[0].date, chrono::NaiveDate::from_ymd_opt(2022, 11, 10));
        assert_eq!(f[0].issuer.as_deref(), Some("Bộ Nội vụ"));
        assert_eq!(
            f[0].text,
            "Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ phê duyệt Đề án"
        );
        assert_eq!(f[1].issuer.as_deref(), Some("Thủ tướng Chính phủ"));
        assert_eq!(f[1].date, chrono::NaiveDate::from_ymd_opt(2021, 9, 2));
    }

    #[test]
    fn a_basis_cited_twice_is_one_and_conflicting_dates_are_reported() {
        let paras = [
            Para {
                line: 3,
                text: "Căn cứ Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ;".into(),
                cells: None,
            },
            Para {
                line: 9,
                text: "Theo Quyết định 876/QD-BNV ngày 11/10/2022 và Kế hoạch số 5/KH-UBND.".into(),
                cells: None,
            },
        ];
        let refs: Vec<&Para> = paras.iter().collect();
        let mut w = Warnings::default();
        let b = legal_bases(&refs, Some("5/KH-UBND"), 5, &mut w);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].lines, [3, 9]);
        assert!(b[0].preamble);
        assert_eq!(
            w.0,
            [
                "Dòng 9: văn bản 876/QĐ-BNV được dẫn với ngày 11/10/2022 nhưng ở dòng 3 ghi ngày 10/11/2022."
            ]
        );
    }
}
