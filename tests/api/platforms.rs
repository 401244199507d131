//! Platforms: proposal, quorum approval per profile, lifecycle, checklist, change requests.

#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::fixtures::{ACTIVATE, APPROVE, PROPOSE, TERMS, approved, on, outcome, proposal, propose};
use crate::helpers::{code, spawn_app};

#[tokio::test]
async fn mt_needs_one_approval_from_the_director_or_the_pio_then_the_full_lifecycle_runs() {
    let app = spawn_app().await;
    let staff = app.login("staff@mt-doc.demo").await;
    let pio = app.login("pio@mt-doc.demo").await;
    let id = propose(&app, &staff.access, "MT-DOC").await;
    let b = on(&app, APPROVE, &id, &pio.access).await;
    assert_eq!(b["data"]["approvePlatform"]["status"], "APPROVED", "{b}");
    assert_eq!(b["data"]["approvePlatform"]["approvals"][0]["role"], "PIO");

    let b = on(&app, ACTIVATE, &id, &pio.access).await;
    assert_eq!(code(&b), "FORBIDDEN");
    let msg = b["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("TERMS_ACCEPTED (MT IV.A.2.a)"),
        "the refusal cites the clause: {msg}"
    );

    let director = app.login("director@mt-doc.demo").await;
    assert_eq!(
        code(&on(&app, TERMS, &id, &director.access).await),
        "FORBIDDEN",
        "only the PIO accepts terms"
    );
    assert_eq!(outcome(&on(&app, TERMS, &id, &pio.access).await), "OK");
    let b = on(&app, ACTIVATE, &id, &director.access).await;
    assert_eq!(b["data"]["activatePlatform"]["status"], "ACTIVE", "{b}");

    let suspend = "mutation($id: ID!) { suspendPlatform(id: $id, reason: \"Security review\") { status statusReason } }";
    let b = on(&app, suspend, &id, &pio.access).await;
    assert_eq!(b["data"]["suspendPlatform"]["status"], "SUSPENDED");
    let b = on(&app, ACTIVATE, &id, &pio.access).await;
    assert_eq!(b["data"]["activatePlatform"]["status"], "ACTIVE");
    let retire = "mutation($id: ID!) { retirePlatform(id: $id, reason: \"Closed\") { status } }";
    assert_eq!(
        on(&app, retire, &id, &pio.access).await["data"]["retirePlatform"]["status"],
        "RETIRED"
    );
    assert_eq!(code(&on(&app, ACTIVATE, &id, &pio.access).await), "CONFLICT");
}

#[tokio::test]
async fn il_needs_both_the_director_and_the_pio() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await;
    let director = app.login("director@il-doc.demo").await;
    let pio = app.login("pio@il-doc.demo").await;
    let id = propose(&app, &staff.access, "IL-DOC").await;
    let b = on(&app, APPROVE, &id, &director.access).await;
    assert_eq!(b["data"]["approvePlatform"]["status"], "PROPOSED");
    assert_eq!(b["data"]["approvePlatform"]["missingApprovals"], json!(["PIO"]));
    let again = on(&app, APPROVE, &id, &director.access).await;
    assert_eq!(
        again["data"]["approvePlatform"]["approvals"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "idempotent per person"
    );
    let b = on(&app, APPROVE, &id, &pio.access).await;
    assert_eq!(b["data"]["approvePlatform"]["status"], "APPROVED", "{b}");
    let roles: Vec<&str> = b["data"]["approvePlatform"]["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["DIRECTOR", "PIO"]);
}

#[tokio::test]
async fn nobody_approves_what_they_proposed() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await;
    let id = propose(&app, &pio.access, "MT-DOC").await;
    let b = on(&app, APPROVE, &id, &pio.access).await;
    assert_eq!(code(&b), "FORBIDDEN");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("MT IV.A.2.a")
    );
    let director = app.login("director@mt-doc.demo").await;
    assert_eq!(
        on(&app, APPROVE, &id, &director.access).await["data"]["approvePlatform"]["status"],
        "APPROVED"
    );

    let (_, log) = app
        .gql(
            "{ auditLog(departmentCode: \"MT-DOC\", first: 10) { edges { node { action outcome } } } }",
            json!({}),
            Some(&director.access),
        )
        .await;
    let denied = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["node"]["action"] == "platform.approve" && e["node"]["outcome"] == "DENIED");
    assert!(denied, "the refused attempt is audited: {log}");
}

