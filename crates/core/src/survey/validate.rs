//! Questionnaire validation: every problem at once, each naming the question (or section) it
//! is on.

use super::questionnaire::{LIKERT_SCALES, Question, QuestionKind, Questionnaire};
use super::responses::RESERVED_COLUMNS;
use super::sipas::SIPAS_PREFIX;
use crate::lang::Lang;
use crate::text::fold;
use std::collections::HashMap;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Questionnaire,
    /// 1-based position of the section.
    Section(usize),
    /// The question's code, or `#n` (its 1-based position) when the code is empty.
    Question(String),
}

/// Something wrong with a questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionnaireProblem {
    pub place: Place,
    pub kind: ProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    CodeEmpty,
    TitleEmpty,
    VersionZero,
    /// The group code is empty or not lowercase letters, digits and `_`.
    GroupInvalid(String),
    NoQuestions,
    SectionTitleEmpty,
    SectionEmpty,
    QuestionCodeEmpty,
    /// The code cannot be a CSV column header (spaces, separators, quotes).
    QuestionCodeInvalid,
    /// The code is one of the responses file's own columns.
    QuestionCodeReserved,
    /// The same code (case and diacritics aside) is used by an earlier question.
    DuplicateCode,
    TextEmpty,
    OptionsMissing,
    OneOption,
    OptionCodeEmpty,
    OptionLabelEmpty(String),
    /// Two options share a code or a label (case and diacritics aside).
    DuplicateOption(String),
    WeightOutOfRange {
        option: String,
        weight: f64,
    },
    /// A key that does not apply to the question's kind.
    KeyNotForKind {
        key: &'static str,
        kind: QuestionKind,
    },
    ScaleMissing,
    ScaleOutOfRange(u32),
    LabelsCount {
        scale: u32,
        labels: usize,
    },
    YesWeightOutOfRange(f64),
    LimitNotFinite,
    MinAboveMax {
        min: f64,
        max: f64,
    },
    MeasureEmpty,
    SipasElementUnknown(String),
    /// Numbers and free text are not scored, so they cannot measure anything.
    MeasureNotScored,
}

