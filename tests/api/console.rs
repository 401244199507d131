//! The admin console in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! signs in as each role and works the screens against the real server, which serves the
//! console with introspection off (the console needs none). Screenshots of the main screens
//! go to `docs/console/`.
//!
//! Needs Chromium and chromedriver (the distribution's `chromium` and `chromium-driver`, or
//! `CHROMIUM=path` and `CHROMEDRIVER=path`). Without them each test says "skipped" and passes,
//! except under CI (`CI=true`), where a missing browser is a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod governance;
mod moderation;
mod posting;
mod screens;

use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app_with};

pub use browser::Browser;

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
