//! Per-request context: the caller, request metadata, shared state.

use async_graphql::Context;

use crate::auth::integration::Integration;
use crate::auth::{Actor, Principal, permissions};
use crate::error::{AppError, AppResult};
use crate::records::RequestMeta;
use crate::state::AppState;

/// What the HTTP layer resolved for this request.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    /// The authenticated caller, if any.
    pub principal: Option<Principal>,
    /// The integration behind an integration token, if that is how the request came.
    pub integration: Option<Integration>,
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

/// The signed-in caller; `FORBIDDEN` for an integration token (it is authenticated, but this
/// operation is for people), `UNAUTHENTICATED` without a token.
pub fn principal<'a>(ctx: &Context<'a>) -> AppResult<&'a Principal> {
    let r = request(ctx)?;
    if r.principal.is_none() && r.integration.is_some() {
        return Err(AppError::Forbidden(
            "this operation is for signed-in people; integration tokens cannot use it".into(),
        ));
    }
    permissions::require_user(r.principal.as_ref())
}

/// The person or integration behind the request, or `UNAUTHENTICATED`.
pub fn actor<'a>(ctx: &Context<'a>) -> AppResult<Actor<'a>> {
    let r = request(ctx)?;
    match (&r.principal, &r.integration) {
        (Some(p), _) => Ok(Actor::User(p)),
        (None, Some(i)) => Ok(Actor::Integration(i)),
        (None, None) => Err(AppError::Unauthenticated("sign in first".into())),
    }
}
