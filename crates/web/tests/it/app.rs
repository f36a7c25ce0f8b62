//! A test client that keeps cookies and finds CSRF tokens, like a browser would.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chiso_store::Store;
use chiso_store::testing::TestDb;
use chiso_web::{AppState, PasswordParams, WebConfig};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use std::collections::HashMap;
use tower::ServiceExt;

/// A fresh database holding the demo province, hashed with cheap test parameters.
pub async fn demo_store(db: &TestDb) {
    let hash =
        chiso_web::hash_password(chiso_core::demo::PASSWORD, PasswordParams::fast_for_tests());
    db.store.seed_demo(&hash, chrono::Utc::now()).await.unwrap();
}

pub fn app(store: Store) -> Router {
    chiso_web::router(AppState::new(store, test_config()).unwrap())
}

/// A round on the golden framework for Sở Tư pháp, open for self-assessment, whose submission
/// is due `due_in_days` from today (negative: already past). Returns (round id, unit id).
pub async fn stp_round(store: &Store, due_in_days: i64) -> (i64, i64) {
    use chiso_core::round::phase::Phase;
    use chiso_core::round::schedule::Schedule;
    use chiso_store::audit::By;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/golden/frameworks/good.yaml"
    ))
    .unwrap();
    let f = chiso_core::framework::yaml::from_yaml(&text).unwrap();
    let now = chrono::Utc::now();
    let fid = store
        .import_framework(&f, "good.yaml", &By::system("t"), now)
        .await
        .unwrap();
    let due = chiso_core::format::vietnam_day(now) + chrono::Duration::days(due_in_days);
    let schedule = Schedule {
        self_assessment_opens: due - chrono::Duration::days(30),
        submission_due: due,
        appraisal1_due: due + chrono::Duration::days(10),
        explanation_due: due + chrono::Duration::days(15),
        appraisal2_due: due + chrono::Duration::days(20),
    };
    let stp = store.unit_by_code("STP").await.unwrap().unwrap().id;
    let r = store
        .create_round(
            fid,
            "Đánh giá thử",
            &schedule,
            &[stp],
            &By::system("t"),
            now,
        )
        .await
        .unwrap();
    store
        .set_round_phase(
            r,
            Phase::Preparing,
            Phase::SelfAssessment,
            "",
            &By::system("t"),
            now,
        )
        .await
        .unwrap();
    (r.0, stp.0)
}

/// Cheap hashing, and evidence files in a folder of their own under the temp directory.
pub fn test_config() -> WebConfig {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    WebConfig {
        password: PasswordParams::fast_for_tests(),
        evidence_dir: std::env::temp_dir()
            .join(format!("chiso-evidence-{}-{n}", std::process::id())),
        ..WebConfig::default()
    }
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Text of the elements matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches {selector} in:\n{}", self.body))
    }

    pub fn count(&self, selector: &str) -> usize {
        self.texts(selector).len()
    }

    fn csrf(&self) -> Option<String> {
        let sel = Selector::parse("input[name=_csrf]").unwrap();
        self.html()
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_string)
    }
}

/// A browser-like client: cookies kept, the last CSRF token remembered.
pub struct Client {
    pub app: Router,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
}

impl Client {
    pub fn new(app: Router) -> Client {
        Client {
            app,
            cookies: HashMap::new(),
            csrf: None,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Page {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let location = headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let page = Page {
            status,
            location,
            headers,
            body,
            bytes,
        };
        if let Some(t) = page.csrf() {
            self.csrf = Some(t);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn get_htmx(&mut self, path: &str) -> Page {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .header("hx-request", "true")
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form with the remembered CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("_csrf", &token));
        self.post_raw(path, &all, &[]).await
    }

    /// Posts owned field pairs (a whole form as a browser would), with the CSRF token if absent.
    pub async fn post_pairs(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let token = self.csrf.clone().unwrap_or_default();
        if !fields.iter().any(|(k, _)| k == "_csrf") {
            all.push(("_csrf", &token));
        }
        self.post_raw(path, &all, &[]).await
    }

    /// Posts exactly these fields with extra headers.
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Uploads a file as `multipart/form-data`, the token in the query as the page does.
    pub async fn upload(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        content: &[u8],
    ) -> Page {
        self.upload_with(path, &[], field, filename, content).await
    }

    /// A multipart form with text fields and one file.
    pub async fn upload_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        field: &str,
        filename: &str,
        content: &[u8],
    ) -> Page {
        let boundary = "chisoboundary7MA4YWxk";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let token = self.csrf.clone().unwrap_or_default();
        let req = Request::post(format!("{path}?_csrf={token}"))
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the login form; returns the response to the form post.
    pub async fn login(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        self.post(
            "/login",
            &[("username", username), ("password", password), ("next", "")],
        )
        .await
    }

    /// Signs in with a demo account and loads the dashboard (picking up the session token).
    pub async fn login_demo(&mut self, username: &str) -> Page {
        let r = self.login(username, chiso_core::demo::PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {username} failed: {}",
            r.body
        );
        let page = self.get("/").await;
        assert_eq!(page.status, StatusCode::OK);
        page
    }
}

/// Writes each test for SQLite and PostgreSQL; the body gets a fresh demo database as `$db`.
#[macro_export]
macro_rules! web_tests {
    ($(async fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    let $db = chiso_store::testing::TestDb::sqlite().await;
                    $crate::app::demo_store(&$db).await;
                    $body
                    $db.finish().await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some($db) = chiso_store::testing::TestDb::postgres().await else { return };
                    $crate::app::demo_store(&$db).await;
                    $body
                    $db.finish().await;
                }
            }
        )*
    };
}
