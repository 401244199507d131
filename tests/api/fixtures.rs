//! Governance fixtures: proposing and moving platforms through their lifecycle over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use policy_admin::auth::{EmploymentType, Role};
use policy_admin::config::Secret;
use policy_admin::records::RequestMeta;
use policy_admin::service::users;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, code};

pub const PROPOSE: &str = "mutation($i: ProposePlatformInput!) { proposePlatform(input: $i) { id status } }";
pub const APPROVE: &str = "mutation($id: ID!) { approvePlatform(id: $id) { id status approvals { role approver { email } asDesigneeOf { email } } missingApprovals } }";
pub const TERMS: &str = "mutation($id: ID!) { acceptPlatformTerms(id: $id, termsUrl: \"https://www.facebook.com/terms\", termsVersion: \"2026-01\") { id } }";
pub const ACTIVATE: &str = "mutation($id: ID!) { activatePlatform(id: $id) { id status } }";

/// A complete proposal for a department.
pub fn proposal(dept: &str) -> Value {
    let (host, purpose) = match dept {
        "MT-DOC" => ("cor.mt.gov", "PUBLIC_SAFETY"),
        _ => ("idoc.illinois.gov", "NEWS_AND_EVENTS"),
    };
    json!({
        "departmentCode": dept,
        "network": "FACEBOOK",
        "handle": format!("{}-{}", dept.to_lowercase(), uuid::Uuid::new_v4().simple()),
        "url": "https://facebook.com/doc",
        "purposes": [purpose],
        "purposeStatement": "News and safety information from the Department.",
        "scopeStatement": "Statewide programs and facilities.",
        "websiteLink": format!("https://{host}/news"),
        "maintainedByStatement": "This page is maintained by the Department of Corrections.",
        "logoUrl": format!("https://{host}/logo.png"),
        "contactInfo": "Public Information Office",
    })
}

/// Proposes a platform as `token`; returns its ID.
pub async fn propose(app: &TestApp, token: &str, dept: &str) -> String {
    let (_, b) = app.gql(PROPOSE, json!({"i": proposal(dept)}), Some(token)).await;
    b["data"]["proposePlatform"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("propose failed: {b}"))
        .to_owned()
}

/// Runs a mutation on a platform id; returns the body.
pub async fn on(app: &TestApp, query: &str, id: &str, token: &str) -> Value {
    app.gql(query, json!({"id": id}), Some(token)).await.1
}

/// "OK" or the error code.
pub fn outcome(b: &Value) -> String {
    if b["errors"].is_array() {
        code(b).to_owned()
    } else {
        "OK".to_owned()
    }
}

/// An APPROVED platform of a department (proposed by its staff member, approved by its quorum).
pub async fn approved(app: &TestApp, dept: &str) -> String {
    let d = dept.to_lowercase();
    let staff = app.login(&format!("staff@{d}.demo")).await;
    let id = propose(app, &staff.access, dept).await;
    for role in ["director", "pio"] {
        let t = app.login(&format!("{role}@{d}.demo")).await;
        let b = on(app, APPROVE, &id, &t.access).await;
        if b["data"]["approvePlatform"]["status"] == "APPROVED" {
            break;
        }
    }
    id
}

/// An ACTIVE platform of a department.
pub async fn active(app: &TestApp, dept: &str) -> String {
    let id = approved(app, dept).await;
    let pio = app.login(&format!("pio@{}.demo", dept.to_lowercase())).await;
    assert_eq!(outcome(&on(app, TERMS, &id, &pio.access).await), "OK");
    let b = on(app, ACTIVATE, &id, &pio.access).await;
    assert_eq!(b["data"]["activatePlatform"]["status"], "ACTIVE", "{b}");
    id
}

/// Creates another employee and signs them in; returns (global id, access token).
pub async fn employee(app: &TestApp, dept: &str, role: Role, email: &str) -> (String, String) {
    let hash = app.state.hasher.hash(&Secret::new(PASSWORD)).await.unwrap();
    let new = users::NewUser {
        department_code: dept.to_owned(),
        role,
        email: users::Email::parse(email).unwrap(),
        name: format!("Test {email}"),
        employment_type: EmploymentType::FullTime,
        password_hash: hash,
    };
    let row = users::create(&app.state.db, new, &RequestMeta::cli())
        .await
        .expect("create user");
    let s = app.login(email).await;
    (
        policy_admin::graphql::ids::encode(policy_admin::graphql::ids::Kind::User, row.id).0,
        s.access,
    )
}

/// The global id of the signed-in user.
pub async fn my_id(app: &TestApp, token: &str) -> String {
    let (_, b) = app.gql("{ me { id } }", json!({}), Some(token)).await;
    b["data"]["me"]["id"].as_str().unwrap().to_owned()
}

/// Creates an integration token on the command line, as an operator would; returns it.
pub fn integration_token(app: &TestApp, dept: &str, scope: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policy-admin"))
        .args([
            "token",
            "create",
            "--department",
            dept,
            "--scope",
            scope,
            "--name",
            "connector",
        ])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
