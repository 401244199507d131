//! On PostgreSQL, the database announces every change that ends or alters a signed-in session
//! (`NOTIFY policy_admin_sessions, '<user id>'`): a refresh session revoked or deleted, a user's
//! status, role or department changed, a user deleted. Every instance listens and forgets the
//! sessions it remembered for that user, whoever made the change (another instance, the command
//! line, an operator's SQL). Notifications are sent at commit. SQLite has one server process,
//! which forgets what it changes itself.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The migration.
#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 6] = [
    "CREATE OR REPLACE FUNCTION policy_admin_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN PERFORM pg_notify('policy_admin_sessions', OLD.id::text); RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION policy_admin_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN PERFORM pg_notify('policy_admin_sessions', OLD.user_id::text); RETURN NULL; END $$",
    "CREATE TRIGGER users_session_changed AFTER UPDATE ON users FOR EACH ROW \
     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role \
     OR OLD.department_id IS DISTINCT FROM NEW.department_id) \
     EXECUTE FUNCTION policy_admin_user_changed()",
    "CREATE TRIGGER users_session_deleted AFTER DELETE ON users FOR EACH ROW \
     EXECUTE FUNCTION policy_admin_user_changed()",
    "CREATE TRIGGER refresh_sessions_ended AFTER UPDATE ON refresh_sessions FOR EACH ROW \
     WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) \
     EXECUTE FUNCTION policy_admin_session_ended()",
    "CREATE TRIGGER refresh_sessions_deleted AFTER DELETE ON refresh_sessions FOR EACH ROW \
     EXECUTE FUNCTION policy_admin_session_ended()",
];

const DOWN: [&str; 6] = [
    "DROP TRIGGER IF EXISTS refresh_sessions_deleted ON refresh_sessions",
    "DROP TRIGGER IF EXISTS refresh_sessions_ended ON refresh_sessions",
    "DROP TRIGGER IF EXISTS users_session_deleted ON users",
    "DROP TRIGGER IF EXISTS users_session_changed ON users",
    "DROP FUNCTION IF EXISTS policy_admin_session_ended()",
    "DROP FUNCTION IF EXISTS policy_admin_user_changed()",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    crate::execute_all(manager, statements).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, &UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, &DOWN).await
    }
}
