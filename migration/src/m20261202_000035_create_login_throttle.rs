//! Login attempt counters shared by every instance on the database: one row per throttled key
//! (the SHA-256 of an account or a client address), with the start of its window in Unix
//! milliseconds and the attempts counted in it.

use sea_orm_migration::{prelude::*, schema::*};

/// The migration.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    KeyHash,
    WindowStartMs,
    Attempts,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .if_not_exists()
                    .col(string(LoginThrottle::KeyHash).primary_key())
                    .col(big_integer(LoginThrottle::WindowStartMs))
                    .col(integer(LoginThrottle::Attempts))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await
    }
}
