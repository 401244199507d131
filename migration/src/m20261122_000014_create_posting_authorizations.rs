use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostingAuthorizations {
    Table,
    Id,
    DepartmentId,
    UserId,
    GrantedByUserId,
    AsDesigneeOfUserId,
    ValidFrom,
    ValidUntil,
    ApprovalReference,
    RenewedFromId,
    RevokedAt,
    RevokedByUserId,
    RevokeReason,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostingAuthorizations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PostingAuthorizations::Id))
                    .col(big_integer(PostingAuthorizations::DepartmentId))
                    .col(big_integer(PostingAuthorizations::UserId))
                    .col(big_integer(PostingAuthorizations::GrantedByUserId))
                    .col(big_integer_null(PostingAuthorizations::AsDesigneeOfUserId))
                    .col(timestamp_with_time_zone(PostingAuthorizations::ValidFrom))
                    .col(timestamp_with_time_zone(PostingAuthorizations::ValidUntil))
                    .col(text(PostingAuthorizations::ApprovalReference))
                    .col(big_integer_null(PostingAuthorizations::RenewedFromId))
                    .col(timestamp_with_time_zone_null(PostingAuthorizations::RevokedAt))
                    .col(big_integer_null(PostingAuthorizations::RevokedByUserId))
                    .col(text_null(PostingAuthorizations::RevokeReason))
                    .col(timestamp_with_time_zone(PostingAuthorizations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_posting_authorizations_user")
                    .table(PostingAuthorizations::Table)
                    .col(PostingAuthorizations::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_posting_authorizations_department")
                    .table(PostingAuthorizations::Table)
                    .col(PostingAuthorizations::DepartmentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostingAuthorizations::Table).to_owned())
            .await
    }
}
