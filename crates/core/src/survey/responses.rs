//! The responses file: CSV with a header `unit,group,respondent,<question codes…>`, one row per
//! completed form.
//!
//! - `unit` is required; `group` may be left out (or blank) when the file holds one group, and
//!   must otherwise be the questionnaire's group (code or name); `respondent` is the form's
//!   token, unique in the file (left out, forms are told apart by their row).
//! - Answers: a choice by option code or label, a Likert point by number (1 up) or label,
//!   yes/no as `có`/`không`, `yes`/`no`, `x`/blank… (case and diacritics aside), numbers with a
//!   decimal point or comma. A blank cell is no answer, refused only on required questions.
//! - Columns of survey tools (LimeSurvey `id`, `submitdate`…; Kobo `start`, `_uuid`…) are
//!   ignored; any other unknown column is reported, since it is most often a renamed question.
//! - UTF-8 with or without a byte-order mark, `,` or `;` separators (Excel in Vietnam writes
//!   `;`). Rows are numbered as the file's lines, the header being row 1.
//!
//! The parser reports; the caller decides whether one bad row refuses the file or is skipped.

use super::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::lang::Lang;
use crate::text::{clean, fold};
use std::collections::HashMap;

/// The file's own columns; question codes may not take these names.
pub const RESERVED_COLUMNS: [&str; 3] = ["unit", "group", "respondent"];

/// Other accepted headers of the file's own columns (folded).
const ALIASES: [(&str, &[&str]); 3] = [
    ("unit", &["ma don vi", "don vi"]),
    ("group", &["nhom doi tuong", "doi tuong"]),
    ("respondent", &["ma phieu", "so phieu"]),
];

/// Columns that survey tools add to their exports (folded); ignored.
const TOOL_COLUMNS: [&str; 21] = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "token",
    "interviewtime",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "instanceid",
];

/// Survey tools' form ids, by preference, taken as the respondent when the file has none.
const TOOL_IDS: [&str; 6] = [
    "_uuid",
    "meta/instanceid",
    "instanceid",
    "_id",
    "id",
    "token",
];

/// One answer, in the questionnaire's question order.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Blank,
    /// Index of the chosen option.
    Choice(u16),
    /// The Likert point, 1 up.
    Scale(u8),
    Yes(bool),
    Number(f64),
    Text(String),
}

impl Answer {
    /// The position of the answer among the question's levels ([`Question::levels`]), for
    /// scored answers.
    pub fn level(&self) -> Option<usize> {
        match self {
            Answer::Choice(i) => Some(usize::from(*i)),
            Answer::Scale(k) => usize::from(*k).checked_sub(1),
            Answer::Yes(b) => Some(usize::from(*b)),
            Answer::Blank | Answer::Number(_) | Answer::Text(_) => None,
        }
    }

    /// The answer as the responses file writes it (option code, point, `có`/`không`).
    pub fn text(&self, question: &Question) -> String {
        match self {
            Answer::Blank => String::new(),
            Answer::Choice(i) => question
                .options
                .get(usize::from(*i))
                .map(|o| o.code.clone())
                .unwrap_or_default(),
            Answer::Scale(k) => k.to_string(),
            Answer::Yes(true) => "có".into(),
            Answer::Yes(false) => "không".into(),
            Answer::Number(n) => n.to_string(),
            Answer::Text(t) => t.clone(),
        }
    }
}

/// A completed form that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The row it was read from (header = 1).
    pub row: u64,
    /// The unit's code, upper case.
    pub unit: String,
    /// The form's token; empty when the file has none.
    pub respondent: String,
    /// One per question of the questionnaire, in order.
    pub answers: Vec<Answer>,
}

/// Options of [`parse_responses_with`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The unit codes the survey covers; when set, other units are refused.
    pub units: Option<Vec<String>>,
    /// More columns to ignore (headers as written).
    pub ignore_columns: Vec<String>,
}

