//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The longest a readiness probe waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The database answers (within two seconds) and no write failed for lack of storage in the
/// last ten seconds.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let screening = screening(&state);
    if crate::db::storage_recently_failed() {
        return HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "database cannot store data", "screening": screening }));
    }
    let ping = tokio::time::timeout(READY_TIMEOUT, state.db.ping()).await;
    match ping {
        Ok(Ok(())) => HttpResponse::Ok().json(json!({ "status": "ready", "screening": screening })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "database unavailable", "screening": screening }))
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "database unavailable", "screening": screening }))
        }
    }
}

/// How this server screens: `FULL` with the model and heads hashes, or `RULES_ONLY`.
fn screening(state: &AppState) -> serde_json::Value {
    let screener = &state.screener;
    match screener.stage() {
        Some(stage) => json!({
            "mode": screener.mode().as_str(),
            "engine": crate::policy::screening::engine_version(),
            "model": stage.encoder.hash(),
            "heads": stage.heads_hash,
        }),
        None => json!({
            "mode": screener.mode().as_str(),
            "engine": crate::policy::screening::engine_version(),
        }),
    }
}
