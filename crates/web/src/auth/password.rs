//! Argon2id password hashing, off the async threads.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordParams {
    /// The OWASP recommendation for argon2id (19 MiB, 2 passes, 1 lane).
    fn default() -> Self {
        PasswordParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordParams {
    /// Cheap parameters for tests only.
    pub fn fast_for_tests() -> Self {
        PasswordParams {
            memory_kib: 256,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .unwrap_or(Params::DEFAULT);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

/// Hashes a password to a PHC string (blocking; call from a blocking thread).
pub fn hash_password(password: &str, params: PasswordParams) -> String {
    params
        .argon2()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with valid parameters")
        .to_string()
}

/// Checks a password against a stored PHC string (blocking). A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// [`hash_password`] on the blocking pool.
pub async fn hash_async(password: String, params: PasswordParams) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password, params))
        .await
        .expect("hashing task")
}

/// [`verify_password`] on the blocking pool. With no stored hash a dummy one is checked, so
/// that unknown user names take as long as wrong passwords.
pub async fn verify_async(password: String, hash: Option<String>, params: PasswordParams) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let dummy = hash_password("chiso-timing-equaliser", params);
            let _ = verify_password(&password, &dummy);
            false
        }
    })
    .await
    .expect("verification task")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let p = PasswordParams::fast_for_tests();
        let a = hash_password("Hoa sen nở 2025", p);
        let b = hash_password("Hoa sen nở 2025", p);
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("Hoa sen nở 2025", &a));
        assert!(!verify_password("Hoa sen no 2025", &a));
        assert!(!verify_password("x", "not a hash"));
    }
}
