//! Posting: written authorizations, the post workflow per department, media consent, staff
//! profiles, staff content reviews and violations.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::fixtures::{active, my_id, outcome};
use crate::helpers::{TestApp, code, spawn_app};

const GRANT: &str = "mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id status validUntil platforms { id } } }";
const CREATE: &str = "mutation($i: CreatePostInput!) { createPost(input: $i) { id status version } }";
const SUBMIT: &str = "mutation($id: ID!) { submitPost(id: $id) { id status verdict findings { rule } } }";
const APPROVE: &str =
    "mutation($id: ID!) { approvePost(id: $id) { id status approvals { role approver { email } } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishPost(id: $id, externalUrl: \"https://facebook.com/doc/posts/1\") { id status externalUrl } }";

/// Grants `user` a one-year authorization for `platform` as `grantor`.
async fn grant(app: &TestApp, grantor: &str, user_id: &str, platform: &str, days: i64) -> Value {
    let now = chrono::Utc::now();
    let input = json!({
        "userId": user_id, "platformIds": [platform],
        "validFrom": (now - chrono::Duration::minutes(1)).to_rfc3339(),
        "validUntil": (now + chrono::Duration::days(days)).to_rfc3339(),
        "approvalReference": "PIO memo 2026-114",
    });
    app.gql(GRANT, json!({"i": input}), Some(grantor)).await.1
}

async fn draft(app: &TestApp, token: &str, platform: &str, body: &str, media: Value) -> Value {
    app.gql(
        CREATE,
        json!({"i": {"platformId": platform, "body": body, "media": media}}),
        Some(token),
    )
    .await
    .1
}

fn id_of(b: &Value, field: &str) -> String {
    b["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field} failed: {b}"))
        .to_owned()
}

const MT_BODY: &str = "Visiting hours change on Monday. Details at https://cor.mt.gov/visiting";
const IL_BODY: &str = "Family day at Logan Correctional Center. See https://idoc.illinois.gov/news";

#[tokio::test]
async fn a_staff_member_of_each_department_drafts_submits_gets_approved_and_publishes() {
    let app = spawn_app().await;
    for (dept, body, approver, wrong_approver, clause) in [
        ("MT-DOC", MT_BODY, "director@mt-doc.demo", None, "MT IV.A.2.a"),
        (
            "IL-DOC",
            IL_BODY,
            "pio@il-doc.demo",
            Some("director@il-doc.demo"),
            "IL 01.02.400 II.G.4.a",
        ),
    ] {
        let d = dept.to_lowercase();
        let platform = active(&app, dept).await;
        let pio = app.login(&format!("pio@{d}.demo")).await.access;
        let staff = app.login(&format!("staff@{d}.demo")).await.access;
        let g = grant(&app, &pio, &my_id(&app, &staff).await, &platform, 180).await;
        assert_eq!(g["data"]["grantAuthorization"]["status"], "ACTIVE", "{g}");

        let post = id_of(
            &draft(&app, &staff, &platform, "first draft", json!([])).await,
            "createPost",
        );
        let edit = "mutation($id: ID!, $b: String!) { updatePost(id: $id, body: $b) { version } }";
        let b = app
            .gql(edit, json!({"id": post, "b": body}), Some(&staff))
            .await
            .1;
        assert_eq!(b["data"]["updatePost"]["version"], 2, "{b}");
        let b = app.gql(SUBMIT, json!({"id": post}), Some(&staff)).await.1;
        assert_eq!(b["data"]["submitPost"]["status"], "SUBMITTED", "{b}");
        assert_eq!(b["data"]["submitPost"]["verdict"], "CLEAR");

        let b = app.gql(APPROVE, json!({"id": post}), Some(&staff)).await.1;
        assert_eq!(code(&b), "FORBIDDEN", "the author never approves");
        if let Some(w) = wrong_approver {
            let t = app.login(w).await.access;
            let b = app.gql(APPROVE, json!({"id": post}), Some(&t)).await.1;
            assert_eq!(code(&b), "FORBIDDEN");
            assert!(
                b["errors"][0]["message"].as_str().unwrap().contains(clause),
                "{b}"
            );
        }
        let t = app.login(approver).await.access;
        let b = app.gql(APPROVE, json!({"id": post}), Some(&t)).await.1;
        assert_eq!(b["data"]["approvePost"]["status"], "APPROVED", "{b}");

        let b = app.gql(PUBLISH, json!({"id": post}), Some(&staff)).await.1;
        assert_eq!(b["data"]["publishPost"]["status"], "PUBLISHED", "{b}");
        let q = "query($id: ID!) { node(id: $id) { ... on Post { versions { version body } author { email } platform { id } } } }";
        let (_, v) = app.gql(q, json!({"id": post}), Some(&pio)).await;
        assert_eq!(
            v["data"]["node"]["versions"].as_array().unwrap().len(),
            2,
            "every version is kept: {v}"
        );
    }
}

