//! What a plan document yields: metadata, legal bases, the section tree, goals, KPIs, tasks,
//! warnings and whether the document is complete.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A plan document read into its structure. Anything not stated is `None` or empty and named
/// in `warnings`; nothing is guessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedPlan {
    /// "152/KH-UBND".
    pub number: Option<String>,
    /// Date of issue.
    pub date: Option<NaiveDate>,
    /// "UBND tỉnh Vĩnh Phúc".
    pub issuer: Option<String>,
    /// The year the plan is for (from its title: "… năm 2024").
    pub plan_year: Option<i32>,
    pub title: Option<String>,
    /// The place on the date line ("Vĩnh Phúc, ngày 13 tháng 6 năm 2024").
    pub place: Option<String>,
    pub signer: Option<Signer>,
    /// The line each metadata item was read from.
    pub found_at: FoundAt,
    /// Documents the plan cites with a number, each once.
    pub legal_bases: Vec<LegalBasis>,
    /// Paragraphs between the title and the first numbered section.
    pub preamble: Vec<Paragraph>,
    pub sections: Vec<Section>,
    /// Paragraphs after the sections: "Trên đây là Kế hoạch…", text that belongs to no section.
    pub closing: Vec<Paragraph>,
    /// The "Nơi nhận" list.
    pub recipients: Vec<String>,
    pub goals: Vec<Goal>,
    pub kpis: Vec<Kpi>,
    pub tasks: Vec<Task>,
    /// Everything missing, inconsistent or uncertain, in Vietnamese, each naming its line.
    pub warnings: Vec<String>,
    /// False when the document is cut short (see the module documentation for the rule).
    pub complete: bool,
    /// Why `complete` is false (also in `warnings`).
    pub incomplete_reasons: Vec<String>,
}

/// 1-based lines of the input the metadata came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FoundAt {
    pub number: Option<usize>,
    pub date: Option<usize>,
    pub issuer: Option<usize>,
    pub plan_year: Option<usize>,
    pub title: Option<usize>,
}

/// One paragraph of the document with its first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub line: usize,
    pub text: String,
}

/// Who signed: "CHỦ TỊCH", "Trịnh Xuân Trường".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    pub position: String,
    pub name: Option<String>,
    pub line: usize,
}

/// A document the plan cites ("Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ …").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalBasis {
    /// "Quyết định", "Chỉ thị"… as written before the number.
    pub kind: Option<String>,
    pub number: String,
    pub date: Option<NaiveDate>,
    /// "Bộ Nội vụ", from "của …".
    pub issuer: Option<String>,
    /// The citation as first written, up to the end of its clause.
    pub text: String,
    /// Every line citing it.
    pub lines: Vec<usize>,
    /// Cited before the first section (the plan's "căn cứ").
    pub preamble: bool,
}

/// How a section is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// I., II.
    Roman,
    /// 1., 1.1., 2)
    Number,
    /// a), đ)
    Letter,
    /// -
    Dash,
    /// +
    Plus,
    /// •, * and other bullets
    Bullet,
}

/// A node of the section tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// As written: "II.", "1.2.", "a)", "-".
    pub marker: String,
    pub kind: MarkerKind,
    /// The heading without its details: the text before a colon, or the whole heading when
    /// short.
    pub title: String,
    /// The whole paragraph after the marker.
    pub heading: String,
    /// Unnumbered paragraphs that follow the heading.
    pub body: Vec<Paragraph>,
    pub line: usize,
    /// The PAR field the title names ("1" … "8").
    pub field: Option<String>,
    pub children: Vec<Section>,
}

/// An exact decimal, written to JSON as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Number(pub Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use rust_decimal::prelude::ToPrimitive;
        let n = self.0.normalize();
        if n.scale() == 0
            && let Some(i) = n.to_i64()
        {
            return s.serialize_i64(i);
        }
        // The shortest float text of a decimal with few places is that decimal.
        s.serialize_f64(n.to_f64().unwrap_or(0.0))
    }
}

