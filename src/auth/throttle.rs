//! Login throttling per account and per client address.
//!
//! An attempt is counted when it starts (so parallel requests and many `login` aliases in one
//! request cannot slip past the limit) and forgiven when it succeeds. State is per process; with
//! several instances each enforces its own limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::ThrottleConfig;

/// Keys tracked at most; beyond that, expired windows are pruned and then the oldest dropped.
const MAX_KEYS: usize = 100_000;

#[derive(Clone, Copy)]
struct Window {
    started: Instant,
    attempts: u32,
}

/// The throttle shared by all requests of a process.
pub struct LoginThrottle {
    cfg: ThrottleConfig,
    windows: Mutex<HashMap<String, Window>>,
}

/// Keys of one attempt.
pub struct Attempt {
    account: String,
    address: Option<String>,
}

impl LoginThrottle {
    /// A throttle with the given limits.
    pub fn new(cfg: ThrottleConfig) -> Self {
        Self {
            cfg,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Starts an attempt: `Err(seconds)` when the account or address is throttled.
    pub fn begin(&self, account: &str, address: Option<&str>) -> Result<Attempt, u64> {
        let now = Instant::now();
        let attempt = Attempt {
            account: format!("a:{account}"),
            address: address.map(|a| format!("c:{a}")),
        };
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.cfg.window;
            map.retain(|_, w| now.duration_since(w.started) < window);
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        let mut wait = 0;
        let limits = [
            (Some(&attempt.account), self.cfg.max_failures_per_account),
            (attempt.address.as_ref(), self.cfg.max_failures_per_address),
        ];
        for (key, limit) in limits {
            let Some(key) = key else { continue };
            if let Some(w) = map.get(key) {
                let age = now.duration_since(w.started);
                if age < self.cfg.window && w.attempts >= limit {
                    wait = wait.max((self.cfg.window - age).as_secs().max(1));
                }
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        for (key, _) in limits {
            let Some(key) = key else { continue };
            let w = map.entry(key.clone()).or_insert(Window {
                started: now,
                attempts: 0,
            });
            if now.duration_since(w.started) >= self.cfg.window {
                *w = Window {
                    started: now,
                    attempts: 0,
                };
            }
            w.attempts += 1;
        }
        Ok(attempt)
    }

    /// Forgives a successful attempt: the account starts afresh, the address gets its try back.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&attempt.account);
        if let Some(addr) = attempt.address
            && let Some(w) = map.get_mut(&addr)
        {
            w.attempts = w.attempts.saturating_sub(1);
        }
    }

    /// The configured window.
    pub fn window(&self) -> Duration {
        self.cfg.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig {
            max_failures_per_account: 3,
            max_failures_per_address: 5,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn the_account_is_throttled_after_its_limit() {
        let t = throttle();
        for _ in 0..3 {
            assert!(t.begin("a@x", Some("1.1.1.1")).is_ok());
        }
        assert!(t.begin("a@x", Some("2.2.2.2")).is_err());
        assert!(t.begin("b@x", Some("2.2.2.2")).is_ok());
    }

    #[test]
    fn the_address_is_throttled_across_accounts() {
        let t = throttle();
        for i in 0..5 {
            assert!(t.begin(&format!("u{i}@x"), Some("9.9.9.9")).is_ok());
        }
        assert!(t.begin("other@x", Some("9.9.9.9")).is_err());
    }

    #[test]
    fn success_forgives() {
        let t = throttle();
        for _ in 0..2 {
            let _ = t.begin("a@x", None);
        }
        let ok = t.begin("a@x", None).unwrap();
        t.succeeded(ok);
        assert!(t.begin("a@x", None).is_ok());
    }
}
