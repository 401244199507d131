//! Builds the running application: database, migrations, profiles, state, HTTP server.
//! Shared by `main` and the black-box tests, which start it on port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, Logger};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use migration::Migrator;
use migration::MigratorTrait;
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::password::Hasher;
use crate::auth::throttle::LoginThrottle;
use crate::config::{Config, Secret};
use crate::graphql::build_schemas;
use crate::http;
use crate::http::metrics::Metrics;
use crate::http::persisted::Documents;
use crate::http::socket::Shutdown;
use crate::policy::Profiles;
use crate::records::RequestMeta;
use crate::service::screener::Screener;
use crate::service::{departments, seed};
use crate::state::AppState;

/// Connects, migrates and brings departments in step with the profiles (command line).
pub async fn prepare_database(url: &str, profiles: &Profiles) -> anyhow::Result<DatabaseConnection> {
    prepare_database_with(url, profiles, crate::db::DEFAULT_ACQUIRE_TIMEOUT).await
}

/// `prepare_database` with the time a caller waits for a connection.
pub async fn prepare_database_with(
    url: &str,
    profiles: &Profiles,
    acquire: std::time::Duration,
) -> anyhow::Result<DatabaseConnection> {
    let db = crate::db::connect(url, acquire).await?;
    migrate_and_sync(&db, profiles).await?;
    Ok(db)
}

/// Applies pending migrations and brings departments in step with the profiles.
async fn migrate_and_sync(db: &DatabaseConnection, profiles: &Profiles) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("applying migrations")?;
    departments::sync(db, profiles, &RequestMeta::cli())
        .await
        .map_err(|e| anyhow::anyhow!("synchronising departments: {}", e.describe()))
}

/// Opens a database that `serve`, `migrate` or `seed` has already set up, applying any newer
/// migrations. Every other command uses this, so that one run in the wrong folder (or with a
/// mistyped `DATABASE_URL`) fails with a clear message instead of creating an empty database
/// and printing, say, a token the real server has never heard of.
pub async fn open_existing(url: &str, profiles: &Profiles) -> anyhow::Result<DatabaseConnection> {
    let no_create = url.replace("mode=rwc", "mode=rw");
    let db = crate::db::connect(&no_create, crate::db::DEFAULT_ACQUIRE_TIMEOUT)
        .await
        .with_context(|| not_set_up(url))?;
    let probe = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
        _ => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_name = 'seaql_migrations' AND table_schema = current_schema()"
        }
    };
    use sea_orm::ConnectionTrait as _;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), probe))
        .await?;
    let tables: i64 = match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    anyhow::ensure!(tables > 0, "{}", not_set_up(url));
    migrate_and_sync(&db, profiles).await?;
    Ok(db)
}

fn not_set_up(url: &str) -> String {
    format!(
        "no policy-admin database at {}: run this command where the server runs (or set \
         DATABASE_URL to its database), or create one with `policy-admin migrate`",
        crate::db::redact(url)
    )
}

/// Loads the embedded profiles (a malformed one is a start-up error naming file and field) and
/// checks the screening engine's data files (a bad one would silently switch rules off).
pub fn load_profiles() -> anyhow::Result<Profiles> {
    crate::policy::screening::self_check().map_err(|e| anyhow::anyhow!("screening data: {e}"))?;
    Ok(Profiles::embedded()?)
}

/// What the demo seed printed for people.
pub struct DemoLogin {
    /// The password, when it was generated now (print it once).
    pub generated_password: Option<String>,
    /// Users created now.
    pub users_created: usize,
}

/// A built, not yet running application.
pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
    /// Demo seeding outcome, when `--demo`.
    pub demo: Option<DemoLogin>,
}

