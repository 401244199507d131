//! Legal holds and the e-discovery export.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::fixtures::{active, my_id};
use crate::helpers::{TestApp, code, spawn_app};

async fn export(app: &TestApp, token: Option<&str>, query: &str) -> (u16, String) {
    let mut req = app.client.get(format!("{}/export/MT-DOC{query}", app.addr));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// Checks the manifest against the lines; returns records by type.
fn check(body: &str) -> BTreeMap<String, Vec<Value>> {
    let lines: Vec<&str> = body.lines().collect();
    let manifest: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(manifest["type"], "manifest");
    let before = &body[..body.len() - lines.last().unwrap().len() - 1];
    assert_eq!(
        manifest["sha256"],
        hex::encode(Sha256::digest(before.as_bytes())),
        "the manifest hash covers the stream"
    );
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for l in &lines[..lines.len() - 1] {
        let v: Value = serde_json::from_str(l).unwrap();
        by_type
            .entry(v["type"].as_str().unwrap().to_owned())
            .or_default()
            .push(v["record"].clone());
    }
    for (kind, records) in &by_type {
        assert_eq!(manifest["counts"][kind], records.len(), "count of {kind}");
    }
    by_type
}

async fn seed(app: &TestApp) -> (String, String, String) {
    let platform = active(app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, b) = app
        .gql(
            "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
            json!({"i": {"platformId": platform, "body": "Visiting update https://cor.mt.gov"}}),
            Some(&pio),
        )
        .await;
    let post = b["data"]["createPost"]["id"].as_str().unwrap().to_owned();
    let (_, b) = app
        .gql(
            "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }",
            json!({"i": {"platformId": platform, "externalId": "e1", "authorHandle": "@a", "body": "You idiot"}}),
            Some(&pio),
        )
        .await;
    let comment = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
    app.gql(
        "mutation($id: ID!) { moderateComment(id: $id, action: HIDE, rules: [\"PERSONAL_ATTACK\"]) { id } }",
        json!({"id": comment}),
        Some(&pio),
    )
    .await;
    (platform, post, comment)
}

#[tokio::test]
async fn an_export_round_trips_with_a_manifest_that_matches() {
    let app = spawn_app().await;
    seed(&app).await;
    let director = app.login("director@mt-doc.demo").await.access;
    let (status, body) = export(&app, Some(&director), "").await;
    assert_eq!(status, 200, "{body}");
    let by_type = check(&body);
    for kind in [
        "platform",
        "platform_version",
        "approval",
        "post",
        "post_version",
        "comment",
        "moderation_decision",
        "audit_event",
    ] {
        assert!(
            by_type.get(kind).is_some_and(|v| !v.is_empty()),
            "{kind} is exported"
        );
    }
    let manifest: Value = serde_json::from_str(body.lines().last().unwrap()).unwrap();
    let (_, v) = app
        .gql(
            "{ verifyAuditLog(departmentCode: \"MT-DOC\") { headHash } }",
            json!({}),
            Some(&director),
        )
        .await;
    let exported_head = manifest["audit_head"]["hash"].as_str().unwrap();
    assert_eq!(
        exported_head,
        v["data"]["verifyAuditLog"]["headHash"].as_str().unwrap(),
        "the manifest names the chain head"
    );
    let last = by_type["audit_event"].last().unwrap();
    assert_eq!(
        last["hash"], exported_head,
        "and the stream ends at it (the export itself is audited first)"
    );
    assert_eq!(last["action"], "records.exported");
    let audit_ids: Vec<i64> = by_type["audit_event"]
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(audit_ids.windows(2).all(|w| w[0] < w[1]), "in order");

    let staff = app.login("staff@mt-doc.demo").await.access;
    assert_eq!(export(&app, Some(&staff), "").await.0, 403);
    let il = app.login("director@il-doc.demo").await.access;
    assert_eq!(
        export(&app, Some(&il), "").await.0,
        404,
        "another department's export does not exist for them"
    );
    assert_eq!(export(&app, None, "").await.0, 401);
}

#[tokio::test]
async fn a_hold_scopes_the_export_and_blocks_edits() {
    let app = spawn_app().await;
    let (platform, post, _) = seed(&app).await;
    let other = active(&app, "MT-DOC").await;
    let director = app.login("director@mt-doc.demo").await.access;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let place = "mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id releasedAt } }";
    let input =
        json!({"name": "Doe v. MT-DOC", "matter": "Case 26-CV-114", "scope": {"platformIds": [platform]}});
    assert_eq!(
        code(&app.gql(place, json!({"i": input.clone()}), Some(&pio)).await.1),
        "FORBIDDEN",
        "directors place holds"
    );
    let (_, b) = app.gql(place, json!({"i": input}), Some(&director)).await;
    let hold = b["data"]["placeLegalHold"]["id"].as_str().unwrap().to_owned();

    let edit = "mutation($id: ID!) { updatePost(id: $id, body: \"changed https://cor.mt.gov\") { version } }";
    let b = app.gql(edit, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(code(&b), "CONFLICT", "a held record is not edited: {b}");

    let (status, body) = export(&app, Some(&director), &format!("?holdId={hold}")).await;
    assert_eq!(status, 200, "{body}");
    let by_type = check(&body);
    let platforms: Vec<Value> = by_type["platform"].clone();
    assert_eq!(platforms.len(), 1, "only the held platform");
    let other_id = policy_admin::graphql::ids::decode_any(&other).unwrap().1;
    assert!(platforms.iter().all(|p| p["id"].as_i64() != Some(other_id)));
    assert_eq!(
        export(
            &app,
            Some(&director),
            &format!("?holdId={hold}&platformId={other}")
        )
        .await
        .0,
        400
    );

    let release = "mutation($id: ID!) { releaseLegalHold(id: $id) { releasedAt } }";
    let b = app.gql(release, json!({"id": hold}), Some(&director)).await.1;
    assert!(b["data"]["releaseLegalHold"]["releasedAt"].is_string());
    let b = app.gql(edit, json!({"id": post}), Some(&pio)).await.1;
    assert_eq!(
        b["data"]["updatePost"]["version"], 2,
        "editable again once released"
    );
    let _ = my_id;
}

#[tokio::test]
async fn the_command_line_writes_the_same_export_to_a_file() {
    let app = spawn_app().await;
    seed(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mt.ndjson");
    let run = Command::new(env!("CARGO_BIN_EXE_policy-admin"))
        .args(["export", "--department", "MT-DOC", "--out"])
        .arg(&out)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let body = std::fs::read_to_string(&out).unwrap();
    let by_type = check(&body);
    assert!(by_type["comment"].len() == 1 && by_type["post"].len() == 1);
    assert!(String::from_utf8_lossy(&run.stderr).contains("exported"));
}

#[tokio::test]
async fn purge_removes_only_what_is_past_retention_and_not_held() {
    let app = spawn_app().await;
    let (platform, _, _) = seed(&app).await;
    let other = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, b) = app
        .gql(
            "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }",
            json!({"i": {"platformId": other, "externalId": "e2", "authorHandle": "@b", "body": "Old news"}}),
            Some(&pio),
        )
        .await;
    let unheld = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
    let four_years_ago = (chrono::Utc::now() - chrono::Duration::days(1500))
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    app.sql(&format!("UPDATE comments SET received_at = '{four_years_ago}'"))
        .await;
    let director = app.login("director@mt-doc.demo").await.access;
    let place = "mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }";
    app.gql(
        place,
        json!({"i": {"name": "Hold", "matter": "M-1", "scope": {"platformIds": [platform]}}}),
        Some(&director),
    )
    .await;

    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_policy-admin"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .output()
            .unwrap()
    };
    let dry = run(&["purge", "--department", "MT-DOC"]);
    let report = String::from_utf8(dry.stdout).unwrap();
    assert!(
        report.contains("MT-DOC: 1 comments") && report.contains("1 kept under legal hold"),
        "{report}"
    );
    assert!(report.contains("nothing was deleted"));
    let node = "query($id: ID!) { node(id: $id) { id } }";
    assert!(
        app.gql(node, json!({"id": unheld}), Some(&pio)).await.1["data"]["node"].is_object(),
        "dry run deletes nothing"
    );

    let applied = run(&["purge", "--apply", "--department", "MT-DOC"]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert!(
        app.gql(node, json!({"id": unheld}), Some(&pio)).await.1["data"]["node"].is_null(),
        "purged"
    );
    let (_, q) = app
        .gql(
            "{ moderationQueue(departmentCode: \"MT-DOC\", status: HIDDEN) { edges { node { id } } } }",
            json!({}),
            Some(&pio),
        )
        .await;
    assert_eq!(
        q["data"]["moderationQueue"]["edges"].as_array().unwrap().len(),
        1,
        "the held comment stays"
    );
    let (_, v) = app.gql("{ verifyAuditLog(departmentCode: \"MT-DOC\") { ok } auditLog(departmentCode: \"MT-DOC\", first: 1) { edges { node { action } } } }", json!({}), Some(&director)).await;
    assert_eq!(v["data"]["verifyAuditLog"]["ok"], true);
    assert_eq!(
        v["data"]["auditLog"]["edges"][0]["node"]["action"],
        "records.purged"
    );
}

/// Timestamps as instants, whatever their notation, so that records compare by value.
fn instants(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), instants(v))).collect()),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => json!(t.timestamp_micros()),
            Err(_) => v.clone(),
        },
        _ => v.clone(),
    }
}

