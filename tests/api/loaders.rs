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

async fn cost_of_page(app: &TestApp, token: &str) -> (u64, usize) {
    let before = app.statements().await;
    let (_, b) = app.gql(PAGE, json!({}), Some(token)).await;
    let after = app.statements().await;
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

const QUEUE: &str =
    "{ moderationQueue(departmentCode: \"MT-DOC\", first: 50) { edges { node { id body verdict
    findings { rule clause start end excerpt }
    platform { handle }
    decisions { action rules moderator { email department { code } } asDesigneeOf { email } }
    priorDecisions { action moderator { email } }
    appeals { status }
} } } }";

async fn cost_of_queue(app: &TestApp, token: &str) -> (u64, usize) {
    let before = app.statements().await;
    let (_, b) = app.gql(QUEUE, json!({}), Some(token)).await;
    let after = app.statements().await;
    assert!(b["errors"].is_null(), "{b}");
    (
        after - before,
        b["data"]["moderationQueue"]["edges"].as_array().unwrap().len(),
    )
}

async fn add_comments(app: &TestApp, pio: &str, platform: &str, from: usize, n: usize) {
    let ingest = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }";
    let escalate = "mutation($id: ID!) { moderateComment(id: $id, action: ESCALATE) { id } }";
    for i in from..from + n {
        let input = json!({"platformId": platform, "externalId": format!("q{i}"), "authorHandle": format!("@h{}", i % 2),
            "body": format!("Comment {i}: what an idiot the warden is")});
        let (_, b) = app.gql(ingest, json!({"i": input}), Some(pio)).await;
        let id = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
        if i % 3 == 0 {
            // Leaves a decision behind: the pending comments of the same handles show it as
            // prior decisions.
            app.gql(escalate, json!({"id": id}), Some(pio)).await;
        }
    }
}

#[tokio::test]
async fn a_queue_page_of_fifty_comments_costs_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let platform = crate::fixtures::active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    add_comments(&app, &pio, &platform, 0, 5).await;
    let (small, n) = cost_of_queue(&app, &pio).await;
    add_comments(&app, &pio, &platform, 5, 80).await;
    let (large, m) = cost_of_queue(&app, &pio).await;
    assert!(n > 0 && m == 50, "pages of {n} and {m}");
    assert_eq!(small, large, "statements for a small page vs 50 comments");
    assert!(large <= 10, "a queue page costs {large} statements");
}