impl Application {
    /// Builds everything and binds the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let profiles = Arc::new(load_profiles()?);
        let mut db =
            prepare_database_with(&config.database_url, &profiles, config.db_acquire_timeout).await?;
        // Background work (the webhook worker) gets a handle without the statement counter, so
        // /metrics counts what requests cost.
        let background_db = db.clone();
        let metrics = Arc::new(Metrics::default());
        metrics.instrument(&mut db);
        let events = crate::events::EventBus::start(&db, &config.database_url);
        let sessions = crate::auth::session_cache::SessionCache::start(&db, &config.database_url);
        let hasher = Hasher::new(config.max_concurrent_hashes).await?;
        let screening = config.screening.clone();
        let screener = tokio::task::spawn_blocking(move || Screener::start(&screening))
            .await
            .context("loading the screening model")?
            .map_err(|e| {
                anyhow::anyhow!("screening: {e} (use --screening rules-only to run without the model)")
            })?;
        let documents = match &config.trusted_documents {
            Some(path) => Documents::trusted_from_file(path).map_err(anyhow::Error::msg)?,
            None => Documents::default(),
        };
        if let Some(n) = documents.trusted_count() {
            tracing::info!(documents = n, "running trusted documents only");
        }
        let state = AppState {
            db,
            profiles,
            jwt: JwtKeys::new(&config.jwt_secret, config.access_token_ttl),
            hasher,
            throttle: Arc::new(LoginThrottle::new(config.throttle)),
            config: Arc::new(config),
            metrics,
            events,
            sessions,
            screener: Arc::new(screener),
            sockets: Shutdown::default(),
            documents: Arc::new(documents),
        };
        state
            .screener
            .load_department_heads(&state.db)
            .await
            .map_err(|e| anyhow::anyhow!("screening: {e}"))?;
        refresh_department_heads(state.screener.clone(), background_db.clone());
        crate::records::webhooks::start_worker(
            background_db,
            state.config.webhook_expiring_days,
            state.config.webhook_allow_http_loopback,
        );
        let demo = if state.config.demo {
            Some(seed_demo(&state).await?)
        } else {
            None
        };
        let listener = TcpListener::bind(state.config.bind)
            .with_context(|| format!("cannot listen on {}", state.config.bind))?;
        let port = listener.local_addr()?.port();
        let (schema, introspection) = build_schemas(state.clone(), state.config.introspection);
        let app_state = web::Data::new(state.clone());
        let schema = web::Data::new(schema);
        let introspection = web::Data::new(introspection);
        let cors_origins = state.config.cors_origins.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(http::cors::middleware(cors_origins.clone()))
                .wrap(actix_web::middleware::from_fn(http::request_id::tag))
                .wrap(Logger::new("%a \"%U\" %s %b %Dms req=%{x-request-id}o"))
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "no-referrer"))
                        .add(("Cache-Control", "no-store")),
                )
                .app_data(app_state.clone())
                .app_data(schema.clone())
                .app_data(introspection.clone())
                .configure(http::routes)
                .default_service(web::to(http::responses::not_found))
        })
        // Idle connections stay open longer than the usual proxy and client idle timeouts
        // (60 s), so a client never reuses a connection the server is just closing.
        .keep_alive(std::time::Duration::from_secs(75))
        // Signals are handled in `run_until_stopped`, which closes the sockets first.
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen(listener)?;
        if state.config.workers > 0 {
            server = server.workers(state.config.workers);
        }
        Ok(Self {
            server: server.run(),
            port,
            state,
            demo,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Shared state (tests use it to reach the database).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or SIGINT: then stops accepting, closes every WebSocket with 1001,
    /// lets in-flight requests finish (up to 30 s) and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let sockets = self.state.sockets.clone();
        let signals = tokio::spawn(async move {
            if let Err(e) = stop_signal().await {
                tracing::error!(error = %e, "cannot listen for stop signals");
                return;
            }
            tracing::info!("stopping: closing sockets, finishing requests in flight");
            sockets.begin();
            handle.stop(true).await;
        });
        let served = self.server.await;
        signals.abort();
        served
    }
}

/// How long in-flight requests may take to finish once the server is told to stop.
const SHUTDOWN_TIMEOUT_SECS: u64 = 30;

/// Waits for SIGTERM or SIGINT.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            _ = term.recv() => Ok(()),
            r = tokio::signal::ctrl_c() => r,
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

/// Picks up heads a department selects while the server runs (every 30 s; one query).
fn refresh_department_heads(screener: Arc<Screener>, db: DatabaseConnection) {
    if screener.stage().is_none() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = screener.load_department_heads(&db).await {
                tracing::error!(error = %e, "keeping the previous screening heads");
            }
        }
    });
}

async fn seed_demo(state: &AppState) -> anyhow::Result<DemoLogin> {
    let (password, generated) = match &state.config.demo_password {
        Some(p) => (p.clone(), None),
        None => {
            let p = crate::auth::tokens::random_token(15);
            (Secret::new(p.clone()), Some(p))
        }
    };
    let report = seed::seed_demo(&state.db, &state.hasher, &password, &RequestMeta::cli())
        .await
        .map_err(|e| anyhow::anyhow!("loading demo data: {}", e.describe()))?;
    if state.config.demo_activity {
        let activity = crate::service::seed_activity::seed_activity(state, &RequestMeta::cli())
            .await
            .map_err(|e| anyhow::anyhow!("loading demo activity: {}", e.describe()))?;
        if activity.platforms > 0 {
            tracing::info!(
                platforms = activity.platforms,
                comments = activity.comments,
                "demo activity seeded"
            );
        }
    }
    Ok(DemoLogin {
        generated_password: generated.filter(|_| report.users_created > 0),
        users_created: report.users_created,
    })
}
