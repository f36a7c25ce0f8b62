//! Matching Vietnamese phrases without caring for case or diacritics, while keeping the
//! original text: every character has a folded twin at the same index ("Sở" → "so").

use rust_decimal::Decimal;
use std::str::FromStr;

/// A paragraph as characters, with a folded twin of the same length.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub chars: Vec<char>,
    pub folded: Vec<char>,
}

/// One character without case or diacritics; `đ` → `d`.
pub(crate) fn fold_char(c: char) -> char {
    if c == 'đ' || c == 'Đ' {
        return 'd';
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    let base = base.unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// A string folded character by character (same number of characters).
pub(crate) fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Text {
    pub fn new(s: &str) -> Text {
        let chars: Vec<char> = s.chars().collect();
        let folded = chars.iter().map(|&c| fold_char(c)).collect();
        Text { chars, folded }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The original text of `[a, b)`, trimmed.
    pub fn slice(&self, a: usize, b: usize) -> String {
        let b = b.min(self.chars.len());
        let a = a.min(b);
        self.chars[a..b]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }

    /// Whether the folded pattern occurs at `pos` as whole words.
    pub fn matches_at(&self, pos: usize, pattern: &str) -> bool {
        let pat: Vec<char> = pattern.chars().collect();
        self.matches_chars(pos, &pat)
    }

    fn matches_chars(&self, pos: usize, pat: &[char]) -> bool {
        let end = pos + pat.len();
        if end > self.folded.len() || self.folded[pos..end] != pat[..] {
            return false;
        }
        let first_word = pat.first().is_some_and(|&c| is_word_char(c));
        let last_word = pat.last().is_some_and(|&c| is_word_char(c));
        let before_ok = !first_word || pos == 0 || !is_word_char(self.folded[pos - 1]);
        let after_ok = !last_word || end == self.folded.len() || !is_word_char(self.folded[end]);
        before_ok && after_ok
    }

    /// The first whole-word occurrence of a folded pattern at or after `from`.
    pub fn find(&self, pattern: &str, from: usize) -> Option<usize> {
        self.find_in(pattern, from, self.len())
    }

    /// The first whole-word occurrence of a folded pattern starting in `[from, to)`.
    pub fn find_in(&self, pattern: &str, from: usize, to: usize) -> Option<usize> {
        let pat: Vec<char> = pattern.chars().collect();
        let n = pat.len();
        if n == 0 || self.folded.len() < n {
            return None;
        }
        let last = (self.folded.len() - n).min(to.saturating_sub(1));
        if from > last {
            return None;
        }
        (from..=last).find(|&i| self.folded[i] == pat[0] && self.matches_chars(i, &pat))
    }

    /// The earliest occurrence of any of the patterns: (position, pattern).
    pub fn find_any<'p>(&self, patterns: &[&'p str], from: usize) -> Option<(usize, &'p str)> {
        patterns
            .iter()
            .filter_map(|p| self.find(p, from).map(|i| (i, *p)))
            .min_by_key(|(i, p)| (*i, usize::MAX - p.len()))
    }

    /// The original text of at most `n` characters from `from` (enough to see how a phrase
    /// starts without copying the rest of a long paragraph).
    pub fn prefix(&self, from: usize, n: usize) -> String {
        self.slice(from, from.saturating_add(n))
    }

    /// Like [`Text::find`] but only where the original starts with a lowercase letter (a verb
    /// inside a sentence, not a capitalised name such as "Sở Xây dựng").
    pub fn find_lower(&self, pattern: &str, from: usize, to: usize) -> Option<usize> {
        let mut i = from;
        while let Some(p) = self.find_in(pattern, i, to) {
            if self.chars[p].is_lowercase() {
                return Some(p);
            }
            i = p + 1;
        }
        None
    }

    /// The earliest lowercase occurrence of any pattern in `[from, to)`.
    pub fn find_any_lower(&self, patterns: &[&str], from: usize, to: usize) -> Option<usize> {
        patterns
            .iter()
            .filter_map(|p| self.find_lower(p, from, to))
            .min()
    }

    /// The first position at or after `from` holding one of the characters, outside
    /// parentheses opened after `from`.
    pub fn find_char_outside_parens(&self, set: &[char], from: usize, to: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in from..to.min(self.len()) {
            let c = self.chars[i];
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                _ if depth == 0 && set.contains(&c) => return Some(i),
                _ => {}
            }
        }
        None
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct,
}

/// A word, a number (`8,82`, `1.000`, `13.6.2024`) or one punctuation character, located in
/// the paragraph's characters.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// Folded text (numbers as written).
    pub text: String,
}

