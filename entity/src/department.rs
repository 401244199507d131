//! A department (tenant), created from its embedded policy profile.

use sea_orm::entity::prelude::*;

/// One row of `departments`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Profile code, e.g. `MT-DOC`.
    #[sea_orm(unique)]
    pub code: String,
    /// Display name.
    pub name: String,
    /// Host of the official website, e.g. `cor.mt.gov`.
    pub website_host: String,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
