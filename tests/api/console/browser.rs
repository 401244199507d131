//! A headless Chromium under a chromedriver of its own, driven over WebDriver (fantoccini),
//! with the waits the console tests need.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::graphiql::chromium;
use crate::helpers::{PASSWORD, TestApp};

/// How long the console may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(20);

fn chromedriver() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.exists())
}

/// A headless Chromium session; chromedriver and the profile go when it is dropped.
pub struct Browser {
    pub client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Chromium under a chromedriver of its own, or None (after saying so) when either is
    /// missing outside CI.
    pub async fn start() -> Option<Self> {
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
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until the text of the element matching `css` contains `needle`; returns the text.
    pub async fn text_of(&self, css: &str, needle: &str) -> String {
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
    pub async fn gone(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.client.find_all(Locator::Css(css)).await.unwrap().is_empty() {
            assert!(Instant::now() < deadline, "{css} is still there");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens the console and signs in as `email`.
    pub async fn sign_in(&self, app: &TestApp, email: &str) {
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
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/console");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(self) {
        self.client.close().await.ok();
    }
}
