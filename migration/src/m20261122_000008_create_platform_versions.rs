use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000007_create_platforms::Platforms;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlatformVersions {
    Table,
    Id,
    PlatformId,
    Version,
    Snapshot,
    ChangeRequestId,
    CreatedByUserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlatformVersions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PlatformVersions::Id))
                    .col(big_integer(PlatformVersions::PlatformId))
                    .col(integer(PlatformVersions::Version))
                    .col(text(PlatformVersions::Snapshot))
                    .col(big_integer_null(PlatformVersions::ChangeRequestId))
                    .col(big_integer(PlatformVersions::CreatedByUserId))
                    .col(timestamp_with_time_zone(PlatformVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlatformVersions::Table, PlatformVersions::PlatformId)
                            .to(Platforms::Table, Platforms::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_platform_versions_platform_version")
                    .table(PlatformVersions::Table)
                    .col(PlatformVersions::PlatformId)
                    .col(PlatformVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlatformVersions::Table).to_owned())
            .await
    }
}
