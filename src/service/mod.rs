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
pub mod moderation;
pub mod moderation_log;
pub mod pending;
pub mod platform_changes;
pub mod platform_rules;
pub mod platforms;
pub mod posts;
pub mod refusals;
pub mod screening;
pub mod seed;
pub mod sessions;
pub mod staff_content;
pub mod staff_profiles;
pub mod users;
pub mod violations;
