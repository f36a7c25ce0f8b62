//! Authentication: password hashing, session tokens and the signed-in user.

pub mod password;
pub mod session;
pub mod user;

pub use user::CurrentUser;