#[tokio::test]
async fn posting_needs_a_live_authorization_for_that_platform() {
    let app = spawn_app().await;
    let platform = active(&app, "IL-DOC").await;
    let other = active(&app, "IL-DOC").await;
    let pio = app.login("pio@il-doc.demo").await.access;
    let staff = app.login("staff@il-doc.demo").await.access;
    let b = draft(&app, &staff, &platform, IL_BODY, json!([])).await;
    assert_eq!(code(&b), "FORBIDDEN");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("IL 01.02.400 II.G.5.a"),
        "{b}"
    );

    let g = grant(&app, &pio, &my_id(&app, &staff).await, &platform, 30).await;
    assert_eq!(
        code(&draft(&app, &staff, &other, IL_BODY, json!([])).await),
        "FORBIDDEN",
        "wrong platform"
    );
    assert_eq!(
        outcome(&draft(&app, &staff, &platform, IL_BODY, json!([])).await),
        "OK"
    );

    let just_now = (chrono::Utc::now() - chrono::Duration::seconds(1))
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    app.sql(&format!(
        "UPDATE posting_authorizations SET valid_until = '{just_now}'"
    ))
    .await;
    let b = draft(&app, &staff, &platform, IL_BODY, json!([])).await;
    assert_eq!(code(&b), "FORBIDDEN", "expired at its end instant");
    let q = "{ authorizations(departmentCode: \"IL-DOC\") { edges { node { status } } } }";
    let (_, list) = app.gql(q, json!({}), Some(&pio)).await;
    assert_eq!(
        list["data"]["authorizations"]["edges"][0]["node"]["status"],
        "EXPIRED"
    );
    let _ = g;
}

#[tokio::test]
async fn authorizations_are_bounded_renewed_and_revoked() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let staff_id = my_id(&app, &staff).await;
    let b = grant(&app, &pio, &staff_id, &platform, 400).await;
    assert_eq!(code(&b), "BAD_USER_INPUT");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains("365 days"),
        "{b}"
    );
    assert_eq!(
        code(&grant(&app, &staff, &staff_id, &platform, 30).await),
        "FORBIDDEN"
    );

    let id = id_of(
        &grant(&app, &pio, &staff_id, &platform, 30).await,
        "grantAuthorization",
    );
    let renew = "mutation($id: ID!, $u: DateTime!) { renewAuthorization(id: $id, validUntil: $u, approvalReference: \"memo 2\") { id status renewedFromId validFrom } }";
    let until = (chrono::Utc::now() + chrono::Duration::days(200)).to_rfc3339();
    let b = app.gql(renew, json!({"id": id, "u": until}), Some(&pio)).await.1;
    assert_eq!(
        b["data"]["renewAuthorization"]["renewedFromId"],
        id.as_str(),
        "{b}"
    );
    assert_eq!(
        b["data"]["renewAuthorization"]["status"], "PENDING",
        "the renewal starts where the first ends"
    );

    let q =
        "{ authorizations(departmentCode: \"MT-DOC\", expiringWithinDays: 31) { edges { node { id } } } }";
    let (_, soon) = app.gql(q, json!({}), Some(&pio)).await;
    assert_eq!(
        soon["data"]["authorizations"]["edges"].as_array().unwrap().len(),
        1,
        "{soon}"
    );

    let revoke =
        "mutation($id: ID!) { revokeAuthorization(id: $id, reason: \"Reassigned\") { status revokeReason } }";
    let b = app.gql(revoke, json!({"id": id}), Some(&pio)).await.1;
    assert_eq!(b["data"]["revokeAuthorization"]["status"], "REVOKED");
    assert_eq!(
        code(&draft(&app, &staff, &platform, MT_BODY, json!([])).await),
        "FORBIDDEN"
    );
}

