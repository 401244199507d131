use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000007_create_platforms::Platforms;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlatformChangeRequests {
    Table,
    Id,
    PlatformId,
    DepartmentId,
    RequestedByUserId,
    Changes,
    Summary,
    Status,
    BaseVersion,
    Reason,
    DecidedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlatformChangeRequests::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PlatformChangeRequests::Id))
                    .col(big_integer(PlatformChangeRequests::PlatformId))
                    .col(big_integer(PlatformChangeRequests::DepartmentId))
                    .col(big_integer(PlatformChangeRequests::RequestedByUserId))
                    .col(text(PlatformChangeRequests::Changes))
                    .col(text(PlatformChangeRequests::Summary))
                    .col(string(PlatformChangeRequests::Status))
                    .col(integer(PlatformChangeRequests::BaseVersion))
                    .col(text_null(PlatformChangeRequests::Reason))
                    .col(timestamp_with_time_zone_null(PlatformChangeRequests::DecidedAt))
                    .col(timestamp_with_time_zone(PlatformChangeRequests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlatformChangeRequests::Table, PlatformChangeRequests::PlatformId)
                            .to(Platforms::Table, Platforms::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_platform_change_requests_platform")
                    .table(PlatformChangeRequests::Table)
                    .col(PlatformChangeRequests::PlatformId)
                    .col(PlatformChangeRequests::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlatformChangeRequests::Table).to_owned())
            .await
    }
}
