//! Sample quotas: how many forms each unit should collect from each group (e.g. 30 per
//! department from its leaders), and how far collection has got.

use super::aggregate::Aggregation;
use serde::Serialize;
use std::collections::HashMap;

/// The forms expected from a group for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub unit: String,
    pub group: String,
    pub quota: u32,
}

/// Collection against a quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaProgress {
    pub unit: String,
    pub group: String,
    pub answered: u32,
    pub quota: u32,
    /// Forms still missing (0 when the quota is met).
    pub short: u32,
}

impl QuotaProgress {
    /// Whether fewer forms than the quota were collected.
    pub fn is_short(&self) -> bool {
        self.short > 0
    }

    /// Answered ÷ quota in percent (100 for a quota of 0).
    pub fn percent(&self) -> f64 {
        if self.quota == 0 {
            100.0
        } else {
            f64::from(self.answered) / f64::from(self.quota) * 100.0
        }
    }
}

/// Progress of every quota, in the quotas' order.
pub fn quota_progress(aggregation: &Aggregation, quotas: &[Quota]) -> Vec<QuotaProgress> {
    let answered: HashMap<(&str, &str), u32> = aggregation
        .groups
        .iter()
        .map(|g| ((g.unit.as_str(), g.group.as_str()), g.responses))
        .collect();
    quotas
        .iter()
        .map(|q| {
            let unit = crate::units::normalize_code(&q.unit);
            let done = answered
                .get(&(unit.as_str(), q.group.as_str()))
                .copied()
                .unwrap_or(0);
            QuotaProgress {
                unit,
                group: q.group.clone(),
                answered: done,
                quota: q.quota,
                short: q.quota.saturating_sub(done),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::aggregate::GroupCount;

    #[test]
    fn short_quotas_are_flagged() {
        let a = Aggregation {
            groups: vec![GroupCount {
                unit: "SNV".into(),
                group: "lanh_dao_so".into(),
                responses: 24,
            }],
            ..Default::default()
        };
        let p = quota_progress(
            &a,
            &[
                Quota {
                    unit: "snv".into(),
                    group: "lanh_dao_so".into(),
                    quota: 30,
                },
                Quota {
                    unit: "STP".into(),
                    group: "lanh_dao_so".into(),
                    quota: 30,
                },
                Quota {
                    unit: "SNV".into(),
                    group: "lanh_dao_so".into(),
                    quota: 20,
                },
            ],
        );
        assert_eq!((p[0].answered, p[0].short, p[0].is_short()), (24, 6, true));
        assert_eq!(p[0].percent(), 80.0);
        assert_eq!((p[1].answered, p[1].short), (0, 30));
        assert!(!p[2].is_short());
    }
}
