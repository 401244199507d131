//! Department scoping: another department's records answer exactly like missing ones.

#![allow(clippy::unwrap_used)]

use policy_admin::graphql::ids::{Kind, encode};
use serde_json::json;

use crate::helpers::{code, spawn_app};

#[tokio::test]
async fn a_director_of_one_department_sees_nothing_of_the_other() {
    let app = spawn_app().await;
    let mt = app.login("director@mt-doc.demo").await;
    let il = app.login("director@il-doc.demo").await;

    let (_, deps) = app
        .gql("{ departments { code } }", json!({}), Some(&mt.access))
        .await;
    assert_eq!(deps["data"]["departments"], json!([{"code": "MT-DOC"}]));

    let q = "query($c: String!) { department(code: $c) { code } }";
    let (_, other) = app.gql(q, json!({"c": "IL-DOC"}), Some(&mt.access)).await;
    let (_, missing) = app.gql(q, json!({"c": "XX-DOC"}), Some(&mt.access)).await;
    assert!(other["data"]["department"].is_null());
    assert_eq!(other, missing, "foreign and missing look the same");

    let q = "query($c: String!) { auditLog(departmentCode: $c) { edges { cursor } } }";
    let (_, other) = app.gql(q, json!({"c": "IL-DOC"}), Some(&mt.access)).await;
    let (_, missing) = app.gql(q, json!({"c": "XX-DOC"}), Some(&mt.access)).await;
    assert_eq!(code(&other), "NOT_FOUND");
    assert_eq!(other["errors"][0]["message"], missing["errors"][0]["message"]);

    let (_, rules) = app
        .gql(
            "{ policyRules(departmentCode: \"IL-DOC\") { code } }",
            json!({}),
            Some(&mt.access),
        )
        .await;
    assert_eq!(code(&rules), "NOT_FOUND");

    let (_, me_il) = app
        .gql("{ me { id department { id } } }", json!({}), Some(&il.access))
        .await;
    let il_user = me_il["data"]["me"]["id"].as_str().unwrap();
    let il_dept = me_il["data"]["me"]["department"]["id"].as_str().unwrap();
    let node = "query($id: ID!) { node(id: $id) { id } }";
    for id in [il_user, il_dept] {
        let (_, b) = app.gql(node, json!({"id": id}), Some(&mt.access)).await;
        assert!(b["data"]["node"].is_null(), "{b}");
        let (_, own) = app.gql(node, json!({"id": id}), Some(&il.access)).await;
        assert_eq!(own["data"]["node"]["id"], id, "the owner sees it: {own}");
    }
    let (_, b) = app
        .gql(
            node,
            json!({"id": encode(Kind::User, 999_999).0}),
            Some(&mt.access),
        )
        .await;
    assert!(b["data"]["node"].is_null());
}

#[tokio::test]
async fn only_the_director_and_the_pio_read_the_audit_log() {
    let app = spawn_app().await;
    let q = "{ auditLog(departmentCode: \"IL-DOC\", first: 5) { edges { node { action } } } verifyAuditLog(departmentCode: \"IL-DOC\") { ok } }";
    for role in ["director", "pio"] {
        let s = app.login(&format!("{role}@il-doc.demo")).await;
        let (_, b) = app.gql(q, json!({}), Some(&s.access)).await;
        assert!(b["errors"].is_null(), "{role}: {b}");
        assert_eq!(b["data"]["verifyAuditLog"]["ok"], true);
    }
    let staff = app.login("staff@il-doc.demo").await;
    let (_, b) = app.gql(q, json!({}), Some(&staff.access)).await;
    assert_eq!(code(&b), "FORBIDDEN");
}

#[tokio::test]
async fn policy_rules_list_every_code_with_its_clause() {
    let app = spawn_app().await;
    let s = app.login("staff@il-doc.demo").await;
    let (_, b) = app
        .gql("{ policyRules(departmentCode: \"IL-DOC\") { code title clause severities { context severity } } }", json!({}), Some(&s.access))
        .await;
    let rules = b["data"]["policyRules"].as_array().unwrap();
    assert_eq!(rules.len(), 15);
    let ads = rules.iter().find(|r| r["code"] == "ADVERTISING").unwrap();
    assert_eq!(ads["clause"], "IL 01.02.400 II.G.3.b");
    assert!(
        rules
            .iter()
            .all(|r| r["clause"].as_str().unwrap().starts_with("IL 01.02.400"))
    );
}
