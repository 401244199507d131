//! Auditing refused attempts: a denied mutation leaves a DENIED event of its own, because the
//! transaction of the attempt itself is rolled back.

use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::auth::Actor;
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// Passes `result` through; when it is a FORBIDDEN refusal, records a DENIED event first.
pub async fn audited<'a, T>(
    db: &DatabaseConnection,
    actor: impl Into<Actor<'a>>,
    action: &'static str,
    subject: Option<(&'static str, i64)>,
    meta: &RequestMeta,
    result: AppResult<T>,
) -> AppResult<T> {
    if let Err(AppError::Forbidden(reason)) = &result {
        let actor = actor.into();
        let mut ev = NewEvent::department(
            actor.department_code(),
            actor.department_id(),
            action,
            Outcome::Denied,
        )
        .detail(json!({ "reason": reason }));
        ev.actor_user_id = actor.user_id();
        if let Some((kind, id)) = subject {
            ev = ev.subject(kind, id);
        }
        let txn = begin_write(db).await?;
        audit::append(&txn, meta, ev).await?;
        txn.commit().await?;
    }
    result
}
