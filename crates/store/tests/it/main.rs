//! Store integration tests. Every database test runs on SQLite and on PostgreSQL; the
//! evidence files test runs on an S3-compatible server.

mod accounts;
mod api;
mod audit;
mod external;
mod frameworks;
mod jobs;
mod ledger;
mod plans;
mod s3;
mod schema;
mod sessions;
mod surveys;
mod units;

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_765_000_000, 0).unwrap()
}