impl QuestionnaireProblem {
    /// "Q3: …" — where, then what.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let place = match (&self.place, vi) {
            (Place::Questionnaire, _) => String::new(),
            (Place::Section(n), true) => format!("Phần {n}: "),
            (Place::Section(n), false) => format!("Section {n}: "),
            (Place::Question(c), _) => format!("{c}: "),
        };
        let pick = |v: String, e: String| if vi { v } else { e };
        use ProblemKind::*;
        let what = match &self.kind {
            CodeEmpty => pick("thiếu mã phiếu".into(), "the code is empty".into()),
            TitleEmpty => pick("thiếu tên phiếu".into(), "the title is empty".into()),
            VersionZero => pick(
                "phiên bản phải từ 1 trở lên".into(),
                "the version must be 1 or more".into(),
            ),
            GroupInvalid(g) => pick(
                format!(
                    "mã nhóm đối tượng \"{g}\" không hợp lệ; viết chữ thường không dấu, số và \"_\", ví dụ lanh_dao_so"
                ),
                format!(
                    "group code \"{g}\" is not valid; use lowercase letters, digits and \"_\", e.g. lanh_dao_so"
                ),
            ),
            NoQuestions => pick(
                "phiếu không có câu hỏi nào".into(),
                "the questionnaire has no questions".into(),
            ),
            SectionTitleEmpty => pick("thiếu tên phần".into(), "the title is empty".into()),
            SectionEmpty => pick(
                "phần không có câu hỏi nào".into(),
                "the section has no questions".into(),
            ),
            QuestionCodeEmpty => pick("thiếu mã câu hỏi".into(), "the code is empty".into()),
            QuestionCodeInvalid => pick(
                "mã câu hỏi là tên cột của tệp kết quả nên không được có dấu cách, dấu phẩy, chấm phẩy hay ngoặc kép".into(),
                "the code is a column header of the responses file: no spaces, commas, semicolons or quotes".into(),
            ),
            QuestionCodeReserved => pick(
                format!(
                    "mã câu hỏi trùng tên cột có sẵn của tệp kết quả ({})",
                    RESERVED_COLUMNS.join(", ")
                ),
                format!(
                    "the code is one of the responses file's own columns ({})",
                    RESERVED_COLUMNS.join(", ")
                ),
            ),
            DuplicateCode => pick(
                "mã bị trùng với một câu hỏi khác".into(),
                "the code is used by another question".into(),
            ),
            TextEmpty => pick("thiếu nội dung câu hỏi".into(), "the text is empty".into()),
            OptionsMissing => pick(
                "câu hỏi chọn phương án nhưng không có phương án nào".into(),
                "a choice question without options".into(),
            ),
            OneOption => pick(
                "câu hỏi chọn phương án cần ít nhất 2 phương án".into(),
                "a choice question needs at least 2 options".into(),
            ),
            OptionCodeEmpty => pick(
                "một phương án thiếu mã".into(),
                "an option has no code".into(),
            ),
            OptionLabelEmpty(o) => pick(
                format!("phương án {o} thiếu nội dung"),
                format!("option {o} has no label"),
            ),
            DuplicateOption(o) => pick(
                format!("phương án \"{o}\" bị trùng (mã hoặc nội dung)"),
                format!("option \"{o}\" is repeated (code or label)"),
            ),
            WeightOutOfRange { option, weight } => pick(
                format!("trọng số của phương án {option} là {weight}, phải từ 0 đến 100 (%)"),
                format!("option {option} weighs {weight}; weights are 0 to 100 (%)"),
            ),
            KeyNotForKind { key, kind } => pick(
                format!(
                    "mục \"{key}\" không dùng cho câu hỏi loại \"{}\"",
                    kind.label(Lang::Vi)
                ),
                format!(
                    "\"{key}\" does not apply to a \"{}\" question",
                    kind.label(Lang::En)
                ),
            ),
            ScaleMissing => pick(
                format!(
                    "câu hỏi thang điểm cần \"scale\" (từ {} đến {})",
                    LIKERT_SCALES.start(),
                    LIKERT_SCALES.end()
                ),
                format!(
                    "a Likert question needs \"scale\" ({} to {})",
                    LIKERT_SCALES.start(),
                    LIKERT_SCALES.end()
                ),
            ),
            ScaleOutOfRange(s) => pick(
                format!(
                    "thang {s} điểm không hợp lệ; dùng từ {} đến {}",
                    LIKERT_SCALES.start(),
                    LIKERT_SCALES.end()
                ),
                format!(
                    "a {s}-point scale is not allowed; use {} to {}",
                    LIKERT_SCALES.start(),
                    LIKERT_SCALES.end()
                ),
            ),
            LabelsCount { scale, labels } => pick(
                format!("thang {scale} điểm nhưng có {labels} nhãn"),
                format!("a {scale}-point scale with {labels} labels"),
            ),
            YesWeightOutOfRange(w) => pick(
                format!("trọng số của \"Có\" là {w}, phải từ 0 đến 100 (%)"),
                format!("\"yes\" weighs {w}; weights are 0 to 100 (%)"),
            ),
            LimitNotFinite => pick(
                "giới hạn min/max không phải là số".into(),
                "min/max is not a number".into(),
            ),
            MinAboveMax { min, max } => pick(
                format!("giá trị nhỏ nhất {min} lớn hơn giá trị lớn nhất {max}"),
                format!("min {min} is above max {max}"),
            ),
            MeasureEmpty => pick(
                "mục \"measures\" để trống; bỏ mục này nếu câu hỏi không đo tiêu chí nào".into(),
                "\"measures\" is empty; leave it out if the question measures nothing".into(),
            ),
            SipasElementUnknown(m) => pick(
                format!("\"{m}\" không phải yếu tố SIPAS; dùng SIPAS.1 đến SIPAS.5"),
                format!("\"{m}\" is not a SIPAS element; use SIPAS.1 to SIPAS.5"),
            ),
            MeasureNotScored => pick(
                "câu hỏi số hoặc văn bản không được tính điểm nên không đo được tiêu chí".into(),
                "number and text questions are not scored, so they cannot measure anything".into(),
            ),
        };
        format!("{place}{what}")
    }
}

