//! A national-scale demo dataset, pure: commune names built from syllable lists, each commune's
//! level of achievement, and what it declares, how the council appraises it and what the
//! surveys give, every figure drawn from one seed. The same seed gives the same data; the
//! `chiso demo generate` command stores it (see `docs/PERFORMANCE.md`).
//!
//! The figures are invented: no name, score or document here describes a real commune.

use crate::framework::Points;
use crate::framework::model::{Node, Rule};
use crate::results::rng::Rng;
use crate::round::entry::SelfEntry;
use crate::text::fold;
use rust_decimal::Decimal;

/// Draws from a seed: xoshiro256++ (the results' generator), one independent stream per purpose
/// and subject, so what one commune gets never depends on how many others were drawn before.
#[derive(Debug, Clone)]
pub struct Draws(Rng);

/// SplitMix64's finaliser: spreads a key's bits over the whole word.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a stream of draws is for (part of its key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    Names = 1,
    Quality = 2,
    Entries = 3,
    Council = 4,
    Survey = 5,
    Evidence = 6,
    Open = 7,
    Attributes = 8,
    Plans = 9,
}

impl Draws {
    /// The stream of `purpose` for a subject (a commune's position, a year…).
    pub fn new(seed: u64, purpose: Purpose, subject: &[u64]) -> Draws {
        let mut key = mix(seed) ^ mix(purpose as u64);
        for part in subject {
            key = mix(key ^ mix(*part));
        }
        Draws(Rng::new(key))
    }

    /// A whole number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.0.next_u64() % n }
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal draw.
    pub fn normal(&mut self) -> f64 {
        self.0.normal()
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Syllables that open a commune's name (Sino-Vietnamese words of good omen, as most are).
const FIRST: &str = "An Bình Hòa Phú Tân Thạnh Long Phước Hưng Thịnh Xuân Đông Tây Nam Bắc Sơn Hải Quang \
     Minh Trung Thuận Lộc Phong Mỹ Vĩnh Thái Hiệp Hợp Đức Nghĩa Lạc Kim Ngọc Thanh Hồng Cẩm \
     Yên Gia Thượng Đại Tiến Thành Châu Khánh Phúc Hà Lâm Tuy Hoàng Nhơn Quảng Triệu Cao Vạn \
     Định Hậu Tam Bảo Trường Chí Hương Liên Đồng Kiến Văn Cam Ninh Tường Lương Diễn Quỳnh \
     Hữu";

/// Syllables that close it.
const SECOND: &str = "An Bình Hòa Phú Lập Thạnh Long Phước Hưng Thịnh Xuân Đông Tây Nam Bắc Sơn Hải Quang \
     Minh Trung Thuận Lộc Phong Mỹ Lợi Thái Hiệp Hợp Đức Nghĩa Lạc Tiến Thành Châu Khánh \
     Phúc Hà Lâm Điền Hội Tân Thủy Giang Khê Lĩnh Cường Vinh Quý Toàn Dương Kiều Trạch Xá \
     Đình Trà Linh Mai Nguyên Bồng Sen Hoa Tú Đạt Hiền Tâm Thắng Hồ Tuyền Cát Sa Yên Ninh";

/// The commune the demo's own accounts (`thu.tanlap`, `truong.tanlap`) belong to: always the
/// first generated one, with the demo's code.
pub const FIRST_COMMUNE: &str = "Tân Lập";

/// The most communes a dataset may have (names stay unique well beyond it).
pub const MAX_COMMUNES: usize = 20_000;

/// The kind of a commune-level unit after 1/7/2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneKind {
    Commune,
    Ward,
    SpecialZone,
}

impl CommuneKind {
    /// The word before the name.
    pub fn label(self) -> &'static str {
        match self {
            CommuneKind::Commune => "Xã",
            CommuneKind::Ward => "Phường",
            CommuneKind::SpecialZone => "Đặc khu",
        }
    }

    /// The code's prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            CommuneKind::Commune => "XA",
            CommuneKind::Ward => "PH",
            CommuneKind::SpecialZone => "DK",
        }
    }
}

/// A generated commune, ward or special zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub code: String,
    /// With its kind: "Xã Tân Lập", "Phường Hòa An".
    pub name: String,
    pub kind: CommuneKind,
}

