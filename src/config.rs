//! Typed configuration: every environment variable, flag and default lives here, once.
//!
//! The README's configuration table mirrors this file; `policy-admin serve --help` prints it.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Default database: an SQLite file in the working directory, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://policy-admin.db?mode=rwc";
/// Smallest accepted signing secret, in bytes.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// Where the data lives (shared by every command).
#[derive(Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` or `postgres://USER:PASS@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
}

/// How texts are screened (shared by `serve`, `eval-screening` and `screening train`).
#[derive(Args, Clone, Debug, Default)]
pub struct ScreeningArgs {
    /// `full`: rules and the language model; `rules-only`: the explicit opt-out, shown in
    /// /readyz and in every result. A server in `full` mode does not start without its model.
    #[arg(long = "screening", env = "POLICY_ADMIN_SCREENING", value_enum, default_value_t = ScreeningChoice::Full)]
    pub mode: ScreeningChoice,
    /// Directory of another BERT-family sentence model (`config.json`, `tokenizer.json`,
    /// `model.safetensors`) to use instead of the shipped all-MiniLM-L6-v2.
    #[arg(long = "screening-model", env = "POLICY_ADMIN_SCREENING_MODEL")]
    pub model: Option<PathBuf>,
    /// Heads file (from `policy-admin screening train`) to use instead of the shipped heads;
    /// it must have been trained on the model in use.
    #[arg(long = "screening-heads", env = "POLICY_ADMIN_SCREENING_HEADS")]
    pub heads: Option<PathBuf>,
}

/// Whether the model stage runs.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScreeningChoice {
    /// Rules and model.
    #[default]
    Full,
    /// Rules only.
    RulesOnly,
}

/// Settings of the HTTP server.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Screening engine settings.
    #[command(flatten)]
    pub screening: ScreeningArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "POLICY_ADMIN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Load the demo departments and users, enable introspection and GraphiQL, and allow a
    /// generated signing secret.
    #[arg(long)]
    pub demo: bool,
    /// HS256 signing secret for access tokens, at least 32 bytes. Required unless `--demo`.
    #[arg(long, env = "POLICY_ADMIN_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
    /// Access-token lifetime in seconds.
    #[arg(long, env = "POLICY_ADMIN_ACCESS_TOKEN_TTL", default_value_t = 900)]
    pub access_token_ttl: u64,
    /// Refresh-token lifetime in seconds (each rotation starts a new period).
    #[arg(long, env = "POLICY_ADMIN_REFRESH_TOKEN_TTL", default_value_t = 1_209_600)]
    pub refresh_token_ttl: u64,
    /// Serve schema introspection and GraphiQL (`true`/`false`). Defaults to off, on with `--demo`.
    #[arg(long, env = "POLICY_ADMIN_INTROSPECTION")]
    pub introspection: Option<bool>,
    /// Password of the demo users; generated and printed once when unset.
    #[arg(long, env = "POLICY_ADMIN_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<Secret>,
    /// With `--demo`, also seed a few days of activity (`true`/`false`): per department an
    /// approved platform with public comments in the moderation queue and a platform waiting
    /// for approval.
    #[arg(long, env = "POLICY_ADMIN_DEMO_ACTIVITY", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_activity: bool,
    /// Password hashes computed at the same time (each takes ~19 MiB and ~25 ms).
    #[arg(long, env = "POLICY_ADMIN_MAX_CONCURRENT_HASHES", default_value_t = 2)]
    pub max_concurrent_hashes: usize,
    /// HTTP worker threads; 0 means one per core.
    #[arg(long, env = "POLICY_ADMIN_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Failed logins per account within the throttle window before the account is throttled.
    #[arg(
        long,
        env = "POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT",
        default_value_t = 5
    )]
    pub login_max_failures_per_account: u32,
    /// Failed logins per client address within the throttle window before it is throttled.
    #[arg(
        long,
        env = "POLICY_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS",
        default_value_t = 20
    )]
    pub login_max_failures_per_address: u32,
    /// Length of the login throttle window in seconds.
    #[arg(long, env = "POLICY_ADMIN_LOGIN_THROTTLE_WINDOW", default_value_t = 900)]
    pub login_throttle_window: u64,
    /// Allow plain-http webhook URLs to loopback addresses (local receivers, tests).
    #[arg(long, env = "POLICY_ADMIN_WEBHOOK_ALLOW_HTTP_LOOPBACK")]
    pub webhook_allow_http_loopback: bool,
    /// Days before an authorization ends that `authorization.expiring` is sent.
    #[arg(long, env = "POLICY_ADMIN_WEBHOOK_EXPIRING_DAYS", default_value_t = 14)]
    pub webhook_expiring_days: u32,
    /// Origins (`https://admin.example.gov`, `http://localhost:*` for any port; comma-separated)
    /// whose pages may use the API from a browser (CORS and WebSockets) besides the server's
    /// own. Empty by default; `--demo` adds `http://localhost:*` and `http://127.0.0.1:*`.
    #[arg(long, env = "POLICY_ADMIN_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Bearer token a scraper must send to read `/metrics` (open when unset).
    #[arg(long, env = "POLICY_ADMIN_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,
    /// Run only the operations in this trusted-documents file (written by
    /// `policy-admin trusted-documents DIR`); any other query is refused.
    #[arg(long, env = "POLICY_ADMIN_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<std::path::PathBuf>,
    /// Seconds a request waits for a database connection before it is answered 503
    /// `UNAVAILABLE` (PostgreSQL; SQLite always waits out its write lock).
    #[arg(long, env = "POLICY_ADMIN_DB_ACQUIRE_TIMEOUT", default_value_t = 3)]
    pub db_acquire_timeout: u64,
}

