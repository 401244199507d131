//! How GraphQL answers map onto HTTP: one documented convention per response media type.
//!
//! - **`application/json`** (the default, what Apollo Client and most clients ask for): every
//!   well-formed GraphQL request is answered **200**, and what went wrong is in
//!   `errors[].extensions.code`: `GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED` (also for
//!   the depth, complexity, field, alias and root-field limits), `UNAUTHENTICATED` (no, bad,
//!   expired or revoked token), `FORBIDDEN`, `RATE_LIMITED`, …
//! - **`application/graphql-response+json`** (when the `Accept` header prefers it): the
//!   GraphQL-over-HTTP specification's status codes: 400 for a document that does not parse or
//!   validate, 401 with `WWW-Authenticate` for a bad token, 200 once the operation ran.
//!
//! In both, a request that is not a well-formed GraphQL-over-HTTP request at all is refused
//! with its HTTP status (415 media type, 413 size, 400 JSON, 405 mutation by GET), and a
//! database that cannot be reached is **503** with `Retry-After` (retry; the session is still
//! good). `RATE_LIMITED` and `UNAVAILABLE` answers carry `Retry-After`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
use serde_json::json;

/// The code of a document that fails validation or the limits.
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
/// The code of a document that does not parse.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";

/// The response media type the client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `application/json`: 200 for every well-formed request.
    Json,
    /// `application/graphql-response+json`: the GraphQL-over-HTTP status codes.
    GraphqlResponse,
}

/// The GraphQL-over-HTTP media type.
pub const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

impl Mode {
    /// Reads `Accept`: the GraphQL media type when it is listed with a quality at least that of
    /// `application/json` (and of `*/*`); otherwise JSON.
    pub fn of(req: &HttpRequest) -> Self {
        let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Self::Json;
        };
        let (mut graphql, mut json) = (None::<f32>, None::<f32>);
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match media.as_str() {
                GRAPHQL_RESPONSE => graphql = Some(graphql.map_or(q, |g| g.max(q))),
                "application/json" | "*/*" | "application/*" => json = Some(json.map_or(q, |j| j.max(q))),
                _ => {}
            }
        }
        match (graphql, json) {
            (Some(g), j) if g > 0.0 && g >= j.unwrap_or(0.0) => Self::GraphqlResponse,
            _ => Self::Json,
        }
    }

    /// The `Content-Type` of answers in this mode.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::GraphqlResponse => GRAPHQL_RESPONSE,
        }
    }
}

/// A well-formed request refused before it ran (a document that does not parse or validate,
/// a bad token): `spec_status` in GraphQL-over-HTTP mode, 200 in JSON mode.
pub fn refusal(mode: Mode, spec_status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let status = match mode {
        Mode::Json => StatusCode::OK,
        Mode::GraphqlResponse => spec_status,
    };
    let mut r = HttpResponse::build(status);
    r.content_type(mode.content_type());
    if status == StatusCode::UNAUTHORIZED {
        r.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    let mut r =
        r.body(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }).to_string());
    r.extensions_mut().insert(Refused);
    r
}

/// Marks an answer that refused the request without running it (counted in `/metrics`).
#[derive(Clone, Copy, Debug)]
pub struct Refused;

/// Whether `r` refused its request without running it, whatever its status.
pub fn was_refused(r: &HttpResponse) -> bool {
    !r.status().is_success() || r.extensions().contains::<Refused>()
}

/// The status and `Retry-After` of an executed response: 503 when the database could not be
/// reached, 400 in GraphQL-over-HTTP mode when the document failed validation, 200 otherwise.
pub fn executed_status(mode: Mode, response: &async_graphql::Response) -> (StatusCode, Option<u64>) {
    let code_of = |e: &ServerError| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .and_then(|v| match v {
                async_graphql::Value::String(s) => Some(s.clone()),
                _ => None,
            })
    };
    let retry_after = response
        .errors
        .iter()
        .filter_map(|e| {
            e.extensions
                .as_ref()?
                .get("retryAfterSeconds")
                .and_then(|v| match v {
                    async_graphql::Value::Number(n) => n.as_u64(),
                    _ => None,
                })
        })
        .max();
    let codes: Vec<String> = response.errors.iter().filter_map(code_of).collect();
    let status = if codes.iter().any(|c| c == "UNAVAILABLE") {
        StatusCode::SERVICE_UNAVAILABLE
    } else if mode == Mode::GraphqlResponse && codes.iter().any(|c| c == VALIDATION_FAILED) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, retry_after)
}

/// Tags every validation error (unknown field, wrong argument, depth and complexity limits)
/// with `GRAPHQL_VALIDATION_FAILED`, as clients expect.
pub struct ValidationCodes;

impl ExtensionFactory for ValidationCodes {
    fn create(&self) -> std::sync::Arc<dyn Extension> {
        std::sync::Arc::new(ValidationCodesExtension)
    }
}

struct ValidationCodesExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for ValidationCodesExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|mut e| {
                    let ext = e.extensions.get_or_insert_with(Default::default);
                    if ext.get("code").is_none() {
                        ext.set("code", VALIDATION_FAILED);
                    }
                    e
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn mode(accept: Option<&str>) -> Mode {
        let mut r = TestRequest::default();
        if let Some(a) = accept {
            r = r.insert_header((header::ACCEPT, a));
        }
        Mode::of(&r.to_http_request())
    }

    #[test]
    fn accept_chooses_the_mode() {
        assert_eq!(mode(None), Mode::Json);
        assert_eq!(mode(Some("application/json")), Mode::Json);
        assert_eq!(mode(Some("*/*")), Mode::Json);
        assert_eq!(mode(Some(GRAPHQL_RESPONSE)), Mode::GraphqlResponse);
        // graphql-ws and graphql-http clients send both, the GraphQL type first
        assert_eq!(
            mode(Some("application/graphql-response+json, application/json;q=0.9")),
            Mode::GraphqlResponse
        );
        assert_eq!(
            mode(Some("application/json, application/graphql-response+json;q=0.5")),
            Mode::Json
        );
        assert_eq!(mode(Some("application/graphql-response+json;q=0")), Mode::Json);
    }

    #[test]
    fn refusals_are_200_in_json_mode_only() {
        let r = refusal(Mode::Json, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "x");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(!r.headers().contains_key(header::WWW_AUTHENTICATE));
        let r = refusal(
            Mode::GraphqlResponse,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "x",
        );
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers().get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
        assert_eq!(r.headers().get(header::CONTENT_TYPE).unwrap(), GRAPHQL_RESPONSE);
    }
}
