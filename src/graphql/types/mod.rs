//! GraphQL object types; each wraps a model and exposes only what clients may see.

pub mod audit;
pub mod auth;
pub mod department;
pub mod node;
pub mod policy_rule;
pub mod user;

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;

use super::loaders::DbLoader;
use crate::error::{AppError, AppResult};

/// The request's loader.
pub(crate) fn loader<'a>(ctx: &Context<'a>) -> AppResult<&'a DataLoader<DbLoader>> {
    ctx.data::<DataLoader<DbLoader>>()
        .map_err(|_| AppError::from(anyhow::anyhow!("data loader missing from request")))
}

/// Maps a failed batch load.
pub(crate) fn load_failed(e: super::loaders::LoadError) -> AppError {
    AppError::from(anyhow::anyhow!("batch load: {e}"))
}
