//! Browser pages on other origins: CORS preflights and answers, as a frontend on its own dev
//! server meets them.

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

const ALLOWED: &str = "https://console.example.gov";

#[tokio::test]
async fn a_preflight_from_an_allowed_origin_is_answered() {
    let app = spawn_app().await;
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.addr))
        .header("origin", ALLOWED)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], ALLOWED);
    let methods = h["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST") && methods.contains("GET"), "{methods}");
    let headers = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );
    assert!(h.contains_key("access-control-max-age"));
}

#[tokio::test]
async fn answers_to_an_allowed_origin_expose_the_request_id_and_retry_after() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}/graphql", app.addr))
        .header("origin", ALLOWED)
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], ALLOWED);
    let exposed = h["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("x-request-id") && exposed.contains("retry-after"),
        "{exposed}"
    );
    assert!(h.contains_key("x-request-id"));
}

#[tokio::test]
async fn other_origins_get_no_cors_headers() {
    let app = spawn_app().await;
    for origin in ["https://evil.example", "http://console.example.gov", "null"] {
        let pre = app
            .client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.addr))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert!(
            !pre.headers().contains_key("access-control-allow-origin"),
            "{origin}: {:?}",
            pre.headers()
        );
        let r = app
            .client
            .post(format!("{}/graphql", app.addr))
            .header("origin", origin)
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap();
        assert!(
            !r.headers().contains_key("access-control-allow-origin"),
            "{origin}"
        );
    }
}

#[tokio::test]
async fn the_servers_own_pages_need_no_setting() {
    let app = spawn_app().await;
    let own = app.addr.clone();
    let r = app
        .client
        .post(format!("{}/graphql", app.addr))
        .header("origin", &own)
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
}
