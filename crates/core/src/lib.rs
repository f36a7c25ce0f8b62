//! The PAR index domain, pure and synchronous: no I/O, no async, no SQL.
//!
//! Other crates load data (store), take decisions here, and present them (web, cli).

pub mod demo;
pub mod demo_scale;
pub mod external;
pub mod format;
pub mod framework;
pub mod ids;
pub mod lang;
pub mod password;
pub mod plan;
pub mod plan_import;
pub mod policy;
pub mod results;
pub mod roles;
pub mod round;
pub mod survey;
pub mod text;
pub mod throttle;
pub mod units;
