//! sea-orm entities of policy-admin: table shapes only.
//!
//! No business rules and no GraphQL derives live here (a derive would expose columns such as
//! password hashes); services in the server crate own the rules, GraphQL types wrap models.

pub mod appeal;
pub mod approval;
pub mod audit_chain;
pub mod audit_event;
pub mod authorization_platform;
pub mod comment;
pub mod comment_rule;
pub mod consent;
pub mod delegation;
pub mod department;
pub mod facility;
pub mod facility_review;
pub mod integration_token;
pub mod legal_hold;
pub mod moderation_decision;
pub mod platform;
pub mod platform_change_request;
pub mod platform_version;
pub mod policy_acknowledgement;
pub mod post;
pub mod post_consent;
pub mod post_media;
pub mod post_version;
pub mod posting_authorization;
pub mod refresh_session;
pub mod screening_heads;
pub mod staff_content_review;
pub mod staff_profile;
pub mod user;
pub mod violation;
pub mod webhook;
pub mod webhook_delivery;