#[tokio::test]
async fn purposes_outside_the_profile_are_refused_with_the_clause() {
    let app = spawn_app().await;
    for (dept, user, wrong, clause) in [
        ("MT-DOC", "staff@mt-doc.demo", "OUTREACH", "MT IV.A.1"),
        (
            "IL-DOC",
            "staff@il-doc.demo",
            "PUBLIC_SAFETY",
            "IL 01.02.400 II.G.2",
        ),
    ] {
        let s = app.login(user).await;
        let mut input = proposal(dept);
        input["purposes"] = json!([wrong]);
        let (_, b) = app.gql(PROPOSE, json!({"i": input}), Some(&s.access)).await;
        assert_eq!(code(&b), "BAD_USER_INPUT");
        assert!(
            b["errors"][0]["message"].as_str().unwrap().contains(clause),
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_lookalike_website_link_keeps_the_checklist_open() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await;
    let mut input = proposal("IL-DOC");
    input["websiteLink"] = json!("https://idoc.illinois.gov.evil.example/");
    let (_, b) = app.gql(PROPOSE, json!({"i": input}), Some(&staff.access)).await;
    let id = b["data"]["proposePlatform"]["id"].as_str().unwrap().to_owned();
    for role in ["director", "pio"] {
        let t = app.login(&format!("{role}@il-doc.demo")).await;
        on(&app, APPROVE, &id, &t.access).await;
    }
    let pio = app.login("pio@il-doc.demo").await;
    on(&app, TERMS, &id, &pio.access).await;
    let q = "query($id: ID!) { node(id: $id) { ... on Platform { status complianceChecklist { element met clause } } } }";
    let (_, b) = app.gql(q, json!({"id": id}), Some(&pio.access)).await;
    let unmet: Vec<_> = b["data"]["node"]["complianceChecklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["met"] == false)
        .map(|i| {
            (
                i["element"].as_str().unwrap().to_owned(),
                i["clause"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        unmet,
        vec![("WEBSITE_LINK".to_owned(), "IL 01.02.400 II.G.1.c".to_owned())]
    );
    let b = on(&app, ACTIVATE, &id, &pio.access).await;
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("WEBSITE_LINK (IL 01.02.400 II.G.1.c)"),
        "{b}"
    );
}

#[tokio::test]
async fn a_change_takes_effect_only_after_its_quorum_approves_it() {
    let app = spawn_app().await;
    let id = approved(&app, "MT-DOC").await;
    let staff = app.login("staff@mt-doc.demo").await;
    let pio = app.login("pio@mt-doc.demo").await;
    let req = "mutation($i: PlatformChangeInput!) { requestPlatformChange(input: $i) { id status } }";
    let (_, b) = app
        .gql(req, json!({"i": {"platformId": id, "summary": "Post job openings", "purposes": ["PUBLIC_SAFETY", "EMPLOYMENT"]}}), Some(&staff.access))
        .await;
    let cr = b["data"]["requestPlatformChange"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let view = "query($id: ID!) { node(id: $id) { ... on Platform { purposes version pendingChangeRequests { id } versions { version } } } }";
    let (_, before) = app.gql(view, json!({"id": id}), Some(&pio.access)).await;
    assert_eq!(
        before["data"]["node"]["purposes"],
        json!(["PUBLIC_SAFETY"]),
        "not applied before approval"
    );
    assert_eq!(
        before["data"]["node"]["pendingChangeRequests"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let approve = "mutation($id: ID!) { approvePlatformChange(id: $id) { status } }";
    let b = app.gql(approve, json!({"id": cr}), Some(&pio.access)).await.1;
    assert_eq!(b["data"]["approvePlatformChange"]["status"], "APPROVED", "{b}");
    let (_, after) = app.gql(view, json!({"id": id}), Some(&pio.access)).await;
    assert_eq!(
        after["data"]["node"]["purposes"],
        json!(["PUBLIC_SAFETY", "EMPLOYMENT"])
    );
    assert_eq!(after["data"]["node"]["version"], 2);
    assert_eq!(
        after["data"]["node"]["versions"],
        json!([{"version": 1}, {"version": 2}])
    );

    let (_, b) = app
        .gql(
            req,
            json!({"i": {"platformId": id, "summary": "Outreach", "purposes": ["OUTREACH"]}}),
            Some(&staff.access),
        )
        .await;
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains("MT IV.A.1"),
        "{b}"
    );

    let (_, b) = app
        .gql(
            req,
            json!({"i": {"platformId": id, "summary": "New handle", "handle": "mtdoc"}}),
            Some(&pio.access),
        )
        .await;
    let own = b["data"]["requestPlatformChange"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = app.gql(approve, json!({"id": own}), Some(&pio.access)).await.1;
    assert_eq!(
        code(&b),
        "FORBIDDEN",
        "the requester does not approve their own change"
    );
}

#[tokio::test]
async fn concurrent_approvals_make_exactly_one_transition() {
    let app = spawn_app().await;
    let staff = app.login("staff@mt-doc.demo").await;
    let director = app.login("director@mt-doc.demo").await;
    let pio = app.login("pio@mt-doc.demo").await;
    let id = propose(&app, &staff.access, "MT-DOC").await;
    let calls = (0..12).map(|i| {
        let t = if i % 2 == 0 {
            director.access.clone()
        } else {
            pio.access.clone()
        };
        let id = id.clone();
        let app = &app;
        async move { app.gql(APPROVE, json!({"id": id}), Some(&t)).await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(|(s, _)| s.is_success()));
    let q = "query($id: ID!) { node(id: $id) { ... on Platform { status approvals { role } } } }";
    let (_, b) = app.gql(q, json!({"id": id}), Some(&pio.access)).await;
    assert_eq!(b["data"]["node"]["status"], "APPROVED");
    assert_eq!(
        b["data"]["node"]["approvals"].as_array().unwrap().len(),
        1,
        "one seat, one approval"
    );
    let (_, log) = app
        .gql(
            "{ auditLog(departmentCode: \"MT-DOC\", first: 100) { edges { node { action subjectId } } } }",
            json!({}),
            Some(&pio.access),
        )
        .await;
    let transitions = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "platform.approved")
        .count();
    assert_eq!(transitions, 1);
}

#[tokio::test]
async fn permitted_purposes_are_listed_per_department_with_their_clauses() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await;
    let q = "query($d: String!) { platformPurposes(departmentCode: $d) { code title clause } }";
    let (_, b) = app.gql(q, json!({"d": "IL-DOC"}), Some(&staff.access)).await;
    let purposes = b["data"]["platformPurposes"].as_array().unwrap();
    let codes: Vec<&str> = purposes.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"NEWS_AND_EVENTS"), "{b}");
    assert!(
        !codes.contains(&"PUBLIC_SAFETY"),
        "Montana's purposes are not Illinois's: {b}"
    );
    assert!(
        purposes
            .iter()
            .all(|p| p["clause"].as_str().unwrap().starts_with("IL 01.02.400 II.G.2")),
        "{b}"
    );
    let (_, b) = app.gql(q, json!({"d": "MT-DOC"}), Some(&staff.access)).await;
    assert_eq!(code(&b), "NOT_FOUND", "another department's profile: {b}");

    // A code from the list is accepted, and the platform names it with its clause.
    let mut input = proposal("IL-DOC");
    input["purposes"] = json!([codes[codes.len() - 1]]);
    let (_, b) = app.gql(PROPOSE, json!({"i": input}), Some(&staff.access)).await;
    let id = b["data"]["proposePlatform"]["id"].as_str().unwrap();
    let (_, b) = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Platform { purposes purposeDetails { code clause } } } }",
            json!({"id": id}),
            Some(&staff.access),
        )
        .await;
    let node = &b["data"]["node"];
    assert_eq!(node["purposes"], json!([codes[codes.len() - 1]]), "{b}");
    assert_eq!(node["purposeDetails"][0]["code"], node["purposes"][0], "{b}");
    assert_eq!(
        node["purposeDetails"][0]["clause"],
        purposes[codes.len() - 1]["clause"]
    );
}
