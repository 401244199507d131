//! The outbox: one delivery of one event to one webhook, written in the transaction of the change.

use sea_orm::entity::prelude::*;

/// One row of `webhook_deliveries`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `webhook_id`.
    pub webhook_id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `event`.
    pub event: String,
    /// Column `event_key`.
    pub event_key: String,
    /// Column `payload`.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// Column `status`.
    pub status: String,
    /// Column `attempts`.
    pub attempts: i32,
    /// Column `next_attempt_at`.
    pub next_attempt_at: DateTimeUtc,
    /// Column `last_status`.
    pub last_status: Option<i32>,
    /// Column `last_error`.
    #[sea_orm(column_type = "Text")]
    pub last_error: Option<String>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// Column `delivered_at`.
    pub delivered_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
