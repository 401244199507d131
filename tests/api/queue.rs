//! The moderation queue at scale. Every filter is served by an index on both databases, first
//! and later pages: the statements the server runs are `EXPLAIN`ed here, and a table scan or a
//! sort fails the test. The rule index follows decisions and is rebuilt by its migration. A
//! prolific commenter's history comes bounded and counted. The plans are read on a queue after
//! a cleared backlog, where walking the primary key looks cheap to a planner and is not (on
//! PostgreSQL, scans and sorts are also priced out, so that a plan shows one only when no index
//! can serve the statement).

#![allow(clippy::unwrap_used)]

use policy_admin::policy::screening::RuleCode;
use policy_admin::service::comments::{CommentStatus, QueueFilter, queue_statement};
use policy_admin::service::paging::Window;
use sea_orm::{ConnectionTrait, DbBackend, QueryTrait, Statement, TransactionTrait};

use serde_json::json;

use crate::fixtures::active;
use crate::helpers::spawn_app;
use crate::moderation::{decide, id, ingest};

fn filters() -> Vec<(&'static str, QueueFilter)> {
    let f = |platform_id, rule, status| QueueFilter {
        platform_id,
        rule,
        status,
    };
    vec![
        ("pending", f(None, None, None)),
        ("escalated", f(None, None, Some(CommentStatus::Escalated))),
        ("hidden", f(None, None, Some(CommentStatus::Hidden))),
        ("platform", f(Some(3), None, None)),
        ("rule", f(None, Some(RuleCode::PpiSsn), None)),
        (
            "rule and platform",
            f(Some(3), Some(RuleCode::ThreatHarassment), None),
        ),
        (
            "rule, escalated",
            f(None, Some(RuleCode::Obscene), Some(CommentStatus::Escalated)),
        ),
    ]
}

fn windows() -> Vec<(&'static str, Window)> {
    vec![
        ("first page", Window::forward(50, None)),
        ("later page", Window::forward(50, Some(19_000))),
        (
            "last page",
            Window {
                size: 50,
                from_end: true,
                ..Window::default()
            },
        ),
    ]
}

async fn plan(db: &sea_orm::DatabaseConnection, stmt: Statement) -> Vec<String> {
    let backend = db.get_database_backend();
    let (prefix, column) = match backend {
        DbBackend::Postgres => ("EXPLAIN ", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN ", "detail"),
    };
    let explain = Statement {
        sql: format!("{prefix}{}", stmt.sql),
        ..stmt
    };
    let txn = db.begin().await.unwrap();
    if backend == DbBackend::Postgres {
        for off in [
            "enable_seqscan",
            "enable_sort",
            "enable_hashjoin",
            "enable_mergejoin",
        ] {
            txn.execute_unprepared(&format!("SET LOCAL {off} = off"))
                .await
                .unwrap();
        }
    }
    let rows = txn.query_all_raw(explain).await.unwrap();
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", column).unwrap())
        .collect()
}

/// A queue after a cleared backlog: 20,000 comments in two departments, the oldest 90 %
/// decided, the newest pending (one in a hundred escalated), a tenth with a rule, and
/// statistics taken. On PostgreSQL autovacuum is off for the two tables, so that no index-only
/// scan can rescue a plan: the pages must be as far from all-visible as a busy queue's.
/// Statistics cannot tell that the pending comments are the newest, so a planner that may
/// walk the primary key and filter believes it will soon find a page (it reads 18,000 rows).
async fn seed_cleared_backlog(db: &sea_orm::DatabaseConnection) {
    if db.get_database_backend() == DbBackend::Postgres {
        for table in ["comments", "comment_rules"] {
            db.execute_unprepared(&format!("ALTER TABLE {table} SET (autovacuum_enabled = false)"))
                .await
                .unwrap();
        }
    }
    db.execute_unprepared(
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) \
         INSERT INTO comments (department_id, platform_id, external_id, author_handle, body, \
         received_at, status, verdict, findings, rule_codes, created_at) \
         SELECT 1 + n % 2, 1 + n % 3, 'seed-' || n, 'h' || (n / 3), 'an ordinary comment', \
         CURRENT_TIMESTAMP, CASE WHEN n <= 18000 THEN (CASE n % 3 WHEN 0 THEN 'PUBLISHED' \
         WHEN 1 THEN 'HIDDEN' ELSE 'REMOVED' END) WHEN n % 100 = 0 THEN 'ESCALATED' \
         ELSE 'PENDING' END, 'CLEAR', '[]', ',', CURRENT_TIMESTAMP FROM g",
    )
    .await
    .unwrap();
    for rule in ["PPI_SSN", "THREAT_HARASSMENT", "OBSCENE"] {
        db.execute_unprepared(&format!(
            "INSERT INTO comment_rules (comment_id, rule_code, department_id, platform_id, status) \
             SELECT id, '{rule}', department_id, platform_id, status FROM comments \
             WHERE external_id LIKE 'seed-%' AND id % 10 = 0"
        ))
        .await
        .unwrap();
    }
    db.execute_unprepared("ANALYZE").await.unwrap();
}

