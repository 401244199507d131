use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuthorizationPlatforms {
    Table,
    Id,
    AuthorizationId,
    PlatformId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuthorizationPlatforms::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuthorizationPlatforms::Id))
                    .col(big_integer(AuthorizationPlatforms::AuthorizationId))
                    .col(big_integer(AuthorizationPlatforms::PlatformId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_authorization_platforms")
                    .table(AuthorizationPlatforms::Table)
                    .col(AuthorizationPlatforms::AuthorizationId)
                    .col(AuthorizationPlatforms::PlatformId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_authorization_platforms_platform")
                    .table(AuthorizationPlatforms::Table)
                    .col(AuthorizationPlatforms::PlatformId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuthorizationPlatforms::Table).to_owned())
            .await
    }
}
