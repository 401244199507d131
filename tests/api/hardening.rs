//! The HTTP edge: media types, body size, hostile queries, limits, introspection, probes.

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{code, spawn_app, spawn_app_with};

#[tokio::test]
async fn post_bodies_that_are_not_json_get_415() {
    let app = spawn_app().await;
    let url = format!("{}/graphql", app.addr);
    let q = r#"{"query":"mutation { logout(refreshToken: \"x\") }"}"#;
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let r = app
            .client
            .post(&url)
            .header("content-type", ct)
            .body(q)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
    }
    let r = app.client.post(&url).body(q).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
    let r = app
        .client
        .post(&url)
        .header("content-type", "application/json; charset=utf-8")
        .body(q)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn mutations_by_get_get_405_and_queries_by_get_run() {
    let app = spawn_app().await;
    let r = app
        .get("/graphql?query=mutation%7Blogout(refreshToken:%22x%22)%7D")
        .await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = app.get("/graphql?query=%7B__typename%7D").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn bodies_over_two_megabytes_get_413() {
    let app = spawn_app().await;
    let big = format!(
        r#"{{"query":"{{ __typename }}","variables":{{"x":"{}"}}}}"#,
        "a".repeat(2 * 1024 * 1024 + 1)
    );
    let r = app
        .client
        .post(format!("{}/graphql", app.addr))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn pathological_nesting_is_refused_and_the_server_survives() {
    let app = spawn_app().await;
    let q = format!(
        "{{ department(code: {}\"x\"{}) {{ code }} }}",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    let (status, body) = app.gql(&q, json!({}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    let deep_selection = format!("{}{}", "{ me ".repeat(3000), "}".repeat(3000));
    let (status, _, body) = app.gql_spec(&deep_selection, json!({}), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn typename_aliases_root_fields_and_depth_are_limited() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let aliases: String = (0..40).map(|i| format!("t{i}: __typename ")).collect();
    let (status, _, _) = app
        .gql_spec(&format!("{{ {aliases} }}"), json!({}), Some(&s.access))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "__typename aliases count");

    let mut fields = String::from("{ me { ...F0 } }\n");
    for i in 0..10 {
        fields.push_str(&format!(
            "fragment F{i} on User {{ __typename ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    fields.push_str("fragment F10 on User { __typename }\n");
    let (status, _, _) = app.gql_spec(&fields, json!({}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "fragment fan-out counts");

    let roots: String = (0..17)
        .map(|i| format!("d{i}: departments {{ code }} "))
        .collect();
    let (status, _, _) = app
        .gql_spec(&format!("{{ {roots} }}"), json!({}), Some(&s.access))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "root fields");

    let ordinary = "{ me { department { facilities { id } } } }";
    let (status, body) = app.gql(ordinary, json!({}), Some(&s.access)).await;
    assert_eq!(status, StatusCode::OK, "ordinary queries pass: {body}");
    assert!(body["data"]["me"].is_object(), "{body}");
}

#[tokio::test]
async fn depth_beyond_the_limit_is_an_error() {
    let app = spawn_app().await;
    // Introspection is the one cycle in the schema: types → fields → type → fields → ...
    let mut sel = String::from("name");
    for _ in 0..7 {
        sel = format!("fields {{ type {{ {sel} }} }}");
    }
    let (status, body) = app
        .gql(
            &format!("{{ __schema {{ types {{ {sel} }} }} }}"),
            json!({}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let msg = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("nested too deep"), "{body}");
    assert!(body["data"].is_null(), "nothing runs");
}

#[tokio::test]
async fn first_is_bounded_and_validated() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let q = "query($n: Int) { auditLog(departmentCode: \"MT-DOC\", first: $n) { edges { cursor } pageInfo { hasNextPage } } }";
    let (_, body) = app.gql(q, json!({"n": 100}), Some(&s.access)).await;
    let n = body["data"]["auditLog"]["edges"].as_array().unwrap().len();
    assert!(n > 0 && n <= 100, "{body}");
    let (_, body) = app.gql(q, json!({"n": 101}), Some(&s.access)).await;
    assert_eq!(
        code(&body),
        "BAD_USER_INPUT",
        "more than 100 is an error, not a short page"
    );
    let (_, body) = app.gql(q, json!({"n": -1}), Some(&s.access)).await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn introspection_and_graphiql_are_off_unless_enabled() {
    let off = spawn_app_with(|c| c.introspection = false).await;
    let (_, body) = off
        .gql(
            "{ __schema { queryType { name } } __type(name: \"User\") { name } }",
            json!({}),
            None,
        )
        .await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    assert!(body["data"]["__type"].is_null(), "{body}");
    assert_eq!(off.get("/graphql").await.status(), StatusCode::NOT_FOUND);
    let (_, body) = off.gql("{ departmnts { code } }", json!({}), None).await;
    let msg = body["errors"][0]["message"].as_str().unwrap();
    assert!(!msg.contains("Did you mean"), "no field suggestions: {msg}");

    let on = spawn_app().await;
    let r = on.get("/graphql").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("graphiql"));
    let (_, body) = on
        .gql("{ __schema { queryType { name } } }", json!({}), None)
        .await;
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn probes_answer_and_request_ids_are_echoed() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    assert_eq!(app.get("/nowhere").await.status(), StatusCode::NOT_FOUND);
    let r = app
        .client
        .post(format!("{}/graphql", app.addr))
        .header("x-request-id", "abc-123")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = app
        .client
        .post(format!("{}/graphql", app.addr))
        .json(&json!([{"query": "{ __typename }"}]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "batches are refused");
}

/// A proxy or client keeps idle connections for up to a minute; the server must not close
/// them sooner, or the next request on one fails as an incomplete message.
#[tokio::test]
async fn idle_connections_outlive_a_short_pause() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let host = app.addr.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let mut buf = vec![0u8; 4096];
    for round in 0..2 {
        stream.write_all(request.as_bytes()).await.unwrap();
        let n = stream.read(&mut buf).await.unwrap();
        let head = String::from_utf8_lossy(&buf[..n]);
        assert!(head.starts_with("HTTP/1.1 200"), "round {round}: {head}");
        if round == 0 {
            // Longer than actix-web's default keep-alive of 5 s.
            tokio::time::sleep(std::time::Duration::from_secs(7)).await;
        }
    }
}
