//! Role × operation table for the posting mutations: DIRECTOR, PIO, STAFF of MT-DOC, a director
//! of the other department, and an anonymous caller.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::fixtures::{active, my_id, outcome};
use crate::helpers::{TestApp, spawn_app};

const CALLERS: [Option<&str>; 5] = [
    Some("director@mt-doc.demo"),
    Some("pio@mt-doc.demo"),
    Some("staff@mt-doc.demo"),
    Some("director@il-doc.demo"),
    None,
];

struct World {
    platform: String,
    staff: String,
    staff_id: String,
    pio: String,
    director: String,
}

async fn world(app: &TestApp) -> World {
    let platform = active(app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let director = app.login("director@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let staff_id = my_id(app, &staff).await;
    let now = chrono::Utc::now();
    let input = json!({"userId": staff_id, "platformIds": [platform], "validFrom": now.to_rfc3339(),
        "validUntil": (now + chrono::Duration::days(30)).to_rfc3339(), "approvalReference": "memo"});
    app.gql(
        "mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id } }",
        json!({"i": input}),
        Some(&pio),
    )
    .await;
    World {
        platform,
        staff,
        staff_id,
        pio,
        director,
    }
}

/// A post by the staff member, moved to `stage` ("SUBMITTED", "APPROVED" or "PUBLISHED").
async fn post_at(app: &TestApp, w: &World, stage: &str) -> String {
    let (_, b) = app
        .gql(
            "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
            json!({"i": {"platformId": w.platform, "body": "News at https://cor.mt.gov"}}),
            Some(&w.staff),
        )
        .await;
    let id = b["data"]["createPost"]["id"].as_str().unwrap().to_owned();
    app.gql(
        "mutation($id: ID!) { submitPost(id: $id) { id } }",
        json!({"id": id}),
        Some(&w.staff),
    )
    .await;
    if stage != "SUBMITTED" {
        app.gql(
            "mutation($id: ID!) { approvePost(id: $id) { id } }",
            json!({"id": id}),
            Some(&w.director),
        )
        .await;
    }
    if stage == "PUBLISHED" {
        app.gql(
            "mutation($id: ID!) { publishPost(id: $id, externalUrl: \"https://x.example/1\") { id } }",
            json!({"id": id}),
            Some(&w.pio),
        )
        .await;
    }
    id
}

async fn run(app: &TestApp, w: &World, op: &str, token: Option<&str>) -> String {
    let call = |q: &'static str, v: Value| async move { outcome(&app.gql(q, v, token).await.1) };
    let now = chrono::Utc::now();
    match op {
        "grantAuthorization" => {
            let input = json!({"userId": w.staff_id, "platformIds": [w.platform], "validFrom": now.to_rfc3339(),
                "validUntil": (now + chrono::Duration::days(10)).to_rfc3339(), "approvalReference": "m"});
            call(
                "mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id } }",
                json!({"i": input}),
            )
            .await
        }
        "createPost" => {
            call(
                "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
                json!({"i": {"platformId": w.platform, "body": "b"}}),
            )
            .await
        }
        "approvePost" => {
            let id = post_at(app, w, "SUBMITTED").await;
            call(
                "mutation($id: ID!) { approvePost(id: $id) { id } }",
                json!({"id": id}),
            )
            .await
        }
        "rejectPost" => {
            let id = post_at(app, w, "SUBMITTED").await;
            call(
                "mutation($id: ID!) { rejectPost(id: $id, reason: \"r\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "publishPost" => {
            let id = post_at(app, w, "APPROVED").await;
            call(
                "mutation($id: ID!) { publishPost(id: $id, externalUrl: \"https://x.example/2\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "removePost" => {
            let id = post_at(app, w, "PUBLISHED").await;
            call(
                "mutation($id: ID!) { removePost(id: $id, reason: \"r\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "recordConsent" => {
            let input = json!({"subjectName": "A B", "subjectKind": "EMPLOYEE", "mediaReference": "m.jpg",
                "grantedAt": now.to_rfc3339(), "documentReference": "form"});
            call(
                "mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }",
                json!({"i": input}),
            )
            .await
        }
        "reviewStaffContent" => {
            let input = json!({"staffUserId": w.staff_id, "contentReference": "https://x.example/p", "text": "hello", "outcome": "NO_VIOLATION"});
            call(
                "mutation($i: ReviewStaffContentInput!) { reviewStaffContent(input: $i) { outcome } }",
                json!({"i": input}),
            )
            .await
        }
        "recordViolation" => {
            let input =
                json!({"userId": w.staff_id, "ruleCodes": ["OBSCENE"], "subject": "s", "description": "d"});
            call(
                "mutation($i: RecordViolationInput!) { recordViolation(input: $i) { id } }",
                json!({"i": input}),
            )
            .await
        }
        "registerStaffProfile" => {
            let handle = format!("h{}", uuid::Uuid::new_v4().simple());
            call(
                "mutation($h: String!) { registerStaffProfile(input: {network: X, handle: $h, personalEmail: \"me@example.com\"}) { id } }",
                json!({"h": handle}),
            )
            .await
        }
        other => panic!("unknown operation {other}"),
    }
}

#[tokio::test]
async fn every_posting_mutation_follows_the_role_table() {
    // DIRECTOR, PIO, STAFF (the author of the posts), other department, anonymous.
    let table: [(&str, [&str; 5]); 10] = [
        (
            "grantAuthorization",
            ["OK", "OK", "FORBIDDEN", "FORBIDDEN", "UNAUTHENTICATED"],
        ),
        ("createPost", ["OK", "OK", "OK", "NOT_FOUND", "UNAUTHENTICATED"]),
        (
            "approvePost",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "rejectPost",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "publishPost",
            ["FORBIDDEN", "OK", "OK", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        ("removePost", ["OK", "OK", "OK", "NOT_FOUND", "UNAUTHENTICATED"]),
        (
            "recordConsent",
            ["OK", "OK", "FORBIDDEN", "FORBIDDEN", "UNAUTHENTICATED"],
        ),
        (
            "reviewStaffContent",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "recordViolation",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "registerStaffProfile",
            ["OK", "OK", "OK", "OK", "UNAUTHENTICATED"],
        ),
    ];
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut tokens = Vec::new();
    for c in CALLERS {
        tokens.push(match c {
            Some(email) => Some(app.login(email).await.access),
            None => None,
        });
    }
    let mut mismatches = Vec::new();
    for (op, expected) in &table {
        for (i, want) in expected.iter().enumerate() {
            let got = run(&app, &w, op, tokens[i].as_deref()).await;
            if got != *want {
                mismatches.push(format!("{op} as {:?}: expected {want}, got {got}", CALLERS[i]));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
