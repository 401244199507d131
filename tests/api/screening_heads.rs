//! A department's own heads: trained on its moderators' decisions by the command line, stored,
//! selected (audited), and used by the running server for that department only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::json;

use crate::fixtures::active;
use crate::helpers::{TestApp, spawn_app};

const BIN: &str = env!("CARGO_BIN_EXE_policy-admin");

const INGEST: &str = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id verdict } }";
const MODERATE: &str = "mutation($id: ID!, $a: ModerationAction!, $r: [String!]) { moderateComment(id: $id, action: $a, rules: $r, note: \"n\") { id } }";
const PROVENANCE: &str = "query($d: String!) { screenText(input: {departmentCode: $d, context: PUBLIC_COMMENT, text: \"When is visiting on Sunday?\"}) { provenance { headsHash } } }";

/// A small training corpus: enough of two rules to train their heads quickly.
fn small_corpus() -> String {
    let mut lines = Vec::new();
    let threats = [
        "I know where you park your truck, Officer Lund.",
        "Enjoy your weekend while you still can, warden.",
        "Tell your wife I said hi. We know the house.",
        "You will regret what you did to my brother, I promise you that.",
        "Watch your back after shift, we are waiting.",
        "Nice kids you have. Shame if they got hurt walking home.",
    ];
    let ads = [
        "Bail bonds 24/7, call 406-555-0100 for 10% off today!",
        "Use code FREEDOM20 for 20% off inmate care packages at our store.",
        "My food truck is open at the Deer Lodge lot, first coffee free with this post!",
        "Best lawyer in town, free consultation, DM me now.",
    ];
    let clean = [
        "When does visiting start on Saturday?",
        "Thank you to the staff for the graduation ceremony.",
        "The new phone rates are too high for families.",
        "How do I send money to my son's account?",
        "Congratulations to the welding program graduates.",
        "Is the visiting room accessible for wheelchairs?",
        "Please post the holiday schedule earlier next year.",
        "My husband says the food got better this month.",
    ];
    for t in threats {
        lines.push(json!({"department": "MT-DOC", "context": "PUBLIC_COMMENT", "text": t, "expected": ["THREAT_HARASSMENT"]}));
    }
    for t in ads {
        lines.push(json!({"department": "MT-DOC", "context": "PUBLIC_COMMENT", "text": t, "expected": ["ADVERTISING"]}));
    }
    for t in clean {
        lines.push(json!({"department": "MT-DOC", "context": "PUBLIC_COMMENT", "text": t, "expected": []}));
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

async fn ingest(app: &TestApp, token: &str, platform: &str, ext: &str, body: &str) -> String {
    let input = json!({"platformId": platform, "externalId": ext, "authorHandle": "@a", "body": body});
    let (_, b) = app.gql(INGEST, json!({"i": input}), Some(token)).await;
    b["data"]["ingestComment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned()
}

async fn heads_hash(app: &TestApp, token: &str, dept: &str) -> String {
    let (_, b) = app.gql(PROVENANCE, json!({"d": dept}), Some(token)).await;
    b["data"]["screenText"]["provenance"]["headsHash"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn cli(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("POLICY_ADMIN_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_department_trains_heads_on_its_decisions_and_selecting_them_is_audited() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let il_pio = app.login("pio@il-doc.demo").await.access;
    let shipped = heads_hash(&app, &pio, "MT-DOC").await;

    let hidden = ingest(
        &app,
        &pio,
        &platform,
        "d-1",
        "See you at the gas station after your shift, Sarge.",
    )
    .await;
    let (_, b) = app
        .gql(
            MODERATE,
            json!({"id": hidden, "a": "HIDE", "r": ["THREAT_HARASSMENT"]}),
            Some(&pio),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    let escalated = ingest(
        &app,
        &pio,
        &platform,
        "d-2",
        "What time does the visiting room open?",
    )
    .await;
    let (_, b) = app
        .gql(
            MODERATE,
            json!({"id": escalated, "a": "ESCALATE", "r": []}),
            Some(&pio),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");

    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(&corpus, small_corpus()).unwrap();
    let corpus = corpus.to_str().unwrap();
    let (ok, out, err) = cli(
        &app,
        &[
            "screening",
            "train",
            "--department",
            "MT-DOC",
            "--include-decisions",
            "--corpus",
            corpus,
            "--eval",
            corpus,
            "--select",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("MT-DOC: 1 decisions used as labels"), "{out}");
    assert!(
        out.contains("== before (combined) ==") && out.contains("== after (combined) =="),
        "{out}"
    );
    let hash = out
        .lines()
        .find_map(|l| l.strip_prefix("stored heads "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{out}"))
        .to_owned();
    assert!(hash.starts_with("sha256:") && hash != shipped, "{out}");

    // The server picks the selection up (every 30 s; here at once) for MT-DOC only.
    app.state
        .screener
        .load_department_heads(&app.state.db)
        .await
        .unwrap();
    assert_eq!(heads_hash(&app, &pio, "MT-DOC").await, hash);
    assert_eq!(heads_hash(&app, &il_pio, "IL-DOC").await, shipped);

    let (ok, out, _) = cli(&app, &["screening", "heads", "--department", "MT-DOC"]);
    assert!(ok && out.contains(&format!("* {hash}")), "{out}");

    let (ok, out, err) = cli(
        &app,
        &["screening", "select", "--department", "MT-DOC", "--shipped"],
    );
    assert!(ok, "{out}{err}");
    app.state
        .screener
        .load_department_heads(&app.state.db)
        .await
        .unwrap();
    assert_eq!(heads_hash(&app, &pio, "MT-DOC").await, shipped);

    let actions = app.audit_actions("MT-DOC", &pio).await;
    assert!(
        actions.iter().any(|a| a == "screening.heads_trained"),
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "screening.heads_selected")
            .count(),
        2,
        "{actions:?}"
    );
}

#[tokio::test]
async fn selecting_unknown_heads_or_training_without_decisions_is_refused() {
    let app = spawn_app().await;
    let (ok, _, err) = cli(
        &app,
        &[
            "screening",
            "select",
            "--department",
            "MT-DOC",
            "--heads",
            "sha256:nope",
        ],
    );
    assert!(!ok && err.contains("screening heads not found"), "{err}");
    let (ok, _, err) = cli(&app, &["screening", "train", "--department", "MT-DOC"]);
    assert!(!ok && err.contains("--include-decisions"), "{err}");
    let (ok, _, err) = cli(&app, &["screening", "heads", "--department", "XX-DOC"]);
    assert!(!ok && err.contains("no department XX-DOC"), "{err}");
}
