//! `LegalHold`.

use async_graphql::{Context, ID, InputObject, Object};
use entity::legal_hold;

use super::user::User;
use super::user_by_id;
use crate::error::AppResult;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::scalars::Timestamp;
use crate::records::holds::Scope;

/// A legal hold (IL 01.02.400 II.G.1.e).
pub struct LegalHold(pub legal_hold::Model);

#[Object]
impl LegalHold {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::LegalHold, self.0.id)
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The legal matter.
    async fn matter(&self) -> &str {
        &self.0.matter
    }

    /// Platforms in scope (empty: all).
    async fn platform_ids(&self) -> Vec<ID> {
        Scope::of(&self.0)
            .platform_ids
            .into_iter()
            .map(|id| encode(Kind::Platform, id))
            .collect()
    }

    /// Employees in scope (empty: all).
    async fn user_ids(&self) -> Vec<ID> {
        Scope::of(&self.0)
            .user_ids
            .into_iter()
            .map(|id| encode(Kind::User, id))
            .collect()
    }

    /// Start of the period in scope.
    async fn from(&self) -> Option<Timestamp> {
        self.0.from_at.map(Timestamp)
    }

    /// End of the period in scope.
    async fn to(&self) -> Option<Timestamp> {
        self.0.to_at.map(Timestamp)
    }

    /// Who placed it.
    async fn placed_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.placed_by_user_id)).await
    }

    /// When.
    async fn placed_at(&self) -> Timestamp {
        Timestamp(self.0.placed_at)
    }

    /// When released (null while active).
    async fn released_at(&self) -> Option<Timestamp> {
        self.0.released_at.map(Timestamp)
    }
}

/// What a hold covers.
#[derive(InputObject)]
pub struct HoldScopeInput {
    /// Platforms (empty or absent: all).
    #[graphql(default)]
    pub platform_ids: Vec<ID>,
    /// Employees (empty or absent: all).
    #[graphql(default)]
    pub user_ids: Vec<ID>,
    /// Start of the period.
    pub from: Option<Timestamp>,
    /// End of the period.
    pub to: Option<Timestamp>,
}

/// A hold to place.
#[derive(InputObject)]
pub struct PlaceLegalHoldInput {
    /// Short name.
    pub name: String,
    /// The legal matter (case number, request).
    pub matter: String,
    /// What it covers.
    pub scope: HoldScopeInput,
}

/// A webhook (the secret is never shown again).
pub struct Webhook(pub entity::webhook::Model);

#[Object]
impl Webhook {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Webhook, self.0.id)
    }

    /// The number this webhook had as its `id` before webhooks were nodes.
    #[graphql(deprecation = "use id (a global ID); removed in the next version")]
    async fn webhook_id(&self) -> i64 {
        self.0.id
    }

    /// Receiver URL.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// Subscribed events.
    async fn events(&self) -> Vec<String> {
        serde_json::from_str(&self.0.events).unwrap_or_default()
    }

    /// When created.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// The latest deliveries, newest first.
    async fn deliveries(&self, ctx: &Context<'_>) -> AppResult<Vec<WebhookDelivery>> {
        let db = &crate::graphql::context::state(ctx)?.db;
        Ok(crate::records::webhooks::deliveries(db, self.0.id)
            .await?
            .into_iter()
            .map(WebhookDelivery)
            .collect())
    }
}

/// One delivery of one event.
pub struct WebhookDelivery(pub entity::webhook_delivery::Model);

#[Object]
impl WebhookDelivery {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::WebhookDelivery, self.0.id)
    }

    /// The delivery's number, sent as `X-Delivery-Id` (the receiver's idempotency key).
    async fn delivery_id(&self) -> i64 {
        self.0.id
    }

    /// Event name.
    async fn event(&self) -> &str {
        &self.0.event
    }

    /// Where it stands.
    async fn status(&self) -> AppResult<crate::graphql::types::codes::DeliveryStatus> {
        crate::graphql::types::codes::known(
            crate::graphql::types::codes::DeliveryStatus::parse,
            "webhook delivery",
            self.0.id,
            &self.0.status,
        )
    }

    /// Attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// HTTP status of the last attempt.
    async fn last_status(&self) -> Option<i32> {
        self.0.last_status
    }

    /// Error of the last attempt.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When enqueued.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When delivered.
    async fn delivered_at(&self) -> Option<Timestamp> {
        self.0.delivered_at.map(Timestamp)
    }
}

/// A webhook to register.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// Receiver URL (https).
    pub url: String,
    /// Events to receive.
    pub events: Vec<String>,
    /// Shared secret for `X-Signature` (16-256 bytes).
    pub secret: String,
}
