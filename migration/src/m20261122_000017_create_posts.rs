use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    DepartmentId,
    PlatformId,
    AuthorUserId,
    Status,
    Body,
    Version,
    Verdict,
    Findings,
    ExternalUrl,
    SubmittedAt,
    PublishedAt,
    PublishedByUserId,
    RemovedAt,
    StatusReason,
    ConsentFlag,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Posts::Id))
                    .col(big_integer(Posts::DepartmentId))
                    .col(big_integer(Posts::PlatformId))
                    .col(big_integer(Posts::AuthorUserId))
                    .col(string(Posts::Status))
                    .col(text(Posts::Body))
                    .col(integer(Posts::Version))
                    .col(string_null(Posts::Verdict))
                    .col(text_null(Posts::Findings))
                    .col(text_null(Posts::ExternalUrl))
                    .col(timestamp_with_time_zone_null(Posts::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Posts::PublishedAt))
                    .col(big_integer_null(Posts::PublishedByUserId))
                    .col(timestamp_with_time_zone_null(Posts::RemovedAt))
                    .col(text_null(Posts::StatusReason))
                    .col(text_null(Posts::ConsentFlag))
                    .col(timestamp_with_time_zone(Posts::CreatedAt))
                    .col(timestamp_with_time_zone(Posts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_posts_department_status")
                    .table(Posts::Table)
                    .col(Posts::DepartmentId)
                    .col(Posts::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_posts_platform")
                    .table(Posts::Table)
                    .col(Posts::PlatformId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Posts::Table).to_owned())
            .await
    }
}
