//! Live moderation events for subscriptions, published only after their transaction committed.
//!
//! On SQLite (one process) events go through an in-process broadcast channel. On PostgreSQL they
//! go through `LISTEN/NOTIFY`: `publish` sends `pg_notify` and every instance's listener task
//! feeds its local channel, so a subscriber on one instance sees a decision made on another.
//! Delivery is best effort (a subscriber that falls behind skips events); the audit log and the
//! comment's decision history are the record.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// The PostgreSQL channel the instances share.
pub const CHANNEL: &str = "policy_admin_moderation";
/// Events buffered per subscriber before it starts skipping.
const BUFFER: usize = 1024;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// A comment arrived and was screened.
    CommentIngested,
    /// A moderator decided on a comment.
    CommentDecided,
    /// A commenter appealed a decision.
    AppealFiled,
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationEvent {
    /// What happened.
    pub kind: EventKind,
    /// Department concerned.
    pub department_id: i64,
    /// The comment.
    pub comment_id: i64,
    /// The decision, for `CommentDecided`.
    pub decision_id: Option<i64>,
    /// The appeal, for `AppealFiled`.
    pub appeal_id: Option<i64>,
    /// The comment's status after the event.
    pub status: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The bus of a process.
pub struct EventBus {
    local: broadcast::Sender<ModerationEvent>,
    postgres: Option<DatabaseConnection>,
}

impl EventBus {
    /// Starts the bus; on PostgreSQL also the listener task (reconnecting on failure).
    pub fn start(db: &DatabaseConnection, database_url: &str) -> Arc<Self> {
        let (local, _) = broadcast::channel(BUFFER);
        let postgres = (db.get_database_backend() == DbBackend::Postgres).then(|| db.clone());
        let bus = Arc::new(Self { local, postgres });
        if bus.postgres.is_some() {
            tokio::spawn(listen(bus.local.clone(), database_url.to_owned()));
        }
        bus
    }

    /// A new subscription to every event of this process.
    pub fn subscribe(&self) -> broadcast::Receiver<ModerationEvent> {
        self.local.subscribe()
    }

    /// Publishes committed events; failures are logged, never returned (the change is committed).
    pub async fn publish(&self, events: Vec<ModerationEvent>) {
        for ev in events {
            match &self.postgres {
                None => {
                    let _ = self.local.send(ev);
                }
                Some(db) => {
                    let Ok(payload) = serde_json::to_string(&ev) else {
                        continue;
                    };
                    let stmt = Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT pg_notify($1, $2)",
                        [CHANNEL.into(), payload.into()],
                    );
                    if let Err(e) = db.execute_raw(stmt).await {
                        tracing::warn!(error = %e, "publishing a moderation event failed");
                    }
                }
            }
        }
    }
}

async fn listen(local: broadcast::Sender<ModerationEvent>, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    let mut backoff = Duration::from_millis(200);
    loop {
        let attempt = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            loop {
                let n = listener.recv().await?;
                match serde_json::from_str::<ModerationEvent>(n.payload()) {
                    Ok(ev) => {
                        let _ = local.send(ev);
                    }
                    Err(e) => tracing::warn!(error = %e, "ignoring a malformed moderation event"),
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sea_orm::sqlx::Error>(())
        };
        if let Err(e) = attempt.await {
            tracing::warn!(error = %e, "moderation event listener stopped; reconnecting");
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}
