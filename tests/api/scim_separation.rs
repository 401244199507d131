//! Separation through SCIM (IL 01.02.400 II.E, II.G.6): when HR reports an employee inactive,
//! their posting authorizations, the delegations they hold or gave, and their sessions end in
//! the same request, each with an audit event; reinstating does not bring authorizations back.

#![allow(clippy::unwrap_used)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{active, integration_token, my_id};
use crate::helpers::{TestApp, code, spawn_app};
use crate::scim::{PATCH_OP, scim};

const GRANT: &str = "mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id status } }";
const DELEGATE: &str = "mutation($i: DelegateInput!) { delegate(input: $i) { id active } }";
const AUTHORIZATION: &str = "query($id: ID!) { node(id: $id) { ... on Authorization { status } } }";
const DELEGATIONS: &str = "{ delegations(departmentCode: \"IL-DOC\", activeOnly: true) { id } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }";

fn window(days: i64) -> (String, String) {
    let now = chrono::Utc::now();
    (
        (now - chrono::Duration::minutes(1)).to_rfc3339(),
        (now + chrono::Duration::days(days)).to_rfc3339(),
    )
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| a.as_str() == action).count()
}

async fn set_active(app: &TestApp, token: &str, id: &str, value: Value) -> Value {
    // The shape one large identity provider sends: capitalised op, the boolean as a string.
    let ops = json!({ "schemas": [PATCH_OP], "Operations": [{ "op": "Replace", "path": "active", "value": value }] });
    let (s, _, b) = scim(
        app,
        Some(token),
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(ops),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b
}

#[tokio::test]
async fn separation_revokes_authorizations_delegations_and_sessions_at_once() {
    let app = spawn_app().await;
    let hr = integration_token(&app, "IL-DOC", "scim");
    let platform = active(&app, "IL-DOC").await;
    let pio = app.login("pio@il-doc.demo").await;
    let director = app.login("director@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    let staff_id = my_id(&app, &staff.access).await;

    let (from, until) = window(90);
    let input = json!({"userId": staff_id, "platformIds": [platform], "validFrom": from, "validUntil": until, "approvalReference": "PIO memo 7"});
    let (_, g) = app.gql(GRANT, json!({"i": input}), Some(&pio.access)).await;
    let authorization = g["data"]["grantAuthorization"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{g}"))
        .to_owned();
    let (from, until) = window(7);
    let input = json!({"toUserId": staff_id, "responsibilities": ["APPROVE_PLATFORMS"], "validFrom": from, "validUntil": until, "reason": "Leave"});
    let (_, d) = app.gql(DELEGATE, json!({"i": input}), Some(&pio.access)).await;
    assert_eq!(d["data"]["delegate"]["active"], true, "{d}");
    let (_, d) = app.gql(DELEGATIONS, json!({}), Some(&pio.access)).await;
    assert_eq!(d["data"]["delegations"].as_array().unwrap().len(), 1, "{d}");
    let before = app.audit_actions("IL-DOC", &director.access).await;

    // HR finds the employee by user name (their e-mail for accounts made here) and separates.
    let (_, _, found) = scim(
        &app,
        Some(&hr),
        Method::GET,
        "/Users?filter=userName%20eq%20%22STAFF@il-doc.demo%22",
        None,
    )
    .await;
    assert_eq!(found["totalResults"], 1, "{found}");
    let scim_id = found["Resources"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        scim_id, staff_id,
        "one id for the same person in SCIM and GraphQL"
    );
    let b = set_active(&app, &hr, &scim_id, json!("False")).await;
    assert_eq!(b["active"], false, "{b}");

    // Everything that let them act has ended.
    let (_, a) = app
        .gql(AUTHORIZATION, json!({"id": authorization}), Some(&pio.access))
        .await;
    assert_eq!(a["data"]["node"]["status"], "REVOKED", "{a}");
    let (_, d) = app.gql(DELEGATIONS, json!({}), Some(&pio.access)).await;
    assert_eq!(d["data"]["delegations"], json!([]), "{d}");
    let (_, me) = app.gql("{ me { id } }", json!({}), Some(&staff.access)).await;
    assert_eq!(code(&me), "UNAUTHENTICATED", "{me}");
    let (_, r) = app.gql(REFRESH, json!({"t": staff.refresh}), None).await;
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    let (_, q) = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on User { status } } }",
            json!({"id": staff_id}),
            Some(&director.access),
        )
        .await;
    assert_eq!(q["data"]["node"]["status"], "SEPARATED");

    // One audit event per revocation, and the chain still verifies.
    let after = app.audit_actions("IL-DOC", &director.access).await;
    for (action, n) in [
        ("user.separated", 1),
        ("authorization.revoked", 1),
        ("delegation.revoked", 1),
    ] {
        assert_eq!(
            count(&after, action) - count(&before, action),
            n,
            "{action} in {after:?}"
        );
    }
    let (_, v) = app
        .gql(
            "{ verifyAuditLog(departmentCode: \"IL-DOC\") { ok } }",
            json!({}),
            Some(&director.access),
        )
        .await;
    assert_eq!(v["data"]["verifyAuditLog"]["ok"], true, "{v}");

    // Separating again changes nothing; reinstating restores sign-in, not the authorization.
    set_active(&app, &hr, &scim_id, json!(false)).await;
    assert_eq!(
        count(
            &app.audit_actions("IL-DOC", &director.access).await,
            "user.separated"
        ),
        1
    );
    let b = set_active(&app, &hr, &scim_id, json!(true)).await;
    assert_eq!(b["active"], true, "{b}");
    let again = app.login("staff@il-doc.demo").await;
    let (_, me) = app.gql("{ me { id } }", json!({}), Some(&again.access)).await;
    assert_eq!(me["data"]["me"]["id"], staff_id.as_str(), "{me}");
    let (_, a) = app
        .gql(AUTHORIZATION, json!({"id": authorization}), Some(&pio.access))
        .await;
    assert_eq!(a["data"]["node"]["status"], "REVOKED", "{a}");
}

#[tokio::test]
async fn deleting_a_delegator_ends_what_they_delegated() {
    let app = spawn_app().await;
    let hr = integration_token(&app, "IL-DOC", "scim");
    let pio = app.login("pio@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    let pio_id = my_id(&app, &pio.access).await;
    let (from, until) = window(7);
    let input = json!({"toUserId": my_id(&app, &staff.access).await, "responsibilities": ["APPROVE_PLATFORMS"], "validFrom": from, "validUntil": until, "reason": "Leave"});
    let (_, d) = app.gql(DELEGATE, json!({"i": input}), Some(&pio.access)).await;
    assert_eq!(d["data"]["delegate"]["active"], true, "{d}");

    let (s, _, _) = scim(&app, Some(&hr), Method::DELETE, &format!("/Users/{pio_id}"), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let director = app.login("director@il-doc.demo").await;
    let (_, d) = app.gql(DELEGATIONS, json!({}), Some(&director.access)).await;
    assert_eq!(d["data"]["delegations"], json!([]), "{d}");
    let (_, me) = app.gql("{ me { id } }", json!({}), Some(&pio.access)).await;
    assert_eq!(code(&me), "UNAUTHENTICATED");
    let (s, _, _) = scim(&app, Some(&hr), Method::DELETE, &format!("/Users/{pio_id}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "deleted once");
}
