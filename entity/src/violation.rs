//! A finding against an employee (IL 01.02.400 II.G.6).

use sea_orm::entity::prelude::*;

/// One row of `violations`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "violations")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `user_id`.
    pub user_id: i64,
    /// Column `rule_codes`.
    #[sea_orm(column_type = "Text")]
    pub rule_codes: String,
    /// Column `subject`.
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// Column `description`.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Column `recorded_by_user_id`.
    pub recorded_by_user_id: i64,
    /// Column `status`.
    pub status: String,
    /// Column `outcome`.
    pub outcome: Option<String>,
    /// Column `resolution_note`.
    #[sea_orm(column_type = "Text")]
    pub resolution_note: Option<String>,
    /// Column `resolved_by_user_id`.
    pub resolved_by_user_id: Option<i64>,
    /// Column `resolved_at`.
    pub resolved_at: Option<DateTimeUtc>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
