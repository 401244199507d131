//! Every response carries `X-Request-Id`: the caller's when it is short and plain, otherwise a
//! new one. Handlers read it with [`of`] for the audit trail and logs.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

/// Header carrying the correlation id, in and out.
pub const HEADER: &str = "x-request-id";

/// The id of one request, kept in the request's extensions.
#[derive(Clone, Debug)]
struct RequestId(String);

/// The caller's id when it is 1–64 characters of letters, digits, `-` and `_`.
fn incoming(headers: &HeaderMap) -> Option<String> {
    headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// The middleware: assigns the id and puts it on the response.
pub async fn tag(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = incoming(req.headers()).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut res = next.call(req).await?;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), v);
    }
    Ok(res)
}

/// This request's id (a new one when the middleware did not run, as in unit tests).
pub fn of(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .or_else(|| incoming(req.headers()))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}
