//! A moderation decision: action, rules, clauses, staff note, public reason, actor. Never erased.

use sea_orm::entity::prelude::*;

/// One row of `moderation_decisions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_decisions")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `comment_id`.
    pub comment_id: i64,
    /// Column `action`.
    pub action: String,
    /// Column `rules`.
    #[sea_orm(column_type = "Text")]
    pub rules: String,
    /// Column `clauses`.
    #[sea_orm(column_type = "Text")]
    pub clauses: String,
    /// Column `note`.
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    /// Column `public_reason`.
    #[sea_orm(column_type = "Text")]
    pub public_reason: Option<String>,
    /// Column `moderator_user_id`.
    pub moderator_user_id: i64,
    /// Column `as_designee_of_user_id`.
    pub as_designee_of_user_id: Option<i64>,
    /// Column `reverses_decision_id`.
    pub reverses_decision_id: Option<i64>,
    /// Column `appeal_id`.
    pub appeal_id: Option<i64>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// The comment (relation, not a column).
    #[sea_orm(belongs_to, from = "comment_id", to = "id")]
    pub comment: HasOne<super::comment::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
