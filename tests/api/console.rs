//! The admin console in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! signs in as each role and works the screens against the real server, which serves the
//! console with introspection off (the console needs none). Screenshots of the main screens
//! go to `docs/console/`.
//!
//! Needs Chromium and chromedriver (the distribution's `chromium` and `chromium-driver`, or
//! `CHROMIUM=path` and `CHROMEDRIVER=path`). Without them each test says "skipped" and passes,
//! except under CI (`CI=true`), where a missing browser is a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::StatusCode;
use serde_json::json;

use crate::fixtures::{active, my_id, propose};
use crate::graphiql::chromium;
use crate::helpers::{PASSWORD, TestApp, spawn_app_with};
use crate::moderation::{decide, ingest};

/// How long the console may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(20);

fn chromedriver() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.exists())
}

/// A headless Chromium session; chromedriver and the profile go when it is dropped.
struct Browser {
    client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Chromium under a chromedriver of its own, or None (after saying so) when either is
    /// missing outside CI.
    async fn start() -> Option<Self> {
        let (Some(browser), Some(driver)) = (chromium(), chromedriver()) else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must install chromium and chromium-driver for the console tests"
            );
            eprintln!("skipped: no Chromium or chromedriver (install `chromium` and `chromium-driver`)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = tokio::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while reqwest::get(format!("{url}/status")).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--window-size=1280,800",
            // Every name but the server's address fails to resolve: no CDN can be reached.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ]
        .iter()
        .map(|a| (*a).to_owned())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": browser, "args": args },
        });
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&url)
            .await
            .unwrap();
        Some(Self {
            client,
            _driver: child,
            _profile: profile,
        })
    }

    /// The first element matching `css`, waiting for it.
    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until the text of the element matching `css` contains `needle`; returns the text.
    async fn text_of(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never said {needle:?}; it says {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css`.
    async fn gone(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.client.find_all(Locator::Css(css)).await.unwrap().is_empty() {
            assert!(Instant::now() < deadline, "{css} is still there");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens the console and signs in as `email`.
    async fn sign_in(&self, app: &TestApp, email: &str) {
        self.client.goto(&format!("{}/console", app.addr)).await.unwrap();
        self.find("#signin-email").await.send_keys(email).await.unwrap();
        self.find("#signin-password")
            .await
            .send_keys(PASSWORD)
            .await
            .unwrap();
        self.find("form.signin button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        self.find("#sign-out").await;
    }

    /// Writes a screenshot of the window to `docs/console/{name}.png`.
    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/console");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    async fn close(self) {
        self.client.close().await.ok();
    }
}

/// The server for the console tests: demo data, introspection off.
async fn app() -> TestApp {
    spawn_app_with(|c| c.introspection = false).await
}

#[tokio::test]
async fn the_console_is_served_locked_to_its_server_without_introspection() {
    let app = app().await;
    for path in ["/console", "/console/"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let html = r.text().await.unwrap();
        assert!(html.contains("/console/main.js"), "{html}");
    }
    for file in [
        "main.js",
        "app.css",
        "vendor/preact.module.js",
        "vendor/hooks.module.js",
    ] {
        let r = app.get(&format!("/console/{file}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{file}");
    }
    assert_eq!(app.get("/console/nope.js").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/console/../Cargo.toml").await.status(),
        StatusCode::NOT_FOUND
    );
}

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

#[tokio::test]
async fn every_screen_of_the_director_renders_with_its_clause() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = app().await;
    active(&app, "MT-DOC").await;
    b.sign_in(&app, "director@mt-doc.demo").await;
    for (nav, title, clause) in [
        ("queue", "Moderation queue", "MT IV.A.2.c"),
        ("approvals", "Approvals", "MT IV.A.2.a"),
        ("compose", "Write a post", "MT IV.A.4"),
        ("platforms", "Platforms", "MT IV.A.1"),
        ("authorizations", "Posting authorizations", "MT IV.A.2.a"),
        ("records", "Records", "MT IV.B.1"),
        ("people", "People", "MT IV.B.1"),
    ] {
        b.find(&format!("#nav-{nav}")).await.click().await.unwrap();
        b.text_of("#screen-title", title).await;
        b.text_of(".screen-clause", clause).await;
        b.gone(".loading").await;
        assert!(
            b.client
                .find_all(Locator::Css(".refusal"))
                .await
                .unwrap()
                .is_empty(),
            "{nav} shows a refusal"
        );
        if matches!(nav, "platforms" | "authorizations" | "people") {
            b.screenshot(nav).await;
        }
    }
    b.close().await;
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
