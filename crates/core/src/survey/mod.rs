//! Sociological surveys (điều tra xã hội học): questionnaires, their answers imported from CSV,
//! satisfaction per unit, respondent group and question with its uncertainty, the measures
//! (sub-criteria and SIPAS elements) they feed, and the survey points of a framework's leaves.
//!
//! Pure, like the rest of the crate: text in, data out; the store keeps questionnaires and
//! responses, the web and the CLI show them.
//!
//! How answers become numbers (each detailed in its module):
//! - every scored answer has a weight in percent: a choice option's `weight`, a Likert answer
//!   k of `scale` is (k − 1) ÷ (scale − 1), yes is `yes_weight` (100 unless set) and no its
//!   complement; numbers and free text are kept but never scored ([`questionnaire`]);
//! - a question's satisfaction is the mean weight of its non-blank answers, with a 95 %
//!   interval ([`interval`]); a measure is the mean over the questions measuring it within a
//!   group, then the weighted mean over the groups that answered ([`aggregate`]);
//! - SIPAS is reported per element and overall ([`sipas`]); survey points are the leaf's
//!   maximum × the published ratio ([`points`]).

pub mod aggregate;
pub mod contacts;
pub mod interval;
pub mod points;
pub mod questionnaire;
pub mod quotas;
pub mod report;
pub mod responses;
pub mod simulate;
pub mod sipas;
pub mod validate;
pub mod yaml;

#[cfg(test)]
mod props;

pub use aggregate::{
    Aggregation, GroupCount, GroupPart, GroupWeights, MeasureStat, QuestionStat, Survey, aggregate,
};
pub use interval::Interval;
pub use points::{MissingLeaf, PointRow, SurveyPoints, survey_points};
pub use questionnaire::{ChoiceOption, Question, QuestionKind, Questionnaire, Section};
pub use quotas::{Quota, QuotaProgress, quota_progress};
pub use report::{QuestionnaireSummary, Report};
pub use responses::{
    Answer, ParseOptions, Parsed, Response, ResponseProblem, ResponseProblemKind, parse_responses,
    parse_responses_with,
};
pub use simulate::simulate;
pub use sipas::{SipasElement, SipasStat, sipas};
pub use validate::{QuestionnaireProblem, validate};
pub use yaml::{from_yaml, to_yaml};
