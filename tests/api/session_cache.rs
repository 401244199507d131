//! Requests of a known session cost no SQL statement to authenticate, and whatever ends or
//! changes a session still counts from the next request: the services' own changes, a change
//! made in the database by hand, and (on PostgreSQL) a change made on another instance.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::json;

use crate::fixtures::my_id;
use crate::helpers::{TestApp, code, spawn_app};

const TYPENAME: &str = "{ __typename }";
const QUEUE: &str = "{ moderationQueue(departmentCode: \"MT-DOC\", first: 1) { edges { cursor } } }";
const ASSIGN: &str = "mutation($u: ID!, $r: Role!) { assignRole(userId: $u, role: $r) { role } }";
const LOGOUT: &str = "mutation($t: String!) { logout(refreshToken: $t) }";

fn postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"))
}

/// The error code of `query` as `token`, once the change has had `grace` to arrive.
async fn code_after(app: &TestApp, query: &str, token: &str, want: &str, grace: Duration) -> String {
    let start = Instant::now();
    loop {
        let (_, b) = app.gql(query, json!({}), Some(token)).await;
        let got = code(&b).to_owned();
        if got == want || start.elapsed() >= grace {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How long a change made outside this instance's services may take to be seen: nothing on
/// SQLite (the next request reads the WAL index); on PostgreSQL the notification's trip.
fn grace() -> Duration {
    if postgres() {
        Duration::from_secs(2)
    } else {
        Duration::ZERO
    }
}

#[tokio::test]
async fn a_known_session_is_authenticated_without_a_statement() {
    let app = spawn_app().await;
    let s = app.login("pio@mt-doc.demo").await;
    let (_, b) = app.gql(TYPENAME, json!({}), Some(&s.access)).await;
    assert!(b["errors"].is_null(), "{b}");
    // On PostgreSQL the cache answers once its listener is listening.
    let start = Instant::now();
    loop {
        let before = app.statements().await;
        for _ in 0..5 {
            let (_, b) = app.gql(TYPENAME, json!({}), Some(&s.access)).await;
            assert_eq!(b["data"]["__typename"], "Query", "{b}");
        }
        let cost = app.statements().await - before;
        if cost == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "five requests cost {cost} statements"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_role_change_and_a_logout_count_from_the_next_request() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let pio = app.login("pio@mt-doc.demo").await;
    let (_, b) = app.gql(QUEUE, json!({}), Some(&pio.access)).await;
    assert!(b["errors"].is_null(), "the PIO moderates: {b}");
    let pio_id = my_id(&app, &pio.access).await;
    let (_, b) = app
        .gql(ASSIGN, json!({"u": pio_id, "r": "STAFF"}), Some(&director))
        .await;
    assert_eq!(b["data"]["assignRole"]["role"], "STAFF", "{b}");
    let (_, b) = app.gql(QUEUE, json!({}), Some(&pio.access)).await;
    assert_eq!(code(&b), "FORBIDDEN", "staff do not moderate: {b}");

    let (_, b) = app.gql(LOGOUT, json!({"t": pio.refresh}), None).await;
    assert_eq!(b["data"]["logout"], true);
    let (_, b) = app.gql(TYPENAME, json!({}), Some(&pio.access)).await;
    assert_eq!(code(&b), "UNAUTHENTICATED", "{b}");
}

#[tokio::test]
async fn a_suspension_written_in_the_database_by_hand_counts_too() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    for _ in 0..3 {
        let (_, b) = app.gql(TYPENAME, json!({}), Some(&s.access)).await;
        assert!(b["errors"].is_null(), "{b}");
    }
    app.sql("UPDATE users SET status = 'SUSPENDED' WHERE email = 'staff@mt-doc.demo'")
        .await;
    assert_eq!(
        code_after(&app, TYPENAME, &s.access, "UNAUTHENTICATED", grace()).await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn on_postgres_a_logout_on_one_instance_ends_the_session_on_another() {
    if !postgres() {
        eprintln!("skipped: needs TEST_DATABASE_URL=postgres://…");
        return;
    }
    let first = spawn_app().await;
    let second = first.another_instance().await;
    let s = first.login("pio@mt-doc.demo").await;
    for _ in 0..3 {
        let (_, b) = second.gql(QUEUE, json!({}), Some(&s.access)).await;
        assert!(b["errors"].is_null(), "the other instance knows the session: {b}");
    }
    let (_, b) = first.gql(LOGOUT, json!({"t": s.refresh}), None).await;
    assert_eq!(b["data"]["logout"], true);
    assert_eq!(
        code_after(&second, QUEUE, &s.access, "UNAUTHENTICATED", grace()).await,
        "UNAUTHENTICATED"
    );
}
