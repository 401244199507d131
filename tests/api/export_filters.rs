//! Every record kind of the e-discovery export honours every filter (platform, person,
//! period), and the manifest states how each kind was filtered.

#![allow(clippy::unwrap_used)]

use async_graphql::ID;
use policy_admin::graphql::ids::{self, Kind};
use serde_json::{Value, json};

use crate::fixtures::{active, my_id};
use crate::helpers::{TestApp, spawn_app};

async fn export(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let resp = app
        .client
        .get(format!("{}/export/MT-DOC{query}", app.addr))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn records<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| l["type"] == kind)
        .map(|l| &l["record"])
        .collect()
}

/// A platform with a post and a decided comment; returns the platform's numeric id.
async fn platform_with_traffic(app: &TestApp, pio: &str, ext: &str) -> i64 {
    let platform = active(app, "MT-DOC").await;
    let (_, b) = app
        .gql(
            "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
            json!({"i": {"platformId": platform, "body": "Visiting update https://cor.mt.gov"}}),
            Some(pio),
        )
        .await;
    assert!(b["data"]["createPost"]["id"].is_string(), "{b}");
    ingest_and_hide(app, pio, &platform, ext).await;
    ids::decode(&ID(platform), Kind::Platform).unwrap()
}

async fn ingest_and_hide(app: &TestApp, pio: &str, platform: &str, ext: &str) {
    let (_, b) = app
        .gql(
            "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }",
            json!({"i": {"platformId": platform, "externalId": ext, "authorHandle": "@a", "body": "You idiot"}}),
            Some(pio),
        )
        .await;
    let comment = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();
    app.gql(
        "mutation($id: ID!) { moderateComment(id: $id, action: HIDE, rules: [\"PERSONAL_ATTACK\"]) { id } }",
        json!({"id": comment}),
        Some(pio),
    )
    .await;
}

#[tokio::test]
async fn a_platform_filter_exports_only_that_platforms_records() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let director = app.login("director@mt-doc.demo").await.access;
    let a = platform_with_traffic(&app, &pio, "a-1").await;
    let b = platform_with_traffic(&app, &pio, "b-1").await;
    let all = export(&app, &director, "").await;
    assert!(records(&all, "platform").iter().any(|p| p["id"] == b));

    let gid = ids::encode(Kind::Platform, a).0;
    let lines = export(&app, &director, &format!("?platformId={gid}")).await;
    let platforms = records(&lines, "platform");
    assert_eq!(platforms.len(), 1);
    assert_eq!(platforms[0]["id"], a);
    assert!(
        records(&lines, "platform_version")
            .iter()
            .all(|v| v["platform_id"] == a)
    );
    let posts = records(&lines, "post");
    assert!(!posts.is_empty() && posts.iter().all(|p| p["platform_id"] == a));
    let post_ids: Vec<&Value> = posts.iter().map(|p| &p["id"]).collect();
    let approvals = records(&lines, "approval");
    assert!(!approvals.is_empty());
    for ap in &approvals {
        match ap["subject_type"].as_str().unwrap() {
            "PLATFORM" => assert_eq!(ap["subject_id"], a, "{ap}"),
            "POST" => assert!(post_ids.contains(&&ap["subject_id"]), "{ap}"),
            other => panic!("approval of {other} exported: {ap}"),
        }
    }
    let comments = records(&lines, "comment");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["platform_id"], a);
    let decisions = records(&lines, "moderation_decision");
    assert!(decisions.iter().all(|d| d["comment_id"] == comments[0]["id"]));
    assert!(records(&lines, "violation").is_empty());
    for ev in records(&lines, "audit_event") {
        if ev["subject_type"] == "Platform" {
            assert_eq!(ev["subject_id"], a.to_string(), "{ev}");
        }
    }
    let manifest = lines.last().unwrap();
    assert_eq!(manifest["scope"]["platform_ids"], json!([a]));
    assert!(
        manifest["filters"]["approval"]
            .as_str()
            .unwrap()
            .contains("platforms")
    );
}

#[tokio::test]
async fn a_period_and_a_person_filter_every_kind() {
    let app = spawn_app().await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let director = app.login("director@mt-doc.demo").await.access;
    let platform_id = platform_with_traffic(&app, &pio, "p-1").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let from = chrono::Utc::now();
    let platform = ids::encode(Kind::Platform, platform_id).0;
    ingest_and_hide(&app, &pio, &platform, "p-2").await;

    let q = format!(
        "?from={}",
        from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .replace('+', "%2B")
    );
    let lines = export(&app, &director, &q).await;
    for kind in [
        "platform",
        "platform_version",
        "approval",
        "authorization",
        "post",
        "post_version",
    ] {
        assert!(records(&lines, kind).is_empty(), "{kind} from before the period");
    }
    let comments = records(&lines, "comment");
    assert_eq!(comments.len(), 1, "only the comment received in the period");
    assert_eq!(records(&lines, "moderation_decision").len(), 1);
    for ev in records(&lines, "audit_event") {
        let at = chrono::DateTime::parse_from_rfc3339(ev["occurred_at"].as_str().unwrap()).unwrap();
        assert!(at >= from, "{ev}");
    }

    // A person: the director decided nothing and proposed nothing here.
    let director_id = my_id(&app, &director).await;
    let lines = export(&app, &director, &format!("?userId={director_id}")).await;
    assert!(records(&lines, "comment").is_empty());
    assert!(records(&lines, "moderation_decision").is_empty());
    assert!(records(&lines, "post").is_empty());
    for ev in records(&lines, "audit_event") {
        assert!(
            ev["actor_user_id"] == ids::decode(&ID(director_id.clone()), Kind::User).unwrap()
                || ev["on_behalf_of_user_id"] == ids::decode(&ID(director_id.clone()), Kind::User).unwrap(),
            "{ev}"
        );
    }
}
