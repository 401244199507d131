//! The moderation queue at 10,000 and 1,000,000 comments, measured as a frontend meets it.
//!
//! ```sh
//! cargo bench --bench queue                                  # SQLite, 10k and 1M comments
//! QUEUE_BENCH_SIZES=10000 cargo bench --bench queue          # one size
//! QUEUE_BENCH_DATABASE_URL=postgres://user:pass@127.0.0.1/postgres cargo bench --bench queue
//! ```
//!
//! For each size: the real server (`serve --demo`, release build, the screening model on) on a
//! fresh database; two active platforms and 40 comments ingested through the API, so that their
//! findings and provenance are the server's own; then the comments multiplied in bulk by SQL to
//! the size (90 % decided, oldest first, with one decision each; 1 % escalated; the newest 10 %
//! pending, so the queue starts after a cleared backlog; commenters with about three comments
//! each, so prior decisions are realistic; one rule, `ADVERTISING`, on one comment in a
//! thousand). Each scenario runs after a warm-up at 8 concurrent connections and prints requests
//! per second, p50/p99 latency, the server's CPU time per request (from `/proc`, the steadiest
//! figure on a noisy machine; on PostgreSQL the database's own CPU is not in it) and SQL
//! statements per request (from `/metrics`); then the department's whole e-discovery export,
//! in records per second and the server's resident memory before and during it. Not
//! a test: nothing here passes or fails.
//!
//! The PostgreSQL URL must allow `CREATE DATABASE`; each size gets a database of its own,
//! dropped afterwards.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark aborts on any failure"
)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[path = "queue/seed.rs"]
mod seed;

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

const PASSWORD: &str = "queue-bench-password";
const CONCURRENCY: usize = 8;
const QUEUE: &str = "query($r: String, $p: ID, $s: CommentStatus, $a: String) {
  moderationQueue(departmentCode: \"MT-DOC\", rule: $r, platformId: $p, status: $s, first: 50, after: $a) {
    edges { cursor node { id externalId authorHandle body status verdict receivedAt
      findings { rule clause start end excerpt source score }
      platform { id handle }
      decisions { action rules clauses at moderator { email } }
      priorDecisions { action rules at } } }
    pageInfo { hasNextPage endCursor } } }";
const QUEUE_BARE: &str = "query($a: String) {
  moderationQueue(departmentCode: \"MT-DOC\", first: 50, after: $a) {
    edges { cursor node { id externalId authorHandle body status verdict receivedAt
      findings { rule clause start end excerpt source score } platform { id handle } } }
    pageInfo { hasNextPage endCursor } } }";
const INGEST: &str = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id status verdict } }";
const SCREEN: &str = "query($t: String!) { screenText(input: {departmentCode: \"MT-DOC\", context: PUBLIC_COMMENT, text: $t}) { verdict findings { rule } } }";
const FORTY_WORDS: &str = "I visited my brother at the facility last weekend and the staff were polite, but the \
    visiting room was crowded and we waited almost an hour. Could the department post the visiting \
    schedule online so families can plan ahead and avoid the Saturday rush?";

/// The 40 comments ingested through the API and multiplied.
const TEMPLATES: [&str; 20] = [
    "Thank you for the update on visiting hours.",
    "Great job to the staff at the community event last week.",
    "When does the new GED program start?",
    "My son says the food has improved, thanks.",
    "Is the facility open for tours during the holidays?",
    "Please post the schedule for the job fair.",
    "Go to hell, you idiot warden.",
    "This place is run by clowns, shut it down.",
    "The officer on B block is a thief and a liar, he stole my commissary money.",
    "Call my cell, my SSN is 219-09-6789, please fix my record.",
    "Somebody should teach that guard a lesson he won't forget, I know where he parks.",
    "Everybody should bring phones in taped under their feet during visits, they never check.",
    "The night count is at 2:15 and only two officers cover the east yard.",
    "Those people are animals and don't deserve any rights.",
    "F*** this department and everyone in it.",
    "You'd better watch your back, I know where your family lives.",
    "Nobody is listening, we need answers about the lockdown.",
    "The warden covered up the assault and everybody knows it.",
    "Keep up the good work, corrections officers.",
    "How can I send a package to an inmate?",
];
const RARE: &str = "Best bail bonds in Helena, call 406-555-0100 for 20% off this week only!";

struct Server {
    child: Child,
    addr: String,
    client: reqwest::Client,
}

