//! Indexes that keep every moderation queue filter flat at a million comments.
//!
//! The queue reads one department's comments in one status in id order (oldest first), maybe
//! on one platform, maybe with one rule. `(department_id, status, id)` and
//! `(department_id, status, platform_id, id)` serve the first two on both databases without a
//! scan or a sort; the rule filter reads `comment_rules`, one row per rule a comment's findings
//! name, which carries the comment's department, platform and status (changed with the comment)
//! and is indexed the same two ways. Existing comments are copied in batches. The export walks
//! a department's comments, decisions and audit events in id order, 500 at a time:
//! `(department_id, id)` (decisions; comments on SQLite) and `(chain_key, id)` let each page
//! start where the last ended instead of sorting the department's rows again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};

/// The migration.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    DepartmentId,
    PlatformId,
    Status,
    RuleCodes,
}

#[derive(DeriveIden)]
enum CommentRules {
    Table,
    CommentId,
    RuleCode,
    DepartmentId,
    PlatformId,
    Status,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ChainKey,
}

#[derive(DeriveIden)]
enum ModerationDecisions {
    Table,
    Id,
    DepartmentId,
}

/// Comments copied per statement when filling `comment_rules`.
const BATCH: u64 = 1_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommentRules::Table)
                    .if_not_exists()
                    .col(big_integer(CommentRules::CommentId))
                    .col(string(CommentRules::RuleCode))
                    .col(big_integer(CommentRules::DepartmentId))
                    .col(big_integer(CommentRules::PlatformId))
                    .col(string(CommentRules::Status))
                    .primary_key(
                        Index::create()
                            .col(CommentRules::CommentId)
                            .col(CommentRules::RuleCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommentRules::Table, CommentRules::CommentId)
                            .to(Comments::Table, Comments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes = [
            index("ix_comments_department_status_id", Comments::Table)
                .col(Comments::DepartmentId)
                .col(Comments::Status)
                .col(Comments::Id)
                .to_owned(),
            index("ix_comments_department_status_platform_id", Comments::Table)
                .col(Comments::DepartmentId)
                .col(Comments::Status)
                .col(Comments::PlatformId)
                .col(Comments::Id)
                .to_owned(),
            index("ix_comment_rules_queue", CommentRules::Table)
                .col(CommentRules::DepartmentId)
                .col(CommentRules::Status)
                .col(CommentRules::RuleCode)
                .col(CommentRules::CommentId)
                .to_owned(),
            index("ix_comment_rules_queue_platform", CommentRules::Table)
                .col(CommentRules::DepartmentId)
                .col(CommentRules::Status)
                .col(CommentRules::RuleCode)
                .col(CommentRules::PlatformId)
                .col(CommentRules::CommentId)
                .to_owned(),
            index(
                "ix_moderation_decisions_department_id",
                ModerationDecisions::Table,
            )
            .col(ModerationDecisions::DepartmentId)
            .col(ModerationDecisions::Id)
            .to_owned(),
            index("ix_audit_events_chain_id", AuditEvents::Table)
                .col(AuditEvents::ChainKey)
                .col(AuditEvents::Id)
                .to_owned(),
        ];
        for ix in indexes {
            manager.create_index(ix).await?;
        }
        // PostgreSQL pages the export by the primary key; SQLite's planner would rather sort the
        // department's rows for every page, unless this index serves the order. (On PostgreSQL it
        // would compete with the queue's indexes for the queue's statements.)
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Sqlite {
            manager
                .create_index(
                    index("ix_comments_department_id", Comments::Table)
                        .col(Comments::DepartmentId)
                        .col(Comments::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_comments_department_status")
                    .table(Comments::Table)
                    .to_owned(),
            )
            .await?;
        copy_rule_codes(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                index("ix_comments_department_status", Comments::Table)
                    .col(Comments::DepartmentId)
                    .col(Comments::Status)
                    .to_owned(),
            )
            .await?;
        for (name, table) in [
            ("ix_comments_department_status_id", Comments::Table.into_iden()),
            (
                "ix_comments_department_status_platform_id",
                Comments::Table.into_iden(),
            ),
            (
                "ix_moderation_decisions_department_id",
                ModerationDecisions::Table.into_iden(),
            ),
            ("ix_comments_department_id", Comments::Table.into_iden()),
            ("ix_audit_events_chain_id", AuditEvents::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).if_exists().to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(CommentRules::Table).to_owned())
            .await
    }
}

fn index(name: &str, table: impl IntoIden) -> IndexCreateStatement {
    Index::create().name(name).table(table).if_not_exists().to_owned()
}

/// Fills `comment_rules` from the `,A,B,` lists of existing comments, a batch per transaction.
async fn copy_rule_codes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let mut after: i64 = 0;
    loop {
        let select = Query::select()
            .columns([
                Comments::Id,
                Comments::DepartmentId,
                Comments::PlatformId,
                Comments::Status,
                Comments::RuleCodes,
            ])
            .from(Comments::Table)
            .and_where(Expr::col(Comments::Id).gt(after))
            .order_by(Comments::Id, Order::Asc)
            .limit(BATCH)
            .to_owned();
        let rows = db.query_all(&select).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("", "id")?;
        let mut insert = Query::insert()
            .into_table(CommentRules::Table)
            .columns([
                CommentRules::CommentId,
                CommentRules::RuleCode,
                CommentRules::DepartmentId,
                CommentRules::PlatformId,
                CommentRules::Status,
            ])
            .to_owned();
        let mut any = false;
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let department: i64 = row.try_get("", "department_id")?;
            let platform: i64 = row.try_get("", "platform_id")?;
            let status: String = row.try_get("", "status")?;
            let codes: String = row.try_get("", "rule_codes")?;
            for code in codes.split(',').filter(|c| !c.is_empty()) {
                insert
                    .values([
                        id.into(),
                        code.into(),
                        department.into(),
                        platform.into(),
                        status.clone().into(),
                    ])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
                any = true;
            }
        }
        if any {
            let txn = db.begin().await?;
            txn.execute(&insert).await?;
            txn.commit().await?;
        }
    }
}
