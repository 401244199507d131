//! Password hashing keeps memory bounded: bursts of parallel failed logins, and logins with
//! oversized passwords, leave the server's resident memory where it was (within the fixed
//! hashing buffers and some slack), instead of growing by 19 MiB per thread for good.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{LOGIN, fresh_database};

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test]
async fn parallel_failed_logins_do_not_grow_memory_for_good() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped: needs /proc");
        return;
    }
    let (url, _dir) = fresh_database().await;
    let (mut child, addr) = crate::helpers::serve_process(
        &url,
        &[
            ("POLICY_ADMIN_LOG", "error"),
            ("POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT", "100000"),
            ("POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", "100000"),
        ],
    );
    let client = reqwest::Client::new();
    let login = |password: String| {
        let client = client.clone();
        let addr = addr.clone();
        async move {
            client
                .post(format!("{addr}/graphql"))
                .json(
                    &json!({"query": LOGIN, "variables": {"email": "pio@mt-doc.demo", "password": password}}),
                )
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    };
    // Warm up: the first requests allocate what any server needs.
    join_all((0..4).map(|i| login(format!("warm-up-wrong-{i}")))).await;
    let before = rss_kib(child.id());

    let statuses = join_all((0..100).map(|i| login(format!("a-wrong-password-{i}")))).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let huge = "x".repeat(1_900_000);
    join_all((0..60).map(|_| login(huge.clone()))).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(child.id());
    child.kill().unwrap();
    child.wait().unwrap();
    let grown_mib = after.saturating_sub(before) / 1024;
    eprintln!("resident memory: {before} KiB before the burst, {after} KiB after");
    assert!(
        grown_mib < 100,
        "resident memory grew by {grown_mib} MiB ({before} KiB to {after} KiB)"
    );
}