/// Every problem of a questionnaire; empty when it can be used.
pub fn validate(q: &Questionnaire) -> Vec<QuestionnaireProblem> {
    let mut out = Vec::new();
    let mut whole = |kind| {
        out.push(QuestionnaireProblem {
            place: Place::Questionnaire,
            kind,
        })
    };
    if q.code.trim().is_empty() {
        whole(ProblemKind::CodeEmpty);
    }
    if q.title.trim().is_empty() {
        whole(ProblemKind::TitleEmpty);
    }
    if q.version == 0 {
        whole(ProblemKind::VersionZero);
    }
    let group_ok = !q.group.is_empty()
        && q.group
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !group_ok {
        whole(ProblemKind::GroupInvalid(q.group.clone()));
    }
    if q.questions().next().is_none() {
        whole(ProblemKind::NoQuestions);
    }
    for (i, s) in q.sections.iter().enumerate() {
        let mut section = |kind| {
            out.push(QuestionnaireProblem {
                place: Place::Section(i + 1),
                kind,
            })
        };
        if s.title.trim().is_empty() {
            section(ProblemKind::SectionTitleEmpty);
        }
        if s.questions.is_empty() {
            section(ProblemKind::SectionEmpty);
        }
    }
    let mut seen: HashMap<String, ()> = HashMap::new();
    for (i, question) in q.questions().enumerate() {
        let place = if question.code.trim().is_empty() {
            Place::Question(format!("#{}", i + 1))
        } else {
            Place::Question(question.code.clone())
        };
        let mut push = |kind| {
            out.push(QuestionnaireProblem {
                place: place.clone(),
                kind,
            })
        };
        let folded = fold(&question.code);
        if question.code.trim().is_empty() {
            push(ProblemKind::QuestionCodeEmpty);
        } else if question
            .code
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
        {
            push(ProblemKind::QuestionCodeInvalid);
        } else if RESERVED_COLUMNS.contains(&folded.as_str()) {
            push(ProblemKind::QuestionCodeReserved);
        } else if seen.insert(folded, ()).is_some() {
            push(ProblemKind::DuplicateCode);
        }
        if question.text.trim().is_empty() {
            push(ProblemKind::TextEmpty);
        }
        check_kind(question, &mut push);
        check_measure(question, &mut push);
    }
    out
}

fn check_kind(question: &Question, push: &mut impl FnMut(ProblemKind)) {
    let kind = question.kind;
    let not_for = |key| ProblemKind::KeyNotForKind { key, kind };
    if kind != QuestionKind::Choice && !question.options.is_empty() {
        push(not_for("options"));
    }
    if kind != QuestionKind::Likert {
        if question.scale.is_some() {
            push(not_for("scale"));
        }
        if !question.labels.is_empty() {
            push(not_for("labels"));
        }
    }
    if kind != QuestionKind::YesNo && question.yes_weight.is_some() {
        push(not_for("yes_weight"));
    }
    if kind != QuestionKind::Number {
        if question.min.is_some() {
            push(not_for("min"));
        }
        if question.max.is_some() {
            push(not_for("max"));
        }
    }
    match kind {
        QuestionKind::Choice => {
            match question.options.len() {
                0 => push(ProblemKind::OptionsMissing),
                1 => push(ProblemKind::OneOption),
                _ => {}
            }
            let mut keys: Vec<String> = Vec::new();
            for o in &question.options {
                if o.code.trim().is_empty() {
                    push(ProblemKind::OptionCodeEmpty);
                } else if o.label.trim().is_empty() {
                    push(ProblemKind::OptionLabelEmpty(o.code.clone()));
                }
                // An option may be labelled by its own code; two options may not share either.
                let mut own: Vec<(String, &String)> = Vec::new();
                for key in [&o.code, &o.label] {
                    let f = fold(key);
                    if f.is_empty() || own.iter().any(|(k, _)| *k == f) {
                        continue;
                    }
                    if keys.contains(&f) {
                        push(ProblemKind::DuplicateOption(key.clone()));
                    }
                    own.push((f, key));
                }
                keys.extend(own.into_iter().map(|(k, _)| k));
                if !(0.0..=100.0).contains(&o.weight) {
                    push(ProblemKind::WeightOutOfRange {
                        option: o.code.clone(),
                        weight: o.weight,
                    });
                }
            }
        }
        QuestionKind::Likert => match question.scale {
            None => push(ProblemKind::ScaleMissing),
            Some(s) if !LIKERT_SCALES.contains(&s) => push(ProblemKind::ScaleOutOfRange(s)),
            Some(s) if !question.labels.is_empty() && question.labels.len() != s as usize => {
                push(ProblemKind::LabelsCount {
                    scale: s,
                    labels: question.labels.len(),
                })
            }
            Some(_) => {}
        },
        QuestionKind::YesNo => {
            if let Some(w) = question.yes_weight
                && !(0.0..=100.0).contains(&w)
            {
                push(ProblemKind::YesWeightOutOfRange(w));
            }
        }
        QuestionKind::Number => {
            let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
            if !finite(question.min) || !finite(question.max) {
                push(ProblemKind::LimitNotFinite);
            } else if let (Some(min), Some(max)) = (question.min, question.max)
                && min > max
            {
                push(ProblemKind::MinAboveMax { min, max });
            }
        }
        QuestionKind::Text => {}
    }
}

