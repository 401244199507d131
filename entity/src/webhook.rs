//! A webhook of a department: where signed event notifications go.

use sea_orm::entity::prelude::*;

/// One row of `webhooks`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `url`.
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// Column `events`.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    /// Column `secret`.
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    /// Column `created_by_user_id`.
    pub created_by_user_id: i64,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// Column `disabled_at`.
    pub disabled_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
