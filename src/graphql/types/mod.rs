//! GraphQL object types; each wraps a model and exposes only what clients may see.

pub mod audit;
pub mod auth;
pub mod codes;
pub mod conduct;
pub mod department;
pub mod governance;
pub mod moderation;
pub mod node;
pub mod platform;
pub mod policy_rule;
pub mod posting;
pub mod records;
pub mod screening;
pub mod user;

use async_graphql::Context;

use super::loaders::RequestLoader;
use crate::error::{AppError, AppResult};

/// The request's loader.
pub(crate) fn loader<'a>(ctx: &Context<'a>) -> AppResult<&'a RequestLoader> {
    ctx.data::<RequestLoader>()
        .map_err(|_| AppError::from(anyhow::anyhow!("data loader missing from request")))
}

/// The user behind an optional id, through the request's loader.
pub(crate) async fn user_by_id(ctx: &Context<'_>, id: Option<i64>) -> AppResult<Option<user::User>> {
    let Some(id) = id else { return Ok(None) };
    Ok(loader(ctx)?
        .load_one(super::loaders::UserId(id))
        .await
        .map_err(load_failed)?
        .map(user::User))
}

/// Maps a failed batch load.
pub(crate) fn load_failed(e: super::loaders::LoadError) -> AppError {
    AppError::from(anyhow::anyhow!("batch load: {e}"))
}
