//! Web integration tests: the real router in process, on SQLite and PostgreSQL.

mod api;
mod api_admin;
mod api_appraisal;
mod api_writes;
mod app;
mod appraisal;
mod assignments;
mod auth;
mod browser;
mod exports;
mod external;
mod frameworks;
mod pages;
mod plan_import;
mod plans;
mod results;
mod rounds;
mod scoring_sheet;
mod self_report;
mod servers;
mod survey_contacts;
mod surveys;
