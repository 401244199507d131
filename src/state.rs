//! What every request shares: database, profiles, keys, hasher, throttle.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::password::Hasher;
use crate::auth::session_cache::SessionCache;
use crate::auth::throttle::LoginThrottle;
use crate::config::Config;
use crate::events::EventBus;
use crate::http::metrics::Metrics;
use crate::http::persisted::Documents;
use crate::http::socket::Shutdown;
use crate::policy::Profiles;
use crate::service::screener::Screener;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Connection pool.
    pub db: DatabaseConnection,
    /// Department profiles.
    pub profiles: Arc<Profiles>,
    /// Access-token keys.
    pub jwt: JwtKeys,
    /// Bounded password hasher.
    pub hasher: Hasher,
    /// Login throttle.
    pub throttle: Arc<LoginThrottle>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Process counters.
    pub metrics: Arc<Metrics>,
    /// Live moderation events.
    pub events: Arc<EventBus>,
    /// Signed-in sessions remembered between requests.
    pub sessions: Arc<SessionCache>,
    /// Rules and model.
    pub screener: Arc<Screener>,
    /// Closes every open WebSocket when the server shuts down.
    pub sockets: Shutdown,
    /// Persisted and trusted documents.
    pub documents: Arc<Documents>,
}
