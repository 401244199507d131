use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditChains {
    Table,
    ChainKey,
    Seq,
    HeadHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditChains::Table)
                    .if_not_exists()
                    .col(string(AuditChains::ChainKey).primary_key())
                    .col(big_integer(AuditChains::Seq))
                    .col(string(AuditChains::HeadHash))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditChains::Table).to_owned())
            .await
    }
}
