//! The head of one hash chain of audit events (one per department, plus `_SYSTEM`).

use sea_orm::entity::prelude::*;

/// One row of `audit_chains`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_chains")]
pub struct Model {
    /// Department code, or `_SYSTEM` for events that belong to no department.
    #[sea_orm(primary_key, auto_increment = false)]
    pub chain_key: String,
    /// Sequence number of the last event appended.
    pub seq: i64,
    /// Hash of the last event appended (64 hex zeros before the first).
    pub head_hash: String,
}

impl ActiveModelBehavior for ActiveModel {}
