//! Signed-in sessions remembered between requests, so that authenticating a request costs no
//! SQL statement while ending a session still takes effect on the next request.
//!
//! An entry is the [`Principal`] that the database gave for a session (refresh family), kept
//! for at most a few seconds. Whatever ends or changes a session forgets its user's entries:
//! on this instance the service that made the change, after its commit; on PostgreSQL every
//! instance also hears of any change to a user's status, role or department and any session
//! revoked, through triggers and `LISTEN/NOTIFY` (so the command line and other instances count
//! too). While that listener is down the cache is not trusted and every request reads the
//! database. On SQLite a change made outside the server's services (the command line, an
//! operator's SQL) is seen in the WAL index: every committed write transaction, by any process,
//! changes the header of the database's `-shm` file, which a hit reads first (one `stat` and
//! one 48-byte read, no SQL); a changed header forgets everything. Entries read before a change
//! cannot be stored after it: each read carries the cache's epoch, which every forgetting
//! advances.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{DatabaseConnection, DbBackend};

use super::Principal;

/// The PostgreSQL channel on which the database announces session changes (the user's id).
pub const CHANNEL: &str = "policy_admin_sessions";
/// Longest an entry is used, whatever happens: a bound for changes nobody announced (such as
/// the command line writing a SQLite database while the server runs).
pub const MAX_AGE: Duration = Duration::from_secs(5);
/// Most sessions remembered; past it, expired entries go, and if none had, all do.
const CAPACITY: usize = 10_000;

/// The cache of one process.
pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    epoch: AtomicU64,
    trusted: AtomicBool,
    max_age: Duration,
    wal: Option<WalWatch>,
}

struct Entry {
    principal: Principal,
    at: Instant,
}

impl SessionCache {
    /// A cache whose entries live `max_age`; `trusted` says whether it may answer yet.
    pub fn new(max_age: Duration, trusted: bool) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            trusted: AtomicBool::new(trusted),
            max_age,
            wal: None,
        }
    }

    /// The cache of a server on `db`: trusted at once on SQLite (one process); on PostgreSQL
    /// once the listener task it starts is listening, and for as long as it is.
    pub fn start(db: &DatabaseConnection, database_url: &str) -> Arc<Self> {
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let mut cache = Self::new(MAX_AGE, !postgres);
        if !postgres {
            cache.wal = WalWatch::of(database_url);
        }
        let cache = Arc::new(cache);
        if postgres {
            tokio::spawn(listen(cache.clone(), database_url.to_owned()));
        }
        cache
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock cannot leave a half-written map: every change is one
        // insert or retain.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The principal remembered for `session` of `user_id`, if fresh and trusted.
    pub fn get(&self, session: &str, user_id: i64) -> Option<Principal> {
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        // The index is read before the lock (I/O stays outside it), but compared and the map
        // cleared under it: no lookup can come between seeing a change and forgetting.
        let header = self.wal.as_ref().map(|w| WalWatch::read(&w.shm));
        let mut map = self.lock();
        if let (Some(w), Some(now)) = (&self.wal, header)
            && w.changed(now)
        {
            self.epoch.fetch_add(1, Ordering::AcqRel);
            map.clear();
            return None;
        }
        let e = map.get(session)?;
        (e.principal.user_id == user_id && e.at.elapsed() < self.max_age).then(|| e.principal.clone())
    }

    /// The epoch to pass to [`SessionCache::remember`] for a read that starts now.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Stores what the database said, unless something was forgotten since `epoch`.
    pub fn remember(&self, epoch: u64, principal: &Principal) {
        if !self.trusted.load(Ordering::Acquire) {
            return;
        }
        let mut map = self.lock();
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if map.len() >= CAPACITY {
            map.retain(|_, e| e.at.elapsed() < self.max_age);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(
            principal.session_id.clone(),
            Entry {
                principal: principal.clone(),
                at: Instant::now(),
            },
        );
    }

    /// Forgets every session of a user (their sessions ended, or their status or role changed).
    pub fn forget_user(&self, user_id: i64) {
        let mut map = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.retain(|_, e| e.principal.user_id != user_id);
    }

    /// Forgets everything.
    pub fn forget_all(&self) {
        let mut map = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }

    fn set_trusted(&self, trusted: bool) {
        if !trusted {
            self.trusted.store(false, Ordering::Release);
        }
        // Whatever happened while the cache was not told is unknown: start empty.
        self.forget_all();
        if trusted {
            self.trusted.store(true, Ordering::Release);
        }
    }
}

/// The WAL index header of a SQLite database file, as last read.
struct WalWatch {
    shm: PathBuf,
    last: Mutex<Option<(u64, [u8; 48])>>,
}

impl WalWatch {
    /// The watch of a `sqlite:` URL naming a file (an in-memory database has no other writer).
    fn of(database_url: &str) -> Option<Self> {
        let opts = SqliteConnectOptions::from_str(database_url).ok()?;
        let file = opts.get_filename();
        if file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:") {
            return None;
        }
        let mut shm = file.as_os_str().to_owned();
        shm.push("-shm");
        Some(Self {
            shm: PathBuf::from(shm),
            last: Mutex::new(None),
        })
    }

    /// Whether the header read `now` differs from the last one read (a write transaction
    /// committed since, or the index cannot be read, which counts as a change).
    fn changed(&self, now: Option<(u64, [u8; 48])>) -> bool {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let changed = now.is_none() || *last != now;
        *last = now;
        changed
    }

    /// The file's inode and the first 48 bytes (the WAL index header: its change counter, the
    /// last valid frame and the salts).
    fn read(shm: &Path) -> Option<(u64, [u8; 48])> {
        use std::os::unix::fs::{FileExt, MetadataExt};
        let file = std::fs::File::open(shm).ok()?;
        let inode = file.metadata().ok()?.ino();
        let mut header = [0u8; 48];
        file.read_exact_at(&mut header, 0).ok()?;
        Some((inode, header))
    }
}

