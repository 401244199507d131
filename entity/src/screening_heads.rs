//! Screening heads a department trained on its moderators' decisions; one may be selected.

use sea_orm::entity::prelude::*;

/// One row of `screening_heads`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "screening_heads")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Column `department_id`.
    pub department_id: i64,
    /// SHA-256 of the heads file (`sha256:…`).
    pub heads_hash: String,
    /// Hash of the model the heads were trained on.
    pub model_hash: String,
    /// The heads file (JSON).
    #[sea_orm(column_type = "Text")]
    pub heads: String,
    /// Training items (corpus and decisions).
    pub items: i64,
    /// Scores before and after on the evaluation set (JSON).
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// Whether the department screens with these heads.
    pub selected: bool,
    /// Column `created_at`.
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
