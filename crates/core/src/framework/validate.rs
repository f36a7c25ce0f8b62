//! Framework validation: every problem at once, each naming the node it is on.

use super::model::{Framework, Node, Rule, UNIT_ATTRIBUTES};
use super::points::Points;
use crate::lang::Lang;
use std::collections::HashMap;

/// Something wrong with a framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The node's code, or empty for the framework itself.
    pub path: String,
    pub kind: ProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    CodeEmpty,
    NameEmpty,
    YearOutOfRange(i32),
    VersionZero,
    NoFields,
    TotalMismatch {
        declared: Points,
        sum: Points,
    },
    DuplicateCode,
    CodeNotUnderParent {
        parent: String,
    },
    MaxMissing,
    MaxNotPositive,
    TooPrecise(Points),
    ChildrenSumMismatch {
        max: Points,
        sum: Points,
    },
    LeafWithoutRule,
    RuleOnBranch,
    FieldIsLeaf,
    StepNotPositive,
    MaxNotMultipleOfStep {
        step: Points,
    },
    LevelsEmpty,
    LevelAboveMax {
        label: String,
        points: Points,
    },
    LevelNegative {
        label: String,
    },
    LevelsWithoutMax,
    DuplicateLevel(String),
    FigureNameEmpty,
    BandsEmpty,
    BandReversed {
        from: Points,
        to: Points,
    },
    BandsNotFromZero,
    BandsNotToHundred,
    BandsGap {
        from: Points,
        to: Points,
    },
    BandsOverlap {
        at: Points,
    },
    BandAboveMax {
        points: Points,
    },
    DeductionAmountNotPositive,
    DeductionHasMax,
    SurveyMaxMismatch {
        declared: Points,
        sum: Points,
    },
    SurveyMaxAboveMax,
    UnknownAttribute(String),
    LeadUnitOnNonField,
    /// Records fill a numerator and denominator: only bands and proportional leaves have them.
    RecordsWithoutFigures,
}