/// Whether the department's latest audit events hold `action` with outcome DENIED.
async fn denied(app: &TestApp, token: &str, action: &str) -> bool {
    let q = "{ auditLog(departmentCode: \"IL-DOC\", first: 20) { edges { node { action outcome } } } }";
    let (_, b) = app.gql(q, json!({}), Some(token)).await;
    b["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["node"]["action"] == action && e["node"]["outcome"] == "DENIED")
}

#[tokio::test]
async fn edits_and_publication_need_the_authorization_to_be_still_live() {
    let app = spawn_app().await;
    let platform = active(&app, "IL-DOC").await;
    let pio = app.login("pio@il-doc.demo").await.access;
    let staff = app.login("staff@il-doc.demo").await.access;
    let staff_id = my_id(&app, &staff).await;
    let clause = "IL 01.02.400 II.G.5.a";

    // Revoked after drafting: the draft can no longer change.
    let g = grant(&app, &pio, &staff_id, &platform, 30).await;
    let post = id_of(
        &draft(&app, &staff, &platform, IL_BODY, json!([])).await,
        "createPost",
    );
    let revoke = "mutation($id: ID!) { revokeAuthorization(id: $id, reason: \"Reassigned\") { status } }";
    let id = g["data"]["grantAuthorization"]["id"].as_str().unwrap();
    let b = app.gql(revoke, json!({"id": id}), Some(&pio)).await.1;
    assert_eq!(b["data"]["revokeAuthorization"]["status"], "REVOKED", "{b}");
    let edit = "mutation($id: ID!, $b: String!) { updatePost(id: $id, body: $b) { version } }";
    let b = app
        .gql(edit, json!({"id": post, "b": IL_BODY}), Some(&staff))
        .await
        .1;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains(clause),
        "{b}"
    );
    assert!(denied(&app, &pio, "post.update").await);

    // Expired after approval: the author can no longer publish; the PIO still can.
    grant(&app, &pio, &staff_id, &platform, 30).await;
    let post = id_of(
        &draft(&app, &staff, &platform, IL_BODY, json!([])).await,
        "createPost",
    );
    let b = app.gql(SUBMIT, json!({"id": post}), Some(&staff)).await.1;
    assert_eq!(b["data"]["submitPost"]["status"], "SUBMITTED", "{b}");
    let b = app.gql(APPROVE, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(b["data"]["approvePost"]["status"], "APPROVED", "{b}");
    let just_now = (chrono::Utc::now() - chrono::Duration::seconds(1))
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    app.sql(&format!(
        "UPDATE posting_authorizations SET valid_until = '{just_now}'"
    ))
    .await;
    let b = app.gql(PUBLISH, json!({"id": post}), Some(&staff)).await.1;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains(clause),
        "{b}"
    );
    assert!(denied(&app, &pio, "post.publish").await);
    let b = app.gql(PUBLISH, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(b["data"]["publishPost"]["status"], "PUBLISHED", "{b}");
}

#[tokio::test]
async fn blocking_findings_refuse_the_submit_with_the_findings() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let post = id_of(
        &draft(
            &app,
            &pio,
            &platform,
            "Inmate John Smith, SSN 219-09-6789, was moved. https://cor.mt.gov",
            json!([]),
        )
        .await,
        "createPost",
    );
    let b = app.gql(SUBMIT, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(code(&b), "POLICY_VIOLATION", "{b}");
    let findings = b["errors"][0]["extensions"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "PPI_SSN" && f["clause"] == "MT III; MT IV.B.3.b"),
        "{b}"
    );
    assert!(!b.to_string().contains("219-09"), "no PPI in the error");
    let q = "query($id: ID!) { node(id: $id) { ... on Post { status verdict findings { rule } } } }";
    let (_, v) = app.gql(q, json!({"id": post}), Some(&pio)).await;
    assert_eq!(v["data"]["node"]["status"], "DRAFT");
    assert_eq!(
        v["data"]["node"]["verdict"], "BLOCK",
        "findings are stored with the post"
    );
}

