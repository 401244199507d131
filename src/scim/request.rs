//! What every SCIM request needs: the integration behind the bearer token (scope `scim`), the
//! JSON body, request metadata for the audit log, the base URL, and a SCIM-typed response.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::error::{SCIM_JSON, ScimError, ScimResult};
use crate::auth::integration::{Integration, TOKEN_PREFIX, TokenScope};
use crate::auth::require_scope;
use crate::http::body::{BodyError, media_type, read_limited};
use crate::http::graphql::bearer;
use crate::http::request_id;
use crate::records::audit::RequestMeta;
use crate::service::integration_tokens;
use crate::state::AppState;

/// Largest request body (a User or a PatchOp is a few KiB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Audit metadata of a request.
pub fn meta(req: &HttpRequest) -> RequestMeta {
    RequestMeta {
        request_id: Some(request_id::of(req)),
        client_addr: req.peer_addr().map(|a| a.ip().to_string()),
    }
}

/// The integration calling, which must hold a `scim` token. Every SCIM handler starts here, so
/// this is also where a NUL character in the path or query (`%00`) is refused.
pub async fn integration(req: &HttpRequest, state: &AppState) -> ScimResult<Integration> {
    let uri = req.uri().to_string();
    if uri.contains("%00") || uri.contains('\0') {
        return Err(ScimError::invalid_value(crate::http::inputs::MESSAGE));
    }
    let unauthorized = |m: &str| ScimError::status(StatusCode::UNAUTHORIZED, m);
    let token = match bearer(req) {
        Ok(Some(t)) if t.starts_with(TOKEN_PREFIX) => t,
        Ok(Some(_)) => {
            return Err(unauthorized(
                "SCIM takes an integration token with the scim scope",
            ));
        }
        _ => return Err(unauthorized("send an integration token as a bearer token")),
    };
    let i = integration_tokens::authenticate(&state.db, token, &meta(req)).await?;
    require_scope(&i, TokenScope::Scim)?;
    Ok(i)
}

/// The request body as JSON (`application/scim+json` or `application/json`).
pub async fn json_body(req: &HttpRequest, payload: web::Payload) -> ScimResult<Value> {
    match media_type(req).as_deref() {
        Some(SCIM_JSON | "application/json") => {}
        _ => {
            return Err(ScimError::status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("send the body as {SCIM_JSON}"),
            ));
        }
    }
    let body = read_limited(req, payload, MAX_BODY_BYTES)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ScimError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
            ),
            BodyError::Unreadable(e) => ScimError::invalid_syntax(format!("cannot read the body: {e}")),
        })?;
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| ScimError::invalid_syntax(format!("invalid JSON: {e}")))?;
    if crate::http::inputs::json_has_nul(&value) {
        return Err(ScimError::invalid_value(crate::http::inputs::MESSAGE));
    }
    Ok(value)
}

/// The SCIM base URL as the client reached it, e.g. `https://host/scim/v2`.
pub fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}/scim/v2", info.scheme(), info.host())
}

/// A SCIM JSON response.
pub fn respond(status: StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(SCIM_JSON)
        .body(body.to_string())
}