/// A name folded to its letters and digits: what its code is made of.
fn compact(name: &str) -> String {
    fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

fn code_of(kind: CommuneKind, name: &str) -> String {
    format!("{}-{}", kind.prefix(), compact(name))
}

/// `n` communes with unique names (and so unique codes): about a fifth are wards and one in
/// 250 a special zone, like the 3 321 units of 2025 (687 wards, 13 special zones).
pub fn communes(n: usize, seed: u64) -> Vec<Commune> {
    let mut d = Draws::new(seed, Purpose::Names, &[]);
    let first: Vec<&str> = FIRST.split_whitespace().collect();
    let second: Vec<&str> = SECOND.split_whitespace().collect();
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let name = if i == 0 {
            FIRST_COMMUNE.to_string()
        } else {
            let mut tries = 0;
            loop {
                tries += 1;
                let a = *d.pick(&first);
                let b = *d.pick(&second);
                if fold(a) == fold(b) {
                    continue;
                }
                // Two syllables while they last, then three.
                let name = if tries < 40 {
                    format!("{a} {b}")
                } else {
                    format!("{a} {b} {}", d.pick(&second))
                };
                if !taken.contains(&compact(&name)) {
                    break name;
                }
            }
        };
        taken.insert(compact(&name));
        let r = d.unit();
        let kind = if i == 0 {
            CommuneKind::Commune
        } else if r < 0.004 {
            CommuneKind::SpecialZone
        } else if r < 0.21 {
            CommuneKind::Ward
        } else {
            CommuneKind::Commune
        };
        out.push(Commune {
            code: code_of(kind, &name),
            name: format!("{} {name}", kind.label()),
            kind,
        });
    }
    out
}

/// A commune's known attributes (framework exemptions depend on them): most have public
/// service units of their own, very few have no one-stop shop.
pub fn commune_attributes(seed: u64, commune: usize) -> Vec<(&'static str, bool)> {
    let mut d = Draws::new(seed, Purpose::Attributes, &[commune as u64]);
    vec![
        ("has_public_service_units", d.chance(0.7)),
        ("has_one_stop_shop", d.chance(0.98)),
        ("has_procedures", true),
    ]
}

/// A commune's level of achievement, 0.5 to 0.99 (most near 0.85).
pub fn quality(seed: u64, commune: usize) -> f64 {
    let mut d = Draws::new(seed, Purpose::Quality, &[commune as u64]);
    (0.85 + 0.06 * d.normal()).clamp(0.5, 0.99)
}

/// Its level in one year of the series (`year_index` from 0): a slow rise and some noise.
pub fn year_quality(seed: u64, commune: usize, year_index: usize) -> f64 {
    let mut d = Draws::new(
        seed,
        Purpose::Quality,
        &[commune as u64, 1000 + year_index as u64],
    );
    (quality(seed, commune) + 0.012 * year_index as f64 + 0.025 * d.normal()).clamp(0.45, 0.995)
}

const EXPLANATIONS: [&str; 3] = [
    "Số liệu tổng hợp từ báo cáo CCHC năm và Hệ thống thông tin giải quyết TTHC của tỉnh.",
    "Đã đính kèm văn bản; số liệu đối chiếu với sổ theo dõi của Văn phòng HĐND và UBND xã.",
    "Kết quả thực hiện theo kế hoạch CCHC năm của UBND xã.",
];

/// Why a commune declares an item not applicable.
pub const NOT_APPLICABLE_REASON: &str = "Trong năm đánh giá xã không phát sinh nhiệm vụ này.";

fn ratio(q: f64, d: &mut Draws, floor: f64) -> f64 {
    (q + 0.05 + 0.08 * d.normal()).clamp(floor, 1.0)
}

