//! Competition ranking on published values: higher is better, equal values share a rank and the
//! next rank skips (1, 2, 2, 4). Ties are shown in Vietnamese alphabetical order of the name.

use std::cmp::Ordering;

/// The display order (positions, best first) and each position's rank.
///
/// `value(i)` is the published value in hundredths; `tie(a, b)` orders equal values for display.
pub(crate) fn competition(
    n: usize,
    value: impl Fn(usize) -> i64,
    tie: impl Fn(usize, usize) -> Ordering,
) -> (Vec<usize>, Vec<u32>) {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        value(b)
            .cmp(&value(a))
            .then_with(|| tie(a, b))
            .then(a.cmp(&b))
    });
    let mut ranks = vec![0u32; n];
    let mut previous: Option<i64> = None;
    let mut rank = 0u32;
    for (place, &i) in order.iter().enumerate() {
        let v = value(i);
        if previous != Some(v) {
            rank = place as u32 + 1;
            previous = Some(v);
        }
        ranks[i] = rank;
    }
    (order, ranks)
}

/// The rank a value would have among `sorted_desc` (other units' values, best first).
pub(crate) fn rank_among(sorted_desc: &[i64], value: i64) -> u32 {
    sorted_desc.partition_point(|&v| v > value) as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let values = [8000, 9000, 8500, 8500, 7000];
        let names = ["E", "A", "C", "B", "D"];
        let (order, ranks) = competition(5, |i| values[i], |a, b| names[a].cmp(names[b]));
        assert_eq!(order, vec![1, 3, 2, 0, 4]);
        assert_eq!(ranks, vec![4, 1, 2, 2, 5]);
        assert_eq!(rank_among(&[9000, 8500, 8500, 8000], 8500), 2);
        assert_eq!(rank_among(&[9000, 8500, 8500, 8000], 8501), 2);
        assert_eq!(rank_among(&[9000, 8500, 8500, 8000], 8499), 4);
        assert_eq!(rank_among(&[], 0), 1);
    }
}
