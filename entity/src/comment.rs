//! A public comment ingested from a platform, screened and queued (MT IV.A.2.c; IL 01.02.400 II.G.4.b).

use sea_orm::entity::prelude::*;

/// One row of `comments`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// Column `platform_id`.
    pub platform_id: i64,
    /// Column `post_id`.
    pub post_id: Option<i64>,
    /// Column `external_id`.
    pub external_id: String,
    /// Column `author_handle`.
    pub author_handle: String,
    /// Column `body`.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Column `received_at`.
    pub received_at: DateTimeUtc,
    /// Column `status`.
    pub status: String,
    /// Column `verdict`.
    pub verdict: String,
    /// Column `findings`.
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    /// Column `rule_codes`.
    #[sea_orm(column_type = "Text")]
    pub rule_codes: String,
    /// Column `first_decision_at`.
    pub first_decision_at: Option<DateTimeUtc>,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
    /// Column `screened_by`: provenance JSON of the screening (engine, model, heads).
    #[sea_orm(column_type = "Text", nullable)]
    pub screened_by: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
