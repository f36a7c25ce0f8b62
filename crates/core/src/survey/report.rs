//! The survey results as one JSON document (`chiso survey aggregate --json`, and what an API
//! returns): percentages with 2 decimals, intervals as `[low, high]`.

use super::aggregate::{MeasureStat, QuestionStat};
use super::interval::Interval;
use super::points::SurveyPoints;
use super::quotas::QuotaProgress;
use super::sipas::SipasStat;
use crate::results::published;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Serialize, Serializer};

/// What was read for one questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnaireSummary {
    pub code: String,
    pub version: u32,
    pub group: String,
    pub fingerprint: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Forms accepted.
    pub accepted: usize,
}

/// Everything `aggregate` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub questionnaires: Vec<QuestionnaireSummary>,
    pub questions: &'a [QuestionStat],
    pub measures: &'a [MeasureStat],
    pub sipas: &'a [SipasStat],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<&'a SurveyPoints>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub quotas: &'a [QuotaProgress],
    pub unweighted_groups: &'a [String],
    /// Every problem of the files, as sentences.
    pub problems: Vec<String>,
}

impl Report<'_> {
    /// Indented JSON ending with a newline.
    pub fn to_json(&self) -> String {
        crate::plan_import::to_json(self)
    }
}

/// A value rounded as published (2 decimals, half away from zero).
pub fn rounded(value: f64) -> f64 {
    Decimal::from_f64(value)
        .map(published)
        .and_then(|d| d.to_f64())
        .unwrap_or(value)
}

pub(crate) fn percent<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(rounded(*value))
}

pub(crate) fn percent_opt<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_f64(rounded(*v)),
        None => s.serialize_none(),
    }
}

pub(crate) fn interval<S: Serializer>(value: &Option<Interval>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(i) => [rounded(i.low), rounded(i.high)].serialize(s),
        None => s.serialize_none(),
    }
}

pub(crate) fn share<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((value * 10_000.0).round() / 10_000.0)
}

pub(crate) fn decimal<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(value.to_f64().unwrap_or(0.0))
}
