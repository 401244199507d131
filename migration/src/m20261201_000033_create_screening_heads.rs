//! Heads a department trained on its own moderators' decisions (`policy-admin screening train
//! --department CODE --include-decisions`); at most one per department is `selected`, and the
//! server screens that department's texts with it instead of the shipped heads.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScreeningHeads {
    Table,
    Id,
    DepartmentId,
    HeadsHash,
    ModelHash,
    Heads,
    Items,
    Summary,
    Selected,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScreeningHeads::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ScreeningHeads::Id))
                    .col(big_integer(ScreeningHeads::DepartmentId))
                    .col(string(ScreeningHeads::HeadsHash))
                    .col(string(ScreeningHeads::ModelHash))
                    .col(text(ScreeningHeads::Heads))
                    .col(big_integer(ScreeningHeads::Items))
                    .col(text(ScreeningHeads::Summary))
                    .col(boolean(ScreeningHeads::Selected).default(false))
                    .col(timestamp_with_time_zone(ScreeningHeads::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_screening_heads_department_hash")
                    .table(ScreeningHeads::Table)
                    .col(ScreeningHeads::DepartmentId)
                    .col(ScreeningHeads::HeadsHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScreeningHeads::Table).to_owned())
            .await
    }
}
