//! Several app servers on one PostgreSQL: a login made through one is valid on the other.

use crate::app::{Client, app, demo_store};
use axum::http::StatusCode;
use chiso_store::testing::TestDb;
use chiso_store::{ConnectOptions, Store};

#[tokio::test]
async fn two_app_servers_share_sessions_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    demo_store(&db).await;
    // Two independent stores (pools), as two processes would have.
    let other = Store::connect(&db.url, &ConnectOptions::default())
        .await
        .unwrap();
    let mut a = Client::new(app(db.store.clone()));
    a.login_demo("lan.noivu").await;
    let mut b = Client::new(app(other.clone()));
    b.cookies = a.cookies.clone();
    let page = b.get("/accounts").await;
    assert_eq!(page.status, StatusCode::OK);
    // A logout on B ends the session on A as well.
    b.post("/logout", &[]).await;
    assert_eq!(a.get("/accounts").await.status, StatusCode::SEE_OTHER);
    other.close().await;
    db.finish().await;
}
