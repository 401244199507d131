//! Business rules over the database, one file per aggregate; no GraphQL types here.
//!
//! Each write runs in one transaction that also appends its audit event.

pub mod acknowledgements;
pub mod approvals;
pub mod audit_log;
pub mod authorizations;
pub mod comments;
pub mod consents;
pub mod delegations;
pub mod departments;
pub mod facility_reviews;
pub mod integration_tokens;
pub mod moderation;
pub mod moderation_log;
pub mod paging;
pub mod pending;
pub mod people;
pub mod platform_changes;
pub mod platform_rules;
pub mod platforms;
pub mod posts;
pub mod provisioning;
pub mod refusals;
pub mod screener;
pub mod screening;
pub mod screening_heads;
pub mod seed;
pub mod seed_activity;
pub mod sessions;
pub mod staff_content;
pub mod staff_profiles;
pub mod users;
pub mod violations;

/// A reason a person gives for a decision: trimmed, 1-2000 characters.
pub(crate) fn required_reason(reason: &str) -> crate::error::AppResult<String> {
    let r = reason.trim();
    if r.is_empty() || r.chars().count() > 2000 {
        return Err(crate::error::AppError::BadUserInput(
            "give a reason of 1-2000 characters".into(),
        ));
    }
    Ok(r.to_owned())
}
