//! Improvement plans (kế hoạch nâng cao Chỉ số CCHC): deadlines as plans write them, the
//! official task status, counts per unit and field, KPI targets with a direction, and the draft
//! a plan starts from: a goal per field and tasks for the points a unit lost.

pub mod deadline;
pub mod draft;
pub mod imported;
pub mod kpi;
pub mod reporting;
pub mod status;

pub use deadline::Deadline;
pub use kpi::Direction;
pub use status::{Tally, TaskStatus, status};