impl Problem {
    /// "2.1.3: …" — where, then what.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pts = |p: &Points| p.display(lang);
        use ProblemKind::*;
        let what = match &self.kind {
            CodeEmpty => {
                if vi {
                    "thiếu mã".into()
                } else {
                    "the code is empty".into()
                }
            }
            NameEmpty => {
                if vi {
                    "thiếu tên".into()
                } else {
                    "the name is empty".into()
                }
            }
            YearOutOfRange(y) => {
                if vi {
                    format!("năm {y} không hợp lệ (2000–2100)")
                } else {
                    format!("year {y} is out of range (2000–2100)")
                }
            }
            VersionZero => {
                if vi {
                    "phiên bản phải từ 1 trở lên".into()
                } else {
                    "the version must be 1 or more".into()
                }
            }
            NoFields => {
                if vi {
                    "bộ chỉ số không có lĩnh vực nào".into()
                } else {
                    "the framework has no fields".into()
                }
            }
            TotalMismatch { declared, sum } => {
                if vi {
                    format!(
                        "tổng điểm khai báo {} nhưng các lĩnh vực cộng lại {}",
                        pts(declared),
                        pts(sum)
                    )
                } else {
                    format!(
                        "the declared total is {} but the fields add up to {}",
                        pts(declared),
                        pts(sum)
                    )
                }
            }
            DuplicateCode => {
                if vi {
                    "mã bị trùng với một tiêu chí khác".into()
                } else {
                    "the code is used by another node".into()
                }
            }
            CodeNotUnderParent { parent } => {
                if vi {
                    format!("mã phải bắt đầu bằng mã của tiêu chí cha \"{parent}.\"")
                } else {
                    format!("the code must start with its parent's code \"{parent}.\"")
                }
            }
            MaxMissing => {
                if vi {
                    "thiếu điểm tối đa (max)".into()
                } else {
                    "the maximum (max) is missing".into()
                }
            }
            MaxNotPositive => {
                if vi {
                    "điểm tối đa phải lớn hơn 0".into()
                } else {
                    "the maximum must be above 0".into()
                }
            }
            TooPrecise(p) => {
                if vi {
                    format!("điểm {} có quá 4 chữ số thập phân", pts(p))
                } else {
                    format!("{} has more than 4 decimal places", pts(p))
                }
            }
            ChildrenSumMismatch { max, sum } => {
                if vi {
                    format!(
                        "điểm tối đa {} nhưng các tiêu chí con cộng lại {}",
                        pts(max),
                        pts(sum)
                    )
                } else {
                    format!(
                        "the maximum is {} but the children add up to {}",
                        pts(max),
                        pts(sum)
                    )
                }
            }
            LeafWithoutRule => {
                if vi {
                    "tiêu chí không có tiêu chí con thì phải có cách chấm (rule)".into()
                } else {
                    "a node without children needs a scoring rule".into()
                }
            }
            RuleOnBranch => {
                if vi {
                    "tiêu chí có tiêu chí con thì không có cách chấm riêng".into()
                } else {
                    "a node with children cannot have its own rule".into()
                }
            }
            FieldIsLeaf => {
                if vi {
                    "lĩnh vực phải có ít nhất một tiêu chí".into()
                } else {
                    "a field needs at least one criterion".into()
                }
            }
            StepNotPositive => {
                if vi {
                    "bước chấm phải lớn hơn 0".into()
                } else {
                    "the step must be above 0".into()
                }
            }
            MaxNotMultipleOfStep { step } => {
                if vi {
                    format!("điểm tối đa không chia hết cho bước chấm {}", pts(step))
                } else {
                    format!("the maximum is not a multiple of the step {}", pts(step))
                }
            }
            LevelsEmpty => {
                if vi {
                    "chưa khai báo mức nào".into()
                } else {
                    "no levels are given".into()
                }
            }
            LevelAboveMax { label, points } => {
                if vi {
                    format!("mức \"{label}\" cho {} điểm, vượt điểm tối đa", pts(points))
                } else {
                    format!(
                        "level \"{label}\" gives {} points, above the maximum",
                        pts(points)
                    )
                }
            }
            LevelNegative { label } => {
                if vi {
                    format!("mức \"{label}\" có điểm âm")
                } else {
                    format!("level \"{label}\" has negative points")
                }
            }
            LevelsWithoutMax => {
                if vi {
                    "không mức nào cho đủ điểm tối đa".into()
                } else {
                    "no level gives the full maximum".into()
                }
            }
            DuplicateLevel(l) => {
                if vi {
                    format!("mức \"{l}\" bị trùng")
                } else {
                    format!("level \"{l}\" appears twice")
                }
            }
            FigureNameEmpty => {
                if vi {
                    "thiếu tên tử số hoặc mẫu số".into()
                } else {
                    "the numerator or denominator has no name".into()
                }
            }
            BandsEmpty => {
                if vi {
                    "chưa khai báo khoảng tỷ lệ nào".into()
                } else {
                    "no bands are given".into()
                }
            }
            BandReversed { from, to } => {
                if vi {
                    format!("khoảng từ {}% đến {}% bị ngược", pts(from), pts(to))
                } else {
                    format!("the band from {}% to {}% is reversed", pts(from), pts(to))
                }
            }
            BandsNotFromZero => {
                if vi {
                    "các khoảng tỷ lệ phải bắt đầu từ 0%".into()
                } else {
                    "the bands must start at 0%".into()
                }
            }
            BandsNotToHundred => {
                if vi {
                    "các khoảng tỷ lệ phải kết thúc ở 100%".into()
                } else {
                    "the bands must end at 100%".into()
                }
            }
            BandsGap { from, to } => {
                if vi {
                    format!(
                        "các khoảng tỷ lệ bỏ trống từ {}% đến {}%",
                        pts(from),
                        pts(to)
                    )
                } else {
                    format!("the bands leave a gap from {}% to {}%", pts(from), pts(to))
                }
            }
            BandsOverlap { at } => {
                if vi {
                    format!("các khoảng tỷ lệ chồng nhau tại {}%", pts(at))
                } else {
                    format!("the bands overlap at {}%", pts(at))
                }
            }
            BandAboveMax { points } => {
                if vi {
                    format!("một khoảng cho {} điểm, vượt điểm tối đa", pts(points))
                } else {
                    format!("a band gives {} points, above the maximum", pts(points))
                }
            }
            DeductionAmountNotPositive => {
                if vi {
                    "điểm trừ phải lớn hơn 0".into()
                } else {
                    "the deduction must be above 0".into()
                }
            }
            DeductionHasMax => {
                if vi {
                    "mục điểm trừ không có điểm tối đa; chỉ khai báo amount".into()
                } else {
                    "a deduction item has no maximum; give only amount".into()
                }
            }
            SurveyMaxMismatch { declared, sum } => {
                if vi {
                    format!(
                        "khai báo {} điểm điều tra XHH nhưng các tiêu chí chấm theo điều tra cộng lại {}",
                        pts(declared),
                        pts(sum)
                    )
                } else {
                    format!(
                        "{} survey points are declared but the survey-scored criteria add up to {}",
                        pts(declared),
                        pts(sum)
                    )
                }
            }
            SurveyMaxAboveMax => {
                if vi {
                    "điểm điều tra XHH vượt điểm tối đa".into()
                } else {
                    "the survey points exceed the maximum".into()
                }
            }
            UnknownAttribute(a) => {
                let known: Vec<&str> = UNIT_ATTRIBUTES.iter().map(|(k, _)| *k).collect();
                if vi {
                    format!(
                        "không có thuộc tính đơn vị \"{a}\"; dùng: {}",
                        known.join(", ")
                    )
                } else {
                    format!("unknown unit attribute \"{a}\"; use: {}", known.join(", "))
                }
            }
            LeadUnitOnNonField => {
                if vi {
                    "chỉ lĩnh vực mới có đơn vị chủ trì (lead_unit)".into()
                } else {
                    "only fields have a lead unit (lead_unit)".into()
                }
            }
            RecordsWithoutFigures => {
                if vi {
                    "số liệu từ hệ thống (from_records) chỉ dùng cho tiêu chí chấm theo tử số/mẫu số (bands, proportional)".into()
                } else {
                    "from_records only fits sub-criteria scored from a numerator and denominator (bands, proportional)".into()
                }
            }
        };
        if self.path.is_empty() {
            what
        } else {
            format!("{}: {what}", self.path)
        }
    }
}

