use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_create_departments::Departments;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Facilities {
    Table,
    Id,
    DepartmentId,
    Name,
    Kind,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Facilities::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Facilities::Id))
                    .col(big_integer(Facilities::DepartmentId))
                    .col(string(Facilities::Name))
                    .col(string(Facilities::Kind))
                    .col(timestamp_with_time_zone(Facilities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Facilities::Table, Facilities::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_facilities_department_name")
                    .table(Facilities::Table)
                    .col(Facilities::DepartmentId)
                    .col(Facilities::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Facilities::Table).to_owned())
            .await
    }
}
