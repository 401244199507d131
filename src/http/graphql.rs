//! `POST /graphql` and `GET /graphql`.
//!
//! Order of checks, cheapest first: media type (415, CSRF), body size (413), JSON shape,
//! bracket nesting (before the parser can overflow its stack), parse, field/alias/root limits,
//! operation type (405 for a mutation sent by GET), bearer token (401), then execution.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::OperationType;
use serde::Deserialize;
use tracing::Instrument;

use super::body::{Body, BodyError};
use super::guards::{self, MAX_BODY_BYTES, MAX_QUERY_BYTES};
use super::introspection::{check_cycles, only_introspection};
use super::reply::{Mode, PARSE_FAILED, VALIDATION_FAILED, executed_status, refusal};
use super::request_id;
use super::responses::error;
use crate::auth::integration::TOKEN_PREFIX;
use crate::error::AppError;
use crate::graphql::context::RequestCtx;
use crate::graphql::loaders::new_loader;
use crate::graphql::{AppSchema, IntrospectionSchema};
use crate::records::RequestMeta;
use crate::service::{integration_tokens, sessions};
use crate::state::AppState;

/// POST: JSON only.
pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
    introspection: web::Data<IntrospectionSchema>,
) -> HttpResponse {
    let r = post_inner(req, payload, &state, (&schema, &introspection)).await;
    counted(&state, r)
}

async fn post_inner(
    req: HttpRequest,
    payload: web::Payload,
    state: &AppState,
    schemas: (&AppSchema, &IntrospectionSchema),
) -> HttpResponse {
    if !is_json(&req) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "send the request as application/json",
        );
    }
    let body = match read_body(&req, payload).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let request: async_graphql::Request = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Array(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "batched requests are not supported",
            );
        }
        Ok(v) => match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    &format!("invalid request: {e}"),
                );
            }
        },
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("invalid JSON: {e}"),
            );
        }
    };
    let answer = execute(req, request, false, state, schemas).await;
    drop(body); // its share of the body budget is released only now
    answer
}

/// Parameters of a GraphQL GET request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// GET: queries from the URL, or GraphiQL for a browser when introspection is on.
pub async fn get(
    req: HttpRequest,
    params: web::Query<GetParams>,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
    introspection: web::Data<IntrospectionSchema>,
) -> HttpResponse {
    let params = params.into_inner();
    let Some(query) = params
        .query
        .or_else(|| params.extensions.as_ref().map(|_| String::new()))
    else {
        if state.config.introspection {
            return super::graphiql::page();
        }
        return error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "GraphiQL is disabled; POST queries to /graphql",
        );
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str(&vars) {
            Ok(v) => request = request.variables(async_graphql::Variables::from_json(v)),
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    &format!("invalid variables: {e}"),
                );
            }
        }
    }
    if let Some(ext) = params.extensions {
        match serde_json::from_str::<std::collections::HashMap<String, serde_json::Value>>(&ext) {
            Ok(map) => {
                for (k, v) in map {
                    if let Ok(v) = async_graphql::Value::from_json(v) {
                        request.extensions.insert(k, v);
                    }
                }
            }
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    &format!("invalid extensions: {e}"),
                );
            }
        }
    }
    let r = execute(req, request, true, &state, (&schema, &introspection)).await;
    counted(&state, r)
}

