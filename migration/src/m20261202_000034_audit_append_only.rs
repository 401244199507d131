//! Makes `audit_events` append-only in the database itself: triggers refuse every UPDATE and
//! DELETE (and, on PostgreSQL, TRUNCATE), so not even the application's own connection can
//! rewrite the record (IL 01.02.400 II.H; records law). A cut tail is caught from outside the
//! database by the anchor (`policy-admin audit head`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The migration.
#[derive(DeriveMigrationName)]
pub struct Migration;

const PG_GUARD: [&str; 3] = [
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP \
     USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_events_no_rewrite BEFORE UPDATE OR DELETE ON audit_events \
     FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
];

const PG_UNGUARD: [&str; 3] = [
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_no_rewrite ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
];

const SQLITE_GUARD: [&str; 2] = [
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END",
];

const SQLITE_UNGUARD: [&str; 2] = [
    "DROP TRIGGER IF EXISTS audit_events_no_update",
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
];

/// The statements that make `audit_events` append-only on a backend.
pub fn guard_statements(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &PG_GUARD,
        _ => &SQLITE_GUARD,
    }
}

/// The statements that lift the guard (the migration's `down`; tests that forge a tampered
/// record use them as the database owner would).
pub fn unguard_statements(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &PG_UNGUARD,
        _ => &SQLITE_UNGUARD,
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, guard_statements(manager.get_database_backend())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, unguard_statements(manager.get_database_backend())).await
    }
}
