use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One approval of a subject (a platform, a change request, later a post) filling one seat of
/// its quorum. The unique indexes make "one person, one seat" and "one seat, one person" hold
/// even under concurrent requests.
#[derive(DeriveIden)]
enum Approvals {
    Table,
    Id,
    DepartmentId,
    SubjectType,
    SubjectId,
    Seat,
    ApproverUserId,
    ApproverRole,
    AsDesigneeOfUserId,
    Note,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Approvals::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Approvals::Id))
                    .col(big_integer(Approvals::DepartmentId))
                    .col(string(Approvals::SubjectType))
                    .col(big_integer(Approvals::SubjectId))
                    .col(integer(Approvals::Seat))
                    .col(big_integer(Approvals::ApproverUserId))
                    .col(string(Approvals::ApproverRole))
                    .col(big_integer_null(Approvals::AsDesigneeOfUserId))
                    .col(text_null(Approvals::Note))
                    .col(timestamp_with_time_zone(Approvals::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ux_approvals_subject_person",
                [
                    Approvals::SubjectType,
                    Approvals::SubjectId,
                    Approvals::ApproverUserId,
                ],
            ),
            (
                "ux_approvals_subject_seat",
                [Approvals::SubjectType, Approvals::SubjectId, Approvals::Seat],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Approvals::Table).unique();
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Approvals::Table).to_owned())
            .await
    }
}
