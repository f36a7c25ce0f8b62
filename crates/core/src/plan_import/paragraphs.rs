//! From raw text to paragraphs: NFC, one paragraph per non-empty line, separator lines
//! ("-------") dropped, emphasis marks (`*`, `**`) removed, a line broken in the middle of a
//! sentence joined back, and tab-separated rows kept as table cells.

use super::outline::marker;
use unicode_normalization::UnicodeNormalization;

/// A paragraph with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Para {
    pub line: usize,
    pub text: String,
    /// The cells of a table row (three or more tab-separated cells).
    pub cells: Option<Vec<String>>,
}

/// Splits a document into paragraphs.
pub(crate) fn paragraphs(input: &str) -> Vec<Para> {
    let text: String = input.nfc().collect();
    let mut out: Vec<Para> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        let raw_cells: Vec<String> = raw.split('\t').map(clean).collect();
        if raw_cells.iter().all(String::is_empty) {
            continue;
        }
        let in_table = out.last().is_some_and(|p| p.cells.is_some());
        // Three or more cells make a table row; inside a table, so do two (a merged row).
        if raw_cells.len() >= 3 || (raw_cells.len() == 2 && in_table) {
            let shown: Vec<&str> = raw_cells
                .iter()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            out.push(Para {
                line,
                text: shown.join(" | "),
                cells: Some(raw_cells),
            });
            continue;
        }
        let cells: Vec<String> = raw_cells.into_iter().filter(|c| !c.is_empty()).collect();
        // Two cells are a layout (number on the left, place and date on the right): each is
        // a paragraph of its own.
        for cell in cells {
            if is_separator(&cell) {
                continue;
            }
            push(&mut out, line, cell);
        }
    }
    out
}

fn push(out: &mut Vec<Para>, line: usize, text: String) {
    let continues = text.chars().next().is_some_and(char::is_lowercase) && marker(&text).is_none();
    if continues
        && let Some(prev) = out.last_mut()
        && prev.cells.is_none()
        && !prev.text.ends_with(['.', ';', ':', '!', '?', '…'])
    {
        prev.text.push(' ');
        prev.text.push_str(&text);
        return;
    }
    out.push(Para {
        line,
        text,
        cells: None,
    });
}

/// One line cleaned: spaces of every kind made one space, invisible characters and emphasis
/// marks removed (a leading "* " bullet is kept).
fn clean(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    let mut last_space = true;
    let trimmed = raw.trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c));
    let bullet_star = trimmed.starts_with("* ");
    for (i, c) in trimmed.chars().enumerate() {
        if is_invisible(c) || (c == '*' && !(bullet_star && i == 0)) {
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                s.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        s.push(c);
    }
    s.trim().to_string()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}' | '\r'
    )
}

/// "-------", "___", "* * *": lines that only separate.
fn is_separator(s: &str) -> bool {
    s.chars().count() >= 3
        && s.chars()
            .all(|c| matches!(c, '-' | '_' | '=' | '*' | '~' | '.' | '–' | '—' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<(usize, String)> {
        paragraphs(input)
            .into_iter()
            .map(|p| (p.line, p.text))
            .collect()
    }

    #[test]
    fn lines_become_clean_paragraphs() {
        let input = "ỦY BAN NHÂN DÂN\r\n-------\n\n  Số:\u{a0}152/KH-UBND \n\
                     Báo cáo gửi *trước ngày 05/01/2024*.\n**Từ ngày 01/12**";
        assert_eq!(
            texts(input),
            [
                (1, "ỦY BAN NHÂN DÂN".to_string()),
                (4, "Số: 152/KH-UBND".to_string()),
                (5, "Báo cáo gửi trước ngày 05/01/2024.".to_string()),
                (6, "Từ ngày 01/12".to_string()),
            ]
        );
    }

    #[test]
    fn a_sentence_broken_across_lines_is_joined_but_not_a_new_item() {
        let input = "- Báo cáo kết quả đối với lĩnh vực được\n\ngiao và gửi về Sở Nội vụ.\n\
                     a) việc mới\nxong.\nkhông nối sau dấu chấm";
        assert_eq!(
            texts(input),
            [
                (
                    1,
                    "- Báo cáo kết quả đối với lĩnh vực được giao và gửi về Sở Nội vụ.".to_string()
                ),
                (4, "a) việc mới xong.".to_string()),
                (6, "không nối sau dấu chấm".to_string()),
            ]
        );
    }

    #[test]
    fn tab_rows_are_table_cells_and_two_cells_are_two_paragraphs() {
        let ps =
            paragraphs("Số: 1/KH-UBND\tHà Nội, ngày 2 tháng 1 năm 2025\n1\tBan hành\tSở Nội vụ\n");
        assert_eq!(ps[0].text, "Số: 1/KH-UBND");
        assert_eq!(ps[1].text, "Hà Nội, ngày 2 tháng 1 năm 2025");
        assert_eq!(ps[1].line, 1);
        assert_eq!(
            ps[2].cells.as_deref(),
            Some(&["1".to_string(), "Ban hành".into(), "Sở Nội vụ".into()][..])
        );
        assert_eq!(ps[2].text, "1 | Ban hành | Sở Nội vụ");
    }

    #[test]
    fn combining_marks_are_composed() {
        let decomposed = "Ke\u{302}\u{301} hoa\u{323}ch";
        assert_eq!(texts(decomposed), [(1, "Kế hoạch".to_string())]);
    }
}
