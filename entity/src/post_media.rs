//! A media item of a post and whom it depicts (IL 01.02.400 II.G.4.e, II.G.5.e).

use sea_orm::entity::prelude::*;

/// One row of `post_media`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_media")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `post_id`.
    pub post_id: i64,
    /// Column `media_reference`.
    #[sea_orm(column_type = "Text")]
    pub media_reference: String,
    /// Column `depicts`.
    #[sea_orm(column_type = "Text")]
    pub depicts: String,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