impl Number {
    /// As Vietnamese documents write it, with its own decimals: "86,44", "9,5".
    pub fn to_vi(self) -> String {
        super::dates::vi(self.0)
    }
}

/// How a target compares; the codes are those of `plan::kpi::Direction`, plus `below`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// "trên", "hơn", "vượt": strictly above.
    Above,
    /// "tối thiểu", "ít nhất", "từ … trở lên", "đạt", or a bare figure ("100% văn bản").
    AtLeast,
    /// "tối đa", "không quá", "… trở xuống".
    AtMost,
    /// "dưới", "thấp hơn": strictly below.
    Below,
    /// "giảm": a decrease of (at least) the value.
    Decrease,
    /// "tăng": an increase of (at least) the value.
    Increase,
}

impl Direction {
    /// The sign people read: "≥", ">", "≤", "<", "giảm", "tăng".
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::Above => ">",
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
            Direction::Below => "<",
            Direction::Decrease => "giảm",
            Direction::Increase => "tăng",
        }
    }
}

/// A value with how it is to be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    pub value: Number,
    pub direction: Direction,
}

/// What a goal is about: an index, and within the PAR index possibly one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalSubject {
    /// "PAR INDEX", "PAPI", "PCI", "SIPAS", "ICT INDEX", "DTI".
    pub index: String,
    pub field: Option<FieldRef>,
}

/// A PAR field named by the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRef {
    /// "1" … "8", as in the national framework.
    pub code: String,
    pub name: String,
}

/// Last year's result and this plan's target for one subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    pub subject: GoalSubject,
    pub baseline: Option<Baseline>,
    pub target: Option<Target>,
}

/// A result the text states ("Năm 2023: Đạt 8,82 điểm/9,5 điểm tối đa (đạt tỷ lệ 92,81%),
/// xếp vị trí thứ 48/63 …, tăng 08 bậc so với năm 2022").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    pub year: Option<i32>,
    pub points: Option<Number>,
    pub max: Option<Number>,
    pub percent: Option<Number>,
    pub rank: Option<u32>,
    /// "/63".
    pub rank_of: Option<u32>,
    pub rank_change: Option<RankChange>,
    pub group: Option<Group>,
    /// "Trong đó: điểm tự đánh giá đạt 5,14 điểm (tối đa: 6 điểm), …".
    pub components: Vec<Component>,
    pub text: String,
    pub line: usize,
}

/// A target the text states ("đạt điểm tối đa (9,5 điểm) và thuộc tốp 15 …").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub year: Option<i32>,
    pub points: Option<Measure>,
    /// "đạt điểm tối đa".
    pub at_max: bool,
    pub percent: Option<Measure>,
    pub rank: Option<u32>,
    pub rank_change: Option<RankChange>,
    pub group: Option<Group>,
    pub components: Vec<Component>,
    pub text: String,
    pub line: usize,
}

/// Part of a field's points: "điểm tự đánh giá", "điểm điều tra xã hội học".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub label: String,
    pub points: Option<Measure>,
    pub max: Option<Number>,
    pub at_max: bool,
    /// "(tỷ lệ hài lòng đạt trên 90%)".
    pub percent: Option<Measure>,
}

/// A move in the ranking: "giảm 32 bậc so với năm 2022", "tăng từ 2 đến 5 bậc".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RankChange {
    pub up: bool,
    pub places: u32,
    /// The upper end of a range ("từ 2 đến 5 bậc").
    pub places_max: Option<u32>,
    /// "so với năm 2022".
    pub since: Option<i32>,
}

/// A ranking group: "nhóm 15 tỉnh, thành phố đứng đầu", "nhóm A", "không nằm trong nhóm
/// tỉnh trung bình thấp".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub text: String,
    /// 15 in "top 15", "tốp 15", "nhóm 15 … đứng đầu".
    pub top: Option<u32>,
    /// "A" in "nhóm A", "xếp loại A".
    pub band: Option<String>,
    /// "không nằm trong …".
    pub excluded: bool,
}

