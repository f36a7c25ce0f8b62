//! Text rules: NFC on input, accent-free folding for search, Vietnamese alphabetical order.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// Normalises user input to NFC and trims it, so that the same word typed with combining
/// marks (common on old Windows keyboards) and precomposed letters compares equal.
pub fn clean(input: &str) -> String {
    input.trim().nfc().collect()
}

/// Folds text for search: no diacritics, `đ` → `d`, lowercase, single spaces.
///
/// "Sở Tư pháp" and "so tu phap" fold to the same string.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last_space = true;
    for ch in input.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if ch.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        out.extend(ch.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Orders two strings as a Vietnamese dictionary does: letters first (a < ă < â < b … d < đ),
/// then tones (none < huyền < hỏi < ngã < sắc < nặng), then case.
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// A sort key for [`compare_vi`]; compute once per item when sorting many.
pub fn collation_key(input: &str) -> (Vec<u32>, Vec<u8>, Vec<bool>) {
    let mut letters = Vec::with_capacity(input.len());
    let mut tones = Vec::with_capacity(input.len());
    let mut cases = Vec::with_capacity(input.len());
    let mut chars = input.nfd().peekable();
    while let Some(ch) = chars.next() {
        let lower = ch.to_lowercase().next().unwrap_or(ch);
        let mut modifier = 0u32;
        let mut tone = 0u8;
        while let Some(&mark) = chars.peek() {
            if !is_combining_mark(mark) {
                break;
            }
            match mark {
                '\u{0306}' => modifier = 1, // breve: ă
                '\u{0302}' => modifier = 2, // circumflex: â ê ô
                '\u{031B}' => modifier = 3, // horn: ơ ư
                '\u{0300}' => tone = 1,     // huyền
                '\u{0309}' => tone = 2,     // hỏi
                '\u{0303}' => tone = 3,     // ngã
                '\u{0301}' => tone = 4,     // sắc
                '\u{0323}' => tone = 5,     // nặng
                _ => {}
            }
            chars.next();
        }
        let base = match lower {
            'đ' => ('d' as u32) * 4 + 1,
            c => (c as u32) * 4 + modifier,
        };
        letters.push(base);
        tones.push(tone);
        cases.push(ch.is_uppercase());
    }
    (letters, tones, cases)
}

fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_removes_every_vietnamese_mark() {
        assert_eq!(fold("Sở Tư pháp"), "so tu phap");
        assert_eq!(fold("ĐẶNG  Thị   Ngọc"), "dang thi ngoc");
        assert_eq!(fold("Phường Đồng Xoài"), "phuong dong xoai");
        assert_eq!(fold("Ủy ban nhân dân"), "uy ban nhan dan");
        assert_eq!(fold("  Xã Hướng Hóa "), "xa huong hoa");
    }

    #[test]
    fn clean_composes_combining_marks() {
        let decomposed = "So\u{031B}\u{0309} Tu\u{031B} pha\u{0301}p";
        assert_eq!(clean(decomposed), "Sở Tư pháp");
    }

    #[test]
    fn vietnamese_alphabet_order() {
        let mut words = vec!["Đông", "Dương", "Ân", "Anh", "Ăn", "Bắc", "ơi", "ô", "o"];
        words.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(
            words,
            vec!["Anh", "Ăn", "Ân", "Bắc", "Dương", "Đông", "o", "ô", "ơi"]
        );
    }

    #[test]
    fn tones_order_after_letters() {
        let mut words = vec!["má", "mạ", "mà", "ma", "mã", "mả", "mai"];
        words.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(words, vec!["ma", "mà", "mả", "mã", "má", "mạ", "mai"]);
    }

    proptest! {
        #[test]
        fn fold_is_idempotent_and_ascii_for_vietnamese(s in "[a-zA-ZđĐàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ ]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.is_ascii());
        }

        #[test]
        fn nfc_and_nfd_inputs_fold_and_sort_alike(s in "[a-zđàáảãạăắằẳẵặâấầẩẫậêếềểễệôốồổỗộơớờởỡợưứừửữự ]{0,30}") {
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(fold(&nfd), fold(&s));
            prop_assert_eq!(compare_vi(&nfd, &s), Ordering::Equal);
        }
    }
}

/// The text of an uploaded CSV file without its byte-order mark (Excel writes one), or `None`
/// when it is not UTF-8.
pub fn csv_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The separator of a CSV file: `;` when its first line has more semicolons than commas (what
/// Excel writes with Vietnamese regional settings), else `,`.
pub fn csv_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The 1-based lines of CSV records in `text`, from their byte offsets. The `csv` crate's own
/// line count skips blank lines, so errors after one would name the wrong line. Records come in
/// order, so counting goes on from the last one (linear in the file's size).
pub struct CsvLines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> CsvLines<'a> {
    pub fn new(text: &'a str) -> CsvLines<'a> {
        CsvLines {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line a record (or an error) at `position` starts on; 0 when unknown.
    pub fn at(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(p) = position else {
            return 0;
        };
        let bytes = self.bytes;
        let mut end = usize::try_from(p.byte())
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        // A record's offset may point at the line breaks before it.
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += bytes[self.offset..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = end;
        self.line
    }
}

#[cfg(test)]
mod csv_line_tests {
    #[test]
    fn lines_count_blank_lines_and_crlf() {
        for text in ["a,b\n1,2\n\n\nx,y\n", "a,b\r\n1,2\r\n\r\n\r\nx,y\r\n"] {
            let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let mut lines = super::CsvLines::new(text);
            let lines: Vec<u64> = r
                .records()
                .map(|rec| lines.at(rec.unwrap().position()))
                .collect();
            assert_eq!(lines, vec![2, 5], "{text:?}");
        }
    }
}
