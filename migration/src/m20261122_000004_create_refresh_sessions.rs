use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefreshSessions {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RefreshSessions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(RefreshSessions::Id))
                    .col(big_integer(RefreshSessions::UserId))
                    .col(string(RefreshSessions::FamilyId))
                    .col(string_uniq(RefreshSessions::TokenHash))
                    .col(timestamp_with_time_zone(RefreshSessions::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshSessions::RotatedAt))
                    .col(timestamp_with_time_zone_null(RefreshSessions::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshSessions::Table, RefreshSessions::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_refresh_sessions_family", RefreshSessions::FamilyId),
            ("ix_refresh_sessions_user", RefreshSessions::UserId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RefreshSessions::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RefreshSessions::Table).to_owned())
            .await
    }
}
