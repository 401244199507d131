//! HR provisioning (SCIM) attributes of `users`: the HR user name, the HR system's own id,
//! name parts, every e-mail HR reports, the enterprise extension's employee number and
//! organisational unit, and when HR deleted the account (it stays, separated, for the record).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Provisioning {
    UserName,
    UserNameKey,
    ExternalId,
    DisplayName,
    GivenName,
    FamilyName,
    FormattedName,
    Emails,
    EmployeeNumber,
    OrgUnit,
    DeprovisionedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let columns = [
            string(Provisioning::UserName).default("").to_owned(),
            string_null(Provisioning::UserNameKey),
            string_null(Provisioning::ExternalId),
            text_null(Provisioning::DisplayName),
            text_null(Provisioning::GivenName),
            text_null(Provisioning::FamilyName),
            text_null(Provisioning::FormattedName),
            text_null(Provisioning::Emails),
            string_null(Provisioning::EmployeeNumber),
            text_null(Provisioning::OrgUnit),
            timestamp_with_time_zone_null(Provisioning::DeprovisionedAt),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Accounts made before provisioning sign in with their e-mail: that is their user name.
        manager
            .exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(Provisioning::UserName, Expr::col(Users::Email))
                    .value(Provisioning::UserNameKey, Expr::col(Users::Email))
                    .value(Provisioning::DisplayName, Expr::col(Users::Name))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_user_name_key")
                    .table(Users::Table)
                    .col(Provisioning::UserNameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_users_external_id")
                    .table(Users::Table)
                    .col(Users::DepartmentId)
                    .col(Provisioning::ExternalId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["ix_users_external_id", "ux_users_user_name_key"] {
            manager
                .drop_index(Index::drop().name(index).table(Users::Table).to_owned())
                .await?;
        }
        for column in [
            Provisioning::DeprovisionedAt,
            Provisioning::OrgUnit,
            Provisioning::EmployeeNumber,
            Provisioning::Emails,
            Provisioning::FormattedName,
            Provisioning::FamilyName,
            Provisioning::GivenName,
            Provisioning::DisplayName,
            Provisioning::ExternalId,
            Provisioning::UserNameKey,
            Provisioning::UserName,
        ] {
            manager
                .alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