/// Checks a framework; an empty list means it is valid.
pub fn validate(f: &Framework) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |path: &str, kind: ProblemKind| {
        out.push(Problem {
            path: path.to_string(),
            kind,
        })
    };
    if f.code.trim().is_empty() {
        push("", ProblemKind::CodeEmpty);
    }
    if f.name.trim().is_empty() {
        push("", ProblemKind::NameEmpty);
    }
    if !(2000..=2100).contains(&f.year) {
        push("", ProblemKind::YearOutOfRange(f.year));
    }
    if f.version == 0 {
        push("", ProblemKind::VersionZero);
    }
    if !f.max.fits_scale() {
        push("", ProblemKind::TooPrecise(f.max));
    }
    if f.fields.is_empty() {
        push("", ProblemKind::NoFields);
    } else if f.fields_total() != f.max {
        push(
            "",
            ProblemKind::TotalMismatch {
                declared: f.max,
                sum: f.fields_total(),
            },
        );
    }
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for located in f.walk() {
        let n = located.node;
        let path = n.code.as_str();
        if n.code.trim().is_empty() {
            push(path, ProblemKind::CodeEmpty);
        } else if seen.insert(n.code.as_str(), ()).is_some() {
            push(path, ProblemKind::DuplicateCode);
        }
        if let Some(parent) = located.parent {
            if !n.code.starts_with(&format!("{}.", parent.code)) {
                push(
                    path,
                    ProblemKind::CodeNotUnderParent {
                        parent: parent.code.clone(),
                    },
                );
            }
            if n.lead_unit.is_some() {
                push(path, ProblemKind::LeadUnitOnNonField);
            }
        }
        if n.from_records.is_some()
            && !matches!(n.rule, Some(Rule::Bands { .. } | Rule::Proportional { .. }))
        {
            push(path, ProblemKind::RecordsWithoutFigures);
        }
        if n.name.trim().is_empty() {
            push(path, ProblemKind::NameEmpty);
        }
        for attr in n.not_applicable_when.keys() {
            if !UNIT_ATTRIBUTES.iter().any(|(k, _)| k == attr) {
                push(path, ProblemKind::UnknownAttribute(attr.clone()));
            }
        }
        for p in [n.max, n.survey_max].into_iter().flatten() {
            if !p.fits_scale() {
                push(path, ProblemKind::TooPrecise(p));
            }
        }
        check_max_and_rule(n, located.depth, &mut push);
        if !n.is_leaf() {
            let sum: Points = n.children.iter().map(Node::counted_max).sum();
            if let Some(max) = n.max
                && sum != max
            {
                push(path, ProblemKind::ChildrenSumMismatch { max, sum });
            }
        }
        if let Some(declared) = n.survey_max {
            let sum: Points = survey_leaves(n)
                .iter()
                .map(|l| l.max.unwrap_or(Points::ZERO))
                .sum();
            if sum != declared {
                push(path, ProblemKind::SurveyMaxMismatch { declared, sum });
            }
            if n.max.is_some_and(|m| declared > m) {
                push(path, ProblemKind::SurveyMaxAboveMax);
            }
        }
    }
    out
}

fn survey_leaves(n: &Node) -> Vec<&Node> {
    if n.is_leaf() {
        return if matches!(n.rule, Some(Rule::Survey { .. })) {
            vec![n]
        } else {
            vec![]
        };
    }
    n.children.iter().flat_map(survey_leaves).collect()
}

