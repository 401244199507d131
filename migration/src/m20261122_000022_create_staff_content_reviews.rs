use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffContentReviews {
    Table,
    Id,
    DepartmentId,
    StaffUserId,
    ReviewerUserId,
    ContentReference,
    Outcome,
    Note,
    Findings,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffContentReviews::Table)
                    .if_not_exists()
                    .col(big_pk_auto(StaffContentReviews::Id))
                    .col(big_integer(StaffContentReviews::DepartmentId))
                    .col(big_integer(StaffContentReviews::StaffUserId))
                    .col(big_integer(StaffContentReviews::ReviewerUserId))
                    .col(text(StaffContentReviews::ContentReference))
                    .col(string(StaffContentReviews::Outcome))
                    .col(text(StaffContentReviews::Note))
                    .col(text(StaffContentReviews::Findings))
                    .col(timestamp_with_time_zone(StaffContentReviews::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_content_reviews_staff")
                    .table(StaffContentReviews::Table)
                    .col(StaffContentReviews::StaffUserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StaffContentReviews::Table).to_owned())
            .await
    }
}
