//! Just enough HTTP/1.1 to sign in to a running server, without another client library.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of the first `<input name=NAME value=…>`.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

/// A cookie jar and a server address.
pub struct Session {
    pub addr: String,
    pub cookies: HashMap<String, String>,
}

impl Session {
    pub fn new(addr: &str) -> Session {
        Session {
            addr: addr.to_string(),
            cookies: HashMap::new(),
        }
    }

    pub fn request(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>) -> Response {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to chiso");
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let body = form
            .map(|f| {
                f.iter()
                    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                    .collect::<Vec<_>>()
                    .join("&")
            })
            .unwrap_or_default();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if form.is_some() {
            req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                if v.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        // Bodies here are small; chunked framing, if any, does not matter to the checks.
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Signs in through the form, as a browser would.
    pub fn login(&mut self, username: &str, password: &str) -> Response {
        let form = self.request("GET", "/login", None);
        let token = form.input_value("_csrf").expect("login form token");
        self.request(
            "POST",
            "/login",
            Some(&[
                ("_csrf", &token),
                ("username", username),
                ("password", password),
            ]),
        )
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
