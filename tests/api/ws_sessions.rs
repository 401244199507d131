//! Sessions end on open sockets too: logout, separation, a role change or the token's expiry
//! close `/graphql/ws` (4401, or 4403 for a role change) before anything more is delivered or
//! run; a bad `connection_init` closes with 4401; foreign origins cannot open a socket; SIGTERM
//! closes sockets with 1001 and the server exits promptly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::fixtures::active;
use crate::helpers::{LOGIN, PASSWORD, TestApp, fresh_database, spawn_app, spawn_app_with};
use crate::ws_client::Subscriber;

const EVENTS: &str = "subscription($d: String!) { moderationEvents(departmentCode: $d) { kind commentId } }";
const INGEST: &str = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }";

async fn ingest(app: &TestApp, token: &str, platform: &str, ext: &str) {
    let input = json!({"platformId": platform, "externalId": ext, "authorHandle": "@w", "body": "A question about visits"});
    let (_, b) = app.gql(INGEST, json!({"i": input}), Some(token)).await;
    assert!(b["data"]["ingestComment"]["id"].is_string(), "{b}");
}

/// A subscribed socket of the MT-DOC PIO and another session of the same user.
async fn watched(app: &TestApp) -> (Subscriber, String, crate::helpers::Session, String) {
    let platform = active(app, "MT-DOC").await;
    let watcher = app.login("pio@mt-doc.demo").await;
    let other = app.login("pio@mt-doc.demo").await.access;
    let mut sub = Subscriber::connect(&app.addr, &watcher.access).await.unwrap();
    sub.subscribe("1", EVENTS, json!({"d": "MT-DOC"})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    ingest(app, &other, &platform, "before").await;
    let first = sub.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(first["type"], "next", "{first}");
    (sub, platform, watcher, other)
}

#[tokio::test]
async fn logout_closes_the_open_socket_with_4401_before_the_next_event() {
    let app = spawn_app().await;
    let (mut sub, platform, watcher, other) = watched(&app).await;
    let (_, b) = app
        .gql(
            "mutation($r: String!) { logout(refreshToken: $r) }",
            json!({"r": watcher.refresh}),
            Some(&watcher.access),
        )
        .await;
    assert_eq!(b["data"]["logout"], true, "{b}");
    ingest(&app, &other, &platform, "after").await;
    let msg = sub.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        (msg["type"].as_str(), msg["code"].as_u64()),
        (Some("close"), Some(4401)),
        "{msg}"
    );
}

#[tokio::test]
async fn an_operation_on_a_socket_after_logout_closes_it_and_does_not_run() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let s = app.login("pio@mt-doc.demo").await;
    let mut sub = Subscriber::connect(&app.addr, &s.access).await.unwrap();
    sub.subscribe("q", "{ me { email } }", json!({})).await;
    let ok = sub.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(ok["payload"]["data"]["me"]["email"], "pio@mt-doc.demo", "{ok}");
    app.gql(
        "mutation($r: String!) { logout(refreshToken: $r) }",
        json!({"r": s.refresh}),
        Some(&s.access),
    )
    .await;
    let input = json!({"platformId": platform, "externalId": "ghost", "authorHandle": "@g", "body": "Hello"});
    sub.subscribe("m", INGEST, json!({"i": input})).await;
    assert_eq!(sub.close_code(Duration::from_secs(5)).await, Some(4401));
    let ghost = entity::comment::Entity::find()
        .filter(entity::comment::Column::ExternalId.eq("ghost"))
        .one(&app.state.db)
        .await
        .unwrap();
    assert!(ghost.is_none(), "the mutation did not run as the signed-out user");
}

#[tokio::test]
async fn separation_closes_the_socket_and_a_role_change_closes_it_with_4403() {
    let app = spawn_app().await;
    let (mut sub, platform, _, other) = watched(&app).await;
    app.sql("UPDATE users SET role = 'STAFF' WHERE email = 'pio@mt-doc.demo'")
        .await;
    // The other session is the same user: a director's session ingests now.
    let director = app.login("director@mt-doc.demo").await.access;
    ingest(&app, &director, &platform, "after-role").await;
    assert_eq!(sub.close_code(Duration::from_secs(5)).await, Some(4403));
    drop(other);

    let staff = app.login("staff@mt-doc.demo").await.access;
    let mut s = Subscriber::connect(&app.addr, &staff).await.unwrap();
    app.sql("UPDATE users SET status = 'SEPARATED' WHERE email = 'staff@mt-doc.demo'")
        .await;
    s.subscribe("q", "{ me { email } }", json!({})).await;
    assert_eq!(s.close_code(Duration::from_secs(5)).await, Some(4401));
}

#[tokio::test]
async fn a_socket_closes_with_4401_when_its_access_token_expires() {
    let app = spawn_app_with(|c| c.access_token_ttl = Duration::from_secs(2)).await;
    let s = app.login("pio@mt-doc.demo").await;
    let mut sub = Subscriber::connect(&app.addr, &s.access).await.unwrap();
    sub.subscribe("1", EVENTS, json!({"d": "MT-DOC"})).await;
    assert_eq!(sub.close_code(Duration::from_secs(8)).await, Some(4401));
}

#[tokio::test]
async fn a_bad_init_token_closes_with_4401_and_foreign_origins_are_refused() {
    let app = spawn_app().await;
    let err = Subscriber::connect(&app.addr, "not-a-token").await.err().unwrap();
    assert!(err.contains("4401"), "{err}");

    let token = app.login("pio@mt-doc.demo").await.access;
    let err = Subscriber::connect_from(&app.addr, &token, Some("https://evil.example"))
        .await
        .err()
        .unwrap();
    assert!(err.contains("403"), "{err}");
    assert!(
        Subscriber::connect_from(&app.addr, &token, Some("https://console.example.gov"))
            .await
            .is_ok(),
        "an allowed origin"
    );
    let own = app.addr.clone();
    assert!(
        Subscriber::connect_from(&app.addr, &token, Some(&own))
            .await
            .is_ok(),
        "the server's own origin"
    );
}

#[tokio::test]
async fn sigterm_closes_sockets_with_1001_and_the_server_exits_promptly() {
    let (url, _dir) = fresh_database().await;
    let (mut child, addr) = crate::helpers::serve_process(&url, &[]);
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{addr}/graphql"))
        .json(&json!({"query": LOGIN, "variables": {"email": "pio@mt-doc.demo", "password": PASSWORD}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = body["data"]["login"]["accessToken"].as_str().unwrap().to_owned();
    let mut sub = Subscriber::connect(&addr, &token).await.unwrap();
    sub.subscribe("1", EVENTS, json!({"d": "MT-DOC"})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let stopped = Instant::now();
    // The shell's own `kill`, so no procps is needed.
    let kill = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(sub.close_code(Duration::from_secs(5)).await, Some(1001));
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "a clean exit: {status}");
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "the server exits within seconds, not after the 30 s shutdown timeout"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
