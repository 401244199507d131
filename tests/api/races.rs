//! Races: parallel decisions on one comment serialise (status = last decision, one linear
//! reversal chain, the first decision's time kept), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

use entity::{comment, moderation_decision};
use futures_util::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::fixtures::active;
use crate::helpers::spawn_app;

const INGEST: &str = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id } }";
const MODERATE: &str = "mutation($id: ID!, $a: ModerationAction!, $r: [String!]) { moderateComment(id: $id, action: $a, rules: $r) { id } }";

#[tokio::test]
async fn fifty_parallel_decisions_on_one_comment_leave_one_consistent_record() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let input = json!({"platformId": platform, "externalId": "race-1", "authorHandle": "@r", "body": "You are a moron, warden"});
    let (_, b) = app.gql(INGEST, json!({"i": input}), Some(&pio)).await;
    let gid = b["data"]["ingestComment"]["id"].as_str().unwrap().to_owned();

    let calls = (0..50).map(|i| {
        let (action, rules) = if i % 2 == 0 {
            ("HIDE", json!(["PERSONAL_ATTACK"]))
        } else {
            ("PUBLISH", json!([]))
        };
        app.gql(MODERATE, json!({"id": gid, "a": action, "r": rules}), Some(&pio))
    });
    for (_, b) in join_all(calls).await {
        assert!(b["errors"].is_null(), "{b}");
    }

    let c = comment::Entity::find()
        .filter(comment::Column::ExternalId.eq("race-1"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let decisions = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::CommentId.eq(c.id))
        .order_by_asc(moderation_decision::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(decisions.len(), 50);
    let last = decisions.last().unwrap();
    let expected = if last.action == "HIDE" {
        "HIDDEN"
    } else {
        "PUBLISHED"
    };
    assert_eq!(c.status, expected, "the status is the last decision's");
    assert_eq!(
        c.first_decision_at,
        Some(decisions[0].created_at),
        "the first decision's time is kept"
    );
    let mut reversed = std::collections::HashSet::new();
    for pair in decisions.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        let want = (before.action != after.action).then_some(before.id);
        assert_eq!(
            after.reverses_decision_id, want,
            "decision {} reverses the one before it, or none",
            after.id
        );
        if let Some(r) = after.reverses_decision_id {
            assert!(reversed.insert(r), "decision {r} reversed twice");
        }
    }
    assert_eq!(decisions[0].reverses_decision_id, None);
}