#[tokio::test]
async fn exported_records_hold_every_column_of_their_rows() {
    use entity::{audit_event, comment, moderation_decision, platform};
    use sea_orm::EntityTrait;
    let app = spawn_app().await;
    seed(&app).await;
    let director = app.login("director@mt-doc.demo").await.access;
    let (_, body) = export(&app, Some(&director), "").await;
    let by_type = check(&body);
    let db = &app.state.db;
    let rows = [
        (
            "platform",
            platform::Entity::find().into_json().all(db).await.unwrap(),
        ),
        (
            "comment",
            comment::Entity::find().into_json().all(db).await.unwrap(),
        ),
        (
            "moderation_decision",
            moderation_decision::Entity::find()
                .into_json()
                .all(db)
                .await
                .unwrap(),
        ),
        (
            "audit_event",
            audit_event::Entity::find().into_json().all(db).await.unwrap(),
        ),
    ];
    for (kind, rows) in rows {
        let exported = &by_type[kind];
        for record in exported {
            let row = rows.iter().find(|r| r["id"] == record["id"]).unwrap();
            assert_eq!(instants(record), instants(row), "{kind}");
        }
    }
    let comment = &by_type["comment"][0];
    assert!(
        comment["received_at"].as_str().unwrap().ends_with('Z'),
        "{comment}"
    );
    assert!(
        comment["platform_id"].is_i64() && comment["post_id"].is_null(),
        "{comment}"
    );
}
