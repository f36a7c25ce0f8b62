//! Figures a unit declares for an item (numerator, denominator, level, met, points, as typed)
//! scored by every rule of the built-in frameworks: a score or a problem, never a panic (an
//! overflow in a ratio, a division by zero).
#![no_main]

use chiso_core::framework::{Framework, Points};
use chiso_core::round::entry::{SelfEntry, self_score};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static FRAMEWORKS: LazyLock<Vec<Framework>> = LazyLock::new(|| {
    chiso_core::framework::library::all()
        .into_iter()
        .filter_map(|(_, f)| f.ok())
        .collect()
});

fn decimal(s: &str) -> Option<rust_decimal::Decimal> {
    let t = s.trim().replace(' ', "").replace(',', ".");
    t.parse().ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // "leaf|numerator|denominator|level|met|points"
    let parts: Vec<&str> = text.split('|').collect();
    let get = |i: usize| parts.get(i).copied().unwrap_or("");
    let leaves: Vec<_> = FRAMEWORKS.iter().flat_map(|f| f.leaves()).collect();
    if leaves.is_empty() {
        return;
    }
    let leaf = leaves[get(0).len() % leaves.len()];
    let entry = SelfEntry {
        numerator: decimal(get(1)),
        denominator: decimal(get(2)),
        level: get(3).parse().ok(),
        met: match get(4) {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        points: Points::parse(get(5)),
        not_applicable: None,
        explanation: String::new(),
    };
    // A score the rules give stays within the item's range.
    if let Ok(Some(p)) = self_score(leaf, &entry) {
        let (min, max) = chiso_core::round::appraisal::range(leaf);
        assert!(
            min <= p && p <= max,
            "{}: {p} outside {min}..{max}",
            leaf.code
        );
    }
});
