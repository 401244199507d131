//! Writing posts in the browser: screening as you type, refusal, approval, publication, and a
//! session that ends mid-draft.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::{Browser, app};
use crate::fixtures::{active, my_id};
use crate::helpers::PASSWORD;

#[tokio::test]
async fn staff_see_an_ssn_found_while_typing_a_post_and_follow_the_rewrite_to_publication() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let platform = active(&app, "MT-DOC").await;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let now = chrono::Utc::now();
    let grant = json!({
        "userId": my_id(&app, &staff).await, "platformIds": [platform],
        "validFrom": (now - chrono::Duration::minutes(1)).to_rfc3339(),
        "validUntil": (now + chrono::Duration::days(30)).to_rfc3339(),
        "approvalReference": "PIO memo 2026-114",
    });
    let q = "mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id } }";
    let (_, g) = app.gql(q, json!({"i": grant}), Some(&pio)).await;
    assert!(g["data"]["grantAuthorization"]["id"].is_string(), "{g}");

    b.sign_in(&app, "staff@mt-doc.demo").await;
    b.find("#nav-compose").await.click().await.unwrap();
    b.find("#compose-platform option").await;
    b.find("#compose-body")
        .await
        .send_keys("Visiting questions? Give us your SSN 123-45-6789 and we call back.")
        .await
        .unwrap();
    let mark = b
        .find("#compose-preview mark[data-rule~='PPI_SSN'] .mark-text")
        .await;
    assert_eq!(mark.text().await.unwrap(), "***-**-6789");
    b.text_of("#missing-link", "official website").await;
    b.text_of("#screening-state", "BLOCK").await;
    b.screenshot("compose").await;

    b.find("form button[type=submit]").await.click().await.unwrap();
    let refusal = b.text_of(".refusal", "POLICY_VIOLATION").await;
    assert!(refusal.contains("Refused"), "{refusal}");

    // Rewritten (select all, delete, type), the same draft goes to approval.
    let clean = "Visiting hours change on Monday. Details at https://cor.mt.gov/visiting";
    let body = b.find("#compose-body").await;
    body.send_keys("\u{E009}a\u{E000}\u{E017}").await.unwrap();
    body.send_keys(clean).await.unwrap();
    b.gone("#missing-link").await;
    b.find("form button[type=submit]").await.click().await.unwrap();
    b.text_of("form [role=status]", "SUBMITTED").await;
    b.text_of(".my-posts", "SUBMITTED").await;
    b.find("#sign-out").await.click().await.unwrap();

    // The PIO approves it from the inbox; the author records where it went live.
    b.sign_in(&app, "pio@mt-doc.demo").await;
    b.find("#nav-approvals").await.click().await.unwrap();
    b.text_of("article.inbox-item[data-kind=POST]", "Visiting hours")
        .await;
    b.find("article.inbox-item[data-kind=POST] button.approve")
        .await
        .click()
        .await
        .unwrap();
    b.text_of("#inbox-count", "Nothing waits").await;
    b.find("#sign-out").await.click().await.unwrap();

    b.sign_in(&app, "staff@mt-doc.demo").await;
    b.text_of(".my-posts", "APPROVED").await;
    b.find(".my-posts input[type=url]")
        .await
        .send_keys("https://facebook.com/doc/posts/1")
        .await
        .unwrap();
    b.find(".my-posts .inline-form button")
        .await
        .click()
        .await
        .unwrap();
    b.text_of(".my-posts", "PUBLISHED").await;
    b.close().await;
}

#[tokio::test]
async fn an_ended_session_asks_for_a_sign_in_and_keeps_the_half_written_post() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let staff_id = my_id(&app, &staff).await;

    b.sign_in(&app, "staff@mt-doc.demo").await;
    b.find("#compose-body")
        .await
        .send_keys("Family day is on Saturday")
        .await
        .unwrap();
    b.text_of("#screening-state", "Screened").await;

    // The director suspends the author: their sessions end at once, so the next screening
    // is refused and the refresh fails.
    let suspend = "mutation($id: ID!, $t: String!) { suspendEmployee(userId: $id, reason: $t) { status } }";
    let (_, s) = app
        .gql(suspend, json!({"id": staff_id, "t": "inquiry"}), Some(&director))
        .await;
    assert_eq!(s["data"]["suspendEmployee"]["status"], "SUSPENDED", "{s}");
    b.find("#compose-body")
        .await
        .send_keys(" at noon.")
        .await
        .unwrap();
    b.text_of(".signin-overlay h1", "Session ended").await;

    let reinstate =
        "mutation($id: ID!, $t: String!) { reinstateEmployee(userId: $id, reason: $t) { status } }";
    let (_, r) = app
        .gql(
            reinstate,
            json!({"id": staff_id, "t": "cleared"}),
            Some(&director),
        )
        .await;
    assert_eq!(r["data"]["reinstateEmployee"]["status"], "ACTIVE", "{r}");
    b.find("#signin-password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(".signin-overlay button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.gone(".signin-overlay").await;
    let kept = b
        .find("#compose-body")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept, "Family day is on Saturday at noon.");
    b.close().await;
}
