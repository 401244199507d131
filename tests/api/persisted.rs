//! Persisted operations as Apollo Client's persisted-query link and a production deployment
//! with trusted documents use them.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, code, spawn_app, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_policy-admin");
const QUERY: &str = "query Departments { departments { code } }";

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

async fn post(app: &TestApp, body: Value, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = app.client.post(format!("{}/graphql", app.addr)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

fn persisted(hash: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash}})
}

#[tokio::test]
async fn the_automatic_persisted_query_round_trip() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let hash = sha256(QUERY);
    // 1. hash only: unknown
    let (status, b) = post(&app, json!({"extensions": persisted(&hash)}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&b), "PERSISTED_QUERY_NOT_FOUND", "{b}");
    assert_eq!(b["errors"][0]["message"], "PersistedQueryNotFound");
    // 2. retry with the query: runs and registers
    let body = json!({"query": QUERY, "extensions": persisted(&hash)});
    let (_, b) = post(&app, body, Some(&s.access)).await;
    assert!(b["data"]["departments"].is_array(), "{b}");
    // 3. hash only again: runs, by POST and by GET
    let (_, b) = post(&app, json!({"extensions": persisted(&hash)}), Some(&s.access)).await;
    assert!(b["data"]["departments"].is_array(), "{b}");
    let ext = serde_json::to_string(&persisted(&hash)).unwrap();
    let r = app
        .client
        .get(format!("{}/graphql", app.addr))
        .query(&[("extensions", ext.as_str()), ("operationName", "Departments")])
        .bearer_auth(&s.access)
        .send()
        .await
        .unwrap();
    let b: Value = r.json().await.unwrap();
    assert!(b["data"]["departments"].is_array(), "GET: {b}");
    // A query that does not match its hash registers nothing.
    let body = json!({"query": "{ __typename }", "extensions": persisted(&sha256("other"))});
    let (_, b) = post(&app, body, None).await;
    assert_eq!(code(&b), "BAD_REQUEST", "{b}");
}

#[tokio::test]
async fn trusted_documents_mode_runs_only_the_listed_operations() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("ops");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("departments.graphql"), QUERY).unwrap();
    let login = crate::helpers::LOGIN.replacen("mutation(", "mutation Login(", 1);
    std::fs::write(docs.join("login.graphql"), &login).unwrap();
    let out = Command::new(BIN)
        .arg("trusted-documents")
        .arg(&docs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["operations"].as_array().unwrap().len(), 2, "{manifest}");
    let file = dir.path().join("trusted.json");
    std::fs::write(&file, &out.stdout).unwrap();

    let app = spawn_app_with(|c| c.trusted_documents = Some(file.clone())).await;
    let vars = json!({"email": "pio@mt-doc.demo", "password": crate::helpers::PASSWORD});
    let (_, b) = post(&app, json!({"query": login, "variables": vars}), None).await;
    let token = b["data"]["login"]["accessToken"].as_str().unwrap().to_owned();
    let (_, b) = post(
        &app,
        json!({"extensions": persisted(&sha256(QUERY))}),
        Some(&token),
    )
    .await;
    assert!(b["data"]["departments"].is_array(), "by hash: {b}");
    let (_, b) = post(&app, json!({"query": "{ me { email } }"}), Some(&token)).await;
    assert_eq!(code(&b), "TRUSTED_DOCUMENT_REQUIRED", "{b}");
    let other = "query Other { me { email } }";
    let body = json!({"query": other, "extensions": persisted(&sha256(other))});
    let (_, b) = post(&app, body, Some(&token)).await;
    assert_eq!(code(&b), "TRUSTED_DOCUMENT_REQUIRED", "nothing registers: {b}");

    // The socket runs only trusted documents too.
    let mut ws = crate::ws_client::Subscriber::connect(&app.addr, &token)
        .await
        .unwrap();
    let events = "subscription { moderationEvents(departmentCode: \"MT-DOC\") { kind } }";
    ws.subscribe("1", events, json!({})).await;
    let r = ws.next(std::time::Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        r["payload"][0]["extensions"]["code"]
            .as_str()
            .or(r["payload"]["errors"][0]["extensions"]["code"].as_str()),
        Some("TRUSTED_DOCUMENT_REQUIRED"),
        "{r}"
    );
}
