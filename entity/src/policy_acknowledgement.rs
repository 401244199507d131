//! An employee's acknowledgement of a directive version (IL 01.02.400 II.F.1).

use sea_orm::entity::prelude::*;

/// One row of `policy_acknowledgements`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_acknowledgements")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The employee.
    pub user_id: i64,
    /// Their department.
    pub department_id: i64,
    /// Directive version acknowledged.
    pub version: String,
    /// When.
    pub acknowledged_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
