//! Consent of a person in custody or an employee to appear in media (IL 01.02.400 II.G.4.e).

use sea_orm::entity::prelude::*;

/// One row of `consents`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `subject_name`.
    #[sea_orm(column_type = "Text")]
    pub subject_name: String,
    /// Column `subject_kind`.
    pub subject_kind: String,
    /// Column `media_reference`.
    #[sea_orm(column_type = "Text")]
    pub media_reference: String,
    /// Column `granted_at`.
    pub granted_at: DateTimeUtc,
    /// Column `expires_at`.
    pub expires_at: Option<DateTimeUtc>,
    /// Column `document_reference`.
    #[sea_orm(column_type = "Text")]
    pub document_reference: String,
    /// Column `recorded_by_user_id`.
    pub recorded_by_user_id: i64,
    /// Column `revoked_at`.
    pub revoked_at: Option<DateTimeUtc>,
    /// Column `revoked_by_user_id`.
    pub revoked_by_user_id: Option<i64>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
