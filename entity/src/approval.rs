//! One approval filling one seat of a quorum.

use sea_orm::entity::prelude::*;

/// One row of `approvals`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approvals")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// `PLATFORM` or `PLATFORM_CHANGE`.
    pub subject_type: String,
    /// Id of the subject.
    pub subject_id: i64,
    /// Seat index in the profile's quorum.
    pub seat: i32,
    /// Who approved.
    pub approver_user_id: i64,
    /// Role whose seat was filled.
    pub approver_role: String,
    /// Whose authority was used, when acting as designee.
    pub as_designee_of_user_id: Option<i64>,
    /// Approver's note.
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    /// When.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
