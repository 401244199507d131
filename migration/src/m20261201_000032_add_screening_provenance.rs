//! Which engine produced each stored screening: `screened_by` holds the provenance JSON
//! (`{"mode","engine","model","heads"}`) of posts, comments and staff content reviews, so an
//! auditor can reproduce any finding. Rows screened before the model stage have none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Screened {
    ScreenedBy,
}

const TABLES: [&str; 3] = ["posts", "comments", "staff_content_reviews"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(text_null(Screened::ScreenedBy))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Screened::ScreenedBy)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
