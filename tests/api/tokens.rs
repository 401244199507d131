//! Every way of tampering with an access token is refused with `UNAUTHENTICATED`: 200 for
//! `application/json`, 401 with `WWW-Authenticate` for `application/graphql-response+json`.

#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{JWT_SECRET, TestApp, code, spawn_app};

const ME: &str = "{ me { email } }";

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Value, alg: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn refused(app: &TestApp, token: &str, case: &str) {
    let (status, body) = app.gql(ME, json!({}), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{case}: {body}");
    assert_eq!(code(&body), "UNAUTHENTICATED", "{case}");
    assert!(body["data"].is_null(), "{case}: {body}");
    let (status, headers, body) = app.gql_spec(ME, json!({}), Some(token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
    assert_eq!(headers["www-authenticate"], "Bearer", "{case}");
    assert_eq!(code(&body), "UNAUTHENTICATED", "{case}");
}

#[tokio::test]
async fn tampered_tokens_are_refused() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let good = claims_of(&s.access);
    let now = chrono::Utc::now().timestamp();

    let (status, _) = app.gql(ME, json!({}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::OK, "the untouched token works");

    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(good.to_string());
    refused(&app, &format!("{header}.{payload}."), "alg none").await;

    let mut parts: Vec<String> = s.access.split('.').map(str::to_owned).collect();
    let mut edited = good.clone();
    edited["role"] = json!("DIRECTOR");
    edited["sub"] = json!("1");
    parts[1] = URL_SAFE_NO_PAD.encode(edited.to_string());
    refused(&app, &parts.join("."), "edited payload").await;

    refused(
        &app,
        &sign(&good, Algorithm::HS256, "another-secret-another-secret-000000"),
        "wrong key",
    )
    .await;
    refused(
        &app,
        &sign(&good, Algorithm::HS512, JWT_SECRET),
        "other algorithm",
    )
    .await;

    let mut expired = good.clone();
    expired["exp"] = json!(now - 120);
    expired["iat"] = json!(now - 1000);
    expired["nbf"] = json!(now - 1000);
    refused(&app, &sign(&expired, Algorithm::HS256, JWT_SECRET), "expired").await;

    let mut future = good.clone();
    future["nbf"] = json!(now + 600);
    refused(&app, &sign(&future, Algorithm::HS256, JWT_SECRET), "future nbf").await;

    let mut aud = good.clone();
    aud["aud"] = json!("someone-else");
    refused(&app, &sign(&aud, Algorithm::HS256, JWT_SECRET), "wrong aud").await;

    let mut iss = good.clone();
    iss["iss"] = json!("evil-issuer");
    refused(&app, &sign(&iss, Algorithm::HS256, JWT_SECRET), "wrong iss").await;

    let mut typ = good.clone();
    typ["typ"] = json!("refresh");
    refused(&app, &sign(&typ, Algorithm::HS256, JWT_SECRET), "wrong type").await;

    let mut no_nbf = good.clone();
    no_nbf.as_object_mut().unwrap().remove("nbf");
    refused(&app, &sign(&no_nbf, Algorithm::HS256, JWT_SECRET), "missing nbf").await;

    refused(&app, &s.refresh, "refresh token as access token").await;
    refused(&app, "not-a-token", "garbage").await;

    let sanity = sign(&good, Algorithm::HS256, JWT_SECRET);
    let (status, _) = app.gql(ME, json!({}), Some(&sanity)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "re-signing the same claims with the right key works"
    );
}

#[tokio::test]
async fn a_malformed_authorization_header_is_refused() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(format!("{}/graphql", app.addr))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .header("accept", "application/graphql-response+json")
        .json(&json!({"query": ME}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}
