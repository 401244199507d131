//! Login throttling per account and per client address, kept in the database so the limits
//! hold across every instance that shares it.
//!
//! An attempt is counted when it starts (so parallel requests, many `login` aliases in one
//! request, or requests spread over instances cannot slip past the limit) and forgiven when it
//! succeeds. One statement counts both keys (an upsert that restarts an expired window);
//! keys are stored only as SHA-256, so mistyped e-mail addresses are not kept in clear.

use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, ExprTrait};
use sha2::{Digest, Sha256};

use crate::config::ThrottleConfig;

/// One in this many attempts also deletes windows that have ended.
const PRUNE_EVERY: u32 = 256;

/// The throttle shared by all requests.
pub struct LoginThrottle {
    cfg: ThrottleConfig,
}

/// Keys of one attempt.
pub struct Attempt {
    account: String,
    address: Option<String>,
}

fn key(kind: &str, value: &str) -> String {
    hex::encode(Sha256::digest(format!("{kind}:{value}").as_bytes()))
}

fn table() -> Alias {
    Alias::new("login_throttle")
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

impl LoginThrottle {
    /// A throttle with the given limits.
    pub fn new(cfg: ThrottleConfig) -> Self {
        Self { cfg }
    }

    /// Starts an attempt: `Ok(Err(seconds))` when the account or address is throttled.
    pub async fn begin<C: ConnectionTrait>(
        &self,
        db: &C,
        account: &str,
        address: Option<&str>,
    ) -> Result<Result<Attempt, u64>, DbErr> {
        let attempt = Attempt {
            account: key("a", account),
            address: address.map(|a| key("c", a)),
        };
        let now = Utc::now().timestamp_millis();
        let window = i64::try_from(self.cfg.window.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now.saturating_sub(window);
        if rand::random::<u32>().is_multiple_of(PRUNE_EVERY) {
            let prune = Query::delete()
                .from_table(table())
                .and_where(Expr::col(col("window_start_ms")).lte(cutoff))
                .to_owned();
            db.execute(&prune).await?;
        }
        let expired = Expr::col((table(), col("window_start_ms"))).lte(cutoff);
        let mut upsert = Query::insert()
            .into_table(table())
            .columns([col("key_hash"), col("window_start_ms"), col("attempts")])
            .to_owned();
        let limits = [
            (Some(&attempt.account), self.cfg.max_failures_per_account),
            (attempt.address.as_ref(), self.cfg.max_failures_per_address),
        ];
        for (k, _) in limits {
            if let Some(k) = k {
                upsert
                    .values([k.clone().into(), now.into(), 1.into()])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            }
        }
        upsert
            .on_conflict(
                OnConflict::column(col("key_hash"))
                    .value(
                        col("attempts"),
                        Expr::case(expired.clone(), 1).finally(Expr::col((table(), col("attempts"))).add(1)),
                    )
                    .value(
                        col("window_start_ms"),
                        Expr::case(expired, now).finally(Expr::col((table(), col("window_start_ms")))),
                    )
                    .to_owned(),
            )
            .returning(Query::returning().columns([
                col("key_hash"),
                col("window_start_ms"),
                col("attempts"),
            ]));
        let rows = db.query_all(&upsert).await?;
        let mut wait = 0u64;
        for row in rows {
            let k: String = row.try_get("", "key_hash")?;
            let started: i64 = row.try_get("", "window_start_ms")?;
            let attempts: i32 = row.try_get("", "attempts")?;
            let limit = limits
                .iter()
                .find(|(lk, _)| lk.is_some_and(|lk| *lk == k))
                .map_or(u32::MAX, |(_, l)| *l);
            if u32::try_from(attempts).unwrap_or(0) > limit {
                let left_secs = u64::try_from((started + window - now) / 1000).unwrap_or(0);
                wait = Ord::max(wait, Ord::max(left_secs, 1));
            }
        }
        Ok(if wait > 0 { Err(wait) } else { Ok(attempt) })
    }

    /// Forgives a successful attempt: the account starts afresh, the address gets its try back.
    pub async fn succeeded<C: ConnectionTrait>(&self, db: &C, attempt: Attempt) -> Result<(), DbErr> {
        let forget = Query::delete()
            .from_table(table())
            .and_where(Expr::col(col("key_hash")).eq(attempt.account))
            .to_owned();
        db.execute(&forget).await?;
        if let Some(addr) = attempt.address {
            let give_back = Query::update()
                .table(table())
                .value(col("attempts"), Expr::col(col("attempts")).sub(1))
                .and_where(Expr::col(col("key_hash")).eq(addr))
                .and_where(Expr::col(col("attempts")).gt(0))
                .to_owned();
            db.execute(&give_back).await?;
        }
        Ok(())
    }

    /// The configured window.
    pub fn window(&self) -> Duration {
        self.cfg.window
    }
}

#[cfg(test)]
mod tests {
    use migration::MigratorTrait;

    use super::*;

    async fn db() -> (sea_orm::DatabaseConnection, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = crate::db::connect(&url, Duration::from_secs(5)).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        (db, dir)
    }

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig {
            max_failures_per_account: 3,
            max_failures_per_address: 5,
            window: Duration::from_secs(60),
        })
    }

    #[tokio::test]
    async fn the_account_is_throttled_after_its_limit() {
        let (db, _dir) = db().await;
        let t = throttle();
        for _ in 0..3 {
            assert!(t.begin(&db, "a@x", Some("1.1.1.1")).await.unwrap().is_ok());
        }
        let wait = t.begin(&db, "a@x", Some("2.2.2.2")).await.unwrap().err().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(t.begin(&db, "b@x", Some("2.2.2.2")).await.unwrap().is_ok());
    }

    #[tokio::test]
    async fn the_address_is_throttled_across_accounts() {
        let (db, _dir) = db().await;
        let t = throttle();
        for i in 0..5 {
            let r = t.begin(&db, &format!("u{i}@x"), Some("9.9.9.9")).await.unwrap();
            assert!(r.is_ok());
        }
        assert!(t.begin(&db, "other@x", Some("9.9.9.9")).await.unwrap().is_err());
    }

    #[tokio::test]
    async fn success_forgives_and_an_ended_window_starts_again() {
        let (db, _dir) = db().await;
        let t = throttle();
        for _ in 0..2 {
            let _ = t.begin(&db, "a@x", None).await.unwrap();
        }
        let ok = t.begin(&db, "a@x", None).await.unwrap().ok().unwrap();
        t.succeeded(&db, ok).await.unwrap();
        assert!(t.begin(&db, "a@x", None).await.unwrap().is_ok());

        let short = LoginThrottle::new(ThrottleConfig {
            max_failures_per_account: 1,
            max_failures_per_address: 10,
            window: Duration::from_millis(200),
        });
        assert!(short.begin(&db, "w@x", None).await.unwrap().is_ok());
        assert!(short.begin(&db, "w@x", None).await.unwrap().is_err());
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(short.begin(&db, "w@x", None).await.unwrap().is_ok());
    }
}
