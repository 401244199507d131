//! Seeding of the queue benchmark: a fresh database per size, two active platforms, and the
//! ingested comments multiplied by SQL to the size with decisions and rule rows.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::json;

use super::Server;

/// A database of its own for one size: (URL, what to drop afterwards).
pub async fn fresh_database(size: usize) -> (String, Option<(String, String)>, Option<tempfile::TempDir>) {
    match std::env::var("QUEUE_BENCH_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("pa_queue_bench_{size}");
            let db = Database::connect(&admin).await.unwrap();
            db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await
                .unwrap();
            db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let mut url = url::Url::parse(&admin).unwrap();
            url.set_path(&format!("/{name}"));
            (url.to_string(), Some((admin, name)), None)
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
            (url, None, Some(dir))
        }
    }
}

/// Two active MT-DOC platforms; returns their ids.
pub async fn platforms(s: &Server, staff: &str, pio: &str) -> Vec<String> {
    let propose = "mutation($i: ProposePlatformInput!) { proposePlatform(input: $i) { id } }";
    let mut ids = Vec::new();
    for i in 0..2 {
        let input = json!({
            "departmentCode": "MT-DOC", "network": "FACEBOOK", "handle": format!("bench-{i}"),
            "url": "https://facebook.com/doc", "purposes": ["PUBLIC_SAFETY"],
            "purposeStatement": "News and safety information from the Department.",
            "scopeStatement": "Statewide programs and facilities.",
            "websiteLink": "https://cor.mt.gov/news",
            "maintainedByStatement": "This page is maintained by the Department of Corrections.",
            "logoUrl": "https://cor.mt.gov/logo.png", "contactInfo": "Public Information Office",
        });
        let id = s.ok(propose, json!({"i": input}), staff).await["proposePlatform"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for m in [
            "mutation($id: ID!) { approvePlatform(id: $id) { id } }",
            "mutation($id: ID!) { acceptPlatformTerms(id: $id, termsUrl: \"https://www.facebook.com/terms\", termsVersion: \"2026-01\") { id } }",
            "mutation($id: ID!) { activatePlatform(id: $id) { id } }",
        ] {
            s.ok(m, json!({"id": id}), pio).await;
        }
        ids.push(id);
    }
    ids
}

/// Multiplies the ingested comments to `size` rows by SQL, with decisions and rule rows.
pub async fn multiply(db: &DatabaseConnection, size: usize, pio_user: i64) {
    let backend = db.get_database_backend();
    let templates: i64 = 40;
    let rounds = (size as i64 / templates).max(1);
    let seq = match backend {
        DbBackend::Postgres => format!("(SELECT generate_series(0, {}) AS n) seq", rounds - 1),
        _ => format!(
            "(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {}) SELECT n FROM s) seq",
            rounds - 1
        ),
    };
    let concat = |a: &str, b: &str| format!("{a} || {b}");
    let decided = rounds * 9 / 10;
    let status = format!(
        "CASE WHEN seq.n >= {decided} THEN 'PENDING' WHEN seq.n % 100 = 50 THEN 'ESCALATED' \
         WHEN seq.n % 3 = 0 THEN 'PUBLISHED' WHEN seq.n % 3 = 1 THEN 'HIDDEN' ELSE 'REMOVED' END"
    );
    // About three comments per commenter, whatever the size.
    let commenters = (size as i64 / 3).max(1);
    let insert = format!(
        "INSERT INTO comments (department_id, platform_id, post_id, external_id, author_handle, body, \
         received_at, status, verdict, findings, rule_codes, first_decision_at, created_at, screened_by) \
         SELECT t.department_id, t.platform_id, NULL, {ext}, {handle}, t.body, t.received_at, {status}, \
         t.verdict, t.findings, t.rule_codes, NULL, t.created_at, t.screened_by \
         FROM {seq} CROSS JOIN (SELECT * FROM comments WHERE external_id LIKE 'tpl-%' ORDER BY id) t \
         ORDER BY seq.n, t.id",
        ext = concat(
            &concat("'b-'", "CAST(seq.n AS TEXT)"),
            &concat("'-'", "CAST(t.id AS TEXT)")
        ),
        handle = concat(
            "'@c'",
            &format!("CAST((seq.n * 7 + t.id) % {commenters} AS TEXT)")
        ),
    );
    db.execute_unprepared(&insert).await.unwrap();
    // One comment in a thousand promotes a business (a rare rule).
    let rare = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT body, findings, rule_codes FROM comments WHERE external_id = 'rare'",
        ))
        .await
        .unwrap()
        .unwrap();
    let values: Vec<sea_orm::Value> = ["body", "findings", "rule_codes"]
        .iter()
        .map(|c| rare.try_get::<String>("", c).unwrap().into())
        .collect();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE comments SET body = $1, findings = $2, rule_codes = $3 WHERE external_id LIKE 'b-%' AND id % 1000 = 0"
        }
        _ => {
            "UPDATE comments SET body = ?, findings = ?, rule_codes = ? WHERE external_id LIKE 'b-%' AND id % 1000 = 0"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
    let decisions = format!(
        "INSERT INTO moderation_decisions (department_id, comment_id, action, rules, clauses, note, \
         public_reason, moderator_user_id, as_designee_of_user_id, reverses_decision_id, appeal_id, created_at) \
         SELECT department_id, id, CASE status WHEN 'PUBLISHED' THEN 'PUBLISH' WHEN 'HIDDEN' THEN 'HIDE' \
         WHEN 'REMOVED' THEN 'REMOVE' ELSE 'ESCALATE' END, '[]', '[]', NULL, NULL, {pio_user}, NULL, NULL, NULL, created_at \
         FROM comments WHERE external_id LIKE 'b-%' AND status <> 'PENDING'"
    );
    db.execute_unprepared(&decisions).await.unwrap();
    let codes = [
        "PPI_SSN",
        "PPI_NAME_ID",
        "PPI_FINANCIAL",
        "OBSCENE",
        "PERSONAL_ATTACK",
        "HATE_DISCRIMINATION",
        "THREAT_HARASSMENT",
        "INCITEMENT_ILLEGAL",
        "UNSUPPORTED_ACCUSATION",
        "RESTRICTED_TOPIC",
        "SECURITY_INFO",
        "ADVERTISING",
        "REPRESENTATION_CLAIM",
    ];
    for code in codes {
        let rules = format!(
            "INSERT INTO comment_rules (comment_id, rule_code, department_id, platform_id, status) \
             SELECT id, '{code}', department_id, platform_id, status FROM comments \
             WHERE external_id LIKE 'b-%' AND rule_codes LIKE '%,{code},%'"
        );
        db.execute_unprepared(&rules).await.unwrap();
    }
    if backend == DbBackend::Postgres {
        // What autovacuum would have done by the time a table holds a million rows.
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
}
