//! `screenText` over HTTP and the `eval-screening` command.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::Command;

use serde_json::{Value, json};

use crate::helpers::{TestApp, code, spawn_app};

const SCREEN: &str = "query($i: ScreenTextInput!) { screenText(input: $i) { verdict findings { rule severity clause message start end excerpt } } }";

async fn screen(app: &TestApp, token: &str, dept: &str, context: &str, text: &str) -> Value {
    let (_, b) = app
        .gql(
            SCREEN,
            json!({"i": {"departmentCode": dept, "context": context, "text": text}}),
            Some(token),
        )
        .await;
    b
}

fn utf16_index(text: &str, needle: &str) -> i64 {
    let byte = text.find(needle).unwrap();
    text[..byte].encode_utf16().count() as i64
}

#[tokio::test]
async fn an_ssn_is_blocked_with_its_clause_a_masked_excerpt_and_utf16_offsets() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let text = "😀 Über-fast reply: my SSN is 219-09-6789, please fix my account";
    let b = screen(&app, &s.access, "MT-DOC", "PUBLIC_COMMENT", text).await;
    let r = &b["data"]["screenText"];
    assert_eq!(r["verdict"], "BLOCK", "{b}");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PPI_SSN")
        .unwrap();
    assert_eq!(f["clause"], "MT III; MT IV.B.3.b");
    assert_eq!(f["severity"], "BLOCK");
    assert_eq!(f["start"], utf16_index(text, "219-09-6789"), "UTF-16 offset: {f}");
    assert_eq!(f["end"].as_i64().unwrap() - f["start"].as_i64().unwrap(), 11);
    assert!(f["excerpt"].as_str().unwrap().ends_with("6789"));
    assert!(
        !b.to_string().contains("219-09"),
        "the clear value never leaves the server"
    );
}

#[tokio::test]
async fn obfuscated_digits_are_still_found() {
    let app = spawn_app().await;
    let s = app.login("staff@il-doc.demo").await;
    let text = "social security number ２１９\u{200B}０９\u{200B}６７８９";
    let b = screen(&app, &s.access, "IL-DOC", "PUBLIC_COMMENT", text).await;
    let rules: Vec<&str> = b["data"]["screenText"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"PPI_SSN"), "{b}");
}

#[tokio::test]
async fn clean_text_and_scunthorpe_words_are_clear() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let text = "The assessment in Scunthorpe was a heart attack of paperwork; call 406-444-3930 or see https://cor.mt.gov/news";
    let b = screen(&app, &s.access, "MT-DOC", "OFFICIAL_POST", text).await;
    assert_eq!(b["data"]["screenText"]["verdict"], "CLEAR", "{b}");
}

#[tokio::test]
async fn context_decides_which_rules_apply() {
    let app = spawn_app().await;
    let s = app.login("pio@il-doc.demo").await;
    let post = "Join us at the open house this Saturday at Logan Correctional Center.";
    let b = screen(&app, &s.access, "IL-DOC", "OFFICIAL_POST", post).await;
    let f = &b["data"]["screenText"]["findings"][0];
    assert_eq!(f["rule"], "MISSING_WEBSITE_LINK", "{b}");
    assert_eq!(f["clause"], "IL 01.02.400 II.G.1.c");
    let b = screen(&app, &s.access, "IL-DOC", "PUBLIC_COMMENT", post).await;
    assert_eq!(b["data"]["screenText"]["verdict"], "CLEAR", "{b}");
    let lookalike = format!("{post} Details: https://idoc.illinois.gov.example.com/open-house");
    let b = screen(&app, &s.access, "IL-DOC", "OFFICIAL_POST", &lookalike).await;
    assert_eq!(
        b["data"]["screenText"]["findings"][0]["rule"],
        "MISSING_WEBSITE_LINK"
    );
    let official = format!("{post} Details: https://www.idoc.illinois.gov/open-house");
    let b = screen(&app, &s.access, "IL-DOC", "OFFICIAL_POST", &official).await;
    assert_eq!(b["data"]["screenText"]["verdict"], "CLEAR", "{b}");
}

#[tokio::test]
async fn oversized_texts_and_other_departments_are_refused() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let big = "a".repeat(64 * 1024 + 1);
    assert_eq!(
        code(&screen(&app, &s.access, "MT-DOC", "PUBLIC_COMMENT", &big).await),
        "BAD_USER_INPUT"
    );
    assert_eq!(
        code(&screen(&app, &s.access, "IL-DOC", "PUBLIC_COMMENT", "hello").await),
        "NOT_FOUND"
    );
    let (status, _) = app
        .gql(
            SCREEN,
            json!({"i": {"departmentCode": "MT-DOC", "context": "PUBLIC_COMMENT", "text": "x"}}),
            None,
        )
        .await;
    assert!(status.is_success());
}

#[test]
fn eval_screening_reports_per_rule_scores_and_fails_below_threshold() {
    let bin = env!("CARGO_BIN_EXE_policy-admin");
    let mut good = tempfile::NamedTempFile::new().unwrap();
    for n in 0..5 {
        writeln!(good, r#"{{"department":"MT-DOC","context":"PUBLIC_COMMENT","text":"My SSN is 523-41-778{n}, please help","expected":["PPI_SSN"]}}"#).unwrap();
        writeln!(good, r#"{{"department":"IL-DOC","context":"PUBLIC_COMMENT","text":"When does visiting start on Sunday at Logan?","expected":[]}}"#).unwrap();
    }
    let out = Command::new(bin)
        .args(["eval-screening"])
        .arg(good.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    for part in [
        "== rules ==",
        "== model ==",
        "== combined ==",
        "PPI_SSN",
        "precision",
    ] {
        assert!(report.contains(part), "{part} in {report}");
    }

    let mut bad = tempfile::NamedTempFile::new().unwrap();
    for _ in 0..5 {
        writeln!(bad, r#"{{"department":"MT-DOC","context":"PUBLIC_COMMENT","text":"Have a nice day","expected":["PPI_SSN"]}}"#).unwrap();
    }
    let out = Command::new(bin)
        .args(["eval-screening"])
        .arg(bad.path())
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a corpus the engine fails on must fail the command"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("PPI_SSN"));
    let out = Command::new(bin)
        .args(["eval-screening", "/nonexistent/corpus.jsonl"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
