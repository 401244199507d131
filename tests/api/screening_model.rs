//! The model stage over HTTP: model findings with their source, score and sentence, the
//! provenance of every result and stored screening, the rules-only opt-out, and a model or
//! heads that do not fit refusing to start.

#![allow(clippy::unwrap_used)]

use policy_admin::config::ScreeningChoice;
use policy_admin::policy::screening::model::{Heads, ModelFiles};
use policy_admin::startup::Application;
use serde_json::{Value, json};

use crate::fixtures::active;
use crate::helpers::{TestApp, fresh_database, spawn_app, spawn_app_with, test_config};

const SCREEN: &str = "query($i: ScreenTextInput!) { screenText(input: $i) { verdict findings { rule severity clause start end excerpt source score } provenance { mode engine modelHash headsHash } } }";

/// A veiled threat with no violent word: the lexicons have nothing to match.
const VEILED_THREAT: &str = "Thanks for the update on visiting hours. I know which gas station you stop at after your shift, Officer Lund, and I know your kids' school. Enjoy your weekend while you can.";

async fn screen(app: &TestApp, token: &str, context: &str, text: &str) -> Value {
    let input = json!({"departmentCode": "MT-DOC", "context": context, "text": text});
    let (_, b) = app.gql(SCREEN, json!({"i": input}), Some(token)).await;
    b["data"]["screenText"].clone()
}

fn utf16(text: &str, byte: usize) -> i64 {
    text[..byte].encode_utf16().count() as i64
}

#[tokio::test]
async fn a_veiled_threat_is_a_model_finding_on_its_sentence_capped_at_review() {
    let app = spawn_app().await;
    let s = app.login("pio@mt-doc.demo").await;
    let r = screen(&app, &s.access, "PUBLIC_COMMENT", VEILED_THREAT).await;
    let threat = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "THREAT_HARASSMENT")
        .unwrap_or_else(|| panic!("no threat found: {r}"));
    assert_eq!(threat["source"], "MODEL", "{r}");
    let score = threat["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0, "{threat}");
    // MT-DOC blocks threats in comments, but a model-only finding waits for a person.
    assert_eq!(threat["severity"], "REVIEW");
    assert_eq!(threat["clause"], "MT IV.A.2.c(1)");
    // It covers a whole sentence of the text, not the harmless first one.
    let first_end = VEILED_THREAT.find("hours.").unwrap() + "hours.".len();
    assert!(
        threat["start"].as_i64().unwrap() >= utf16(VEILED_THREAT, first_end),
        "{threat}"
    );
    assert!(threat["end"].as_i64().unwrap() <= utf16(VEILED_THREAT, VEILED_THREAT.len()));
    assert_eq!(r["verdict"], "REVIEW", "{r}");
}

#[tokio::test]
async fn every_result_and_readyz_name_the_engine_model_and_heads() {
    let app = spawn_app().await;
    let s = app.login("staff@mt-doc.demo").await;
    let r = screen(&app, &s.access, "PUBLIC_COMMENT", "When is visiting on Sunday?").await;
    assert_eq!(r["verdict"], "CLEAR", "{r}");
    let p = &r["provenance"];
    assert_eq!(p["mode"], "FULL");
    assert!(p["engine"].as_str().unwrap().starts_with("policy-admin "));
    let model = p["modelHash"].as_str().unwrap();
    assert!(model.starts_with("sha256:"), "{p}");
    let heads = p["headsHash"].as_str().unwrap();
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["screening"]["mode"], "FULL", "{ready}");
    assert_eq!(ready["screening"]["model"], model);
    assert_eq!(ready["screening"]["heads"], heads);
}

#[tokio::test]
async fn rules_only_is_shown_in_readyz_and_every_result_and_finds_no_model_findings() {
    let app = spawn_app_with(|c| c.screening.mode = ScreeningChoice::RulesOnly).await;
    let s = app.login("pio@mt-doc.demo").await;
    let r = screen(&app, &s.access, "PUBLIC_COMMENT", VEILED_THREAT).await;
    assert_eq!(r["provenance"]["mode"], "RULES_ONLY", "{r}");
    assert!(r["provenance"]["modelHash"].is_null() && r["provenance"]["headsHash"].is_null());
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["source"] == "RULE"),
        "{r}"
    );
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["screening"]["mode"], "RULES_ONLY", "{ready}");
    assert!(ready["screening"]["model"].is_null());
}

