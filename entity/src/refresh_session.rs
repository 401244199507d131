//! One refresh token of a sign-in session; rotation links tokens into a family.

use sea_orm::entity::prelude::*;

/// One row of `refresh_sessions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_sessions")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The signed-in user.
    pub user_id: i64,
    /// Every token issued from one login shares this id; reuse revokes them all.
    pub family_id: String,
    /// SHA-256 (hex) of the token; the token itself is never stored.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When the token was issued.
    pub created_at: DateTimeUtc,
    /// When the token stops working.
    pub expires_at: DateTimeUtc,
    /// Set when the token was exchanged for its successor.
    pub rotated_at: Option<DateTimeUtc>,
    /// Set when the family was revoked (logout, reuse, separation).
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
