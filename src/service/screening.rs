//! Screening a text for a department (the engine is pure; this adds the profile, the limits and
//! the model stage of the running server).

use crate::auth::{Principal, permissions};
use crate::error::{AppError, AppResult};
use crate::policy::screening::{Context, MAX_TEXT_BYTES, Provenance, ScreeningResult};
use crate::state::AppState;

/// Screens `text` under the caller's department profile; any employee of it may.
pub async fn screen_text(
    state: &AppState,
    p: &Principal,
    department_code: &str,
    context: Context,
    text: &str,
) -> AppResult<ScreeningResult> {
    permissions::require_own_department(p, department_code)?;
    let profile = state.profiles.of(department_code)?;
    check_size(text)?;
    state
        .screener
        .screen(p.department_id, &profile.screening, context, text)
        .await
}

/// Refuses texts over the engine's limit.
pub fn check_size(text: &str) -> AppResult<()> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(AppError::BadUserInput(format!(
            "text must be at most {} KiB",
            MAX_TEXT_BYTES / 1024
        )));
    }
    Ok(())
}

/// The provenance of a result as stored beside its findings (`screened_by`).
pub fn provenance_json(p: &Provenance) -> String {
    serde_json::to_string(p).unwrap_or_default()
}
