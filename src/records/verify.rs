//! Re-computing a chain: finds an edited, deleted, inserted or truncated event.

use entity::{audit_chain, audit_event};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::chain::{EventFields, GENESIS, link_hash};
use crate::error::AppResult;

/// Rows read per round trip while verifying.
const PAGE: u64 = 2_000;

/// The result of checking one chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// True when every event links and the head matches.
    pub ok: bool,
    /// Events checked.
    pub checked: i64,
    /// The first event that does not fit, if one does not.
    pub first_broken_id: Option<i64>,
    /// What is wrong, for people.
    pub reason: Option<String>,
    /// Hash of the last event checked.
    pub head_hash: String,
}

/// Checks every event of a chain against its predecessor and the stored head.
pub async fn verify_chain<C: ConnectionTrait>(db: &C, chain_key: &str) -> AppResult<Verification> {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1_i64;
    let mut checked = 0_i64;
    let mut last_seq = 0_i64;
    let broken = |id: i64, checked: i64, prev: String, reason: String| Verification {
        ok: false,
        checked,
        first_broken_id: Some(id),
        reason: Some(reason),
        head_hash: prev,
    };
    loop {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::ChainKey.eq(chain_key))
            .filter(audit_event::Column::Seq.gt(last_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let n = rows.len();
        for e in rows {
            checked += 1;
            if e.seq != expected_seq {
                let why = format!(
                    "sequence jumps from {} to {} (an event was removed or inserted)",
                    expected_seq - 1,
                    e.seq
                );
                return Ok(broken(e.id, checked, prev, why));
            }
            if e.prev_hash != prev {
                return Ok(broken(
                    e.id,
                    checked,
                    prev,
                    "does not link to its predecessor".into(),
                ));
            }
            let fields = EventFields {
                chain_key: &e.chain_key,
                seq: e.seq,
                department_id: e.department_id,
                actor_user_id: e.actor_user_id,
                on_behalf_of_user_id: e.on_behalf_of_user_id,
                action: &e.action,
                outcome: &e.outcome,
                subject_type: e.subject_type.as_deref(),
                subject_id: e.subject_id.as_deref(),
                occurred_at: e.occurred_at,
                request_id: e.request_id.as_deref(),
                client_addr: e.client_addr.as_deref(),
                detail: &e.detail,
            };
            if link_hash(&prev, &fields) != e.hash {
                return Ok(broken(
                    e.id,
                    checked,
                    prev,
                    "content does not match its hash (edited)".into(),
                ));
            }
            prev = e.hash;
            last_seq = e.seq;
            expected_seq += 1;
        }
        if (n as u64) < PAGE {
            break;
        }
    }
    let head = audit_chain::Entity::find_by_id(chain_key.to_owned())
        .one(db)
        .await?;
    let (head_seq, head_hash) = head
        .map(|h| (h.seq, h.head_hash))
        .unwrap_or((0, GENESIS.to_owned()));
    if head_seq != last_seq || head_hash != prev {
        return Ok(Verification {
            ok: false,
            checked,
            first_broken_id: None,
            reason: Some(format!(
                "the chain head records {head_seq} events but {last_seq} link (events at the end were removed)"
            )),
            head_hash: prev,
        });
    }
    Ok(Verification {
        ok: true,
        checked,
        first_broken_id: None,
        reason: None,
        head_hash: prev,
    })
}