/// What a commune of level `q` declares for a leaf; `None` for survey items and unclaimed bonus
/// points. The self score follows from the item's own rule
/// ([`crate::round::entry::self_score`]).
pub fn self_entry(node: &Node, q: f64, d: &mut Draws) -> Option<SelfEntry> {
    let rule = node.rule.as_ref()?;
    let max = node.max.unwrap_or(Points::ZERO);
    let mut e = SelfEntry::default();
    if node.allow_not_applicable && d.chance(0.05) {
        e.not_applicable = Some(NOT_APPLICABLE_REASON.into());
        return Some(e);
    }
    match rule {
        Rule::Survey { .. } => return None,
        Rule::Boolean => e.met = Some(d.chance(0.5 + q / 2.0)),
        Rule::Deduction { .. } => e.met = Some(d.chance(0.6 + 0.4 * q)),
        Rule::Levels { levels } => {
            // Levels by points, best first: most reach the best, some the next, few the worst.
            let mut order: Vec<usize> = (0..levels.len()).collect();
            order.sort_by(|a, b| levels[*b].points.cmp(&levels[*a].points));
            let r = d.unit();
            let pick = if r < q {
                0
            } else if r < q + (1.0 - q) * 0.7 {
                1
            } else {
                order.len() - 1
            };
            e.level = Some(order[pick.min(order.len() - 1)]);
        }
        Rule::Bands { .. } | Rule::Proportional { .. } => {
            let denominator = 10 + d.below(490);
            let numerator = (denominator as f64 * ratio(q, d, 0.3)).round() as u64;
            e.numerator = Some(Decimal::from(numerator.min(denominator)));
            e.denominator = Some(Decimal::from(denominator));
        }
        Rule::Manual { step } => {
            e.points = Some(share_of(max, *step, ratio(q, d, 0.2)));
        }
        Rule::Bonus { step } => {
            if !d.chance(((q - 0.7) * 1.5).max(0.02)) {
                return None;
            }
            let steps = steps_in(max, *step).max(1);
            let k = Decimal::from(1 + d.below(steps));
            e.points = Some(Points::new(step.decimal() * k).min(max));
        }
    }
    if d.chance(0.3) {
        e.explanation = (*d.pick(&EXPLANATIONS)).into();
    }
    Some(e)
}

/// How many whole steps fit in `max`.
fn steps_in(max: Points, step: Points) -> u64 {
    if !step.is_positive() {
        return 0;
    }
    use rust_decimal::prelude::ToPrimitive;
    (max.decimal() / step.decimal())
        .floor()
        .to_u64()
        .unwrap_or(0)
}

/// `share` of `max`, down to a whole number of steps.
fn share_of(max: Points, step: Points, share: f64) -> Points {
    let steps = steps_in(max, step);
    let k = ((steps as f64) * share).floor() as u64;
    Points::new(step.decimal() * Decimal::from(k.min(steps))).min(max)
}

/// The council's reasons for lowering a score.
const COUNCIL_REASONS: [&str; 5] = [
    "Tài liệu kiểm chứng chưa thể hiện đủ nội dung theo hướng dẫn.",
    "Văn bản ban hành sau thời hạn quy định.",
    "Số liệu chưa khớp với Hệ thống thông tin giải quyết TTHC.",
    "Báo cáo chưa đúng đề cương, thiếu biểu mẫu kèm theo.",
    "Chưa có tài liệu kiểm chứng cho số liệu kê khai.",
];

/// What the commune answers when asked to explain.
pub const ANSWER: &str =
    "UBND xã đã bổ sung văn bản và giải trình tại Báo cáo giải trình kèm theo.";

/// What the council writes when it accepts an explanation in round 2.
pub const ACCEPTED: &str = "Chấp nhận giải trình, tài liệu bổ sung đáp ứng yêu cầu.";

/// Whether the council lowers a positive score of a commune of level `q` in round 1 (about
/// one item in ten, more for weaker communes), why, and whether it asks for an explanation.
pub fn council_cut(q: f64, d: &mut Draws) -> Option<(&'static str, bool)> {
    if !d.chance(0.03 + 0.35 * (1.0 - q)) {
        return None;
    }
    Some((*d.pick(&COUNCIL_REASONS), d.chance(0.5)))
}

/// The lowered score: a quarter of the maximum less, not below the item's minimum.
pub fn cut(points: Points, max: Points, min: Points) -> Points {
    let quarter = Points::from_scaled(max.to_scaled().unwrap_or(0) / 4);
    (points - quarter).max(min)
}

