use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_create_departments::Departments;
use super::m20261122_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Platforms {
    Table,
    Id,
    DepartmentId,
    Network,
    Handle,
    Url,
    Purposes,
    PurposeStatement,
    ScopeStatement,
    WebsiteLink,
    MaintainedByStatement,
    LogoUrl,
    ContactInfo,
    Status,
    StatusReason,
    Version,
    ProposedByUserId,
    TermsAcceptedByUserId,
    TermsAcceptedAt,
    TermsVersion,
    TermsUrl,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Platforms::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Platforms::Id))
                    .col(big_integer(Platforms::DepartmentId))
                    .col(string(Platforms::Network))
                    .col(string(Platforms::Handle))
                    .col(text(Platforms::Url))
                    .col(text(Platforms::Purposes))
                    .col(text(Platforms::PurposeStatement))
                    .col(text(Platforms::ScopeStatement))
                    .col(text(Platforms::WebsiteLink))
                    .col(text(Platforms::MaintainedByStatement))
                    .col(text(Platforms::LogoUrl))
                    .col(text(Platforms::ContactInfo))
                    .col(string(Platforms::Status))
                    .col(text_null(Platforms::StatusReason))
                    .col(integer(Platforms::Version))
                    .col(big_integer(Platforms::ProposedByUserId))
                    .col(big_integer_null(Platforms::TermsAcceptedByUserId))
                    .col(timestamp_with_time_zone_null(Platforms::TermsAcceptedAt))
                    .col(string_null(Platforms::TermsVersion))
                    .col(text_null(Platforms::TermsUrl))
                    .col(timestamp_with_time_zone(Platforms::CreatedAt))
                    .col(timestamp_with_time_zone(Platforms::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Platforms::Table, Platforms::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Platforms::Table, Platforms::ProposedByUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_platforms_department_status")
                    .table(Platforms::Table)
                    .col(Platforms::DepartmentId)
                    .col(Platforms::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Platforms::Table).to_owned())
            .await
    }
}
