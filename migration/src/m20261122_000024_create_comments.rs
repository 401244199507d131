use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    DepartmentId,
    PlatformId,
    PostId,
    ExternalId,
    AuthorHandle,
    Body,
    ReceivedAt,
    Status,
    Verdict,
    Findings,
    RuleCodes,
    FirstDecisionAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Comments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Comments::Id))
                    .col(big_integer(Comments::DepartmentId))
                    .col(big_integer(Comments::PlatformId))
                    .col(big_integer_null(Comments::PostId))
                    .col(string(Comments::ExternalId))
                    .col(string(Comments::AuthorHandle))
                    .col(text(Comments::Body))
                    .col(timestamp_with_time_zone(Comments::ReceivedAt))
                    .col(string(Comments::Status))
                    .col(string(Comments::Verdict))
                    .col(text(Comments::Findings))
                    .col(text(Comments::RuleCodes))
                    .col(timestamp_with_time_zone_null(Comments::FirstDecisionAt))
                    .col(timestamp_with_time_zone(Comments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_comments_platform_external")
                    .table(Comments::Table)
                    .col(Comments::PlatformId)
                    .col(Comments::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comments_department_status")
                    .table(Comments::Table)
                    .col(Comments::DepartmentId)
                    .col(Comments::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comments_platform_author")
                    .table(Comments::Table)
                    .col(Comments::PlatformId)
                    .col(Comments::AuthorHandle)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Comments::Table).to_owned())
            .await
    }
}
