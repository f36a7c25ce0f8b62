//! Store integration tests. Every test runs on SQLite and on PostgreSQL.

mod accounts;
mod audit;
mod frameworks;
mod ledger;
mod schema;
mod sessions;
mod units;

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_765_000_000, 0).unwrap()
}
