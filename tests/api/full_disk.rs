//! A full disk on SQLite (a 16 MB tmpfs, so this runs only as root where mounting works): every
//! answer is either committed (and survives a restart) or 503 `UNAVAILABLE`; `/readyz` says not
//! ready; once space is back the server recovers by itself, writers in parallel included (no
//! connection is left inside a transaction that SQLite rolled back on its own).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::PASSWORD;

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Tmpfs {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(dir.path().to_owned(), dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The server, killed when dropped (before the tmpfs under it is unmounted); what it logs goes
/// to a file beside the tmpfs, quoted when the test fails.
struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Server {
    fn start(db: &Path, log: &Path) -> Self {
        let url = format!("sqlite://{}?mode=rwc", db.display());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let (child, addr) = crate::helpers::serve_process_logging(
            &url,
            &[
                (
                    "POLICY_ADMIN_JWT_SECRET",
                    "full-disk-test-secret-full-disk-test-secret",
                ),
                ("POLICY_ADMIN_LOG", "warn"),
                ("POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", "100000"),
                ("POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT", "100000"),
            ],
            Stdio::from(file),
        );
        Self {
            child,
            addr,
            log: log.to_owned(),
        }
    }

    /// What the server logged besides the expected refusals of a full disk.
    fn unexpected_log(&self) -> String {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.contains("disk is full") && !l.contains("left inside a transaction"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn call(client: &reqwest::Client, addr: &str, q: &str, v: Value) -> (u16, Value) {
    let r = client
        .post(format!("{addr}/graphql"))
        .json(&json!({"query": q, "variables": v}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn on_a_full_disk_every_answer_is_committed_or_503_and_the_server_recovers() {
    let Some(fs) = Tmpfs::mount() else {
        eprintln!("skipped: needs root to mount a small tmpfs");
        return;
    };
    let db = fs.0.join("policy-admin.db");
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("server.log");
    let server = Server::start(&db, &log);
    let addr = server.addr.clone();
    let client = reqwest::Client::new();
    let login = json!({"email": "pio@mt-doc.demo", "password": PASSWORD});
    let q = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { refreshToken } }";

    let stat = free_bytes(&fs.0);
    let filler = fs.0.join("filler");
    std::fs::write(&filler, vec![0u8; stat.saturating_sub(400_000) as usize]).unwrap();
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for _ in 0..300 {
        let (status, b) = call(&client, &addr, q, login.clone()).await;
        match (status, b["data"]["login"]["refreshToken"].as_str()) {
            (200, Some(t)) => acknowledged.push(t.to_owned()),
            (503, None) => {
                assert_eq!(b["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{b}");
                refused += 1;
            }
            other => panic!(
                "neither committed nor 503: {other:?} {b}\nserver log:\n{}",
                server.unexpected_log()
            ),
        }
    }
    assert!(refused > 0, "the disk filled up");
    let ready = client.get(format!("{addr}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "not ready while writes fail");

    std::fs::remove_file(&filler).unwrap();
    let (status, b) = call(&client, &addr, q, login.clone()).await;
    assert_eq!(status, 200, "recovers by itself once space is back: {b}");
    acknowledged.push(b["data"]["login"]["refreshToken"].as_str().unwrap().to_owned());
    let deadline = Instant::now() + Duration::from_secs(20);
    while client
        .get(format!("{addr}/readyz"))
        .send()
        .await
        .unwrap()
        .status()
        != 200
    {
        assert!(Instant::now() < deadline, "ready again");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Writers in parallel wait their turn on every connection of the pool.
    for round in 0..3 {
        let calls = (0..16).map(|_| call(&client, &addr, q, login.clone()));
        for (status, b) in futures_util::future::join_all(calls).await {
            let token = b["data"]["login"]["refreshToken"].as_str();
            assert!(
                status == 200 && token.is_some(),
                "round {round}: a parallel login after recovery: {status} {b}\nserver log:\n{}",
                server.unexpected_log()
            );
            acknowledged.push(token.unwrap().to_owned());
        }
    }
    drop(server);

    let server = Server::start(&db, &log);
    let refresh = "mutation($r: String!) { refreshSession(refreshToken: $r) { refreshToken } }";
    for t in &acknowledged {
        let (status, b) = call(&client, &server.addr, refresh, json!({"r": t})).await;
        assert!(
            status == 200 && b["data"]["refreshSession"]["refreshToken"].is_string(),
            "an acknowledged session survived the restart: {b}"
        );
    }
    drop(server);
    drop(fs);
}

/// Free bytes on the file system of `dir` (from `df`).
fn free_bytes(dir: &Path) -> u64 {
    let out = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap()
}
