//! People mutations: the director assigns roles, suspends and reinstates employees of the
//! department. Refusals are audited as DENIED.

use async_graphql::{Context, ID, Object};

use crate::auth::Role;
use crate::error::AppResult;
use crate::graphql::context::{principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::user::User;
use crate::service::people;
use crate::service::refusals::audited;

/// People write operations.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Gives an employee of the director's department a role (director only; never leaves the
    /// department without a director). Takes effect on the employee's next request.
    async fn assign_role(&self, ctx: &Context<'_>, user_id: ID, role: Role) -> AppResult<User> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&user_id, Kind::User)?;
        let r = people::assign_role(&st.db, &st.sessions, p, id, role, meta).await;
        audited(&st.db, p, "user.assign_role", Some(("User", id)), meta, r)
            .await
            .map(User)
    }

    /// Suspends an employee (director only): they cannot sign in and their sessions end at
    /// once, until reinstated.
    async fn suspend_employee(&self, ctx: &Context<'_>, user_id: ID, reason: String) -> AppResult<User> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&user_id, Kind::User)?;
        let r = people::set_suspended(&st.db, &st.sessions, p, id, true, &reason, meta).await;
        audited(&st.db, p, "user.suspend", Some(("User", id)), meta, r)
            .await
            .map(User)
    }

    /// Lets a suspended employee sign in again (director only).
    async fn reinstate_employee(&self, ctx: &Context<'_>, user_id: ID, reason: String) -> AppResult<User> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&user_id, Kind::User)?;
        let r = people::set_suspended(&st.db, &st.sessions, p, id, false, &reason, meta).await;
        audited(&st.db, p, "user.reinstate", Some(("User", id)), meta, r)
            .await
            .map(User)
    }
}
