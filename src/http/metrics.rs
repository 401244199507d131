//! `GET /metrics`: Prometheus text counters of this process.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use super::responses::error;

use crate::state::AppState;

/// Counters shared by the process.
#[derive(Default)]
pub struct Metrics {
    /// SQL statements executed.
    pub db_statements: AtomicU64,
    /// SQL statements that failed.
    pub db_statement_errors: AtomicU64,
    /// Time spent in SQL statements, microseconds.
    pub db_statement_micros: AtomicU64,
    /// GraphQL requests executed.
    pub graphql_requests: AtomicU64,
    /// GraphQL requests refused before execution.
    pub graphql_rejected: AtomicU64,
    /// Public comments ingested.
    pub comments_ingested: AtomicU64,
    /// Moderation decisions, by action: PUBLISH, HIDE, REMOVE, ESCALATE.
    pub decisions: [AtomicU64; 4],
    /// Decisions that reversed an earlier one.
    pub reversals: AtomicU64,
    /// Appeals filed.
    pub appeals: AtomicU64,
    /// Durations of executed GraphQL requests by operation.
    pub latencies: super::latency::Latencies,
}

impl Metrics {
    /// Installs a statement counter on a connection pool (before it is cloned).
    pub fn instrument(self: &Arc<Self>, db: &mut sea_orm::DatabaseConnection) {
        let m = Arc::clone(self);
        db.set_metric_callback(move |info| {
            m.db_statements.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                m.db_statement_errors.fetch_add(1, Ordering::Relaxed);
            }
            let micros = u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX);
            m.db_statement_micros.fetch_add(micros, Ordering::Relaxed);
        });
    }

    fn render(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, v: f64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}\n"
            ));
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(
            "policy_admin_db_statements_total",
            "SQL statements executed.",
            get(&self.db_statements) as f64,
        );
        counter(
            "policy_admin_db_statement_errors_total",
            "SQL statements that failed.",
            get(&self.db_statement_errors) as f64,
        );
        counter(
            "policy_admin_db_statement_seconds_total",
            "Time spent in SQL statements.",
            get(&self.db_statement_micros) as f64 / 1e6,
        );
        counter(
            "policy_admin_graphql_requests_total",
            "GraphQL requests executed.",
            get(&self.graphql_requests) as f64,
        );
        counter(
            "policy_admin_graphql_rejected_total",
            "GraphQL requests refused before execution.",
            get(&self.graphql_rejected) as f64,
        );
        counter(
            "policy_admin_comments_ingested_total",
            "Public comments ingested.",
            get(&self.comments_ingested) as f64,
        );
        out.push_str("# HELP policy_admin_moderation_decisions_total Moderation decisions by action.\n");
        out.push_str("# TYPE policy_admin_moderation_decisions_total counter\n");
        for (i, action) in ["PUBLISH", "HIDE", "REMOVE", "ESCALATE"].iter().enumerate() {
            let v = self.decisions[i].load(Ordering::Relaxed);
            out.push_str(&format!(
                "policy_admin_moderation_decisions_total{{action=\"{action}\"}} {v}\n"
            ));
        }
        out.push_str(&format!(
            "# HELP policy_admin_moderation_reversals_total Decisions that reversed an earlier one.\n# TYPE policy_admin_moderation_reversals_total counter\npolicy_admin_moderation_reversals_total {}\n",
            get(&self.reversals)
        ));
        out.push_str(&format!(
            "# HELP policy_admin_appeals_total Appeals filed.\n# TYPE policy_admin_appeals_total counter\npolicy_admin_appeals_total {}\n",
            get(&self.appeals)
        ));
        self.latencies.render(&mut out);
        super::latency::render_process(&mut out);
        out
    }
}

/// Serves the counters; with `POLICY_ADMIN_METRICS_TOKEN` set, only to a scraper that sends it
/// as a bearer token.
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Some(expected) = &state.config.metrics_token {
        let given = super::graphql::bearer(&req).ok().flatten().unwrap_or("");
        // Comparing digests keeps the comparison's time independent of the token.
        let digest = |t: &str| Sha256::digest(t.as_bytes());
        if digest(given) != digest(expected.expose()) {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "send the metrics token (POLICY_ADMIN_METRICS_TOKEN) as a bearer token",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            return r;
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
