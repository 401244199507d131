use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Delegations {
    Table,
    Id,
    DepartmentId,
    FromUserId,
    ToUserId,
    Responsibilities,
    ValidFrom,
    ValidUntil,
    Reason,
    RevokedAt,
    RevokedByUserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Delegations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Delegations::Id))
                    .col(big_integer(Delegations::DepartmentId))
                    .col(big_integer(Delegations::FromUserId))
                    .col(big_integer(Delegations::ToUserId))
                    .col(text(Delegations::Responsibilities))
                    .col(timestamp_with_time_zone(Delegations::ValidFrom))
                    .col(timestamp_with_time_zone(Delegations::ValidUntil))
                    .col(text(Delegations::Reason))
                    .col(timestamp_with_time_zone_null(Delegations::RevokedAt))
                    .col(big_integer_null(Delegations::RevokedByUserId))
                    .col(timestamp_with_time_zone(Delegations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_delegations_to_user")
                    .table(Delegations::Table)
                    .col(Delegations::ToUserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Delegations::Table).to_owned())
            .await
    }
}
