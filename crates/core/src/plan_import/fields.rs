//! The eight fields of the provincial PAR index, as plans name them, and criterion codes
//! named in the text ("tiêu chí thành phần 2.1.3").

use super::model::FieldRef;
use super::scan::{Kind, Text, any_phrase_at, tokens};

/// Codes and names of the fields (Decision 876/QĐ-BNV, table 2).
pub(crate) const FIELDS: [(&str, &str); 8] = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("2", "Cải cách thể chế"),
    ("3", "Cải cách thủ tục hành chính"),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("5", "Cải cách chế độ công vụ"),
    ("6", "Cải cách tài chính công"),
    (
        "7",
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    ),
    (
        "8",
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
    ),
];

/// Folded phrases that name a field anywhere in a sentence.
const MENTIONS: [(&str, &[&str]); 8] = [
    ("1", &["chi dao, dieu hanh", "chi dao dieu hanh"]),
    ("2", &["cai cach the che"]),
    ("3", &["cai cach thu tuc hanh chinh", "cai cach tthc"]),
    (
        "4",
        &["cai cach to chuc bo may", "to chuc bo may hanh chinh"],
    ),
    (
        "5",
        &[
            "cai cach che do cong vu",
            "cai cach cong vu",
            "che do cong vu",
        ],
    ),
    ("6", &["cai cach tai chinh cong"]),
    (
        "7",
        &[
            "chinh quyen dien tu",
            "chinh quyen so",
            "chinh phu dien tu",
            "chinh phu so",
        ],
    ),
    (
        "8",
        &[
            "tac dong cua cai cach hanh chinh",
            "tac dong cua cchc",
            "tac dong cua cong tac cai cach hanh chinh",
        ],
    ),
];

/// Shorter names that only count as a section's whole subject ("2. Thể chế").
const SHORT_TITLES: [(&str, &str); 6] = [
    ("2", "the che"),
    ("3", "thu tuc hanh chinh"),
    ("4", "to chuc bo may"),
    ("5", "cong vu"),
    ("6", "tai chinh cong"),
    ("8", "tac dong"),
];

/// A field by code.
pub(crate) fn field(code: &str) -> Option<FieldRef> {
    FIELDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(c, n)| FieldRef {
            code: c.to_string(),
            name: n.to_string(),
        })
}

/// The field a short section title is about: "Công tác chỉ đạo, điều hành", "Cải cách thể
/// chế", "Các nhiệm vụ cải cách thể chế", "Lĩnh vực 3". Long titles name no field (a task
/// sentence mentioning a field in passing is not a field section).
pub(crate) fn field_of_title(title: &str) -> Option<FieldRef> {
    if title.chars().count() > 100 {
        return None;
    }
    let t = Text::new(title);
    let toks = tokens(&t);
    if let Some(code) = explicit_field(&toks) {
        return field(&code);
    }
    // The field's name must start within the first six words.
    let limit = toks.get(6).map_or(t.len(), |tok| tok.start);
    for (code, phrases) in MENTIONS {
        if phrases
            .iter()
            .any(|p| t.find(p, 0).is_some_and(|i| i < limit))
        {
            return field(code);
        }
    }
    let folded: String = t.folded.iter().collect();
    let core = folded
        .trim()
        .trim_start_matches("linh vuc ")
        .trim_start_matches("cai cach ")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    let core = core
        .strip_suffix(" cchc")
        .or_else(|| core.strip_suffix(" cai cach hanh chinh"))
        .unwrap_or(core);
    SHORT_TITLES
        .iter()
        .find(|(_, name)| core == *name)
        .and_then(|(code, _)| field(code))
}

