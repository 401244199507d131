//! Platforms in the browser: the approvals inbox and the walkthrough from a proposal to a
//! moderated comment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::{Browser, app};
use crate::fixtures::propose;

#[tokio::test]
async fn the_mt_director_approves_a_proposed_platform_from_the_inbox() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let id = propose(&app, &staff, "MT-DOC").await;

    b.sign_in(&app, "director@mt-doc.demo").await;
    b.find("#nav-approvals").await.click().await.unwrap();
    let item = format!("article.inbox-item[data-id='{id}']");
    b.text_of(&item, "Compliance checklist").await;
    // What is still missing is named with its clause.
    let terms = b
        .text_of(
            &format!("{item} li.unmet[data-element='TERMS_ACCEPTED']"),
            "not met",
        )
        .await;
    assert!(terms.contains("MT IV.A.2.a"), "{terms}");
    b.text_of("#inbox-count", "1 waiting").await;
    b.screenshot("approvals").await;

    b.find(&format!("{item} textarea"))
        .await
        .send_keys("Meets MT IV.A.1.a")
        .await
        .unwrap();
    b.find(&format!("{item} button.approve"))
        .await
        .click()
        .await
        .unwrap();
    b.gone(&item).await;
    b.text_of("#inbox-count", "Nothing waits").await;
    b.close().await;

    let q = "query($id: ID!) { node(id: $id) { ... on Platform { status approvals { note approver { email } } } } }";
    let (_, d) = app.gql(q, json!({"id": id}), Some(&staff)).await;
    let p = &d["data"]["node"];
    assert_eq!(p["status"], "APPROVED", "{d}");
    assert_eq!(
        p["approvals"][0]["approver"]["email"], "director@mt-doc.demo",
        "{d}"
    );
    assert_eq!(p["approvals"][0]["note"], "Meets MT IV.A.1.a", "{d}");
}

#[tokio::test]
async fn the_readme_walkthrough_goes_from_a_proposal_to_a_moderated_comment() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;

    b.sign_in(&app, "staff@mt-doc.demo").await;
    b.find("#nav-platforms").await.click().await.unwrap();
    for (field, value) in [
        ("handle", "mtdoc-news"),
        ("url", "https://facebook.com/mtdoc-news"),
        ("purposeStatement", "Public safety news from the Department."),
        ("scopeStatement", "Statewide facilities and programs."),
    ] {
        b.find(&format!("#propose-{field}"))
            .await
            .send_keys(value)
            .await
            .unwrap();
    }
    b.find(".propose fieldset input[type=checkbox]")
        .await
        .click()
        .await
        .unwrap();
    b.find(".propose button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.text_of(".propose [role=status]", "PROPOSED").await;
    b.find("#sign-out").await.click().await.unwrap();

    b.sign_in(&app, "director@mt-doc.demo").await;
    b.find("#nav-approvals").await.click().await.unwrap();
    b.find("article.inbox-item button.approve")
        .await
        .click()
        .await
        .unwrap();
    b.text_of("#inbox-count", "Nothing waits").await;
    b.find("#sign-out").await.click().await.unwrap();

    b.sign_in(&app, "pio@mt-doc.demo").await;
    b.find("#nav-platforms").await.click().await.unwrap();
    let row = "#platforms-table tbody tr";
    b.find(&format!("{row} details summary"))
        .await
        .click()
        .await
        .unwrap();
    let terms = "https://www.facebook.com/terms";
    b.find("input[id^=terms-url-]")
        .await
        .send_keys(terms)
        .await
        .unwrap();
    b.find("input[id^=terms-version-]")
        .await
        .send_keys("2026-01")
        .await
        .unwrap();
    b.find("button.accept-terms").await.click().await.unwrap();
    b.text_of(row, "Terms 2026-01 accepted").await;
    b.find("button.activate").await.click().await.unwrap();
    b.text_of(row, "ACTIVE").await;
    b.find("input[id^=platform-text-]")
        .await
        .send_keys("My SSN is 123-45-6789, call me")
        .await
        .unwrap();
    b.find("button.feed").await.click().await.unwrap();
    b.text_of(row, "Comment ingested: PENDING").await;

    b.find("#nav-queue").await.click().await.unwrap();
    let mark = b
        .find(".comment-card mark[data-rule~='PPI_SSN'] .mark-text")
        .await;
    assert_eq!(mark.text().await.unwrap(), "***-**-6789");
    b.close().await;
}
