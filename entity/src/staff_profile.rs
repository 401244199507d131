//! A personal profile an employee uses on duty, with a personal e-mail (MT IV.B.1).

use sea_orm::entity::prelude::*;

/// One row of `staff_profiles`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_profiles")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `user_id`.
    pub user_id: i64,
    /// Column `network`.
    pub network: String,
    /// Column `handle`.
    pub handle: String,
    /// Column `personal_email`.
    pub personal_email: String,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
