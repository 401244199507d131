use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FacilityReviews {
    Table,
    Id,
    FacilityId,
    DepartmentId,
    ReviewerUserId,
    AsDesigneeOfUserId,
    ReviewedOn,
    Findings,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FacilityReviews::Table)
                    .if_not_exists()
                    .col(big_pk_auto(FacilityReviews::Id))
                    .col(big_integer(FacilityReviews::FacilityId))
                    .col(big_integer(FacilityReviews::DepartmentId))
                    .col(big_integer(FacilityReviews::ReviewerUserId))
                    .col(big_integer_null(FacilityReviews::AsDesigneeOfUserId))
                    .col(date(FacilityReviews::ReviewedOn))
                    .col(text(FacilityReviews::Findings))
                    .col(timestamp_with_time_zone(FacilityReviews::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_facility_reviews_facility")
                    .table(FacilityReviews::Table)
                    .col(FacilityReviews::FacilityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FacilityReviews::Table).to_owned())
            .await
    }
}
