//! GraphQL-shaped error responses for requests refused before execution.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use serde_json::json;

/// A response with one error carrying `extensions.code`.
pub fn error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

/// 405 for methods the endpoint does not serve.
pub async fn method_not_allowed() -> HttpResponse {
    let mut r = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "BAD_REQUEST",
        "use POST (or GET for queries)",
    );
    r.headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("GET, POST"));
    r
}

/// 404 for unknown paths.
pub async fn not_found() -> HttpResponse {
    error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint")
}
