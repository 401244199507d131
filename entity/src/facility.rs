//! A facility, office, program or parole service of a department (IL 01.02.400 II.B).

use sea_orm::entity::prelude::*;

/// One row of `facilities`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "facilities")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning department.
    pub department_id: i64,
    /// Name, unique within the department.
    pub name: String,
    /// `FACILITY`, `OFFICE`, `PROGRAM` or `PAROLE_SERVICES`.
    pub kind: String,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
