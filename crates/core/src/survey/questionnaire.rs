//! A questionnaire (phiếu khảo sát) as data. Its serde form is the YAML of
//! `examples/surveys/`; unknown keys are refused, never skipped.
//!
//! One questionnaire is answered by one respondent group (department leaders, citizens, …);
//! a survey with several groups has one questionnaire per group.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Respondent groups of the PAR index surveys: code and Vietnamese name.
pub const KNOWN_GROUPS: [(&str, &str); 6] = [
    ("dai_bieu_hdnd", "Đại biểu Hội đồng nhân dân tỉnh"),
    ("lanh_dao_so", "Lãnh đạo sở, ban, ngành"),
    ("lanh_dao_phong", "Lãnh đạo cấp phòng"),
    ("lanh_dao_xa", "Lãnh đạo Ủy ban nhân dân cấp xã"),
    ("nguoi_dan", "Người dân"),
    ("doanh_nghiep", "Doanh nghiệp, tổ chức"),
];

/// Lowest and highest Likert scale.
pub const LIKERT_SCALES: std::ops::RangeInclusive<u32> = 3..=10;

/// A questionnaire for one respondent group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Stable identifier across versions, e.g. `lanh-dao-so-2025`.
    pub code: String,
    /// Raised whenever questions change; [`Questionnaire::fingerprint`] tells versions apart.
    #[serde(default = "first_version")]
    pub version: u32,
    pub title: String,
    /// The respondent group's code, e.g. `lanh_dao_so` (see [`KNOWN_GROUPS`]).
    pub group: String,
    /// The group's name when it is not one of [`KNOWN_GROUPS`] (or to word it differently).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub sections: Vec<Section>,
}

fn first_version() -> u32 {
    1
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A titled part of the questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    pub questions: Vec<Question>,
}

/// The kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of listed options, each weighted in percent (A = 100, B = 60, C = 20, D = 0).
    Choice,
    /// 1 to `scale`; answer k weighs (k − 1) ÷ (scale − 1).
    Likert,
    /// Yes weighs `yes_weight` (100 unless set), no weighs 100 − `yes_weight`.
    YesNo,
    /// A number, optionally between `min` and `max`; kept, not scored.
    Number,
    /// Free text; kept, not scored.
    Text,
}

impl QuestionKind {
    /// All kinds, in the order forms list them.
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::Choice,
        QuestionKind::Likert,
        QuestionKind::YesNo,
        QuestionKind::Number,
        QuestionKind::Text,
    ];

    /// The code in questionnaire files.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Choice => "choice",
            QuestionKind::Likert => "likert",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Number => "number",
            QuestionKind::Text => "text",
        }
    }

    /// The interface label.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        let (vi, en) = match self {
            QuestionKind::Choice => ("Chọn phương án", "Choice"),
            QuestionKind::Likert => ("Thang điểm", "Likert scale"),
            QuestionKind::YesNo => ("Có / Không", "Yes / no"),
            QuestionKind::Number => ("Số", "Number"),
            QuestionKind::Text => ("Ý kiến (văn bản)", "Free text"),
        };
        match lang {
            crate::lang::Lang::Vi => vi,
            crate::lang::Lang::En => en,
        }
    }

    /// The kind from its code or either label, without regard to case or diacritics.
    pub fn parse_loose(text: &str) -> Option<QuestionKind> {
        let folded = crate::text::fold(text);
        QuestionKind::ALL.into_iter().find(|k| {
            folded == k.code()
                || folded == crate::text::fold(k.label(crate::lang::Lang::Vi))
                || folded == crate::text::fold(k.label(crate::lang::Lang::En))
        })
    }

    /// Whether answers of this kind count toward satisfaction.
    pub fn is_scored(self) -> bool {
        matches!(
            self,
            QuestionKind::Choice | QuestionKind::Likert | QuestionKind::YesNo
        )
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What the form prints and the CSV may hold: `A`, `B`, …
    pub code: String,
    /// The option's wording, also accepted in the CSV (case and diacritics aside).
    pub label: String,
    /// Percent, 0 to 100.
    pub weight: f64,
}

