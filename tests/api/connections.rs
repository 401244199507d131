//! Connections page both ways: `first`/`after` forward, `last`/`before` back from the end, with
//! `totalCount` the size of the whole filtered list, counted only when selected.

#![allow(clippy::unwrap_used)]

use policy_admin::auth::Role;
use serde_json::{Value, json};

use crate::fixtures::{employee, propose};
use crate::helpers::{TestApp, code, spawn_app};

const EMPLOYEES: &str = "query($first: Int, $after: String, $last: Int, $before: String, $role: Role) {
  employees(departmentCode: \"MT-DOC\", role: $role, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { email } }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
  }
}";

async fn employees(app: &TestApp, token: &str, vars: Value) -> Value {
    let (_, b) = app.gql(EMPLOYEES, vars, Some(token)).await;
    assert!(b["errors"].is_null(), "{b}");
    b["data"]["employees"].clone()
}

fn emails(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_list_walks_forward_and_back_to_the_same_items_and_counts_them_all() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    for i in 0..5 {
        employee(&app, "MT-DOC", Role::Staff, &format!("paging{i}@mt-doc.demo")).await;
    }
    let all = employees(&app, &director, json!({"first": 100})).await;
    let everyone = emails(&all);
    let total = all["totalCount"].as_u64().unwrap();
    assert_eq!(total as usize, everyone.len(), "{all}");
    assert!(total >= 6, "{all}");

    // Forward, two at a time.
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = employees(&app, &director, json!({"first": 2, "after": after})).await;
        assert_eq!(
            page["totalCount"].as_u64(),
            Some(total),
            "cursors do not change the count"
        );
        assert_eq!(
            page["pageInfo"]["hasPreviousPage"],
            json!(!after.is_null()),
            "{page}"
        );
        forward.extend(emails(&page));
        if page["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward, everyone);

    // Back from the end, two at a time: each page keeps the list's order.
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = employees(&app, &director, json!({"last": 2, "before": before})).await;
        assert_eq!(
            page["pageInfo"]["hasNextPage"],
            json!(!before.is_null()),
            "{page}"
        );
        let mut items = emails(&page);
        items.extend(backward);
        backward = items;
        if page["pageInfo"]["hasPreviousPage"] == json!(false) {
            break;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, everyone, "the same items in the same order");

    // The end of the list is its oldest member (newest first); a filter counts what it keeps.
    let tail = employees(&app, &director, json!({"last": 1})).await;
    assert_eq!(emails(&tail), [everyone.last().unwrap().clone()]);
    let staff = employees(&app, &director, json!({"role": "STAFF", "first": 1})).await;
    let all_staff = employees(&app, &director, json!({"role": "STAFF", "first": 100})).await;
    assert_eq!(
        staff["totalCount"].as_u64(),
        Some(emails(&all_staff).len() as u64)
    );
    assert!(staff["totalCount"].as_u64().unwrap() < total);
}

#[tokio::test]
async fn an_oldest_first_list_ends_with_its_newest_items() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await.access;
    let director = app.login("director@il-doc.demo").await.access;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(propose(&app, &staff, "IL-DOC").await);
    }
    let q = "query($last: Int, $before: String) { platforms(departmentCode: \"IL-DOC\", last: $last, before: $before) {
        totalCount edges { node { id } } pageInfo { hasPreviousPage hasNextPage startCursor } } }";
    let (_, b) = app.gql(q, json!({"last": 2}), Some(&director)).await;
    let conn = &b["data"]["platforms"];
    let got: Vec<&str> = conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [ids[1].as_str(), ids[2].as_str()], "{b}");
    assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(true));
    assert_eq!(conn["pageInfo"]["hasNextPage"], json!(false));
    let before = conn["pageInfo"]["startCursor"].clone();
    let (_, b) = app
        .gql(q, json!({"last": 5, "before": before}), Some(&director))
        .await;
    let conn = &b["data"]["platforms"];
    let first = conn["edges"].as_array().unwrap().last().unwrap();
    assert_eq!(first["node"]["id"].as_str(), Some(ids[0].as_str()), "{b}");
    assert_eq!(conn["pageInfo"]["hasNextPage"], json!(true), "{b}");
}

#[tokio::test]
async fn page_sizes_are_bounded_and_first_and_last_do_not_mix() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let q = "query($first: Int, $last: Int) { auditLog(departmentCode: \"MT-DOC\", first: $first, last: $last) { edges { cursor } } }";
    for vars in [
        json!({"last": 101}),
        json!({"last": -1}),
        json!({"first": 1, "last": 1}),
    ] {
        let (_, b) = app.gql(q, vars.clone(), Some(&director)).await;
        assert_eq!(code(&b), "BAD_USER_INPUT", "{vars}: {b}");
    }
    let (_, b) = app.gql(q, json!({"last": 100}), Some(&director)).await;
    assert!(b["errors"].is_null(), "{b}");
}

#[tokio::test]
async fn the_count_costs_a_statement_only_when_selected() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    // The session is known after its first request, so that only the queries count.
    app.gql("{ __typename }", json!({}), Some(&director)).await;
    let cost = |q: &'static str| {
        let app = &app;
        let director = &director;
        async move {
            let before = app.statements().await;
            let (_, b) = app.gql(q, json!({}), Some(director)).await;
            assert!(b["errors"].is_null(), "{b}");
            app.statements().await - before
        }
    };
    let without = cost("{ auditLog(departmentCode: \"MT-DOC\", first: 5) { edges { cursor } } }").await;
    let with =
        cost("{ auditLog(departmentCode: \"MT-DOC\", first: 5) { totalCount edges { cursor } } }").await;
    assert_eq!(with, without + 1, "one count statement, and only when asked");
}
