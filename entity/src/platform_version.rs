//! One version of a platform's declared content, kept for the record.

use sea_orm::entity::prelude::*;

/// One row of `platform_versions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "platform_versions")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The platform.
    pub platform_id: i64,
    /// Version number.
    pub version: i32,
    /// JSON of the declared fields at this version.
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    /// The change request that produced it, if any.
    pub change_request_id: Option<i64>,
    /// Who caused it.
    pub created_by_user_id: i64,
    /// When it took effect.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
