//! Year on year: each unit's change in points and rank ("tăng 08 bậc"), overall and per field,
//! across framework versions through the crosswalk.

use super::compute::Results;
use crate::framework::Points;
use crate::framework::crosswalk::Crosswalk;
use rust_decimal::Decimal;

/// One field's change for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's position in this year's layout.
    pub field: usize,
    /// The node it continues in last year's layout, if any.
    pub previous: Option<usize>,
    /// Exact change in points; `None` when the field is new or did not apply in either year.
    pub points_change: Option<Points>,
    /// Exact change in the field's percentage (percentage points).
    pub percent_change: Option<Decimal>,
    pub previous_rank: Option<u32>,
    /// Positive = moved up.
    pub rank_change: Option<i64>,
}

/// One unit's change since last year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitChange {
    pub previous_total: Points,
    /// Exact change in total points.
    pub total_change: Points,
    pub previous_published_index: Decimal,
    /// Exact change of the index in percentage points (round with [`super::published`]).
    pub index_change: Decimal,
    pub previous_rank: u32,
    /// Positive = moved up ("tăng 8 bậc"), negative = moved down.
    pub rank_change: i64,
    /// One entry per field of this year's framework, in order.
    pub fields: Vec<FieldChange>,
}

/// Changes from `previous` to `current`. `matches[i]` is the position in `previous` of the unit
/// at position `i` in `current` (callers match their own ids); a unit absent last year gets
/// `None`, not a change of 0. `crosswalk` maps this year's codes to last year's
/// ([`crate::framework::crosswalk::crosswalk`]).
pub fn year_on_year(
    current: &Results<'_>,
    previous: &Results<'_>,
    crosswalk: &Crosswalk,
    matches: &[Option<usize>],
) -> Vec<Option<UnitChange>> {
    let layout = current.layout();
    let old_layout = previous.layout();
    let continued: Vec<Option<usize>> = layout
        .fields()
        .iter()
        .map(|&f| {
            let code = &layout.nodes()[f].code;
            crosswalk
                .pairs
                .iter()
                .find(|(_, new)| new == code)
                .and_then(|(old, _)| old_layout.position(old))
        })
        .collect();
    let now_ranks = current.field_ranks();
    let old_ranks = previous.field_ranks();
    (0..current.units().len())
        .map(|i| {
            let j = matches.get(i).copied().flatten()?;
            let (now, before) = (&current.units()[i], previous.units().get(j)?);
            let fields = layout
                .fields()
                .iter()
                .zip(&continued)
                .map(|(&f, &old)| {
                    let n = current.node(i, f);
                    let o = old.map(|o| previous.node(j, o));
                    let both = o.filter(|o| n.applicable && o.applicable);
                    let previous_rank = old.and_then(|o| old_ranks.rank_of(j, o));
                    let rank_now = now_ranks.rank_of(i, f);
                    FieldChange {
                        field: f,
                        previous: old,
                        points_change: both.map(|o| n.points - o.points),
                        percent_change: both.and_then(|o| Some(n.percent()? - o.percent()?)),
                        previous_rank,
                        rank_change: previous_rank
                            .zip(rank_now)
                            .map(|(p, r)| i64::from(p) - i64::from(r)),
                    }
                })
                .collect();
            Some(UnitChange {
                previous_total: before.total,
                total_change: now.total - before.total,
                previous_published_index: before.published_index,
                index_change: now.index() - before.index(),
                previous_rank: before.rank,
                rank_change: i64::from(before.rank) - i64::from(now.rank),
                fields,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::crosswalk::{clone_for_year, crosswalk};
    use crate::results::compute::compute;
    use crate::results::layout::Layout;
    use crate::results::layout::tests::{good, input, p};
    use std::str::FromStr;

    #[test]
    fn changes_follow_units_and_renumbered_fields() {
        let old = good();
        let mut new = clone_for_year(&old, 2026);
        // Field 2 is renumbered 3 this year (and its children follow).
        fn renumber(n: &mut crate::framework::Node) {
            n.code = format!("3{}", &n.code[1..]);
            for c in &mut n.children {
                renumber(c);
            }
        }
        renumber(&mut new.fields[1]);
        new.fields[1].previous_code = Some("2".into());
        let cw = crosswalk(&old, &new);
        let (lo, ln) = (Layout::new(&old), Layout::new(&new));
        let last: Vec<_> = [
            input("Sở A", &[("1.2", "2"), ("2.1", "1")], &[]),
            input("Sở B", &[("1.2", "1"), ("2.1", "1.5")], &[]),
        ]
        .iter()
        .map(|i| lo.prepare(i).unwrap())
        .collect();
        let this: Vec<_> = [
            input("Sở B", &[("1.2", "2"), ("3.1", "2")], &[]),
            input("Sở A", &[("1.2", "1.5"), ("3.1", "1")], &[]),
            input("Sở mới", &[("1.2", "2")], &[]),
        ]
        .iter()
        .map(|i| ln.prepare(i).unwrap())
        .collect();
        let (ro, rn) = (compute(&lo, &last), compute(&ln, &this));
        let changes = year_on_year(&rn, &ro, &cw, &[Some(1), Some(0), None]);
        let b = changes[0].as_ref().unwrap();
        assert_eq!((b.previous_total, b.total_change), (p("2.5"), p("1.5")));
        assert_eq!((b.previous_rank, b.rank_change), (2, 1));
        assert_eq!(b.index_change, Decimal::from_str("15").unwrap());
        let a = changes[1].as_ref().unwrap();
        assert_eq!((a.total_change, a.rank_change), (p("-0.5"), -1));
        let field3 = &a.fields[1];
        assert_eq!(field3.previous, lo.position("2"));
        assert_eq!(field3.points_change, Some(Points::ZERO));
        assert_eq!(field3.rank_change, Some(0));
        let field1 = &a.fields[0];
        assert_eq!(field1.points_change, Some(p("-0.5")));
        assert_eq!(
            field1.percent_change,
            Some(Decimal::from_str("-12.5").unwrap())
        );
        assert_eq!(
            (field1.previous_rank, field1.rank_change),
            (Some(1), Some(-2))
        );
        assert_eq!(changes[2], None, "absent last year: no change, not 0");
    }
}
