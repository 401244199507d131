//! `AuditEvent` and `AuditVerification`.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::audit_event;

use super::user::User;
use super::user_by_id;
use crate::error::AppResult;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::scalars::Timestamp;

/// One event of the audit chain.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::AuditEvent, self.0.id)
    }

    /// Position in the department's chain.
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    /// What happened, e.g. `auth.login`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// `SUCCESS`, `FAILURE` or `DENIED`.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }

    /// Who acted.
    async fn actor(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.actor_user_id).await
    }

    /// Whose authority the actor used as designee.
    async fn on_behalf_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.on_behalf_of_user_id).await
    }

    /// Kind of record acted on.
    async fn subject_type(&self) -> Option<&str> {
        self.0.subject_type.as_deref()
    }

    /// Id of the record acted on.
    async fn subject_id(&self) -> Option<&str> {
        self.0.subject_id.as_deref()
    }

    /// When (UTC).
    async fn occurred_at(&self) -> Timestamp {
        Timestamp(self.0.occurred_at)
    }

    /// Request correlation id.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// Client address.
    async fn client_addr(&self) -> Option<&str> {
        self.0.client_addr.as_deref()
    }

    /// Extra facts as a JSON object text.
    async fn detail(&self) -> &str {
        &self.0.detail
    }

    /// Hash of the previous event.
    async fn prev_hash(&self) -> &str {
        &self.0.prev_hash
    }

    /// This event's hash.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
}

/// The result of re-computing a department's audit chain.
#[derive(SimpleObject)]
pub struct AuditVerification {
    /// True when every event links and the head matches.
    pub ok: bool,
    /// Events checked.
    pub checked: i64,
    /// First event that does not fit, if any.
    pub first_broken_id: Option<ID>,
    /// What is wrong, if anything.
    pub reason: Option<String>,
    /// Hash of the last event that links.
    pub head_hash: String,
}
