//! Designees (IL 01.02.400 II.D): acting for another, recorded as such, stopping at once.

#![allow(clippy::unwrap_used)]

use policy_admin::auth::Role;
use serde_json::{Value, json};

use crate::fixtures::{APPROVE, employee, my_id, on, propose};
use crate::helpers::{TestApp, code, spawn_app};

const DELEGATE: &str = "mutation($i: DelegateInput!) { delegate(input: $i) { id active responsibilities } }";

async fn delegate(app: &TestApp, token: &str, to: &str, what: &[&str]) -> Value {
    let now = chrono::Utc::now();
    let input = json!({
        "toUserId": to,
        "responsibilities": what,
        "validFrom": (now - chrono::Duration::minutes(1)).to_rfc3339(),
        "validUntil": (now + chrono::Duration::days(7)).to_rfc3339(),
        "reason": "Leave of absence",
    });
    app.gql(DELEGATE, json!({"i": input}), Some(token)).await.1
}

#[tokio::test]
async fn a_designee_fills_the_seat_of_the_person_they_stand_in_for() {
    let app = spawn_app().await;
    let pio = app.login("pio@il-doc.demo").await;
    let director = app.login("director@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    let (_, writer) = employee(&app, "IL-DOC", Role::Staff, "writer@il-doc.demo").await;
    let staff_id = my_id(&app, &staff.access).await;
    let d = delegate(&app, &pio.access, &staff_id, &["APPROVE_PLATFORMS"]).await;
    assert_eq!(d["data"]["delegate"]["active"], true, "{d}");

    let id = propose(&app, &writer, "IL-DOC").await;
    let (_, inbox) = app
        .gql(
            "{ pendingApprovals(departmentCode: \"IL-DOC\") { subjectId missing asDesigneeOf { email } } }",
            json!({}),
            Some(&staff.access),
        )
        .await;
    assert_eq!(
        inbox["data"]["pendingApprovals"][0]["asDesigneeOf"]["email"], "pio@il-doc.demo",
        "{inbox}"
    );

    on(&app, APPROVE, &id, &director.access).await;
    let b = on(&app, APPROVE, &id, &staff.access).await;
    let p = &b["data"]["approvePlatform"];
    assert_eq!(p["status"], "APPROVED", "{b}");
    assert_eq!(p["approvals"][1]["role"], "PIO");
    assert_eq!(p["approvals"][1]["approver"]["email"], "staff@il-doc.demo");
    assert_eq!(p["approvals"][1]["asDesigneeOf"]["email"], "pio@il-doc.demo");

    let (_, log) = app
        .gql("{ auditLog(departmentCode: \"IL-DOC\", first: 5) { edges { node { action actor { email } onBehalfOf { email } } } } }", json!({}), Some(&pio.access))
        .await;
    let ev = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["action"] == "platform.approved")
        .unwrap()
        .clone();
    assert_eq!(
        ev["node"]["onBehalfOf"]["email"], "pio@il-doc.demo",
        "recorded as designee of the PIO"
    );

    let second = propose(&app, &writer, "IL-DOC").await;
    on(&app, APPROVE, &second, &pio.access).await;
    let b = on(&app, APPROVE, &second, &staff.access).await;
    assert_eq!(
        code(&b),
        "FORBIDDEN",
        "the PIO's authority already fills a seat: {b}"
    );
}

#[tokio::test]
async fn a_delegation_never_lets_anyone_approve_for_the_proposer() {
    let app = spawn_app().await;
    let pio = app.login("pio@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    delegate(
        &app,
        &pio.access,
        &my_id(&app, &staff.access).await,
        &["APPROVE_PLATFORMS"],
    )
    .await;
    let id = propose(&app, &pio.access, "IL-DOC").await;
    let b = on(&app, APPROVE, &id, &staff.access).await;
    assert_eq!(code(&b), "FORBIDDEN");
}

#[tokio::test]
async fn expired_and_revoked_delegations_stop_at_once() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await;
    let staff = app.login("staff@mt-doc.demo").await;
    let (_, writer) = employee(&app, "MT-DOC", Role::Staff, "writer@mt-doc.demo").await;
    let d = delegate(
        &app,
        &pio.access,
        &my_id(&app, &staff.access).await,
        &["APPROVE_PLATFORMS"],
    )
    .await;
    let delegation_id = d["data"]["delegate"]["id"].as_str().unwrap().to_owned();

    app.sql("UPDATE delegations SET valid_until = valid_from").await;
    let id = propose(&app, &writer, "MT-DOC").await;
    assert_eq!(
        code(&on(&app, APPROVE, &id, &staff.access).await),
        "FORBIDDEN",
        "expired"
    );

    let future = (chrono::Utc::now() + chrono::Duration::days(1))
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    app.sql(&format!("UPDATE delegations SET valid_until = '{future}'"))
        .await;
    let revoke = "mutation($id: ID!) { revokeDelegation(id: $id) { active revokedAt } }";
    let b = app
        .gql(revoke, json!({"id": delegation_id}), Some(&pio.access))
        .await
        .1;
    assert_eq!(b["data"]["revokeDelegation"]["active"], false, "{b}");
    assert_eq!(
        code(&on(&app, APPROVE, &id, &staff.access).await),
        "FORBIDDEN",
        "revoked"
    );
}

#[tokio::test]
async fn only_own_delegable_responsibilities_can_be_delegated() {
    let app = spawn_app().await;
    let director = app.login("director@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    let staff_id = my_id(&app, &staff.access).await;
    let b = delegate(&app, &director.access, &staff_id, &["APPROVE_POSTS"]).await;
    assert_eq!(code(&b), "FORBIDDEN");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("IL 01.02.400 II.D"),
        "{b}"
    );
    let b = delegate(
        &app,
        &staff.access,
        &my_id(&app, &director.access).await,
        &["APPROVE_PLATFORMS"],
    )
    .await;
    assert_eq!(code(&b), "FORBIDDEN", "staff have nothing to delegate");
    let b = delegate(
        &app,
        &director.access,
        &my_id(&app, &director.access).await,
        &["APPROVE_PLATFORMS"],
    )
    .await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "not to oneself");
}