/// Survey points of a commune of level `q` on an item worth `max`: max × a satisfaction ratio,
/// to two decimals; and the forms behind them.
pub fn survey_points(max: Points, q: f64, d: &mut Draws) -> (Points, i64) {
    use rust_decimal::prelude::FromPrimitive;
    let r = (q + 0.04 + 0.05 * d.normal()).clamp(0.4, 1.0);
    let r = Decimal::from_f64((r * 100.0).round() / 100.0).unwrap_or(Decimal::ONE);
    let p = (max.decimal() * r).round_dp(2);
    (Points::new(p), 20 + d.below(26) as i64)
}

/// The commune questionnaires of the dataset's survey campaign: YAML, and the share of all
/// responses each group gets (per cent). Each scored question measures a survey sub-criterion
/// of `frameworks/par-commune.yaml` by its code.
pub const SURVEY_QUESTIONNAIRES: [(&str, u32); 3] =
    [(CITIZENS, 60), (DEPUTIES, 25), (DEPARTMENT_LEADERS, 15)];

const CITIZENS: &str = r#"# Phiếu hỏi người dân, tổ chức về UBND xã (tiêu chí 3.5, 8.1.1, 8.1.2) — dữ liệu mẫu.
code: xa-nguoi-dan
version: 1
title: Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với UBND xã, phường, đặc khu
group: nguoi_dan
sections:
  - title: Giải quyết thủ tục hành chính
    questions:
      - code: ND1
        text: Ông/bà hài lòng với việc tiếp cận dịch vụ tại Bộ phận Một cửa của xã?
        kind: likert
        scale: 5
        required: true
        measures: "3.5"
        labels: &hai_long [Rất không hài lòng, Không hài lòng, Bình thường, Hài lòng, Rất hài lòng]
      - code: ND2
        text: Hồ sơ của ông/bà được trả kết quả đúng hẹn?
        kind: yes_no
        required: true
        measures: "3.5"
  - title: Sự phục vụ và công khai, minh bạch
    questions:
      - code: ND3
        text: Ông/bà hài lòng với thái độ phục vụ của cán bộ, công chức UBND xã?
        kind: likert
        scale: 5
        required: true
        measures: "8.1.1"
        labels: *hai_long
      - code: ND4
        text: UBND xã công khai đầy đủ các thông tin ông/bà cần biết (quy hoạch, ngân sách, thủ tục)?
        kind: choice
        required: true
        measures: "8.1.2"
        options:
          - { code: A, label: Rất đầy đủ, weight: 100 }
          - { code: B, label: Đầy đủ, weight: 60 }
          - { code: C, label: Chưa đầy đủ, weight: 20 }
          - { code: D, label: Không công khai, weight: 0 }
"#;

const DEPUTIES: &str = r#"# Phiếu hỏi đại biểu HĐND xã về UBND xã (tiêu chí 8.2.1) — dữ liệu mẫu.
code: xa-dai-bieu
version: 1
title: Phiếu khảo sát ý kiến đại biểu HĐND xã về công tác cải cách hành chính của UBND xã
group: dai_bieu_hdnd
sections:
  - title: Đánh giá của đại biểu
    questions:
      - code: DB1
        text: UBND xã thực hiện đúng hạn các kiến nghị của cử tri và nghị quyết của HĐND xã?
        kind: choice
        required: true
        measures: "8.2.1"
        options: &muc_do
          - { code: A, label: Rất tốt, weight: 100 }
          - { code: B, label: Tốt, weight: 60 }
          - { code: C, label: Chưa tốt, weight: 20 }
          - { code: D, label: Kém, weight: 0 }
      - code: DB2
        text: Chất lượng các báo cáo, đề án UBND xã trình HĐND xã?
        kind: choice
        required: true
        measures: "8.2.1"
        options: *muc_do
"#;

const DEPARTMENT_LEADERS: &str = r#"# Phiếu hỏi lãnh đạo sở, ban, ngành về UBND xã (tiêu chí 8.2.2) — dữ liệu mẫu.
code: xa-lanh-dao-so
version: 1
title: Phiếu khảo sát ý kiến lãnh đạo sở, ban, ngành về sự phối hợp của UBND xã
group: lanh_dao_so
sections:
  - title: Đánh giá của sở, ban, ngành
    questions:
      - code: LD1
        text: UBND xã phối hợp kịp thời với sở, ngành trong giải quyết công việc?
        kind: likert
        scale: 5
        required: true
        measures: "8.2.2"
      - code: LD2
        text: Báo cáo, số liệu của UBND xã gửi sở, ngành đầy đủ, đúng hạn?
        kind: yes_no
        required: true
        measures: "8.2.2"
