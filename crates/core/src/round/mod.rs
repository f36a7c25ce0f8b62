//! Assessment rounds (đợt đánh giá): the round's phases and dates, each unit's progress through
//! self-assessment, submission, two appraisals and the explanation between them, and the
//! tamper-evident ledger of every score event.
//!
//! Pure decisions only: the store records what these functions allow.

pub mod appraisal;
pub mod assignment;
pub mod entry;
pub mod evidence;
pub mod ledger;
pub mod phase;
pub mod schedule;
pub mod workflow;
