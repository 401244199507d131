//! The moderation queue in the browser: masked findings, live arrival, one-key and bulk
//! decisions, appeals, and the decision in the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::{Browser, app};
use crate::fixtures::active;
use crate::moderation::{decide, ingest};

#[tokio::test]
async fn a_pio_hides_a_comment_with_its_ssn_masked_and_sees_the_decision_in_the_audit_log() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let body = "Please fix my visit, my SSN is 123-45-6789 and nobody calls back.";
    let c = ingest(&app, &pio, &platform, "fb-console-1", "@visitor", body).await;
    assert!(c["data"]["ingestComment"]["id"].is_string(), "{c}");

    let ssn = c["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();

    b.sign_in(&app, "pio@mt-doc.demo").await;
    let card = format!(".comment-card[data-comment-id='{ssn}']");
    let mark = b
        .find(&format!("{card} mark[data-rule~='PPI_SSN'] .mark-text"))
        .await;
    assert_eq!(mark.text().await.unwrap(), "***-**-6789", "the SSN is masked");
    let text = b.text_of(&card, "nobody calls back").await;
    assert!(!text.contains("123-45-6789"), "never in clear: {text}");

    // A comment that arrives while the queue is open appears at its end, over the socket.
    b.text_of("#live-state", "live").await;
    let later = ingest(
        &app,
        &pio,
        &platform,
        "fb-console-2",
        "@fan",
        "Thanks for the update!",
    )
    .await;
    let later = later["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
    b.text_of(&format!(".comment-card[data-comment-id='{later}']"), "Thanks")
        .await;
    let last = b.find(".comment-card:last-child").await;
    assert_eq!(
        last.attr("data-comment-id").await.unwrap().as_deref(),
        Some(later.as_str())
    );

    // The rule is pre-selected from the finding and the canned reason cites its clause.
    b.find(&card).await.click().await.unwrap();
    let rule = b.find("input[name=rule][value=PPI_SSN]").await;
    assert!(rule.is_selected().await.unwrap(), "PPI_SSN pre-selected");
    let reason = b
        .find("#public-reason")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(
        reason.contains("MT III"),
        "canned reason with its clause: {reason}"
    );
    b.find(&format!("{card} mark")).await.click().await.unwrap();
    b.screenshot("queue").await;

    // One key decides, with the rules and reason of the panel.
    b.find("#staff-note")
        .await
        .send_keys("SSN in a public comment")
        .await
        .unwrap();
    b.find(&card).await.click().await.unwrap();
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("h")
        .await
        .unwrap();
    b.gone(&card).await;
    b.find(&format!(".comment-card[data-comment-id='{later}']")).await;

    b.find("#nav-records").await.click().await.unwrap();
    b.find("#audit-table tr[data-action='comment.decided']").await;
    b.text_of("#chain-status", "Chain verified").await;
    b.screenshot("records").await;

    // Signing out ends the session on the server.
    b.find("#sign-out").await.click().await.unwrap();
    b.find("#signin-email").await;
    b.close().await;
    let actions = app.audit_actions("MT-DOC", &pio).await;
    assert_eq!(actions[0], "auth.logout", "{actions:?}");

    let (_, d) = app
        .gql(
            "query($d: String!) { moderationLog(departmentCode: $d, first: 5) { nodes { action rules note } } }",
            json!({"d": "MT-DOC"}),
            Some(&pio),
        )
        .await;
    let n = &d["data"]["moderationLog"]["nodes"][0];
    assert_eq!(n["action"], "HIDE", "{d}");
    assert_eq!(n["rules"], json!(["PPI_SSN"]), "{d}");
    assert_eq!(n["note"], "SSN in a public comment", "{d}");
}

#[tokio::test]
async fn several_comments_are_removed_with_one_justification_and_an_appeal_is_overturned() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let id = |v: serde_json::Value| v["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
    let first = id(ingest(
        &app,
        &pio,
        &platform,
        "fb-a",
        "@angry",
        "This warden is a f*cking idiot",
    )
    .await);
    let d = decide(&app, &pio, &first, "HIDE", json!(["OBSCENE"])).await;
    assert!(d["errors"].is_null(), "{d}");
    let second = id(ingest(
        &app,
        &pio,
        &platform,
        "fb-b",
        "@angry",
        "You are all f*cking idiots",
    )
    .await);
    let third = id(ingest(&app, &pio, &platform, "fb-c", "@angry", "F*ck this prison").await);

    b.sign_in(&app, "pio@mt-doc.demo").await;
    for c in [&second, &third] {
        let card = format!(".comment-card[data-comment-id='{c}']");
        b.text_of(&card, "1 earlier decision").await;
        b.find(&format!("{card} input[type=checkbox]"))
            .await
            .click()
            .await
            .unwrap();
    }
    b.text_of("#decision-title", "Decide 2 selected comments").await;
    b.find("#staff-note")
        .await
        .send_keys("profanity, twice")
        .await
        .unwrap();
    b.find("#decide-remove").await.click().await.unwrap();
    b.text_of("#queue-list", "Nothing waiting").await;
    b.find("#sign-out").await.click().await.unwrap();

    let appeal = "mutation($c: ID!) { appealDecision(commentId: $c, text: \"It was a joke\") { id } }";
    let (_, a) = app.gql(appeal, json!({"c": second}), Some(&pio)).await;
    assert!(a["data"]["appealDecision"]["id"].is_string(), "{a}");

    // The appeal goes to someone other than the moderator who decided.
    b.sign_in(&app, "director@mt-doc.demo").await;
    b.find("#view-removed").await.click().await.unwrap();
    let card = format!(".comment-card[data-comment-id='{second}']");
    b.find(&card).await.click().await.unwrap();
    b.text_of(".history", "It was a joke").await;
    b.text_of(".history", "earlier decisions").await;
    b.find(".appeals button.overturn").await.click().await.unwrap();
    b.gone(&card).await;
    b.close().await;

    let q = "query($id: ID!) { node(id: $id) { ... on Comment { status decisions { action note } } } }";
    let (_, n) = app.gql(q, json!({"id": second}), Some(&pio)).await;
    assert_eq!(n["data"]["node"]["status"], "PUBLISHED", "{n}");
    assert_eq!(
        n["data"]["node"]["decisions"][0]["note"], "profanity, twice",
        "{n}"
    );
}