fn check_measure(question: &Question, push: &mut impl FnMut(ProblemKind)) {
    let Some(m) = &question.measures else {
        return;
    };
    if m.trim().is_empty() {
        push(ProblemKind::MeasureEmpty);
        return;
    }
    if !question.kind.is_scored() {
        push(ProblemKind::MeasureNotScored);
    }
    let upper = m.trim().to_ascii_uppercase();
    if let Some(element) = upper.strip_prefix(SIPAS_PREFIX)
        && !matches!(element, "1" | "2" | "3" | "4" | "5")
    {
        push(ProblemKind::SipasElementUnknown(m.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::yaml::from_yaml;

    fn messages(yaml: &str) -> Vec<String> {
        let q = from_yaml(yaml).unwrap_or_else(|e| panic!("{}", e.message(Lang::En)));
        validate(&q).iter().map(|p| p.message(Lang::Vi)).collect()
    }

    #[test]
    fn every_problem_names_its_question() {
        let got = messages(
            r#"
code: x
version: 0
title: ""
group: Lãnh đạo
sections:
  - title: Chung
    questions:
      - { code: Q1, text: A?, kind: choice }
      - code: Q2
        text: B?
        kind: choice
        options:
          - { code: A, label: Tốt, weight: 100 }
          - { code: a, label: Khá, weight: 120 }
      - { code: q1, text: C?, kind: likert, scale: 12 }
      - { code: unit, text: D?, kind: yes_no, yes_weight: -5 }
      - { code: "Q 5", text: "", kind: number, min: 10, max: 1, measures: "2.1" }
      - { code: Q6, text: F?, kind: likert, scale: 5, labels: [a, b], measures: SIPAS.7 }
      - { code: Q7, text: G?, kind: text, options: [{ code: A, label: x, weight: 1 }] }
  - title: Trống
    questions: []
"#,
        );
        assert_eq!(
            got,
            vec![
                "thiếu tên phiếu",
                "phiên bản phải từ 1 trở lên",
                "mã nhóm đối tượng \"Lãnh đạo\" không hợp lệ; viết chữ thường không dấu, số và \"_\", ví dụ lanh_dao_so",
                "Phần 2: phần không có câu hỏi nào",
                "Q1: câu hỏi chọn phương án nhưng không có phương án nào",
                "Q2: phương án \"a\" bị trùng (mã hoặc nội dung)",
                "Q2: trọng số của phương án a là 120, phải từ 0 đến 100 (%)",
                "q1: mã bị trùng với một câu hỏi khác",
                "q1: thang 12 điểm không hợp lệ; dùng từ 3 đến 10",
                "unit: mã câu hỏi trùng tên cột có sẵn của tệp kết quả (unit, group, respondent)",
                "unit: trọng số của \"Có\" là -5, phải từ 0 đến 100 (%)",
                "Q 5: mã câu hỏi là tên cột của tệp kết quả nên không được có dấu cách, dấu phẩy, chấm phẩy hay ngoặc kép",
                "Q 5: thiếu nội dung câu hỏi",
                "Q 5: giá trị nhỏ nhất 10 lớn hơn giá trị lớn nhất 1",
                "Q 5: câu hỏi số hoặc văn bản không được tính điểm nên không đo được tiêu chí",
                "Q6: thang 5 điểm nhưng có 2 nhãn",
                "Q6: \"SIPAS.7\" không phải yếu tố SIPAS; dùng SIPAS.1 đến SIPAS.5",
                "Q7: mục \"options\" không dùng cho câu hỏi loại \"Ý kiến (văn bản)\"",
            ]
        );
    }

    #[test]
    fn english_messages_too() {
        let q = from_yaml(
            "code: x\ntitle: t\ngroup: g\nsections:\n  - title: s\n    questions:\n      - { code: Q1, text: t, kind: likert }\n",
        )
        .unwrap();
        let got: Vec<String> = validate(&q).iter().map(|p| p.message(Lang::En)).collect();
        assert_eq!(got, vec!["Q1: a Likert question needs \"scale\" (3 to 10)"]);
    }
}
