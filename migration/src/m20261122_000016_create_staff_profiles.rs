use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffProfiles {
    Table,
    Id,
    DepartmentId,
    UserId,
    Network,
    Handle,
    PersonalEmail,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffProfiles::Table)
                    .if_not_exists()
                    .col(big_pk_auto(StaffProfiles::Id))
                    .col(big_integer(StaffProfiles::DepartmentId))
                    .col(big_integer(StaffProfiles::UserId))
                    .col(string(StaffProfiles::Network))
                    .col(string(StaffProfiles::Handle))
                    .col(string(StaffProfiles::PersonalEmail))
                    .col(timestamp_with_time_zone(StaffProfiles::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_staff_profiles_user_network_handle")
                    .table(StaffProfiles::Table)
                    .col(StaffProfiles::UserId)
                    .col(StaffProfiles::Network)
                    .col(StaffProfiles::Handle)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StaffProfiles::Table).to_owned())
            .await
    }
}
