//! Login throttling: after too many failed attempts for one account name or from one address
//! within a window, further attempts are refused until the window has passed.
//!
//! The counts come from the database, so every app server sees the same attempts.

use chrono::{DateTime, Duration, Utc};

/// Limits for failed logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_address: 30,
        }
    }
}

/// Failed attempts seen within the window, oldest first.
#[derive(Debug, Clone, Default)]
pub struct RecentFailures {
    pub for_account: Vec<DateTime<Utc>>,
    pub from_address: Vec<DateTime<Utc>>,
}

/// Whether a login attempt may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    /// Refused without checking the password, until this moment.
    LockedUntil(DateTime<Utc>),
}

impl ThrottlePolicy {
    /// The earliest moment whose failures still count.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Decides from the failures inside the window.
    pub fn decide(&self, failures: &RecentFailures, now: DateTime<Utc>) -> ThrottleDecision {
        let start = self.window_start(now);
        let until = |times: &[DateTime<Utc>], max: u32| -> Option<DateTime<Utc>> {
            let recent: Vec<&DateTime<Utc>> = times.iter().filter(|t| **t > start).collect();
            if recent.len() as u32 >= max {
                // Unlocks when enough of the oldest failures leave the window.
                let idx = recent.len() - max as usize;
                Some(*recent[idx] + self.window)
            } else {
                None
            }
        };
        let a = until(&failures.for_account, self.max_failures_per_account);
        let b = until(&failures.from_address, self.max_failures_per_address);
        match a.into_iter().chain(b).max() {
            Some(t) => ThrottleDecision::LockedUntil(t),
            None => ThrottleDecision::Allow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn five_failures_lock_the_account_until_the_first_leaves_the_window() {
        let p = ThrottlePolicy::default();
        let mut f = RecentFailures::default();
        for m in 0..4 {
            f.for_account.push(at(m));
        }
        assert_eq!(p.decide(&f, at(5)), ThrottleDecision::Allow);
        f.for_account.push(at(4));
        assert_eq!(p.decide(&f, at(5)), ThrottleDecision::LockedUntil(at(15)));
        assert_eq!(p.decide(&f, at(15)), ThrottleDecision::Allow);
    }

    #[test]
    fn many_failures_from_one_address_lock_it() {
        let p = ThrottlePolicy::default();
        let f = RecentFailures {
            for_account: vec![],
            from_address: (0..30).map(|_| at(1)).collect(),
        };
        assert_eq!(p.decide(&f, at(2)), ThrottleDecision::LockedUntil(at(16)));
    }
}
