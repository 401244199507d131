//! Sign-in mutations.

use async_graphql::{Context, Object};

use crate::config::Secret;
use crate::error::AppResult;
use crate::graphql::context::{request, state};
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::auth::AuthPayload;
use crate::graphql::types::user::User;
use crate::service::sessions::{self, Issued};

/// Sign-in operations.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in with e-mail and password. Every failure gives the same error.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> AppResult<AuthPayload> {
        let issued =
            sessions::login(state(ctx)?, &email, &Secret::new(password), &request(ctx)?.meta).await?;
        Ok(payload(issued))
    }

    /// Exchanges a refresh token for a new pair. The old token stops working; presenting it
    /// again revokes every token of the session.
    async fn refresh_session(&self, ctx: &Context<'_>, refresh_token: String) -> AppResult<AuthPayload> {
        let issued = sessions::refresh(state(ctx)?, &refresh_token, &request(ctx)?.meta).await?;
        Ok(payload(issued))
    }

    /// Ends the session of a refresh token, including its access tokens. False when the token
    /// was unknown or already ended.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> AppResult<bool> {
        sessions::logout(state(ctx)?, &refresh_token, &request(ctx)?.meta).await
    }
}

fn payload(i: Issued) -> AuthPayload {
    AuthPayload {
        access_token: i.access_token,
        refresh_token: i.refresh_token,
        expires_at: Timestamp(i.expires_at),
        user: User(i.user),
    }
}
