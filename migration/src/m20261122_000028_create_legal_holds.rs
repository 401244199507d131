use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LegalHolds {
    Table,
    Id,
    DepartmentId,
    Name,
    Matter,
    PlatformIds,
    UserIds,
    FromAt,
    ToAt,
    PlacedByUserId,
    PlacedAt,
    ReleasedByUserId,
    ReleasedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LegalHolds::Table)
                    .if_not_exists()
                    .col(big_pk_auto(LegalHolds::Id))
                    .col(big_integer(LegalHolds::DepartmentId))
                    .col(string(LegalHolds::Name))
                    .col(text(LegalHolds::Matter))
                    .col(text(LegalHolds::PlatformIds))
                    .col(text(LegalHolds::UserIds))
                    .col(timestamp_with_time_zone_null(LegalHolds::FromAt))
                    .col(timestamp_with_time_zone_null(LegalHolds::ToAt))
                    .col(big_integer(LegalHolds::PlacedByUserId))
                    .col(timestamp_with_time_zone(LegalHolds::PlacedAt))
                    .col(big_integer_null(LegalHolds::ReleasedByUserId))
                    .col(timestamp_with_time_zone_null(LegalHolds::ReleasedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LegalHolds::Table).to_owned())
            .await
    }
}
