//! `AuthPayload`: what login and refresh return.

use async_graphql::SimpleObject;

use super::user::User;
use crate::graphql::scalars::Timestamp;

/// A new token pair.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Bearer token for the `Authorization` header (short-lived).
    pub access_token: String,
    /// Single-use token for `refreshSession`; keep it secret.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: Timestamp,
    /// The signed-in user.
    pub user: User,
}
