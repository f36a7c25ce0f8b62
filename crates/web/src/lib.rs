//! chiso's web layer: axum handlers, askama templates, sessions and CSRF, static assets.
//!
//! Handlers stay thin: they read the request, ask `chiso_core::policy` whether the account may
//! act, call the store, and render a page. SQL never appears here.

pub mod api;
mod assets;
pub mod auth;
mod config;
mod error;
mod i18n;
mod middleware;
pub mod notify;
mod pages;
pub mod pdf;

pub use auth::password::{PasswordParams, hash_password};
pub use config::WebConfig;
pub use error::WebError;
pub use pages::surveys::write_campaign_points;

use axum::Router;
use chiso_store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    /// Evidence file contents.
    pub files: chiso_store::evidence::Files,
}

impl AppState {
    /// Builds the state for a store and configuration; the evidence folder is created if
    /// missing (an S3 bucket is not contacted: see [`chiso_store::evidence::Files::check`]).
    pub fn new(store: Store, config: WebConfig) -> Result<AppState, chiso_store::StoreError> {
        let files = match &config.evidence_s3 {
            Some(s3) => chiso_store::evidence::Files::s3(s3)?,
            None => chiso_store::evidence::Files::local(&config.evidence_dir)?,
        };
        Ok(AppState {
            store,
            config: Arc::new(config),
            files,
        })
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    pages::routes(state.clone())
        .merge(api::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on an already bound listener until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let background_state = state.clone();
    let background = tokio::spawn(async move {
        let state = background_state;
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        let mut minutes: u64 = 0;
        loop {
            tick.tick().await;
            // Hourly: expired sessions (harmless but they pile up) and deadline reminders.
            if minutes.is_multiple_of(60) {
                let now = chrono::Utc::now();
                if let Err(e) = state.store.purge_expired_sessions(now).await {
                    tracing::warn!(error = %e, "could not purge expired sessions");
                }
                let today = chiso_core::format::vietnam_day(now);
                if let Err(e) = notify::remind_deadlines(&state, today).await {
                    tracing::warn!(error = %e, "could not write deadline reminders");
                }
                if let Err(e) = notify::remind_tasks(&state, today).await {
                    tracing::warn!(error = %e, "could not write plan task reminders");
                }
                if let Err(e) = notify::remind_reports(&state, today).await {
                    tracing::warn!(error = %e, "could not write report reminders");
                }
            }
            if let Err(e) = notify::send_emails(&state).await {
                tracing::warn!(error = %e, "could not send e-mail notices");
            }
            minutes += 1;
        }
    });
    // Exports: every few seconds each server claims what is queued (one job, one server).
    let jobs_state = state.clone();
    let jobs = tokio::spawn(async move {
        let server = format!("{}-{}", std::process::id(), rand_suffix());
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            if let Err(e) = pages::exports::run_pending(&jobs_state, &server).await {
                tracing::warn!(error = %e, "could not run exports");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    background.abort();
    jobs.abort();
    result
}

/// A few random hex digits naming this server's claims.
fn rand_suffix() -> String {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Runs the queued exports now (tests, and a server that wants them done before it answers).
pub async fn run_exports(state: &AppState) -> Result<usize, WebError> {
    pages::exports::run_pending(state, "direct").await
}
