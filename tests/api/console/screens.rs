//! Every role's screens, and the records screens that change things.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::Locator;

use super::{Browser, app};
use crate::fixtures::active;
use crate::moderation::ingest;

/// What each role finds in the navigation, with each screen's title and a clause it cites.
const SCREENS: &[(&str, &str, &str)] = &[
    ("queue", "Moderation queue", "IV.A.2.c"),
    ("approvals", "Approvals", "IV.A.2.a"),
    ("compose", "Write a post", "IV.A.4"),
    ("platforms", "Platforms", "IV.A.1"),
    ("authorizations", "Posting authorizations", "IV.A.2.a"),
    ("records", "Records", "IV.B.1"),
    ("people", "People", "IV.B.1"),
];

#[tokio::test]
async fn every_role_sees_its_screens_each_with_its_clause_and_no_refusal() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    let platform = active(&app, "MT-DOC").await;
    let all = SCREENS.iter().map(|s| s.0).collect::<Vec<_>>();
    for (email, screens) in [
        ("director@mt-doc.demo", all.clone()),
        ("pio@mt-doc.demo", all[..6].to_vec()),
        (
            "staff@mt-doc.demo",
            vec!["compose", "platforms", "authorizations"],
        ),
        // IL 01.02.400 II.G.4.b gives moderation to the PIO alone.
        ("director@il-doc.demo", [&all[1..]].concat()),
    ] {
        b.sign_in(&app, email).await;
        let nav = b.client.find_all(Locator::Css("nav a")).await.unwrap();
        assert_eq!(nav.len(), screens.len(), "{email} sees {screens:?}");
        for &(id, title, clause) in SCREENS.iter().filter(|s| screens.contains(&s.0)) {
            b.find(&format!("#nav-{id}")).await.click().await.unwrap();
            b.text_of("#screen-title", title).await;
            let cited = b.text_of(".screen-clause", "").await;
            let il = email.ends_with("il-doc.demo");
            assert!(
                cited.contains(if il { "IL 01.02.400" } else { clause }),
                "{email} {id}: {cited}"
            );
            let tabs = if id == "records" {
                &["holds", "reviews", "acks", "audit"][..]
            } else {
                &[][..]
            };
            for tab in tabs {
                b.find(&format!("#tab-{tab}")).await.click().await.unwrap();
                b.gone(".loading").await;
                let r = refusals(&b).await;
                assert!(r.is_empty(), "{email} {id} {tab}: {r}");
            }
            b.gone(".loading").await;
            let r = refusals(&b).await;
            assert!(r.is_empty(), "{email} {id}: {r}");
            if email == "director@mt-doc.demo" && matches!(id, "platforms" | "authorizations" | "people") {
                b.screenshot(id).await;
            }
        }
        b.find("#sign-out").await.click().await.unwrap();
    }

    // On a tablet the queue and its panel stack.
    let pio = app.login("pio@mt-doc.demo").await.access;
    let text = "The night shift at the east gate is short staffed, my SSN is 123-45-6789";
    ingest(&app, &pio, &platform, "fb-tablet", "@visitor", text).await;
    b.client.set_window_size(820, 1180).await.unwrap();
    b.sign_in(&app, "pio@mt-doc.demo").await;
    b.text_of("#live-state", "live").await;
    b.find(".comment-card mark").await;
    b.screenshot("queue-tablet").await;
    b.close().await;
}

/// The text of the refusals on screen (empty when there is none).
async fn refusals(b: &Browser) -> String {
    let mut text = String::new();
    for e in b.client.find_all(Locator::Css(".refusal")).await.unwrap() {
        text.push_str(&e.text().await.unwrap_or_default());
    }
    text
}

#[tokio::test]
async fn the_director_places_a_legal_hold_and_records_a_facility_review() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    b.sign_in(&app, "director@mt-doc.demo").await;
    b.find("#nav-records").await.click().await.unwrap();

    b.find("#tab-holds").await.click().await.unwrap();
    b.find("#hold-name")
        .await
        .send_keys("Doe v. State")
        .await
        .unwrap();
    b.find("#hold-matter")
        .await
        .send_keys("CV-2026-114")
        .await
        .unwrap();
    b.find("form.grant button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.text_of("#holds-table", "CV-2026-114").await;
    b.text_of("#holds-table", "ACTIVE").await;

    b.find("#tab-reviews").await.click().await.unwrap();
    b.find("#reviews-table details summary")
        .await
        .click()
        .await
        .unwrap();
    b.find("input[id^=review-findings-]")
        .await
        .send_keys("Pages in order")
        .await
        .unwrap();
    b.find("#reviews-table details button")
        .await
        .click()
        .await
        .unwrap();
    b.text_of("#reviews-table", "Pages in order").await;
    b.close().await;

    let director = app.login("director@mt-doc.demo").await.access;
    let actions = app.audit_actions("MT-DOC", &director).await;
    for action in ["legal_hold.placed", "facility.reviewed"] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}
