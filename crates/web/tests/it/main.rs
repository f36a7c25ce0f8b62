//! Web integration tests: the real router in process, on SQLite and PostgreSQL.

mod app;
mod appraisal;
mod auth;
mod browser;
mod frameworks;
mod pages;
mod rounds;
mod servers;
