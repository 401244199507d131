//! Connecting to the database and opening write transactions.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`, so a commit that was acknowledged is on disk
//! before the answer leaves (it survives `kill -9` and power loss). Write transactions on SQLite
//! start with `BEGIN IMMEDIATE`: they take the write lock up front and wait for it (busy
//! timeout) instead of failing half-way when a reader upgrades.

use std::time::Duration;

use anyhow::Context as _;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

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
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://x.db?mode=rwc"), "sqlite://x.db?mode=rwc");
    }
}
