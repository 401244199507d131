//! One version of a post's body, kept for records management (IL 01.02.400 II.G.1.e).

use sea_orm::entity::prelude::*;

/// One row of `post_versions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_versions")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `post_id`.
    pub post_id: i64,
    /// Column `version`.
    pub version: i32,
    /// Column `body`.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Column `created_by_user_id`.
    pub created_by_user_id: i64,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
