//! A bearer token of an integration (HR system, platform connector), scoped to a department
//! and one purpose. Only its hash is stored.

use sea_orm::entity::prelude::*;

/// One row of `integration_tokens`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration_tokens")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The department it acts for.
    pub department_id: i64,
    /// A name for people (e.g. "Facebook connector").
    pub name: String,
    /// `SCIM`, `INGEST` or `WEBHOOKS`.
    pub scope: String,
    /// SHA-256 (hex) of the token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last used.
    pub last_used_at: Option<DateTimeUtc>,
    /// When revoked.
    pub revoked_at: Option<DateTimeUtc>,
    /// The department (relation, not a column).
    #[sea_orm(belongs_to, from = "department_id", to = "id")]
    pub department: HasOne<super::department::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
