//! A page of 50 posts with author, platform, findings and approvals costs the same number of
//! SQL statements as a page of 5.

#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::fixtures::active;
use crate::helpers::{TestApp, spawn_app};

const PAGE: &str = "{ posts(departmentCode: \"MT-DOC\", first: 50) { edges { node { id status body verdict
    findings { rule clause start end }
    author { email department { code } }
    platform { handle status }
    approvals { role approver { email } asDesigneeOf { email } }
    versions { version createdBy { email } }
    media { reference depicts { subjectKind } }
} } } }";

async fn add_posts(app: &TestApp, pio: &str, director: &str, platform: &str, n: usize) {
    for i in 0..n {
        let (_, b) = app
            .gql(
                "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
                json!({"i": {"platformId": platform, "body": format!("Update {i} https://cor.mt.gov"), "media": [{"reference": format!("a{i}.jpg")}]}}),
                Some(pio),
            )
            .await;
        let id = b["data"]["createPost"]["id"].as_str().unwrap().to_owned();
        if i % 2 == 0 {
            app.gql(
                "mutation($id: ID!) { submitPost(id: $id) { id } }",
                json!({"id": id}),
                Some(pio),
            )
            .await;
            app.gql(
                "mutation($id: ID!) { approvePost(id: $id) { id } }",
                json!({"id": id}),
                Some(director),
            )
            .await;
        }
    }
}

#[tokio::test]
async fn a_page_of_fifty_posts_costs_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let director = app.login("director@mt-doc.demo").await.access;
    add_posts(&app, &pio, &director, &platform, 5).await;
    let before = app.statements().await;
    let (_, b) = app.gql(PAGE, json!({}), Some(&pio)).await;
    let small = app.statements().await - before;
    assert_eq!(b["data"]["posts"]["edges"].as_array().unwrap().len(), 5, "{b}");
    add_posts(&app, &pio, &director, &platform, 45).await;
    let before = app.statements().await;
    let (_, b) = app.gql(PAGE, json!({}), Some(&pio)).await;
    let large = app.statements().await - before;
    assert_eq!(b["data"]["posts"]["edges"].as_array().unwrap().len(), 50);
    assert_eq!(small, large, "statements for 5 vs 50 posts");
    assert!(large <= 8, "a page costs {large} statements");
}
