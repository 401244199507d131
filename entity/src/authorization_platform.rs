//! A platform named in a posting authorization (IL 01.02.400 II.G.5.b).

use sea_orm::entity::prelude::*;

/// One row of `authorization_platforms`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorization_platforms")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `authorization_id`.
    pub authorization_id: i64,
    /// Column `platform_id`.
    pub platform_id: i64,
}

impl ActiveModelBehavior for ActiveModel {}
