//! `serve --demo` with its activity: each department starts with an approved platform, public
//! comments screened into the moderation queue and a platform waiting for approval, and a
//! restart on the same database seeds nothing twice.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

const QUEUE: &str = "{ moderationQueue(departmentCode: \"MT-DOC\") { edges { node { externalId \
                     verdict findings { rule source excerpt } } } } }";

fn nodes(body: &Value) -> Vec<Value> {
    body["data"]["moderationQueue"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no queue: {body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn the_demo_starts_with_comments_to_moderate_and_a_platform_to_approve() {
    let app = spawn_app_with(|c| c.demo_activity = true).await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, q) = app.gql(QUEUE, json!({}), Some(&pio)).await;
    let items = nodes(&q);
    // MT-DOC publishes nothing by itself: every demo comment waits, clean ones too.
    assert_eq!(items.len(), 8, "{q}");
    let ssn = items
        .iter()
        .find(|n| n["findings"].to_string().contains("PPI_SSN"))
        .unwrap_or_else(|| panic!("an SSN finding: {q}"));
    assert!(!ssn.to_string().contains("523-41-7788"), "masked: {ssn}");
    let rules = q.to_string();
    for rule in ["THREAT_HARASSMENT", "OBSCENE", "ADVERTISING"] {
        assert!(rules.contains(rule), "{rule} found in the demo queue: {q}");
    }

    let director = app.login("director@il-doc.demo").await.access;
    let (_, inbox) = app
        .gql(
            "{ pendingApprovals(departmentCode: \"IL-DOC\") { kind title } }",
            json!({}),
            Some(&director),
        )
        .await;
    let waiting = inbox["data"]["pendingApprovals"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{inbox}");
    let (_, live) = app
        .gql(
            "{ platforms(departmentCode: \"IL-DOC\", status: APPROVED) { edges { node { handle } } } }",
            json!({}),
            Some(&director),
        )
        .await;
    assert_eq!(
        live["data"]["platforms"]["edges"].as_array().unwrap().len(),
        1,
        "the IL quorum (director and PIO) approved one: {live}"
    );

    // A second start with demo data on the same database adds nothing.
    let url = app.database_url.clone();
    let again = spawn_app_with(|c| {
        c.database_url = url;
        c.demo_activity = true;
    })
    .await;
    let pio = again.login("pio@mt-doc.demo").await.access;
    let (_, q) = again.gql(QUEUE, json!({}), Some(&pio)).await;
    assert_eq!(nodes(&q).len(), 8, "{q}");
}
