//! A written posting authorization for a specified period (IL 01.02.400 II.G.5.a).

use sea_orm::entity::prelude::*;

/// One row of `posting_authorizations`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posting_authorizations")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `user_id`.
    pub user_id: i64,
    /// Column `granted_by_user_id`.
    pub granted_by_user_id: i64,
    /// Column `as_designee_of_user_id`.
    pub as_designee_of_user_id: Option<i64>,
    /// Column `valid_from`.
    pub valid_from: DateTimeUtc,
    /// Column `valid_until`.
    pub valid_until: DateTimeUtc,
    /// Column `approval_reference`.
    #[sea_orm(column_type = "Text")]
    pub approval_reference: String,
    /// Column `renewed_from_id`.
    pub renewed_from_id: Option<i64>,
    /// Column `revoked_at`.
    pub revoked_at: Option<DateTimeUtc>,
    /// Column `revoked_by_user_id`.
    pub revoked_by_user_id: Option<i64>,
    /// Column `revoke_reason`.
    #[sea_orm(column_type = "Text")]
    pub revoke_reason: Option<String>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