/// What a file holds: the responses that passed and a problem per bad cell or row.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The questionnaire's group.
    pub group: String,
    pub responses: Vec<Response>,
    /// In row order; header problems (row 1) first.
    pub problems: Vec<ResponseProblem>,
    /// Data rows read (blank lines aside).
    pub rows: usize,
}

impl Parsed {
    /// The number of data rows refused.
    pub fn refused_rows(&self) -> usize {
        self.rows - self.responses.len()
    }
}

/// A problem in a responses file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseProblem {
    /// 1-based line where the row starts (the header is row 1); 0 for the file as a whole.
    pub row: u64,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub kind: ResponseProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseProblemKind {
    Empty,
    Malformed(String),
    /// A required column (`unit`, or a required question) is not in the header.
    MissingColumn(String),
    NoQuestionColumns,
    UnknownColumn,
    DuplicateColumn,
    MissingUnit,
    UnknownUnit(String),
    GroupMismatch {
        value: String,
        expected: String,
    },
    DuplicateRespondent {
        token: String,
        first_row: u64,
    },
    UnknownOption {
        value: String,
        options: Vec<String>,
    },
    NotOnScale {
        value: String,
        scale: u32,
    },
    NotYesNo(String),
    NotANumber(String),
    NumberOutOfRange {
        value: String,
        min: Option<f64>,
        max: Option<f64>,
    },
    RequiredBlank,
}

impl ResponseProblem {
    fn at(row: u64, column: &str, kind: ResponseProblemKind) -> ResponseProblem {
        ResponseProblem {
            row,
            column: Some(column.to_string()),
            kind,
        }
    }

    /// "Dòng 7, cột Q3: …" — the place, then what is wrong and what would do.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let place = match (self.row, &self.column, vi) {
            (0, _, _) => String::new(),
            (r, Some(c), true) => format!("Dòng {r}, cột {c}: "),
            (r, Some(c), false) => format!("Row {r}, column {c}: "),
            (r, None, true) => format!("Dòng {r}: "),
            (r, None, false) => format!("Row {r}: "),
        };
        let pick = |v: String, e: String| if vi { v } else { e };
        use ResponseProblemKind::*;
        let what = match &self.kind {
            Empty => pick(
                "tệp không có dòng tiêu đề.".into(),
                "the file has no header row.".into(),
            ),
            Malformed(e) => pick(
                format!("dòng CSV không đọc được ({e})."),
                format!("the CSV row cannot be read ({e})."),
            ),
            MissingColumn(c) => pick(
                format!("thiếu cột bắt buộc \"{c}\" ở dòng tiêu đề."),
                format!("the required column \"{c}\" is missing from the header."),
            ),
            NoQuestionColumns => pick(
                "dòng tiêu đề không có cột nào là mã câu hỏi của phiếu này; tệp có đúng là kết quả của phiếu không?".into(),
                "no column of the header is a question code of this questionnaire; is it the right file?".into(),
            ),
            UnknownColumn => pick(
                "cột này không phải mã câu hỏi nào của phiếu; sửa tên cột cho đúng mã câu hỏi, hoặc xóa cột.".into(),
                "this column is not a question code of the questionnaire; rename it to the question's code or remove it.".into(),
            ),
            DuplicateColumn => pick(
                "cột này xuất hiện hai lần; chỉ cột đầu tiên được đọc.".into(),
                "this column appears twice; only the first is read.".into(),
            ),
            MissingUnit => pick(
                "thiếu mã đơn vị.".into(),
                "the unit code is missing.".into(),
            ),
            UnknownUnit(u) => pick(
                format!("đơn vị \"{u}\" không thuộc cuộc khảo sát."),
                format!("unit \"{u}\" is not part of the survey."),
            ),
            GroupMismatch { value, expected } => pick(
                format!(
                    "nhóm đối tượng \"{value}\" khác nhóm của phiếu (\"{expected}\"); mỗi tệp chỉ chứa kết quả của một phiếu."
                ),
                format!(
                    "group \"{value}\" is not the questionnaire's group (\"{expected}\"); a file holds one questionnaire's forms."
                ),
            ),
            DuplicateRespondent { token, first_row } => pick(
                format!("mã phiếu \"{token}\" đã có ở dòng {first_row}; phiếu bị nhập hai lần?"),
                format!("respondent \"{token}\" already appears on row {first_row}; a form entered twice?"),
            ),
            UnknownOption { value, options } => pick(
                format!(
                    "phương án \"{value}\" không có trong câu hỏi; dùng {} (hoặc nội dung phương án).",
                    options.join(", ")
                ),
                format!(
                    "option \"{value}\" is not one of the question's; use {} (or the option's label).",
                    options.join(", ")
                ),
            ),
            NotOnScale { value, scale } => pick(
                format!("\"{value}\" không thuộc thang điểm; ghi một số từ 1 đến {scale}."),
                format!("\"{value}\" is not on the scale; write a number from 1 to {scale}."),
            ),
            NotYesNo(v) => pick(
                format!("\"{v}\" không phải Có/Không; ghi \"có\" hoặc \"không\"."),
                format!("\"{v}\" is not yes or no; write \"yes\" or \"no\"."),
            ),
            NotANumber(v) => pick(
                format!("\"{v}\" không phải là số."),
                format!("\"{v}\" is not a number."),
            ),
            NumberOutOfRange { value, min, max } => {
                let range = |to: &str| match (min, max) {
                    (Some(a), Some(b)) => format!("{a} {to} {b}"),
                    (Some(a), None) => format!("≥ {a}"),
                    (None, Some(b)) => format!("≤ {b}"),
                    (None, None) => String::new(),
                };
                pick(
                    format!("{value} nằm ngoài giới hạn ({}).", range("đến")),
                    format!("{value} is out of range ({}).", range("to")),
                )
            }
            RequiredBlank => pick(
                "câu hỏi bắt buộc nhưng để trống.".into(),
                "a required question is blank.".into(),
            ),
        };
        format!("{place}{what}")
    }
}