/// A secret string whose `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The clear value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// Everything the running server needs, resolved and validated.
#[derive(Clone, Debug)]
pub struct Config {
    /// Database URL.
    pub database_url: String,
    /// Listen address.
    pub bind: SocketAddr,
    /// Whether demo data is loaded at start.
    pub demo: bool,
    /// Demo password, when given.
    pub demo_password: Option<Secret>,
    /// Whether the demo also seeds platforms and comments.
    pub demo_activity: bool,
    /// Signing secret for access tokens.
    pub jwt_secret: Secret,
    /// Access-token lifetime.
    pub access_token_ttl: Duration,
    /// Refresh-token lifetime.
    pub refresh_token_ttl: Duration,
    /// Introspection and GraphiQL on.
    pub introspection: bool,
    /// Bound on concurrent password hashes.
    pub max_concurrent_hashes: usize,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// Login throttle settings.
    pub throttle: ThrottleConfig,
    /// Plain-http webhooks to loopback allowed.
    pub webhook_allow_http_loopback: bool,
    /// Days before an authorization ends that `authorization.expiring` is sent.
    pub webhook_expiring_days: u32,
    /// Screening engine settings.
    pub screening: ScreeningArgs,
    /// How long a request waits for a database connection.
    pub db_acquire_timeout: Duration,
    /// Browser origins allowed besides the server's own.
    pub cors_origins: crate::http::cors::Origins,
    /// Trusted-documents file: only its operations run.
    pub trusted_documents: Option<std::path::PathBuf>,
    /// Token required to read `/metrics`.
    pub metrics_token: Option<Secret>,
}

/// Login throttle settings.
#[derive(Clone, Copy, Debug)]
pub struct ThrottleConfig {
    /// Failures per account within the window.
    pub max_failures_per_account: u32,
    /// Failures per client address within the window.
    pub max_failures_per_address: u32,
    /// Window length.
    pub window: Duration,
}

/// A configuration that cannot run, with the reason.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No secret and no `--demo`.
    #[error(
        "POLICY_ADMIN_JWT_SECRET is required (at least {MIN_JWT_SECRET_BYTES} bytes) unless --demo is given"
    )]
    MissingJwtSecret,
    /// Secret too short.
    #[error("POLICY_ADMIN_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes, got {0}")]
    ShortJwtSecret(usize),
    /// A number out of range.
    #[error("{0}")]
    OutOfRange(String),
}

/// Whether a secret was generated because none was configured (the caller warns).
pub struct Resolved {
    /// The configuration.
    pub config: Config,
    /// True when the signing secret was generated for this run.
    pub generated_secret: bool,
}

