//! Business rules over the database, one file per aggregate; no GraphQL types here.
//!
//! Each write runs in one transaction that also appends its audit event.

pub mod audit_log;
pub mod departments;
pub mod seed;
pub mod sessions;
pub mod users;