#[tokio::test]
async fn media_of_people_needs_a_live_consent_and_a_revoked_consent_flags_the_post() {
    let app = spawn_app().await;
    let platform = active(&app, "IL-DOC").await;
    let pio = app.login("pio@il-doc.demo").await.access;
    let director = app.login("director@il-doc.demo").await.access;
    let staff = app.login("staff@il-doc.demo").await.access;
    grant(&app, &pio, &my_id(&app, &staff).await, &platform, 30).await;
    let media = json!([{"reference": "asset-77.jpg", "depicts": [{"subjectName": "Dana Reyes", "subjectKind": "IN_CUSTODY"}]}]);
    let post = id_of(
        &draft(&app, &staff, &platform, IL_BODY, media).await,
        "createPost",
    );
    let b = app.gql(SUBMIT, json!({"id": post}), Some(&staff)).await.1;
    assert_eq!(code(&b), "POLICY_VIOLATION");
    let f = &b["errors"][0]["extensions"]["findings"][0];
    assert_eq!(f["rule"], "MEDIA_CONSENT");
    assert_eq!(f["severity"], "BLOCK");
    assert_eq!(f["clause"], "IL 01.02.400 II.G.4.e, II.G.5.e");

    let rec = "mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id live } }";
    let input = json!({"subjectName": "dana  reyes", "subjectKind": "IN_CUSTODY", "mediaReference": "asset-77.jpg",
        "grantedAt": chrono::Utc::now().to_rfc3339(), "documentReference": "Form DOC-0401 #88"});
    assert_eq!(
        code(&app.gql(rec, json!({"i": input.clone()}), Some(&staff)).await.1),
        "FORBIDDEN"
    );
    let b = app.gql(rec, json!({"i": input}), Some(&pio)).await.1;
    let consent = id_of(&b, "recordConsent");
    let b = app.gql(SUBMIT, json!({"id": post}), Some(&staff)).await.1;
    assert_eq!(b["data"]["submitPost"]["status"], "SUBMITTED", "{b}");
    assert_eq!(
        code(&app.gql(APPROVE, json!({"id": post}), Some(&director)).await.1),
        "FORBIDDEN",
        "IL: the PIO approves"
    );
    app.gql(APPROVE, json!({"id": post}), Some(&pio)).await;
    let b = app.gql(PUBLISH, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(b["data"]["publishPost"]["status"], "PUBLISHED", "{b}");

    let revoke = "mutation($id: ID!) { revokeConsent(id: $id) { live } }";
    let b = app.gql(revoke, json!({"id": consent}), Some(&pio)).await.1;
    assert_eq!(b["data"]["revokeConsent"]["live"], false);
    let q = "query($id: ID!) { node(id: $id) { ... on Post { consentFlag } } }";
    let (_, v) = app.gql(q, json!({"id": post}), Some(&pio)).await;
    assert!(
        v["data"]["node"]["consentFlag"]
            .as_str()
            .unwrap()
            .contains("revoked"),
        "{v}"
    );
}

#[tokio::test]
async fn personal_profiles_need_a_personal_email() {
    let app = spawn_app().await;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let reg = "mutation($e: String!) { registerStaffProfile(input: {network: FACEBOOK, handle: \"jdoe\", personalEmail: $e}) { handle personalEmail } }";
    for gov in ["j.doe@mt.gov", "jdoe@cor.mt.gov", "jdoe@state.gov"] {
        let b = app.gql(reg, json!({"e": gov}), Some(&staff)).await.1;
        assert_eq!(code(&b), "BAD_USER_INPUT", "{gov}");
        assert!(b["errors"][0]["message"].as_str().unwrap().contains("MT IV.B.1"));
    }
    let b = app
        .gql(reg, json!({"e": "jdoe@example.com"}), Some(&staff))
        .await
        .1;
    assert_eq!(b["data"]["registerStaffProfile"]["handle"], "jdoe", "{b}");
}

#[tokio::test]
async fn violations_are_seen_by_the_employee_director_and_pio_only() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let (other_id, other) = crate::fixtures::employee(
        &app,
        "MT-DOC",
        policy_admin::auth::Role::Staff,
        "other@mt-doc.demo",
    )
    .await;
    let rec = "mutation($i: RecordViolationInput!) { recordViolation(input: $i) { id status } }";
    let input = json!({"userId": my_id(&app, &staff).await, "ruleCodes": ["REPRESENTATION_CLAIM"],
        "subject": "Spoke for the Department", "description": "Personal post claimed to state Department policy."});
    assert_eq!(
        code(&app.gql(rec, json!({"i": input.clone()}), Some(&other)).await.1),
        "FORBIDDEN"
    );
    let id = id_of(
        &app.gql(rec, json!({"i": input}), Some(&pio)).await.1,
        "recordViolation",
    );
    let node = "query($id: ID!) { node(id: $id) { ... on Violation { subject } } }";
    assert_eq!(
        app.gql(node, json!({"id": id}), Some(&staff)).await.1["data"]["node"]["subject"],
        "Spoke for the Department"
    );
    assert!(
        app.gql(node, json!({"id": id}), Some(&other)).await.1["data"]["node"].is_null(),
        "another employee sees nothing"
    );
    let il = app.login("director@il-doc.demo").await.access;
    assert!(app.gql(node, json!({"id": id}), Some(&il)).await.1["data"]["node"].is_null());
    let list = "{ violations(departmentCode: \"MT-DOC\") { edges { node { id } } } }";
    let (_, theirs) = app.gql(list, json!({}), Some(&other)).await;
    assert_eq!(theirs["data"]["violations"]["edges"], json!([]), "{theirs}");
    let (_, mine) = app.gql(list, json!({}), Some(&staff)).await;
    assert_eq!(mine["data"]["violations"]["edges"][0]["node"]["id"], id.as_str());
    let open = "{ violations(departmentCode: \"MT-DOC\", withStatus: OPEN) { totalCount } }";
    let (_, all) = app.gql(open, json!({}), Some(&pio)).await;
    assert_eq!(all["data"]["violations"]["totalCount"], 1, "{all}");
    let old = "{ violations(departmentCode: \"MT-DOC\", status: \"OPEN\") { totalCount } }";
    let (_, all) = app.gql(old, json!({}), Some(&pio)).await;
    assert_eq!(
        all["data"]["violations"]["totalCount"], 1,
        "the deprecated string still works: {all}"
    );
    let resolved = "{ violations(departmentCode: \"MT-DOC\", withStatus: RESOLVED) { totalCount } }";
    let (_, none) = app.gql(resolved, json!({}), Some(&pio)).await;
    assert_eq!(none["data"]["violations"]["totalCount"], 0, "{none}");
    let bad = "{ violations(departmentCode: \"MT-DOC\", status: \"CLOSED\") { totalCount } }";
    assert_eq!(
        code(&app.gql(bad, json!({}), Some(&pio)).await.1),
        "BAD_USER_INPUT"
    );
    let resolve = "mutation($id: ID!) { resolveViolation(id: $id, outcome: COUNSELING, note: \"Met 11/22\") { status outcome } }";
    let b = app.gql(resolve, json!({"id": id}), Some(&pio)).await.1;
    assert_eq!(b["data"]["resolveViolation"]["outcome"], "COUNSELING", "{b}");
    assert_eq!(
        code(&app.gql(resolve, json!({"id": id}), Some(&pio)).await.1),
        "CONFLICT"
    );
    let _ = other_id;
}

#[tokio::test]
async fn a_pio_records_the_outcome_of_a_staff_content_review() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let q = "mutation($i: ReviewStaffContentInput!) { reviewStaffContent(input: $i) { outcome findings { rule clause } } }";
    let input = json!({"staffUserId": my_id(&app, &staff).await, "contentReference": "https://facebook.com/jdoe/posts/9",
        "text": "As a spokesperson for the Department of Corrections, I can tell you our policy is changing.", "outcome": "VIOLATION"});
    let b = app.gql(q, json!({"i": input.clone()}), Some(&pio)).await.1;
    let r = &b["data"]["reviewStaffContent"];
    assert_eq!(r["outcome"], "VIOLATION", "{b}");
    assert_eq!(r["findings"][0]["rule"], "REPRESENTATION_CLAIM");
    assert_eq!(r["findings"][0]["clause"], "MT IV.B.3.a");
    assert_eq!(
        code(&app.gql(q, json!({"i": input}), Some(&staff)).await.1),
        "FORBIDDEN"
    );
}
