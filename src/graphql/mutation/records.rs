//! Records mutations: legal holds.

use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::context::{principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::records::{LegalHold, PlaceLegalHoldInput};
use crate::records::holds::{self, Scope};
use crate::service::refusals::audited;

/// Records write operations.
#[derive(Default)]
pub struct RecordsMutation;

#[Object]
impl RecordsMutation {
    /// Places a legal hold (a director): records in scope are not purged or edited.
    async fn place_legal_hold(&self, ctx: &Context<'_>, input: PlaceLegalHoldInput) -> AppResult<LegalHold> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let scope = Scope {
            platform_ids: input
                .scope
                .platform_ids
                .iter()
                .map(|x| ids::decode(x, Kind::Platform))
                .collect::<AppResult<_>>()?,
            user_ids: input
                .scope
                .user_ids
                .iter()
                .map(|x| ids::decode(x, Kind::User))
                .collect::<AppResult<_>>()?,
            from: input.scope.from,
            to: input.scope.to,
        };
        let r = holds::place(&st.db, p, &input.name, &input.matter, scope, meta).await;
        audited(&st.db, p, "legal_hold.place", None, meta, r)
            .await
            .map(LegalHold)
    }

    /// Releases a legal hold (a director).
    async fn release_legal_hold(&self, ctx: &Context<'_>, id: ID) -> AppResult<LegalHold> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::LegalHold)?;
        let r = holds::release(&st.db, p, id, meta).await;
        audited(&st.db, p, "legal_hold.release", Some(("LegalHold", id)), meta, r)
            .await
            .map(LegalHold)
    }
}
