//! A designation of a person to act for another (IL 01.02.400 II.D).

use sea_orm::entity::prelude::*;

/// One row of `delegations`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delegations")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Who delegates.
    pub from_user_id: i64,
    /// The designee.
    pub to_user_id: i64,
    /// Delegated responsibilities, JSON array.
    #[sea_orm(column_type = "Text")]
    pub responsibilities: String,
    /// Start.
    pub valid_from: DateTimeUtc,
    /// End (exclusive).
    pub valid_until: DateTimeUtc,
    /// Why.
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// When revoked.
    pub revoked_at: Option<DateTimeUtc>,
    /// Who revoked.
    pub revoked_by_user_id: Option<i64>,
    /// When created.
    pub created_at: DateTimeUtc,
    /// The delegator (relation, not a column).
    #[sea_orm(belongs_to, from = "from_user_id", to = "id")]
    pub from_user: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
