//! Role × operation table for every governance mutation: DIRECTOR, PIO, STAFF of MT-DOC, a
//! director of the other department, and an anonymous caller.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::fixtures::{active, approved, outcome, proposal, propose};
use crate::helpers::{TestApp, spawn_app};

/// Who calls.
#[derive(Clone, Copy, Debug)]
enum Caller {
    Director,
    Pio,
    Staff,
    OtherDepartment,
    Anonymous,
}

const CALLERS: [Caller; 5] = [
    Caller::Director,
    Caller::Pio,
    Caller::Staff,
    Caller::OtherDepartment,
    Caller::Anonymous,
];

async fn token(app: &TestApp, c: Caller) -> Option<String> {
    let email = match c {
        Caller::Director => "director@mt-doc.demo",
        Caller::Pio => "pio@mt-doc.demo",
        Caller::Staff => "staff@mt-doc.demo",
        Caller::OtherDepartment => "director@il-doc.demo",
        Caller::Anonymous => return None,
    };
    Some(app.login(email).await.access)
}

/// Runs one operation as one caller against fresh fixtures; returns "OK" or the error code.
async fn run(app: &TestApp, op: &str, c: Caller) -> String {
    let pio = app.login("pio@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let t = token(app, c).await;
    let call = |q: &'static str, vars: Value| {
        let t = t.clone();
        async move { outcome(&app.gql(q, vars, t.as_deref()).await.1) }
    };
    match op {
        "proposePlatform" => {
            call(
                "mutation($i: ProposePlatformInput!) { proposePlatform(input: $i) { id } }",
                json!({"i": proposal("MT-DOC")}),
            )
            .await
        }
        "approvePlatform" => {
            let id = propose(app, &staff, "MT-DOC").await;
            call(
                "mutation($id: ID!) { approvePlatform(id: $id) { id } }",
                json!({"id": id}),
            )
            .await
        }
        "rejectPlatform" => {
            let id = propose(app, &staff, "MT-DOC").await;
            call(
                "mutation($id: ID!) { rejectPlatform(id: $id, reason: \"No\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "activatePlatform" => {
            let id = approved(app, "MT-DOC").await;
            crate::fixtures::on(app, crate::fixtures::TERMS, &id, &pio).await;
            call(
                "mutation($id: ID!) { activatePlatform(id: $id) { id } }",
                json!({"id": id}),
            )
            .await
        }
        "suspendPlatform" => {
            let id = active(app, "MT-DOC").await;
            call(
                "mutation($id: ID!) { suspendPlatform(id: $id, reason: \"r\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "retirePlatform" => {
            let id = active(app, "MT-DOC").await;
            call(
                "mutation($id: ID!) { retirePlatform(id: $id, reason: \"r\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "acceptPlatformTerms" => {
            let id = approved(app, "MT-DOC").await;
            call(
                "mutation($id: ID!) { acceptPlatformTerms(id: $id, termsUrl: \"https://x.example/terms\", termsVersion: \"1\") { id } }",
                json!({"id": id}),
            )
            .await
        }
        "requestPlatformChange" => {
            let id = approved(app, "MT-DOC").await;
            call(
                "mutation($i: PlatformChangeInput!) { requestPlatformChange(input: $i) { id } }",
                json!({"i": {"platformId": id, "summary": "s", "contactInfo": "New contact"}}),
            )
            .await
        }
        "approvePlatformChange" => {
            let id = approved(app, "MT-DOC").await;
            let q = "mutation($i: PlatformChangeInput!) { requestPlatformChange(input: $i) { id } }";
            let (_, b) = app
                .gql(
                    q,
                    json!({"i": {"platformId": id, "summary": "s", "contactInfo": "c"}}),
                    Some(&staff),
                )
                .await;
            let cr = b["data"]["requestPlatformChange"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            call(
                "mutation($id: ID!) { approvePlatformChange(id: $id) { id } }",
                json!({"id": cr}),
            )
            .await
        }
        "delegate" => {
            let email = format!("designee-{}@mt-doc.demo", uuid::Uuid::new_v4().simple());
            let (to, _) =
                crate::fixtures::employee(app, "MT-DOC", policy_admin::auth::Role::Staff, &email).await;
            let now = chrono::Utc::now();
            let input = json!({"toUserId": to, "responsibilities": ["RECORD_REVIEWS"], "validFrom": now.to_rfc3339(),
                "validUntil": (now + chrono::Duration::days(1)).to_rfc3339(), "reason": "r"});
            call(
                "mutation($i: DelegateInput!) { delegate(input: $i) { id } }",
                json!({"i": input}),
            )
            .await
        }
        "recordFacilityReview" => {
            let (_, b) = app
                .gql(
                    "{ facilityReviews(departmentCode: \"MT-DOC\") { facility { id } } }",
                    json!({}),
                    Some(&pio),
                )
                .await;
            let f = b["data"]["facilityReviews"][0]["facility"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let today = chrono::Utc::now().date_naive().to_string();
            call(
                "mutation($i: RecordFacilityReviewInput!) { recordFacilityReview(input: $i) { id } }",
                json!({"i": {"facilityId": f, "reviewedOn": today, "findings": "ok"}}),
            )
            .await
        }
        "acknowledgePolicy" => {
            call(
                "mutation { acknowledgePolicy(version: \"MT-DOC-SM-1\") { version } }",
                json!({}),
            )
            .await
        }
        other => panic!("unknown operation {other}"),
    }
}

#[tokio::test]
async fn every_governance_mutation_follows_the_role_table() {
    // Expected outcome per caller: DIRECTOR, PIO, STAFF, other department, anonymous.
    let table: [(&str, [&str; 5]); 12] = [
        (
            "proposePlatform",
            ["OK", "OK", "OK", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "approvePlatform",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "rejectPlatform",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "activatePlatform",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "suspendPlatform",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "retirePlatform",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "acceptPlatformTerms",
            ["FORBIDDEN", "OK", "FORBIDDEN", "FORBIDDEN", "UNAUTHENTICATED"],
        ),
        (
            "requestPlatformChange",
            ["OK", "OK", "OK", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "approvePlatformChange",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "delegate",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "recordFacilityReview",
            ["OK", "OK", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"],
        ),
        (
            "acknowledgePolicy",
            ["OK", "OK", "OK", "BAD_USER_INPUT", "UNAUTHENTICATED"],
        ),
    ];
    let app = spawn_app().await;
    let mut mismatches = Vec::new();
    for (op, expected) in &table {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let got = run(&app, op, *caller).await;
            if got != *want {
                mismatches.push(format!("{op} as {caller:?}: expected {want}, got {got}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