impl Server {
    fn start(database_url: &str) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy-admin"))
            .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", database_url)
            .env("POLICY_ADMIN_DEMO_PASSWORD", PASSWORD)
            .env("POLICY_ADMIN_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(a) = line.strip_prefix("listening on ") {
                break a.to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            addr,
            client: reqwest::Client::new(),
        }
    }

    async fn gql(&self, query: &str, variables: Value, token: &str) -> Value {
        let mut r = self.client.post(format!("{}/graphql", self.addr));
        if !token.is_empty() {
            r = r.bearer_auth(token);
        }
        let r = r
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .expect("request");
        r.json().await.expect("json answer")
    }

    async fn ok(&self, query: &str, variables: Value, token: &str) -> Value {
        let b = self.gql(query, variables, token).await;
        assert!(b["errors"].is_null(), "{query}: {b}");
        b["data"].clone()
    }

    async fn login(&self, email: &str) -> String {
        let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }";
        let b = self.ok(q, json!({"e": email, "p": PASSWORD}), "").await;
        b["login"]["accessToken"].as_str().unwrap().to_owned()
    }

    async fn statements(&self) -> f64 {
        let text = self
            .client
            .get(format!("{}/metrics", self.addr))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("policy_admin_db_statements_total "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap()
    }

    /// CPU time of the server process (every thread), in seconds.
    fn cpu(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / 100.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Row {
    name: String,
    rps: f64,
    p50: Duration,
    p99: Duration,
    cpu_ms: f64,
    statements: f64,
}

/// Runs `total` requests at [`CONCURRENCY`] after a warm-up; `vars` gives each its variables.
async fn scenario(
    s: &Arc<Server>,
    name: &str,
    query: &'static str,
    token: &str,
    total: usize,
    vars: impl Fn(usize) -> Value + Send + Sync + 'static,
) -> Row {
    let vars = Arc::new(vars);
    for i in 0..10 {
        s.ok(query, vars(usize::MAX - i), token).await;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let (cpu0, st0, t0) = (s.cpu(), s.statements().await, Instant::now());
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (s, next, vars, token) = (s.clone(), next.clone(), vars.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return times;
                }
                let start = Instant::now();
                s.ok(query, vars(i), &token).await;
                times.push(start.elapsed());
            }
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    let wall = t0.elapsed();
    let (cpu1, st1) = (s.cpu(), s.statements().await);
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    Row {
        name: name.to_owned(),
        rps: total as f64 / wall.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        cpu_ms: (cpu1 - cpu0) * 1000.0 / total as f64,
        statements: (st1 - st0) / total as f64,
    }
}

async fn bench(size: usize) {
    let (url, drop_after, _dir) = seed::fresh_database(size).await;
    let s = Arc::new(Server::start(&url));
    let staff = s.login("staff@mt-doc.demo").await;
    let pio = s.login("pio@mt-doc.demo").await;
    let platforms = seed::platforms(&s, &staff, &pio).await;
    for (i, body) in TEMPLATES.iter().chain(TEMPLATES.iter()).enumerate() {
        let input = json!({"platformId": platforms[i % 2], "externalId": format!("tpl-{i}"),
            "authorHandle": format!("@t{i}"), "body": body});
        s.ok(INGEST, json!({"i": input}), &pio).await;
    }
    let rare = json!({"platformId": platforms[0], "externalId": "rare", "authorHandle": "@r", "body": RARE});
    s.ok(INGEST, json!({"i": rare}), &pio).await;
    let db = Database::connect(&url).await.unwrap();
    let pio_user: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM users WHERE email = 'pio@mt-doc.demo'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let seeded = Instant::now();
    seed::multiply(&db, size, pio_user).await;
    eprintln!(
        "seeded {size} comments in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    db.close().await.unwrap();

    let token = Server::start_token(&url);
    let later = s.ok(QUEUE, json!({}), &pio).await["moderationQueue"]["pageInfo"]["endCursor"].clone();
    let p0 = platforms[0].clone();
    let mut rows = Vec::new();
    rows.push(
        scenario(
            &s,
            "{ __typename } with a token",
            "{ __typename }",
            &pio,
            2000,
            |_| json!({}),
        )
        .await,
    );
    rows.push(scenario(&s, "queue, first page", QUEUE, &pio, 400, |_| json!({})).await);
    rows.push(
        scenario(&s, "queue, without decisions", QUEUE_BARE, &pio, 400, |_| {
            json!({})
        })
        .await,
    );
    rows.push(
        scenario(
            &s,
            "queue, a later page",
            QUEUE,
            &pio,
            400,
            move |_| json!({"a": later}),
        )
        .await,
    );
    rows.push(
        scenario(
            &s,
            "queue, by platform",
            QUEUE,
            &pio,
            400,
            move |_| json!({"p": p0}),
        )
        .await,
    );
    rows.push(
        scenario(
            &s,
            "queue, common rule",
            QUEUE,
            &pio,
            400,
            |_| json!({"r": "PERSONAL_ATTACK"}),
        )
        .await,
    );
    rows.push(
        scenario(
            &s,
            "queue, rare rule",
            QUEUE,
            &pio,
            400,
            |_| json!({"r": "ADVERTISING"}),
        )
        .await,
    );
    rows.push(
        scenario(
            &s,
            "queue, escalated",
            QUEUE,
            &pio,
            400,
            |_| json!({"s": "ESCALATED"}),
        )
        .await,
    );
    rows.push(
        scenario(
            &s,
            "screenText, 40 words",
            SCREEN,
            &pio,
            200,
            |_| json!({"t": FORTY_WORDS}),
        )
        .await,
    );
    let p1 = platforms[1].clone();
    rows.push(
        scenario(&s, "ingestComment by token", INGEST, &token, 300, move |i| {
            json!({"i": {"platformId": p1, "externalId": format!("bench-{i}"), "authorHandle": "@bench",
                "body": TEMPLATES[i % TEMPLATES.len()]}})
        })
        .await,
    );
    let export = export(&s).await;
    let backend = if drop_after.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("\n{backend}, {size} comments, {CONCURRENCY} connections");
    println!("| scenario | req/s | p50 | p99 | server CPU/req | statements/req |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {:.0} | {:.1} ms | {:.1} ms | {:.2} ms | {:.1} |",
            r.name,
            r.rps,
            r.p50.as_secs_f64() * 1000.0,
            r.p99.as_secs_f64() * 1000.0,
            r.cpu_ms,
            r.statements
        );
    }
    println!(
        "\nexport: {} records in {:.1} s ({:.0} records/s, {:.1} MB); server RSS {} MB before, {} MB at most during it",
        export.records,
        export.seconds,
        export.records as f64 / export.seconds,
        export.bytes as f64 / 1e6,
        export.rss_before_kb / 1024,
        export.rss_peak_kb / 1024
    );
    drop(s);
    if let Some((admin, name)) = drop_after {
        let db = Database::connect(&admin).await.unwrap();
        db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}

struct ExportRun {
    records: u64,
    bytes: u64,
    seconds: f64,
    rss_before_kb: u64,
    rss_peak_kb: u64,
}

/// The server's resident memory now, in kB.
fn rss_kb(s: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Streams the department's whole export as the director, counting lines as they arrive and
/// sampling the server's memory.
async fn export(s: &Server) -> ExportRun {
    let director = s.login("director@mt-doc.demo").await;
    let rss_before_kb = rss_kb(s);
    let mut rss_peak_kb = rss_before_kb;
    let start = Instant::now();
    let mut r = s
        .client
        .get(format!("{}/export/MT-DOC", s.addr))
        .bearer_auth(&director)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "export: {}", r.status());
    let (mut records, mut bytes, mut chunks) = (0u64, 0u64, 0u64);
    while let Some(chunk) = r.chunk().await.unwrap() {
        bytes += chunk.len() as u64;
        records += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        chunks += 1;
        if chunks % 64 == 0 {
            rss_peak_kb = rss_peak_kb.max(rss_kb(s));
        }
    }
    ExportRun {
        records: records.saturating_sub(1),
        bytes,
        seconds: start.elapsed().as_secs_f64(),
        rss_before_kb,
        rss_peak_kb,
    }
}

impl Server {
    /// An ingest token for MT-DOC, created on the command line as an operator would.
    fn start_token(database_url: &str) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_policy-admin"))
            .args([
                "token",
                "create",
                "--department",
                "MT-DOC",
                "--scope",
                "ingest",
                "--name",
                "bench",
            ])
            .env("DATABASE_URL", database_url)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments.
    let sizes: Vec<usize> = std::env::var("QUEUE_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("QUEUE_BENCH_SIZES: comma-separated numbers")
        })
        .collect();
    let rt = tokio::runtime::Runtime::new().unwrap();
    for size in sizes {
        rt.block_on(bench(size));
    }
}
