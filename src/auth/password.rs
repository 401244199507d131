//! Argon2id password hashing on a small pool of dedicated threads that reuse their memory.
//!
//! One hash takes ~25 ms and 19 MiB here. Hashing on the runtime's blocking threads let every
//! thread's allocator keep its own 19 MiB after a burst (100 parallel failed logins grew the
//! process by ~600 MiB, for good); here a fixed number of threads each hash into one buffer
//! allocated at start, so hashing memory is bounded by threads × 19 MiB whatever the load.
//! Unknown accounts are checked against a dummy hash so they cost the same as a wrong password.

use anyhow::Context as _;
use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

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
/// Length of the stored hash, bytes.
const OUTPUT_LEN: usize = 32;
/// Hash requests waiting for a thread before callers wait to enqueue.
const QUEUE: usize = 256;

fn params() -> anyhow::Result<Params> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_LEN))
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))
}

/// Memory for one hash of the standard cost, allocated once per thread.
fn standard_memory() -> Vec<Block> {
    vec![Block::default(); MEMORY_KIB as usize]
}

/// Hashes a password into a PHC string, using `memory` (at least `MEMORY_KIB` blocks).
pub fn hash_with(password: &str, memory: &mut [Block]) -> anyhow::Result<String> {
    let salt_bytes = rand::random::<[u8; 16]>();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params()?);
    let mut out = [0u8; OUTPUT_LEN];
    argon
        .hash_password_into_with_memory(password.as_bytes(), &salt_bytes, &mut out, memory)
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    let out = Output::new(&out).map_err(|e| anyhow::anyhow!("hash output: {e}"))?;
    Ok(format!(
        "$argon2id$v=19$m={MEMORY_KIB},t={ITERATIONS},p={PARALLELISM}${}${out}",
        salt.as_str()
    ))
}

/// Checks a password against a PHC string, using `memory` when the hash has the standard cost
/// (another cost allocates for the one check). A malformed hash never matches.
pub fn verify_with(password: &str, phc: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed))
    else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or(Version::V0x13);
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    let done = if params.block_count() <= memory.len() {
        argon.hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut memory[..params.block_count()],
        )
    } else {
        argon.hash_password_into(password.as_bytes(), salt, &mut out)
    };
    done.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes a password into a PHC string (synchronous; allocates its own memory).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    hash_with(password, &mut standard_memory())
}

/// Checks a password against a PHC string (synchronous; allocates its own memory).
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    verify_with(password, phc, &mut standard_memory())
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

enum Job {
    Hash(Secret, oneshot::Sender<anyhow::Result<String>>),
    Verify(Secret, String, oneshot::Sender<bool>),
}

/// The bounded hasher the server shares: `max_concurrent` threads, each with its own memory.
#[derive(Clone)]
pub struct Hasher {
    jobs: async_channel::Sender<Job>,
    dummy_hash: std::sync::Arc<String>,
}

impl Hasher {
    /// Starts the hashing threads and computes the dummy hash once.
    pub async fn new(max_concurrent: usize) -> anyhow::Result<Self> {
        let (jobs, queue) = async_channel::bounded::<Job>(QUEUE);
        for n in 0..max_concurrent.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let mut memory = standard_memory();
                    while let Ok(job) = queue.recv_blocking() {
                        match job {
                            Job::Hash(p, reply) => {
                                let _ = reply.send(hash_with(p.expose(), &mut memory));
                            }
                            Job::Verify(p, phc, reply) => {
                                let _ = reply.send(verify_with(p.expose(), &phc, &mut memory));
                            }
                        }
                    }
                })
                .context("starting a hashing thread")?;
        }
        let mut hasher = Self {
            jobs,
            dummy_hash: std::sync::Arc::default(),
        };
        let dummy = Secret::new(crate::auth::tokens::random_token(24));
        hasher.dummy_hash = std::sync::Arc::new(hasher.hash(&dummy).await?);
        Ok(hasher)
    }

    /// Hashes a password, waiting for a free thread.
    pub async fn hash(&self, password: &Secret) -> anyhow::Result<String> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Job::Hash(password.clone(), tx))
            .await
            .map_err(|_| anyhow::anyhow!("hashing threads stopped"))?;
        rx.await.context("hashing thread")?
    }

    /// Verifies a password; `None` for the stored hash verifies against the dummy and fails.
    pub async fn verify(&self, password: &Secret, phc: Option<&str>) -> anyhow::Result<bool> {
        let (phc, real) = match phc {
            Some(p) => (p.to_owned(), true),
            None => (self.dummy_hash.as_str().to_owned(), false),
        };
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Job::Verify(password.clone(), phc, tx))
            .await
            .map_err(|_| anyhow::anyhow!("hashing threads stopped"))?;
        Ok(rx.await.context("hashing thread")? && real)
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

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
    fn hashes_interoperate_with_the_argon2_crate_both_ways() {
        let ours = hash_blocking("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        // A hash of another cost (made elsewhere) still verifies, with memory of its own.
        let cheap = Params::new(8_192, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, cheap)
            .hash_password(b"another password!", &salt)
            .unwrap()
            .to_string();
        let mut memory = standard_memory();
        assert!(verify_with("another password!", &theirs, &mut memory));
        assert!(!verify_with("another password?", &theirs, &mut memory));
    }

    #[tokio::test]
    async fn the_pool_hashes_and_verifies_and_unknown_accounts_never_match() {
        let hasher = Hasher::new(2).await.unwrap();
        let pw = Secret::new("correct horse battery");
        let h = hasher.hash(&pw).await.unwrap();
        assert!(hasher.verify(&pw, Some(&h)).await.unwrap());
        assert!(
            !hasher
                .verify(&Secret::new("nope nope nope"), Some(&h))
                .await
                .unwrap()
        );
        assert!(!hasher.verify(&pw, None).await.unwrap());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough password").is_ok());
    }
}
