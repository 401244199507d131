//! Integration tokens: created on the command line, limited to a department and a scope,
//! audited on every use, revocable; used by platform connectors to ingest comments and file
//! appeals, and to read the moderation log (moderator names hidden where the profile says so).

#![allow(clippy::unwrap_used)]

use std::process::Command;

use serde_json::{Value, json};

use crate::fixtures::{active, integration_token as create_token};
use crate::helpers::{TestApp, code, spawn_app};

const BIN: &str = env!("CARGO_BIN_EXE_policy-admin");

async fn ingest(app: &TestApp, token: &str, platform: &str, external: &str, body: &str) -> Value {
    let q = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id status } }";
    let input = json!({"platformId": platform, "externalId": external, "authorHandle": "@c", "body": body});
    app.gql(q, json!({"i": input}), Some(token)).await.1
}

#[tokio::test]
async fn a_connector_ingests_and_appeals_within_its_scope_and_every_use_is_audited() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let other = active(&app, "IL-DOC").await;
    let token = create_token(&app, "MT-DOC", "ingest");
    assert!(token.starts_with("pat_ingest_"), "{token}");

    let b = ingest(&app, &token, &platform, "ext-1", "You are a moron, warden").await;
    let comment = b["data"]["ingestComment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    let again = ingest(&app, &token, &platform, "ext-1", "same").await;
    assert_eq!(
        again["data"]["ingestComment"]["id"],
        comment.as_str(),
        "idempotent"
    );
    assert_eq!(
        code(&ingest(&app, &token, &other, "ext-2", "hi").await),
        "NOT_FOUND",
        "department-scoped"
    );
    let (_, me) = app.gql("{ me { email } }", json!({}), Some(&token)).await;
    assert_eq!(
        code(&me),
        "FORBIDDEN",
        "a token is authenticated, but is no person"
    );

    let pio = app.login("pio@mt-doc.demo").await.access;
    let hide =
        "mutation($id: ID!) { moderateComment(id: $id, action: HIDE, rules: [\"PERSONAL_ATTACK\"]) { id } }";
    app.gql(hide, json!({"id": comment}), Some(&pio)).await;
    let appeal = "mutation($c: ID!) { appealDecision(commentId: $c, text: \"It was a joke\") { status } }";
    let b = app.gql(appeal, json!({"c": comment}), Some(&token)).await.1;
    assert_eq!(b["data"]["appealDecision"]["status"], "OPEN", "{b}");

    let scim = create_token(&app, "MT-DOC", "scim");
    assert_eq!(
        code(&ingest(&app, &scim, &platform, "ext-3", "hi").await),
        "FORBIDDEN",
        "scope-limited"
    );

    let (_, log) = app
        .gql(
            "{ auditLog(departmentCode: \"MT-DOC\", first: 30) { edges { node { action } } } }",
            json!({}),
            Some(&pio),
        )
        .await;
    let used = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "integration.token_used")
        .count();
    assert!(used >= 5, "every use is audited: {log}");

    let list = Command::new(BIN)
        .args(["token", "list", "--department", "MT-DOC"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    let listing = String::from_utf8(list.stdout).unwrap();
    assert!(
        listing.contains("INGEST") && !listing.contains(&token),
        "the token itself is never shown again: {listing}"
    );
    let id = listing
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let out = Command::new(BIN)
        .args(["token", "revoke", &id])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(out.status.success());
    let resp = app
        .client
        .post(format!("{}/graphql", app.addr))
        .bearer_auth(&token)
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "UNAUTHENTICATED", "revoked at once: {body}");
}

#[tokio::test]
async fn moderator_names_are_hidden_from_integrations_where_the_profile_says_so() {
    let app = spawn_app().await;
    let log = "{ moderationLog(departmentCode: DEPT) { edges { node { action moderator { email } } } } }";
    for (dept, hidden) in [("IL-DOC", true), ("MT-DOC", false)] {
        let platform = active(&app, dept).await;
        let token = create_token(&app, dept, "ingest");
        let b = ingest(&app, &token, &platform, "n-1", "Go to hell, you idiot").await;
        let comment = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
        let pio = app
            .login(&format!("pio@{}.demo", dept.to_lowercase()))
            .await
            .access;
        let remove = "mutation($id: ID!) { moderateComment(id: $id, action: REMOVE, rules: [\"PERSONAL_ATTACK\"]) { id } }";
        app.gql(remove, json!({"id": comment}), Some(&pio)).await;
        let q = log.replace("DEPT", &format!("\"{dept}\""));
        let (_, seen) = app.gql(&q, json!({}), Some(&token)).await;
        let moderator = &seen["data"]["moderationLog"]["edges"][0]["node"]["moderator"];
        assert_eq!(moderator.is_null(), hidden, "{dept}: {seen}");
        let (_, staff_view) = app.gql(&q, json!({}), Some(&pio)).await;
        assert!(
            staff_view["data"]["moderationLog"]["edges"][0]["node"]["moderator"]["email"].is_string(),
            "people see names"
        );
    }
}

