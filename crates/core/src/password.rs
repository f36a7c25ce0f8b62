//! Password rules, checked before hashing.

use crate::lang::Lang;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    ContainsUsername,
    Mismatch,
    SameAsOld,
}

impl PasswordProblem {
    /// What to tell the person choosing it.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (PasswordProblem::TooShort, Lang::Vi) => {
                format!("Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
            }
            (PasswordProblem::TooShort, Lang::En) => {
                format!("The password needs at least {MIN_LENGTH} characters.")
            }
            (PasswordProblem::TooLong, Lang::Vi) => "Mật khẩu dài quá 256 ký tự.".into(),
            (PasswordProblem::TooLong, Lang::En) => {
                "The password is longer than 256 characters.".into()
            }
            (PasswordProblem::ContainsUsername, Lang::Vi) => {
                "Mật khẩu không được chứa tên đăng nhập.".into()
            }
            (PasswordProblem::ContainsUsername, Lang::En) => {
                "The password must not contain the user name.".into()
            }
            (PasswordProblem::Mismatch, Lang::Vi) => "Hai lần nhập mật khẩu mới không khớp.".into(),
            (PasswordProblem::Mismatch, Lang::En) => "The two new passwords differ.".into(),
            (PasswordProblem::SameAsOld, Lang::Vi) => {
                "Mật khẩu mới phải khác mật khẩu hiện tại.".into()
            }
            (PasswordProblem::SameAsOld, Lang::En) => {
                "The new password must differ from the current one.".into()
            }
        }
    }
}

/// Checks a new password for an account.
pub fn check_new(username: &str, new: &str, repeat: &str) -> Result<(), PasswordProblem> {
    if new != repeat {
        return Err(PasswordProblem::Mismatch);
    }
    let chars = new.chars().count();
    if chars < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if chars > 256 {
        return Err(PasswordProblem::TooLong);
    }
    if !username.is_empty() && new.to_lowercase().contains(&username.to_lowercase()) {
        return Err(PasswordProblem::ContainsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(
            check_new("lan", "ngắn", "ngắn"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new("lan", "mật khẩu dài", "khác"),
            Err(PasswordProblem::Mismatch)
        );
        assert_eq!(
            check_new("lan.noivu", "LAN.NOIVU-2025", "LAN.NOIVU-2025"),
            Err(PasswordProblem::ContainsUsername)
        );
        assert_eq!(
            check_new("lan", "Hoa sen nở 2025", "Hoa sen nở 2025"),
            Ok(())
        );
        // Vietnamese letters count as one character each.
        assert_eq!(
            check_new("x", "đường dài", "đường dài"),
            Err(PasswordProblem::TooShort)
        );
    }
}
