//! Per-request context: the caller, request metadata, shared state.

use async_graphql::Context;

use crate::auth::{Principal, permissions};
use crate::error::{AppError, AppResult};
use crate::records::RequestMeta;
use crate::state::AppState;

/// What the HTTP layer resolved for this request.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    /// The authenticated caller, if any.
    pub principal: Option<Principal>,
    /// Correlation id and client address.
    pub meta: RequestMeta,
}

/// Shared state.
pub fn state<'a>(ctx: &Context<'a>) -> AppResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::from(anyhow::anyhow!("application state missing from schema")))
}

/// Request context.
pub fn request<'a>(ctx: &Context<'a>) -> AppResult<&'a RequestCtx> {
    ctx.data::<RequestCtx>()
        .map_err(|_| AppError::from(anyhow::anyhow!("request context missing")))
}

/// The signed-in caller, or `UNAUTHENTICATED`.
pub fn principal<'a>(ctx: &Context<'a>) -> AppResult<&'a Principal> {
    permissions::require_user(request(ctx)?.principal.as_ref())
}
