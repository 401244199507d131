//! A review of the directive at a facility (IL 01.02.400 II.C).

use sea_orm::entity::prelude::*;

/// One row of `facility_reviews`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "facility_reviews")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The facility.
    pub facility_id: i64,
    /// Its department.
    pub department_id: i64,
    /// Who recorded it.
    pub reviewer_user_id: i64,
    /// Whose authority was used, when acting as designee.
    pub as_designee_of_user_id: Option<i64>,
    /// Date of the review.
    pub reviewed_on: Date,
    /// Findings.
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    /// When recorded.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
