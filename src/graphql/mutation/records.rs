//! Records mutations: legal holds.

use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::context::{principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::records::{CreateWebhookInput, LegalHold, PlaceLegalHoldInput, Webhook};
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
            from: input.scope.from.map(|t| t.0),
            to: input.scope.to.map(|t| t.0),
        };
        let r = holds::place(&st.db, p, &input.name, &input.matter, scope, meta).await;
        audited(&st.db, p, "legal_hold.place", None, meta, r)
            .await
            .map(LegalHold)
    }

    /// Registers a webhook (a director): signed deliveries of the chosen events, retried.
    async fn create_webhook(&self, ctx: &Context<'_>, input: CreateWebhookInput) -> AppResult<Webhook> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let allow = st.config.webhook_allow_http_loopback;
        let r =
            crate::records::webhooks::create(&st.db, p, allow, &input.url, input.events, &input.secret, meta)
                .await;
        audited(&st.db, p, "webhook.create", None, meta, r)
            .await
            .map(Webhook)
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
