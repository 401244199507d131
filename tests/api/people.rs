//! A director manages the department's people through the API: lists, roles, suspensions.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::fixtures::my_id;
use crate::helpers::{LOGIN, PASSWORD, TestApp, code, spawn_app};

const EMPLOYEES: &str = "query($d: String!, $r: Role, $s: UserStatus) { employees(departmentCode: $d, role: $r, status: $s, first: 50) { edges { node { id email role status } } } }";
const ASSIGN: &str = "mutation($u: ID!, $r: Role!) { assignRole(userId: $u, role: $r) { id role } }";
const SUSPEND: &str =
    "mutation($u: ID!) { suspendEmployee(userId: $u, reason: \"under investigation\") { status } }";
const REINSTATE: &str = "mutation($u: ID!) { reinstateEmployee(userId: $u, reason: \"cleared\") { status } }";

async fn emails(app: &TestApp, token: &str, vars: Value) -> Vec<String> {
    let (_, b) = app.gql(EMPLOYEES, vars, Some(token)).await;
    b["data"]["employees"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_director_lists_the_departments_people_and_no_one_else_does() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let all = emails(&app, &director, json!({"d": "MT-DOC"})).await;
    assert!(
        all.contains(&"staff@mt-doc.demo".to_owned()) && all.len() >= 3,
        "{all:?}"
    );
    assert!(
        all.iter().all(|e| e.ends_with("@mt-doc.demo")),
        "own department only"
    );
    let staff_only = emails(&app, &director, json!({"d": "MT-DOC", "r": "STAFF"})).await;
    assert_eq!(staff_only, vec!["staff@mt-doc.demo".to_owned()]);
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, b) = app.gql(EMPLOYEES, json!({"d": "MT-DOC"}), Some(&pio)).await;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
    let (_, b) = app.gql(EMPLOYEES, json!({"d": "IL-DOC"}), Some(&director)).await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");
}

#[tokio::test]
async fn a_role_assigned_takes_effect_on_the_next_request_and_is_audited() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let staff_id = my_id(&app, &staff).await;
    let (_, b) = app
        .gql(ASSIGN, json!({"u": staff_id, "r": "PIO"}), Some(&director))
        .await;
    assert_eq!(b["data"]["assignRole"]["role"], "PIO", "{b}");
    let (_, me) = app.gql("{ me { role } }", json!({}), Some(&staff)).await;
    assert_eq!(
        me["data"]["me"]["role"], "PIO",
        "the same session sees the new role: {me}"
    );
    assert!(
        app.audit_actions("MT-DOC", &director)
            .await
            .contains(&"user.role_assigned".to_owned())
    );

    // Never without a director; never another department's people; never by a PIO.
    let director_id = my_id(&app, &director).await;
    let (_, b) = app
        .gql(ASSIGN, json!({"u": director_id, "r": "STAFF"}), Some(&director))
        .await;
    assert_eq!(code(&b), "CONFLICT", "{b}");
    let il_staff = app.login("staff@il-doc.demo").await.access;
    let il_id = my_id(&app, &il_staff).await;
    let (_, b) = app
        .gql(ASSIGN, json!({"u": il_id, "r": "PIO"}), Some(&director))
        .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, b) = app
        .gql(ASSIGN, json!({"u": staff_id, "r": "DIRECTOR"}), Some(&pio))
        .await;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
    assert!(
        app.audit_actions("MT-DOC", &director)
            .await
            .contains(&"user.assign_role".to_owned()),
        "the refusal is on record"
    );

    // With a second director, the first may step down.
    let (_, b) = app
        .gql(ASSIGN, json!({"u": staff_id, "r": "DIRECTOR"}), Some(&director))
        .await;
    assert_eq!(b["data"]["assignRole"]["role"], "DIRECTOR", "{b}");
    let (_, b) = app
        .gql(ASSIGN, json!({"u": director_id, "r": "STAFF"}), Some(&director))
        .await;
    assert_eq!(b["data"]["assignRole"]["role"], "STAFF", "{b}");
}

#[tokio::test]
async fn a_suspension_ends_sessions_at_once_and_reinstatement_lets_them_back() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await;
    let staff_id = my_id(&app, &staff.access).await;
    let (_, b) = app.gql(SUSPEND, json!({"u": staff_id}), Some(&director)).await;
    assert_eq!(b["data"]["suspendEmployee"]["status"], "SUSPENDED", "{b}");
    let (_, me) = app.gql("{ me { id } }", json!({}), Some(&staff.access)).await;
    assert_eq!(code(&me), "UNAUTHENTICATED", "{me}");
    let login = json!({"email": "staff@mt-doc.demo", "password": PASSWORD});
    let (_, b) = app.gql(LOGIN, login.clone(), None).await;
    assert!(b["data"]["login"].is_null(), "{b}");
    let suspended = emails(&app, &director, json!({"d": "MT-DOC", "s": "SUSPENDED"})).await;
    assert_eq!(suspended, vec!["staff@mt-doc.demo".to_owned()]);
    let (_, b) = app.gql(SUSPEND, json!({"u": staff_id}), Some(&director)).await;
    assert_eq!(code(&b), "CONFLICT", "already suspended: {b}");
    let director_id = my_id(&app, &director).await;
    let (_, b) = app.gql(SUSPEND, json!({"u": director_id}), Some(&director)).await;
    assert_eq!(code(&b), "CONFLICT", "not oneself: {b}");

    let (_, b) = app.gql(REINSTATE, json!({"u": staff_id}), Some(&director)).await;
    assert_eq!(b["data"]["reinstateEmployee"]["status"], "ACTIVE", "{b}");
    let (_, b) = app.gql(LOGIN, login, None).await;
    assert!(b["data"]["login"]["accessToken"].is_string(), "{b}");
    let actions = app.audit_actions("MT-DOC", &director).await;
    assert!(
        actions.contains(&"user.suspended".to_owned()) && actions.contains(&"user.reinstated".to_owned())
    );
}
