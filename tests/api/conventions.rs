//! What a frontend relies on: the standard introspection query, one error convention per
//! response media type, `X-Request-Id` on every answer.

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::json;

use crate::fixtures::integration_token;
use crate::helpers::{code, spawn_app, spawn_app_with};

/// `getIntrospectionQuery()` of graphql-js 16.15, as GraphiQL, codegen and graphql-inspector
/// send it: with the default options, and with every option on.
const INTROSPECTION: [&str; 2] = [
    include_str!("../introspection/graphql-js-16.graphql"),
    include_str!("../introspection/graphql-js-16-all-options.graphql"),
];

#[tokio::test]
async fn the_standard_introspection_query_passes() {
    let app = spawn_app().await;
    for query in INTROSPECTION {
        let (status, body) = app.gql(query, json!({}), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body["errors"].is_null(), "{body}");
        let schema = &body["data"]["__schema"];
        assert_eq!(schema["queryType"]["name"], "Query");
        assert_eq!(schema["subscriptionType"]["name"], "Subscription");
        let types = schema["types"].as_array().unwrap();
        assert!(
            types.iter().any(|t| t["name"] == "ModerationDecision"),
            "{}",
            types.len()
        );
    }
}

#[tokio::test]
async fn introspection_stays_off_when_disabled() {
    let app = spawn_app_with(|c| c.introspection = false).await;
    let (_, body) = app.gql(INTROSPECTION[0], json!({}), None).await;
    assert!(
        body["data"].is_null() || body["data"]["__schema"].is_null(),
        "{body}"
    );
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn climbing_the_introspection_cycle_is_refused() {
    let app = spawn_app().await;
    let q = "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }";
    let (status, body) = app.gql(q, json!({}), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    let (status, _, _) = app.gql_spec(q, json!({}), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn documents_that_do_not_parse_or_validate_carry_their_codes() {
    let app = spawn_app().await;
    for (query, expected) in [
        ("{ me { id ", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ me { id } department }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let (status, body) = app.gql(query, json!({}), None).await;
        assert_eq!(status, StatusCode::OK, "application/json: {query}");
        assert_eq!(code(&body), expected, "{query}: {body}");
        let (status, headers, body) = app.gql_spec(query, json!({}), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "graphql-response+json: {query}");
        assert_eq!(headers["content-type"], "application/graphql-response+json");
        assert_eq!(code(&body), expected, "{query}: {body}");
    }
}

#[tokio::test]
async fn no_token_and_a_bad_token_look_the_same_in_json_mode() {
    let app = spawn_app().await;
    let (none_status, none) = app.gql("{ me { id } }", json!({}), None).await;
    let (bad_status, bad) = app.gql("{ me { id } }", json!({}), Some("not-a-token")).await;
    assert_eq!((none_status, bad_status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(code(&none), "UNAUTHENTICATED", "{none}");
    assert_eq!(code(&bad), "UNAUTHENTICATED", "{bad}");
}

#[tokio::test]
async fn an_integration_token_on_a_user_operation_is_forbidden() {
    let app = spawn_app().await;
    let token = integration_token(&app, "MT-DOC", "ingest");
    let (_, body) = app.gql("{ me { id } }", json!({}), Some(&token)).await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/metrics", "/no-such-page", "/graphql"] {
        let r = app.get(path).await;
        let id = r.headers().get("x-request-id");
        assert!(id.is_some_and(|v| !v.is_empty()), "{path}: {:?}", r.headers());
    }
    let r = app
        .client
        .get(format!("{}/healthz", app.addr))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-42", "the caller's id is kept");
    let r = app
        .client
        .get(format!("{}/healthz", app.addr))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(r.headers()["x-request-id"], "bad id with spaces");
}

#[tokio::test]
async fn times_are_utc_with_milliseconds_and_the_same_width() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let q = "{ auditLog(departmentCode: \"MT-DOC\", first: 20) { edges { node { occurredAt } } } }";
    let (_, body) = app.gql(q, json!({}), Some(&s.access)).await;
    let edges = body["data"]["auditLog"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty(), "{body}");
    let shape = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$").unwrap();
    for e in edges {
        let t = e["node"]["occurredAt"].as_str().unwrap();
        assert!(shape.is_match(t), "{t}");
    }
    let (_, body) = app
        .gql(
            crate::helpers::LOGIN,
            json!({"email": "pio@mt-doc.demo", "password": crate::helpers::PASSWORD}),
            None,
        )
        .await;
    let t = body["data"]["login"]["expiresAt"].as_str().unwrap();
    assert!(shape.is_match(t), "{t}");
}

#[tokio::test]
async fn metrics_time_operations_and_can_require_a_token() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some(policy_admin::config::Secret::new("scrape-token-0123456789"));
    })
    .await;
    app.gql("query Probe { __typename }", json!({}), None).await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .get(format!("{}/metrics", app.addr))
        .bearer_auth("scrape-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    let name = "policy_admin_graphql_request_duration_seconds";
    assert!(text.contains(&format!("# TYPE {name} histogram")), "{text}");
    assert!(
        text.contains(&format!("{name}_count{{operation=\"Probe\"}} 1")),
        "{text}"
    );
    for process in [
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
    ] {
        assert!(text.contains(process), "{process}");
    }
}

#[tokio::test]
async fn statuses_and_actions_are_enums_a_client_can_list() {
    let app = spawn_app().await;
    for (ty, field, expected) in [
        ("ModerationDecision", "action", "ModerationAction"),
        ("Appeal", "status", "AppealStatus"),
        ("ModerationEvent", "status", "CommentStatus"),
        ("PlatformChangeRequest", "status", "ChangeRequestStatus"),
        ("Violation", "status", "ViolationStatus"),
        ("Violation", "outcome", "ViolationOutcome"),
        ("StaffContentReview", "outcome", "StaffContentOutcome"),
        ("WebhookDelivery", "status", "DeliveryStatus"),
    ] {
        let q = format!(
            "{{ __type(name: \"{ty}\") {{ fields {{ name type {{ kind name ofType {{ kind name }} }} }} }} }}"
        );
        let (_, body) = app.gql(&q, json!({}), None).await;
        let fields = body["data"]["__type"]["fields"].as_array().unwrap();
        let f = fields.iter().find(|f| f["name"] == field).unwrap();
        let named = if f["type"]["kind"] == "NON_NULL" {
            &f["type"]["ofType"]
        } else {
            &f["type"]
        };
        assert_eq!(
            (named["kind"].as_str(), named["name"].as_str()),
            (Some("ENUM"), Some(expected)),
            "{ty}.{field}"
        );
    }
}
