//! policy-admin: a GraphQL API server with which a state Department of Corrections runs its
//! official social media exactly as its written directive says.
//!
//! Data flows one way: HTTP ([`http`]) → GraphQL resolver ([`graphql`]) → service
//! ([`service`], permission check + rules + one transaction with its audit row) → entity.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod policy;
pub mod records;
pub mod scim;
pub mod service;
pub mod startup;
pub mod state;
