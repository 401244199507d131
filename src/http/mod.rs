//! HTTP edge: routes, request guards that run before the GraphQL parser, health probes, and
//! the embedded GraphiQL and admin console.

pub mod body;
pub mod console;
pub mod cors;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod guards;
pub mod health;
pub mod inputs;
pub mod introspection;
pub mod latency;
pub mod metrics;
pub mod persisted;
pub mod reply;
pub mod request_id;
pub mod responses;
pub mod socket;
pub mod ws;

use actix_web::web;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql/ws", web::get().to(ws::ws))
        .route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/graphql", web::route().to(responses::method_not_allowed))
        .route("/graphiql/{file}", web::get().to(graphiql::asset))
        .route("/console", web::get().to(console::page))
        .route("/console/{file:.*}", web::get().to(console::asset))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/export/{department_code}", web::get().to(export::export))
        .configure(crate::scim::routes);
}
