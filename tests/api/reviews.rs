//! Facility reviews (IL 01.02.400 II.C) and policy acknowledgements (IL 01.02.400 II.F.1).

#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::helpers::{code, spawn_app};

const STATES: &str = "query($s: ReviewStatus) { facilityReviews(departmentCode: \"IL-DOC\", status: $s) { facility { id name } status dueOn lastReview { reviewedOn reviewer { email } } } }";

#[tokio::test]
async fn reviews_move_facilities_between_overdue_due_and_current() {
    let app = spawn_app().await;
    let director = app.login("director@il-doc.demo").await;
    let (_, b) = app.gql(STATES, json!({}), Some(&director.access)).await;
    let all = b["data"]["facilityReviews"].as_array().unwrap().clone();
    assert_eq!(all.len(), 3, "{b}");
    assert!(
        all.iter().all(|f| f["status"] == "CURRENT"),
        "new facilities have a year"
    );

    let two_years_ago = (chrono::Utc::now() - chrono::Duration::days(730))
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    app.sql(&format!("UPDATE facilities SET created_at = '{two_years_ago}'"))
        .await;
    let (_, b) = app
        .gql(STATES, json!({"s": "OVERDUE"}), Some(&director.access))
        .await;
    assert_eq!(b["data"]["facilityReviews"].as_array().unwrap().len(), 3);

    let facility = all[0]["facility"]["id"].as_str().unwrap();
    let record =
        "mutation($i: RecordFacilityReviewInput!) { recordFacilityReview(input: $i) { reviewedOn } }";
    let eleven_months_ago = (chrono::Utc::now() - chrono::Duration::days(340))
        .date_naive()
        .to_string();
    let b = app
        .gql(record, json!({"i": {"facilityId": facility, "reviewedOn": eleven_months_ago, "findings": "Signage posted."}}), Some(&director.access))
        .await
        .1;
    assert!(b["errors"].is_null(), "{b}");
    let (_, due) = app.gql(STATES, json!({"s": "DUE"}), Some(&director.access)).await;
    assert_eq!(
        due["data"]["facilityReviews"][0]["facility"]["id"], facility,
        "{due}"
    );

    let today = chrono::Utc::now().date_naive().to_string();
    app.gql(
        record,
        json!({"i": {"facilityId": facility, "reviewedOn": today, "findings": "All good."}}),
        Some(&director.access),
    )
    .await;
    let (_, cur) = app
        .gql(STATES, json!({"s": "CURRENT"}), Some(&director.access))
        .await;
    assert_eq!(
        cur["data"]["facilityReviews"][0]["lastReview"]["reviewer"]["email"],
        "director@il-doc.demo"
    );

    let staff = app.login("staff@il-doc.demo").await;
    let b = app
        .gql(
            record,
            json!({"i": {"facilityId": facility, "reviewedOn": today, "findings": "x"}}),
            Some(&staff.access),
        )
        .await
        .1;
    assert_eq!(code(&b), "FORBIDDEN");
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .to_string();
    let b = app
        .gql(
            record,
            json!({"i": {"facilityId": facility, "reviewedOn": tomorrow, "findings": "x"}}),
            Some(&director.access),
        )
        .await
        .1;
    assert_eq!(code(&b), "BAD_USER_INPUT");
}

#[tokio::test]
async fn acknowledgements_shrink_the_list_of_who_has_not() {
    let app = spawn_app().await;
    let pio = app.login("pio@il-doc.demo").await;
    let staff = app.login("staff@il-doc.demo").await;
    let list = "{ unacknowledgedEmployees(departmentCode: \"IL-DOC\") { email } }";
    let (_, b) = app.gql(list, json!({}), Some(&pio.access)).await;
    assert_eq!(b["data"]["unacknowledgedEmployees"].as_array().unwrap().len(), 3);
    let ack = "mutation($v: String!) { acknowledgePolicy(version: $v) { version } }";
    let b = app
        .gql(ack, json!({"v": "01.02.400 (2020-07-01)"}), Some(&staff.access))
        .await
        .1;
    assert_eq!(code(&b), "BAD_USER_INPUT");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("IL 01.02.400 II.F.1")
    );
    for _ in 0..2 {
        let b = app
            .gql(ack, json!({"v": "01.02.400 (2022-09-01)"}), Some(&staff.access))
            .await
            .1;
        assert_eq!(
            b["data"]["acknowledgePolicy"]["version"], "01.02.400 (2022-09-01)",
            "{b}"
        );
    }
    let (_, b) = app.gql(list, json!({}), Some(&pio.access)).await;
    let emails: Vec<&str> = b["data"]["unacknowledgedEmployees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 2);
    assert!(!emails.contains(&"staff@il-doc.demo"));
    let (_, b) = app.gql(list, json!({}), Some(&staff.access)).await;
    assert_eq!(code(&b), "FORBIDDEN");
}

#[tokio::test]
async fn the_inbox_shows_what_the_caller_can_still_approve() {
    let app = spawn_app().await;
    let staff = app.login("staff@il-doc.demo").await;
    let director = app.login("director@il-doc.demo").await;
    let pio = app.login("pio@il-doc.demo").await;
    let id = crate::fixtures::propose(&app, &staff.access, "IL-DOC").await;
    let inbox =
        "{ pendingApprovals(departmentCode: \"IL-DOC\") { kind subjectId missing submittedBy { email } } }";
    let (_, b) = app.gql(inbox, json!({}), Some(&director.access)).await;
    assert_eq!(b["data"]["pendingApprovals"][0]["subjectId"], id.as_str());
    assert_eq!(
        b["data"]["pendingApprovals"][0]["missing"],
        json!(["DIRECTOR", "PIO"])
    );
    crate::fixtures::on(&app, crate::fixtures::APPROVE, &id, &director.access).await;
    let (_, b) = app.gql(inbox, json!({}), Some(&director.access)).await;
    assert_eq!(b["data"]["pendingApprovals"], json!([]));
    let (_, b) = app.gql(inbox, json!({}), Some(&pio.access)).await;
    assert_eq!(b["data"]["pendingApprovals"][0]["missing"], json!(["PIO"]));
    let (_, b) = app.gql(inbox, json!({}), Some(&staff.access)).await;
    assert_eq!(b["data"]["pendingApprovals"], json!([]));
}
