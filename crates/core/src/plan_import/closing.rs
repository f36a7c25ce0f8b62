//! The end of a plan: "Trên đây là Kế hoạch …", "Nơi nhận", the signature — and whether the
//! document is complete.
//!
//! The rule for `complete`: a document is complete when it has its closing block (a "Nơi
//! nhận" list or a signature: a position such as "CHỦ TỊCH", "KT. CHỦ TỊCH" followed by a
//! name), has no omission mark ("[...]", "…", "(còn nữa)"), is not a summary pointing to the
//! full text ("Nội dung chi tiết tại …", "Xem toàn văn"), and its last paragraph before the
//! closing block ends a sentence (not a word, a comma or a colon announcing a list). Without a
//! closing block, a list at the very end holding only its first item ("a)" with no "b)") is
//! also named, as a sign of a cut list.

use super::model::Signer;
use super::outline::is_upper;
use super::paragraphs::Para;
use super::scan::fold;

/// The closing block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Closing {
    /// Index of its first paragraph (the end of the body).
    pub start: usize,
    /// "Trên đây là …" and other text of the closing.
    pub text: Vec<Para>,
    pub recipients: Vec<String>,
    pub signer: Option<Signer>,
    /// Whether "Nơi nhận" or a signature was found.
    pub found: bool,
}

const POSITIONS: [&str; 16] = [
    "tm.",
    "tm ",
    "kt.",
    "kt ",
    "tl.",
    "q.",
    "chu tich",
    "pho chu tich",
    "giam doc",
    "pho giam doc",
    "truong ban",
    "pho truong ban",
    "bi thu",
    "chanh van phong",
    "bo truong",
    "thu truong",
];

fn is_position(text: &str) -> bool {
    let f = fold(text);
    is_upper(text)
        && text.split_whitespace().count() <= 8
        && POSITIONS.iter().any(|p| f.starts_with(p))
}

fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
        && !is_position(text)
}

fn is_signed_mark(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim_matches(|c: char| c == '(' || c == ')' || c == '[' || c == ']' || c == ' ');
    matches!(
        f,
        "da ky" | "ky" | "da ky va dong dau" | "ky ten, dong dau" | "ky, ghi ro ho ten"
    )
}

/// Finds the closing block at or after paragraph `from`.
pub(crate) fn find(paras: &[Para], from: usize) -> Closing {
    let mut start = None;
    for (k, p) in paras.iter().enumerate().skip(from) {
        let f = fold(&p.text);
        if f.starts_with("tren day la") || f.starts_with("tren day ") || f.starts_with("noi nhan") {
            start = Some(k);
            break;
        }
        if is_position(&p.text) && signature_at(paras, k).is_some() && paras.len() - k <= 40 {
            start = Some(k);
            break;
        }
    }
    let Some(start) = start else {
        return Closing {
            start: paras.len(),
            ..Closing::default()
        };
    };
    let mut c = Closing {
        start,
        ..Closing::default()
    };
    let mut k = start;
    while k < paras.len() {
        let p = &paras[k];
        let f = fold(&p.text);
        if f.starts_with("noi nhan") {
            c.found = true;
            // "Nơi nhận: - Bộ Nội vụ;" may share the line.
            let inline = p.text.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
            if !inline.is_empty() {
                c.recipients.push(recipient(inline));
            }
            k += 1;
            while let Some(r) = paras.get(k) {
                let t = r.text.trim_start();
                if t.starts_with(['-', '–', '+', '•']) && !is_position(t) {
                    c.recipients.push(recipient(t));
                    k += 1;
                } else {
                    break;
                }
            }
            continue;
        }
        if is_position(&p.text)
            && let Some((signer, next)) = signature_at(paras, k)
        {
            c.found = true;
            c.signer = Some(signer);
            k = next;
            continue;
        }
        if !is_signed_mark(&p.text) {
            c.text.push(p.clone());
        }
        k += 1;
    }
    c
}

fn recipient(t: &str) -> String {
    t.trim_start_matches(['-', '–', '+', '•', ' '])
        .trim_end_matches([';', '.', ',', ' '])
        .to_string()
}

/// Position lines from `k`, then (after "(Đã ký)" or a seal note) the name: (signer, index
/// after it).
fn signature_at(paras: &[Para], k: usize) -> Option<(Signer, usize)> {
    let mut j = k;
    let mut position = Vec::new();
    while let Some(p) = paras.get(j) {
        if is_position(&p.text)
            || (!position.is_empty()
                && is_upper(&p.text)
                && p.text.split_whitespace().count() <= 6
                && !is_name_upper_only(&p.text, paras.get(j + 1)))
        {
            position.push(p.text.clone());
            j += 1;
        } else {
            break;
        }
    }
    if position.is_empty() {
        return None;
    }
    while paras.get(j).is_some_and(|p| is_signed_mark(&p.text)) {
        j += 1;
    }
    let name = paras
        .get(j)
        .filter(|p| is_name(&p.text))
        .map(|p| p.text.clone());
    let next = if name.is_some() { j + 1 } else { j };
    name.as_ref()?;
    Some((
        Signer {
            position: position.join(" "),
            name,
            line: paras[k].line,
        },
        next,
    ))
}

