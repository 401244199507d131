use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IntegrationTokens {
    Table,
    Id,
    DepartmentId,
    Name,
    Scope,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IntegrationTokens::Table)
                    .if_not_exists()
                    .col(big_pk_auto(IntegrationTokens::Id))
                    .col(big_integer(IntegrationTokens::DepartmentId))
                    .col(string(IntegrationTokens::Name))
                    .col(string(IntegrationTokens::Scope))
                    .col(string_uniq(IntegrationTokens::TokenHash))
                    .col(timestamp_with_time_zone(IntegrationTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(IntegrationTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(IntegrationTokens::RevokedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IntegrationTokens::Table).to_owned())
            .await
    }
}
