//! Criteria frameworks (bộ chỉ số): versioned trees of fields → criteria → sub-criteria with
//! maximum points and, on every leaf, exactly one scoring rule.
//!
//! Frameworks are data: imported, validated (every problem at once, each naming its node),
//! compared, and never hard-coded.

pub mod applicability;
#[cfg(any(test, feature = "arbitrary"))]
pub mod arbitrary;
pub mod crosswalk;
pub mod diff;
pub mod library;
pub mod model;
pub mod points;
pub mod rules;
pub mod validate;
pub mod yaml;

pub use model::{Band, Framework, Level, Node, Rule};
pub use points::Points;