/// How a cell's text is read for one question, prepared once per file.
struct Reader<'q> {
    question: &'q Question,
    /// Folded option codes and labels (or Likert labels) → level.
    keys: Vec<(String, usize)>,
    codes: Vec<String>,
}

impl<'q> Reader<'q> {
    fn new(question: &'q Question) -> Reader<'q> {
        let mut keys = Vec::new();
        for (i, o) in question.options.iter().enumerate() {
            keys.push((fold(&o.code), i));
            keys.push((fold(&o.label), i));
        }
        for (i, l) in question.labels.iter().enumerate() {
            keys.push((fold(l), i));
        }
        Reader {
            question,
            keys,
            codes: question.options.iter().map(|o| o.code.clone()).collect(),
        }
    }

    fn by_key(&self, value: &str) -> Option<usize> {
        let f = fold(value);
        self.keys.iter().find(|(k, _)| *k == f).map(|(_, i)| *i)
    }

    /// The answer in `cell`, or what is wrong with it.
    fn read(&self, cell: &str) -> Result<Answer, ResponseProblemKind> {
        let value = cell.trim();
        if value.is_empty() {
            return if self.question.required {
                Err(ResponseProblemKind::RequiredBlank)
            } else {
                Ok(Answer::Blank)
            };
        }
        let q = self.question;
        match q.kind {
            QuestionKind::Choice => {
                // Exact codes first: the common case costs no allocation.
                let found = q
                    .options
                    .iter()
                    .position(|o| o.code == value)
                    .or_else(|| self.by_key(value));
                match found.and_then(|i| u16::try_from(i).ok()) {
                    Some(i) => Ok(Answer::Choice(i)),
                    None => Err(ResponseProblemKind::UnknownOption {
                        value: value.to_string(),
                        options: self.codes.clone(),
                    }),
                }
            }
            QuestionKind::Likert => {
                let scale = q.scale.unwrap_or(0);
                let point = value
                    .parse::<u32>()
                    .ok()
                    .or_else(|| {
                        value
                            .replace(',', ".")
                            .parse::<f64>()
                            .ok()
                            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= 255.0)
                            .map(|v| v as u32)
                    })
                    .or_else(|| self.by_key(value).map(|i| i as u32 + 1));
                match point {
                    Some(k) if (1..=scale).contains(&k) && k <= 255 => Ok(Answer::Scale(k as u8)),
                    _ => Err(ResponseProblemKind::NotOnScale {
                        value: value.to_string(),
                        scale,
                    }),
                }
            }
            QuestionKind::YesNo => match fold(value).as_str() {
                "co" | "c" | "yes" | "y" | "x" | "1" | "true" | "dung" => Ok(Answer::Yes(true)),
                "khong" | "k" | "no" | "n" | "0" | "false" | "sai" => Ok(Answer::Yes(false)),
                _ => Err(ResponseProblemKind::NotYesNo(value.to_string())),
            },
            QuestionKind::Number => {
                let n = value
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| ResponseProblemKind::NotANumber(value.to_string()))?;
                if q.min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) {
                    return Err(ResponseProblemKind::NumberOutOfRange {
                        value: value.to_string(),
                        min: q.min,
                        max: q.max,
                    });
                }
                Ok(Answer::Number(n))
            }
            QuestionKind::Text => Ok(Answer::Text(clean(value))),
        }
    }
}

