//! The web layer's one error type, mapped to HTTP once. Handlers just use `?`.
//!
//! `into_response` only sets the status and attaches the error; the session middleware, which
//! knows the language and the account, renders the page (or JSON for `/api/`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chiso_core::lang::Lang;
use chiso_core::policy::Denial;
use chiso_store::StoreError;
use std::sync::Arc;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No session: sign in first.
    #[error("not signed in")]
    Unauthenticated,
    /// The account must change its password before anything else.
    #[error("password change required")]
    MustChangePassword,
    /// The policy refused.
    #[error("forbidden: {0:?}")]
    Forbidden(Denial),
    /// A cross-site request or a stale form.
    #[error("cross-site request refused")]
    Csrf,
    #[error("not found")]
    NotFound,
    /// Input that cannot be used, with a message for the person.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Conflict(what) => WebError::Conflict(what),
            other => WebError::Store(other),
        }
    }
}

impl WebError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::MustChangePassword | WebError::Forbidden(_) | WebError::Csrf => {
                StatusCode::FORBIDDEN
            }
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Store(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Unauthenticated => "unauthenticated",
            WebError::MustChangePassword => "password_change_required",
            WebError::Forbidden(_) => "forbidden",
            WebError::Csrf => "csrf",
            WebError::NotFound => "not_found",
            WebError::BadRequest(_) => "bad_request",
            WebError::Conflict(_) => "conflict",
            WebError::Store(_) | WebError::Internal(_) => "internal",
        }
    }

    /// The JSON twin of the error page, for `/api/`: `{"error": {"code", "message"}}`.
    pub fn json(&self, lang: Lang) -> Response {
        let message = match self {
            WebError::Unauthenticated => match lang {
                Lang::Vi => "Cần mã truy cập API hợp lệ: Authorization: Bearer chiso_…".to_string(),
                Lang::En => {
                    "A valid API token is required: Authorization: Bearer chiso_…".to_string()
                }
            },
            _ => self.explain(lang).1,
        };
        let body = serde_json::json!({ "error": { "code": self.code(), "message": message } });
        let mut response = (self.status(), axum::Json(body)).into_response();
        if matches!(self, WebError::Unauthenticated) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }

    /// A title and a sentence for the person, in their language.
    pub fn explain(&self, lang: Lang) -> (&'static str, String) {
        let vi = lang == Lang::Vi;
        match self {
            WebError::Unauthenticated => (
                if vi { "Cần đăng nhập" } else { "Sign-in needed" },
                if vi { "Phiên làm việc đã hết hạn hoặc bạn chưa đăng nhập." } else { "Your session has ended or you are not signed in." }.into(),
            ),
            WebError::MustChangePassword => (
                if vi { "Cần đổi mật khẩu" } else { "Password change needed" },
                if vi { "Bạn cần đổi mật khẩu trước khi tiếp tục." } else { "Change your password before going on." }.into(),
            ),
            WebError::Forbidden(d) => (
                if vi { "Không có quyền" } else { "Not allowed" },
                match (d, vi) {
                    (Denial::OwnUnit, true) => "Không được thẩm định đơn vị của chính mình.",
                    (Denial::OwnUnit, false) => "You cannot appraise your own unit.",
                    (Denial::OtherUnit, true) => "Tài khoản chỉ làm việc với đơn vị của mình.",
                    (Denial::OtherUnit, false) => "Your account works on its own unit only.",
                    (Denial::OtherField, true) => "Tài khoản không được phân công lĩnh vực này.",
                    (Denial::OtherField, false) => "Your account is not assigned to this field.",
                    (Denial::NotAssigned, true) => "Đợt đánh giá này phân công lĩnh vực cho tài khoản khác. Liên hệ Sở Nội vụ nếu cần đổi phân công.",
                    (Denial::NotAssigned, false) => "This round assigns the field to other accounts. Ask the Department of Home Affairs to change the assignment.",
                    (Denial::OwnEntry, true) => "Không được thẩm định lĩnh vực mình đã nhập.",
                    (Denial::OwnEntry, false) => "You cannot appraise a field you entered.",
                    (Denial::NoRole, true) => "Vai trò của tài khoản không cho phép thao tác này. Liên hệ Sở Nội vụ nếu cần cấp quyền.",
                    (Denial::NoRole, false) => "Your account's roles do not allow this. Ask the Department of Home Affairs if you need it.",
                }
                .into(),
            ),
            WebError::Csrf => (
                if vi { "Biểu mẫu đã cũ" } else { "Form expired" },
                if vi {
                    "Yêu cầu bị từ chối vì biểu mẫu đã cũ hoặc gửi từ trang khác. Hãy tải lại trang và thử lại; dữ liệu chưa được lưu."
                } else {
                    "The request was refused: the form is stale or came from another site. Reload the page and try again; nothing was saved."
                }
                .into(),
            ),
            WebError::NotFound => (
                if vi { "Không tìm thấy" } else { "Not found" },
                if vi { "Trang hoặc dữ liệu này không tồn tại." } else { "This page or record does not exist." }.into(),
            ),
            WebError::BadRequest(m) => (if vi { "Dữ liệu không hợp lệ" } else { "Invalid input" }, m.clone()),
            WebError::Conflict(what) => (
                if vi { "Đã tồn tại" } else { "Already exists" },
                if vi { format!("Đã có dữ liệu trùng: {what}.") } else { format!("A record already exists: {what}.") },
            ),
            WebError::Store(_) | WebError::Internal(_) => (
                if vi { "Lỗi hệ thống" } else { "System error" },
                if vi {
                    "Đã xảy ra lỗi; thao tác không được thực hiện. Hãy thử lại sau ít phút hoặc báo cho quản trị."
                } else {
                    "Something failed; nothing was changed. Try again in a few minutes or tell the administrator."
                }
                .into(),
            ),
        }
    }
}

/// Attached to error responses for the middleware to render.
#[derive(Debug, Clone)]
pub struct ErrorMarker(pub Arc<WebError>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if matches!(self, WebError::Store(_) | WebError::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = self.status().into_response();
        response
            .extensions_mut()
            .insert(ErrorMarker(Arc::new(self)));
        response
    }
}