"#;

/// How `total` responses split over `units` units for a group with `share` per cent: the
/// count of each unit, in order (the first units take the remainder).
pub fn response_counts(total: usize, share: u32, units: usize) -> Vec<usize> {
    if units == 0 {
        return Vec::new();
    }
    let group = total * share as usize / 100;
    let (base, extra) = (group / units, group % units);
    (0..units).map(|i| base + usize::from(i < extra)).collect()
}

/// A document that backs a leaf, named after the first kind of evidence its framework asks
/// for ("Kế hoạch CCHC năm của UBND xã; …"), with the abbreviation of its number ("KH").
pub fn document_title(node: &Node) -> Option<(String, &'static str)> {
    let first = node.evidence.as_deref()?.split(';').next()?.trim();
    if first.is_empty() {
        return None;
    }
    let folded = fold(first);
    let abbr = [
        ("ke hoach", "KH"),
        ("bao cao", "BC"),
        ("quyet dinh", "QĐ"),
        ("thong bao", "TB"),
        ("quy che", "QC"),
        ("nghi quyet", "NQ"),
        ("bien ban", "BB"),
    ]
    .iter()
    .find(|(w, _)| folded.starts_with(w))
    .map_or("VB", |(_, a)| a);
    let mut title = first.to_string();
    if let Some(c) = title.get(..1) {
        title = c.to_uppercase() + &title[1..];
    }
    Some((title, abbr))
}