/// A numeric target (chỉ tiêu): "trên 95% hồ sơ trả đúng hạn".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    /// What is measured: "số hồ sơ thủ tục hành chính được trả kết quả giải quyết đúng hạn".
    pub subject: String,
    pub value: Number,
    /// "%" or the thing counted ("sáng kiến").
    pub unit: String,
    pub direction: Direction,
    /// The upper end of "từ 70% đến 90%".
    pub value_max: Option<Number>,
    /// "(tương ứng 15 đơn vị)".
    pub equivalent: Option<String>,
    /// The PAR field of the section or lead-in it is in.
    pub field: Option<String>,
    /// The clause stating it.
    pub text: String,
    pub line: usize,
    /// Index in `tasks` of the task stating it.
    pub task: Option<usize>,
}

/// A task: what, who leads, who cooperates, by when, producing what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub text: String,
    /// A short heading where the task has one ("1.1. Các nhiệm vụ …").
    pub title: Option<String>,
    /// Where it is: "II › 1 › 1.2 › -3" (bullets counted).
    pub section: String,
    pub line: usize,
    pub lead_units: Vec<String>,
    pub cooperating_units: Vec<String>,
    /// "các cơ quan, đơn vị, địa phương thực hiện".
    pub implementing_units: Vec<String>,
    /// Which of lead_units, cooperating_units, deadline come from a heading above the task
    /// ("Trách nhiệm của Sở Nội vụ", a parent's "(Giao …)") rather than its own text.
    pub inherited: Vec<String>,
    pub deadline: Option<Deadline>,
    /// Further deadlines stated in the same task.
    pub other_deadlines: Vec<Deadline>,
    /// "Sản phẩm: …".
    pub output: Option<String>,
    /// PAR fields ("1" … "8"): of its section, or named in its text.
    pub fields: Vec<String>,
    /// Criterion or sub-criterion codes the text names ("tiêu chí thành phần 2.1.3").
    pub criteria: Vec<String>,
    /// Items listed under the task ("bao gồm: - …").
    pub details: Vec<String>,
}

/// A deadline as stated, with the last day when the year is stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The words it was read from: "trước ngày 05/01/2024", "Quý II", "thường xuyên".
    pub text: String,
    #[serde(flatten)]
    pub when: When,
    /// The last day it allows, when the year is stated (never filled from the plan year).
    pub due: Option<NaiveDate>,
}

/// A day, with the year when stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayMonth {
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
}

/// The kinds of deadline plans use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum When {
    /// "trước ngày 05/01/2024".
    Date { date: DayMonth },
    /// "Từ ngày 01/12/2023 đến ngày 25/12/2023".
    Period { from: DayMonth, to: DayMonth },
    /// "tháng 6/2024".
    Month { month: u32, year: Option<i32> },
    /// "Quý II/2024".
    Quarter { quarter: u32, year: Option<i32> },
    /// "6 tháng đầu năm" (1), "6 tháng cuối năm" (2).
    Half { half: u32, year: Option<i32> },
    /// "cuối năm 2024".
    YearEnd { year: Option<i32> },
    /// "trong năm 2024".
    Year { year: i32 },
    /// "thường xuyên", "liên tục".
    Ongoing,
    /// "hằng năm", "hằng quý", "hằng tháng".
    Recurring { every: Every },
}

/// How often a recurring task comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    Year,
    Half,
    Quarter,
    Month,
    Week,
}

impl ParsedPlan {
    /// Whether nothing of a plan was recognised (no metadata, sections, goals or tasks).
    pub fn found_nothing(&self) -> bool {
        self.number.is_none()
            && self.date.is_none()
            && self.title.is_none()
            && self.plan_year.is_none()
            && self.sections.is_empty()
            && self.goals.is_empty()
            && self.kpis.is_empty()
            && self.tasks.is_empty()
            && self.legal_bases.is_empty()
    }
}
