//! Reading and verifying a department's audit log (directors and PIOs of that department).

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::{Principal, permissions};
use crate::error::AppResult;
use crate::records::verify::{Verification, verify_chain};
use crate::state::AppState;

/// One page of events, newest first: (events, whether older ones exist).
pub async fn page(
    state: &AppState,
    p: &Principal,
    department_code: &str,
    first: u64,
    before_seq: Option<i64>,
) -> AppResult<(Vec<audit_event::Model>, bool)> {
    permissions::can_read_audit_log(p, department_code)?;
    let mut q = audit_event::Entity::find()
        .filter(audit_event::Column::ChainKey.eq(department_code))
        .order_by_desc(audit_event::Column::Seq);
    if let Some(seq) = before_seq {
        q = q.filter(audit_event::Column::Seq.lt(seq));
    }
    super::fetch_page(&state.db, q, first).await
}

/// Re-computes the department's chain.
pub async fn verify(state: &AppState, p: &Principal, department_code: &str) -> AppResult<Verification> {
    permissions::can_read_audit_log(p, department_code)?;
    verify_chain(&state.db, department_code).await
}
