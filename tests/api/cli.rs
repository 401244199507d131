//! The command line and the process as a whole: schema drift, `user create`, start-up
//! refusals, and durability of an acknowledged write across `kill -9`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{LOGIN, PASSWORD, fresh_database, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_policy-admin");

#[test]
fn the_committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert!(
        committed == policy_admin::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql`"
    );
}

#[test]
fn the_schema_command_prints_the_sdl() {
    let out = Command::new(BIN).arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        policy_admin::graphql::sdl()
    );
}

#[tokio::test]
async fn serve_refuses_to_start_without_a_signing_secret() {
    let (url, _dir) = fresh_database().await;
    let out = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .env_remove("POLICY_ADMIN_JWT_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("POLICY_ADMIN_JWT_SECRET"));
    let out = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .env("POLICY_ADMIN_JWT_SECRET", "too-short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32 bytes"));
}

#[tokio::test]
async fn user_create_reads_the_password_from_stdin_and_the_user_can_sign_in() {
    let (url, dir) = fresh_database().await;
    let migrate = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let mut child = Command::new(BIN)
        .args([
            "user",
            "create",
            "--department",
            "IL-DOC",
            "--role",
            "pio",
            "--email",
            "New.PIO@idoc.test",
            "--name",
            "New PIO",
        ])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-enough-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let again = Command::new(BIN)
        .args([
            "user",
            "create",
            "--department",
            "IL-DOC",
            "--role",
            "pio",
            "--email",
            "x@idoc.test",
            "--name",
            "X",
        ])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .output()
        .unwrap();
    assert!(!again.status.success(), "an empty password is refused");

    let app = spawn_app_with(|c| {
        c.database_url = url.clone();
        c.demo = false;
    })
    .await;
    let (_, b) = app
        .gql(
            LOGIN,
            json!({"email": "new.pio@idoc.test", "password": "a-long-enough-password"}),
            None,
        )
        .await;
    assert_eq!(b["data"]["login"]["user"]["role"], "PIO", "{b}");
    drop(dir);
}

#[tokio::test]
async fn an_acknowledged_login_survives_kill_9() {
    let (url, _dir) = fresh_database().await;
    let (mut child, addr) = crate::helpers::serve_process(&url, &[]);
    let resp = reqwest::Client::new()
        .post(format!("{addr}/graphql"))
        .header("x-request-id", "durable-login-1")
        .json(&json!({"query": LOGIN, "variables": {"email": "pio@mt-doc.demo", "password": PASSWORD}}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let db = policy_admin::db::connect(&url, policy_admin::db::DEFAULT_ACQUIRE_TIMEOUT)
        .await
        .unwrap();
    let found = audit_event::Entity::find()
        .filter(audit_event::Column::RequestId.eq("durable-login-1"))
        .filter(audit_event::Column::Action.eq("auth.login"))
        .filter(audit_event::Column::Outcome.eq("SUCCESS"))
        .one(&db)
        .await
        .unwrap();
    assert!(found.is_some(), "the acknowledged login's audit event is on disk");
}

#[tokio::test]
async fn an_anchor_printed_by_audit_head_detects_a_truncated_tail() {
    let app = spawn_app_with(|_| {}).await;
    app.login("pio@mt-doc.demo").await;
    let head = Command::new(BIN)
        .args(["audit", "head", "--department", "MT-DOC"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(head.status.success(), "{}", String::from_utf8_lossy(&head.stderr));
    let line = String::from_utf8(head.stdout).unwrap();
    let hash = line.split_whitespace().nth(2).unwrap().to_owned();
    let verify = |expect: &str| {
        Command::new(BIN)
            .args(["audit", "verify", "--department", "MT-DOC", "--expect", expect])
            .env("DATABASE_URL", &app.database_url)
            .output()
            .unwrap()
    };
    let out = verify(&hash);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    app.login("director@mt-doc.demo").await;
    let out = verify(&hash);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 events since"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Someone with database access removes the newest events and fixes the chain head to match.
    app.forge("DELETE FROM audit_events WHERE chain_key = 'MT-DOC' AND seq >= (SELECT seq FROM audit_chains WHERE chain_key = 'MT-DOC') - 1")
        .await;
    app.sql(
        "UPDATE audit_chains SET seq = (SELECT MAX(seq) FROM audit_events WHERE chain_key = 'MT-DOC'), \
         head_hash = (SELECT hash FROM audit_events WHERE chain_key = 'MT-DOC' ORDER BY seq DESC LIMIT 1) WHERE chain_key = 'MT-DOC'",
    )
    .await;
    let out = verify(&hash);
    assert!(
        !out.status.success(),
        "the truncation is detected from outside the database"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("truncated"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!verify("not-a-hash").status.success());
}

const TOKEN_CREATE: &[&str] = &[
    "token",
    "create",
    "--department",
    "MT-DOC",
    "--scope",
    "ingest",
    "--name",
    "x",
];

#[test]
fn commands_other_than_serve_migrate_and_seed_do_not_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    for args in [TOKEN_CREATE, &["audit", "head"][..]] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?} must fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no policy-admin database"), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            !dir.path().join("policy-admin.db").exists(),
            "{args:?} created a database"
        );
    }
    // An empty file is no database either.
    std::fs::write(dir.path().join("policy-admin.db"), b"").unwrap();
    let out = run(&["token", "list", "--department", "MT-DOC"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no policy-admin database"));
    // Once migrated, the same command works.
    assert!(run(&["migrate"]).status.success());
    let out = run(TOKEN_CREATE);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
