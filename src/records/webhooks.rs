//! Signed webhooks through a transactional outbox.
//!
//! A change that others must hear about writes its deliveries in its own transaction
//! ([`enqueue`]); a worker in every instance claims due deliveries with a conditional update (so
//! one instance sends each attempt), POSTs them with an HMAC-SHA256 signature over
//! `timestamp.body`, and retries failures with exponential backoff. Deliveries survive restarts
//! (they are rows) and are at-least-once; `X-Delivery-Id` is the idempotency key. Redirects are
//! never followed, so a receiver cannot bounce a delivery to a private address.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{posting_authorization, webhook, webhook_delivery};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::auth::{Principal, Role, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// Every event a webhook may subscribe to.
pub const EVENTS: [&str; 11] = [
    "violation.recorded",
    "violation.resolved",
    "authorization.granted",
    "authorization.expiring",
    "authorization.expired",
    "authorization.revoked",
    "platform.approved",
    "platform.suspended",
    "comment.decided",
    "post.published",
    "webhook.test",
];
/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 10;
/// How long a claimed attempt is reserved for its sender.
const LEASE: i64 = 60;

/// The signature header value: hex HMAC-SHA256 of `timestamp.body`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Registers a webhook (a director).
pub async fn create(
    db: &DatabaseConnection,
    p: &Principal,
    allow_http_loopback: bool,
    url: &str,
    events: Vec<String>,
    secret: &str,
    meta: &RequestMeta,
) -> AppResult<webhook::Model> {
    if p.role != Role::Director {
        return Err(AppError::forbidden_by(
            "only a director registers webhooks",
            "IL 01.02.400 II.G.6",
        ));
    }
    super::outbound::check_url(url.trim(), allow_http_loopback)
        .await
        .map_err(AppError::BadUserInput)?;
    if events.is_empty() {
        return Err(AppError::BadUserInput("subscribe to at least one event".into()));
    }
    if let Some(bad) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(AppError::BadUserInput(format!(
            "unknown event {bad}; known: {}",
            EVENTS.join(", ")
        )));
    }
    if secret.len() < 16 || secret.len() > 256 {
        return Err(AppError::BadUserInput(
            "the secret must have 16 to 256 bytes".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let row = webhook::ActiveModel {
        department_id: Set(p.department_id),
        url: Set(url.trim().to_owned()),
        events: Set(json!(events).to_string()),
        secret: Set(secret.to_owned()),
        created_by_user_id: Set(p.user_id),
        created_at: Set(Utc::now()),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "webhook.created",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Webhook", row.id)
    .detail(json!({ "url": row.url, "events": events }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Writes one delivery per subscribed webhook of the department, in the caller's transaction.
/// `key` makes the event idempotent per webhook (a repeat is ignored).
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    department_id: i64,
    event: &str,
    key: &str,
    data: Value,
) -> AppResult<()> {
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::DepartmentId.eq(department_id))
        .filter(webhook::Column::DisabledAt.is_null())
        .all(db)
        .await?;
    let now = Utc::now();
    for h in hooks {
        let events: Vec<String> = serde_json::from_str(&h.events).unwrap_or_default();
        if !events.iter().any(|e| e == event) {
            continue;
        }
        let id = uuid::Uuid::new_v4().to_string();
        let payload = json!({ "id": id, "event": event, "occurred_at": now, "data": data });
        let row = webhook_delivery::ActiveModel {
            webhook_id: Set(h.id),
            department_id: Set(department_id),
            event: Set(event.to_owned()),
            event_key: Set(key.to_owned()),
            payload: Set(payload.to_string()),
            status: Set("PENDING".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
            ..Default::default()
        };
        webhook_delivery::Entity::insert(row)
            .on_conflict_do_nothing_on([
                webhook_delivery::Column::WebhookId,
                webhook_delivery::Column::EventKey,
            ])
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Webhooks of the department (directors).
pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
) -> AppResult<Vec<webhook::Model>> {
    permissions::require_own_department(p, department_code)?;
    if p.role != Role::Director {
        return Err(AppError::Forbidden("webhooks are managed by the director".into()));
    }
    Ok(webhook::Entity::find()
        .filter(webhook::Column::DepartmentId.eq(p.department_id))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?)
}

/// The delivery history of a webhook, newest first.
pub async fn deliveries(db: &DatabaseConnection, webhook_id: i64) -> AppResult<Vec<webhook_delivery::Model>> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}

/// Starts the delivery worker of this instance; `expiring_days` ahead it announces
/// authorizations about to end.
pub fn start_worker(db: DatabaseConnection, expiring_days: u32, allow_loopback: bool) {
    tokio::spawn(async move {
        let client = match super::outbound::client(allow_loopback) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "webhook worker cannot start");
                return;
            }
        };
        let mut ticks = 0u64;
        loop {
            if ticks.is_multiple_of(60)
                && let Err(e) = announce_authorizations(&db, expiring_days).await
            {
                tracing::warn!(error = e.describe(), "authorization announcements failed");
            }
            if let Err(e) = deliver_due(&db, &client, allow_loopback).await {
                tracing::warn!(error = e.describe(), "webhook delivery round failed");
            }
            ticks += 1;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

/// Enqueues `authorization.expiring` (once) for live authorizations ending within the window,
/// and `authorization.expired` (once) for those that ended.
async fn announce_authorizations(db: &DatabaseConnection, days: u32) -> AppResult<()> {
    let now = Utc::now();
    let soon = posting_authorization::Entity::find()
        .filter(posting_authorization::Column::RevokedAt.is_null())
        .filter(posting_authorization::Column::ValidUntil.lte(now + chrono::Duration::days(days.into())))
        .filter(posting_authorization::Column::ValidUntil.gt(now - chrono::Duration::days(7)))
        .all(db)
        .await?;
    for a in soon {
        let (event, key) = if a.valid_until <= now {
            ("authorization.expired", format!("authorization.expired:{}", a.id))
        } else {
            (
                "authorization.expiring",
                format!("authorization.expiring:{}", a.id),
            )
        };
        let data = json!({ "authorization_id": a.id, "user_id": a.user_id, "valid_until": a.valid_until });
        enqueue(db, a.department_id, event, &key, data).await?;
    }
    Ok(())
}

async fn deliver_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    allow_loopback: bool,
) -> AppResult<()> {
    let now = Utc::now();
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq("PENDING"))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    for d in due {
        let claimed = webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(now + chrono::Duration::seconds(LEASE)),
            )
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .filter(webhook_delivery::Column::Status.eq("PENDING"))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue;
        }
        let Some(hook) = webhook::Entity::find_by_id(d.webhook_id).one(db).await? else {
            continue;
        };
        // Names are checked by the client's resolver; address literals here.
        let (status, error) = match super::outbound::literal_refused(&hook.url, allow_loopback) {
            None => send(client, &hook, &d).await,
            Some(refused) => (None, Some(refused)),
        };
        record_attempt(db, &d, status, error, Utc::now()).await?;
    }
    Ok(())
}

async fn send(
    client: &reqwest::Client,
    hook: &webhook::Model,
    d: &webhook_delivery::Model,
) -> (Option<u16>, Option<String>) {
    let ts = Utc::now().timestamp();
    let body = d.payload.clone().into_bytes();
    let result = client
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("x-delivery-id", d.id.to_string())
        .header("x-event", d.event.clone())
        .header("x-timestamp", ts.to_string())
        .header("x-signature", sign(&hook.secret, ts, &body))
        .body(body)
        .send()
        .await;
    match result {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
        Ok(r) => (
            Some(r.status().as_u16()),
            Some(format!("receiver answered {}", r.status())),
        ),
        Err(e) => (None, Some(e.to_string())),
    }
}

async fn record_attempt(
    db: &DatabaseConnection,
    d: &webhook_delivery::Model,
    status: Option<u16>,
    error: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let attempts = d.attempts + 1;
    let (state, next) = match (&error, attempts >= MAX_ATTEMPTS) {
        (None, _) => ("DELIVERED", now),
        (Some(_), true) => ("FAILED", now),
        (Some(_), false) => (
            "PENDING",
            now + chrono::Duration::seconds(1i64 << attempts.min(12)),
        ),
    };
    let mut q = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(state))
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(next))
        .col_expr(
            webhook_delivery::Column::LastStatus,
            Expr::value(status.map(i32::from)),
        )
        .col_expr(webhook_delivery::Column::LastError, Expr::value(error))
        .filter(webhook_delivery::Column::Id.eq(d.id));
    if state == "DELIVERED" {
        q = q.col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now));
    }
    q.exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_timestamp_and_body() {
        let a = sign("0123456789abcdef", 1, b"{}");
        assert!(a.starts_with("sha256="));
        assert_ne!(a, sign("0123456789abcdef", 2, b"{}"));
        assert_ne!(a, sign("0123456789abcdef", 1, b"{ }"));
        assert_ne!(a, sign("fedcba9876543210", 1, b"{}"));
    }
}