/// What a header cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Unit,
    Group,
    Respondent,
    Question(usize),
    Ignored,
}

/// Reads a responses file for a questionnaire; see [`parse_responses_with`].
pub fn parse_responses(q: &Questionnaire, text: &str) -> Result<Parsed, Vec<ResponseProblem>> {
    parse_responses_with(q, text, &ParseOptions::default())
}

/// Reads a responses file: every row is checked, good ones are returned with a problem for
/// every bad cell. `Err` only when the file cannot be read as this questionnaire's responses
/// at all (no header, no `unit` column, no question column).
pub fn parse_responses_with(
    q: &Questionnaire,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, Vec<ResponseProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let whole = |kind| {
        vec![ResponseProblem {
            row: 1,
            column: None,
            kind,
        }]
    };
    if text.trim().is_empty() {
        return Err(whole(ResponseProblemKind::Empty));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::text::csv_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = crate::text::CsvLines::new(text);
    let headers = reader
        .headers()
        .map_err(|e| whole(ResponseProblemKind::Malformed(e.to_string())))?
        .clone();

    let questions: Vec<&Question> = q.questions().collect();
    let exact: HashMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let folded: HashMap<String, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, x)| (fold(&x.code), i))
        .collect();
    let ignore: Vec<String> = options.ignore_columns.iter().map(|c| fold(c)).collect();

    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(headers.len());
    let mut names = Vec::with_capacity(headers.len());
    let mut taken: Vec<Column> = Vec::new();
    for header in headers.iter() {
        let name = clean(header);
        let f = fold(&name);
        let own = ALIASES
            .iter()
            .find(|(key, aliases)| *key == f || aliases.contains(&f.as_str()))
            .map(|(key, _)| match *key {
                "unit" => Column::Unit,
                "group" => Column::Group,
                _ => Column::Respondent,
            });
        let mut column = if f.is_empty() {
            Column::Ignored
        } else if let Some(c) = own {
            c
        } else if let Some(&i) = exact.get(name.as_str()).or_else(|| folded.get(&f)) {
            Column::Question(i)
        } else {
            if !(TOOL_COLUMNS.contains(&f.as_str())
                || f.starts_with('_')
                || f.contains('/')
                || ignore.contains(&f))
            {
                problems.push(ResponseProblem::at(
                    1,
                    &name,
                    ResponseProblemKind::UnknownColumn,
                ));
            }
            Column::Ignored
        };
        if column != Column::Ignored {
            if taken.contains(&column) {
                problems.push(ResponseProblem::at(
                    1,
                    &name,
                    ResponseProblemKind::DuplicateColumn,
                ));
                column = Column::Ignored;
            } else {
                taken.push(column);
            }
        }
        columns.push(column);
        names.push(name);
    }
    // Without a respondent column, a survey tool's own form id names each form, so that the
    // same export imported twice is recognised (Kobo `_uuid`, ODK `instanceID`, LimeSurvey
    // `id`, else `token`).
    if !taken.contains(&Column::Respondent)
        && let Some(i) = TOOL_IDS.iter().find_map(|key| {
            names
                .iter()
                .position(|n| fold(n) == *key)
                .filter(|&i| columns[i] == Column::Ignored)
        })
    {
        columns[i] = Column::Respondent;
        taken.push(Column::Respondent);
    }
    if !taken.contains(&Column::Unit) {
        let mut all = vec![ResponseProblem {
            row: 1,
            column: None,
            kind: ResponseProblemKind::MissingColumn("unit".into()),
        }];
        if !taken.iter().any(|c| matches!(c, Column::Question(_))) {
            all.push(ResponseProblem {
                row: 1,
                column: None,
                kind: ResponseProblemKind::NoQuestionColumns,
            });
        }
        return Err(all);
    }
    if !taken.iter().any(|c| matches!(c, Column::Question(_))) {
        return Err(whole(ResponseProblemKind::NoQuestionColumns));
    }
    for (i, question) in questions.iter().enumerate() {
        if question.required && !taken.contains(&Column::Question(i)) {
            problems.push(ResponseProblem {
                row: 1,
                column: None,
                kind: ResponseProblemKind::MissingColumn(question.code.clone()),
            });
        }
    }

    let readers: Vec<Reader> = questions.iter().map(|x| Reader::new(x)).collect();
    let known_units: Option<std::collections::HashSet<String>> = options
        .units
        .as_ref()
        .map(|u| u.iter().map(|c| crate::units::normalize_code(c)).collect());
    let group_keys = [fold(&q.group), fold(q.group_label())];
    let mut seen_tokens: HashMap<String, u64> = HashMap::new();
    let mut responses = Vec::new();
    let mut rows = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = lines.at(e.position());
                rows += 1;
                problems.push(ResponseProblem {
                    row,
                    column: None,
                    kind: ResponseProblemKind::Malformed(e.to_string()),
                });
                continue;
            }
        }
        let row = lines.at(record.position());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let before = problems.len();
        let mut unit = String::new();
        let mut respondent = String::new();
        let mut answers = vec![Answer::Blank; questions.len()];
        let mut unit_column = "unit";
        for (i, column) in columns.iter().enumerate() {
            let cell = record.get(i).unwrap_or("");
            match *column {
                Column::Ignored => {}
                Column::Unit => {
                    unit = crate::units::normalize_code(&clean(cell));
                    unit_column = &names[i];
                }
                Column::Group => {
                    let value = cell.trim();
                    if !value.is_empty() && value != q.group && !group_keys.contains(&fold(value)) {
                        problems.push(ResponseProblem::at(
                            row,
                            &names[i],
                            ResponseProblemKind::GroupMismatch {
                                value: value.to_string(),
                                expected: q.group.clone(),
                            },
                        ));
                    }
                }
                Column::Respondent => {
                    respondent = clean(cell);
                    if !respondent.is_empty() {
                        match seen_tokens.get(&respondent) {
                            Some(&first_row) => problems.push(ResponseProblem::at(
                                row,
                                &names[i],
                                ResponseProblemKind::DuplicateRespondent {
                                    token: respondent.clone(),
                                    first_row,
                                },
                            )),
                            None => {
                                seen_tokens.insert(respondent.clone(), row);
                            }
                        }
                    }
                }
                Column::Question(j) => match readers[j].read(cell) {
                    Ok(a) => answers[j] = a,
                    Err(kind) => problems.push(ResponseProblem::at(row, &names[i], kind)),
                },
            }
        }
        if unit.is_empty() {
            problems.push(ResponseProblem::at(
                row,
                unit_column,
                ResponseProblemKind::MissingUnit,
            ));
        } else if let Some(known) = &known_units
            && !known.contains(&unit)
        {
            problems.push(ResponseProblem::at(
                row,
                unit_column,
                ResponseProblemKind::UnknownUnit(unit.clone()),
            ));
        }
        // Problems are listed in column order within a row; the unit's goes first.
        if problems.len() > before {
            let unit_first = |p: &ResponseProblem| {
                !matches!(
                    p.kind,
                    ResponseProblemKind::MissingUnit | ResponseProblemKind::UnknownUnit(_)
                )
            };
            problems[before..].sort_by_key(unit_first);
            continue;
        }
        responses.push(Response {
            row,
            unit,
            respondent,
            answers,
        });
    }
    Ok(Parsed {
        group: q.group.clone(),
        responses,
        problems,
        rows,
    })
}