/// Counts a response refused before execution.
fn counted(state: &AppState, r: HttpResponse) -> HttpResponse {
    if super::reply::was_refused(&r) {
        state
            .metrics
            .graphql_rejected
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    r
}

async fn execute(
    req: HttpRequest,
    mut request: async_graphql::Request,
    via_get: bool,
    state: &AppState,
    schemas: (&AppSchema, &IntrospectionSchema),
) -> HttpResponse {
    let mode = Mode::of(&req);
    let request_id = request_id::of(&req);
    if let Err((code, msg)) = state.documents.resolve(&mut request) {
        return refusal(mode, StatusCode::BAD_REQUEST, code, &msg);
    }
    if let Err((code, msg)) = guards::admit(&mut request) {
        if request.query.len() > MAX_QUERY_BYTES {
            return error(StatusCode::PAYLOAD_TOO_LARGE, code, &msg);
        }
        return refusal(mode, StatusCode::BAD_REQUEST, code, &msg);
    }
    let op_name = request.operation_name.clone();
    // `label` names the operation in the metrics, also when the request did not.
    let (op_type, introspection, label) = match request.parsed_query() {
        Ok(doc) => match selected(doc, op_name.as_deref()) {
            Some((name, op)) => {
                let introspection = only_introspection(doc, &op.node);
                if introspection && let Err(msg) = check_cycles(doc, &op.node) {
                    return refusal(mode, StatusCode::BAD_REQUEST, VALIDATION_FAILED, msg);
                }
                (Some(op.node.ty), introspection, name.map(|n| n.to_string()))
            }
            None => (None, false, None),
        },
        Err(e) => return refusal(mode, StatusCode::BAD_REQUEST, PARSE_FAILED, &e.message),
    };
    match op_type {
        Some(OperationType::Query) => {}
        Some(OperationType::Mutation) if !via_get => {}
        Some(OperationType::Mutation) => {
            let mut r = error(
                StatusCode::METHOD_NOT_ALLOWED,
                "BAD_REQUEST",
                "mutations must be sent by POST",
            );
            r.headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
            return r;
        }
        Some(OperationType::Subscription) => {
            return refusal(
                mode,
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "subscriptions are served over WebSocket (/graphql/ws)",
            );
        }
        None => {
            return refusal(
                mode,
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "name the operation to run (operationName)",
            );
        }
    }

    let meta = RequestMeta {
        request_id: Some(request_id.clone()),
        client_addr: req.peer_addr().map(|a| a.ip().to_string()),
    };
    let (principal, integration) = match bearer(&req) {
        Err(()) => {
            return refusal(
                mode,
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "malformed Authorization header",
            );
        }
        Ok(None) => (None, None),
        Ok(Some(token)) => {
            let resolved = if token.starts_with(TOKEN_PREFIX) {
                integration_tokens::authenticate(&state.db, token, &meta)
                    .await
                    .map(|i| (None, Some(i)))
            } else {
                sessions::authenticate(state, token)
                    .await
                    .map(|p| (Some(p), None))
            };
            match resolved {
                Ok(pair) => pair,
                Err(e) => return refused(mode, e),
            }
        }
    };
    let ctx = RequestCtx {
        principal,
        integration,
        meta,
    };
    let span = tracing::info_span!("graphql", request_id = %request_id, operation = op_name.as_deref().unwrap_or("-"));
    state
        .metrics
        .graphql_requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let request = request.data(ctx).data(new_loader(state.db.clone()));
    let schema = if introspection { &schemas.1.0 } else { schemas.0 };
    let started = std::time::Instant::now();
    let response = schema.execute(request).instrument(span).await;
    state
        .metrics
        .latencies
        .observe(label.as_deref(), started.elapsed());
    let body = match serde_json::to_vec(&response) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(request_id, error = %e, "cannot serialise response");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error");
        }
    };
    let (status, retry_after) = executed_status(mode, &response);
    let mut r = HttpResponse::build(status);
    if let Some(secs) = retry_after {
        r.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    r.content_type(mode.content_type()).body(body)
}

/// The answer when the bearer token could not be resolved: `UNAUTHENTICATED` (401 with
/// `WWW-Authenticate` in GraphQL-over-HTTP mode, 200 in JSON mode) when the token is bad;
/// otherwise as [`refused_plain`].
pub(crate) fn refused(mode: Mode, e: AppError) -> HttpResponse {
    match e {
        AppError::Unauthenticated(_) => refusal(mode, StatusCode::UNAUTHORIZED, e.code(), &e.message()),
        other => refused_plain(other),
    }
}

/// The same for endpoints that are not GraphQL: 401 with `WWW-Authenticate` for a bad token;
/// 503 with `Retry-After` when the database is down (the session may well be valid, and a 401
/// would make the client throw it away).
pub(crate) fn refused_plain(e: AppError) -> HttpResponse {
    match e {
        AppError::Unauthenticated(_) => {
            let mut r = error(StatusCode::UNAUTHORIZED, e.code(), &e.message());
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            r
        }
        AppError::Unavailable { retry_after_secs, .. } => {
            let mut r = error(StatusCode::SERVICE_UNAVAILABLE, e.code(), &e.message());
            if let Ok(v) = header::HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        other => {
            let gql = async_graphql::Error::from(other);
            let body = async_graphql::Response::from_errors(vec![
                gql.into_server_error(async_graphql::Pos::default()),
            ]);
            HttpResponse::InternalServerError().json(body)
        }
    }
}

/// The operation a request runs, with its name: the only one, or the one it names.
fn selected<'d>(
    doc: &'d async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> Option<(
    Option<&'d async_graphql::Name>,
    &'d async_graphql::Positioned<async_graphql::parser::types::OperationDefinition>,
)> {
    use async_graphql::parser::types::DocumentOperations;
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some((None, op)),
        (DocumentOperations::Multiple(ops), Some(n)) => ops.get_key_value(n).map(|(k, v)| (Some(k), v)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.iter().next().map(|(k, v)| (Some(k), v))
        }
        _ => None,
    }
}

/// The type of the operation a request runs.
pub(crate) fn selected_operation(
    doc: &async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> Option<OperationType> {
    selected(doc, name).map(|(_, op)| op.node.ty)
}

fn is_json(req: &HttpRequest) -> bool {
    super::body::media_type(req).as_deref() == Some("application/json")
}

async fn read_body(req: &HttpRequest, payload: web::Payload) -> Result<Body, HttpResponse> {
    super::body::read_limited(req, payload, MAX_BODY_BYTES)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "BAD_REQUEST",
                &format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
            ),
            BodyError::Unreadable(e) => error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("cannot read body: {e}"),
            ),
        })
}

/// `Ok(None)` without the header, `Err` when it is there but not `Bearer <token>`.
pub(crate) fn bearer(req: &HttpRequest) -> Result<Option<&str>, ()> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
        Ok(Some(token.trim()))
    } else {
        Err(())
    }
}
