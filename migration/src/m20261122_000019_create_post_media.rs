use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostMedia {
    Table,
    Id,
    PostId,
    MediaReference,
    Depicts,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostMedia::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PostMedia::Id))
                    .col(big_integer(PostMedia::PostId))
                    .col(text(PostMedia::MediaReference))
                    .col(text(PostMedia::Depicts))
                    .col(timestamp_with_time_zone(PostMedia::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_post_media_post")
                    .table(PostMedia::Table)
                    .col(PostMedia::PostId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostMedia::Table).to_owned())
            .await
    }
}
