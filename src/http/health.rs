//! Liveness and readiness probes.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let screening = screening(&state);
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({ "status": "ready", "screening": screening })),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
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