/// Every field a sentence names, by name or as "lĩnh vực 3".
pub(crate) fn fields_mentioned(text: &str) -> Vec<String> {
    let t = Text::new(text);
    let mut out: Vec<String> = Vec::new();
    let toks = tokens(&t);
    for i in 0..toks.len() {
        if let Some((j, _)) = any_phrase_at(&toks, i, &["linh vuc"])
            && let Some(code) = code_at(&toks, j)
            && !out.contains(&code)
        {
            out.push(code);
        }
    }
    for (code, phrases) in MENTIONS {
        if phrases.iter().any(|p| t.find(p, 0).is_some()) && !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    out.sort();
    out
}

fn explicit_field(toks: &[super::scan::Token]) -> Option<String> {
    let j = any_phrase_at(toks, 0, &["linh vuc"])?.0;
    code_at(toks, j)
}

/// "3" or "III" after "lĩnh vực".
fn code_at(toks: &[super::scan::Token], j: usize) -> Option<String> {
    let t = toks.get(j)?;
    let n = match t.kind {
        Kind::Num => t.text.parse::<u32>().ok()?,
        Kind::Word => match t.text.as_str() {
            "i" => 1,
            "ii" => 2,
            "iii" => 3,
            "iv" => 4,
            "v" => 5,
            "vi" => 6,
            "vii" => 7,
            "viii" => 8,
            _ => return None,
        },
        Kind::Punct => return None,
    };
    (1..=8).contains(&n).then(|| n.to_string())
}

/// Criterion and sub-criterion codes the text names: "tiêu chí thành phần 2.1.3",
/// "TCTP 2.1.3", "tiêu chí 1.2, 1.3 và 2.1", "TC 6.2".
pub(crate) fn criteria_mentioned(text: &str) -> Vec<String> {
    let t = Text::new(text);
    let toks = tokens(&t);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((mut j, _)) =
            any_phrase_at(&toks, i, &["tieu chi thanh phan", "tctp", "tieu chi", "tc"])
        else {
            i += 1;
            continue;
        };
        while let Some(tok) = toks.get(j) {
            if tok.kind == Kind::Num && tok.text.contains('.') && !tok.text.contains(',') {
                let code = tok.text.trim_end_matches('.').to_string();
                if !out.contains(&code) {
                    out.push(code);
                }
                j += 1;
                // "1.2, 1.3 và 2.1"
                match toks.get(j) {
                    Some(s) if s.is(",") || s.is("va") || s.is(";") => j += 1,
                    _ => break,
                }
            } else {
                break;
            }
        }
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(title: &str) -> Option<String> {
        field_of_title(title).map(|f| f.code)
    }

    #[test]
    fn section_titles_name_fields() {
        assert_eq!(code("Công tác chỉ đạo, điều hành"), Some("1".into()));
        assert_eq!(code("Chỉ đạo, điều hành CCHC"), Some("1".into()));
        assert_eq!(code("Cải cách thể chế"), Some("2".into()));
        assert_eq!(code("Các nhiệm vụ cải cách thể chế"), Some("2".into()));
        assert_eq!(code("Cải cách thủ tục hành chính"), Some("3".into()));
        assert_eq!(
            code("Cải cách tổ chức bộ máy hành chính nhà nước"),
            Some("4".into())
        );
        assert_eq!(code("Cải cách chế độ công vụ"), Some("5".into()));
        assert_eq!(code("Cải cách tài chính công"), Some("6".into()));
        assert_eq!(
            code("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
            Some("7".into())
        );
        assert_eq!(code("Lĩnh vực 8"), Some("8".into()));
        assert_eq!(code("Thể chế"), Some("2".into()));
        assert_eq!(code("Nhiệm vụ trọng tâm"), None);
        assert_eq!(code("Mục đích"), None);
        assert_eq!(
            code(
                "Đẩy mạnh việc đổi mới, sáng tạo trong cải cách hành chính; tập trung triển khai, nhân rộng những mô hình trong cải cách thủ tục hành chính"
            ),
            None
        );
    }

    #[test]
    fn sentences_name_fields_and_criteria() {
        assert_eq!(
            fields_mentioned("Chủ trì đối với 03 lĩnh vực: Lĩnh vực cải cách công vụ; lĩnh vực 2"),
            ["2", "5"]
        );
        assert!(fields_mentioned("Sở Tài chính công bố dự toán").is_empty());
        assert_eq!(
            criteria_mentioned(
                "Khắc phục tiêu chí thành phần 2.1.3 và TC 6.2; tiêu chí 1.2, 1.3 và 2.1."
            ),
            ["2.1.3", "6.2", "1.2", "1.3", "2.1"]
        );
        assert!(criteria_mentioned("tiêu chí quan trọng năm 2022").is_empty());
    }
}
