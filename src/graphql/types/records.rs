//! `LegalHold`.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use entity::legal_hold;

use super::user::User;
use super::user_by_id;
use crate::error::AppResult;
use crate::graphql::ids::{Kind, encode};
use crate::records::holds::Scope;

/// A legal hold (IL 01.02.400 II.G.1.e).
pub struct LegalHold(pub legal_hold::Model);

#[Object]
impl LegalHold {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::LegalHold, self.0.id)
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The legal matter.
    async fn matter(&self) -> &str {
        &self.0.matter
    }

    /// Platforms in scope (empty: all).
    async fn platform_ids(&self) -> Vec<ID> {
        Scope::of(&self.0)
            .platform_ids
            .into_iter()
            .map(|id| encode(Kind::Platform, id))
            .collect()
    }

    /// Employees in scope (empty: all).
    async fn user_ids(&self) -> Vec<ID> {
        Scope::of(&self.0)
            .user_ids
            .into_iter()
            .map(|id| encode(Kind::User, id))
            .collect()
    }

    /// Start of the period in scope.
    async fn from(&self) -> Option<DateTime<Utc>> {
        self.0.from_at
    }

    /// End of the period in scope.
    async fn to(&self) -> Option<DateTime<Utc>> {
        self.0.to_at
    }

    /// Who placed it.
    async fn placed_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.placed_by_user_id)).await
    }

    /// When.
    async fn placed_at(&self) -> DateTime<Utc> {
        self.0.placed_at
    }

    /// When released (null while active).
    async fn released_at(&self) -> Option<DateTime<Utc>> {
        self.0.released_at
    }
}

/// What a hold covers.
#[derive(InputObject)]
pub struct HoldScopeInput {
    /// Platforms (empty or absent: all).
    #[graphql(default)]
    pub platform_ids: Vec<ID>,
    /// Employees (empty or absent: all).
    #[graphql(default)]
    pub user_ids: Vec<ID>,
    /// Start of the period.
    pub from: Option<DateTime<Utc>>,
    /// End of the period.
    pub to: Option<DateTime<Utc>>,
}

/// A hold to place.
#[derive(InputObject)]
pub struct PlaceLegalHoldInput {
    /// Short name.
    pub name: String,
    /// The legal matter (case number, request).
    pub matter: String,
    /// What it covers.
    pub scope: HoldScopeInput,
}
