//! Timestamps are stored as Unix milliseconds: the same integer on both backends, ordered
//! correctly by either, and always bound from Rust.

use chrono::{DateTime, Utc};

/// A timestamp as stored.
pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored timestamp back as a time (out-of-range values clamp to the epoch).
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
