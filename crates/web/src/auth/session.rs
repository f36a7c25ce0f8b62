//! Session tokens and cookies. The browser holds a random token; the database holds its hash.

use sha2::{Digest, Sha256};

/// The session cookie.
pub const SESSION_COOKIE: &str = "chiso_session";
/// The pre-login CSRF cookie (double-submit for the login form).
pub const LOGIN_CSRF_COOKIE: &str = "chiso_login_csrf";
/// The language preference cookie.
pub const LANG_COOKIE: &str = "chiso_lang";
/// A one-shot notice shown on the next page.
pub const FLASH_COOKIE: &str = "chiso_flash";

/// How every API token secret begins, so that leaked secrets are easy to recognise.
pub const API_TOKEN_PREFIX: &str = "chiso_";

/// A new API token secret: the prefix and 32 random bytes, hex-encoded.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", new_token())
}

/// A random token of 32 bytes, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    hex(&bytes)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A `Set-Cookie` value.
pub fn cookie(name: &str, value: &str, secure: bool, max_age_secs: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// A `Set-Cookie` value that removes a cookie.
pub fn expired_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", secure, Some(0))
}

/// The value of cookie `name` in a `Cookie` header.
pub fn read_cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookies_are_read_from_any_header_position() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; chiso_session=abc; b=2".parse().unwrap());
        assert_eq!(read_cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(read_cookie(&h, "c"), None);
        assert!(cookie("x", "y", true, None).contains("HttpOnly; SameSite=Lax; Secure"));
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
