//! An append-only, hash-chained audit event.

use sea_orm::entity::prelude::*;

/// One row of `audit_events`. Rows are inserted, never updated or deleted.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The chain this event belongs to.
    pub chain_key: String,
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// Department concerned, if any.
    pub department_id: Option<i64>,
    /// Who acted, if known.
    pub actor_user_id: Option<i64>,
    /// Whose authority the actor used (designee of), if not their own.
    pub on_behalf_of_user_id: Option<i64>,
    /// What happened, e.g. `auth.login`.
    pub action: String,
    /// `SUCCESS`, `FAILURE` or `DENIED`.
    pub outcome: String,
    /// Kind of the record acted on.
    pub subject_type: Option<String>,
    /// Id of the record acted on.
    pub subject_id: Option<String>,
    /// When it happened (UTC, microsecond precision).
    pub occurred_at: DateTimeUtc,
    /// Request correlation id.
    pub request_id: Option<String>,
    /// Client address, when the event came over HTTP.
    pub client_addr: Option<String>,
    /// Extra facts as a JSON object; never passwords, tokens or PPI.
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    /// Hash of the previous event of the chain.
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and the canonical encoding of this event.
    pub hash: String,
}

impl ActiveModelBehavior for ActiveModel {}
