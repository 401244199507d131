//! Nested fields go through DataLoaders: a page of 50 platforms with approvals, approvers,
//! proposers, versions and change requests costs the same number of SQL statements as a page
//! of 5. Statements are counted by the server itself (`/metrics`).

#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::fixtures::{APPROVE, on, propose};
use crate::helpers::TestApp;
use crate::helpers::spawn_app;

const PAGE: &str = "{ platforms(departmentCode: \"IL-DOC\", first: 50) { edges { node { id status handle
    proposedBy { email department { code } }
    approvals { role approver { email } asDesigneeOf { email } }
    missingApprovals complianceChecklist { element met }
    versions { version createdBy { email } }
    pendingChangeRequests { id requestedBy { email } approvals { role } }
} } } }";

async fn statements(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("policy_admin_db_statements_total "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|v| v as u64)
        .unwrap()
}

async fn cost_of_page(app: &TestApp, token: &str) -> (u64, usize) {
    let before = statements(app).await;
    let (_, b) = app.gql(PAGE, json!({}), Some(token)).await;
    let after = statements(app).await;
    assert!(b["errors"].is_null(), "{b}");
    (
        after - before,
        b["data"]["platforms"]["edges"].as_array().unwrap().len(),
    )
}

#[tokio::test]
async fn a_page_of_fifty_platforms_costs_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await;
    let director = app.login("director@il-doc.demo").await;
    for i in 0..5 {
        let id = propose(&app, &staff.access, "IL-DOC").await;
        if i % 2 == 0 {
            on(&app, APPROVE, &id, &director.access).await;
        }
    }
    let (small, n) = cost_of_page(&app, &director.access).await;
    assert_eq!(n, 5);
    for i in 0..45 {
        let id = propose(&app, &staff.access, "IL-DOC").await;
        if i % 2 == 0 {
            on(&app, APPROVE, &id, &director.access).await;
        }
    }
    let (large, n) = cost_of_page(&app, &director.access).await;
    assert_eq!(n, 50);
    assert_eq!(small, large, "statements for 5 vs 50 platforms");
    assert!(large <= 8, "a page costs {large} statements");
}
