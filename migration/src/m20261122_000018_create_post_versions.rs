use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostVersions {
    Table,
    Id,
    PostId,
    Version,
    Body,
    CreatedByUserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostVersions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PostVersions::Id))
                    .col(big_integer(PostVersions::PostId))
                    .col(integer(PostVersions::Version))
                    .col(text(PostVersions::Body))
                    .col(big_integer(PostVersions::CreatedByUserId))
                    .col(timestamp_with_time_zone(PostVersions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_post_versions_post_version")
                    .table(PostVersions::Table)
                    .col(PostVersions::PostId)
                    .col(PostVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostVersions::Table).to_owned())
            .await
    }
}
