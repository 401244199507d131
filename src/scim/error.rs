//! SCIM error responses (RFC 7644 §3.12): a JSON body with the error schema, the status as a
//! string, a `scimType` where the RFC defines one, and a `detail` for people.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use super::filter::FilterError;
use crate::error::AppError;

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";
/// Schema of error bodies.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A refused SCIM request.
#[derive(Debug, Clone)]
pub struct ScimError {
    /// HTTP status.
    pub status: StatusCode,
    /// RFC 7644 Table 9 error type, for 400s.
    pub scim_type: Option<&'static str>,
    /// What went wrong, for people.
    pub detail: String,
}

impl ScimError {
    /// 400 with a `scimType`.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }

    /// Any status without a `scimType`.
    pub fn status(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type: None,
            detail: detail.into(),
        }
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::status(StatusCode::NOT_FOUND, detail)
    }

    /// 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad("invalidValue", detail)
    }

    /// 400 `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad("invalidSyntax", detail)
    }

    /// 400 `mutability`.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad("mutability", detail)
    }

    /// 405 naming the methods that are served.
    pub fn method_not_allowed(allowed: &str) -> Self {
        Self::status(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("this endpoint serves {allowed}"),
        )
    }
}

impl std::fmt::Display for ScimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.detail)
    }
}

impl ResponseError for ScimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        let mut r = HttpResponse::build(self.status);
        r.content_type(SCIM_JSON);
        if self.status == StatusCode::UNAUTHORIZED {
            r.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"scim\""));
        }
        r.body(body.to_string())
    }
}

impl From<FilterError> for ScimError {
    fn from(e: FilterError) -> Self {
        Self::bad(e.scim_type, e.detail)
    }
}

impl From<AppError> for ScimError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Unauthenticated(m) => Self::status(StatusCode::UNAUTHORIZED, m),
            AppError::Forbidden(m) => Self::status(StatusCode::FORBIDDEN, m),
            AppError::NotFound(what) => Self::not_found(format!("{what} not found")),
            AppError::BadUserInput(m) => Self::invalid_value(m),
            AppError::Conflict(m) => Self {
                status: StatusCode::CONFLICT,
                scim_type: Some("uniqueness"),
                detail: m,
            },
            AppError::RateLimited { .. } => Self::status(StatusCode::TOO_MANY_REQUESTS, e.message()),
            AppError::Unavailable { .. } => Self::status(StatusCode::SERVICE_UNAVAILABLE, e.message()),
            AppError::PolicyViolation { message, .. } => Self::invalid_value(message),
            AppError::Internal(inner) => {
                tracing::error!(error = format!("{inner:#}"), "SCIM request failed");
                Self::status(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        }
    }
}

/// Shorthand for handler results.
pub type ScimResult<T> = Result<T, ScimError>;