impl Config {
    /// Validates the flags and environment of `serve`.
    pub fn from_args(db: &DatabaseArgs, args: &ServeArgs) -> Result<Resolved, ConfigError> {
        let (jwt_secret, generated_secret) = match (&args.jwt_secret, args.demo) {
            (Some(secret), _) if secret.expose().len() < MIN_JWT_SECRET_BYTES => {
                return Err(ConfigError::ShortJwtSecret(secret.expose().len()));
            }
            (Some(secret), _) => (secret.clone(), false),
            (None, true) => (Secret::new(crate::auth::tokens::random_token(48)), true),
            (None, false) => return Err(ConfigError::MissingJwtSecret),
        };
        if !(30..=86_400).contains(&args.access_token_ttl) {
            return Err(ConfigError::OutOfRange(
                "POLICY_ADMIN_ACCESS_TOKEN_TTL must be between 30 and 86400 seconds".into(),
            ));
        }
        if !(60..=31_536_000).contains(&args.refresh_token_ttl) {
            return Err(ConfigError::OutOfRange(
                "POLICY_ADMIN_REFRESH_TOKEN_TTL must be between 60 and 31536000 seconds".into(),
            ));
        }
        if !(1..=64).contains(&args.max_concurrent_hashes) {
            return Err(ConfigError::OutOfRange(
                "POLICY_ADMIN_MAX_CONCURRENT_HASHES must be between 1 and 64".into(),
            ));
        }
        if !(1..=120).contains(&args.db_acquire_timeout) {
            return Err(ConfigError::OutOfRange(
                "POLICY_ADMIN_DB_ACQUIRE_TIMEOUT must be between 1 and 120 seconds".into(),
            ));
        }
        if args.metrics_token.as_ref().is_some_and(|t| t.expose().len() < 16) {
            return Err(ConfigError::OutOfRange(
                "POLICY_ADMIN_METRICS_TOKEN must be at least 16 characters".into(),
            ));
        }
        if args.login_max_failures_per_account == 0 || args.login_max_failures_per_address == 0 {
            return Err(ConfigError::OutOfRange(
                "login failure limits must be at least 1".into(),
            ));
        }
        let mut cors_origins =
            crate::http::cors::Origins::parse(&args.cors_origins).map_err(ConfigError::OutOfRange)?;
        if args.demo {
            cors_origins = cors_origins.with(crate::http::cors::Origins::localhost());
        }
        Ok(Resolved {
            config: Config {
                database_url: db.database_url.clone(),
                bind: args.bind,
                demo: args.demo,
                demo_password: args.demo_password.clone(),
                demo_activity: args.demo && args.demo_activity,
                jwt_secret,
                access_token_ttl: Duration::from_secs(args.access_token_ttl),
                refresh_token_ttl: Duration::from_secs(args.refresh_token_ttl),
                introspection: args.introspection.unwrap_or(args.demo),
                max_concurrent_hashes: args.max_concurrent_hashes,
                workers: args.workers,
                throttle: ThrottleConfig {
                    max_failures_per_account: args.login_max_failures_per_account,
                    max_failures_per_address: args.login_max_failures_per_address,
                    window: Duration::from_secs(args.login_throttle_window.max(1)),
                },
                webhook_allow_http_loopback: args.webhook_allow_http_loopback,
                webhook_expiring_days: args.webhook_expiring_days,
                screening: args.screening.clone(),
                db_acquire_timeout: Duration::from_secs(args.db_acquire_timeout),
                cors_origins,
                trusted_documents: args.trusted_documents.clone(),
                metrics_token: args.metrics_token.clone(),
            },
            generated_secret,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        db: DatabaseArgs,
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn config(args: &[&str]) -> Result<Config, ConfigError> {
        let cli = Cli::try_parse_from(std::iter::once("serve").chain(args.iter().copied()))
            .map_err(|e| ConfigError::OutOfRange(e.to_string()))?;
        Config::from_args(&cli.db, &cli.serve).map(|r| r.config)
    }

    #[test]
    fn demo_allows_local_pages_on_any_port() {
        let c = config(&["--demo"]).unwrap();
        assert!(c.cors_origins.allows("http://localhost:5173", None));
        let c = config(&["--jwt-secret", &"s".repeat(40)]).unwrap();
        assert!(c.cors_origins.is_empty(), "nothing by default");
        assert!(!c.cors_origins.allows("http://localhost:5173", None));
    }

    #[test]
    fn cors_origins_are_validated() {
        let c = config(&[
            "--demo",
            "--cors-origins",
            "https://a.example,https://b.example:*",
        ])
        .unwrap();
        assert!(c.cors_origins.allows("https://b.example:9443", None));
        assert!(c.cors_origins.allows("http://localhost:1", None));
        let err = config(&["--demo", "--cors-origins", "a.example"]).err().unwrap();
        assert!(err.to_string().contains("POLICY_ADMIN_CORS_ORIGINS"), "{err}");
    }
}
