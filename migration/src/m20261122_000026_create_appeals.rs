use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Appeals {
    Table,
    Id,
    DepartmentId,
    CommentId,
    DecisionId,
    Text,
    Status,
    FiledByUserId,
    DecidedByUserId,
    DecisionNote,
    DecidedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Appeals::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Appeals::Id))
                    .col(big_integer(Appeals::DepartmentId))
                    .col(big_integer(Appeals::CommentId))
                    .col(big_integer(Appeals::DecisionId))
                    .col(text(Appeals::Text))
                    .col(string(Appeals::Status))
                    .col(big_integer_null(Appeals::FiledByUserId))
                    .col(big_integer_null(Appeals::DecidedByUserId))
                    .col(text_null(Appeals::DecisionNote))
                    .col(timestamp_with_time_zone_null(Appeals::DecidedAt))
                    .col(timestamp_with_time_zone(Appeals::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_appeals_comment")
                    .table(Appeals::Table)
                    .col(Appeals::CommentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Appeals::Table).to_owned())
            .await
    }
}
