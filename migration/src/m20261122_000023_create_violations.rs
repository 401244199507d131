use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Violations {
    Table,
    Id,
    DepartmentId,
    UserId,
    RuleCodes,
    Subject,
    Description,
    RecordedByUserId,
    Status,
    Outcome,
    ResolutionNote,
    ResolvedByUserId,
    ResolvedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Violations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Violations::Id))
                    .col(big_integer(Violations::DepartmentId))
                    .col(big_integer(Violations::UserId))
                    .col(text(Violations::RuleCodes))
                    .col(text(Violations::Subject))
                    .col(text(Violations::Description))
                    .col(big_integer(Violations::RecordedByUserId))
                    .col(string(Violations::Status))
                    .col(string_null(Violations::Outcome))
                    .col(text_null(Violations::ResolutionNote))
                    .col(big_integer_null(Violations::ResolvedByUserId))
                    .col(timestamp_with_time_zone_null(Violations::ResolvedAt))
                    .col(timestamp_with_time_zone(Violations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_violations_user")
                    .table(Violations::Table)
                    .col(Violations::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_violations_department")
                    .table(Violations::Table)
                    .col(Violations::DepartmentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Violations::Table).to_owned())
            .await
    }
}
