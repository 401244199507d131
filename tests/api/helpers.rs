//! Spawning the app and talking GraphQL to it.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Duration;

use policy_admin::config::{Config, Secret, ThrottleConfig};
use policy_admin::startup::Application;
use policy_admin::state::AppState;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Password of every demo user in tests.
pub const PASSWORD: &str = "test-password-123";
/// Signing secret of test apps.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// A running app.
pub struct TestApp {
    pub addr: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub database_url: String,
    _dir: Option<tempfile::TempDir>,
}

/// Tokens of a signed-in user.
pub struct Session {
    pub access: String,
    pub refresh: String,
}

/// A database URL of its own: SQLite in a temporary directory, or a new PostgreSQL database
/// on the server of `TEST_DATABASE_URL`.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let admin = sea_orm::Database::connect(&base)
                .await
                .expect("connect TEST_DATABASE_URL");
            let name = format!("pa_test_{}", uuid::Uuid::new_v4().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let mut url = url::Url::parse(&base).unwrap();
            url.set_path(&format!("/{name}"));
            (url.to_string(), None)
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
            (url, Some(dir))
        }
    }
}

/// The configuration of a test app (demo data, introspection on, port 0).
pub fn test_config(database_url: &str) -> Config {
    Config {
        database_url: database_url.to_owned(),
        bind: "127.0.0.1:0".parse().unwrap(),
        demo: true,
        demo_password: Some(Secret::new(PASSWORD)),
        demo_activity: false,
        jwt_secret: Secret::new(JWT_SECRET),
        access_token_ttl: Duration::from_secs(900),
        refresh_token_ttl: Duration::from_secs(3600),
        introspection: true,
        max_concurrent_hashes: 2,
        workers: 1,
        throttle: ThrottleConfig {
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            window: Duration::from_secs(900),
        },
        webhook_allow_http_loopback: true,
        webhook_expiring_days: 14,
        screening: Default::default(),
        db_acquire_timeout: Duration::from_secs(3),
        cors_origins: policy_admin::http::cors::Origins::parse(&["https://console.example.gov"]).unwrap(),
        trusted_documents: None,
        metrics_token: None,
    }
}

/// Starts an app with the default test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts an app after adjusting its configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (database_url, dir) = fresh_database().await;
    let mut config = test_config(&database_url);
    adjust(&mut config);
    let app = Application::build(config).await.expect("build app");
    let addr = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap(),
        state,
        database_url,
        _dir: dir,
    }
}

impl TestApp {
    /// A second instance of the server on this one's database (which is already seeded).
    pub async fn another_instance(&self) -> TestApp {
        let url = self.database_url.clone();
        spawn_app_with(|c| {
            c.database_url = url;
            c.demo = false;
        })
        .await
    }

    /// POSTs a GraphQL request; returns status and body.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> (StatusCode, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.addr))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Like [`Self::gql`], asking for `application/graphql-response+json` (the
    /// GraphQL-over-HTTP status codes); also returns the response headers.
    pub async fn gql_spec(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.addr))
            .header(
                "accept",
                "application/graphql-response+json, application/json;q=0.9",
            )
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        (status, headers, resp.json().await.unwrap_or(Value::Null))
    }

    /// Signs in a demo user, e.g. `pio@mt-doc.demo`.
    pub async fn login(&self, email: &str) -> Session {
        let (status, body) = self
            .gql(LOGIN, json!({ "email": email, "password": PASSWORD }), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let p = &body["data"]["login"];
        assert!(p.is_object(), "login failed: {body}");
        Session {
            access: p["accessToken"].as_str().unwrap().to_owned(),
            refresh: p["refreshToken"].as_str().unwrap().to_owned(),
        }
    }

    /// The actions of a department's latest audit events (at most 100), newest first.
    pub async fn audit_actions(&self, department: &str, token: &str) -> Vec<String> {
        let q =
            "query($d: String!) { auditLog(departmentCode: $d, first: 100) { edges { node { action } } } }";
        let (_, b) = self.gql(q, json!({ "d": department }), Some(token)).await;
        b["data"]["auditLog"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{b}"))
            .iter()
            .map(|e| e["node"]["action"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Runs a SQL statement on the app's database (tests that tamper with rows).
    pub async fn sql(&self, sql: &str) {
        self.state.db.execute_unprepared(sql).await.unwrap();
    }

    /// Runs a SQL statement on `audit_events` as its owner would, with the append-only guard
    /// lifted for the statement (tests that forge a tampered record).
    pub async fn forge(&self, sql: &str) {
        use migration::m20261202_000034_audit_append_only::{guard_statements, unguard_statements};
        let backend = self.state.db.get_database_backend();
        for s in unguard_statements(backend) {
            self.sql(s).await;
        }
        self.sql(sql).await;
        for s in guard_statements(backend) {
            self.sql(s).await;
        }
    }

    /// GETs a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.addr))
            .send()
            .await
            .unwrap()
    }

    /// SQL statements the server has run so far, as `/metrics` counts them.
    pub async fn statements(&self) -> u64 {
        let text = self.get("/metrics").await.text().await.unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("policy_admin_db_statements_total "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap() as u64
    }
}

/// The login mutation.
pub const LOGIN: &str = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken expiresAt user { email role } } }";

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no error>")
}

/// Starts the real binary, `serve --demo` on port 0 with its own database and the given extra
/// environment; returns the process and its base address once it listens.
pub fn serve_process(database_url: &str, env: &[(&str, &str)]) -> (std::process::Child, String) {
    serve_process_logging(database_url, env, std::process::Stdio::null())
}

/// [`serve_process`], with what the server logs going to `stderr`.
pub fn serve_process_logging(
    database_url: &str,
    env: &[(&str, &str)],
    stderr: std::process::Stdio,
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-admin"))
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", database_url)
        .env("POLICY_ADMIN_DEMO_PASSWORD", PASSWORD)
        .env("POLICY_ADMIN_DEMO_ACTIVITY", "false")
        .env("POLICY_ADMIN_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let addr = loop {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        let Some(Ok(line)) = lines.next() else {
            panic!("server exited before listening");
        };
        if let Some(a) = line.strip_prefix("listening on ") {
            break a.to_owned();
        }
    };
    // Keep reading, so what the server prints later never meets a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}
