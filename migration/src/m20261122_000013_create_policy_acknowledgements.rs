use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PolicyAcknowledgements {
    Table,
    Id,
    UserId,
    DepartmentId,
    Version,
    AcknowledgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PolicyAcknowledgements::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PolicyAcknowledgements::Id))
                    .col(big_integer(PolicyAcknowledgements::UserId))
                    .col(big_integer(PolicyAcknowledgements::DepartmentId))
                    .col(string(PolicyAcknowledgements::Version))
                    .col(timestamp_with_time_zone(PolicyAcknowledgements::AcknowledgedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_policy_acknowledgements_user_version")
                    .table(PolicyAcknowledgements::Table)
                    .col(PolicyAcknowledgements::UserId)
                    .col(PolicyAcknowledgements::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PolicyAcknowledgements::Table).to_owned())
            .await
    }
}
