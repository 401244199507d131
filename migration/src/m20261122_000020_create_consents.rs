use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Consents {
    Table,
    Id,
    DepartmentId,
    SubjectName,
    SubjectKind,
    MediaReference,
    GrantedAt,
    ExpiresAt,
    DocumentReference,
    RecordedByUserId,
    RevokedAt,
    RevokedByUserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Consents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Consents::Id))
                    .col(big_integer(Consents::DepartmentId))
                    .col(text(Consents::SubjectName))
                    .col(string(Consents::SubjectKind))
                    .col(text(Consents::MediaReference))
                    .col(timestamp_with_time_zone(Consents::GrantedAt))
                    .col(timestamp_with_time_zone_null(Consents::ExpiresAt))
                    .col(text(Consents::DocumentReference))
                    .col(big_integer(Consents::RecordedByUserId))
                    .col(timestamp_with_time_zone_null(Consents::RevokedAt))
                    .col(big_integer_null(Consents::RevokedByUserId))
                    .col(timestamp_with_time_zone(Consents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_consents_department")
                    .table(Consents::Table)
                    .col(Consents::DepartmentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Consents::Table).to_owned())
            .await
    }
}