/// Reads one form given as (question code, text) pairs, as a web page or a stored response
/// holds it, with the same rules as a file: the answers in question order, or every problem
/// as (question code, what is wrong). Codes that are not questions are problems too.
pub fn read_answers<'a>(
    q: &Questionnaire,
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Answer>, Vec<(String, ResponseProblemKind)>> {
    let questions: Vec<&Question> = q.questions().collect();
    let mut cells: Vec<&str> = vec![""; questions.len()];
    let mut problems = Vec::new();
    for (code, text) in values {
        match questions.iter().position(|x| x.code == code) {
            Some(i) => cells[i] = text,
            None => problems.push((code.to_string(), ResponseProblemKind::UnknownColumn)),
        }
    }
    let mut answers = Vec::with_capacity(questions.len());
    for (question, cell) in questions.iter().zip(cells) {
        match Reader::new(question).read(cell) {
            Ok(a) => answers.push(a),
            Err(kind) => problems.push((question.code.clone(), kind)),
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// A form's answers as (question code, text) pairs, blanks left out: what [`read_answers`]
/// reads back.
pub fn answer_pairs(q: &Questionnaire, answers: &[Answer]) -> Vec<(String, String)> {
    q.questions()
        .zip(answers)
        .filter(|(_, a)| **a != Answer::Blank)
        .map(|(x, a)| (x.code.clone(), a.text(x)))
        .collect()
}

/// The header of a responses file for `q`.
pub fn header(q: &Questionnaire) -> Vec<String> {
    RESERVED_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(q.questions().map(|x| x.code.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::yaml::from_yaml;

    fn q() -> Questionnaire {
        from_yaml(
            r#"
code: lanh-dao-so
title: Phiếu
group: lanh_dao_so
sections:
  - title: Chung
    questions:
      - code: C1
        text: Đánh giá?
        kind: choice
        required: true
        options:
          - { code: A, label: Rất tốt, weight: 100 }
          - { code: B, label: Tốt, weight: 60 }
          - { code: C, label: Chưa tốt, weight: 20 }
          - { code: D, label: Kém, weight: 0 }
      - { code: C2, text: Có?, kind: yes_no }
      - { code: C3, text: Mức?, kind: likert, scale: 5, labels: [Rất kém, Kém, Trung bình, Tốt, Rất tốt] }
      - { code: C4, text: Số năm?, kind: number, min: 0, max: 40 }
      - { code: C5, text: Ý kiến?, kind: text }
"#,
        )
        .unwrap()
    }

    fn messages(p: &Parsed) -> Vec<String> {
        p.problems.iter().map(|x| x.message(Lang::Vi)).collect()
    }

    #[test]
    fn a_tools_form_id_names_forms_when_the_file_has_no_respondent_column() {
        let kobo = "unit,C1,_id,_uuid\nDV001,A,17,8f2c\nDV001,B,18,9a1d\n";
        let parsed = parse_responses(&q(), kobo).unwrap();
        let ids: Vec<&str> = parsed
            .responses
            .iter()
            .map(|r| r.respondent.as_str())
            .collect();
        assert_eq!(ids, ["8f2c", "9a1d"], "Kobo's _uuid before its _id");
        let lime = "id,token,unit,C1\n1,,DV001,A\n2,,DV001,C\n";
        let parsed = parse_responses(&q(), lime).unwrap();
        assert_eq!(
            parsed.responses[1].respondent, "2",
            "LimeSurvey's response id"
        );
        let own = "unit,respondent,C1,id\nDV001,p-1,A,5\n";
        assert_eq!(
            parse_responses(&q(), own).unwrap().responses[0].respondent,
            "p-1"
        );
    }

    #[test]
    fn a_file_with_bad_rows_names_each_row_and_column() {
        let text = "unit,group,respondent,C1,C2,C3,C4,C5,C99,submitdate,_uuid\n\
                    DV001,lanh_dao_so,t1,A,có,5,3,Tốt,x,2025-01-01,u1\n\
                    DV001,lanh_dao_so,t2,E,không,4,2,,x,,\n\
                    DV001,lanh_dao_so,t3,B,,3,55,,,,\n\
                    ,lanh_dao_so,t4,C,có,2,1,,,,\n\
                    DV002,lanh_dao_so,t1,D,có,1,0,,,,\n\
                    \n\
                    DV002,nguoi_dan,t6,,có,6,,,,,\n\
                    dv002,\"Lãnh đạo sở, ban, ngành\",t7,rất tốt,X,tốt,\"2,5\",,,,\n";
        let p = parse_responses(&q(), text).unwrap();
        assert_eq!(
            messages(&p),
            vec![
                "Dòng 1, cột C99: cột này không phải mã câu hỏi nào của phiếu; sửa tên cột cho đúng mã câu hỏi, hoặc xóa cột.",
                "Dòng 3, cột C1: phương án \"E\" không có trong câu hỏi; dùng A, B, C, D (hoặc nội dung phương án).",
                "Dòng 4, cột C4: 55 nằm ngoài giới hạn (0 đến 40).",
                "Dòng 5, cột unit: thiếu mã đơn vị.",
                "Dòng 6, cột respondent: mã phiếu \"t1\" đã có ở dòng 2; phiếu bị nhập hai lần?",
                "Dòng 8, cột group: nhóm đối tượng \"nguoi_dan\" khác nhóm của phiếu (\"lanh_dao_so\"); mỗi tệp chỉ chứa kết quả của một phiếu.",
                "Dòng 8, cột C1: câu hỏi bắt buộc nhưng để trống.",
                "Dòng 8, cột C3: \"6\" không thuộc thang điểm; ghi một số từ 1 đến 5.",
            ]
        );
        assert_eq!(
            p.problems[2].message(Lang::En),
            "Row 4, column C4: 55 is out of range (0 to 40)."
        );
        // Row 9 gives the group by its name, a unit in lower case and answers by label.
        assert_eq!(p.rows, 7);
        let accepted: Vec<u64> = p.responses.iter().map(|r| r.row).collect();
        assert_eq!(accepted, vec![2, 9]);
        assert_eq!(p.refused_rows(), 5);
        assert_eq!(p.responses[1].unit, "DV002");
        assert_eq!(
            p.responses[1].answers[..4],
            [
                Answer::Choice(0),
                Answer::Yes(true),
                Answer::Scale(4),
                Answer::Number(2.5)
            ]
        );
        let first = &p.responses[0];
        assert_eq!(first.unit, "DV001");
        assert_eq!(
            first.answers,
            vec![
                Answer::Choice(0),
                Answer::Yes(true),
                Answer::Scale(5),
                Answer::Number(3.0),
                Answer::Text("Tốt".into())
            ]
        );
    }

    #[test]
    fn excel_files_with_a_bom_semicolons_labels_and_decimal_commas_are_read() {
        let text = "\u{feff}Mã đơn vị;Đối tượng;Mã phiếu;C1;C2;C3;C4;id\r\n\
                    dv001;Lãnh đạo sở, ban, ngành;p1;rất tốt;Không;trung binh;2,5;17\r\n\
                    DV001;;p2;b;x;4;;18\r\n";
        let p = parse_responses(&q(), text).unwrap();
        assert_eq!(messages(&p), Vec::<String>::new());
        assert_eq!(p.responses.len(), 2);
        assert_eq!(p.responses[0].unit, "DV001");
        assert_eq!(
            p.responses[0].answers[..4],
            [
                Answer::Choice(0),
                Answer::Yes(false),
                Answer::Scale(3),
                Answer::Number(2.5)
            ]
        );
        assert_eq!(p.responses[1].answers[0], Answer::Choice(1));
        assert_eq!(p.responses[1].answers[3], Answer::Blank);
        assert_eq!(p.responses[1].row, 3);
    }

    #[test]
    fn files_that_are_not_responses_are_refused_whole() {
        let e = parse_responses(&q(), "").unwrap_err();
        assert_eq!(e[0].message(Lang::Vi), "Dòng 1: tệp không có dòng tiêu đề.");
        let e = parse_responses(&q(), "code,name\nX,Y\n").unwrap_err();
        let m: Vec<String> = e.iter().map(|p| p.message(Lang::En)).collect();
        assert_eq!(
            m,
            vec![
                "Row 1: the required column \"unit\" is missing from the header.",
                "Row 1: no column of the header is a question code of this questionnaire; is it the right file?",
            ]
        );
        // A required question without its column is reported once, on the header.
        let p = parse_responses(&q(), "unit,C2\nDV001,có\n").unwrap();
        assert_eq!(
            messages(&p),
            vec!["Dòng 1: thiếu cột bắt buộc \"C1\" ở dòng tiêu đề."]
        );
        assert_eq!(p.responses.len(), 1);
    }

    #[test]
    fn units_outside_the_survey_are_refused_when_the_list_is_given() {
        let options = ParseOptions {
            units: Some(vec!["DV001".into()]),
            ignore_columns: vec!["Ghi chú".into()],
        };
        let p = parse_responses_with(&q(), "unit,C1,ghi chu\nDV001,A,x\nDV009,B,y\n", &options)
            .unwrap();
        assert_eq!(
            messages(&p),
            vec!["Dòng 3, cột unit: đơn vị \"DV009\" không thuộc cuộc khảo sát."]
        );
    }

    #[test]
    fn answers_write_back_as_the_file_has_them() {
        let q = q();
        let qs: Vec<&Question> = q.questions().collect();
        assert_eq!(Answer::Choice(2).text(qs[0]), "C");
        assert_eq!(Answer::Yes(true).text(qs[1]), "có");
        assert_eq!(Answer::Scale(4).text(qs[2]), "4");
        assert_eq!(Answer::Number(2.5).text(qs[3]), "2.5");
        assert_eq!(header(&q).join(","), "unit,group,respondent,C1,C2,C3,C4,C5");
    }

    #[test]
    fn a_form_from_a_page_is_read_with_the_same_rules() {
        let q = q();
        let answers = read_answers(&q, [("C1", "B"), ("C2", "không"), ("C4", "12")]).unwrap();
        assert_eq!(
            answers,
            vec![
                Answer::Choice(1),
                Answer::Yes(false),
                Answer::Blank,
                Answer::Number(12.0),
                Answer::Blank
            ]
        );
        let pairs = answer_pairs(&q, &answers);
        let back = read_answers(&q, pairs.iter().map(|(c, t)| (c.as_str(), t.as_str())));
        assert_eq!(back, Ok(answers));
        let e = read_answers(&q, [("C2", "có"), ("C9", "x")]).unwrap_err();
        assert_eq!(
            e,
            vec![
                ("C9".to_string(), ResponseProblemKind::UnknownColumn),
                ("C1".to_string(), ResponseProblemKind::RequiredBlank)
            ]
        );
    }
}