fn check_max_and_rule(n: &Node, depth: usize, push: &mut impl FnMut(&str, ProblemKind)) {
    let path = n.code.as_str();
    let is_deduction = matches!(n.rule, Some(Rule::Deduction { .. }));
    match (n.max, is_deduction) {
        (Some(_), true) => push(path, ProblemKind::DeductionHasMax),
        (None, false) => push(path, ProblemKind::MaxMissing),
        (Some(m), false) if !m.is_positive() => push(path, ProblemKind::MaxNotPositive),
        _ => {}
    }
    if !n.is_leaf() {
        if n.rule.is_some() {
            push(path, ProblemKind::RuleOnBranch);
        }
        return;
    }
    if depth == 0 {
        push(path, ProblemKind::FieldIsLeaf);
    }
    let Some(rule) = &n.rule else {
        push(path, ProblemKind::LeafWithoutRule);
        return;
    };
    let max = n.max.unwrap_or(Points::ZERO);
    match rule {
        Rule::Manual { step } | Rule::Bonus { step } => {
            if !step.is_positive() {
                push(path, ProblemKind::StepNotPositive);
            } else if max.is_positive() && !max.is_multiple_of(*step) {
                push(path, ProblemKind::MaxNotMultipleOfStep { step: *step });
            }
        }
        Rule::Levels { levels } => {
            if levels.is_empty() {
                push(path, ProblemKind::LevelsEmpty);
            }
            let mut labels: HashMap<&str, ()> = HashMap::new();
            for l in levels {
                if l.points > max {
                    push(
                        path,
                        ProblemKind::LevelAboveMax {
                            label: l.label.clone(),
                            points: l.points,
                        },
                    );
                }
                if l.points.is_negative() {
                    push(
                        path,
                        ProblemKind::LevelNegative {
                            label: l.label.clone(),
                        },
                    );
                }
                if labels.insert(l.label.as_str(), ()).is_some() {
                    push(path, ProblemKind::DuplicateLevel(l.label.clone()));
                }
            }
            if !levels.is_empty() && max.is_positive() && !levels.iter().any(|l| l.points == max) {
                push(path, ProblemKind::LevelsWithoutMax);
            }
        }
        Rule::Bands {
            numerator,
            denominator,
            bands,
        } => {
            if numerator.trim().is_empty() || denominator.trim().is_empty() {
                push(path, ProblemKind::FigureNameEmpty);
            }
            check_bands(path, bands, max, push);
        }
        Rule::Proportional {
            numerator,
            denominator,
        } => {
            if numerator.trim().is_empty() || denominator.trim().is_empty() {
                push(path, ProblemKind::FigureNameEmpty);
            }
        }
        Rule::Deduction { amount } => {
            if !amount.is_positive() {
                push(path, ProblemKind::DeductionAmountNotPositive);
            }
        }
        Rule::Boolean | Rule::Survey { .. } => {}
    }
}

fn check_bands(
    path: &str,
    bands: &[super::model::Band],
    max: Points,
    push: &mut impl FnMut(&str, ProblemKind),
) {
    if bands.is_empty() {
        push(path, ProblemKind::BandsEmpty);
        return;
    }
    let hundred = Points::parse("100").expect("constant");
    let mut sorted: Vec<&super::model::Band> = bands.iter().collect();
    sorted.sort_by_key(|b| (b.from, b.to));
    for b in &sorted {
        if b.from >= b.to {
            push(
                path,
                ProblemKind::BandReversed {
                    from: b.from,
                    to: b.to,
                },
            );
        }
        if b.points > max {
            push(path, ProblemKind::BandAboveMax { points: b.points });
        }
    }
    if sorted[0].from != Points::ZERO {
        push(path, ProblemKind::BandsNotFromZero);
    }
    if sorted.iter().map(|b| b.to).max() != Some(hundred) {
        push(path, ProblemKind::BandsNotToHundred);
    }
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.to < b.from {
            push(
                path,
                ProblemKind::BandsGap {
                    from: a.to,
                    to: b.from,
                },
            );
        } else if a.to > b.from {
            push(path, ProblemKind::BandsOverlap { at: b.from });
        }
    }
}

#[cfg(test)]
mod records_tests {
    use super::*;
    use crate::framework::model::Records;
    use crate::framework::yaml::from_yaml;

    #[test]
    fn records_fit_only_figure_rules() {
        let mut f = from_yaml(include_str!("../../tests/golden/frameworks/good.yaml")).unwrap();
        // 1.1.2 is scored by bands on a declared ratio; 1.2 is a manual score.
        f.fields[0].children[0].children[1].from_records = Some(Records::FindingsHandled);
        assert!(validate(&f).is_empty(), "{:?}", validate(&f));
        f.fields[0].children[1].from_records = Some(Records::ReportsOnTime);
        let problems = validate(&f);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::RecordsWithoutFigures);
        assert!(
            problems[0]
                .message(crate::lang::Lang::Vi)
                .starts_with("1.2: ")
        );
    }
}
