//! A consent a post relied on when it was published.

use sea_orm::entity::prelude::*;

/// One row of `post_consents`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_consents")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `post_id`.
    pub post_id: i64,
    /// Column `consent_id`.
    pub consent_id: i64,
}

impl ActiveModelBehavior for ActiveModel {}
