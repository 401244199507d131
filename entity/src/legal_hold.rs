//! A legal hold (IL 01.02.400 II.G.1.e): records in its scope cannot be purged or edited until
//! it is released.

use sea_orm::entity::prelude::*;

/// One row of `legal_holds`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_holds")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Short name.
    pub name: String,
    /// The legal matter (case number, request).
    #[sea_orm(column_type = "Text")]
    pub matter: String,
    /// Platforms in scope, JSON array (empty: every platform).
    #[sea_orm(column_type = "Text")]
    pub platform_ids: String,
    /// Employees in scope, JSON array (empty: everyone).
    #[sea_orm(column_type = "Text")]
    pub user_ids: String,
    /// Start of the period in scope, if bounded.
    pub from_at: Option<DateTimeUtc>,
    /// End of the period in scope, if bounded.
    pub to_at: Option<DateTimeUtc>,
    /// Who placed it.
    pub placed_by_user_id: i64,
    /// When.
    pub placed_at: DateTimeUtc,
    /// Who released it.
    pub released_by_user_id: Option<i64>,
    /// When released.
    pub released_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
