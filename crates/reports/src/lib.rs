//! Documents chiso produces, in the formats a civil servant expects: Vietnamese headers, merged
//! title rows, day-first dates, frozen headers, A4 print setup.
//!
//! Functions here take domain data and return bytes (and, for files people edit in Excel, read
//! them back); they do no I/O of their own.

pub mod annex_xlsx;
pub mod bundle;
pub mod contacts_xlsx;
pub mod docx;
pub mod docx_writer;
pub mod framework_file;
pub mod framework_xlsx;
pub mod plan_xlsx;
pub mod printed_table;
pub mod ranking_xlsx;
#[cfg(test)]
mod read_back;
pub mod scoring_sheet;
pub mod self_assessment_docx;
pub mod sheet_rows;
pub mod survey_xlsx;
pub mod units;

/// A document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("Excel writer: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("zip writer: {0}")]
    Bundle(String),
}
