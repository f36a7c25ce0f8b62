//! Persistence for chiso: one SQL set that runs on SQLite (embedded, the default) and on
//! PostgreSQL (production and several app servers).
//!
//! Every query lives in this crate. Other crates see typed records from `chiso-core` and the
//! [`Store`] methods; they never see SQL or a pool.

#[macro_use]
mod db;
#[macro_use]
pub mod audit;
#[macro_use]
pub mod units;
#[macro_use]
pub mod accounts;
pub mod api_tokens;
pub mod demo;
mod error;
pub mod evidence;
pub mod external;
pub mod frameworks;
#[macro_use]
pub mod ledger;
pub mod appraisals;
pub mod assignments;
pub mod backup;
pub mod bulk;
pub mod entries;
pub mod inspections;
pub mod jobs;
pub mod login_attempts;
pub mod notifications;
pub mod plans;
pub mod reporting;
pub mod results;
pub mod rounds;
mod search;
pub mod sessions;
pub mod settings;
pub mod surveys;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod time;

pub use db::{Backend, ConnectOptions, Store, redact_url};
pub use error::StoreError;
pub use time::{from_millis, to_millis};
