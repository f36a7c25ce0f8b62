//! Core integration tests: golden framework files.

mod golden;
mod library;
