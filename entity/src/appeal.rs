//! A commenter's appeal against a decision, decided by someone other than the original moderator.

use sea_orm::entity::prelude::*;

/// One row of `appeals`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeals")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `comment_id`.
    pub comment_id: i64,
    /// Column `decision_id`.
    pub decision_id: i64,
    /// Column `text`.
    #[sea_orm(column_type = "Text")]
    pub text: String,
    /// Column `status`.
    pub status: String,
    /// Column `filed_by_user_id`.
    pub filed_by_user_id: Option<i64>,
    /// Column `decided_by_user_id`.
    pub decided_by_user_id: Option<i64>,
    /// Column `decision_note`.
    #[sea_orm(column_type = "Text")]
    pub decision_note: Option<String>,
    /// Column `decided_at`.
    pub decided_at: Option<DateTimeUtc>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
