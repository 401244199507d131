//! Black-box tests: each test starts the real application on port 0 with a database of its own
//! (SQLite in a temporary directory, or a fresh PostgreSQL database when `TEST_DATABASE_URL`
//! names a server) and talks to it over HTTP as a frontend would.

mod audit;
mod auth;
mod cli;
mod connections;
mod console;
mod conventions;
mod cors;
mod designees;
mod export_filters;
mod fixtures;
mod full_disk;
mod graphiql;
mod hardening;
mod helpers;
mod inputs;
mod integrations;
mod isolation;
mod loaders;
mod memory;
mod moderation;
mod outage;
mod people;
mod persisted;
mod platforms;
mod posting;
mod posting_loaders;
mod posting_roles;
mod queue;
mod races;
mod records;
mod reviews;
mod roles;
mod scim;
mod scim_providers;
mod scim_separation;
mod screening;
mod screening_heads;
mod screening_model;
mod session_cache;
mod tokens;
mod webhooks;
mod webhooks_tls;
mod ws_client;
mod ws_sessions;