#[tokio::test]
async fn model_excerpts_never_show_personal_information_in_clear() {
    let app = spawn_app().await;
    let s = app.login("pio@mt-doc.demo").await;
    let text = "Officer Lund, I know where you live and your SSN is 523-41-7788, so watch yourself.";
    let r = screen(&app, &s.access, "PUBLIC_COMMENT", text).await;
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "PPI_SSN"),
        "{r}"
    );
    assert!(!r.to_string().contains("523-41"), "{r}");
}

#[tokio::test]
async fn stored_comments_and_posts_record_what_screened_them() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let input =
        json!({"platformId": platform, "externalId": "m-1", "authorHandle": "@x", "body": VEILED_THREAT});
    let (_, b) = app
        .gql(
            "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id findings { rule source score } screenedBy { mode modelHash headsHash engine } } }",
            json!({"i": input}),
            Some(&pio),
        )
        .await;
    let c = &b["data"]["ingestComment"];
    assert_eq!(c["screenedBy"]["mode"], "FULL", "{b}");
    assert!(
        c["screenedBy"]["modelHash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert!(
        c["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["source"] == "MODEL"),
        "{b}"
    );

    let (_, b) = app
        .gql(
            "mutation($i: CreatePostInput!) { createPost(input: $i) { id screenedBy { mode } } }",
            json!({"i": {"platformId": platform, "body": "Job fair Saturday at the Deer Lodge armory. Details at https://cor.mt.gov/jobs"}}),
            Some(&pio),
        )
        .await;
    let post = b["data"]["createPost"]["id"].as_str().unwrap().to_owned();
    assert!(b["data"]["createPost"]["screenedBy"].is_null(), "{b}");
    let (_, b) = app
        .gql(
            "mutation($id: ID!) { submitPost(id: $id) { status screenedBy { mode headsHash } } }",
            json!({"id": post}),
            Some(&pio),
        )
        .await;
    assert_eq!(b["data"]["submitPost"]["status"], "SUBMITTED", "{b}");
    assert_eq!(b["data"]["submitPost"]["screenedBy"]["mode"], "FULL", "{b}");
}

/// Writes the shipped model into a directory, with its tokenizer changed by one byte (so it
/// is another model to the hash).
fn other_model_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = ModelFiles::embedded();
    std::fs::write(dir.path().join("config.json"), &files.config).unwrap();
    std::fs::write(dir.path().join("model.safetensors"), &files.weights).unwrap();
    let mut tok = files.tokenizer.to_vec();
    tok.push(b'\n');
    std::fs::write(dir.path().join("tokenizer.json"), tok).unwrap();
    dir
}

#[tokio::test]
async fn heads_trained_on_another_model_refuse_to_start_and_matching_heads_are_used() {
    let model = other_model_dir();
    let (url, _db) = fresh_database().await;
    let mut config = test_config(&url);
    config.screening.model = Some(model.path().to_owned());
    let err = Application::build(config.clone()).await.err().unwrap();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("trained on model") && msg.contains("rules-only"),
        "{msg}"
    );

    // Heads that name the model in use are accepted, and results name them.
    let files = ModelFiles::from_dir(model.path()).unwrap();
    let (mut heads, _) = Heads::embedded().unwrap();
    heads.model = files.hash();
    let path = model.path().join("heads.json");
    let bytes = heads.to_bytes().unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let app = spawn_app_with(|c| {
        c.screening.model = Some(model.path().to_owned());
        c.screening.heads = Some(path.clone());
    })
    .await;
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["screening"]["model"], files.hash(), "{ready}");
    let expected = policy_admin::policy::screening::model::sha256_tag(&bytes);
    assert_eq!(ready["screening"]["heads"], expected.as_str());
}

#[tokio::test]
async fn a_model_directory_that_cannot_load_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), b"{}").unwrap();
    let (url, _db) = fresh_database().await;
    let mut config = test_config(&url);
    config.screening.model = Some(dir.path().to_owned());
    let msg = format!("{:#}", Application::build(config).await.err().unwrap());
    assert!(
        msg.contains("screening") && msg.contains("tokenizer.json"),
        "{msg}"
    );
}
