//! GraphiQL in a real browser with no network but the server: the page loads its pinned assets
//! from the binary and renders the schema's documentation.
//!
//! Needs Chromium (`chromium` from the distribution, or `CHROMIUM=path`). Without it the test
//! says so and passes, except under CI (`CI=true`), where a missing browser is a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with};

/// The system Chromium, if there is one.
pub fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// The DOM of `url` after its scripts ran, in headless Chromium that can reach only loopback.
pub async fn rendered_dom(browser: &PathBuf, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let run = tokio::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            // Every name but the server's address fails to resolve: no CDN can be reached.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=20000",
            "--window-size=1280,800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("chromium finished within two minutes")
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install Chromium for the browser tests"
        );
        eprintln!("skipped: no Chromium (install the distribution's `chromium` or set CHROMIUM)");
    }
    found
}

#[tokio::test]
async fn graphiql_renders_the_schema_docs_offline() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let app = spawn_app().await;
    let dom = rendered_dom(&browser, &format!("{}/graphql", app.addr)).await;
    assert!(
        dom.contains("graphiql-container"),
        "GraphiQL mounted: {dom:.2000}"
    );
    assert!(
        dom.contains("Root Types"),
        "the docs show the schema: {dom:.4000}"
    );
    for root in ["Query", "Mutation", "Subscription"] {
        assert!(dom.contains(root), "{root} in the docs");
    }
    assert!(!dom.contains("Error fetching schema"), "{dom:.4000}");
}

#[tokio::test]
async fn the_page_is_locked_to_its_own_server() {
    let app = spawn_app().await;
    let r = app.get("/graphql").await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in ["script-src 'self'", "connect-src 'self'", "default-src 'none'"] {
        assert!(csp.contains(directive), "{csp}");
    }
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "no CDN: {html}"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "init.js",
    ] {
        let r = app.get(&format!("/graphiql/{asset}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
        assert!(r.bytes().await.unwrap().len() > 20, "{asset}");
    }
    assert_eq!(app.get("/graphiql/nope.js").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn graphiql_is_not_served_without_introspection() {
    let app = spawn_app_with(|c| c.introspection = false).await;
    assert_eq!(app.get("/graphql").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/graphiql/init.js").await.status(), StatusCode::NOT_FOUND);
}
