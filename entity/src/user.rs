//! An employee who can sign in.

use sea_orm::entity::prelude::*;

/// One row of `users`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Department the employee belongs to.
    pub department_id: i64,
    /// Lower-cased sign-in address, unique.
    #[sea_orm(unique)]
    pub email: String,
    /// Display name.
    pub name: String,
    /// `DIRECTOR`, `PIO` or `STAFF`.
    pub role: String,
    /// `FULL_TIME`, `PART_TIME`, `CONDITIONAL`, `TEMPORARY` or `CONTRACTUAL` (IL 01.02.400 II.E).
    pub employment_type: String,
    /// `ACTIVE`, `SUSPENDED` or `SEPARATED`.
    pub status: String,
    /// Argon2id PHC string; `None` for accounts that cannot sign in with a password.
    pub password_hash: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
    /// The department (relation, not a column).
    #[sea_orm(belongs_to, from = "department_id", to = "id")]
    pub department: HasOne<super::department::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