/// A question. Which of the optional keys apply depends on `kind`; validation says when one
/// is missing or out of place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique in the questionnaire; the column header in the responses file.
    pub code: String,
    pub text: String,
    pub kind: QuestionKind,
    /// Choice: the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Likert: the number of points (3 to 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// Likert: optional wording of each point, from 1 up; also accepted in the CSV.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Yes/no: the weight of "yes" in percent (100 unless set; 0 for a question where yes is
    /// bad news, such as "Ông/bà có bị gây phiền hà không?").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_weight: Option<f64>,
    /// Number: the lowest accepted answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Number: the highest accepted answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// What the question measures: a sub-criterion code (`2.5.1`), a SIPAS element
    /// (`SIPAS.1` … `SIPAS.5`) or the `measure` text of a framework's survey rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<String>,
    /// A blank answer makes the response invalid.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

impl Question {
    /// The weights in percent of the answer levels, in order (options; Likert 1 up; no, yes),
    /// or nothing for questions that are not scored.
    pub fn levels(&self) -> Vec<f64> {
        match self.kind {
            QuestionKind::Choice => self.options.iter().map(|o| o.weight).collect(),
            QuestionKind::Likert => {
                let scale = self.scale.unwrap_or(0);
                if scale < 2 {
                    return Vec::new();
                }
                let top = f64::from(scale - 1);
                (0..scale).map(|k| f64::from(k) / top * 100.0).collect()
            }
            QuestionKind::YesNo => {
                let yes = self.yes_weight.unwrap_or(100.0);
                vec![100.0 - yes, yes]
            }
            QuestionKind::Number | QuestionKind::Text => Vec::new(),
        }
    }

    /// Whether every answer weighs 0 or 100, so that satisfaction is a proportion.
    pub fn is_binary(&self) -> bool {
        let levels = self.levels();
        !levels.is_empty() && levels.iter().all(|&w| w == 0.0 || w == 100.0)
    }
}

impl Questionnaire {
    /// Every question, in order (answers are kept in this order).
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The question with this code.
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions().find(|q| q.code == code)
    }

    /// The respondent group's name: `group_name`, the known name, or the code.
    pub fn group_label(&self) -> &str {
        if let Some(n) = &self.group_name {
            return n;
        }
        KNOWN_GROUPS
            .iter()
            .find(|(c, _)| *c == self.group)
            .map(|(_, n)| *n)
            .unwrap_or(&self.group)
    }

    /// SHA-256 of the questionnaire's canonical JSON (fields in declaration order, no spaces),
    /// in hex: two versions with the same fingerprint ask the same questions the same way.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&json);
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn likert(scale: u32) -> Question {
        Question {
            code: "Q".into(),
            text: "?".into(),
            kind: QuestionKind::Likert,
            options: vec![],
            scale: Some(scale),
            labels: vec![],
            yes_weight: None,
            min: None,
            max: None,
            measures: None,
            required: false,
        }
    }

    #[test]
    fn likert_levels_run_from_zero_to_a_hundred() {
        assert_eq!(likert(5).levels(), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert!(!likert(5).is_binary());
    }

    #[test]
    fn yes_no_weights_mirror() {
        let mut q = likert(5);
        q.kind = QuestionKind::YesNo;
        assert_eq!(q.levels(), vec![0.0, 100.0]);
        assert!(q.is_binary());
        q.yes_weight = Some(0.0);
        assert_eq!(q.levels(), vec![100.0, 0.0]);
    }

    #[test]
    fn kinds_parse_from_codes_and_labels() {
        assert_eq!(
            QuestionKind::parse_loose("yes_no"),
            Some(QuestionKind::YesNo)
        );
        assert_eq!(
            QuestionKind::parse_loose("co / khong"),
            Some(QuestionKind::YesNo)
        );
        assert_eq!(
            QuestionKind::parse_loose("Thang điểm"),
            Some(QuestionKind::Likert)
        );
        assert_eq!(QuestionKind::parse_loose("bogus"), None);
    }
}
