//! One rule a comment's screening found, kept beside the comment with the comment's department,
//! platform and status, so that an index serves the queue filtered by rule.

use sea_orm::entity::prelude::*;

/// One row of `comment_rules`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comment_rules")]
pub struct Model {
    /// The comment.
    #[sea_orm(primary_key, auto_increment = false)]
    pub comment_id: i64,
    /// A rule code its findings name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub rule_code: String,
    /// The comment's department.
    pub department_id: i64,
    /// The comment's platform.
    pub platform_id: i64,
    /// The comment's status, changed with it.
    pub status: String,
    /// The comment.
    #[sea_orm(belongs_to, from = "comment_id", to = "id")]
    pub comment: HasOne<super::comment::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
