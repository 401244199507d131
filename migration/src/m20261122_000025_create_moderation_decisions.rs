use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ModerationDecisions {
    Table,
    Id,
    DepartmentId,
    CommentId,
    Action,
    Rules,
    Clauses,
    Note,
    PublicReason,
    ModeratorUserId,
    AsDesigneeOfUserId,
    ReversesDecisionId,
    AppealId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ModerationDecisions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ModerationDecisions::Id))
                    .col(big_integer(ModerationDecisions::DepartmentId))
                    .col(big_integer(ModerationDecisions::CommentId))
                    .col(string(ModerationDecisions::Action))
                    .col(text(ModerationDecisions::Rules))
                    .col(text(ModerationDecisions::Clauses))
                    .col(text_null(ModerationDecisions::Note))
                    .col(text_null(ModerationDecisions::PublicReason))
                    .col(big_integer(ModerationDecisions::ModeratorUserId))
                    .col(big_integer_null(ModerationDecisions::AsDesigneeOfUserId))
                    .col(big_integer_null(ModerationDecisions::ReversesDecisionId))
                    .col(big_integer_null(ModerationDecisions::AppealId))
                    .col(timestamp_with_time_zone(ModerationDecisions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_moderation_decisions_comment")
                    .table(ModerationDecisions::Table)
                    .col(ModerationDecisions::CommentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_moderation_decisions_department")
                    .table(ModerationDecisions::Table)
                    .col(ModerationDecisions::DepartmentId)
                    .col(ModerationDecisions::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ModerationDecisions::Table).to_owned())
            .await
    }
}
