//! Official content for a platform (IL 01.02.400 II.G.3-G.5, MT IV.A.4).

use sea_orm::entity::prelude::*;

/// One row of `posts`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `platform_id`.
    pub platform_id: i64,
    /// Column `author_user_id`.
    pub author_user_id: i64,
    /// Column `status`.
    pub status: String,
    /// Column `body`.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Column `version`.
    pub version: i32,
    /// Column `verdict`.
    pub verdict: Option<String>,
    /// Column `findings`.
    #[sea_orm(column_type = "Text")]
    pub findings: Option<String>,
    /// Column `external_url`.
    #[sea_orm(column_type = "Text")]
    pub external_url: Option<String>,
    /// Column `submitted_at`.
    pub submitted_at: Option<DateTimeUtc>,
    /// Column `published_at`.
    pub published_at: Option<DateTimeUtc>,
    /// Column `published_by_user_id`.
    pub published_by_user_id: Option<i64>,
    /// Column `removed_at`.
    pub removed_at: Option<DateTimeUtc>,
    /// Column `status_reason`.
    #[sea_orm(column_type = "Text")]
    pub status_reason: Option<String>,
    /// Column `consent_flag`.
    #[sea_orm(column_type = "Text")]
    pub consent_flag: Option<String>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// Column `updated_at`.
    pub updated_at: DateTimeUtc,
    /// Column `screened_by`: provenance JSON of the screening (engine, model, heads).
    #[sea_orm(column_type = "Text", nullable)]
    pub screened_by: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
