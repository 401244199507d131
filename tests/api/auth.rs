//! Login, refresh-token rotation, reuse detection, logout, account status, throttling.

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{LOGIN, PASSWORD, code, spawn_app, spawn_app_with};

const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";
const LOGOUT: &str = "mutation($t: String!) { logout(refreshToken: $t) }";
const ME: &str = "{ me { email role status department { code } } }";

#[tokio::test]
async fn all_six_demo_users_can_sign_in_and_see_themselves() {
    let app = spawn_app().await;
    for dept in ["mt-doc", "il-doc"] {
        for role in ["director", "pio", "staff"] {
            let email = format!("{role}@{dept}.demo");
            let s = app.login(&email).await;
            let (_, body) = app.gql(ME, json!({}), Some(&s.access)).await;
            assert_eq!(body["data"]["me"]["email"], email.as_str(), "{body}");
            assert_eq!(body["data"]["me"]["role"], role.to_uppercase().as_str());
            assert_eq!(
                body["data"]["me"]["department"]["code"],
                dept.to_uppercase().as_str()
            );
        }
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_error() {
    let app = spawn_app().await;
    let (_, wrong) = app
        .gql(
            LOGIN,
            json!({"email": "pio@mt-doc.demo", "password": "not-the-password"}),
            None,
        )
        .await;
    let (_, unknown) = app
        .gql(
            LOGIN,
            json!({"email": "nobody@mt-doc.demo", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(code(&wrong), "UNAUTHENTICATED");
    assert_eq!(wrong["errors"][0]["message"], unknown["errors"][0]["message"]);
    assert_eq!(code(&wrong), code(&unknown));
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_stops_working() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let (_, first) = app.gql(REFRESH, json!({"t": s.refresh}), None).await;
    let next = first["data"]["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(next, s.refresh);
    let access = first["data"]["refreshSession"]["accessToken"].as_str().unwrap();
    let (_, me) = app.gql(ME, json!({}), Some(access)).await;
    assert_eq!(me["data"]["me"]["email"], "staff@mt-doc.demo");
    let (_, again) = app.gql(REFRESH, json!({"t": next}), None).await;
    assert!(again["data"]["refreshSession"].is_object(), "{again}");
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    let s = app.login("pio@il-doc.demo").await;
    let (_, rotated) = app.gql(REFRESH, json!({"t": s.refresh}), None).await;
    let successor = rotated["data"]["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let successor_access = rotated["data"]["refreshSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    let (_, reuse) = app.gql(REFRESH, json!({"t": s.refresh}), None).await;
    assert_eq!(code(&reuse), "UNAUTHENTICATED");
    let (_, after) = app.gql(REFRESH, json!({"t": successor}), None).await;
    assert_eq!(
        code(&after),
        "UNAUTHENTICATED",
        "the successor dies with the family"
    );
    let (status, _, _) = app.gql_spec(ME, json!({}), Some(&successor_access)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "access tokens of the family die too"
    );
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_let_exactly_one_through() {
    let app = spawn_app().await;
    let s = app.login("staff@il-doc.demo").await;
    let calls = (0..6).map(|_| app.gql(REFRESH, json!({"t": s.refresh.clone()}), None));
    let results = futures_util::future::join_all(calls).await;
    let ok = results
        .iter()
        .filter(|(_, b)| b["data"]["refreshSession"].is_object())
        .count();
    assert!(ok <= 1, "at most one exchange may succeed, got {ok}");
}

#[tokio::test]
async fn logout_ends_refresh_and_access_tokens() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let (_, out) = app.gql(LOGOUT, json!({"t": s.refresh}), None).await;
    assert_eq!(out["data"]["logout"], true);
    let (_, again) = app.gql(LOGOUT, json!({"t": s.refresh}), None).await;
    assert_eq!(again["data"]["logout"], false);
    let (_, refresh) = app.gql(REFRESH, json!({"t": s.refresh}), None).await;
    assert_eq!(code(&refresh), "UNAUTHENTICATED");
    let (status, me) = app.gql(ME, json!({}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::OK, "application/json: 200 with the code");
    assert_eq!(code(&me), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_suspended_employee_cannot_sign_in_and_their_tokens_stop_at_once() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    app.sql("UPDATE users SET status = 'SUSPENDED' WHERE email = 'staff@mt-doc.demo'")
        .await;
    let (status, _, _) = app.gql_spec(ME, json!({}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, refresh) = app.gql(REFRESH, json!({"t": s.refresh}), None).await;
    assert_eq!(code(&refresh), "UNAUTHENTICATED");
    let (_, login) = app
        .gql(
            LOGIN,
            json!({"email": "staff@mt-doc.demo", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(code(&login), "UNAUTHENTICATED");
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_account() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let (_, b) = app
            .gql(
                LOGIN,
                json!({"email": "pio@mt-doc.demo", "password": "wrong-password!"}),
                None,
            )
            .await;
        assert_eq!(code(&b), "UNAUTHENTICATED");
    }
    let (status, headers, b) = app
        .gql_spec(
            LOGIN,
            json!({"email": "pio@mt-doc.demo", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the operation ran: {b}");
    assert_eq!(code(&b), "RATE_LIMITED", "even the right password waits: {b}");
    let header: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(
        Some(header),
        b["errors"][0]["extensions"]["retryAfterSeconds"].as_u64()
    );
    assert!(
        b["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            > 0
    );
    app.login("director@mt-doc.demo").await;
}

#[tokio::test]
async fn the_throttle_holds_across_instances_on_one_database() {
    let first = spawn_app().await;
    let second = first.another_instance().await;
    let wrong = json!({"email": "pio@mt-doc.demo", "password": "wrong-password!"});
    for app in [&first, &second, &first, &second, &first] {
        let (_, b) = app.gql(LOGIN, wrong.clone(), None).await;
        assert_eq!(code(&b), "UNAUTHENTICATED", "{b}");
    }
    let right = json!({"email": "pio@mt-doc.demo", "password": PASSWORD});
    for app in [&second, &first] {
        let (_, b) = app.gql(LOGIN, right.clone(), None).await;
        assert_eq!(code(&b), "RATE_LIMITED", "five failures over two instances: {b}");
    }
}

#[tokio::test]
async fn many_login_aliases_in_one_request_are_throttled_too() {
    let app = spawn_app_with(|c| c.throttle.max_failures_per_address = 8).await;
    let fields: String = (0..12)
        .map(|i| format!("a{i}: login(email: \"u{i}@mt-doc.demo\", password: \"guess-{i}-password\") {{ accessToken }} "))
        .collect();
    let (_, body) = app
        .gql(&format!("mutation {{ {fields} }}"), json!({}), None)
        .await;
    let errors = body["errors"].as_array().unwrap();
    let limited = errors
        .iter()
        .filter(|e| e["extensions"]["code"] == "RATE_LIMITED")
        .count();
    assert_eq!(limited, 4, "attempts past the address limit are refused: {body}");
    let (_, next) = app
        .gql(
            LOGIN,
            json!({"email": "pio@mt-doc.demo", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(code(&next), "RATE_LIMITED");
}

#[tokio::test]
async fn unauthenticated_callers_get_unauthenticated() {
    let app = spawn_app().await;
    let (status, body) = app.gql(ME, json!({}), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), "UNAUTHENTICATED");
}
