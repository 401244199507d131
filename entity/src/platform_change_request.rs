//! A requested modification or expansion of an approved platform (MT IV.A.2.b).

use sea_orm::entity::prelude::*;

/// One row of `platform_change_requests`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "platform_change_requests")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The platform.
    pub platform_id: i64,
    /// Its department.
    pub department_id: i64,
    /// Who asked.
    pub requested_by_user_id: i64,
    /// JSON object of the fields to change.
    #[sea_orm(column_type = "Text")]
    pub changes: String,
    /// Why, in the requester's words.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// `PENDING`, `APPROVED` or `REJECTED`.
    pub status: String,
    /// Platform version the request was made against.
    pub base_version: i32,
    /// Rejection reason.
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    /// When decided.
    pub decided_at: Option<DateTimeUtc>,
    /// When requested.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