#[tokio::test]
async fn every_queue_filter_is_served_by_an_index() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    seed_cleared_backlog(db).await;
    for (filter_name, f) in filters() {
        for (window_name, w) in windows() {
            let stmt = queue_statement(backend, 1, &f, w).build(backend);
            let lines = plan(db, stmt.clone()).await;
            let text = lines.join("\n");
            let what = format!("{filter_name}, {window_name}: {}\n{text}", stmt.sql);
            // Each filter is a condition of an index, not a filter over rows the index found.
            let conditions: Vec<&String> = lines
                .iter()
                .filter(|l| l.contains("Index Cond") || l.starts_with("SEARCH"))
                .collect();
            let mut needed = vec!["department_id", "status"];
            needed.extend(f.platform_id.map(|_| "platform_id"));
            needed.extend(f.rule.map(|_| "rule_code"));
            for column in needed {
                assert!(
                    conditions.iter().any(|l| l.contains(column)),
                    "{column} is an index condition: {what}"
                );
            }
            match backend {
                DbBackend::Postgres => {
                    assert!(
                        !text.contains("Seq Scan") && !text.contains("Sort") && !text.contains("Hash"),
                        "{what}"
                    );
                    let scans = lines.iter().filter(|l| l.contains("Index")).count()
                        - lines.iter().filter(|l| l.contains("Index Cond")).count();
                    let bounded = lines.iter().filter(|l| l.contains("Index Cond")).count();
                    assert!(bounded >= scans, "every index scan has a condition: {what}");
                }
                _ => {
                    assert!(
                        lines.iter().all(|l| !l.starts_with("SCAN")),
                        "no table or full-index scan: {what}"
                    );
                    assert!(!text.contains("TEMP B-TREE"), "no sort: {what}");
                }
            }
        }
    }
}

const BY_RULE: &str = "query($r: String, $s: CommentStatus) { moderationQueue(departmentCode: \"MT-DOC\", rule: $r, status: $s) { totalCount edges { node { externalId } } } }";

async fn by_rule(app: &crate::helpers::TestApp, token: &str, vars: serde_json::Value) -> Vec<String> {
    let (_, b) = app.gql(BY_RULE, vars, Some(token)).await;
    assert!(b["errors"].is_null(), "{b}");
    let edges = b["data"]["moderationQueue"]["edges"].as_array().unwrap();
    assert_eq!(
        b["data"]["moderationQueue"]["totalCount"].as_u64(),
        Some(edges.len() as u64)
    );
    edges
        .iter()
        .map(|e| e["node"]["externalId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_rule_filter_follows_decisions_and_survives_a_rebuild() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let first = ingest(
        &app,
        &pio,
        &platform,
        "1",
        "@z",
        "Call my cell, my SSN is 219-09-6789",
    )
    .await;
    ingest(&app, &pio, &platform, "2", "@y", "Mine is 219-09-6788, help").await;
    ingest(&app, &pio, &platform, "3", "@x", "You idiot warden, go to hell").await;
    let ssn = json!({"r": "PPI_SSN"});
    assert_eq!(by_rule(&app, &pio, ssn.clone()).await, ["1", "2"]);

    let b = decide(
        &app,
        &pio,
        &id(&first, "ingestComment"),
        "HIDE",
        json!(["PPI_SSN"]),
    )
    .await;
    assert!(b["errors"].is_null(), "{b}");
    assert_eq!(
        by_rule(&app, &pio, ssn.clone()).await,
        ["2"],
        "a decided comment leaves"
    );
    let hidden = json!({"r": "PPI_SSN", "s": "HIDDEN"});
    assert_eq!(by_rule(&app, &pio, hidden.clone()).await, ["1"]);

    // Dropping the rule index and migrating again rebuilds it from the comments.
    let db = &app.state.db;
    use migration::MigratorTrait;
    migration::Migrator::down(db, Some(2)).await.unwrap();
    migration::Migrator::up(db, None).await.unwrap();
    assert_eq!(by_rule(&app, &pio, ssn).await, ["2"]);
    assert_eq!(by_rule(&app, &pio, hidden).await, ["1"]);
}

#[tokio::test]
async fn a_prolific_commenters_history_is_bounded_and_counted() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    for i in 0..23 {
        let c = ingest(
            &app,
            &pio,
            &platform,
            &format!("old-{i}"),
            "@troll",
            "You idiot warden",
        )
        .await;
        let b = decide(
            &app,
            &pio,
            &id(&c, "ingestComment"),
            "HIDE",
            json!(["PERSONAL_ATTACK"]),
        )
        .await;
        assert!(b["errors"].is_null(), "{b}");
    }
    ingest(&app, &pio, &platform, "new", "@troll", "You idiot warden, again").await;
    let q = "{ moderationQueue(departmentCode: \"MT-DOC\") { edges { node { externalId priorDecisionCount priorDecisions { id action } } } } }";
    let (_, b) = app.gql(q, json!({}), Some(&pio)).await;
    let node = &b["data"]["moderationQueue"]["edges"][0]["node"];
    assert_eq!(node["externalId"], "new", "{b}");
    assert_eq!(node["priorDecisionCount"], 23, "{b}");
    let prior = node["priorDecisions"].as_array().unwrap();
    assert_eq!(prior.len(), 20, "the most recent twenty: {b}");
    assert!(prior.iter().all(|d| d["action"] == "HIDE"));
    let ids: Vec<&str> = prior.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let (_, log) = app
        .gql(
            "{ moderationLog(departmentCode: \"MT-DOC\", first: 20) { edges { node { id } } } }",
            json!({}),
            Some(&pio),
        )
        .await;
    let mut newest: Vec<&str> = log["data"]["moderationLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    newest.reverse();
    assert_eq!(ids, newest, "oldest first, and the newest of them");
}