impl Token {
    pub fn is(&self, word: &str) -> bool {
        self.text == word
    }
}

/// Splits a paragraph into tokens.
pub(crate) fn tokens(t: &Text) -> Vec<Token> {
    let mut out = Vec::new();
    let n = t.len();
    let mut i = 0;
    while i < n {
        let c = t.chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_digit() {
            i += 1;
            loop {
                while i < n && t.chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i + 1 < n && matches!(t.chars[i], ',' | '.') && t.chars[i + 1].is_ascii_digit() {
                    i += 1;
                } else {
                    break;
                }
            }
            Kind::Num
        } else if c.is_alphabetic() {
            while i < n && is_word_char(t.chars[i]) {
                i += 1;
            }
            Kind::Word
        } else {
            i += 1;
            Kind::Punct
        };
        let text = match kind {
            Kind::Num => t.chars[start..i].iter().collect(),
            _ => t.folded[start..i].iter().collect(),
        };
        out.push(Token {
            kind,
            start,
            end: i,
            text,
        });
    }
    out
}

/// Whether the words of a folded phrase follow each other from token `i`; returns the index
/// after the phrase.
pub(crate) fn phrase_at(tokens: &[Token], i: usize, phrase: &str) -> Option<usize> {
    let mut j = i;
    for word in phrase.split(' ') {
        let t = tokens.get(j)?;
        if t.text != word {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// The first of the phrases at token `i`: (index after it, phrase).
pub(crate) fn any_phrase_at<'p>(
    tokens: &[Token],
    i: usize,
    phrases: &[&'p str],
) -> Option<(usize, &'p str)> {
    phrases
        .iter()
        .find_map(|p| phrase_at(tokens, i, p).map(|j| (j, *p)))
}

/// A number as Vietnamese documents write it: `8,82` (decimal comma), `1.000` (thousands
/// dots), `08`; a lone dot with other than three digits after it is a decimal point (`2.5`).
pub(crate) fn parse_number(s: &str) -> Option<Decimal> {
    let normalized = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        if groups[1..].iter().all(|g| g.len() == 3) {
            s.replace('.', "")
        } else if groups.len() == 2 {
            s.to_string()
        } else {
            return None;
        }
    } else {
        s.to_string()
    };
    if normalized.matches('.').count() > 1 {
        return None;
    }
    Decimal::from_str(&normalized).ok().map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_search_respects_word_boundaries() {
        let t = Text::new("Giao Sở Tư pháp chủ trì, phối hợp với Sở Xây dựng xây dựng");
        assert_eq!(t.find("so tu phap", 0), Some(5));
        assert_eq!(t.find("tu", 0), Some(8));
        assert_eq!(t.find("ph", 0), None);
        assert_eq!(
            t.find_any(&["phoi hop voi", "phoi hop"], 0),
            Some((25, "phoi hop voi"))
        );
        let first_verb = t.find_lower("xay dung", 0, t.len()).unwrap();
        assert_eq!(t.slice(first_verb, t.len()), "xây dựng");
    }

    #[test]
    fn numbers_read_as_written() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(parse_number("8,82"), Some(d("8.82")));
        assert_eq!(parse_number("08"), Some(d("8")));
        assert_eq!(parse_number("1.000"), Some(d("1000")));
        assert_eq!(parse_number("1.234.567,5"), Some(d("1234567.5")));
        assert_eq!(parse_number("2.5"), Some(d("2.5")));
        assert_eq!(parse_number("13.6.2024"), None);
    }

    #[test]
    fn tokens_keep_numbers_whole() {
        let t = Text::new("Đạt 8,82 điểm/9,5 (92,81%), ngày 10/4/2024.");
        let toks: Vec<String> = tokens(&t).into_iter().map(|t| t.text).collect();
        assert_eq!(
            toks,
            [
                "dat", "8,82", "diem", "/", "9,5", "(", "92,81", "%", ")", ",", "ngay", "10", "/",
                "4", "/", "2024", "."
            ]
        );
    }
}
