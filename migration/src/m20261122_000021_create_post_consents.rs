use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostConsents {
    Table,
    Id,
    PostId,
    ConsentId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostConsents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PostConsents::Id))
                    .col(big_integer(PostConsents::PostId))
                    .col(big_integer(PostConsents::ConsentId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_post_consents")
                    .table(PostConsents::Table)
                    .col(PostConsents::PostId)
                    .col(PostConsents::ConsentId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_post_consents_consent")
                    .table(PostConsents::Table)
                    .col(PostConsents::ConsentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostConsents::Table).to_owned())
            .await
    }
}
