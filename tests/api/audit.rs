//! The audit chain: every mutation is recorded, verification finds edits, deletions,
//! insertions and truncation, and no secret reaches a row.

#![allow(clippy::unwrap_used)]

use entity::audit_event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{LOGIN, PASSWORD, TestApp, spawn_app};

const VERIFY: &str = "{ verifyAuditLog(departmentCode: \"MT-DOC\") { ok checked firstBrokenId reason } }";

async fn verify(app: &TestApp, token: &str) -> Value {
    let (_, b) = app.gql(VERIFY, json!({}), Some(token)).await;
    b["data"]["verifyAuditLog"].clone()
}

async fn events(app: &TestApp) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::ChainKey.eq("MT-DOC"))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn global_id(id: i64) -> String {
    policy_admin::graphql::ids::encode(policy_admin::graphql::ids::Kind::AuditEvent, id).0
}

#[tokio::test]
async fn logins_failed_logins_and_refusals_are_recorded() {
    let app = spawn_app().await;
    let s = app.login("pio@mt-doc.demo").await;
    app.gql(
        LOGIN,
        json!({"email": "pio@mt-doc.demo", "password": "not-the-password"}),
        None,
    )
    .await;
    let (_, b) = app
        .gql("{ auditLog(departmentCode: \"MT-DOC\", first: 3) { edges { node { action outcome actor { email } requestId } } } }", json!({}), Some(&s.access))
        .await;
    let edges = b["data"]["auditLog"]["edges"].as_array().unwrap();
    assert_eq!(edges[0]["node"]["action"], "auth.login");
    assert_eq!(edges[0]["node"]["outcome"], "FAILURE");
    assert_eq!(edges[1]["node"]["outcome"], "SUCCESS");
    assert_eq!(edges[1]["node"]["actor"]["email"], "pio@mt-doc.demo");
    assert!(edges[1]["node"]["requestId"].is_string());
}

#[tokio::test]
async fn the_app_itself_cannot_rewrite_or_delete_audit_events() {
    let app = spawn_app().await;
    let first = events(&app).await[0].id;
    let mut refused = vec![
        format!("UPDATE audit_events SET detail = '{{}}' WHERE id = {first}"),
        format!("DELETE FROM audit_events WHERE id = {first}"),
    ];
    if app.database_url.starts_with("postgres") {
        refused.push("TRUNCATE audit_events".into());
    }
    for sql in refused {
        let err = app.state.db.execute_unprepared(&sql).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(events(&app).await[0].id, first);
    let s = app.login("director@mt-doc.demo").await;
    assert_eq!(verify(&app, &s.access).await["ok"], true);
}

#[tokio::test]
async fn verification_names_an_edited_event() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    assert_eq!(verify(&app, &s.access).await["ok"], true);
    let target = &events(&app).await[2];
    app.forge(&format!(
        "UPDATE audit_events SET detail = '{{\"forged\":true}}' WHERE id = {}",
        target.id
    ))
    .await;
    let v = verify(&app, &s.access).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["firstBrokenId"], global_id(target.id).as_str(), "{v}");
}

#[tokio::test]
async fn verification_names_the_event_after_a_deleted_one() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let all = events(&app).await;
    app.forge(&format!("DELETE FROM audit_events WHERE id = {}", all[1].id))
        .await;
    let v = verify(&app, &s.access).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["firstBrokenId"], global_id(all[2].id).as_str(), "{v}");
}

#[tokio::test]
async fn verification_finds_an_inserted_event() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let all = events(&app).await;
    let e = &all[0];
    // A forger shifts the later events up by one and slips a copy in.
    app.forge("UPDATE audit_events SET seq = seq + 1000 WHERE chain_key = 'MT-DOC' AND seq > 1")
        .await;
    app.forge("UPDATE audit_events SET seq = seq - 999 WHERE chain_key = 'MT-DOC' AND seq > 1000")
        .await;
    app.forge(&format!(
        "INSERT INTO audit_events (chain_key, seq, action, outcome, occurred_at, detail, prev_hash, hash) \
         VALUES ('MT-DOC', 2, 'user.created', 'SUCCESS', '{}', '{{}}', '{}', '{}')",
        e.occurred_at.format("%Y-%m-%d %H:%M:%S%.6f+00:00"),
        e.hash,
        "f".repeat(64)
    ))
    .await;
    let v = verify(&app, &s.access).await;
    assert_eq!(v["ok"], false, "{v}");
    assert!(v["firstBrokenId"].is_string());
}

#[tokio::test]
async fn verification_finds_a_truncated_tail() {
    let app = spawn_app().await;
    let s = app.login("director@mt-doc.demo").await;
    let all = events(&app).await;
    let last = all.last().unwrap();
    app.forge(&format!("DELETE FROM audit_events WHERE id = {}", last.id))
        .await;
    let v = verify(&app, &s.access).await;
    assert_eq!(v["ok"], false, "{v}");
    assert!(v["reason"].as_str().unwrap().contains("removed"));
}

#[tokio::test]
async fn no_password_or_token_reaches_an_audit_row() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    app.gql(
        LOGIN,
        json!({"email": "staff@mt-doc.demo", "password": "a-wrong-secret-pw"}),
        None,
    )
    .await;
    let refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }";
    app.gql(refresh, json!({"t": s.refresh}), None).await;
    let rows = audit_event::Entity::find().all(&app.state.db).await.unwrap();
    let dump = format!("{rows:?}");
    for secret in [
        PASSWORD,
        "a-wrong-secret-pw",
        s.refresh.as_str(),
        s.access.as_str(),
    ] {
        assert!(!dump.contains(secret), "an audit row contains a secret");
    }
}

#[tokio::test]
async fn refreshes_and_logouts_with_unknown_tokens_are_recorded_too() {
    use entity::audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn_app().await;
    app.gql(
        "mutation { refreshSession(refreshToken: \"nope\") { accessToken } }",
        json!({}),
        None,
    )
    .await;
    app.gql("mutation { logout(refreshToken: \"nope\") }", json!({}), None)
        .await;
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::ChainKey.eq("_SYSTEM"))
        .filter(audit_event::Column::Outcome.eq("FAILURE"))
        .all(&app.state.db)
        .await
        .unwrap();
    let actions: Vec<&str> = failures.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"auth.refresh") && actions.contains(&"auth.logout"),
        "{actions:?}"
    );
    assert!(
        failures.iter().all(|e| !e.detail.contains("nope")),
        "the token itself is not recorded"
    );
}