/// Field by field: staff notes never reach an integration; where the profile hides moderator
/// names (IL-DOC), neither the decision fields nor the log's moderator filter reveal them.
#[tokio::test]
async fn integrations_never_see_staff_notes_and_hidden_moderators_stay_hidden() {
    let app = spawn_app().await;
    for (dept, hidden) in [("IL-DOC", true), ("MT-DOC", false)] {
        let lower = dept.to_lowercase();
        let platform = active(&app, dept).await;
        let token = create_token(&app, dept, "ingest");
        let pio = app.login(&format!("pio@{lower}.demo")).await.access;
        let director = app.login(&format!("director@{lower}.demo")).await.access;
        let b = ingest(&app, &token, &platform, "f-1", "You are a moron, warden").await;
        let comment = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
        let hide = "mutation($id: ID!) { moderateComment(id: $id, action: HIDE, rules: [\"PERSONAL_ATTACK\"], note: \"staff only: repeat\") { id } }";
        app.gql(hide, json!({"id": comment}), Some(&pio)).await;
        let appeal = "mutation($c: ID!) { appealDecision(commentId: $c, text: \"Unfair\") { id } }";
        let b = app.gql(appeal, json!({"c": comment}), Some(&token)).await.1;
        let appeal_id = b["data"]["appealDecision"]["id"].as_str().unwrap().to_owned();
        // In IL only the PIO moderates, so only MT has a second person to decide the appeal.
        let decided = !hidden;
        if decided {
            let decide =
                "mutation($id: ID!) { decideAppeal(id: $id, outcome: UPHOLD, note: \"stands\") { status } }";
            let b = app.gql(decide, json!({"id": appeal_id}), Some(&director)).await.1;
            assert_eq!(b["data"]["decideAppeal"]["status"], "UPHELD", "{b}");
        }

        // The comment a connector gets back when it ingests again.
        let q = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { decisions { note moderator { email } asDesigneeOf { email } } appeals { decidedBy { email } } } }";
        let input =
            json!({"platformId": platform, "externalId": "f-1", "authorHandle": "@c", "body": "again"});
        let (_, b) = app.gql(q, json!({"i": input}), Some(&token)).await;
        let c = &b["data"]["ingestComment"];
        assert!(
            c["decisions"][0]["note"].is_null(),
            "{dept}: note via the comment: {b}"
        );
        assert_eq!(
            c["decisions"][0]["moderator"].is_null(),
            hidden,
            "{dept}: moderator: {b}"
        );
        assert!(c["decisions"][0]["asDesigneeOf"].is_null(), "{dept}: {b}");
        assert_eq!(
            !c["appeals"][0]["decidedBy"].is_null(),
            decided,
            "{dept}: appeal decider: {b}"
        );

        let log = "query($d: String!, $m: ID) { moderationLog(departmentCode: $d, moderatorId: $m, first: 10) { edges { node { note moderator { email } } } } }";
        let (_, b) = app.gql(log, json!({"d": dept, "m": null}), Some(&token)).await;
        let node = &b["data"]["moderationLog"]["edges"][0]["node"];
        assert!(node["note"].is_null(), "{dept}: note via the log: {b}");
        assert_eq!(node["moderator"].is_null(), hidden, "{dept}: {b}");

        let pio_id = crate::fixtures::my_id(&app, &pio).await;
        let (_, b) = app.gql(log, json!({"d": dept, "m": pio_id}), Some(&token)).await;
        if hidden {
            assert_eq!(
                code(&b),
                "FORBIDDEN",
                "{dept}: the filter would tell who decided: {b}"
            );
        } else {
            assert_eq!(
                b["data"]["moderationLog"]["edges"].as_array().unwrap().len(),
                1,
                "{b}"
            );
        }

        let (_, b) = app.gql(log, json!({"d": dept, "m": null}), Some(&pio)).await;
        assert_eq!(
            b["data"]["moderationLog"]["edges"][0]["node"]["note"], "staff only: repeat",
            "people still see the note: {b}"
        );
    }
}

#[tokio::test]
async fn there_is_no_webhooks_token_scope() {
    let app = spawn_app().await;
    let out = Command::new(BIN)
        .args([
            "token",
            "create",
            "--department",
            "MT-DOC",
            "--scope",
            "webhooks",
            "--name",
            "w",
        ])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("invalid value"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