/// Listens for session changes on PostgreSQL, reconnecting on failure; the cache is trusted
/// only while it listens.
async fn listen(cache: Arc<SessionCache>, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    let mut backoff = Duration::from_millis(200);
    loop {
        let attempt = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            cache.set_trusted(true);
            loop {
                let n = listener.recv().await?;
                match n.payload().parse::<i64>() {
                    Ok(user_id) => cache.forget_user(user_id),
                    Err(_) => cache.forget_all(),
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sea_orm::sqlx::Error>(())
        };
        if let Err(e) = attempt.await {
            cache.set_trusted(false);
            tracing::warn!(error = %e, "session change listener stopped; reading sessions from the database until it is back");
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn principal(user_id: i64, session: &str) -> Principal {
        Principal {
            user_id,
            role: Role::Pio,
            department_id: 1,
            department_code: "MT-DOC".into(),
            session_id: session.into(),
        }
    }

    #[test]
    fn a_remembered_session_is_answered_until_its_user_is_forgotten() {
        let c = SessionCache::new(Duration::from_secs(60), true);
        c.remember(c.epoch(), &principal(7, "s1"));
        c.remember(c.epoch(), &principal(8, "s2"));
        assert_eq!(c.get("s1", 7).map(|p| p.user_id), Some(7));
        assert!(c.get("s1", 8).is_none(), "another user's token never matches");
        c.forget_user(7);
        assert!(c.get("s1", 7).is_none());
        assert!(c.get("s2", 8).is_some(), "other users stay");
    }

    #[test]
    fn a_read_from_before_a_change_is_not_stored_after_it() {
        let c = SessionCache::new(Duration::from_secs(60), true);
        let epoch = c.epoch();
        c.forget_user(7);
        c.remember(epoch, &principal(7, "s1"));
        assert!(c.get("s1", 7).is_none());
    }

    #[test]
    fn a_commit_seen_by_one_lookup_is_never_missed_by_the_next() {
        use std::os::unix::fs::FileExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let shm = std::fs::File::create(dir.path().join("t.db-shm")).unwrap();
        shm.write_all_at(&[0u8; 48], 0).unwrap();
        let mut c = SessionCache::new(Duration::from_secs(60), true);
        c.wal = WalWatch::of(&format!("sqlite://{}?mode=rwc", db.display()));
        assert!(c.wal.is_some());
        let c = Arc::new(c);
        let stop = Arc::new(AtomicBool::new(false));
        // Others look the session up all the time, so they often see a commit first.
        let lookers: Vec<_> = (0..2)
            .map(|_| {
                let (c, stop) = (c.clone(), stop.clone());
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let _ = c.get("s1", 7);
                    }
                })
            })
            .collect();
        for i in 1..=20_000u32 {
            let _ = c.get("s1", 7);
            c.remember(c.epoch(), &principal(7, "s1"));
            shm.write_all_at(&i.to_le_bytes(), 0).unwrap();
            assert!(c.get("s1", 7).is_none(), "commit {i} was missed");
        }
        stop.store(true, Ordering::Relaxed);
        lookers.into_iter().for_each(|t| t.join().unwrap());
    }

    #[test]
    fn entries_expire_and_an_untrusted_cache_answers_nothing() {
        let c = SessionCache::new(Duration::ZERO, true);
        c.remember(c.epoch(), &principal(7, "s1"));
        assert!(c.get("s1", 7).is_none(), "expired");
        let c = SessionCache::new(Duration::from_secs(60), false);
        c.remember(c.epoch(), &principal(7, "s1"));
        assert!(c.get("s1", 7).is_none());
        c.set_trusted(true);
        c.remember(c.epoch(), &principal(7, "s1"));
        assert!(c.get("s1", 7).is_some());
        c.set_trusted(false);
        assert!(c.get("s1", 7).is_none(), "and it starts empty when trusted again");
        c.set_trusted(true);
        assert!(c.get("s1", 7).is_none());
    }
}
