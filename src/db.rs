//! Connecting to the database and opening write transactions.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`, so a commit that was acknowledged is on disk
//! before the answer leaves (it survives `kill -9` and power loss). Write transactions on SQLite
//! start with `BEGIN IMMEDIATE`: they take the write lock up front and wait for it (busy
//! timeout) instead of failing half-way when a reader upgrades.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// When a write last failed for lack of space or an I/O error (Unix milliseconds; 0: never).
static STORAGE_FAILED_AT: AtomicI64 = AtomicI64::new(0);
/// How long after such a failure the server reports itself not ready.
const STORAGE_NOT_READY_MS: i64 = 10_000;

/// Whether the error says the database could not store data: SQLite's "database or disk is
/// full" or an I/O error, PostgreSQL's class 53 (insufficient resources) or 58 (system error).
/// The failure is remembered, so `/readyz` reports not ready for a while.
pub fn storage_failure(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(d) = e.as_ref() else {
        return false;
    };
    let code = d.code().unwrap_or_default();
    // SQLite reports primary result codes (13 SQLITE_FULL, 10 SQLITE_IOERR) or extended ones
    // whose low byte is the primary code.
    let sqlite = code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 10 | 13));
    let postgres = code.starts_with("53") || code.starts_with("58");
    let failed = sqlite || postgres;
    if failed {
        STORAGE_FAILED_AT.store(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
    }
    failed
}

/// Whether the error says the database cannot be reached (pool timeout, refused or lost
/// connection, server shutting down) rather than that a statement failed.
pub fn unreachable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => {
                    true
                }
                // SQLSTATE class 08 (connection exception) and 57P (operator intervention:
                // shutdown, cannot connect now).
                Sqlx::Database(d) => d
                    .code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether a write failed for lack of storage in the last ten seconds.
pub fn storage_recently_failed() -> bool {
    let at = STORAGE_FAILED_AT.load(Ordering::Relaxed);
    at > 0 && chrono::Utc::now().timestamp_millis() - at < STORAGE_NOT_READY_MS
}

/// How long a writer waits for the SQLite write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the command line waits for a database connection.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection pool for the URL. A caller waits at most `acquire` for a connection
/// (then the request fails as unavailable); on SQLite at least as long as the write lock.
pub async fn connect(url: &str, acquire: Duration) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    let sqlite = url.starts_with("sqlite:");
    let acquire = if sqlite {
        acquire.max(SQLITE_BUSY_TIMEOUT * 2)
    } else {
        acquire
    };
    opts.sqlx_logging(false)
        .connect_timeout(acquire.min(Duration::from_secs(10)))
        .acquire_timeout(acquire);
    if sqlite {
        opts.max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
            })
            .map_sqlx_sqlite_before_acquire(|conn, _| {
                // A connection is only handed out outside any transaction. When SQLite rolls a
                // transaction back by itself (a full disk, an I/O error), the driver's ROLLBACK
                // then fails and it still counts the transaction as open: it would begin the
                // next one as a deferred SAVEPOINT (so writers fail with "database is locked"
                // instead of waiting their turn). Such a connection is closed, a fresh one
                // opened in its place.
                use sea_orm::sqlx::Connection as _;
                let inside = conn.is_in_transaction();
                if inside {
                    tracing::warn!("closing a database connection left inside a transaction");
                }
                Box::pin(std::future::ready(Ok(!inside)))
            });
    } else {
        opts.max_connections(16).min_connections(1);
    }
    Database::connect(opts)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))
}

/// Begins a transaction that will write.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

/// The URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbErr};

    use super::*;

    /// A second connection that never waits for a lock.
    async fn impatient(url: &str) -> DatabaseConnection {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::ZERO));
        Database::connect(opts).await.unwrap()
    }

    #[tokio::test]
    async fn after_sqlite_rolls_a_transaction_back_by_itself_the_next_one_still_holds_the_write_lock() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = connect(&url, Duration::from_secs(5)).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (b BLOB)").await.unwrap();
        {
            // A full disk, made on this connection: SQLite rolls the whole transaction back.
            let txn = begin_write(&db).await.unwrap();
            txn.execute_unprepared("PRAGMA max_page_count = 1").await.unwrap();
            let full = txn
                .execute_unprepared("INSERT INTO t VALUES (zeroblob(100000))")
                .await
                .unwrap_err();
            assert!(storage_failure(&full), "{full}");
            txn.execute_unprepared("PRAGMA max_page_count = 1073741823")
                .await
                .unwrap();
        }
        let other = impatient(&url).await;
        // Every connection of the pool in turn (the pool takes one back in a task of its own,
        // and hands out the one idle longest).
        for round in 0..4 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let txn = begin_write(&db).await.unwrap();
            let locked = other.execute_unprepared("BEGIN IMMEDIATE").await;
            assert!(
                matches!(&locked, Err(DbErr::Exec(_))),
                "round {round}: a write transaction holds the write lock from its start: {locked:?}"
            );
            txn.execute_unprepared("INSERT INTO t VALUES (x'00')")
                .await
                .unwrap();
            txn.commit().await.unwrap();
        }
        let n = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "SELECT count(*) AS n FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n.try_get::<i64>("", "n").unwrap(), 4);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://x.db?mode=rwc"), "sqlite://x.db?mode=rwc");
    }
}
