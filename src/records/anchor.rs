//! Audit anchors: the head hash of a chain, printed to be kept outside the database, and the
//! later check that the chain still contains it (so a truncated or rewritten tail shows).

use entity::{audit_chain, audit_event};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::verify::verify_chain;
use crate::error::AppResult;

/// The head of one chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Chain key (department code or `_SYSTEM`).
    pub chain_key: String,
    /// Events in the chain.
    pub seq: i64,
    /// Hash of the last event.
    pub hash: String,
}

/// Heads of every chain, or of one.
pub async fn heads<C: ConnectionTrait>(db: &C, chain_key: Option<&str>) -> AppResult<Vec<Head>> {
    let mut q = audit_chain::Entity::find().order_by_asc(audit_chain::Column::ChainKey);
    if let Some(k) = chain_key {
        q = q.filter(audit_chain::Column::ChainKey.eq(k));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|c| Head {
            chain_key: c.chain_key,
            seq: c.seq,
            hash: c.head_hash,
        })
        .collect())
}

/// The result of checking an anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The chain verifies and its head is the anchor.
    Unchanged,
    /// The chain verifies and contains the anchor; this many events were appended since.
    Grown(i64),
    /// The chain does not verify; the reason.
    Broken(String),
    /// The chain verifies but no longer contains the anchor: it was truncated or rewritten.
    Missing,
}

/// Checks that the chain verifies and still contains the event whose hash is `expected`.
pub async fn check<C: ConnectionTrait>(db: &C, chain_key: &str, expected: &str) -> AppResult<AnchorCheck> {
    let v = verify_chain(db, chain_key).await?;
    if !v.ok {
        return Ok(AnchorCheck::Broken(
            v.reason.unwrap_or_else(|| "the chain does not verify".into()),
        ));
    }
    let anchored = audit_event::Entity::find()
        .filter(audit_event::Column::ChainKey.eq(chain_key))
        .filter(audit_event::Column::Hash.eq(expected))
        .one(db)
        .await?;
    Ok(match anchored {
        None => AnchorCheck::Missing,
        Some(_) if v.head_hash == expected => AnchorCheck::Unchanged,
        Some(e) => AnchorCheck::Grown(v.checked - e.seq),
    })
}
