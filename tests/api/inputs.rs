//! Refused inputs: U+0000 anywhere in a string (GraphQL variables and literals, over HTTP and
//! WebSocket, SCIM bodies and queries) is BAD_USER_INPUT on both databases, never INTERNAL.

#![allow(clippy::unwrap_used)]

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::{active, integration_token};
use crate::helpers::{code, spawn_app};
use crate::scim::{employee, scim};

const LOGIN: &str = "mutation($e: String!) { login(email: $e, password: \"x\") { accessToken } }";

#[tokio::test]
async fn nul_in_a_graphql_variable_or_literal_is_bad_user_input() {
    let app = spawn_app().await;
    let (s, b) = app.gql(LOGIN, json!({"e": "pio@mt-doc.demo\u{0}"}), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains("U+0000"),
        "{b}"
    );

    let literal = r#"mutation { login(email: "a\u0000@x.org", password: "x") { accessToken } }"#;
    let (_, b) = app.gql(literal, json!({}), None).await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");

    // Nested in an input object, in a mutation that writes.
    let pio = app.login("pio@mt-doc.demo").await.access;
    let platform = active(&app, "MT-DOC").await;
    let ingest = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }";
    let input =
        json!({"platformId": platform, "externalId": "c-\u{0}-1", "authorHandle": "@x", "body": "hello"});
    let (_, b) = app.gql(ingest, json!({"i": input}), Some(&pio)).await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    let q = "{ moderationQueue(departmentCode: \"MT-DOC\") { edges { node { id } } } }";
    let (_, b) = app.gql(q, json!({}), Some(&pio)).await;
    assert_eq!(
        b["data"]["moderationQueue"]["edges"],
        json!([]),
        "nothing was stored: {b}"
    );

    // Clean text with variables and directives still runs.
    let q = "query($v: Boolean!) { me @include(if: $v) { email } }";
    let (_, b) = app.gql(q, json!({"v": true}), Some(&pio)).await;
    assert!(
        b["data"]["me"]["email"].is_string(),
        "clean text still works: {b}"
    );
}

#[tokio::test]
async fn nul_in_a_scim_body_or_query_is_a_400() {
    let app = spawn_app().await;
    let token = integration_token(&app, "MT-DOC", "scim");
    let doc = employee("pat\u{0}lee", "pat.lee@mt-doc.demo");
    let (s, _, b) = scim(&app, Some(&token), Method::POST, "/Users", Some(doc)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["scimType"], "invalidValue", "{b}");

    let (s, _, b) = scim(
        &app,
        Some(&token),
        Method::GET,
        "/Users?filter=userName%20eq%20%22a%00b%22",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");

    let doc = employee("pat.lee", "pat.lee@mt-doc.demo");
    let (s, _, b) = scim(&app, Some(&token), Method::POST, "/Users", Some(doc)).await;
    assert_eq!(s, StatusCode::CREATED, "clean documents still work: {b}");
}

#[tokio::test]
async fn free_text_has_a_maximum_and_holds_stay_in_the_department() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let place = "mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }";
    let huge = "x".repeat(1_000_000);
    let input = json!({"name": "Doe v. MT-DOC", "matter": huge, "scope": {}});
    let (s, b) = app.gql(place, json!({"i": input}), Some(&director)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains("`matter`"),
        "{b}"
    );

    let me = crate::fixtures::my_id(&app, &director).await;
    let delegate = "mutation($i: DelegateInput!) { delegate(input: $i) { id } }";
    let now = chrono::Utc::now();
    let input = json!({
        "toUserId": me, "responsibilities": ["APPROVE_POSTS"], "reason": "y".repeat(2_001),
        "validFrom": now.to_rfc3339(), "validUntil": (now + chrono::Duration::days(1)).to_rfc3339(),
    });
    let (_, b) = app.gql(delegate, json!({"i": input}), Some(&director)).await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains("`reason`"),
        "{b}"
    );

    // A platform or employee of another department answers as missing.
    let il_platform = active(&app, "IL-DOC").await;
    let il_staff = app.login("staff@il-doc.demo").await.access;
    let il_user = crate::fixtures::my_id(&app, &il_staff).await;
    for scope in [
        json!({"platformIds": [il_platform]}),
        json!({"userIds": [il_user]}),
    ] {
        let input = json!({"name": "Doe v. MT-DOC", "matter": "Case 26-CV-114", "scope": scope});
        let (_, b) = app.gql(place, json!({"i": input}), Some(&director)).await;
        assert_eq!(code(&b), "NOT_FOUND", "{scope}: {b}");
    }
    let mt_platform = active(&app, "MT-DOC").await;
    let input =
        json!({"name": "Doe v. MT-DOC", "matter": "Case 26-CV-114", "scope": {"platformIds": [mt_platform]}});
    let (_, b) = app.gql(place, json!({"i": input}), Some(&director)).await;
    assert!(b["data"]["placeLegalHold"]["id"].is_string(), "{b}");
}
