use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// No foreign keys on purpose: the audit record outlives and stands apart from the rows it
/// describes, and must never block or be touched by changes to them.
#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ChainKey,
    Seq,
    DepartmentId,
    ActorUserId,
    OnBehalfOfUserId,
    Action,
    Outcome,
    SubjectType,
    SubjectId,
    OccurredAt,
    RequestId,
    ClientAddr,
    Detail,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(string(AuditEvents::ChainKey))
                    .col(big_integer(AuditEvents::Seq))
                    .col(big_integer_null(AuditEvents::DepartmentId))
                    .col(big_integer_null(AuditEvents::ActorUserId))
                    .col(big_integer_null(AuditEvents::OnBehalfOfUserId))
                    .col(string(AuditEvents::Action))
                    .col(string(AuditEvents::Outcome))
                    .col(string_null(AuditEvents::SubjectType))
                    .col(string_null(AuditEvents::SubjectId))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(string_null(AuditEvents::RequestId))
                    .col(string_null(AuditEvents::ClientAddr))
                    .col(text(AuditEvents::Detail))
                    .col(string(AuditEvents::PrevHash))
                    .col(string(AuditEvents::Hash))
                    .to_owned(),
            )
            .await?;
        // The unique (chain, seq) pair makes a forked chain impossible even if two writers race.
        manager
            .create_index(
                Index::create()
                    .name("ux_audit_events_chain_seq")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ChainKey)
                    .col(AuditEvents::Seq)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
