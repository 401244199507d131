//! Screening a text for a department (the engine is pure; this adds the profile and limits).

use crate::auth::{Principal, permissions};
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::screening::{self, Context, MAX_TEXT_BYTES, ScreeningResult};

/// Screens `text` under the caller's department profile; any employee of it may.
pub fn screen_text(
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
    context: Context,
    text: &str,
) -> AppResult<ScreeningResult> {
    permissions::require_own_department(p, department_code)?;
    let profile = profiles.of(department_code)?;
    check_size(text)?;
    Ok(screening::screen(&profile.screening, context, text))
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