/// The SHA-256 of a generated document, in hex (how evidence contents are keyed).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The positions of `count` communes spread over `n` (the first always among them).
pub fn spread(n: usize, count: usize) -> Vec<usize> {
    let count = count.min(n);
    (0..count).map(|i| i * n / count).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::library;
    use crate::round::entry::self_score;
    use crate::units::{ParentInfo, UnitDraft, UnitType, validate};

    fn commune_framework() -> crate::framework::Framework {
        library::all()
            .into_iter()
            .find(|(name, _)| name.contains("commune"))
            .and_then(|(_, f)| f.ok())
            .expect("the commune framework")
    }

    #[test]
    fn the_same_seed_gives_the_same_draws_and_another_seed_others() {
        let take = |seed, subject: &[u64]| {
            let mut d = Draws::new(seed, Purpose::Entries, subject);
            (0..8).map(|_| d.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(take(7, &[1, 2]), take(7, &[1, 2]));
        assert_ne!(take(7, &[1, 2]), take(8, &[1, 2]));
        assert_ne!(take(7, &[1, 2]), take(7, &[2, 1]));
        assert_eq!(communes(300, 42), communes(300, 42));
        assert_ne!(communes(300, 42), communes(300, 43));
    }

    #[test]
    fn national_scale_names_are_unique_valid_codes_in_the_2025_shape() {
        let all = communes(3321, 1);
        assert_eq!(all[0].code, "XA-TANLAP");
        assert_eq!(all[0].name, "Xã Tân Lập");
        let mut codes = std::collections::HashSet::new();
        let province = ParentInfo {
            unit_type: UnitType::Province,
            valid_from: chrono::NaiveDate::from_ymd_opt(1991, 1, 1).unwrap(),
            valid_to: None,
        };
        for c in &all {
            assert!(codes.insert(c.code.clone()), "duplicate {}", c.code);
            let draft = UnitDraft {
                code: c.code.clone(),
                name: c.name.clone(),
                unit_type: UnitType::Commune,
                valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                valid_to: None,
            };
            assert_eq!(validate(&draft, Some(&province)), vec![], "{}", c.code);
        }
        let wards = all.iter().filter(|c| c.kind == CommuneKind::Ward).count();
        let zones = all
            .iter()
            .filter(|c| c.kind == CommuneKind::SpecialZone)
            .count();
        assert!((550..800).contains(&wards), "{wards} wards");
        assert!((3..35).contains(&zones), "{zones} special zones");
        // Twenty thousand still find unique names.
        let many = communes(MAX_COMMUNES, 3);
        let unique: std::collections::HashSet<_> = many.iter().map(|c| &c.code).collect();
        assert_eq!(unique.len(), MAX_COMMUNES);
    }

    #[test]
    fn every_generated_entry_scores_by_its_rule_and_levels_spread() {
        let f = commune_framework();
        let mut shares = Vec::new();
        for q in [0.5, 0.82, 0.99] {
            let (mut got, mut max) = (Points::ZERO, Points::ZERO);
            for commune in 0..40u64 {
                let mut d = Draws::new(9, Purpose::Entries, &[commune]);
                for node in f.leaves() {
                    let entry = self_entry(node, q, &mut d);
                    if matches!(node.rule, Some(Rule::Survey { .. })) {
                        assert_eq!(entry, None);
                        continue;
                    }
                    let Some(entry) = entry else { continue };
                    let points = self_score(node, &entry)
                        .unwrap_or_else(|e| panic!("{}: {e:?} for {entry:?}", node.code));
                    if entry.not_applicable.is_some() {
                        assert!(node.allow_not_applicable);
                        continue;
                    }
                    if let (Some(p), Some(m)) = (points, node.max)
                        && node.rule.as_ref().is_some_and(Rule::counts_toward_max)
                    {
                        got = got + p;
                        max = max + m;
                    }
                }
            }
            shares.push(got.to_f64() / max.to_f64());
        }
        assert!(shares[0] < shares[1] && shares[1] < shares[2], "{shares:?}");
        assert!((0.75..0.95).contains(&shares[1]), "{shares:?}");
    }

    #[test]
    fn council_cuts_and_survey_points_stay_in_range() {
        let mut d = Draws::new(1, Purpose::Council, &[]);
        let cuts = (0..10_000)
            .filter(|_| council_cut(0.82, &mut d).is_some())
            .count();
        assert!((700..1400).contains(&cuts), "{cuts}");
        let max = Points::parse("1.5").unwrap();
        assert_eq!(
            cut(Points::parse("1.5").unwrap(), max, Points::ZERO),
            Points::parse("1.125").unwrap()
        );
        assert_eq!(
            cut(Points::parse("0.25").unwrap(), max, Points::ZERO),
            Points::ZERO
        );
        for _ in 0..1000 {
            let (p, n) = survey_points(Points::parse("3").unwrap(), 0.8, &mut d);
            assert!(p <= Points::parse("3").unwrap() && p.is_positive() && p.fits_scale());
            assert!((20..46).contains(&n));
        }
    }

    #[test]
    fn the_commune_questionnaires_measure_the_commune_survey_items() {
        let f = commune_framework();
        let survey: Vec<&str> = f
            .leaves()
            .into_iter()
            .filter(|n| matches!(n.rule, Some(Rule::Survey { .. })))
            .map(|n| n.code.as_str())
            .collect();
        let mut measured = std::collections::BTreeSet::new();
        let mut share = 0;
        for (yaml, s) in SURVEY_QUESTIONNAIRES {
            let q = crate::survey::from_yaml(yaml).unwrap_or_else(|e| panic!("{}", e.message));
            assert_eq!(crate::survey::validate::validate(&q), vec![], "{}", q.code);
            for question in q.questions() {
                if let Some(m) = &question.measures {
                    assert!(survey.contains(&m.as_str()), "{m}");
                    measured.insert(m.clone());
                }
            }
            share += s;
        }
        assert_eq!(share, 100);
        assert_eq!(measured.len(), survey.len());
        assert_eq!(response_counts(100, 60, 7).iter().sum::<usize>(), 60);
        assert_eq!(response_counts(100, 60, 7)[0], 9);
    }

    #[test]
    fn documents_are_named_after_the_evidence_asked_for() {
        let f = commune_framework();
        let node = f.node("1.1.1").unwrap();
        assert_eq!(
            document_title(node),
            Some(("Kế hoạch CCHC năm của UBND xã".to_string(), "KH"))
        );
        assert_eq!(spread(3321, 200).len(), 200);
        assert_eq!(spread(3321, 200)[0], 0);
        assert_eq!(spread(10, 200), (0..10).collect::<Vec<_>>());
    }
}
