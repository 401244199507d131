//! Reading and verifying a department's audit log (directors and PIOs of that department).

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::{Principal, permissions};
use crate::error::AppResult;
use crate::records::verify::{Verification, verify_chain};
use crate::service::paging::{Direction, Page, Window};
use crate::state::AppState;

/// One page of events, newest first: (events, whether older ones exist).
pub async fn page(
    state: &AppState,
    p: &Principal,
    department_code: &str,
    window: Window,
) -> AppResult<Page<audit_event::Model>> {
    permissions::can_read_audit_log(p, department_code)?;
    let q = audit_event::Entity::find().filter(audit_event::Column::ChainKey.eq(department_code));
    crate::service::paging::fetch(
        &state.db,
        q,
        audit_event::Column::Seq,
        Direction::Descending,
        window,
    )
    .await
}

/// Re-computes the department's chain.
pub async fn verify(state: &AppState, p: &Principal, department_code: &str) -> AppResult<Verification> {
    permissions::can_read_audit_log(p, department_code)?;
    verify_chain(&state.db, department_code).await
}