/// A name written in capitals is the last line of the block.
fn is_name_upper_only(text: &str, next: Option<&Para>) -> bool {
    next.is_none() && is_name(text)
}

/// Why a document is incomplete; empty when it is complete.
pub(crate) fn incomplete_reasons(
    paras: &[Para],
    body_end: usize,
    closing: &Closing,
    single_item_lists: &[(usize, String)],
) -> Vec<String> {
    let mut reasons = Vec::new();
    let mut summary_at = None;
    for (k, p) in paras.iter().enumerate() {
        let t = p.text.trim();
        let f = fold(t);
        if matches!(t, "[...]" | "[…]" | "..." | "…" | "(...)" | "(…)")
            || t.ends_with("[...]")
            || t.ends_with("[…]")
            || f == "(con nua)"
            || f == "(con tiep)"
        {
            reasons.push(format!(
                "Dòng {}: văn bản có dấu lược \"{t}\" — một phần nội dung đã bị cắt.",
                p.line
            ));
        }
        for marker in [
            "noi dung chi tiet tai",
            "xem chi tiet",
            "xem toan van",
            "tai toan van",
            "tai van ban",
            "tin lien quan",
        ] {
            if f.starts_with(marker) && summary_at.is_none() {
                summary_at = Some(k);
                reasons.push(format!(
                    "Dòng {}: \"{}\" — đây là bản tóm tắt hoặc trang tin, không phải toàn văn kế hoạch.",
                    p.line,
                    short(t)
                ));
            }
        }
    }
    if !closing.found {
        reasons.push(
            "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.".into(),
        );
    }
    // The last paragraph of the body (before a summary's pointer to the full text).
    let end = summary_at.unwrap_or(body_end).min(paras.len());
    if let Some(last) = paras[..end].iter().rev().find(|p| {
        let t = p.text.trim();
        !matches!(t, "[...]" | "[…]" | "..." | "…") && !t.ends_with("[...]")
    }) {
        let t = last.text.trim_end();
        if t.ends_with(':') {
            reasons.push(format!(
                "Dòng {}: đoạn cuối kết thúc bằng dấu hai chấm (\"{}\") nhưng không có gì liệt kê sau đó.",
                last.line,
                short(t)
            ));
        } else if !t.ends_with(['.', ';', '!', '?', '…', '"', '”', ')']) || t.ends_with(',') {
            reasons.push(format!(
                "Dòng {}: đoạn cuối dừng giữa câu (\"{}\").",
                last.line,
                short(t)
            ));
        }
    }
    if !closing.found {
        for (line, marker) in single_item_lists {
            reasons.push(format!(
                "Dòng {line}: mục \"{marker}\" là mục duy nhất của danh sách ở cuối văn bản — danh sách có vẻ bị cắt."
            ));
        }
    }
    reasons
}

/// The end of a long text: "… the last words".
fn short(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() <= 12 {
        t.to_string()
    } else {
        format!("… {}", words[words.len() - 10..].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_import::paragraphs::paragraphs;

    #[test]
    fn recipients_and_signature() {
        let ps = paragraphs(
            "II. NỘI DUNG\n- Làm việc.\nTrên đây là Kế hoạch …/.\nNơi nhận:\n- Bộ Nội vụ (Vụ CCHC);\n\
             - Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nVũ Chí Giang",
        );
        let c = find(&ps, 1);
        assert_eq!(c.start, 2);
        assert!(c.found);
        assert_eq!(c.recipients, ["Bộ Nội vụ (Vụ CCHC)", "Lưu: VT"]);
        let s = c.signer.clone().unwrap();
        assert_eq!(s.position, "KT. CHỦ TỊCH PHÓ CHỦ TỊCH");
        assert_eq!(s.name.as_deref(), Some("Vũ Chí Giang"));
        assert_eq!(c.text.len(), 1);
        assert!(incomplete_reasons(&ps, c.start, &c, &[]).is_empty());
    }

    #[test]
    fn cut_documents_say_why() {
        let ps = paragraphs("I. MỤC TIÊU\n1. Nội dung gồm:\n[...]");
        let c = find(&ps, 0);
        assert!(!c.found);
        assert_eq!(
            incomplete_reasons(&ps, c.start, &c, &[(2, "1.".into())]),
            [
                "Dòng 3: văn bản có dấu lược \"[...]\" — một phần nội dung đã bị cắt.",
                "Không có phần \"Nơi nhận\" và chữ ký ở cuối văn bản: văn bản có thể bị cắt.",
                "Dòng 2: đoạn cuối kết thúc bằng dấu hai chấm (\"1. Nội dung gồm:\") nhưng không có gì liệt kê sau đó.",
                "Dòng 2: mục \"1.\" là mục duy nhất của danh sách ở cuối văn bản — danh sách có vẻ bị cắt.",
            ]
        );
        let ps = paragraphs("I. MỤC TIÊU\n- Tổ chức kiểm tra các cơ quan, đơn vị và");
        let c = find(&ps, 0);
        assert_eq!(
            incomplete_reasons(&ps, c.start, &c, &[])[1],
            "Dòng 2: đoạn cuối dừng giữa câu (\"- Tổ chức kiểm tra các cơ quan, đơn vị và\")."
        );
    }
}
