//! Argon2id password hashing on blocking threads, with a bound on hashes in flight.
//!
//! One hash takes ~25 ms and 19 MiB here; unbounded parallel hashing once grew the process to
//! ~600 MB, so a semaphore caps concurrency. Unknown accounts are checked against a dummy hash
//! so that they cost the same as a wrong password.

use std::sync::Arc;

use anyhow::Context as _;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::config::Secret;

/// Memory cost in KiB (OWASP minimum for argon2id).
pub const MEMORY_KIB: u32 = 19_456;
/// Iterations.
pub const ITERATIONS: u32 = 2;
/// Parallelism.
pub const PARALLELISM: u32 = 1;
/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest accepted password (bounds hashing work).
pub const MAX_PASSWORD_BYTES: usize = 1024;

fn argon2() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (synchronous; call from a blocking thread).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt =
        SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC string (synchronous). A malformed hash never matches.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checks a new password against the policy; the message is for the user.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!("password must have at most {MAX_PASSWORD_BYTES} bytes"));
    }
    Ok(())
}

/// The bounded hasher the server shares.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<String>,
}

impl Hasher {
    /// Builds the hasher; computes the dummy hash once.
    pub async fn new(max_concurrent: usize) -> anyhow::Result<Self> {
        let dummy = crate::auth::tokens::random_token(24);
        let dummy_hash = tokio::task::spawn_blocking(move || hash_blocking(&dummy))
            .await
            .context("hashing thread")??;
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    /// Hashes a password, waiting for a free slot.
    pub async fn hash(&self, password: &Secret) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let password = password.clone();
        tokio::task::spawn_blocking(move || hash_blocking(password.expose()))
            .await
            .context("hashing thread")?
    }

    /// Verifies a password; `None` for the stored hash verifies against the dummy and fails.
    pub async fn verify(&self, password: &Secret, phc: Option<&str>) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let password = password.clone();
        let (phc, real) = match phc {
            Some(p) => (p.to_owned(), true),
            None => (self.dummy_hash.as_str().to_owned(), false),
        };
        let ok = tokio::task::spawn_blocking(move || verify_blocking(password.expose(), &phc))
            .await
            .context("hashing thread")?;
        Ok(ok && real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_with_the_required_cost() {
        let h = hash_blocking("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("x", "not a phc string"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough password").is_ok());
    }
}
