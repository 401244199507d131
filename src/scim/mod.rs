//! SCIM 2.0 for HR provisioning (RFC 7643, RFC 7644) at `/scim/v2`: HR systems create, change,
//! separate and delete the employees of their department (IL 01.02.400 II.E, II.G.6) with an
//! integration token of scope `scim`. Roles are never granted here.
//!
//! Every response, errors included, is `application/scim+json`.

pub mod discovery;
pub mod error;
pub mod filter;
pub mod patch;
pub mod projection;
pub mod request;
pub mod schema;
pub mod user_doc;
pub mod users;

use actix_web::{HttpResponse, web};

use self::error::ScimError;

fn only(allowed: &'static str) -> impl Fn() -> std::future::Ready<Result<HttpResponse, ScimError>> + Clone {
    move || std::future::ready(Err(ScimError::method_not_allowed(allowed)))
}

async fn not_found() -> Result<HttpResponse, ScimError> {
    Err(ScimError::not_found("no such SCIM endpoint"))
}

async fn not_implemented() -> Result<HttpResponse, ScimError> {
    Err(ScimError::status(
        actix_web::http::StatusCode::NOT_IMPLEMENTED,
        "only /Users is served: bulk operations, groups and searches across resource types are not",
    ))
}

/// Registers `/scim/v2`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/scim/v2")
            .service(
                web::resource("/ServiceProviderConfig")
                    .route(web::get().to(discovery::service_provider_config))
                    .default_service(web::to(only("GET"))),
            )
            .service(
                web::resource("/ResourceTypes")
                    .route(web::get().to(discovery::resource_types))
                    .default_service(web::to(only("GET"))),
            )
            .service(
                web::resource("/ResourceTypes/{id}")
                    .route(web::get().to(discovery::resource_type))
                    .default_service(web::to(only("GET"))),
            )
            .service(
                web::resource("/Schemas")
                    .route(web::get().to(discovery::schemas))
                    .default_service(web::to(only("GET"))),
            )
            .service(
                web::resource("/Schemas/{id}")
                    .route(web::get().to(discovery::schema_by_id))
                    .default_service(web::to(only("GET"))),
            )
            .service(
                web::resource("/Users")
                    .route(web::get().to(users::list))
                    .route(web::post().to(users::create))
                    .default_service(web::to(only("GET, POST"))),
            )
            .service(
                web::resource("/Users/.search")
                    .route(web::post().to(users::search))
                    .default_service(web::to(only("POST"))),
            )
            .service(
                web::resource("/Users/{id}")
                    .route(web::get().to(users::get))
                    .route(web::put().to(users::replace))
                    .route(web::patch().to(users::modify))
                    .route(web::delete().to(users::delete))
                    .default_service(web::to(only("GET, PUT, PATCH, DELETE"))),
            )
            .service(
                web::resource(["/.search", "/Bulk", "/Groups", "/Groups/{tail:.*}", "/Me"])
                    .to(not_implemented),
            )
            .default_service(web::to(not_found)),
    );
}
