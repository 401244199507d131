//! A PIO's outcome for an employee's personal content brought to them (MT IV.B.3).

use sea_orm::entity::prelude::*;

/// One row of `staff_content_reviews`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_content_reviews")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `staff_user_id`.
    pub staff_user_id: i64,
    /// Column `reviewer_user_id`.
    pub reviewer_user_id: i64,
    /// Column `content_reference`.
    #[sea_orm(column_type = "Text")]
    pub content_reference: String,
    /// Column `outcome`.
    pub outcome: String,
    /// Column `note`.
    #[sea_orm(column_type = "Text")]
    pub note: String,
    /// Column `findings`.
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// Column `screened_by`: provenance JSON of the screening (engine, model, heads).
    #[sea_orm(column_type = "Text", nullable)]
    pub screened_by: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
